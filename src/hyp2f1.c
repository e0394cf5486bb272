/*
 * hyp2f1.c
 *		Sums of Gauss hypergeometric series.
 *
 * HypergeometricSum adds up
 *
 *	sum_{k >= 0} (a)_k (b)_k / ((c)_k (d)_k) z^k
 *
 * with (q)_k the rising factorial.  With d = 1 this is 2F1(a, b; c; z);
 * with d = 2 it is 3F2(a, b, 1; c, 2; z), which is
 *
 *	(2F1(a - 1, b - 1; c - 1; z) - 1) (c - 1) / ((a - 1) (b - 1) z):
 *
 * the 2F1 series less its first term, with the factors that vanish at
 * a = 1, b = 1 or c = 1 taken out.  The BG/NBD expectation needs it in this
 * form to stay exact where those factors vanish (bgnbd_expect.c).
 *
 * The terms follow from one another by a ratio, so each costs a few
 * multiplications.  For 0 <= z < 1 the series converges; it needs some
 * 20 / (1 - z) terms when c is small, far fewer when c is large.  The caller
 * gives a budget of terms and gets false when it is not enough.
 *
 * With a or b large and negative the first terms alternate in sign and
 * grow before they shrink, and their sum cancels, keeping fewer digits
 * than the terms.  The sum also fails, rather than return a result more
 * than MAX_CANCELLATION times smaller than its largest term.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "hyp2f1.h"

/* largest term over the sum: 1000 costs three of the sixteen digits */
#define MAX_CANCELLATION 1e3

/*
 * Requires 0 <= z < 1, c > 0 and d > 0, so no denominator vanishes.  Stops
 * once the terms keep one sign and the rest of the series, bounded as a
 * geometric series whose ratio is the larger of the next ratio and the
 * ratios' limit z, is below a quarter of the last bit of the sum.  (The
 * ratios approach z monotonically once k exceeds the parameters; before
 * that the bound may be loose, but it is only ever applied to terms that
 * are already below rounding.)
 */
bool
HypergeometricSum(double a, double b, double c, double d, double z,
				  int max_terms, double *sum)
{
	double		total = 1;
	double		term = 1;
	double		largest = 1;
	bool		done = false;

	Assert(z >= 0 && z < 1 && c > 0 && d > 0);
	for (int k = 0; k < max_terms && !done; k++)
	{
		double		next;
		double		bound;

		term *= (a + k) * (b + k) / ((c + k) * (d + k)) * z;
		total += term;
		largest = Max(largest, fabs(term));
		if (term == 0)
			done = true;
		else if (k + 1 > -a && k + 1 > -b)
		{
			next = (a + k + 1) * (b + k + 1) / ((c + k + 1) * (d + k + 1)) * z;
			bound = Max(next, z);
			done = bound < 1 &&
				fabs(term) * bound / (1 - bound) <= DBL_EPSILON / 4 * fabs(total);
		}
	}
	if (!done || !isfinite(total) || largest > MAX_CANCELLATION * fabs(total))
		return false;
	*sum = total;
	return true;
}
