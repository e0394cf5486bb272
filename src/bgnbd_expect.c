/*
 * bgnbd_expect.c
 *		Expected purchases of a customer in the next t, if still alive.
 *
 * Given alive at T after x repeat purchases, a customer's purchase rate
 * and dropout probability have the posteriors Gamma(r + x, alpha + T) and
 * Beta(a, b + x), so what follows is a BG/NBD process of its own with
 * parameters (r', alpha', a, b') = (r + x, alpha + T, a, b + x).  Its
 * expected purchases in t are (Fader, Hardie and Lee 2005, equation 7)
 *
 *	E = c / (a - 1) * [1 - (1 - z)^r' 2F1(r', b'; c; z)],
 *	c = a + b' - 1,  z = t / (alpha' + t).
 *
 * Evaluated as written, that overflows or loses every digit: for large x
 * the 2F1 is astronomically large (its terms grow like z^k for k up to
 * about x z / (1 - z)) and cancels against the 1; at a = 1 it is 0 / 0.
 * Euler's transformation 2F1(A, B; C; z) = (1 - z)^(C - A - B)
 * 2F1(C - A, C - B; C; z) turns the product into
 *
 *	(1 - z)^(a - 1) 2F1(a + b' - 1 - r', a - 1; c; z),
 *
 * whose series converges faster the larger x is.  Writing that 2F1 as 1 +
 * (a - 1) z (a + b' - 1 - r') / c * 3F2(a + b' - r', a, 1; c + 1, 2; z)
 * cancels the division by a - 1:
 *
 *	E = c (1 - (1 - z)^(a - 1)) / (a - 1)
 *		- (1 - z)^(a - 1) (a + b' - 1 - r') z 3F2(a + b' - r', a, 1; c + 1, 2; z)
 *
 * where the first fraction is -log(1 - z) expm1(u) / u, u = (a - 1)
 * log(1 - z), exact at a = 1 too, and the division by c in the 3F2 term is
 * gone as well.  Past the sign changes of its first few terms the series
 * has terms of one sign, so nothing cancels.
 *
 * The series needs some 20 / (1 - z) = 20 (alpha' + t) / alpha' terms when
 * x is small.  For horizons beyond about a thousand times alpha' it would
 * be slow, and when r is much larger than a + b its first terms cancel
 * (hyp2f1.c reports both), so there E is integrated instead:
 *
 *	E = E_p[(1 - (1 + p t / alpha')^-r') / p],  p ~ Beta(a, b'),
 *
 * (the expectation over the rate is done in closed form) by the
 * double-exponential rule in log(-log p), whose nodes handle the endpoint
 * singularities of the beta density and the integrand's change of scale
 * at p ~ alpha' / (r' t).  Every factor is positive, so nothing cancels
 * there either.
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"
#include "utils/float.h"

#include "bgnbd.h"
#include "hyp2f1.h"
#include "special.h"

/* not every math.h defines it */
#ifndef M_PI_2
#define M_PI_2 1.57079632679489661923
#endif

/* terms of the series before the integral is used instead */
#define SERIES_BUDGET		20000
#define QUADRATURE_LEVELS	14
#define QUADRATURE_TOLERANCE 1e-13

/* expm1(u) / u, continuous at 0 */
static double
Expm1Ratio(double u)
{
	return u == 0 ? 1 : expm1(u) / u;
}

/*
 * The integrand, as a function of l = log y with p = exp(-y): the beta
 * density times (1 - (1 + p tau)^-r') / p times |dp/dl|.  Its logarithm
 * is evaluated, so that nothing overflows at either end.
 */
typedef struct Integrand
{
	double		a;
	double		b;				/* b' = b + x */
	double		r;				/* r' = r + x */
	double		log_r;			/* log(max(r', 1)) */
	double		log_tau;		/* log(t / alpha') */
	double		log_beta;		/* log B(a, b') */
} Integrand;

/* log(1 - exp(-y)) for y > 0, accurate at both ends */
static double
Log1mExp(double y)
{
	return y < M_LN2 ? log(-expm1(-y)) : log1p(-exp(-y));
}

static double
LogIntegrand(const Integrand *f, double l)
{
	double		y = exp(l);
	double		log_v = f->log_tau - y; /* v = p tau */
	double		log_1mp = y > 1e-300 ? Log1mExp(y) : l;
	double		log_f;

	/*
	 * p^(a - 1) (1 - (1 + v)^-r') / p, which is r' tau p^a to double
	 * precision once r' v < e^-30
	 */
	if (log_v + f->log_r < -30)
		log_f = log(f->r) + f->log_tau - f->a * y;
	else
		log_f = -(f->a - 1) * y + log(-expm1(-f->r * log1p(exp(log_v))));
	return log_f + (f->b - 1) * log_1mp - f->log_beta + l;
}

/*
 * The derivative of LogIntegrand with respect to y, which has the sign of
 * the one with respect to l:
 *
 *	1 - a + (b' - 1) / (e^y - 1) + 1 / y - v g'(v) / g(v),  g(v) = 1 - (1 + v)^-r'
 *
 * Near y = 0 it is about b' / y > 0, for large y it tends to -a < 0, and
 * for b' >= 1 every term decreases in y: the integrand has one mode.
 */
