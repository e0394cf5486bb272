/*
 * bgnbd_fit.c
 *		Support functions of the aggregate dormant.bgnbd_fit: transition,
 *		combine, serialize, deserialize and final.
 *
 * The transition function checks each customer and counts it into the
 * state (bgnbd_state.c); the final function maximizes the likelihood over
 * the counted customers (bgnbd_optimize.c) and returns the composite
 * dormant.bgnbd_params.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/float.h"
#include "utils/regproc.h"

#include "aggregate_context.h"
#include "bgnbd_state.h"
#include "result_type.h"

enum ParamsField
{
	FIELD_R,
	FIELD_ALPHA,
	FIELD_A,
	FIELD_B,
	FIELD_LOG_LIKELIHOOD,
	FIELD_PENALTY,
	FIELD_CUSTOMERS,
	FIELD_ITERATIONS,
	FIELD_CONVERGED,
	PARAMS_FIELDS
};

#define StateArg(n) (PG_ARGISNULL(n) ? NULL : (BgnbdState *) PG_GETARG_POINTER(n))

/*
 * Transition of both forms, (frequency, recency, age) and (frequency,
 * recency, age, penalty).  A row with a NULL frequency, recency or age is
 * left out; the penalty must be given.
 */
PG_FUNCTION_INFO_V1(dormant_bgnbd_fit_trans);
Datum
dormant_bgnbd_fit_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = AggregateContext(fcinfo);
	BgnbdState *state = StateArg(0);
	double		penalty = 0;

	if (PG_NARGS() > 4)
	{
		if (PG_ARGISNULL(4))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("penalty must not be null"),
					 errhint("Give 0 for no penalty.")));
		penalty = PG_GETARG_FLOAT8(4);
		BgnbdCheckPenalty(penalty);
	}

	if (!PG_ARGISNULL(1) && !PG_ARGISNULL(2) && !PG_ARGISNULL(3))
	{
		int64		frequency = PG_GETARG_INT64(1);
		double		recency = PG_GETARG_FLOAT8(2);
		double		age = PG_GETARG_FLOAT8(3);

		BgnbdCheckCustomer(frequency, recency, age);
		if (state == NULL)
			state = BgnbdStateCreate(aggcontext, penalty);
		else if (state->penalty != penalty)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("penalty must be the same for every row"),
					 errdetail("Rows have penalties %s and %s.",
							   float8out_internal(state->penalty),
							   float8out_internal(penalty))));
		BgnbdStateAdd(state, frequency, recency, age, 1);
	}
	if (state == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(dormant_bgnbd_fit_combine);
Datum
dormant_bgnbd_fit_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = AggregateContext(fcinfo);
	BgnbdState *into = StateArg(0);
	BgnbdState *from = StateArg(1);

	if (from == NULL)
	{
		if (into == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(into);
	}
	if (into == NULL)
		PG_RETURN_POINTER(BgnbdStateCopy(from, aggcontext));
	BgnbdStateMerge(into, from);
	PG_RETURN_POINTER(into);
}

PG_FUNCTION_INFO_V1(dormant_bgnbd_fit_serial);
Datum
dormant_bgnbd_fit_serial(PG_FUNCTION_ARGS)
{
	(void) AggregateContext(fcinfo);
	PG_RETURN_BYTEA_P(BgnbdStateEncode((BgnbdState *) PG_GETARG_POINTER(0)));
}

PG_FUNCTION_INFO_V1(dormant_bgnbd_fit_deserial);
Datum
dormant_bgnbd_fit_deserial(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);

	(void) AggregateContext(fcinfo);
	PG_RETURN_POINTER(BgnbdStateDecode(VARDATA_ANY(bytes), VARSIZE_ANY_EXHDR(bytes),
									   CurrentMemoryContext));
}

/*
 * The maximum likelihood estimate over all rows, or NULL without rows.  The
 * state is only read, so the final function may run more than once on it.
 */
PG_FUNCTION_INFO_V1(dormant_bgnbd_fit_final);
Datum
dormant_bgnbd_fit_final(PG_FUNCTION_ARGS)
{
	BgnbdState *state;
	BgnbdData	data;
	BgnbdEstimate estimate;
	TupleDesc	tupdesc;
	Datum		values[PARAMS_FIELDS] = {0};
	bool		nulls[PARAMS_FIELDS] = {0};

	(void) AggregateContext(fcinfo);
	state = StateArg(0);
	if (state == NULL)
		PG_RETURN_NULL();
	tupdesc = CachedResultType(fcinfo, PARAMS_FIELDS);

	BgnbdStateData(state, &data);
	BgnbdMaximize(&data, state->penalty, &estimate);

	values[FIELD_R] = Float8GetDatum(estimate.params.r);
	values[FIELD_ALPHA] = Float8GetDatum(estimate.params.alpha);
	values[FIELD_A] = Float8GetDatum(estimate.params.a);
	values[FIELD_B] = Float8GetDatum(estimate.params.b);
	values[FIELD_LOG_LIKELIHOOD] = Float8GetDatum(estimate.log_likelihood);
	values[FIELD_PENALTY] = Float8GetDatum(state->penalty);
	values[FIELD_CUSTOMERS] = Int64GetDatum(state->customers);
	values[FIELD_ITERATIONS] = Int32GetDatum(estimate.iterations);
	values[FIELD_CONVERGED] = BoolGetDatum(estimate.converged);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
