/*
 * assess.c
 *		Everything the pipeline decides about one customer from the
 *		customer's summary and signals, in one call.
 *
 *	assess(policy, params, as_of, today, churned, purchases, last_at,
 *		   purchase_days, monetary, mean_gap_days, first_day, last_day,
 *		   recent_amount, interest, sales, fit)
 *		-> dormant.assessment (status, depth, p_alive, expected_purchases_90d,
 *							   expected_next_purchase_on, score and the points
 *							   of each axis, tier)
 *
 * The same rules as classify(), depth(), model_inputs(), p_alive(),
 * expected_purchases(), expected_next_purchase() and priority_points(),
 * applied in one pass: called separately, each would read the summary and
 * the policy again, and the query would carry their results through rows
 * of composites.  For a churned customer only the status is set; without a
 * summary (no transactions) nothing is.  A repeat buyer under a policy
 * that classifies by model gets a status from P(alive), everyone else from
 * the silence thresholds.  Only at_risk, dormant and lapsed customers are
 * scored.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgrprotos.h"
#include "utils/timestamp.h"

#include "bgnbd.h"
#include "classify.h"
#include "policy.h"
#include "priority.h"

/* Fields of dormant.assessment, in order. */
enum AssessmentField
{
	AF_STATUS,
	AF_DEPTH,
	AF_P_ALIVE,
	AF_EXPECTED_PURCHASES_90D,
	AF_EXPECTED_NEXT_PURCHASE_ON,
	AF_SCORE,
	AF_TRANSACTIONS_POINTS,
	AF_BEHAVIOUR_POINTS,
	AF_SALES_POINTS,
	AF_FIT_POINTS,
	AF_TIER,
	ASSESSMENT_FIELDS
};

/* The labels of dormant.tier, in the enum's order. */
enum Tier
{
	TIER_HIGH,
	TIER_MID,
	TIER_LOW,
	TIER_COUNT
};

static const char *const tier_labels[TIER_COUNT] = {"high", "mid", "low"};

/* A median next purchase this many days away or more is no day at all. */
#define NEXT_PURCHASE_HORIZON_DAYS 3652425.0

/* The model's horizon for expected_purchases_90d, in days. */
#define EXPECTED_PURCHASES_DAYS 90.0

/* What one call site keeps for the rest of its query. */
typedef struct AssessCache
{
	TupleDesc	result;
	List	   *policies;
	void	   *params;			/* bgnbd_score.c's cache of the last params */
	Datum		status[STATUS_COUNT];	/* enum values, or 0 until needed */
	Datum		tier[TIER_COUNT];
	Datum		epoch;			/* the text 'epoch' */
} AssessCache;

static AssessCache *
GetCache(FunctionCallInfo fcinfo)
{
	FmgrInfo   *flinfo = fcinfo->flinfo;
	AssessCache *cache = flinfo->fn_extra;
	TupleDesc	result;
	MemoryContext old;

	if (cache)
		return cache;
	if (get_call_result_type(fcinfo, NULL, &result) != TYPEFUNC_COMPOSITE ||
		result->natts != ASSESSMENT_FIELDS)
		elog(ERROR, "return type of assess must be dormant.assessment with %d fields",
			 ASSESSMENT_FIELDS);
	old = MemoryContextSwitchTo(flinfo->fn_mcxt);
	cache = palloc0(sizeof(AssessCache));
	cache->result = BlessTupleDesc(CreateTupleDescCopy(result));
	cache->epoch = CStringGetTextDatum("epoch");
	MemoryContextSwitchTo(old);
	flinfo->fn_extra = cache;
	return cache;
}

/* The value of an enum label, looked up once per query. */
static Datum
EnumValue(AssessCache *cache, Datum *slot, int field, const char *label)
{
	if (*slot == (Datum) 0)
		*slot = DirectFunctionCall2(enum_in, CStringGetDatum(label),
									ObjectIdGetDatum(TupleDescAttr(cache->result, field)->atttypid));
	return *slot;
}

/* The arguments, by position in the SQL signature. */
enum AssessArg
{
	ARG_POLICY,
	ARG_PARAMS,
	ARG_AS_OF,
	ARG_TODAY,
	ARG_CHURNED,
	ARG_PURCHASES,
	ARG_LAST_AT,
	ARG_PURCHASE_DAYS,
	ARG_MONETARY,
	ARG_MEAN_GAP_DAYS,
	ARG_FIRST_DAY,
	ARG_LAST_DAY,
	ARG_RECENT_AMOUNT,
	ARG_INTEREST,
	ARG_SALES,
	ARG_FIT
};

