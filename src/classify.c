/*
 * classify.c
 *		Dormancy class and depth segment of a customer summary.
 *
 *	classify(summary, as_of, policy) -> dormant.status, first match wins:
 *		lapsed		last purchase at or before as_of - lapsed_after
 *		dormant		last purchase at or before as_of - dormant_after
 *		at_risk		last purchase at or before as_of - at_risk_after, or at
 *					least 3 purchase days and a silence of overdue_factor
 *					times the customer's own mean gap
 *		new			exactly one purchase day
 *		active		otherwise
 *	depth(summary, as_of, policy) -> text, for customers silent at least
 *	dormant_after: high_value_silent, loyal_defector, repeat_dormant or
 *	early_defector.
 *
 * A summary without purchases has neither.  A last purchase after as_of
 * counts as a silence of zero.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "executor/executor.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"

#include "classify.h"
#include "policy.h"

/* Positions in dormant.rfm_summary, counted from 1. */
#define ATT_LAST_AT			2
#define ATT_PURCHASE_DAYS	4
#define ATT_MONETARY		5
#define ATT_MEAN_GAP_DAYS	6

static void
ReadSummary(HeapTupleHeader tuple, SummaryFields *fields)
{
	bool		isnull;
	Datum		value;

	value = GetAttributeByNum(tuple, ATT_LAST_AT, &isnull);
	fields->has_last = !isnull;
	fields->last_at = isnull ? 0 : DatumGetTimestampTz(value);
	value = GetAttributeByNum(tuple, ATT_PURCHASE_DAYS, &isnull);
	fields->purchase_days = isnull ? 0 : DatumGetInt64(value);
	fields->monetary = GetAttributeByNum(tuple, ATT_MONETARY, &isnull);
	fields->has_monetary = !isnull;
	value = GetAttributeByNum(tuple, ATT_MEAN_GAP_DAYS, &isnull);
	fields->has_mean_gap = !isnull;
	fields->mean_gap_days = isnull ? 0 : DatumGetFloat8(value);
}

/* Days of silence before as_of; a last purchase after as_of gives zero. */
static double
SilenceDays(const SummaryFields *fields, TimestampTz as_of)
{
	if (fields->last_at >= as_of)
		return 0;
	return (double) (as_of - fields->last_at) / USECS_PER_DAY;
}

static bool
Overdue(const SummaryFields *fields, const Policy *policy, TimestampTz as_of)
{
	return fields->purchase_days >= 3 &&
		fields->has_mean_gap &&
		policy->overdue_factor > 0 &&
		SilenceDays(fields, as_of) >= policy->overdue_factor * fields->mean_gap_days;
}

const char *const status_labels[STATUS_COUNT] = {
	"new", "active", "at_risk", "dormant", "lapsed", "churned"
};

Status
StatusOf(const SummaryFields *fields, const Policy *policy, TimestampTz as_of)
{
	if (fields->last_at <= policy->lapsed_cutoff)
		return STATUS_LAPSED;
	if (fields->last_at <= policy->dormant_cutoff)
		return STATUS_DORMANT;
	if (fields->last_at <= policy->at_risk_cutoff || Overdue(fields, policy, as_of))
		return STATUS_AT_RISK;
	if (fields->purchase_days == 1)
		return STATUS_NEW;
	return STATUS_ACTIVE;
}

const char *
DepthLabel(const SummaryFields *fields, const Policy *policy)
{
	if (fields->last_at > policy->dormant_cutoff)
		return NULL;
	if (policy->high_value_amount && fields->has_monetary &&
		DatumGetBool(DirectFunctionCall2(numeric_ge, fields->monetary,
										 NumericGetDatum(policy->high_value_amount))))
		return "high_value_silent";
	if (fields->purchase_days >= 2 && fields->last_at <= policy->loyal_cutoff)
		return "loyal_defector";
	if (fields->purchase_days >= 2)
		return "repeat_dormant";
	return "early_defector";
}

/* What one call site keeps for the rest of its query. */
typedef struct CallCache
{
	List	   *policies;
	Datum		status[STATUS_COUNT];	/* dormant.status values, or 0 */
} CallCache;

static CallCache *
GetCallCache(FunctionCallInfo fcinfo)
{
	if (fcinfo->flinfo->fn_extra == NULL)
		fcinfo->flinfo->fn_extra = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt,
														  sizeof(CallCache));
	return (CallCache *) fcinfo->flinfo->fn_extra;
}

static Policy *
CallPolicy(FunctionCallInfo fcinfo, TimestampTz as_of)
{
	CallCache  *cache = GetCallCache(fcinfo);

	return PolicyFind(&cache->policies, fcinfo->flinfo->fn_mcxt,
					  PG_GETARG_TEXT_PP(2), as_of);
}

static Datum
StatusDatum(FunctionCallInfo fcinfo, Status status)
{
	CallCache  *cache = GetCallCache(fcinfo);

	if (cache->status[status] == (Datum) 0)
		cache->status[status] =
			DirectFunctionCall2(enum_in, CStringGetDatum(status_labels[status]),
								ObjectIdGetDatum(get_func_rettype(fcinfo->flinfo->fn_oid)));
	return cache->status[status];
}

PG_FUNCTION_INFO_V1(dormant_classify);
Datum
dormant_classify(PG_FUNCTION_ARGS)
{
	SummaryFields fields;
	TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(1);
	Policy	   *policy;

	ReadSummary(PG_GETARG_HEAPTUPLEHEADER(0), &fields);
	policy = CallPolicy(fcinfo, as_of);
	if (!fields.has_last)
		PG_RETURN_NULL();
	return StatusDatum(fcinfo, StatusOf(&fields, policy, as_of));
}

PG_FUNCTION_INFO_V1(dormant_depth);
Datum
dormant_depth(PG_FUNCTION_ARGS)
{
	SummaryFields fields;
	TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(1);
	Policy	   *policy;
	const char *label;

	ReadSummary(PG_GETARG_HEAPTUPLEHEADER(0), &fields);
	policy = CallPolicy(fcinfo, as_of);
	label = fields.has_last ? DepthLabel(&fields, policy) : NULL;
	if (label == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(label));
}
