/*
 * bgnbd_optimize.c
 *		Maximum likelihood estimation of the BG/NBD parameters.
 *
 * The objective is the mean log-likelihood per customer, less
 * penalty * (log^2 r + log^2 alpha + log^2 a + log^2 b) when a penalty is
 * given.  It is maximized over the logarithms of the parameters, so they
 * stay positive without constraints, by Newton's method with the analytic
 * Hessian (bgnbd_likelihood.c) and a backtracking line search.  Where the
 * Hessian is not negative definite, a saddle-free step (the Newton step
 * with every curvature taken positive) comes first, Levenberg-Marquardt
 * damped steps after it.  Steps are capped, so no trial point overflows.
 *
 * Where the likelihood has no maximum, some parameters run off to zero or
 * infinity while the objective keeps increasing, or the objective stops
 * changing along a long step.  That is reported as an error, never as a
 * fit: no repeat buyer at all, log-parameters that move farther than
 * DIVERGED from the start, no measurable gain along a step that is not
 * small, or parameters still moving when the iterations run out.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "lib/stringinfo.h"
#include "miscadmin.h"

#include "bgnbd.h"

#define MAX_ITERATIONS	200
#define MAX_STEP		2.0		/* largest change of a log-parameter per step */
#define DIVERGED		13.8	/* a factor of 1e6 from the start */
#define STEP_TOLERANCE	1e-9	/* converged: a Newton step below this */
#define ARMIJO			1e-4	/* share of the predicted increase required */
#define MIN_SCALE		1e-8	/* smallest line search step */
#define DRIFT_WINDOW	20		/* iterations before the limit to compare with */
#define DRIFT			0.05	/* still moving: farther than this in them */

static const char *const param_names[BGNBD_PARAMS] = {"r", "alpha", "a", "b"};

typedef struct Objective
{
	const BgnbdData *data;
	double		penalty;
} Objective;

/* The objective, and its derivatives when gradient is not NULL. */
static double
Evaluate(const Objective *obj, const double u[BGNBD_PARAMS],
		 double gradient[BGNBD_PARAMS], double hessian[BGNBD_PARAMS][BGNBD_PARAMS])
{
	double		n = obj->data->customers;
	double		f = BgnbdLogLikelihood(obj->data, u, gradient, hessian) / n;

	for (int i = 0; i < BGNBD_PARAMS; i++)
	{
		f -= obj->penalty * u[i] * u[i];
		if (gradient)
			gradient[i] = gradient[i] / n - 2 * obj->penalty * u[i];
		if (gradient && hessian)
		{
			for (int j = 0; j < BGNBD_PARAMS; j++)
				hessian[i][j] /= n;
			hessian[i][i] -= 2 * obj->penalty;
		}
	}
	return f;
}

static bool
AllFinite(const double *values, int count)
{
	for (int i = 0; i < count; i++)
		if (!isfinite(values[i]))
			return false;
	return true;
}

/*
 * Solve (-hessian + damping I) step = gradient by Cholesky; false when that
 * matrix is not (numerically) positive definite.
 */
static bool
DampedNewtonStep(const double hessian[BGNBD_PARAMS][BGNBD_PARAMS],
				 const double gradient[BGNBD_PARAMS], double damping,
				 double step[BGNBD_PARAMS])
{
	double		l[BGNBD_PARAMS][BGNBD_PARAMS] = {{0}};
	double		y[BGNBD_PARAMS];

	for (int j = 0; j < BGNBD_PARAMS; j++)
	{
		double		d = -hessian[j][j] + damping;

		for (int k = 0; k < j; k++)
			d -= l[j][k] * l[j][k];
		if (!(d > 0) || !isfinite(d))
			return false;
		l[j][j] = sqrt(d);
		for (int i = j + 1; i < BGNBD_PARAMS; i++)
		{
			double		s = -hessian[i][j];

			for (int k = 0; k < j; k++)
				s -= l[i][k] * l[j][k];
			l[i][j] = s / l[j][j];
		}
	}
	/* a pivot tiny against the diagonal means a singular matrix */
	for (int j = 0; j < BGNBD_PARAMS; j++)
		if (l[j][j] * l[j][j] < 1e-14 * (fabs(hessian[j][j]) + damping))
			return false;
	for (int i = 0; i < BGNBD_PARAMS; i++)
	{
		double		s = gradient[i];

		for (int k = 0; k < i; k++)
			s -= l[i][k] * y[k];
		y[i] = s / l[i][i];
	}
	for (int i = BGNBD_PARAMS - 1; i >= 0; i--)
	{
		double		s = y[i];

		for (int k = i + 1; k < BGNBD_PARAMS; k++)
			s -= l[k][i] * step[k];
		step[i] = s / l[i][i];
	}
	return AllFinite(step, BGNBD_PARAMS);
}

