/*
 * classify.h
 *		The dormancy class and depth segment of a customer's summary, for
 *		the functions that classify (classify.c, assess.c).
 */
#ifndef DORMANT_CLASSIFY_H
#define DORMANT_CLASSIFY_H

#include "postgres.h"
#include "utils/timestamp.h"

#include "policy.h"

/* The fields of dormant.rfm_summary that classification reads. */
typedef struct SummaryFields
{
	bool		has_last;
	TimestampTz last_at;
	int64		purchase_days;
	bool		has_monetary;
	Datum		monetary;
	bool		has_mean_gap;
	double		mean_gap_days;
} SummaryFields;

/* The labels of dormant.status, in the enum's order. */
typedef enum Status
{
	STATUS_NEW,
	STATUS_ACTIVE,
	STATUS_AT_RISK,
	STATUS_DORMANT,
	STATUS_LAPSED,
	STATUS_CHURNED,
	STATUS_COUNT
} Status;

extern const char *const status_labels[STATUS_COUNT];

/* For a summary with a last purchase. */
extern Status StatusOf(const SummaryFields *fields, const Policy *policy, TimestampTz as_of);
extern const char *DepthLabel(const SummaryFields *fields, const Policy *policy);

#endif							/* DORMANT_CLASSIFY_H */
