/*
 * special.h
 *		Gamma-family functions that the C library lacks, or computes with
 *		too little accuracy for differences.
 */
#ifndef DORMANT_SPECIAL_H
#define DORMANT_SPECIAL_H

extern double LgammaDiff(double z, double d);
extern double DigammaDiff(double z, double n);
extern double TrigammaDiff(double z, double n);

#endif							/* DORMANT_SPECIAL_H */
