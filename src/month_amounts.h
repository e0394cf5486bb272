/*
 * month_amounts.h
 *		Amount bought per calendar month, for the amount a customer bought
 *		in the year before falling silent.
 *
 * A sorted array of (month, amount), months counted from year 0, holding
 * only the twelve months up to the latest: the amount is wanted for the
 * year before the last purchase, and the latest month only moves forward as
 * rows and states are added, so older months can never count again.  An
 * insertion sort with a fast path for the last month used is cheap, and a
 * state holds twelve months at the most, however long the history.  Amounts are integer
 * units of 1e-8, as in amount_sum.h, so sums do not depend on the order of
 * rows: amounts with finer digits are cut to 1e-8, and sums saturate
 * instead of overflowing (at about 1e30).
 */
#ifndef DORMANT_MONTH_AMOUNTS_H
#define DORMANT_MONTH_AMOUNTS_H

#include "postgres.h"
#include "utils/date.h"

#include "compat.h"

#define MONTHS_KEPT 12

typedef struct MonthAmount
{
	int32		month;			/* year * 12 + month - 1 */
	AmountUnits amount;		/* in units of 1e-8 */
} MonthAmount;

typedef struct MonthAmounts
{
	MonthAmount *entries;
	int32		count;
	int32		capacity;
	int32		last;			/* index used last, for the fast path */
	bool		allocated;		/* entries is a chunk of its own */
	DateADT		span_start;		/* days of the month at last, when known: */
	DateADT		span_end;		/* [span_start, span_end) */
} MonthAmounts;

extern void MonthAmountsInit(MonthAmounts *set, MonthAmount *inline_entries,
							 int32 capacity);
extern int32 MonthOfDay(DateADT day);
extern bool MonthAmountsAdd(MonthAmounts *set, int32 month, AmountUnits amount,
							MemoryContext mcxt);
extern void MonthAmountsAddDay(MonthAmounts *set, DateADT day, AmountUnits amount,
							   MemoryContext mcxt);
extern AmountUnits MonthAmountsRecent(const MonthAmounts *set, int32 last_month,
									  int32 months);

#endif							/* DORMANT_MONTH_AMOUNTS_H */
