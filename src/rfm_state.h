/*
 * rfm_state.h
 *		Per-customer recency, frequency and monetary state.
 *
 * One state per customer group, in one chunk of the aggregate's memory
 * context (the day set grows apart only past its inline days).  The same
 * state is the aggregate's transition value, its partial value between
 * parallel workers, and the SQL type dormant.rfm_state.
 */
#ifndef DORMANT_RFM_STATE_H
#define DORMANT_RFM_STATE_H

#include "postgres.h"
#include "fmgr.h"
#include "utils/timestamp.h"

#include "amount_sum.h"
#include "day_set.h"
#include "month_amounts.h"

#define RFM_INLINE_DAYS 6
#define RFM_INLINE_MONTHS 4

typedef struct RfmState
{
	MemoryContext mcxt;			/* where the state and its parts live */
	int64		purchases;		/* rows with a positive or unknown amount */
	TimestampTz first_at;		/* first and last purchase, if purchases > 0 */
	TimestampTz last_at;
	AmountSum	monetary;		/* net amount of all rows */
	DaySet		days;			/* local days with a purchase */
	MonthAmounts months;		/* amount bought per local month */
	DateADT		inline_days[RFM_INLINE_DAYS];
	MonthAmount inline_months[RFM_INLINE_MONTHS];
} RfmState;

extern RfmState *RfmStateCreate(MemoryContext mcxt);
extern RfmState *RfmStateCopy(const RfmState *from, MemoryContext mcxt);
extern void RfmStateAddRow(RfmState *state, TimestampTz occurred_at,
						   Datum amount, bool amount_isnull);
extern void RfmStateMerge(RfmState *into, const RfmState *from);

/* in rfm_codec.c: the serialized form */
extern bytea *RfmStateEncode(RfmState *state);
extern RfmState *RfmStateDecode(const char *data, int length,
								MemoryContext mcxt, int sqlstate);

/* Amount bought in the last purchase's month and the 11 before it. */
extern AmountUnits RfmStateRecentAmount(RfmState *state);

/* in rfm_summary.c: the dormant.rfm_summary composite */
extern Datum RfmStateSummary(RfmState *state, FunctionCallInfo fcinfo);

#ifdef USE_ASSERT_CHECKING
extern void DormantCheckState(const RfmState *state);
#else
#define DormantCheckState(state) ((void) 0)
#endif

#endif							/* DORMANT_RFM_STATE_H */
