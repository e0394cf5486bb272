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

extern Calendar ReadCalendar(ArrayType *holidays);
extern DateADT BusinessDay(const Calendar *calendar, DateADT day);
extern DateADT BudgetWindow(DateADT day, int fiscal_year_end);

#endif							/* DORMANT_CALENDAR_H */
