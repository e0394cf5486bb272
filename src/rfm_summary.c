/*
 * rfm_summary.c
 *		An RfmState as the composite dormant.rfm_summary.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/regproc.h"

#include "rfm_state.h"
#include "result_type.h"

enum SummaryField
{
	FIELD_FIRST_AT,
	FIELD_LAST_AT,
	FIELD_PURCHASES,
	FIELD_PURCHASE_DAYS,
	FIELD_MONETARY,
	FIELD_MEAN_GAP_DAYS,
	FIELD_RECENT_AMOUNT,
	SUMMARY_FIELDS
};

/*
 * The summary of a state, or of no rows at all when state is NULL.  Sorting
 * the day set changes its order only, so the state stays usable.
 */
Datum
RfmStateSummary(RfmState *state, FunctionCallInfo fcinfo)
{
	TupleDesc	tupdesc = CachedResultType(fcinfo, SUMMARY_FIELDS);
	Datum		values[SUMMARY_FIELDS] = {0};
	bool		nulls[SUMMARY_FIELDS] = {0};
	Numeric		monetary = NULL;
	int32		days = 0;

	if (state)
	{
		DaySetCompact(&state->days);
		days = state->days.count;
		monetary = AmountSumResult(&state->monetary);
	}

	nulls[FIELD_FIRST_AT] = nulls[FIELD_LAST_AT] = (days == 0);
	if (days > 0)
	{
		values[FIELD_FIRST_AT] = TimestampTzGetDatum(state->first_at);
		values[FIELD_LAST_AT] = TimestampTzGetDatum(state->last_at);
	}
	values[FIELD_PURCHASES] = Int64GetDatum(state ? state->purchases : 0);
	values[FIELD_PURCHASE_DAYS] = Int64GetDatum(days);
	nulls[FIELD_MONETARY] = (monetary == NULL);
	values[FIELD_MONETARY] = PointerGetDatum(monetary);
	nulls[FIELD_MEAN_GAP_DAYS] = (days < 2);
	if (days >= 2)
		values[FIELD_MEAN_GAP_DAYS] =
			Float8GetDatum((double) (state->days.days[days - 1] - state->days.days[0]) /
						   (days - 1));

	nulls[FIELD_RECENT_AMOUNT] = (monetary == NULL || days == 0);
	if (!nulls[FIELD_RECENT_AMOUNT])
		values[FIELD_RECENT_AMOUNT] =
			NumericGetDatum(AmountUnitsToNumeric(RfmStateRecentAmount(state),
												 Min(state->monetary.dscale, 8)));

	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}
