/*
 * amount_sum.h
 *		Exact running sum of numeric amounts.
 *
 * Most amounts are money: a few integer digits and at most eight decimals.
 * Those are added as integers counted in units of 1e-8, which is exact and
 * needs no allocation per row.  Anything else (more decimals, huge values,
 * overflow of the integer sum) is added as numeric in the "spill" value.
 */
#ifndef DORMANT_AMOUNT_SUM_H
#define DORMANT_AMOUNT_SUM_H

#include "postgres.h"
#include "utils/numeric.h"

#include "compat.h"

/* The largest display scale a numeric can carry (NUMERIC_DSCALE_MASK). */
#define AMOUNT_MAX_DSCALE 0x3FFF

typedef struct AmountSum
{
	AmountUnits units;			/* sum of fast-path amounts, in 1e-8 */
	Numeric		spill;			/* sum of the other amounts, or NULL */
	int32		dscale;			/* largest display scale added */
	bool		any;			/* whether any amount was added */
} AmountSum;

/* The sign of an amount, as read from its datum without detoasting copies. */
typedef enum AmountSign
{
	AMOUNT_NEGATIVE = -1,
	AMOUNT_ZERO = 0,
	AMOUNT_POSITIVE = 1
} AmountSign;

extern AmountSign AmountSumAdd(AmountSum *sum, Datum amount, MemoryContext mcxt,
							   AmountUnits *units);
extern AmountUnits AmountUnitsAdd(AmountUnits a, AmountUnits b);
extern Numeric AmountUnitsToNumeric(AmountUnits units, int32 dscale);
extern void AmountSumMerge(AmountSum *into, const AmountSum *from, MemoryContext mcxt);
extern Numeric AmountSumResult(const AmountSum *sum);
extern void AmountSumCopy(AmountSum *into, const AmountSum *from, MemoryContext mcxt);

#endif							/* DORMANT_AMOUNT_SUM_H */
