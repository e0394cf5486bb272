/*
 * local_day.h
 *		The calendar day of a timestamp in the session's TimeZone.
 */
#ifndef DORMANT_LOCAL_DAY_H
#define DORMANT_LOCAL_DAY_H

#include "postgres.h"
#include "utils/date.h"
#include "utils/timestamp.h"

extern DateADT LocalDay(TimestampTz t);

#endif							/* DORMANT_LOCAL_DAY_H */