static double
LogIntegrandSlope(const Integrand *f, double l)
{
	double		y = exp(l);
	double		log_v = f->log_tau - y;
	double		v_1pv;			/* v / (1 + v) */
	double		q;				/* r' log(1 + v) */
	double		vgg;

	if (log_v + f->log_r < -30)
		vgg = 1;				/* its limit as v tends to 0 */
	else
	{
		v_1pv = 1 / (1 + exp(-log_v));
		q = f->r * (log_v > 0 ? log_v + log1p(exp(-log_v)) : log1p(exp(log_v)));
		vgg = f->r * v_1pv / expm1(q);
	}
	return 1 - f->a + (f->b - 1) / expm1(y) + 1 / y - vgg;
}

/*
 * The double-exponential rule on l = m + w pi/2 sinh(s), with m the mode
 * of the integrand in l and w its width there: the nodes are densest on
 * the peak (which is narrow when x is large: the beta density is), and
 * thin out double-exponentially toward both tails.
 */
static double
ExpectedByQuadrature(const BgnbdParams *params, double x, double alpha_T, double t)
{
	Integrand	f;
	double		lo = -700;
	double		hi = 700;
	double		mode;
	double		width;
	double		curvature;
	double		left;
	double		right;
	double		s_min;
	double		s_max;
	double		h = 0.5;
	double		sum = 0;
	double		estimate = 0;
	double		previous = 0;
	int			level;

	f.a = params->a;
	f.b = params->b + x;
	f.r = params->r + x;
	f.log_r = log(Max(f.r, 1));
	f.log_tau = log(t) - log(alpha_T);
	f.log_beta = lgamma(f.a) - LgammaDiff(f.b, f.a);

	for (int i = 0; i < 100 && hi - lo > 1e-9; i++)
	{
		double		mid = (lo + hi) / 2;

		if (LogIntegrandSlope(&f, mid) > 0)
			lo = mid;
		else
			hi = mid;
	}
	mode = (lo + hi) / 2;
	curvature = (exp(mode + 1e-3) * LogIntegrandSlope(&f, mode + 1e-3) -
				 exp(mode - 1e-3) * LogIntegrandSlope(&f, mode - 1e-3)) / 2e-3;
	width = curvature < 0 && isfinite(curvature) ? Min(1 / sqrt(-curvature), 1) : 1;

	/*
	 * Cut where the integrand is far below e^-40 of its peak: toward y = 0
	 * it goes like y^b', toward y = infinity like exp(-a y) once y passes
	 * both the mode and log(tau r'), where (1 - (1 + v)^-r') turns into r' v.
	 */
	left = Max(40 / Min(f.b, 1), 10 * width);
	right = Max(log(Max(Max(f.log_tau + f.log_r, exp(mode)), 1) + 40 / f.a + 1) - mode,
				10 * width);
	s_min = -asinh(left / (width * M_PI_2));
	s_max = asinh(right / (width * M_PI_2));

	for (level = 0; level <= QUADRATURE_LEVELS; level++)
	{
		int			first = (int) floor(s_min / h);
		int			last = (int) ceil(s_max / h);

		CHECK_FOR_INTERRUPTS();
		/* after the first level, the new nodes lie halfway between the old */
		for (int k = level == 0 ? first : first | 1; k <= last; k += level == 0 ? 1 : 2)
		{
			double		s = k * h;

			sum += exp(LogIntegrand(&f, mode + width * M_PI_2 * sinh(s))) *
				width * M_PI_2 * cosh(s);
		}
		previous = estimate;
		estimate = sum * h;
		if (level >= 3 && fabs(estimate - previous) <= QUADRATURE_TOLERANCE * fabs(estimate))
			return estimate;
		h /= 2;
	}
	if (isfinite(estimate) && fabs(estimate - previous) <= 1e-9 * fabs(estimate))
		return estimate;
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("expected purchases over horizon \"%s\" cannot be computed accurately",
					float8out_internal(t)),
			 errdetail("The numerical integral did not converge.")));
}

/*
 * Expected purchases in the next horizon of a customer with frequency x and
 * age T, given that the customer is alive.  Requires valid parameters and
 * a finite horizon of zero or more.
 */
double
BgnbdExpectedIfAlive(const BgnbdParams *params, int64 frequency, double age,
					 double horizon)
{
	const double x = (double) frequency;
	const double r = params->r;
	const double a = params->a;
	const double b = params->b;
	const double alpha_T = params->alpha + age;
	const double c = a + b + x - 1;
	double		z;
	double		log_1mz;
	double		u;
	double		series;

	if (horizon == 0)
		return 0;
	z = horizon / (alpha_T + horizon);
	log_1mz = -log1p(horizon / alpha_T);
	u = (a - 1) * log_1mz;
	if (z < 1 &&
		HypergeometricSum(a + b - r, a, c + 1, 2, z, SERIES_BUDGET, &series))
		return c * -log_1mz * Expm1Ratio(u) - exp(u) * (c - r - x) * z * series;
	return ExpectedByQuadrature(params, x, alpha_T, horizon);
}
