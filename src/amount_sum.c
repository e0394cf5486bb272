/*
 * amount_sum.c
 *		Exact running sum of numeric amounts (see amount_sum.h).
 *
 * The amount is read straight from its datum, short varlena header and all,
 * so that the common case neither copies nor allocates.  That needs the
 * on-disk layout of numeric, which is private to numeric.c but frozen in
 * practice: pg_upgrade keeps data files as they are, so every major reads
 * the same bytes.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

#include "amount_sum.h"

#define NBASE							10000
#define NUMERIC_SIGN_MASK				0xC000
#define NUMERIC_NEG						0x4000
#define NUMERIC_SHORT					0x8000
#define NUMERIC_SPECIAL					0xC000
#define NUMERIC_NAN						0xC000
#define NUMERIC_SHORT_SIGN_MASK			0x2000
#define NUMERIC_SHORT_DSCALE_MASK		0x1F80
#define NUMERIC_SHORT_DSCALE_SHIFT		7
#define NUMERIC_SHORT_WEIGHT_SIGN_MASK	0x0040
#define NUMERIC_SHORT_WEIGHT_MASK		0x003F
#define NUMERIC_DSCALE_MASK				0x3FFF

/* Units of 1e-8 are two base-10000 digits below the decimal point. */
#define UNIT_FRACTION_DIGITS			8
#define UNIT_FRACTION_GROUPS			2

/* A numeric value taken apart. */
typedef struct NumericParts
{
	bool		negative;
	int			weight;			/* base-10000 exponent of the first digit */
	int			dscale;
	int			ndigits;
	const char *digits;			/* int16 each, possibly unaligned */
} NumericParts;

static void
DecodeNumeric(const struct varlena *value, NumericParts *parts)
{
	const char *data = VARDATA_ANY(value);
	int			size = VARSIZE_ANY_EXHDR(value);
	uint16		header;
	int			header_size;

	memcpy(&header, data, sizeof(header));
	if ((header & NUMERIC_SIGN_MASK) == NUMERIC_SPECIAL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("amount must be a finite number, not %s",
						header == NUMERIC_NAN ? "NaN" : "infinity"),
				 errhint("Leave the amount NULL when it is unknown.")));

	if ((header & NUMERIC_SIGN_MASK) == NUMERIC_SHORT)
	{
		parts->negative = (header & NUMERIC_SHORT_SIGN_MASK) != 0;
		parts->dscale = (header & NUMERIC_SHORT_DSCALE_MASK) >>
			NUMERIC_SHORT_DSCALE_SHIFT;
		parts->weight = ((header & NUMERIC_SHORT_WEIGHT_SIGN_MASK) ?
						 ~NUMERIC_SHORT_WEIGHT_MASK : 0) |
			(header & NUMERIC_SHORT_WEIGHT_MASK);
		header_size = sizeof(uint16);
	}
	else
	{
		int16		weight;

		memcpy(&weight, data + sizeof(uint16), sizeof(weight));
		parts->negative = (header & NUMERIC_SIGN_MASK) == NUMERIC_NEG;
		parts->dscale = header & NUMERIC_DSCALE_MASK;
		parts->weight = weight;
		header_size = sizeof(uint16) + sizeof(int16);
	}
	parts->ndigits = (size - header_size) / sizeof(int16);
	parts->digits = data + header_size;
}

/*
 * The value in units of 1e-8, or false when it has finer digits or does not
 * fit the integer type.
 */
static bool
PartsToUnits(const NumericParts *parts, AmountUnits *units)
{
	AmountUnits value = 0;
	int			exponent;

	for (int i = 0; i < parts->ndigits; i++)
	{
		int16		digit;

		memcpy(&digit, parts->digits + i * sizeof(int16), sizeof(digit));
		if (__builtin_mul_overflow(value, NBASE, &value) ||
			__builtin_add_overflow(value, digit, &value))
			return false;
	}

	/* the power of NBASE that the last digit stands for, in units */
	exponent = parts->weight - (parts->ndigits - 1) + UNIT_FRACTION_GROUPS;
	if (exponent < 0)
		return false;
	while (exponent-- > 0)
	{
		if (__builtin_mul_overflow(value, NBASE, &value))
			return false;
	}

	*units = parts->negative ? -value : value;
	return true;
}

/*
 * The value in units of 1e-8 for uses that need no exactness: finer digits
 * are cut off and values beyond the integer type's range saturate.
 */
static AmountUnits
PartsToUnitsCut(const NumericParts *parts)
{
	NumericParts cut = *parts;
	AmountUnits units;

	/* keep the digits worth at least 1e-8 */
	cut.ndigits = Min(parts->ndigits, parts->weight + UNIT_FRACTION_GROUPS + 1);
	if (cut.ndigits <= 0)
		return 0;
	if (PartsToUnits(&cut, &units))
		return units;
	return parts->negative ? -AMOUNT_UNITS_MAX : AMOUNT_UNITS_MAX;
}

/* Sum of units that saturates rather than overflows. */
AmountUnits
AmountUnitsAdd(AmountUnits a, AmountUnits b)
{
	AmountUnits sum;

	if (__builtin_add_overflow(a, b, &sum))
		return a < 0 ? -AMOUNT_UNITS_MAX : AMOUNT_UNITS_MAX;
	return Max(sum, -AMOUNT_UNITS_MAX);
}