/*
 * The likelihood has no maximum: it increases, or stays numerically flat,
 * along direction.  Name the parameters that direction moves most (often
 * two run off together, such as r and alpha with their ratio fixed).
 */
static void pg_attribute_noreturn()
NoMaximum(const double direction[BGNBD_PARAMS])
{
	StringInfoData names;
	double		largest = 0;
	int			named = 0;

	for (int i = 0; i < BGNBD_PARAMS; i++)
		largest = Max(largest, fabs(direction[i]));
	initStringInfo(&names);
	for (int i = 0; i < BGNBD_PARAMS; i++)
	{
		if (fabs(direction[i]) < largest / 2)
			continue;
		if (named > 0)
			appendStringInfoString(&names, " and ");
		appendStringInfo(&names, "%s%s %s", param_names[i], named > 0 ? "" : " tends",
						 direction[i] < 0 ? "to zero" : "to infinity");
		named++;
	}
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("the BG/NBD likelihood has no maximum"),
			 errdetail("The likelihood keeps increasing, or stops changing, as %s.", names.data),
			 errhint("Fit more customers, or over a longer period, or give a penalty as the fourth argument, such as 0.01.")));
}

static double
Largest(const double v[BGNBD_PARAMS])
{
	double		largest = 0;

	for (int i = 0; i < BGNBD_PARAMS; i++)
		largest = Max(largest, fabs(v[i]));
	return largest;
}

static double
Dot(const double v[BGNBD_PARAMS], const double w[BGNBD_PARAMS])
{
	double		sum = 0;

	for (int i = 0; i < BGNBD_PARAMS; i++)
		sum += v[i] * w[i];
	return sum;
}

/*
 * Eigenvalues and eigenvectors (the columns of vectors) of a symmetric
 * matrix, by cyclic Jacobi rotations: a few sweeps suffice at this size.
 */
static void
SymmetricEigen(const double matrix[BGNBD_PARAMS][BGNBD_PARAMS],
			   double values[BGNBD_PARAMS], double vectors[BGNBD_PARAMS][BGNBD_PARAMS])
{
	double		m[BGNBD_PARAMS][BGNBD_PARAMS];

	memcpy(m, matrix, sizeof(m));
	for (int i = 0; i < BGNBD_PARAMS; i++)
		for (int j = 0; j < BGNBD_PARAMS; j++)
			vectors[i][j] = i == j;
	for (int sweep = 0; sweep < 50; sweep++)
	{
		double		off = 0;

		for (int p = 0; p < BGNBD_PARAMS; p++)
			for (int q = p + 1; q < BGNBD_PARAMS; q++)
				off += m[p][q] * m[p][q];
		if (off == 0 || !isfinite(off))
			break;
		for (int p = 0; p < BGNBD_PARAMS; p++)
			for (int q = p + 1; q < BGNBD_PARAMS; q++)
			{
				double		theta,
							t,
							c,
							sn;

				if (m[p][q] == 0)
					continue;
				theta = (m[q][q] - m[p][p]) / (2 * m[p][q]);
				t = (theta >= 0 ? 1 : -1) / (fabs(theta) + sqrt(theta * theta + 1));
				c = 1 / sqrt(t * t + 1);
				sn = t * c;
				for (int k = 0; k < BGNBD_PARAMS; k++)
				{
					double		mkp = m[k][p],
								mkq = m[k][q];

					m[k][p] = c * mkp - sn * mkq;
					m[k][q] = sn * mkp + c * mkq;
				}
				for (int k = 0; k < BGNBD_PARAMS; k++)
				{
					double		mpk = m[p][k],
								mqk = m[q][k];

					m[p][k] = c * mpk - sn * mqk;
					m[q][k] = sn * mpk + c * mqk;
				}
				for (int k = 0; k < BGNBD_PARAMS; k++)
				{
					double		vkp = vectors[k][p],
								vkq = vectors[k][q];

					vectors[k][p] = c * vkp - sn * vkq;
					vectors[k][q] = sn * vkp + c * vkq;
				}
			}
	}
	for (int i = 0; i < BGNBD_PARAMS; i++)
		values[i] = m[i][i];
}

