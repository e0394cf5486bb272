/*
 * rfm_agg.c
 *		Support functions of the aggregates dormant.rfm_agg and
 *		dormant.rfm_state_agg: transition, combine, serialize, deserialize
 *		and the two final functions.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/regproc.h"

#include "aggregate_context.h"
#include "rfm_state.h"

#define StateArg(n) (PG_ARGISNULL(n) ? NULL : (RfmState *) PG_GETARG_POINTER(n))

/* Rows with a NULL time are left out entirely. */
PG_FUNCTION_INFO_V1(dormant_rfm_agg_trans);
Datum
dormant_rfm_agg_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = AggregateContext(fcinfo);
	RfmState   *state = StateArg(0);

	if (!PG_ARGISNULL(1))
	{
		if (state == NULL)
			state = RfmStateCreate(aggcontext);
		RfmStateAddRow(state, PG_GETARG_TIMESTAMPTZ(1),
					   PG_ARGISNULL(2) ? (Datum) 0 : PG_GETARG_DATUM(2),
					   PG_ARGISNULL(2));
	}
	if (state == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(dormant_rfm_agg_combine);
Datum
dormant_rfm_agg_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = AggregateContext(fcinfo);
	RfmState   *into = StateArg(0);
	RfmState   *from = StateArg(1);

	if (from == NULL)
	{
		if (into == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(into);
	}
	if (into == NULL)
		PG_RETURN_POINTER(RfmStateCopy(from, aggcontext));
	RfmStateMerge(into, from);
	PG_RETURN_POINTER(into);
}

PG_FUNCTION_INFO_V1(dormant_rfm_agg_serial);
Datum
dormant_rfm_agg_serial(PG_FUNCTION_ARGS)
{
	(void) AggregateContext(fcinfo);
	PG_RETURN_BYTEA_P(RfmStateEncode((RfmState *) PG_GETARG_POINTER(0)));
}

PG_FUNCTION_INFO_V1(dormant_rfm_agg_deserial);
Datum
dormant_rfm_agg_deserial(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);

	(void) AggregateContext(fcinfo);
	PG_RETURN_POINTER(RfmStateDecode(VARDATA_ANY(bytes), VARSIZE_ANY_EXHDR(bytes),
									 CurrentMemoryContext,
									 ERRCODE_INVALID_BINARY_REPRESENTATION));
}

/* Final function of rfm_agg: a summary even for a group without rows. */
PG_FUNCTION_INFO_V1(dormant_rfm_agg_final);
Datum
dormant_rfm_agg_final(PG_FUNCTION_ARGS)
{
	(void) AggregateContext(fcinfo);
	return RfmStateSummary(StateArg(0), fcinfo);
}

/* Final function of rfm_state_agg and rfm_merge: the SQL-visible state. */
PG_FUNCTION_INFO_V1(dormant_rfm_state_final);
Datum
dormant_rfm_state_final(PG_FUNCTION_ARGS)
{
	RfmState   *state = StateArg(0);

	if (state == NULL)
		state = RfmStateCreate(CurrentMemoryContext);
	PG_RETURN_BYTEA_P(RfmStateEncode(state));
}
