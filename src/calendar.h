/*
 * calendar.h
 *		Business days and budget windows, for dating contacts.
 *
 * A business day is neither a Saturday, a Sunday nor one of the holidays
 * given.  The budget window of a customer whose fiscal year ends in month m
 * is months m - 1, m and m + 1: the two months before the year end (trials
 * and demos) and the first month of the new year (new proposals).
 */
#ifndef DORMANT_CALENDAR_H
#define DORMANT_CALENDAR_H

#include "postgres.h"
#include "utils/array.h"
#include "utils/date.h"

typedef struct Calendar
{
	DateADT    *holidays;		/* sorted */
	int			count;
} Calendar;

/*
 * The calendar of the holidays array last read, with a copy of that array:
 * a function called once per customer with the same holidays reads them
 * once.  Zeroed to start with; kept in the memory given to CachedCalendar.
 */
typedef struct CalendarCache
{
	ArrayType  *holidays;
	Calendar	calendar;
} CalendarCache;

extern Calendar ReadCalendar(ArrayType *holidays);
extern const Calendar *CachedCalendar(CalendarCache *cache, ArrayType *holidays,
									  MemoryContext mcxt);
extern DateADT BusinessDay(const Calendar *calendar, DateADT day);
extern DateADT BudgetWindow(DateADT day, int fiscal_year_end);

#endif							/* DORMANT_CALENDAR_H */
