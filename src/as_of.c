/*
 * as_of.c
 *		The dormant.as_of setting and the function dormant.as_of().
 *
 * The live views classify customers as of now(), or as of the time an
 * analyst sets with SET dormant.as_of = '...', to see the customer base as
 * it stood on another day.  The setting is kept as text and read in the
 * session's TimeZone when used, as a timestamptz literal would be.
 */
#include "postgres.h"

#include "access/xact.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/timestamp.h"

#include "as_of.h"
#include "compat.h"

static char *as_of_setting = NULL;

void
DefineAsOfVariable(void)
{
	DefineCustomStringVariable("dormant.as_of",
							   "Time the live views are computed as of.",
							   "Empty means the start of the current transaction, as now() does.",
							   &as_of_setting,
							   "",
							   PGC_USERSET,
							   0,
							   NULL,
							   NULL,
							   NULL);
}

/*
 * The setting is parsed here rather than when it is set: a SET made before
 * the library is loaded is not checked, and a bad value must not silently
 * fall back to now().
 */
PG_FUNCTION_INFO_V1(dormant_as_of);
Datum
dormant_as_of(PG_FUNCTION_ARGS)
{
	Datum		value;

	if (as_of_setting == NULL || as_of_setting[0] == '\0')
		PG_RETURN_TIMESTAMPTZ(GetCurrentTransactionStartTimestamp());
	if (!InputAccepted(timestamptz_in, as_of_setting, &value))
		ereport(ERROR,
				errcode(ERRCODE_INVALID_DATETIME_FORMAT),
				errmsg("invalid value for parameter \"dormant.as_of\": \"%s\"",
					   as_of_setting),
				errhint("Set it to a timestamp with time zone, or to an empty string for the current time."));
	if (TIMESTAMP_NOT_FINITE(DatumGetTimestampTz(value)))
		ereport(ERROR,
				errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				errmsg("parameter \"dormant.as_of\" must be a finite time"));
	return value;
}
