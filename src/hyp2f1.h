/*
 * hyp2f1.h
 *		Sums of Gauss hypergeometric series.
 */
#ifndef DORMANT_HYP2F1_H
#define DORMANT_HYP2F1_H

#include "postgres.h"

extern bool HypergeometricSum(double a, double b, double c, double d, double z,
							  int max_terms, double *sum);

#endif							/* DORMANT_HYP2F1_H */
