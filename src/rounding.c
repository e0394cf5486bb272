/*
 * rounding.c
 *		round(x::numeric, digits) for a double, without going through text.
 *
 * float8 to numeric prints the double with 15 significant digits and reads
 * them back, and numeric to float8 prints the numeric and reads it with
 * strtod: over a million customers, that printing is a noticeable part of
 * a refresh.  For the values a score is made of (below 1000, at most four
 * digits after the point), rounding the double itself gives the same
 * result, except next to a tie, where the 15 printed digits can fall on the
 * other side of it than the double does; those are left to the numeric
 * route.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/numeric.h"

#include "rounding.h"

PG_FUNCTION_INFO_V1(dormant_rounded);

static const double powers_of_ten[] = {1, 10, 100, 1000, 10000};

/*
 * Whether round(x::numeric, digits) can be told from the double alone, and
 * if so that value times 10^digits, in *scaled.
 *
 * Below 1000, the 15 printed digits differ from x by at most 5e-13, and x
 * times 10^4 is computed to within 1e-9: unless the scaled value is within
 * 1e-6 of a tie, both round to the same integer, half away from zero.
 */
bool
RoundedScaled(double x, int digits, int64 *scaled)
{
	double		s;
	double		whole;
	double		fraction;

	if (!isfinite(x) || fabs(x) >= 1000 || digits < 0 || digits > 4)
		return false;
	s = fabs(x) * powers_of_ten[digits];
	whole = floor(s);
	fraction = s - whole;
	if (fabs(fraction - 0.5) < 1e-6)
		return false;
	if (fraction > 0.5)
		whole += 1;
	*scaled = (int64) (x < 0 ? -whole : whole);
	return true;
}

/*
 * dormant.rounded(x, digits): round(x::numeric, digits)::double precision,
 * exactly, and without the numeric detour when RoundedScaled can tell.
 */
Datum
dormant_rounded(PG_FUNCTION_ARGS)
{
	double		x = PG_GETARG_FLOAT8(0);
	int32		digits = PG_GETARG_INT32(1);
	int64		scaled;
	Datum		number;

	/* the scaled value and 10^digits are exact doubles: one rounding */
	if (RoundedScaled(x, digits, &scaled))
		PG_RETURN_FLOAT8((double) scaled / powers_of_ten[digits]);
	number = DirectFunctionCall1(float8_numeric, Float8GetDatum(x));
	number = DirectFunctionCall2(numeric_round, number, Int32GetDatum(digits));
	PG_RETURN_DATUM(DirectFunctionCall1(numeric_float8, number));
}
