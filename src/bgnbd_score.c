/*
 * bgnbd_score.c
 *		Scoring customers with fitted BG/NBD parameters: dormant.p_alive,
 *		dormant.expected_purchases and dormant.expected_next_purchase.
 *
 * All three rest on the odds that a customer has dropped out by T,
 *
 *	P(dead) / P(alive) = [x > 0] a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x)
 *
 * (Fader, Hardie and Lee 2005, equation 8), kept as a logarithm so that x
 * in the tens of thousands gives probabilities near 0, not NaN.  With
 * x = 0 the model says the customer is alive: in BG/NBD dropout happens
 * only right after a purchase.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/typcache.h"

#include "bgnbd.h"

/* not every math.h defines it */
#ifndef M_LN2
#define M_LN2 0.69314718055994530942
#endif

static const char *const param_names[BGNBD_PARAMS] = {"r", "alpha", "a", "b"};

/*
 * The parameters come as a dormant.bgnbd_params value, usually the same one
 * in every row, so the last one read is kept with its bytes in fn_extra and
 * reused while the bytes stay the same.
 */
typedef struct ParamsCache
{
	Oid			typid;
	int32		typmod;
	TupleDesc	tupdesc;
	uint32		length;			/* of the tuple in bytes, 0 if none yet */
	char	   *bytes;
	BgnbdParams params;
} ParamsCache;

static void
ReadParams(ParamsCache *cache, HeapTupleHeader tuple, MemoryContext mcxt)
{
	HeapTupleData tmp;
	double		values[BGNBD_PARAMS];

	if (cache->tupdesc == NULL ||
		cache->typid != HeapTupleHeaderGetTypeId(tuple) ||
		cache->typmod != HeapTupleHeaderGetTypMod(tuple))
	{
		TupleDesc	tupdesc = lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(tuple),
													 HeapTupleHeaderGetTypMod(tuple));
		MemoryContext old = MemoryContextSwitchTo(mcxt);

		cache->tupdesc = CreateTupleDescCopy(tupdesc);
		MemoryContextSwitchTo(old);
		ReleaseTupleDesc(tupdesc);
		if (cache->tupdesc->natts < BGNBD_PARAMS)
			elog(ERROR, "dormant.bgnbd_params has %d fields, expected at least %d",
				 cache->tupdesc->natts, BGNBD_PARAMS);
		for (int i = 0; i < BGNBD_PARAMS; i++)
			if (TupleDescAttr(cache->tupdesc, i)->atttypid != FLOAT8OID)
				elog(ERROR, "field %d of dormant.bgnbd_params is not double precision", i + 1);
		cache->typid = HeapTupleHeaderGetTypeId(tuple);
		cache->typmod = HeapTupleHeaderGetTypMod(tuple);
	}

	tmp.t_len = HeapTupleHeaderGetDatumLength(tuple);
	ItemPointerSetInvalid(&tmp.t_self);
	tmp.t_tableOid = InvalidOid;
	tmp.t_data = tuple;
	for (int i = 0; i < BGNBD_PARAMS; i++)
	{
		bool		isnull;
		Datum		value = heap_getattr(&tmp, i + 1, cache->tupdesc, &isnull);

		if (isnull)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("BG/NBD parameter %s is null", param_names[i])));
		values[i] = DatumGetFloat8(value);
		if (!(values[i] > 0 && values[i] < get_float8_infinity()))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid BG/NBD parameter %s \"%s\"",
							param_names[i], float8out_internal(values[i])),
					 errdetail("Parameters r, alpha, a and b are finite and positive.")));
	}
	cache->params.r = values[0];
	cache->params.alpha = values[1];
	cache->params.a = values[2];
	cache->params.b = values[3];
}

/* The parameters in a dormant.bgnbd_params value, through a cache in *slot. */
const BgnbdParams *
BgnbdParamsRead(void **slot, HeapTupleHeader tuple, MemoryContext mcxt)
{
	uint32		length = HeapTupleHeaderGetDatumLength(tuple);
	ParamsCache *cache = *slot;

	if (cache == NULL)
		*slot = cache = MemoryContextAllocZero(mcxt, sizeof(ParamsCache));
	if (cache->length == length && memcmp(cache->bytes, tuple, length) == 0)
		return &cache->params;

	cache->length = 0;
	ReadParams(cache, tuple, mcxt);
	if (cache->bytes)
		pfree(cache->bytes);
	cache->bytes = MemoryContextAlloc(mcxt, length);
	memcpy(cache->bytes, tuple, length);
	cache->length = length;
	return &cache->params;
}

