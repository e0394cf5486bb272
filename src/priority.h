/*
 * priority.h
 *		The four-axis reactivation priority, for the functions that score
 *		(priority.c, assess.c) and the policy that weights it (policy.c).
 */
#ifndef DORMANT_PRIORITY_H
#define DORMANT_PRIORITY_H

#include "postgres.h"

typedef struct PriorityWeights
{
	double		transactions;
	double		behaviour;
	double		sales;
	double		fit;
	double		value_scale;
	double		half_life_days;
} PriorityWeights;

/* A silent customer's signals; a missing one counts as none. */
typedef struct PriorityInputs
{
	double		amount;			/* bought in the 12 months before the silence */
	int64		purchase_days;
	bool		has_mean_gap;
	double		mean_gap_days;
	double		silence_days;
	bool		has_interest;
	double		interest;
	bool		has_sales;
	double		sales;
	bool		has_fit;
	double		fit;
} PriorityInputs;

/* The score from 0 to 100 and the points each axis gave to it. */
typedef struct PriorityResult
{
	double		score;
	double		transactions;
	double		behaviour;
	double		sales;
	double		fit;
} PriorityResult;

extern double PriorityValueScale(Datum numeric);
extern double PriorityHalfLifeDays(Datum interval);
extern void PriorityWeightsCheck(const PriorityWeights *w);
extern void PriorityPoints(const PriorityWeights *w, const PriorityInputs *in,
						   PriorityResult *out);

#endif							/* DORMANT_PRIORITY_H */