/*
 * Where the Hessian is not negative definite, the Newton step would head
 * for a saddle or a minimum.  This step divides the gradient's component
 * along each eigenvector by the absolute curvature there instead, so it
 * ascends in every direction, and goes far along flat or convex ones: that
 * is how a parameter running off to its limit gets there in a few steps
 * instead of creeping, to be reported as such.
 */
static bool
SaddleFreeStep(const double hessian[BGNBD_PARAMS][BGNBD_PARAMS],
			   const double gradient[BGNBD_PARAMS], double step[BGNBD_PARAMS])
{
	double		values[BGNBD_PARAMS];
	double		vectors[BGNBD_PARAMS][BGNBD_PARAMS];
	double		largest = 0;

	SymmetricEigen(hessian, values, vectors);
	for (int i = 0; i < BGNBD_PARAMS; i++)
		largest = Max(largest, fabs(values[i]));
	memset(step, 0, sizeof(double) * BGNBD_PARAMS);
	for (int i = 0; i < BGNBD_PARAMS; i++)
	{
		double		along = 0;

		for (int k = 0; k < BGNBD_PARAMS; k++)
			along += vectors[k][i] * gradient[k];
		along /= Max(fabs(values[i]), 1e-8 * largest + DBL_MIN);
		for (int k = 0; k < BGNBD_PARAMS; k++)
			step[k] += along * vectors[k][i];
	}
	return AllFinite(step, BGNBD_PARAMS) && Largest(step) > 0;
}