static const BgnbdParams *
ParamsArg(FunctionCallInfo fcinfo, int argno)
{
	return BgnbdParamsRead(&fcinfo->flinfo->fn_extra, PG_GETARG_HEAPTUPLEHEADER(argno),
						   fcinfo->flinfo->fn_mcxt);
}

/* log(P(dead) / P(alive)), -infinity when x = 0 */
static double
LogOddsDead(const BgnbdParams *p, int64 frequency, double recency, double age)
{
	double		x = (double) frequency;

	if (frequency == 0)
		return -get_float8_infinity();
	return log(p->a) - log(p->b + x - 1) +
		(p->r + x) * log1p((age - recency) / (p->alpha + recency));
}

/* 1 / (1 + exp(log_odds)), which is 0 when exp overflows, never NaN */
static double
AliveFromOdds(double log_odds)
{
	return 1 / (1 + exp(log_odds));
}

double
BgnbdAlive(const BgnbdParams *params, int64 frequency, double recency, double age)
{
	BgnbdCheckCustomer(frequency, recency, age);
	return AliveFromOdds(LogOddsDead(params, frequency, recency, age));
}

PG_FUNCTION_INFO_V1(dormant_p_alive);
Datum
dormant_p_alive(PG_FUNCTION_ARGS)
{
	int64		frequency = PG_GETARG_INT64(0);
	double		recency = PG_GETARG_FLOAT8(1);
	double		age = PG_GETARG_FLOAT8(2);
	const BgnbdParams *params = ParamsArg(fcinfo, 3);

	PG_RETURN_FLOAT8(BgnbdAlive(params, frequency, recency, age));
}

PG_FUNCTION_INFO_V1(dormant_expected_purchases);
Datum
dormant_expected_purchases(PG_FUNCTION_ARGS)
{
	double		horizon = PG_GETARG_FLOAT8(0);
	int64		frequency = PG_GETARG_INT64(1);
	double		recency = PG_GETARG_FLOAT8(2);
	double		age = PG_GETARG_FLOAT8(3);
	const BgnbdParams *params = ParamsArg(fcinfo, 4);

	PG_RETURN_FLOAT8(BgnbdExpected(params, horizon, frequency, recency, age));
}

double
BgnbdExpected(const BgnbdParams *params, double horizon, int64 frequency,
			  double recency, double age)
{
	double		alive;
	double		expected;

	if (!(horizon >= 0 && horizon < get_float8_infinity()))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid horizon \"%s\"", float8out_internal(horizon)),
				 errdetail("The horizon is a finite time, zero or more.")));
	BgnbdCheckCustomer(frequency, recency, age);

	alive = AliveFromOdds(LogOddsDead(params, frequency, recency, age));
	if (alive == 0)
		return 0;
	expected = alive * BgnbdExpectedIfAlive(params, frequency, age, horizon);
	if (!isfinite(expected))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("expected purchases over horizon \"%s\" are out of range",
						float8out_internal(horizon))));
	return expected;
}

/*
 * The median time to the next purchase: the smallest t with
 * P(a purchase in the next t) >= 1/2.  Alive at T, a customer buys next
 * after an exponential time with the rate's posterior Gamma(r + x,
 * alpha + T) (dropout comes only right after a purchase), so
 *
 *	P(a purchase in the next t) = P(alive) (1 - ((alpha + T) / (alpha + T + t))^(r + x))
 *
 * which rises toward P(alive): it reaches 1/2 only if P(alive) > 1/2, and
 * then at
 *
 *	t = (alpha + T) ((1 - q)^(-1 / (r + x)) - 1),  q = 1 / (2 P(alive)),
 *
 * with 1 - q = (1 - exp(log odds)) / 2.  NULL otherwise.
 */
PG_FUNCTION_INFO_V1(dormant_expected_next_purchase);
Datum
dormant_expected_next_purchase(PG_FUNCTION_ARGS)
{
	int64		frequency = PG_GETARG_INT64(0);
	double		recency = PG_GETARG_FLOAT8(1);
	double		age = PG_GETARG_FLOAT8(2);
	const BgnbdParams *params = ParamsArg(fcinfo, 3);
	double		days;

	if (!BgnbdNextPurchase(params, frequency, recency, age, &days))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(days);
}

bool
BgnbdNextPurchase(const BgnbdParams *params, int64 frequency, double recency,
				  double age, double *days)
{
	double		log_odds;
	double		log_1mq;

	BgnbdCheckCustomer(frequency, recency, age);
	log_odds = LogOddsDead(params, frequency, recency, age);
	if (!(log_odds < 0))
		return false;
	log_1mq = log(-expm1(log_odds)) - M_LN2;
	*days = (params->alpha + age) * expm1(-log_1mq / (params->r + (double) frequency));
	return true;
}
