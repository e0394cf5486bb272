/*
 * rfm_state.c
 *		Building and merging per-customer states (see rfm_state.h).
 */
#include "postgres.h"

#include "common/int.h"

#include "local_day.h"
#include "rfm_state.h"

RfmState *
RfmStateCreate(MemoryContext mcxt)
{
	RfmState   *state = MemoryContextAllocZero(mcxt, sizeof(RfmState));

	state->mcxt = mcxt;
	DaySetInit(&state->days, state->inline_days, RFM_INLINE_DAYS);
	MonthAmountsInit(&state->months, state->inline_months, RFM_INLINE_MONTHS);
	return state;
}

RfmState *
RfmStateCopy(const RfmState *from, MemoryContext mcxt)
{
	RfmState   *state = RfmStateCreate(mcxt);

	RfmStateMerge(state, from);
	return state;
}

/*
 * Add one row.  A positive or unknown (NULL) amount is a purchase; zero and
 * negative amounts (refunds, corrections) change the monetary sum only.
 */
void
RfmStateAddRow(RfmState *state, TimestampTz occurred_at,
			   Datum amount, bool amount_isnull)
{
	AmountUnits units = 0;
	DateADT		day;

	if (TIMESTAMP_NOT_FINITE(occurred_at))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("purchase time must be finite, not %s",
						TIMESTAMP_IS_NOBEGIN(occurred_at) ? "-infinity" : "infinity"),
				 errhint("Leave out rows without a real time, or set it NULL.")));

	if (!amount_isnull &&
		AmountSumAdd(&state->monetary, amount, state->mcxt,
					 &units) != AMOUNT_POSITIVE)
		return;

	if (state->purchases == 0 || occurred_at < state->first_at)
		state->first_at = occurred_at;
	if (state->purchases == 0 || occurred_at > state->last_at)
		state->last_at = occurred_at;
	state->purchases++;
	day = LocalDay(occurred_at);
	DaySetAdd(&state->days, day, state->mcxt);
	MonthAmountsAddDay(&state->months, day, units, state->mcxt);
}

void
RfmStateMerge(RfmState *into, const RfmState *from)
{
	if (from->purchases > 0)
	{
		if (into->purchases == 0 || from->first_at < into->first_at)
			into->first_at = from->first_at;
		if (into->purchases == 0 || from->last_at > into->last_at)
			into->last_at = from->last_at;
		/* only corrupt states come near, but they must not wrap around */
		if (pg_add_s64_overflow(into->purchases, from->purchases, &into->purchases))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("purchase count out of range")));
	}
	AmountSumMerge(&into->monetary, &from->monetary, into->mcxt);
	DaySetAddAll(&into->days, from->days.days, from->days.count, into->mcxt);
	for (int32 i = 0; i < from->months.count; i++)
		MonthAmountsAdd(&into->months, from->months.entries[i].month,
						from->months.entries[i].amount, into->mcxt);
	DormantCheckState(into);
}

AmountUnits
RfmStateRecentAmount(RfmState *state)
{
	DaySetCompact(&state->days);
	if (state->days.count == 0)
		return 0;
	return MonthAmountsRecent(&state->months,
							  MonthOfDay(state->days.days[state->days.count - 1]),
							  12);
}

#ifdef USE_ASSERT_CHECKING
void
DormantCheckState(const RfmState *state)
{
	Assert(state->purchases >= 0);
	Assert(state->days.count <= state->days.capacity);
	Assert(state->days.count <= state->purchases);
	Assert(state->purchases == 0 || state->days.count > 0);
	Assert(state->purchases == 0 || state->first_at <= state->last_at);
	Assert(state->months.count <= state->months.capacity);
	Assert(state->months.count <= MONTHS_KEPT);
	Assert((state->months.count == 0) == (state->purchases == 0));
	for (int32 i = 1; i < state->months.count; i++)
		Assert(state->months.entries[i - 1].month < state->months.entries[i].month);
}
#endif