static SummaryFields
SummaryArgs(FunctionCallInfo fcinfo)
{
	SummaryFields fields;

	fields.has_last = !PG_ARGISNULL(ARG_LAST_AT);
	fields.last_at = fields.has_last ? PG_GETARG_TIMESTAMPTZ(ARG_LAST_AT) : 0;
	fields.purchase_days = PG_ARGISNULL(ARG_PURCHASE_DAYS) ? 0 : PG_GETARG_INT64(ARG_PURCHASE_DAYS);
	fields.has_monetary = !PG_ARGISNULL(ARG_MONETARY);
	fields.monetary = fields.has_monetary ? PG_GETARG_DATUM(ARG_MONETARY) : (Datum) 0;
	fields.has_mean_gap = !PG_ARGISNULL(ARG_MEAN_GAP_DAYS);
	fields.mean_gap_days = fields.has_mean_gap ? PG_GETARG_FLOAT8(ARG_MEAN_GAP_DAYS) : 0;
	return fields;
}

/* The model's scores, as model_inputs() and the scoring functions give them. */
typedef struct ModelScores
{
	bool		scored;
	int64		frequency;
	double		p_alive;
	double		expected_90d;
	bool		has_next;
	DateADT		next_on;
} ModelScores;

static ModelScores
ScoreModel(FunctionCallInfo fcinfo, AssessCache *cache)
{
	ModelScores m = {0};
	DateADT		today = PG_GETARG_DATEADT(ARG_TODAY);
	DateADT		first_day;
	DateADT		last_day;
	double		recency;
	double		age;
	double		next_days;
	const BgnbdParams *params;

	if (PG_ARGISNULL(ARG_PARAMS) || PG_ARGISNULL(ARG_PURCHASE_DAYS) ||
		PG_GETARG_INT64(ARG_PURCHASE_DAYS) <= 0 ||
		PG_ARGISNULL(ARG_FIRST_DAY) || PG_ARGISNULL(ARG_LAST_DAY))
		return m;
	params = BgnbdParamsRead(&cache->params, PG_GETARG_HEAPTUPLEHEADER(ARG_PARAMS),
							 fcinfo->flinfo->fn_mcxt);
	first_day = PG_GETARG_DATEADT(ARG_FIRST_DAY);
	last_day = PG_GETARG_DATEADT(ARG_LAST_DAY);
	m.frequency = PG_GETARG_INT64(ARG_PURCHASE_DAYS) - 1;
	recency = (double) (last_day - first_day);
	age = (double) Max(today - first_day, last_day - first_day);

	m.scored = true;
	m.p_alive = BgnbdAlive(params, m.frequency, recency, age);
	m.expected_90d = BgnbdExpected(params, EXPECTED_PURCHASES_DAYS, m.frequency, recency, age);
	if (BgnbdNextPurchase(params, m.frequency, recency, age, &next_days) &&
		next_days < NEXT_PURCHASE_HORIZON_DAYS)
	{
		m.has_next = true;
		m.next_on = DatumGetDateADT(DirectFunctionCall2(date_pli, DateADTGetDatum(today),
														Int32GetDatum((int32) ceil(next_days))));
	}
	return m;
}

static Status
StatusByModel(const Policy *policy, double p_alive)
{
	if (p_alive < policy->p_alive_lapsed)
		return STATUS_LAPSED;
	if (p_alive < policy->p_alive_dormant)
		return STATUS_DORMANT;
	if (p_alive < policy->p_alive_at_risk)
		return STATUS_AT_RISK;
	return STATUS_ACTIVE;
}

/*
 * Days of silence as the priority reads them: date_part('epoch', as_of -
 * last_at) / 86400, not below 0, computed by the same server functions so
 * that the points come out to the last bit as they always have.
 */
static double
SilenceDays(AssessCache *cache, TimestampTz as_of, const SummaryFields *fields)
{
	Datum		span;
	double		days;

	if (!fields->has_last)
		return 0;
	span = DirectFunctionCall2(timestamp_mi, TimestampTzGetDatum(as_of),
							   TimestampTzGetDatum(fields->last_at));
	days = DatumGetFloat8(DirectFunctionCall2(interval_part, cache->epoch, span)) / SECS_PER_DAY;
	return days > 0 ? days : 0;
}

static void
ScorePriority(FunctionCallInfo fcinfo, AssessCache *cache, const Policy *policy,
			  const SummaryFields *fields, PriorityResult *points)
{
	PriorityInputs in;

	in.amount = PG_ARGISNULL(ARG_RECENT_AMOUNT) ? 0 :
		DatumGetFloat8(DirectFunctionCall1(numeric_float8, PG_GETARG_DATUM(ARG_RECENT_AMOUNT)));
	in.purchase_days = fields->purchase_days;
	in.has_mean_gap = fields->has_mean_gap;
	in.mean_gap_days = fields->mean_gap_days;
	in.silence_days = SilenceDays(cache, PG_GETARG_TIMESTAMPTZ(ARG_AS_OF), fields);
	in.has_interest = !PG_ARGISNULL(ARG_INTEREST);
	in.interest = in.has_interest ? PG_GETARG_FLOAT8(ARG_INTEREST) : 0;
	in.has_sales = !PG_ARGISNULL(ARG_SALES);
	in.sales = in.has_sales ? PG_GETARG_FLOAT8(ARG_SALES) : 0;
	in.has_fit = !PG_ARGISNULL(ARG_FIT);
	in.fit = in.has_fit ? PG_GETARG_FLOAT4(ARG_FIT) : 0;
	PriorityPoints(&policy->weights, &in, points);
}

