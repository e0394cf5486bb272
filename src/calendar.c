/*
 * calendar.c
 *		Business days and budget windows (see calendar.h).
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "datatype/timestamp.h"
#include "utils/datetime.h"
#include "utils/memutils.h"

#include "calendar.h"
#include "day_set.h"

/* The holidays of a date[], sorted; NULL elements are skipped. */
Calendar
ReadCalendar(ArrayType *holidays)
{
	Calendar	calendar = {NULL, 0};
	Datum	   *values;
	bool	   *nulls;
	int			count;

	deconstruct_array(holidays, DATEOID, sizeof(DateADT), true, TYPALIGN_INT,
					  &values, &nulls, &count);
	calendar.holidays = palloc(Max(count, 1) * sizeof(DateADT));
	for (int i = 0; i < count; i++)
	{
		if (!nulls[i])
			calendar.holidays[calendar.count++] = DatumGetDateADT(values[i]);
	}
	qsort(calendar.holidays, calendar.count, sizeof(DateADT), CompareDays);
	return calendar;
}

/*
 * The calendar of holidays, read again only when they differ from the last
 * ones: byte for byte, which the same array passed again always is.
 */
const Calendar *
CachedCalendar(CalendarCache *cache, ArrayType *holidays, MemoryContext mcxt)
{
	Calendar	read;

	if (cache->holidays != NULL &&
		VARSIZE(cache->holidays) == VARSIZE(holidays) &&
		memcmp(cache->holidays, holidays, VARSIZE(holidays)) == 0)
		return &cache->calendar;
	if (cache->holidays != NULL)
	{
		pfree(cache->holidays);
		pfree(cache->calendar.holidays);
	}
	read = ReadCalendar(holidays);
	cache->holidays = MemoryContextAlloc(mcxt, VARSIZE(holidays));
	memcpy(cache->holidays, holidays, VARSIZE(holidays));
	cache->calendar.count = read.count;
	cache->calendar.holidays = MemoryContextAlloc(mcxt, Max(read.count, 1) * sizeof(DateADT));
	memcpy(cache->calendar.holidays, read.holidays, read.count * sizeof(DateADT));
	pfree(read.holidays);
	return &cache->calendar;
}

static bool
IsHoliday(const Calendar *calendar, DateADT day)
{
	return bsearch(&day, calendar->holidays, calendar->count,
				   sizeof(DateADT), CompareDays) != NULL;
}

/* The day itself if it is a business day, else the next one. */
DateADT
BusinessDay(const Calendar *calendar, DateADT day)
{
	for (;;)
	{
		int			weekday;

		if (!IS_VALID_DATE(day))
			ereport(ERROR,
					errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					errmsg("contact date out of range"));
		/* j2day: 0 is Sunday, 6 is Saturday */
		weekday = j2day(day + POSTGRES_EPOCH_JDATE);
		if (weekday != 0 && weekday != 6 && !IsHoliday(calendar, day))
			return day;
		day++;
	}
}

/* The first day on or after day in the months around the fiscal year end. */
DateADT
BudgetWindow(DateADT day, int fiscal_year_end)
{
	int			year;
	int			month;
	int			mday;

	j2date(day + POSTGRES_EPOCH_JDATE, &year, &month, &mday);
	for (int step = 0; step < 12; step++)
	{
		/* months from the fiscal year end month, -1, 0 or 1 in the window */
		int			distance = ((month - fiscal_year_end) % 12 + 12 + 1) % 12 - 1;

		if (distance <= 1)
			return step == 0 ? day : date2j(year, month, 1) - POSTGRES_EPOCH_JDATE;
		if (++month > 12)
		{
			month = 1;
			year++;
		}
	}
	pg_unreachable();
}
