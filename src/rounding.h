#ifndef DORMANT_ROUNDING_H
#define DORMANT_ROUNDING_H

#include "postgres.h"

extern bool RoundedScaled(double x, int digits, int64 *scaled);

#endif							/* DORMANT_ROUNDING_H */