/* Add a numeric to the spill value, which lives in mcxt. */
static void
SpillAdd(AmountSum *sum, Numeric value, MemoryContext mcxt)
{
	Numeric		total;
	MemoryContext old;

	total = sum->spill ? numeric_add_opt_error(sum->spill, value, NULL) : value;
	old = MemoryContextSwitchTo(mcxt);
	total = DatumGetNumericCopy(NumericGetDatum(total));
	MemoryContextSwitchTo(old);
	if (sum->spill)
		pfree(sum->spill);
	sum->spill = total;
}

static Numeric UnitsToNumericByText(AmountUnits units, int32 dscale);

/* Units as a numeric with the given display scale. */
Numeric
AmountUnitsToNumeric(AmountUnits units, int32 dscale)
{
#if PG_VERSION_NUM >= 150000
	/*
	 * The common case without going through text: every amount in the sum
	 * had at most dscale digits after the point, so the units' last
	 * 8 - dscale digits are zeros, and dividing them off is exact.
	 */
	if (dscale <= UNIT_FRACTION_DIGITS)
	{
		AmountUnits scaled = units;

		for (int i = dscale; i < UNIT_FRACTION_DIGITS; i++)
			scaled /= 10;
		if (scaled >= PG_INT64_MIN && scaled <= PG_INT64_MAX)
			return int64_div_fast_to_numeric((int64) scaled, dscale);
	}
#endif
	return UnitsToNumericByText(units, dscale);
}

/* Any sum and scale: the digits written out, then read by numeric_in. */
static Numeric
UnitsToNumericByText(AmountUnits units, int32 dscale)
{
	char		digits[64];
	char	   *end = digits + sizeof(digits);
	char	   *first = end;
	char	   *text = palloc(sizeof(digits) + 3 + dscale);
	char	   *out = text;
	int			fraction = Min(dscale, UNIT_FRACTION_DIGITS);
	bool		negative = units < 0;
	Numeric		result;

	/* digits of the magnitude, least significant first, at least nine */
	do
	{
		int			digit = (int) (units % 10);

		*--first = '0' + (negative ? -digit : digit);
		units /= 10;
	} while (units != 0 || end - first <= UNIT_FRACTION_DIGITS);

	if (negative)
		*out++ = '-';
	memcpy(out, first, end - first - UNIT_FRACTION_DIGITS);
	out += end - first - UNIT_FRACTION_DIGITS;
	if (dscale > 0)
	{
		*out++ = '.';
		memcpy(out, end - UNIT_FRACTION_DIGITS, fraction);
		out += fraction;
		memset(out, '0', dscale - fraction);
		out += dscale - fraction;
	}
	*out = '\0';

	result = DatumGetNumeric(DirectFunctionCall3(numeric_in,
												 CStringGetDatum(text),
												 ObjectIdGetDatum(InvalidOid),
												 Int32GetDatum(-1)));
	pfree(text);
	return result;
}

/*
 * Add one amount and return its sign.  NaN and infinity are errors: a sum
 * that contains them says nothing about the customer.
 */
AmountSign
AmountSumAdd(AmountSum *sum, Datum amount, MemoryContext mcxt,
			 AmountUnits *units_out)
{
	NumericParts parts;
	AmountUnits units;

	DecodeNumeric((struct varlena *) PG_DETOAST_DATUM_PACKED(amount), &parts);
	sum->any = true;
	sum->dscale = Max(sum->dscale, parts.dscale);
	*units_out = 0;
	if (parts.ndigits == 0)
		return AMOUNT_ZERO;

	if (!PartsToUnits(&parts, &units))
	{
		SpillAdd(sum, DatumGetNumeric(amount), mcxt);
		*units_out = PartsToUnitsCut(&parts);
		return parts.negative ? AMOUNT_NEGATIVE : AMOUNT_POSITIVE;
	}
	*units_out = units;
	if (__builtin_add_overflow(sum->units, units, &units))
		SpillAdd(sum, DatumGetNumeric(amount), mcxt);
	else
		sum->units = units;

	return parts.negative ? AMOUNT_NEGATIVE : AMOUNT_POSITIVE;
}

void
AmountSumMerge(AmountSum *into, const AmountSum *from, MemoryContext mcxt)
{
	AmountUnits units;

	into->any |= from->any;
	into->dscale = Max(into->dscale, from->dscale);
	if (__builtin_add_overflow(into->units, from->units, &units))
		SpillAdd(into, AmountUnitsToNumeric(from->units, from->dscale), mcxt);
	else
		into->units = units;
	if (from->spill)
		SpillAdd(into, from->spill, mcxt);
}

void
AmountSumCopy(AmountSum *into, const AmountSum *from, MemoryContext mcxt)
{
	*into = *from;
	if (from->spill)
	{
		MemoryContext old = MemoryContextSwitchTo(mcxt);

		into->spill = DatumGetNumericCopy(NumericGetDatum(from->spill));
		MemoryContextSwitchTo(old);
	}
}

/* The exact sum, with the largest display scale added; NULL if none was. */
Numeric
AmountSumResult(const AmountSum *sum)
{
	Numeric		result;

	if (!sum->any)
		return NULL;
	result = AmountUnitsToNumeric(sum->units, sum->dscale);
	if (sum->spill)
		result = numeric_add_opt_error(result, sum->spill, NULL);
	return result;
}