static int
TierOf(const Policy *policy, double score)
{
	if (score >= policy->tier_high)
		return TIER_HIGH;
	if (score >= policy->tier_mid)
		return TIER_MID;
	return TIER_LOW;
}

/* The status and depth, then the model's scores and the priority. */
static void
Assess(FunctionCallInfo fcinfo, AssessCache *cache, Datum *values, bool *nulls)
{
	TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(ARG_AS_OF);
	SummaryFields fields = SummaryArgs(fcinfo);
	Policy	   *policy;
	ModelScores model;
	Status		status;
	const char *depth;
	PriorityResult points;
	int			tier;

	policy = PolicyFind(&cache->policies, fcinfo->flinfo->fn_mcxt,
						PG_GETARG_TEXT_PP(ARG_POLICY), as_of);
	model = ScoreModel(fcinfo, cache);
	if (policy->classify_by_model && model.scored && model.frequency > 0)
		status = StatusByModel(policy, model.p_alive);
	else if (fields.has_last)
		status = StatusOf(&fields, policy, as_of);
	else
		status = STATUS_COUNT;
	depth = fields.has_last ? DepthLabel(&fields, policy) : NULL;

	if (status != STATUS_COUNT)
		values[AF_STATUS] = EnumValue(cache, &cache->status[status], AF_STATUS,
									  status_labels[status]);
	nulls[AF_STATUS] = status == STATUS_COUNT;
	if (depth)
		values[AF_DEPTH] = CStringGetTextDatum(depth);
	nulls[AF_DEPTH] = depth == NULL;
	values[AF_P_ALIVE] = Float8GetDatum(model.p_alive);
	values[AF_EXPECTED_PURCHASES_90D] = Float8GetDatum(model.expected_90d);
	nulls[AF_P_ALIVE] = nulls[AF_EXPECTED_PURCHASES_90D] = !model.scored;
	values[AF_EXPECTED_NEXT_PURCHASE_ON] = DateADTGetDatum(model.next_on);
	nulls[AF_EXPECTED_NEXT_PURCHASE_ON] = !model.has_next;

	if (status != STATUS_AT_RISK && status != STATUS_DORMANT && status != STATUS_LAPSED)
		return;
	ScorePriority(fcinfo, cache, policy, &fields, &points);
	values[AF_SCORE] = Float8GetDatum(points.score);
	values[AF_TRANSACTIONS_POINTS] = Float8GetDatum(points.transactions);
	values[AF_BEHAVIOUR_POINTS] = Float8GetDatum(points.behaviour);
	values[AF_SALES_POINTS] = Float8GetDatum(points.sales);
	values[AF_FIT_POINTS] = Float8GetDatum(points.fit);
	tier = TierOf(policy, points.score);
	values[AF_TIER] = EnumValue(cache, &cache->tier[tier], AF_TIER, tier_labels[tier]);
	for (int f = AF_SCORE; f <= AF_TIER; f++)
		nulls[f] = false;
}

PG_FUNCTION_INFO_V1(dormant_assess);
Datum
dormant_assess(PG_FUNCTION_ARGS)
{
	AssessCache *cache = GetCache(fcinfo);
	Datum		values[ASSESSMENT_FIELDS] = {0};
	bool		nulls[ASSESSMENT_FIELDS];

	if (PG_ARGISNULL(ARG_AS_OF) || PG_ARGISNULL(ARG_TODAY))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("as_of and its day must not be null")));
	for (int f = 0; f < ASSESSMENT_FIELDS; f++)
		nulls[f] = true;

	if (!PG_ARGISNULL(ARG_CHURNED) && PG_GETARG_BOOL(ARG_CHURNED))
	{
		values[AF_STATUS] = EnumValue(cache, &cache->status[STATUS_CHURNED], AF_STATUS,
									  status_labels[STATUS_CHURNED]);
		nulls[AF_STATUS] = false;
	}
	else if (!PG_ARGISNULL(ARG_PURCHASES) && !PG_ARGISNULL(ARG_POLICY))
		Assess(fcinfo, cache, values, nulls);

	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(cache->result, values, nulls)));
}
