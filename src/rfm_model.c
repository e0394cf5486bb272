/*
 * rfm_model.c
 *		The BG/NBD inputs of a stored state, as dormant.model_input.
 *
 * A refresh fits its models on the inputs of every stored state.  Going
 * through dormant.rfm_summarize for them builds the whole summary, with the
 * numerics of the monetary and recent amounts, for three numbers that need
 * only the purchase days and the first and last purchase.
 *
 * The result is what dormant.model_inputs gives for the summary's
 * purchase_days, first_at::date and last_at::date and the same day: the
 * days of first_at and last_at are taken in the session's TimeZone, as the
 * cast to date does, not from the day set, whose days were counted in the
 * TimeZone of the aggregation.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "utils/date.h"

#include "local_day.h"
#include "result_type.h"
#include "rfm_state.h"

enum ModelField
{
	FIELD_FREQUENCY,
	FIELD_RECENCY,
	FIELD_AGE,
	MODEL_FIELDS
};

/* Days from one date to another, as date - date computes them. */
static int32
DaysBetween(DateADT from, DateADT to)
{
	if (DATE_NOT_FINITE(from) || DATE_NOT_FINITE(to))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("cannot subtract infinite dates")));
	return (int32) (to - from);
}

PG_FUNCTION_INFO_V1(dormant_rfm_model_inputs);
Datum
dormant_rfm_model_inputs(PG_FUNCTION_ARGS)
{
	bytea	   *value = PG_GETARG_BYTEA_PP(0);
	DateADT		today = PG_GETARG_DATEADT(1);
	RfmState   *state;
	Datum		values[MODEL_FIELDS];
	bool		nulls[MODEL_FIELDS] = {0};
	DateADT		first_day;
	DateADT		last_day;
	int32		recency;

	/* decoded in full, so that a corrupt state is an error here too */
	state = RfmStateDecode(VARDATA_ANY(value), VARSIZE_ANY_EXHDR(value),
						   CurrentMemoryContext, ERRCODE_DATA_CORRUPTED);
	DaySetCompact(&state->days);
	if (state->days.count == 0)
		PG_RETURN_NULL();

	first_day = LocalDay(state->first_at);
	last_day = LocalDay(state->last_at);
	recency = DaysBetween(first_day, last_day);
	values[FIELD_FREQUENCY] = Int64GetDatum((int64) state->days.count - 1);
	values[FIELD_RECENCY] = Float8GetDatum((double) recency);
	values[FIELD_AGE] = Float8GetDatum((double) Max(DaysBetween(first_day, today), recency));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(CachedResultType(fcinfo, MODEL_FIELDS),
													  values, nulls)));
}
