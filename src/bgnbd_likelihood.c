/*
 * bgnbd_likelihood.c
 *		The BG/NBD log-likelihood, with its gradient and Hessian.
 *
 * For one customer (x, t_x, T), with B the beta function,
 *
 *	L = Gamma(r + x) alpha^r / Gamma(r) * B(a, b + x) / B(a, b)
 *		* [ (alpha + T)^-(r + x)
 *			+ [x > 0] a / (b + x - 1) * (alpha + t_x)^-(r + x) ]
 *
 * (Fader, Hardie and Lee 2005, equation 6, with B(a + 1, b + x - 1) /
 * B(a, b + x) = a / (b + x - 1)).  Its logarithm is evaluated as
 *
 *	log L = lgamma(r + x) - lgamma(r) + r log alpha
 *			+ lgamma(a + b) + lgamma(b + x) - lgamma(b) - lgamma(a + b + x)
 *			+ logsumexp(A3, A4)
 *	A3 = -(r + x) log(alpha + T)
 *	A4 = log a - log(b + x - 1) - (r + x) log(alpha + t_x)	(x > 0 only)
 *
 * so that no power or gamma function is ever formed: x in the tens of
 * thousands or T near zero give finite terms.  The first two lines depend on
 * x alone and are evaluated once per distinct x; the last is a handful of
 * logarithms per distinct (x, t_x, T).
 *
 * Derivatives are taken with respect to the logarithms of the parameters,
 * which the optimizer works in.
 */
#include "postgres.h"

#include <math.h>

#include "bgnbd.h"
#include "special.h"

enum
{
	R, ALPHA, A, B
};

/*
 * The total log-likelihood at the parameters exp(logparams).  When gradient
 * is not NULL, its gradient with respect to logparams goes there, and when
 * hessian is not NULL too, the Hessian.
 */
