/*
 * priority.c
 *		Reactivation priority of a silent customer, from four axes.
 *
 *	priority_points(amount_before_silence, purchase_days, mean_gap_days,
 *					silence_days, interest, sales, fit, policy)
 *		-> dormant.priority_points (score, transactions, behaviour, sales, fit)
 *
 * Each axis is a value from 0 to 1; the score is their weighted mean on a
 * scale of 0 to 100, and the other fields say how many of its points each
 * axis gave.  The axes:
 *
 *	transactions	value, regularity and frequency of past buying, lowered
 *					by the silence: it halves every recency_half_life
 *					(reactivation is easiest within about a year).
 *						value		a / (a + value_scale), where a is the amount
 *									bought in the 12 months before the silence
 *						regularity	min(1, 30 / mean gap) with 3+ purchase days,
 *									else half that with 2, else 0
 *						frequency	1 - exp(-(purchase_days - 1) / 6)
 *					mixed 0.6, 0.25 and 0.15.
 *	behaviour		1 - exp(-interest / 3), where interest is the weighted
 *					and recency-discounted count of signs of interest.
 *	sales			the last sales event's weight, from 0 to 1.
 *	fit				the customer's fit, 0.5 when unknown.
 *
 * Every part rises with its input, so more revenue, more regular buying,
 * more interest or a better fit never lowers the score.  The function reads
 * only its arguments: immutable, and cheap enough for millions of rows.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "executor/executor.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "priority.h"

/*
 * The policy's fields are found by name once per query, and the weights
 * are worked out again only when the policy row changes: scoring a million
 * customers reads a handful of policies.
 */
enum PolicyField
{
	PF_NAME,
	PF_WEIGHT_TRANSACTIONS,
	PF_WEIGHT_BEHAVIOUR,
	PF_WEIGHT_SALES,
	PF_WEIGHT_FIT,
	PF_VALUE_SCALE,
	PF_RECENCY_HALF_LIFE,
	POLICY_FIELDS
};

static const char *const policy_field_names[POLICY_FIELDS] = {
	"name", "weight_transactions", "weight_behaviour", "weight_sales",
	"weight_fit", "value_scale", "recency_half_life"
};

typedef struct PriorityCache
{
	Oid			type;			/* row type the attribute numbers are for */
	int			attnum[POLICY_FIELDS];
	bytea	   *last_row;		/* the policy row last read, as bytes */
	PriorityWeights weights;	/* and its weights */
	TupleDesc	result;			/* dormant.priority_points, blessed */
} PriorityCache;

/* value_scale, a numeric, as the axis uses it */
double
PriorityValueScale(Datum numeric)
{
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8, numeric));
}

/* recency_half_life, an interval, in days */
double
PriorityHalfLifeDays(Datum interval)
{
	return DatumGetFloat8(DirectFunctionCall2(interval_part,
											  CStringGetTextDatum("epoch"),
											  interval)) / SECS_PER_DAY;
}

void
PriorityWeightsCheck(const PriorityWeights *w)
{
	if (w->transactions < 0 || w->behaviour < 0 || w->sales < 0 || w->fit < 0 ||
		w->transactions + w->behaviour + w->sales + w->fit <= 0 ||
		w->value_scale <= 0 || w->half_life_days <= 0)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("invalid priority settings in policy"),
				errdetail("Weights must not be negative and must not all be zero; value_scale and recency_half_life must be positive."));
}

static double
FieldNumber(HeapTupleHeader policy, int attnum, double otherwise)
{
	bool		isnull;
	Datum		value = GetAttributeByNum(policy, attnum, &isnull);

	return isnull ? otherwise : DatumGetFloat8(value);
}

static PriorityWeights
ReadWeights(HeapTupleHeader policy, const int *attnum)
{
	PriorityWeights w;
	bool		isnull;
	Datum		value;

	w.transactions = FieldNumber(policy, attnum[PF_WEIGHT_TRANSACTIONS], 0);
	w.behaviour = FieldNumber(policy, attnum[PF_WEIGHT_BEHAVIOUR], 0);
	w.sales = FieldNumber(policy, attnum[PF_WEIGHT_SALES], 0);
	w.fit = FieldNumber(policy, attnum[PF_WEIGHT_FIT], 0);
	value = GetAttributeByNum(policy, attnum[PF_VALUE_SCALE], &isnull);
	w.value_scale = isnull ? 0 : PriorityValueScale(value);
	value = GetAttributeByNum(policy, attnum[PF_RECENCY_HALF_LIFE], &isnull);
	w.half_life_days = isnull ? 0 : PriorityHalfLifeDays(value);
	PriorityWeightsCheck(&w);
	return w;
}

static void
FindFields(PriorityCache *cache, HeapTupleHeader policy)
{
	Oid			type = HeapTupleHeaderGetTypeId(policy);
	TupleDesc	desc = lookup_rowtype_tupdesc(type, HeapTupleHeaderGetTypMod(policy));

	for (int f = 0; f < POLICY_FIELDS; f++)
	{
		cache->attnum[f] = 0;
		for (int i = 0; i < desc->natts; i++)
		{
			Form_pg_attribute attr = TupleDescAttr(desc, i);

			if (!attr->attisdropped &&
				strcmp(NameStr(attr->attname), policy_field_names[f]) == 0)
				cache->attnum[f] = attr->attnum;
		}
		if (cache->attnum[f] == 0)
			elog(ERROR, "dormant.policy has no column \"%s\"", policy_field_names[f]);
	}
	ReleaseTupleDesc(desc);
	cache->type = type;
}

