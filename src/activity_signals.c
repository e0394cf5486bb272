/*
 * activity_signals.c
 *		A customer's signals from the bound activities, in one pass.
 *
 *	activity_signals(occurred_at, kind, since, as_of_epoch, seconds, as_of)
 *		-> dormant.activity_signals, an aggregate over a customer's rows:
 *
 *		last_activity_at	the latest activity of a kind dormant.activity_kind
 *							lists
 *		churned_at			the latest of axis churn
 *		last_interest_at	the latest of another axis
 *		interest			over behaviour activities after since and up to
 *							as_of: the sum of weight * (1 - age / window),
 *							age = as_of_epoch - the activity's epoch, window =
 *							seconds (so the interest of an activity fades
 *							linearly over the policy's interest window)
 *		left_for_competitor	whether any is a competitor_switch
 *		sales, last_sales_event
 *							the weight and kind of the latest sales activity
 *							up to as_of (the first kind in the argument's
 *							collation, on a tie)
 *
 * Activities of other kinds are ignored; a customer with none of a listed
 * kind gets NULL everywhere.  The kinds are read once per query.  This is
 * what a join with activity_kind, five filtered aggregates and a DISTINCT ON
 * over the sales events computed, rounding for rounding (the interest is
 * summed in the order the rows come, as sum() does), in one pass instead of
 * two over what can be millions of activities.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/timestamp.h"
#include "utils/varlena.h"

#include "activity_kind.h"
#include "aggregate_context.h"
#include "result_type.h"

typedef struct SignalState
{
	bool		any;			/* a row of a listed kind */
	bool		has_last;
	TimestampTz last_activity_at;
	bool		has_churn;
	TimestampTz churned_at;
	bool		has_interest_at;
	TimestampTz last_interest_at;
	bool		has_interest;
	float8		interest;
	bool		competitor;
	bool		has_sales;		/* the latest sales activity up to as_of: */
	TimestampTz sales_at;
	float4		sales_weight;
	int			sales_kind_length;
	const char *sales_kind;		/* in the kind table, or in aggcontext */
} SignalState;

/* The arguments, by position. */
enum
{
	ARG_STATE,
	ARG_OCCURRED_AT,
	ARG_KIND,
	ARG_SINCE,
	ARG_AS_OF_EPOCH,
	ARG_SECONDS,
	ARG_AS_OF
};

/* What the transition function keeps for the rest of its query, in fn_extra. */
typedef struct SignalsQuery
{
	KindTable  *kinds;
	Datum		epoch;			/* the text 'epoch', for date_part */
} SignalsQuery;

static SignalsQuery *
GetQuery(FunctionCallInfo fcinfo)
{
	SignalsQuery *query = fcinfo->flinfo->fn_extra;

	if (query == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		query = palloc(sizeof(SignalsQuery));
		query->kinds = LoadActivityKinds(fcinfo->flinfo->fn_mcxt);
		query->epoch = CStringGetTextDatum("epoch");
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = query;
	}
	return query;
}

/* weight * (1 - (as_of_epoch - epoch) / seconds), as the SQL operators compute it */
static float8
Interest(FunctionCallInfo fcinfo, const Kind *kind, TimestampTz at)
{
	Datum		epoch = DirectFunctionCall2(timestamptz_part, GetQuery(fcinfo)->epoch,
											TimestampTzGetDatum(at));
	float8		age = float8_mi(PG_GETARG_FLOAT8(ARG_AS_OF_EPOCH), DatumGetFloat8(epoch));

	return (float8) kind->weight *
		float8_mi(1.0, float8_div(age, PG_GETARG_FLOAT8(ARG_SECONDS)));
}

/*
 * Keeps a sales event if it is later than the one kept, or on the same
 * instant of a kind that comes first in the argument's collation.
 */
static void
KeepSales(FunctionCallInfo fcinfo, SignalState *state, TimestampTz at,
		  float4 weight, const char *kind, int length)
{
	if (state->has_sales &&
		(at < state->sales_at ||
		 (at == state->sales_at &&
		  varstr_cmp(kind, length, state->sales_kind, state->sales_kind_length,
					 PG_GET_COLLATION()) >= 0)))
		return;
	state->has_sales = true;
	state->sales_at = at;
	state->sales_weight = weight;
	state->sales_kind = kind;
	state->sales_kind_length = length;
}

static void
AddSales(FunctionCallInfo fcinfo, SignalState *state, const Kind *kind, TimestampTz at)
{
	if (PG_ARGISNULL(ARG_AS_OF) || at > PG_GETARG_TIMESTAMPTZ(ARG_AS_OF))
		return;
	KeepSales(fcinfo, state, at, kind->weight, kind->name, kind->length);
}

