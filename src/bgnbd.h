/*
 * bgnbd.h
 *		The BG/NBD model of repeat buying (Fader, Hardie and Lee, "Counting
 *		Your Customers the Easy Way", Marketing Science 24(2), 2005).
 *
 * A customer is described by three numbers, in any one unit of time:
 *
 *	x	frequency: repeat purchases (purchase days after the first one)
 *	t_x	recency: time from the first to the last purchase
 *	T	age: time from the first purchase to the end of observation
 *
 * While alive, a customer buys at a rate lambda ~ Gamma(r, alpha); after
 * each purchase they drop out with probability p ~ Beta(a, b).
 *
 * The parts: bgnbd_state.c keeps the customers of a fit, compressed into
 * counts of identical (x, t_x, T), and bgnbd_codec.c serializes them;
 * bgnbd_likelihood.c evaluates the log-likelihood with its derivatives;
 * bgnbd_optimize.c maximizes it; bgnbd_fit.c is the aggregate
 * dormant.bgnbd_fit; bgnbd_expect.c is the conditional expectation of
 * future purchases (with hyp2f1.c); bgnbd_score.c holds the scoring
 * functions.
 */
#ifndef DORMANT_BGNBD_H
#define DORMANT_BGNBD_H

#include "postgres.h"
#include "access/htup.h"

typedef struct BgnbdParams
{
	double		r;				/* shape of the purchase rate distribution */
	double		alpha;			/* its scale, in the unit of time */
	double		a;				/* dropout probability ~ Beta(a, b) */
	double		b;
} BgnbdParams;

#define BGNBD_PARAMS 4

/* in bgnbd_state.c: input checks, shared by the aggregate and the scores */
extern void BgnbdCheckCustomer(int64 frequency, double recency, double age);
extern void BgnbdCheckPenalty(double penalty);

/*
 * The customers of a fit in the form the likelihood wants: cells sorted by
 * (x, t_x, T), grouped by x.  Every term that depends on x alone is
 * evaluated once per group.
 */
typedef struct BgnbdGroup
{
	double		frequency;		/* x */
	double		weight;			/* customers in the group */
	int			first;			/* its cells: [first, first + cells) */
	int			cells;
} BgnbdGroup;

typedef struct BgnbdData
{
	int			ngroups;
	BgnbdGroup *groups;
	int			ncells;
	double	   *recency;		/* t_x of each cell */
	double	   *age;			/* T of each cell */
	double	   *weight;			/* customers in each cell */
	double		customers;		/* sum of the weights */
	double		repeat_buyers;	/* customers with x > 0 */
	double		mean_frequency; /* means over customers, for a start */
	double		mean_age;
} BgnbdData;

/* in bgnbd_likelihood.c */
extern double BgnbdLogLikelihood(const BgnbdData *data, const double logparams[BGNBD_PARAMS],
								 double gradient[BGNBD_PARAMS],
								 double hessian[BGNBD_PARAMS][BGNBD_PARAMS]);

/* in bgnbd_optimize.c */
typedef struct BgnbdEstimate
{
	BgnbdParams params;
	double		log_likelihood; /* at params, without the penalty */
	int			iterations;
	bool		converged;
} BgnbdEstimate;

extern void BgnbdMaximize(const BgnbdData *data, double penalty, BgnbdEstimate *estimate);

/* in bgnbd_expect.c */
extern double BgnbdExpectedIfAlive(const BgnbdParams *params, int64 frequency,
								   double age, double horizon);

/* in bgnbd_score.c: the scores, in the unit of the parameters */
extern const BgnbdParams *BgnbdParamsRead(void **slot, HeapTupleHeader tuple,
										  MemoryContext mcxt);
extern double BgnbdAlive(const BgnbdParams *params, int64 frequency,
						 double recency, double age);
extern double BgnbdExpected(const BgnbdParams *params, double horizon,
							int64 frequency, double recency, double age);
extern bool BgnbdNextPurchase(const BgnbdParams *params, int64 frequency,
							  double recency, double age, double *days);

#endif							/* DORMANT_BGNBD_H */
