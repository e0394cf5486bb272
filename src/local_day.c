/*
 * local_day.c
 *		The calendar day of a timestamp in the session's TimeZone.
 *
 * This is what "purchase days" counts, so it runs once per input row.  Zones
 * with a single UTC offset (UTC itself, most servers) take a division.  In
 * other zones the offset stays the same for months, between two daylight
 * saving transitions: the spans of the last few offsets looked up are kept,
 * and a timestamp inside one of them takes a division too.  Only the first
 * timestamp of a span goes through the server's own time zone conversion.
 */
#include "postgres.h"

#include "pgtime.h"
#include "utils/datetime.h"

#include "local_day.h"

/* Seconds from the Unix epoch to the PostgreSQL epoch (2000-01-01). */
#define POSTGRES_EPOCH_SECS \
	((int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY)

/*
 * How far back to look for the transition that starts a span.  Zones with
 * daylight saving time change twice a year; a span found without a
 * transition in this window simply starts at its beginning.
 */
#define SPAN_LOOKBACK_SECS		((int64) 400 * SECS_PER_DAY)
#define SPAN_MAX_STEPS			32

/* Timestamps from "from" up to, not including, "to" have this offset. */
typedef struct OffsetSpan
{
	TimestampTz from;
	TimestampTz to;
	int64		offset;			/* microseconds east of UTC */
} OffsetSpan;

/*
 * Rows in time order need one span at a time; rows grouped by customer
 * revisit the spans of their few years in turn, so several are kept.
 */
#define SPAN_SLOTS 8

static const pg_tz *cached_zone = NULL;	/* zone the cache describes */
static bool zone_fixed = false;
static int64 fixed_offset = 0;			/* microseconds east of UTC */
static OffsetSpan spans[SPAN_SLOTS];
static int	span_count = 0;
static int	span_last = 0;			/* slot of the last hit */
static int	span_next = 0;			/* slot to fill next */

/* a / b rounded down, for b > 0 */
static inline int64
FloorDiv(int64 a, int64 b)
{
	int64		q = a / b;

	return (a % b < 0) ? q - 1 : q;
}

static inline DateADT
FloorDay(int64 usecs)
{
	return (DateADT) FloorDiv(usecs, USECS_PER_DAY);
}

/* Unix seconds as a timestamp, or false if out of the int64 range. */
static bool
SecondsToTimestamp(pg_time_t seconds, TimestampTz *result)
{
	int64		since_2000;

	return !__builtin_sub_overflow(seconds, POSTGRES_EPOCH_SECS, &since_2000) &&
		!__builtin_mul_overflow(since_2000, USECS_PER_SEC, result);
}

static void
ResetCache(void)
{
	long		offset_seconds = 0;

	cached_zone = session_timezone;
	zone_fixed = pg_get_timezone_offset(session_timezone, &offset_seconds);
	fixed_offset = (int64) offset_seconds * USECS_PER_SEC;
	span_count = span_last = span_next = 0;
}

/* The day as the server's own conversion gives it, and the offset it used. */
static DateADT
ConvertedDay(TimestampTz t, long *gmtoff)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			tz;

	if (timestamp2tm(t, &tz, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	*gmtoff = tm.tm_gmtoff;
	return date2j(tm.tm_year, tm.tm_mon, tm.tm_mday) - POSTGRES_EPOCH_JDATE;
}

/*
 * The span of the zone's transition table around the whole second "at"
 * (Unix time), or false when the table cannot say.  The span starts at the
 * last transition at or before "at" (or at the start of the look-back), and
 * ends at the next transition after it, if any.
 */
static bool
FindSpan(pg_time_t at, pg_time_t *from, pg_time_t *to, bool *open_end,
		 long *offset)
{
	pg_time_t	cursor;
	long		before_offset;
	long		after_offset;
	int			before_isdst;
	int			after_isdst;
	pg_time_t	boundary = 0;

	if (at < PG_INT64_MIN + SPAN_LOOKBACK_SECS)
		return false;
	cursor = at - SPAN_LOOKBACK_SECS;
	for (int step = 0; step < SPAN_MAX_STEPS; step++)
	{
		int			found = pg_next_dst_boundary(&cursor, &before_offset, &before_isdst,
												 &boundary, &after_offset, &after_isdst,
												 session_timezone);

		if (found < 0)
			return false;
		if (found == 0 || boundary > at)
		{
			*from = cursor;
			*to = boundary;
			*open_end = (found == 0);
			*offset = before_offset;
			return true;
		}
		if (boundary <= cursor)
			return false;
		cursor = boundary;
	}
	return false;
}

/*
 * Convert t the slow way and remember the span of its offset.  The span is
 * kept only if the transition table agrees with the conversion at t, so a
 * cached day is always the day the conversion would give.
 */
static DateADT
LocalDaySlow(TimestampTz t)
{
	long		gmtoff;
	DateADT		day = ConvertedDay(t, &gmtoff);
	pg_time_t	at = FloorDiv(t, USECS_PER_SEC) + POSTGRES_EPOCH_SECS;
	pg_time_t	from;
	pg_time_t	to;
	bool		open_end;
	long		offset;
	OffsetSpan	span;

	if (!FindSpan(at, &from, &to, &open_end, &offset) || offset != gmtoff ||
		!SecondsToTimestamp(from, &span.from))
		return day;
	/* an end past the last timestamp is no end */
	if (open_end || !SecondsToTimestamp(to, &span.to))
		span.to = DT_NOEND;
	span.offset = (int64) offset * USECS_PER_SEC;
	Assert(span.from <= t && t < span.to);
	Assert(FloorDay(t + span.offset) == day);

	spans[span_next] = span;
	span_last = span_next;
	span_next = (span_next + 1) % SPAN_SLOTS;
	span_count = Min(span_count + 1, SPAN_SLOTS);
	return day;
}

/* The caller has rejected infinite timestamps. */
DateADT
LocalDay(TimestampTz t)
{
	const OffsetSpan *span;

	if (cached_zone != session_timezone)
		ResetCache();
	if (zone_fixed)
		return FloorDay(t + fixed_offset);

	span = &spans[span_last];
	if (span_count > 0 && span->from <= t && t < span->to)
		return FloorDay(t + span->offset);
	for (int i = 0; i < span_count; i++)
	{
		span = &spans[i];
		if (span->from <= t && t < span->to)
		{
			span_last = i;
			return FloorDay(t + span->offset);
		}
	}
	return LocalDaySlow(t);
}