static void
AddBehaviour(FunctionCallInfo fcinfo, SignalState *state, const Kind *kind, TimestampTz at)
{
	float8		value;

	if (PG_ARGISNULL(ARG_AS_OF) || PG_ARGISNULL(ARG_SINCE) ||
		PG_ARGISNULL(ARG_AS_OF_EPOCH) || PG_ARGISNULL(ARG_SECONDS) ||
		at > PG_GETARG_TIMESTAMPTZ(ARG_AS_OF) || at <= PG_GETARG_TIMESTAMPTZ(ARG_SINCE))
		return;
	value = Interest(fcinfo, kind, at);
	state->interest = state->has_interest ? float8_pl(state->interest, value) : value;
	state->has_interest = true;
}

static void
AddActivity(FunctionCallInfo fcinfo, SignalState *state, const Kind *kind, TimestampTz at)
{
	if (!state->has_last || at > state->last_activity_at)
		state->last_activity_at = at;
	state->has_last = true;
	if (kind->axis == AXIS_CHURN)
	{
		if (!state->has_churn || at > state->churned_at)
			state->churned_at = at;
		state->has_churn = true;
		return;
	}
	if (!state->has_interest_at || at > state->last_interest_at)
		state->last_interest_at = at;
	state->has_interest_at = true;
	if (kind->axis == AXIS_SALES)
		AddSales(fcinfo, state, kind, at);
	else
		AddBehaviour(fcinfo, state, kind, at);
}

PG_FUNCTION_INFO_V1(dormant_activity_signals_trans);
Datum
dormant_activity_signals_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = AggregateContext(fcinfo);
	SignalState *state = PG_ARGISNULL(ARG_STATE) ? NULL :
		(SignalState *) PG_GETARG_POINTER(ARG_STATE);
	const Kind *kind;

	if (state == NULL)
		state = MemoryContextAllocZero(aggcontext, sizeof(SignalState));
	if (PG_ARGISNULL(ARG_KIND))
		PG_RETURN_POINTER(state);
	kind = FindActivityKind(GetQuery(fcinfo)->kinds, PG_GETARG_TEXT_PP(ARG_KIND));
	if (kind == NULL)
		PG_RETURN_POINTER(state);

	state->any = true;
	state->competitor = state->competitor || kind->competitor_switch;
	if (!PG_ARGISNULL(ARG_OCCURRED_AT))
		AddActivity(fcinfo, state, kind, PG_GETARG_TIMESTAMPTZ(ARG_OCCURRED_AT));
	PG_RETURN_POINTER(state);
}

/* The later of two optional times. */
static void
KeepLatest(bool *has, TimestampTz *at, bool other_has, TimestampTz other)
{
	if (other_has && (!*has || other > *at))
		*at = other;
	*has = *has || other_has;
}

/*
 * Partial states from parallel workers or shards.  The interest is summed
 * in another order than a serial pass would, as sum() does in parallel.
 */
PG_FUNCTION_INFO_V1(dormant_activity_signals_combine);
Datum
dormant_activity_signals_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = AggregateContext(fcinfo);
	SignalState *into = PG_ARGISNULL(0) ? NULL : (SignalState *) PG_GETARG_POINTER(0);
	SignalState *from = PG_ARGISNULL(1) ? NULL : (SignalState *) PG_GETARG_POINTER(1);

	if (from == NULL)
	{
		if (into == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(into);
	}
	if (into == NULL)
	{
		into = MemoryContextAlloc(aggcontext, sizeof(SignalState));
		*into = *from;
		PG_RETURN_POINTER(into);
	}
	into->any = into->any || from->any;
	KeepLatest(&into->has_last, &into->last_activity_at, from->has_last, from->last_activity_at);
	KeepLatest(&into->has_churn, &into->churned_at, from->has_churn, from->churned_at);
	KeepLatest(&into->has_interest_at, &into->last_interest_at,
			   from->has_interest_at, from->last_interest_at);
	if (from->has_interest)
		into->interest = into->has_interest ? float8_pl(into->interest, from->interest) :
			from->interest;
	into->has_interest = into->has_interest || from->has_interest;
	into->competitor = into->competitor || from->competitor;
	if (from->has_sales)
		KeepSales(fcinfo, into, from->sales_at, from->sales_weight, from->sales_kind,
				  from->sales_kind_length);
	PG_RETURN_POINTER(into);
}

/* The flags of a serialized state, in its first byte. */
#define SF_ANY			0x01
#define SF_HAS_LAST		0x02
#define SF_HAS_CHURN	0x04
#define SF_HAS_INTEREST_AT 0x08
#define SF_HAS_INTEREST 0x10
#define SF_COMPETITOR	0x20
#define SF_HAS_SALES	0x40

