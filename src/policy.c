/*
 * policy.c
 *		Rows of dormant.policy, read once per query and policy name.
 *
 * classify(), depth() and assess() run once per customer, so the policy
 * row is looked up through SPI the first time a name is seen in a query and
 * kept in the function's fn_extra until the query ends.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

#include "policy.h"

#define POLICY_QUERY \
	"SELECT at_risk_after, dormant_after, lapsed_after, loyal_silence," \
	" overdue_factor, high_value_amount," \
	" weight_transactions, weight_behaviour, weight_sales, weight_fit," \
	" value_scale, recency_half_life, tier_high, tier_mid," \
	" classify_by OPERATOR(pg_catalog.=) 'model'," \
	" p_alive_at_risk, p_alive_dormant, p_alive_lapsed" \
	" FROM dormant.policy WHERE name OPERATOR(pg_catalog.=) $1"

static Interval
IntervalColumn(HeapTuple tuple, TupleDesc desc, int column)
{
	bool		isnull;
	Datum		value = SPI_getbinval(tuple, desc, column, &isnull);
	Interval	result = {0};

	if (!isnull)
		result = *DatumGetIntervalP(value);
	return result;
}

/* A column that the table's constraints keep from being NULL. */
static Datum
RequiredColumn(HeapTuple tuple, TupleDesc desc, int column)
{
	bool		isnull;
	Datum		value = SPI_getbinval(tuple, desc, column, &isnull);

	if (isnull)
		elog(ERROR, "column %d of dormant.policy is null", column);
	return value;
}

/* The columns that weigh and sort the scores, from column 7 on. */
static void
ReadScoring(Policy *policy, HeapTuple tuple, TupleDesc desc)
{
	PriorityWeights *w = &policy->weights;

	w->transactions = DatumGetFloat8(RequiredColumn(tuple, desc, 7));
	w->behaviour = DatumGetFloat8(RequiredColumn(tuple, desc, 8));
	w->sales = DatumGetFloat8(RequiredColumn(tuple, desc, 9));
	w->fit = DatumGetFloat8(RequiredColumn(tuple, desc, 10));
	w->value_scale = PriorityValueScale(RequiredColumn(tuple, desc, 11));
	w->half_life_days = PriorityHalfLifeDays(RequiredColumn(tuple, desc, 12));
	PriorityWeightsCheck(w);
	policy->tier_high = DatumGetFloat8(RequiredColumn(tuple, desc, 13));
	policy->tier_mid = DatumGetFloat8(RequiredColumn(tuple, desc, 14));
	policy->classify_by_model = DatumGetBool(RequiredColumn(tuple, desc, 15));
	policy->p_alive_at_risk = DatumGetFloat8(RequiredColumn(tuple, desc, 16));
	policy->p_alive_dormant = DatumGetFloat8(RequiredColumn(tuple, desc, 17));
	policy->p_alive_lapsed = DatumGetFloat8(RequiredColumn(tuple, desc, 18));
}

static Policy *
PolicyLoad(const char *name, MemoryContext mcxt)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1] = {CStringGetTextDatum(name)};
	Policy	   *policy;
	HeapTuple	tuple;
	TupleDesc	desc;
	Datum		value;
	bool		isnull;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args(POLICY_QUERY, 1, argtypes, args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read dormant.policy");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("policy \"%s\" does not exist", name),
				 errhint("The policies are the rows of dormant.policy.")));

	tuple = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;
	policy = MemoryContextAllocZero(mcxt, sizeof(Policy));
	policy->name = MemoryContextStrdup(mcxt, name);
	policy->at_risk_after = IntervalColumn(tuple, desc, 1);
	policy->dormant_after = IntervalColumn(tuple, desc, 2);
	policy->lapsed_after = IntervalColumn(tuple, desc, 3);
	policy->loyal_silence = IntervalColumn(tuple, desc, 4);
	value = SPI_getbinval(tuple, desc, 5, &isnull);
	policy->overdue_factor = isnull ? 0 : DatumGetFloat8(value);
	value = SPI_getbinval(tuple, desc, 6, &isnull);
	if (!isnull)
	{
		MemoryContext old = MemoryContextSwitchTo(mcxt);

		policy->high_value_amount = DatumGetNumericCopy(value);
		MemoryContextSwitchTo(old);
	}
	ReadScoring(policy, tuple, desc);

	SPI_finish();
	return policy;
}

static TimestampTz
Before(TimestampTz as_of, Interval *span)
{
	return DatumGetTimestampTz(DirectFunctionCall2(timestamptz_mi_interval,
												   TimestampTzGetDatum(as_of),
												   IntervalPGetDatum(span)));
}

static void
PolicySetAsOf(Policy *policy, TimestampTz as_of)
{
	if (policy->have_cutoffs && policy->as_of == as_of)
		return;
	if (TIMESTAMP_NOT_FINITE(as_of))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of must be finite")));
	policy->at_risk_cutoff = Before(as_of, &policy->at_risk_after);
	policy->dormant_cutoff = Before(as_of, &policy->dormant_after);
	policy->lapsed_cutoff = Before(as_of, &policy->lapsed_after);
	policy->loyal_cutoff = Before(as_of, &policy->loyal_silence);
	policy->as_of = as_of;
	policy->have_cutoffs = true;
}

/*
 * The named policy with its cutoffs for as_of.  The cache is a list that the
 * caller keeps in mcxt, typically for the rest of the query.
 */
Policy *
PolicyFind(List **cache, MemoryContext mcxt, text *name, TimestampTz as_of)
{
	char	   *wanted = text_to_cstring(name);
	Policy	   *policy = NULL;
	ListCell   *cell;

	foreach(cell, *cache)
	{
		Policy	   *candidate = (Policy *) lfirst(cell);

		if (strcmp(candidate->name, wanted) == 0)
		{
			policy = candidate;
			break;
		}
	}
	if (policy == NULL)
	{
		MemoryContext old;

		policy = PolicyLoad(wanted, mcxt);
		old = MemoryContextSwitchTo(mcxt);
		*cache = lappend(*cache, policy);
		MemoryContextSwitchTo(old);
	}
	pfree(wanted);
	PolicySetAsOf(policy, as_of);
	return policy;
}
