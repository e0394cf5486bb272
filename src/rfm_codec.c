/*
 * rfm_codec.c
 *		The serialized form of an RfmState.
 *
 * Used between parallel workers, for the SQL type dormant.rfm_state, and so
 * on disk and across servers.  Big-endian, versioned:
 *
 *	uint8	version (1)
 *	int64	purchases
 *	int64	first_at, last_at (zero when purchases = 0)
 *	uint8	flags: 1 = some amount was known, 2 = a numeric spill follows
 *	int32	display scale of the monetary sum
 *	int64	high and uint64 low half of the integer sum, in units of 1e-8
 *	[int32 length, numeric in its binary send format]	the spill
 *	int32	number of days, then each day (int32, days since 2000-01-01),
 *			strictly increasing
 *	int32	number of months, then each month (int32, year * 12 + month - 1,
 *			strictly increasing, the twelve up to the last purchase's at the
 *			most) with the amount bought in it (int64 high and uint64 low half,
 *			in units of 1e-8)
 *
 * Decoding trusts nothing: every length, range and order is checked, and a
 * bad value is an error with the caller's SQLSTATE, never a crash.
 */
#include "postgres.h"

#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/numeric.h"

#include "rfm_state.h"

#define RFM_STATE_VERSION	1
#define FLAG_ANY_AMOUNT		0x01
#define FLAG_SPILL			0x02

/* From numeric.c: the signs of finite values, and the base of the digits. */
#define SPILL_POSITIVE		0x0000
#define SPILL_NEGATIVE		0x4000
#define SPILL_NBASE			10000

/* Units as two 64-bit halves, whatever the integer type. */
static void
SendUnits(StringInfo buf, AmountUnits units)
{
#ifdef HAVE_INT128
	pq_sendint64(buf, (int64) (units >> 64));
#else
	pq_sendint64(buf, units < 0 ? -1 : 0);
#endif
	pq_sendint64(buf, (uint64) units);
}

bytea *
RfmStateEncode(RfmState *state)
{
	StringInfoData buf;
	AmountSum  *sum = &state->monetary;
	uint8		flags = (sum->any ? FLAG_ANY_AMOUNT : 0) | (sum->spill ? FLAG_SPILL : 0);

	DaySetCompact(&state->days);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, RFM_STATE_VERSION);
	pq_sendint64(&buf, state->purchases);
	pq_sendint64(&buf, state->purchases > 0 ? state->first_at : 0);
	pq_sendint64(&buf, state->purchases > 0 ? state->last_at : 0);
	pq_sendbyte(&buf, flags);
	pq_sendint32(&buf, sum->dscale);
	SendUnits(&buf, sum->units);
	if (sum->spill)
	{
		bytea	   *spill = DatumGetByteaPP(DirectFunctionCall1(numeric_send,
																 NumericGetDatum(sum->spill)));

		pq_sendint32(&buf, VARSIZE_ANY_EXHDR(spill));
		pq_sendbytes(&buf, VARDATA_ANY(spill), VARSIZE_ANY_EXHDR(spill));
	}
	pq_sendint32(&buf, state->days.count);
	for (int32 i = 0; i < state->days.count; i++)
		pq_sendint32(&buf, state->days.days[i]);
	pq_sendint32(&buf, state->months.count);
	for (int32 i = 0; i < state->months.count; i++)
	{
		pq_sendint32(&buf, state->months.entries[i].month);
		SendUnits(&buf, state->months.entries[i].amount);
	}
	return pq_endtypsend(&buf);
}

/* A bounds-checked reader over the encoded bytes. */
typedef struct Reader
{
	const char *data;
	int			length;
	int			offset;
	int			sqlstate;
} Reader;

static void pg_attribute_noreturn()
Invalid(const Reader *reader, const char *detail)
{
	ereport(ERROR,
			(errcode(reader->sqlstate),
			 errmsg("invalid dormant.rfm_state value"),
			 errdetail("%s", detail)));
}

static const char *
Take(Reader *reader, int size)
{
	const char *at = reader->data + reader->offset;

	if (size < 0 || reader->length - reader->offset < size)
		Invalid(reader, "The value is truncated.");
	reader->offset += size;
	return at;
}

static uint8
TakeUint8(Reader *reader)
{
	return (uint8) *Take(reader, 1);
}

static int32
TakeInt32(Reader *reader)
{
	uint32		value;

	memcpy(&value, Take(reader, sizeof(value)), sizeof(value));
	return (int32) pg_ntoh32(value);
}

static int64
TakeInt64(Reader *reader)
{
	uint64		value;

	memcpy(&value, Take(reader, sizeof(value)), sizeof(value));
	return (int64) pg_ntoh64(value);
}

static AmountUnits
TakeUnits(Reader *reader)
{
	int64		high = TakeInt64(reader);
	uint64		low = (uint64) TakeInt64(reader);

#ifdef HAVE_INT128
	return (int128) (((uint128) (uint64) high << 64) | low);
#else
	if (high != ((int64) low < 0 ? -1 : 0))
		Invalid(reader, "An amount does not fit this server's integers.");
	return (int64) low;
#endif
}

/*
 * The spill in numeric's binary send format: int16 ndigits, weight, sign and
 * display scale, then the base-10000 digits.  Its fields are checked here,
 * so that numeric_recv, which would raise errors of its own, accepts it; a
 * sum is never NaN nor infinite, and as numeric_send writes it, its first
 * and last digits are not zero.
 */
