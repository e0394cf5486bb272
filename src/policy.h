/*
 * policy.h
 *		Rows of dormant.policy, read once per query and policy name.
 */
#ifndef DORMANT_POLICY_H
#define DORMANT_POLICY_H

#include "postgres.h"
#include "fmgr.h"
#include "nodes/pg_list.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "priority.h"

typedef struct Policy
{
	char	   *name;
	Interval	at_risk_after;
	Interval	dormant_after;
	Interval	lapsed_after;
	Interval	loyal_silence;
	double		overdue_factor;		/* 0 when NULL: no overdue rule */
	Numeric		high_value_amount;	/* NULL when off */
	PriorityWeights weights;
	double		tier_high;
	double		tier_mid;
	bool		classify_by_model;
	double		p_alive_at_risk;
	double		p_alive_dormant;
	double		p_alive_lapsed;

	/* as_of minus each interval, for the as_of they were computed for */
	bool		have_cutoffs;
	TimestampTz as_of;
	TimestampTz at_risk_cutoff;
	TimestampTz dormant_cutoff;
	TimestampTz lapsed_cutoff;
	TimestampTz loyal_cutoff;
} Policy;

extern Policy *PolicyFind(List **cache, MemoryContext mcxt, text *name,
						  TimestampTz as_of);

#endif							/* DORMANT_POLICY_H */
