/*
 * day_set.c
 *		The set of distinct purchase days (see day_set.h).
 */
#include "postgres.h"

#include "utils/memutils.h"

#include "day_set.h"

/* The first chunk of days may live inside the owner's allocation. */
void
DaySetInit(DaySet *set, DateADT *inline_days, int32 capacity)
{
	set->days = inline_days;
	set->count = 0;
	set->capacity = capacity;
	set->sorted = true;
	set->allocated = false;
}

int
CompareDays(const void *a, const void *b)
{
	DateADT		x = *(const DateADT *) a;
	DateADT		y = *(const DateADT *) b;

	return (x > y) - (x < y);
}

/* Sort and drop repeated days. */
void
DaySetCompact(DaySet *set)
{
	int32		kept = 0;

	if (set->sorted)
		return;
	qsort(set->days, set->count, sizeof(DateADT), CompareDays);
	for (int32 i = 0; i < set->count; i++)
	{
		if (kept == 0 || set->days[kept - 1] != set->days[i])
			set->days[kept++] = set->days[i];
	}
	set->count = kept;
	set->sorted = true;
}

/*
 * Make room for "needed" more days.  Compact first, and grow only if the set
 * would still be more than half full: growth then follows distinct days, and
 * a nearly full set is not compacted again on every add.
 */
static void
DaySetReserve(DaySet *set, int32 needed, MemoryContext mcxt)
{
	int64		wanted;
	int64		capacity = Max(set->capacity, 4);
	DateADT    *days;

	if (set->count + needed <= set->capacity)
		return;
	DaySetCompact(set);
	wanted = 2 * ((int64) set->count + needed);
	if (wanted <= set->capacity)
		return;
	while (capacity < wanted)
		capacity *= 2;
	if (capacity > (int64) (MaxAllocSize / sizeof(DateADT)))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many distinct purchase days for one customer")));

	days = MemoryContextAlloc(mcxt, capacity * sizeof(DateADT));
	memcpy(days, set->days, set->count * sizeof(DateADT));
	if (set->allocated)
		pfree(set->days);
	set->days = days;
	set->capacity = (int32) capacity;
	set->allocated = true;
}

void
DaySetAdd(DaySet *set, DateADT day, MemoryContext mcxt)
{
	/* making room may compact, which changes the last day: compare after */
	if (set->count == set->capacity)
		DaySetReserve(set, 1, mcxt);
	if (set->count > 0)
	{
		DateADT		last = set->days[set->count - 1];

		if (last == day)
			return;
		if (last > day)
			set->sorted = false;
	}
	set->days[set->count++] = day;
}

void
DaySetAddAll(DaySet *set, const DateADT *days, int32 count, MemoryContext mcxt)
{
	DaySetReserve(set, count, mcxt);
	for (int32 i = 0; i < count; i++)
		DaySetAdd(set, days[i], mcxt);
}