void
BgnbdMaximize(const BgnbdData *data, double penalty, BgnbdEstimate *estimate)
{
	Objective	obj = {data, penalty};
	double		start[BGNBD_PARAMS];
	double		u[BGNBD_PARAMS];
	double		f;
	double		g[BGNBD_PARAMS];
	double		h[BGNBD_PARAMS][BGNBD_PARAMS];
	double		before[BGNBD_PARAMS] = {0};
	double		damping = 0;
	int			iteration = 0;
	bool		converged = false;

	Assert(data->customers > 0);
	if (data->repeat_buyers == 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("the BG/NBD likelihood has no maximum"),
				 errdetail("No customer has a repeat purchase, so nothing tells how customers drop out, and the likelihood increases as r tends to zero."),
				 errhint("Fit over a period long enough for customers to buy again.")));

	/*
	 * Start at r = a = b = 1 and the alpha that matches the mean purchase
	 * rate, so that the start does not depend on the unit of time.
	 */
	start[0] = 0;
	start[1] = data->mean_age > 0 ? log(data->mean_age / data->mean_frequency) : 0;
	start[2] = 0;
	start[3] = 0;
	memcpy(u, start, sizeof(u));
	f = Evaluate(&obj, u, g, h);
	if (!isfinite(f) || !AllFinite(g, BGNBD_PARAMS) || !AllFinite(&h[0][0], BGNBD_PARAMS * BGNBD_PARAMS))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("the BG/NBD likelihood is not finite at the starting point"),
				 errdetail("Frequencies, recencies or ages are too large for double precision.")));

	for (;;)
	{
		double		newton[BGNBD_PARAMS];
		double		step[BGNBD_PARAMS];
		double		trial[BGNBD_PARAMS];
		double		diagonal = 0;
		double		f_trial = 0;
		double		g_trial[BGNBD_PARAMS];
		double		h_trial[BGNBD_PARAMS][BGNBD_PARAMS];
		double		base_damping;
		bool		have_newton;
		bool		have_trial_derivatives = false;
		bool		accepted = false;

		CHECK_FOR_INTERRUPTS();
		for (int i = 0; i < BGNBD_PARAMS; i++)
			diagonal = Max(diagonal, fabs(h[i][i]));

		/*
		 * Converged: the Hessian is negative definite and the Newton step is
		 * nil, or small and gains less than rounding error, so that no line
		 * search could judge it.  That last step is taken as it is: the
		 * quadratic model is exact to far more digits there.  (Where a
		 * parameter runs off to its limit, Newton steps stay near one unit.)
		 */
		have_newton = DampedNewtonStep(h, g, 0, newton);
		if (have_newton && Largest(newton) < STEP_TOLERANCE)
		{
			converged = true;
			break;
		}
		if (have_newton && Largest(newton) < 1e-3 &&
			Dot(g, newton) < 4 * DBL_EPSILON * (1 + fabs(f)))
		{
			for (int i = 0; i < BGNBD_PARAMS; i++)
				u[i] += newton[i];
			iteration++;
			converged = true;
			break;
		}
		if (iteration == MAX_ITERATIONS - DRIFT_WINDOW)
			memcpy(before, u, sizeof(before));
		if (iteration >= MAX_ITERATIONS)
		{
			double		moved[BGNBD_PARAMS];

			/*
			 * Out of iterations.  Parameters still on the move head for a
			 * limit that the steps shrink too fast to reach: no maximum.
			 */
			for (int i = 0; i < BGNBD_PARAMS; i++)
				moved[i] = u[i] - before[i];
			if (Largest(moved) > DRIFT)
				NoMaximum(moved);
			break;
		}

		/*
		 * First the Newton step where the Hessian is negative definite, else
		 * the saddle-free one; then damped steps, more damped while no step
		 * along them increases the objective.
		 */
		base_damping = Max(damping / 10, 1e-6 * (1 + diagonal));
		damping = 0;
		while (!accepted && damping <= 1e10 * (1 + diagonal))
		{
			double		largest;
			double		slope;

			if (damping == 0 && have_newton)
				memcpy(step, newton, sizeof(step));
			else if (damping == 0 ? !SaddleFreeStep(h, g, step)
					 : !DampedNewtonStep(h, g, damping, step))
			{
				damping = damping == 0 ? base_damping : damping * 10;
				continue;
			}
			largest = Largest(step);
			if (largest > MAX_STEP)
				for (int i = 0; i < BGNBD_PARAMS; i++)
					step[i] *= MAX_STEP / largest;
			slope = Dot(g, step);

			/*
			 * The full step is usually taken, so its derivatives are
			 * computed with it, to be reused; shorter ones get the value.
			 */
			for (double scale = 1; scale >= MIN_SCALE && !accepted; scale /= 2)
			{
				for (int i = 0; i < BGNBD_PARAMS; i++)
					trial[i] = u[i] + scale * step[i];
				have_trial_derivatives = scale == 1;
				f_trial = have_trial_derivatives ?
					Evaluate(&obj, trial, g_trial, h_trial) :
					Evaluate(&obj, trial, NULL, NULL);
				accepted = isfinite(f_trial) && f_trial > f &&
					f_trial >= f + ARMIJO * scale * slope;
			}
			if (!accepted)
				damping = damping == 0 ? base_damping : damping * 10;
		}

		if (!accepted)
		{
			/*
			 * Nothing increases the objective measurably.  A small Newton
			 * step means the maximum is here to rounding error; otherwise
			 * the likelihood is flat along the step: no maximum.
			 */
			if (have_newton && Largest(newton) < 1e-4)
			{
				converged = true;
				break;
			}
			NoMaximum(have_newton ? newton : g);
		}

		iteration++;
		memcpy(u, trial, sizeof(u));
		if (have_trial_derivatives)
		{
			f = f_trial;
			memcpy(g, g_trial, sizeof(g));
			memcpy(h, h_trial, sizeof(h));
		}
		else
			f = Evaluate(&obj, u, g, h);
		if (!isfinite(f) || !AllFinite(g, BGNBD_PARAMS) ||
			!AllFinite(&h[0][0], BGNBD_PARAMS * BGNBD_PARAMS))
			NoMaximum(step);
		for (int i = 0; i < BGNBD_PARAMS; i++)
			if (fabs(u[i] - start[i]) > DIVERGED)
			{
				double		moved[BGNBD_PARAMS];

				for (int j = 0; j < BGNBD_PARAMS; j++)
					moved[j] = u[j] - start[j];
				NoMaximum(moved);
			}
	}

	estimate->params.r = exp(u[0]);
	estimate->params.alpha = exp(u[1]);
	estimate->params.a = exp(u[2]);
	estimate->params.b = exp(u[3]);
	estimate->log_likelihood = BgnbdLogLikelihood(data, u, NULL, NULL);
	estimate->iterations = iteration;
	estimate->converged = converged;
	if (!isfinite(estimate->log_likelihood))
		elog(ERROR, "BG/NBD log-likelihood at the estimate is not finite");
}
