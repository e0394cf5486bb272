/*
 * local_day.c
 *		The calendar day of a timestamp in the session's TimeZone.
 *
 * This is what "purchase days" counts, so it runs once per input row.  Zones
 * with a single UTC offset (UTC itself, most servers) take a division;
 * others go through the server's own time zone conversion.
 */
#include "postgres.h"

#include "pgtime.h"
#include "utils/datetime.h"

#include "local_day.h"

static const pg_tz *offset_zone = NULL;		/* zone the two below describe */
static bool offset_fixed = false;
static long offset_seconds = 0;				/* east of UTC */

static DateADT
FloorDay(int64 usecs)
{
	if (usecs >= 0)
		return (DateADT) (usecs / USECS_PER_DAY);
	return (DateADT) -((-usecs + USECS_PER_DAY - 1) / USECS_PER_DAY);
}

/* The caller has rejected infinite timestamps. */
DateADT
LocalDay(TimestampTz t)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			tz;

	if (offset_zone != session_timezone)
	{
		offset_fixed = pg_get_timezone_offset(session_timezone, &offset_seconds);
		offset_zone = session_timezone;
	}
	if (offset_fixed)
		return FloorDay(t + (int64) offset_seconds * USECS_PER_SEC);

	if (timestamp2tm(t, &tz, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	return date2j(tm.tm_year, tm.tm_mon, tm.tm_mday) - POSTGRES_EPOCH_JDATE;
}