/* The weights of a policy row, worked out again only when it changes. */
static PriorityCache *
Cache(FunctionCallInfo fcinfo)
{
	PriorityCache *cache = (PriorityCache *) fcinfo->flinfo->fn_extra;

	if (cache == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		TupleDesc	result;

		if (get_call_result_type(fcinfo, NULL, &result) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type of priority_points must be a row type");
		cache = palloc0(sizeof(PriorityCache));
		cache->result = BlessTupleDesc(CreateTupleDescCopy(result));
		fcinfo->flinfo->fn_extra = cache;
		MemoryContextSwitchTo(old);
	}
	return cache;
}

static PriorityWeights
Weights(FunctionCallInfo fcinfo, HeapTupleHeader policy)
{
	PriorityCache *cache = Cache(fcinfo);
	Size		size = HeapTupleHeaderGetDatumLength(policy);

	if (cache->type != HeapTupleHeaderGetTypeId(policy))
	{
		FindFields(cache, policy);
		cache->last_row = NULL;
	}
	if (cache->last_row == NULL || VARSIZE(cache->last_row) != VARHDRSZ + size ||
		memcmp(VARDATA(cache->last_row), policy, size) != 0)
	{
		PriorityWeights w = ReadWeights(policy, cache->attnum);

		if (cache->last_row)
			pfree(cache->last_row);
		cache->last_row = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, VARHDRSZ + size);
		SET_VARSIZE(cache->last_row, VARHDRSZ + size);
		memcpy(VARDATA(cache->last_row), policy, size);
		cache->weights = w;
	}
	return cache->weights;
}

static double
Clamp01(double x)
{
	return x < 0 ? 0 : (x > 1 ? 1 : x);
}

static double
TransactionsAxis(double amount, int64 purchase_days, double mean_gap,
				 bool has_gap, double silence_days, const PriorityWeights *w)
{
	double		value = amount > 0 ? amount / (amount + w->value_scale) : 0;
	double		regularity = 0;
	double		frequency;
	double		recency;

	if (has_gap && mean_gap > 0 && purchase_days >= 2)
		regularity = Min(1.0, 30.0 / mean_gap) * (purchase_days >= 3 ? 1.0 : 0.5);
	frequency = purchase_days > 1 ? 1 - exp(-(double) (purchase_days - 1) / 6) : 0;
	recency = pow(0.5, Max(silence_days, 0) / w->half_life_days);
	return Clamp01((0.6 * value + 0.25 * regularity + 0.15 * frequency) * recency);
}

void
PriorityPoints(const PriorityWeights *w, const PriorityInputs *in,
			   PriorityResult *out)
{
	double		axes[4];
	double		total;

	axes[0] = TransactionsAxis(in->amount, in->purchase_days, in->mean_gap_days,
							   in->has_mean_gap, in->silence_days, w);
	axes[1] = in->has_interest ? 1 - exp(-Max(in->interest, 0) / 3) : 0;
	axes[2] = in->has_sales ? Clamp01(in->sales) : 0;
	axes[3] = in->has_fit ? Clamp01(in->fit) : 0.5;

	total = w->transactions + w->behaviour + w->sales + w->fit;
	out->transactions = 100 * w->transactions * axes[0] / total;
	out->behaviour = 100 * w->behaviour * axes[1] / total;
	out->sales = 100 * w->sales * axes[2] / total;
	out->fit = 100 * w->fit * axes[3] / total;
	out->score = out->transactions + out->behaviour + out->sales + out->fit;
}

/* Arguments that are NULL count as no signal; the policy must be given. */
PG_FUNCTION_INFO_V1(dormant_priority_points);
Datum
dormant_priority_points(PG_FUNCTION_ARGS)
{
	PriorityWeights w;
	PriorityInputs in;
	PriorityResult points;
	Datum		values[5];
	bool		nulls[5] = {false};

	if (PG_ARGISNULL(7))
		PG_RETURN_NULL();
	w = Weights(fcinfo, PG_GETARG_HEAPTUPLEHEADER(7));

	in.amount = PG_ARGISNULL(0) ? 0 : PG_GETARG_FLOAT8(0);
	in.purchase_days = PG_ARGISNULL(1) ? 0 : PG_GETARG_INT64(1);
	in.has_mean_gap = !PG_ARGISNULL(2);
	in.mean_gap_days = PG_ARGISNULL(2) ? 0 : PG_GETARG_FLOAT8(2);
	in.silence_days = PG_ARGISNULL(3) ? 0 : PG_GETARG_FLOAT8(3);
	in.has_interest = !PG_ARGISNULL(4);
	in.interest = PG_ARGISNULL(4) ? 0 : PG_GETARG_FLOAT8(4);
	in.has_sales = !PG_ARGISNULL(5);
	in.sales = PG_ARGISNULL(5) ? 0 : PG_GETARG_FLOAT8(5);
	in.has_fit = !PG_ARGISNULL(6);
	in.fit = PG_ARGISNULL(6) ? 0 : PG_GETARG_FLOAT4(6);
	PriorityPoints(&w, &in, &points);

	values[0] = Float8GetDatum(points.score);
	values[1] = Float8GetDatum(points.transactions);
	values[2] = Float8GetDatum(points.behaviour);
	values[3] = Float8GetDatum(points.sales);
	values[4] = Float8GetDatum(points.fit);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(Cache(fcinfo)->result, values, nulls)));
}
