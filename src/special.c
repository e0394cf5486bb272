/*
 * special.c
 *		Gamma-family functions that the C library lacks, or computes with
 *		too little accuracy for differences.
 *
 * The BG/NBD likelihood and expectation need log-gamma, digamma and
 * trigamma differences such as lgamma(b + x) - lgamma(b) with x up to
 * millions.  lgamma(1e6) is about 1.3e7, so subtracting two lgamma values
 * leaves an absolute error near 1e-9, which matters once exponentiated or
 * summed over a million customers; these differences keep relative
 * accuracy near the machine's.
 */
#include "postgres.h"

#include <math.h>

#include "special.h"

/* Differences over n unit steps are summed exactly up to this many. */
#define SMALL_STEPS 32

/*
 * Stirling's series less its leading part: lgamma(w) = (w - 1/2) log w - w
 * + log(2 pi) / 2 + StirlingTail(w).  For w >= 10 the first omitted term
 * is below 1e-16.
 */
static double
StirlingTail(double w)
{
	double		f = 1 / (w * w);

	return (1.0 / 12 - f * (1.0 / 360 - f * (1.0 / 1260 - f * (1.0 / 1680 - f * (1.0 / 1188 - f * 691.0 / 360360))))) / w;
}

/* lgamma(z + d) - lgamma(z) for z > 0, d >= 0 */
double
LgammaDiff(double z, double d)
{
	if (z < 10)
		return lgamma(z + d) - lgamma(z);
	return (z - 0.5) * log1p(d / z) + d * (log(z + d) - 1) +
		StirlingTail(z + d) - StirlingTail(z);
}

/*
 * Digamma and trigamma for x > 0: the recurrence up to x >= 10, then the
 * asymptotic series, whose first omitted term is below 1e-15 there.
 */
static double
Digamma(double x)
{
	double		result = 0;
	double		f;

	while (x < 10)
	{
		result -= 1 / x;
		x += 1;
	}
	f = 1 / (x * x);
	return result + log(x) - 0.5 / x -
		f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132 - f * (691.0 / 32760 - f / 12))))));
}

static double
Trigamma(double x)
{
	double		result = 0;
	double		f;

	while (x < 10)
	{
		result += 1 / (x * x);
		x += 1;
	}
	f = 1 / (x * x);
	return result + 1 / x + f / 2 +
		f / x * (1.0 / 6 - f * (1.0 / 30 - f * (1.0 / 42 - f * (1.0 / 30 - f * (5.0 / 66 - f * (691.0 / 2730 - f * 7.0 / 6))))));
}

/* digamma(z + n) - digamma(z) for whole n >= 0, exactly for few steps */
double
DigammaDiff(double z, double n)
{
	double		sum = 0;

	if (n > SMALL_STEPS)
		return Digamma(z + n) - Digamma(z);
	for (int k = 0; k < (int) n; k++)
		sum += 1 / (z + k);
	return sum;
}

/* trigamma(z + n) - trigamma(z) for whole n >= 0 */
double
TrigammaDiff(double z, double n)
{
	double		sum = 0;

	if (n > SMALL_STEPS)
		return Trigamma(z + n) - Trigamma(z);
	for (int k = 0; k < (int) n; k++)
		sum -= 1 / ((z + k) * (z + k));
	return sum;
}