PG_FUNCTION_INFO_V1(dormant_activity_signals_serial);
Datum
dormant_activity_signals_serial(PG_FUNCTION_ARGS)
{
	SignalState *state = (SignalState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, (state->any ? SF_ANY : 0) | (state->has_last ? SF_HAS_LAST : 0) |
				(state->has_churn ? SF_HAS_CHURN : 0) |
				(state->has_interest_at ? SF_HAS_INTEREST_AT : 0) |
				(state->has_interest ? SF_HAS_INTEREST : 0) |
				(state->competitor ? SF_COMPETITOR : 0) | (state->has_sales ? SF_HAS_SALES : 0));
	pq_sendint64(&buf, state->last_activity_at);
	pq_sendint64(&buf, state->churned_at);
	pq_sendint64(&buf, state->last_interest_at);
	pq_sendfloat8(&buf, state->interest);
	pq_sendint64(&buf, state->sales_at);
	pq_sendfloat4(&buf, state->sales_weight);
	pq_sendint32(&buf, state->has_sales ? state->sales_kind_length : 0);
	if (state->has_sales)
		pq_sendbytes(&buf, state->sales_kind, state->sales_kind_length);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(dormant_activity_signals_deserial);
Datum
dormant_activity_signals_deserial(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = AggregateContext(fcinfo);
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	SignalState *state = MemoryContextAllocZero(aggcontext, sizeof(SignalState));
	StringInfoData buf;
	int			flags;

	buf.data = VARDATA_ANY(bytes);
	buf.len = VARSIZE_ANY_EXHDR(bytes);
	buf.maxlen = buf.len;
	buf.cursor = 0;
	flags = pq_getmsgbyte(&buf);
	state->any = (flags & SF_ANY) != 0;
	state->has_last = (flags & SF_HAS_LAST) != 0;
	state->has_churn = (flags & SF_HAS_CHURN) != 0;
	state->has_interest_at = (flags & SF_HAS_INTEREST_AT) != 0;
	state->has_interest = (flags & SF_HAS_INTEREST) != 0;
	state->competitor = (flags & SF_COMPETITOR) != 0;
	state->has_sales = (flags & SF_HAS_SALES) != 0;
	state->last_activity_at = pq_getmsgint64(&buf);
	state->churned_at = pq_getmsgint64(&buf);
	state->last_interest_at = pq_getmsgint64(&buf);
	state->interest = pq_getmsgfloat8(&buf);
	state->sales_at = pq_getmsgint64(&buf);
	state->sales_weight = pq_getmsgfloat4(&buf);
	state->sales_kind_length = pq_getmsgint(&buf, 4);
	if (state->sales_kind_length < 0 || state->sales_kind_length > buf.len - buf.cursor)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid activity_signals state")));
	state->sales_kind = MemoryContextAlloc(aggcontext, state->sales_kind_length + 1);
	memcpy((char *) state->sales_kind, pq_getmsgbytes(&buf, state->sales_kind_length),
		   state->sales_kind_length);
	((char *) state->sales_kind)[state->sales_kind_length] = '\0';
	pq_getmsgend(&buf);
	PG_RETURN_POINTER(state);
}

/* Fields of dormant.activity_signals, in order. */
enum
{
	SF_LAST_ACTIVITY_AT,
	SF_CHURNED_AT,
	SF_LAST_INTEREST_AT,
	SF_INTEREST,
	SF_LEFT_FOR_COMPETITOR,
	SF_SALES,
	SF_LAST_SALES_EVENT,
	SIGNAL_FIELDS
};

PG_FUNCTION_INFO_V1(dormant_activity_signals_final);
Datum
dormant_activity_signals_final(PG_FUNCTION_ARGS)
{
	SignalState *state = PG_ARGISNULL(0) ? NULL : (SignalState *) PG_GETARG_POINTER(0);
	TupleDesc	desc = CachedResultType(fcinfo, SIGNAL_FIELDS);
	Datum		values[SIGNAL_FIELDS] = {0};
	bool		nulls[SIGNAL_FIELDS];

	for (int f = 0; f < SIGNAL_FIELDS; f++)
		nulls[f] = true;
	if (state != NULL && state->any)
	{
		values[SF_LAST_ACTIVITY_AT] = TimestampTzGetDatum(state->last_activity_at);
		nulls[SF_LAST_ACTIVITY_AT] = !state->has_last;
		values[SF_CHURNED_AT] = TimestampTzGetDatum(state->churned_at);
		nulls[SF_CHURNED_AT] = !state->has_churn;
		values[SF_LAST_INTEREST_AT] = TimestampTzGetDatum(state->last_interest_at);
		nulls[SF_LAST_INTEREST_AT] = !state->has_interest_at;
		values[SF_INTEREST] = Float8GetDatum(state->interest);
		nulls[SF_INTEREST] = !state->has_interest;
		values[SF_LEFT_FOR_COMPETITOR] = BoolGetDatum(state->competitor);
		nulls[SF_LEFT_FOR_COMPETITOR] = false;
		if (state->has_sales)
		{
			values[SF_SALES] = Float8GetDatum((float8) state->sales_weight);
			values[SF_LAST_SALES_EVENT] =
				PointerGetDatum(cstring_to_text_with_len(state->sales_kind,
														 state->sales_kind_length));
			nulls[SF_SALES] = nulls[SF_LAST_SALES_EVENT] = false;
		}
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}
