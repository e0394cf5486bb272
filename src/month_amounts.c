/*
 * month_amounts.c
 *		Amount bought per calendar month (see month_amounts.h).
 */
#include "postgres.h"

#include "utils/datetime.h"
#include "utils/memutils.h"

#include "amount_sum.h"
#include "month_amounts.h"

void
MonthAmountsInit(MonthAmounts *set, MonthAmount *inline_entries, int32 capacity)
{
	set->entries = inline_entries;
	set->count = 0;
	set->capacity = capacity;
	set->last = 0;
	set->allocated = false;
	set->span_start = set->span_end = 0;
}

int32
MonthOfDay(DateADT day)
{
	int			year;
	int			month;
	int			mday;

	j2date(day + POSTGRES_EPOCH_JDATE, &year, &month, &mday);
	return year * 12 + month - 1;
}

static void
Grow(MonthAmounts *set, MemoryContext mcxt)
{
	int32		capacity = Min(Max(set->capacity * 2, 8), MONTHS_KEPT + 1);
	MonthAmount *entries;

	if ((Size) capacity * sizeof(MonthAmount) > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many distinct purchase months for one customer")));
	entries = MemoryContextAlloc(mcxt, capacity * sizeof(MonthAmount));
	memcpy(entries, set->entries, set->count * sizeof(MonthAmount));
	if (set->allocated)
		pfree(set->entries);
	set->entries = entries;
	set->capacity = capacity;
	set->allocated = true;
}

/* Index of the first entry whose month is not before the given one. */
static int32
Position(const MonthAmounts *set, int32 month)
{
	int32		low = 0;
	int32		high = set->count;

	while (low < high)
	{
		int32		middle = low + (high - low) / 2;

		if (set->entries[middle].month < month)
			low = middle + 1;
		else
			high = middle;
	}
	return low;
}

/* Drop the months more than a year before the latest. */
static void
Prune(MonthAmounts *set)
{
	int32		oldest = set->entries[set->count - 1].month - (MONTHS_KEPT - 1);
	int32		gone = 0;

	while (set->entries[gone].month < oldest)
		gone++;
	if (gone == 0)
		return;
	memmove(&set->entries[0], &set->entries[gone],
			(set->count - gone) * sizeof(MonthAmount));
	set->count -= gone;
	set->last -= gone;
}

/*
 * Add an amount to a month; false when the month is more than a year before
 * the latest one, so that it can never count.
 */
bool
MonthAmountsAdd(MonthAmounts *set, int32 month, AmountUnits amount,
				MemoryContext mcxt)
{
	int32		at;

	set->span_start = set->span_end = 0;
	if (set->count > 0 && set->entries[set->last].month == month)
	{
		set->entries[set->last].amount =
			AmountUnitsAdd(set->entries[set->last].amount, amount);
		return true;
	}
	if (set->count > 0 && month < set->entries[set->count - 1].month - (MONTHS_KEPT - 1))
		return false;
	at = Position(set, month);
	if (at < set->count && set->entries[at].month == month)
	{
		set->entries[at].amount = AmountUnitsAdd(set->entries[at].amount, amount);
		set->last = at;
		return true;
	}
	if (set->count == set->capacity)
		Grow(set, mcxt);
	memmove(&set->entries[at + 1], &set->entries[at],
			(set->count - at) * sizeof(MonthAmount));
	set->entries[at].month = month;
	set->entries[at].amount = amount;
	set->count++;
	set->last = at;
	if (at == set->count - 1)
		Prune(set);
	return true;
}

/*
 * Add the amount of a purchase on a day.  A customer's rows tend to come in
 * time order, so the days of the month added to last are kept, and a day
 * within them needs no calendar arithmetic.
 */
void
MonthAmountsAddDay(MonthAmounts *set, DateADT day, AmountUnits amount,
				   MemoryContext mcxt)
{
	int			year;
	int			month;
	int			mday;

	if (set->count > 0 && day >= set->span_start && day < set->span_end)
	{
		set->entries[set->last].amount =
			AmountUnitsAdd(set->entries[set->last].amount, amount);
		return;
	}
	j2date(day + POSTGRES_EPOCH_JDATE, &year, &month, &mday);
	if (!MonthAmountsAdd(set, year * 12 + month - 1, amount, mcxt))
		return;
	set->span_start = day - (mday - 1);
	set->span_end = date2j(month == 12 ? year + 1 : year, month == 12 ? 1 : month + 1, 1)
		- POSTGRES_EPOCH_JDATE;
}

/* Amount of the given month and the months - 1 before it. */
AmountUnits
MonthAmountsRecent(const MonthAmounts *set, int32 last_month, int32 months)
{
	AmountUnits total = 0;

	for (int32 i = Position(set, last_month - months + 1);
		 i < set->count && set->entries[i].month <= last_month; i++)
		total = AmountUnitsAdd(total, set->entries[i].amount);
	return total;
}