static Numeric
TakeSpill(Reader *reader)
{
	int32		length = TakeInt32(reader);
	const char *data = Take(reader, length);
	uint16		field[4];
	StringInfoData buf;

	if (length < (int32) sizeof(field))
		Invalid(reader, "The monetary spill is truncated.");
	for (int i = 0; i < 4; i++)
	{
		memcpy(&field[i], data + i * sizeof(uint16), sizeof(uint16));
		field[i] = pg_ntoh16(field[i]);
	}
	if (length != (int32) sizeof(field) + field[0] * (int32) sizeof(int16))
		Invalid(reader, "The length of the monetary spill does not match its digits.");
	if (field[2] != SPILL_POSITIVE && field[2] != SPILL_NEGATIVE)
		Invalid(reader, "The monetary spill is not a finite number.");
	if (field[3] > AMOUNT_MAX_DSCALE)
		Invalid(reader, "The display scale of the monetary spill is out of range.");
	for (int i = 0; i < field[0]; i++)
	{
		uint16		digit;

		memcpy(&digit, data + sizeof(field) + i * sizeof(uint16), sizeof(uint16));
		digit = pg_ntoh16(digit);
		if (digit >= SPILL_NBASE || (digit == 0 && (i == 0 || i == field[0] - 1)))
			Invalid(reader, "A digit of the monetary spill is out of range.");
	}

	buf.data = (char *) data;
	buf.len = length;
	buf.maxlen = length;
	buf.cursor = 0;
	return DatumGetNumeric(DirectFunctionCall3(numeric_recv,
											   PointerGetDatum(&buf),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

static void
TakeDays(Reader *reader, RfmState *state)
{
	int32		count = TakeInt32(reader);

	if (count < 0 || count > state->purchases ||
		(count == 0) != (state->purchases == 0))
		Invalid(reader, "The number of purchase days does not match the purchases.");
	if ((int64) count * (int64) sizeof(int32) > reader->length - reader->offset)
		Invalid(reader, "The value is truncated.");
	for (int32 i = 0; i < count; i++)
	{
		DateADT		day = TakeInt32(reader);

		if (!IS_VALID_DATE(day))
			Invalid(reader, "A purchase day is out of range.");
		if (i > 0 && day <= state->days.days[i - 1])
			Invalid(reader, "The purchase days are not strictly increasing.");
		DaySetAdd(&state->days, day, state->mcxt);
	}
}

/* Months of the purchase days, each with a finite amount. */
static void
TakeMonths(Reader *reader, RfmState *state)
{
	int32		count = TakeInt32(reader);
	int32		first_month = 0;
	int32		last_month = 0;

	if (state->days.count > 0)
	{
		first_month = MonthOfDay(state->days.days[0]);
		last_month = MonthOfDay(state->days.days[state->days.count - 1]);
	}
	if (count < 0 || count > state->days.count ||
		(count == 0) != (state->days.count == 0))
		Invalid(reader, "The number of purchase months does not match the purchase days.");
	if ((int64) count * 20 > reader->length - reader->offset)
		Invalid(reader, "The value is truncated.");
	for (int32 i = 0; i < count; i++)
	{
		int32		month = TakeInt32(reader);
		AmountUnits amount = TakeUnits(reader);

		if (month < first_month || month > last_month ||
			(i > 0 && month <= state->months.entries[i - 1].month))
			Invalid(reader, "The purchase months are out of range or out of order.");
		if (amount < -AMOUNT_UNITS_MAX)
			Invalid(reader, "A monthly amount is out of range.");
		MonthAmountsAdd(&state->months, month, amount, state->mcxt);
	}
}

RfmState *
RfmStateDecode(const char *data, int length, MemoryContext mcxt, int sqlstate)
{
	Reader		reader = {data, length, 0, sqlstate};
	RfmState   *state = RfmStateCreate(mcxt);
	uint8		flags;
	MemoryContext old;

	if (length < 1 || TakeUint8(&reader) != RFM_STATE_VERSION)
		Invalid(&reader, "The version is not one this build of dormant reads.");
	state->purchases = TakeInt64(&reader);
	state->first_at = TakeInt64(&reader);
	state->last_at = TakeInt64(&reader);
	if (state->purchases < 0)
		Invalid(&reader, "The purchase count is negative.");
	if (state->purchases > 0 &&
		!(IS_VALID_TIMESTAMP(state->first_at) &&
		  IS_VALID_TIMESTAMP(state->last_at) &&
		  state->first_at <= state->last_at))
		Invalid(&reader, "The first and last purchase times are out of range or out of order.");

	flags = TakeUint8(&reader);
	if (flags & ~(FLAG_ANY_AMOUNT | FLAG_SPILL))
		Invalid(&reader, "Unknown flags are set.");
	state->monetary.any = (flags & FLAG_ANY_AMOUNT) != 0;
	state->monetary.dscale = TakeInt32(&reader);
	if (state->monetary.dscale < 0 || state->monetary.dscale > AMOUNT_MAX_DSCALE)
		Invalid(&reader, "The display scale of the monetary sum is out of range.");
	state->monetary.units = TakeUnits(&reader);
	if (flags & FLAG_SPILL)
	{
		Numeric		spill = TakeSpill(&reader);

		old = MemoryContextSwitchTo(mcxt);
		state->monetary.spill = DatumGetNumericCopy(NumericGetDatum(spill));
		MemoryContextSwitchTo(old);
	}
	if (!state->monetary.any && (state->monetary.units != 0 || state->monetary.spill))
		Invalid(&reader, "A monetary sum is present without any amount.");

	TakeDays(&reader, state);
	TakeMonths(&reader, state);
	if (reader.offset != length)
		Invalid(&reader, "The value has trailing bytes.");
	DormantCheckState(state);
	return state;
}
