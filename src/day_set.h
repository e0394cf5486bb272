/*
 * day_set.h
 *		The set of distinct calendar days on which a customer bought.
 *
 * Days are appended cheaply and sorted and deduplicated only when the array
 * fills up, so memory stays within twice the number of distinct days however
 * many rows a customer has.
 */
#ifndef DORMANT_DAY_SET_H
#define DORMANT_DAY_SET_H

#include "postgres.h"
#include "utils/date.h"

typedef struct DaySet
{
	DateADT    *days;
	int32		count;			/* days in use */
	int32		capacity;		/* days allocated */
	bool		sorted;			/* days[0..count) strictly increasing */
	bool		allocated;		/* days is a chunk of its own, not inline */
} DaySet;

extern void DaySetInit(DaySet *set, DateADT *inline_days, int32 capacity);
extern void DaySetAdd(DaySet *set, DateADT day, MemoryContext mcxt);
extern void DaySetAddAll(DaySet *set, const DateADT *days, int32 count,
						 MemoryContext mcxt);
extern void DaySetCompact(DaySet *set);
/* qsort() and bsearch() order of DateADT values */
extern int	CompareDays(const void *a, const void *b);

#endif							/* DORMANT_DAY_SET_H */