double
BgnbdLogLikelihood(const BgnbdData *data, const double logparams[BGNBD_PARAMS],
				   double gradient[BGNBD_PARAMS],
				   double hessian[BGNBD_PARAMS][BGNBD_PARAMS])
{
	const double r = exp(logparams[R]);
	const double alpha = exp(logparams[ALPHA]);
	const double a = exp(logparams[A]);
	const double b = exp(logparams[B]);
	const double theta[BGNBD_PARAMS] = {r, alpha, a, b};
	const double log_alpha = logparams[ALPHA];
	double		ll = 0;
	double		g[BGNBD_PARAMS] = {0};
	double		h[BGNBD_PARAMS][BGNBD_PARAMS] = {{0}};

	for (int gi = 0; gi < data->ngroups; gi++)
	{
		const BgnbdGroup *group = &data->groups[gi];
		const double x = group->frequency;
		const double n = group->weight;
		const double m = r + x;
		const double *recency = data->recency + group->first;
		const double *age = data->age + group->first;
		const double *weight = data->weight + group->first;
		const int	cells = group->cells;

		/* terms of x alone */
		ll += n * r * log_alpha;
		if (x > 0)
			ll += n * (LgammaDiff(r, x) + LgammaDiff(b, x) - LgammaDiff(a + b, x));
		if (gradient)
		{
			double		dab = DigammaDiff(a + b, x);

			g[R] += n * (DigammaDiff(r, x) + log_alpha);
			g[ALPHA] += n * r / alpha;
			g[A] -= n * dab;
			g[B] += n * (DigammaDiff(b, x) - dab);
		}
		if (gradient && hessian)
		{
			double		tab = TrigammaDiff(a + b, x);

			h[R][R] += n * TrigammaDiff(r, x);
			h[R][ALPHA] += n / alpha;
			h[ALPHA][ALPHA] -= n * r / (alpha * alpha);
			h[A][A] -= n * tab;
			h[A][B] -= n * tab;
			h[B][B] += n * (TrigammaDiff(b, x) - tab);
		}

		if (x == 0)
		{
			/* logsumexp(A3) = -r log(alpha + T) */
			double		s_log = 0,
						s_inv = 0,
						s_inv2 = 0;

			for (int i = 0; i < cells; i++)
			{
				double		inv = 1 / (alpha + age[i]);

				s_log += weight[i] * log(alpha + age[i]);
				if (gradient)
				{
					s_inv += weight[i] * inv;
					s_inv2 += weight[i] * inv * inv;
				}
			}
			ll -= r * s_log;
			if (gradient)
			{
				g[R] -= s_log;
				g[ALPHA] -= r * s_inv;
			}
			if (gradient && hessian)
			{
				h[R][ALPHA] -= s_inv;
				h[ALPHA][ALPHA] += r * s_inv2;
			}
		}
		else
		{
			/*
			 * logsumexp(A3, A4) = A + log1p(exp(-|A3 - A4|)), A the larger;
			 * w3 and w4 are the shares of the two terms.  With D the
			 * gradient of A4 - A3, the Hessian of logsumexp is w3 H3 + w4 H4
			 * + w3 w4 D D', summed below in parts: D's last two components
			 * (1 / a, -1 / (b + x - 1)) are the same in every cell of x.
			 */
			const double log_ab = log(a) - log(b + x - 1);
			const double ia = 1 / a;
			const double kb = 1 / (b + x - 1);
			double		s_lse = 0,
						s_log = 0,
						s_inv = 0,
						s_inv2 = 0,
						s_w4 = 0,
						s_q = 0,
						s_qr = 0,
						s_qa = 0,
						s_qrr = 0,
						s_qra = 0,
						s_qaa = 0;

			for (int i = 0; i < cells; i++)
			{
				double		log_T = log(alpha + age[i]);
				double		log_t = log(alpha + recency[i]);
				double		a3 = -m * log_T;
				double		a4 = log_ab - m * log_t;
				double		d = a3 - a4;
				double		e = exp(-fabs(d));
				double		w3 = d > 0 ? 1 / (1 + e) : e / (1 + e);
				double		w4 = d > 0 ? e / (1 + e) : 1 / (1 + e);
				double		w = weight[i];

				s_lse += w * (Max(a3, a4) + log1p(e));
				if (gradient)
				{
					double		inv_T = 1 / (alpha + age[i]);
					double		inv_t = 1 / (alpha + recency[i]);

					s_log += w * (w3 * log_T + w4 * log_t);
					s_inv += w * (w3 * inv_T + w4 * inv_t);
					s_w4 += w * w4;
					if (hessian)
					{
						double		q = w * w3 * w4;
						double		dr = log_T - log_t;
						double		dal = m * (inv_T - inv_t);

						s_inv2 += w * (w3 * inv_T * inv_T + w4 * inv_t * inv_t);
						s_q += q;
						s_qr += q * dr;
						s_qa += q * dal;
						s_qrr += q * dr * dr;
						s_qra += q * dr * dal;
						s_qaa += q * dal * dal;
					}
				}
			}
			ll += s_lse;
			if (gradient)
			{
				g[R] -= s_log;
				g[ALPHA] -= m * s_inv;
				g[A] += ia * s_w4;
				g[B] -= kb * s_w4;
			}
			if (gradient && hessian)
			{
				h[R][ALPHA] += s_qra - s_inv;
				h[R][R] += s_qrr;
				h[ALPHA][ALPHA] += m * s_inv2 + s_qaa;
				h[A][A] += ia * ia * (s_q - s_w4);
				h[B][B] += kb * kb * (s_q + s_w4);
				h[A][B] -= ia * kb * s_q;
				h[R][A] += ia * s_qr;
				h[R][B] -= kb * s_qr;
				h[ALPHA][A] += ia * s_qa;
				h[ALPHA][B] -= kb * s_qa;
			}
		}
	}

	if (gradient)
		for (int i = 0; i < BGNBD_PARAMS; i++)
			gradient[i] = theta[i] * g[i];
	if (gradient && hessian)
		for (int i = 0; i < BGNBD_PARAMS; i++)
			for (int j = i; j < BGNBD_PARAMS; j++)
			{
				hessian[i][j] = theta[i] * theta[j] * h[i][j] + (i == j ? theta[i] * g[i] : 0);
				hessian[j][i] = hessian[i][j];
			}
	return ll;
}
