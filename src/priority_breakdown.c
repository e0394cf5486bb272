/*
 * priority_breakdown.c
 *		How a priority score came about, as the jsonb of customer_scores'
 *		priority column: per axis, its points and the signals behind them.
 *
 * The same object jsonb_build_object would build from the same values, and
 * built the same way value by value (numbers rounded as round(x::numeric, n)
 * rounds them, times in JSON's ISO format), but without looking up the type
 * of every argument for every customer, which is most of what that costs
 * over a million rows.  The objects are built as trees with their keys
 * already in jsonb's order (shorter first, then bytewise), so that they
 * need no sorting: that sort was a fifth of the function's time.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "compat.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "rounding.h"

/* A key and its value, in a pair of the object being built. */
static JsonbValue *
Key(JsonbPair *pair, const char *key)
{
	pair->key.type = jbvString;
	pair->key.val.string.val = (char *) key;
	pair->key.val.string.len = strlen(key);
	pair->order = 0;
	return &pair->value;
}

static void
SetNull(JsonbValue *value)
{
	value->type = jbvNull;
}

static void
SetString(JsonbValue *value, char *string, int length)
{
	value->type = jbvString;
	value->val.string.val = string;
	value->val.string.len = length;
}

/* A number; NaN and infinity, which JSON has no numbers for, as strings. */
static void
SetNumeric(JsonbValue *value, Numeric number)
{
	if (numeric_is_nan(number) || numeric_is_inf(number))
	{
		char	   *text = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(number)));

		SetString(value, text, strlen(text));
		return;
	}
	value->type = jbvNumeric;
	value->val.numeric = number;
}

/* round(x::numeric, digits), or null. */
static void
SetRounded(JsonbValue *value, FunctionCallInfo fcinfo, int arg, int digits)
{
	Datum		number;

	if (PG_ARGISNULL(arg))
	{
		SetNull(value);
		return;
	}
#if PG_VERSION_NUM >= 150000
	{
		int64		scaled;

		/* the same numeric, digits and display scale, without the text */
		if (RoundedScaled(PG_GETARG_FLOAT8(arg), digits, &scaled))
		{
			SetNumeric(value, int64_div_fast_to_numeric(scaled, digits));
			return;
		}
	}
#endif
	number = DirectFunctionCall1(float8_numeric, PG_GETARG_DATUM(arg));
	number = DirectFunctionCall2(numeric_round, number, Int32GetDatum(digits));
	SetNumeric(value, DatumGetNumeric(number));
}

/* An integer, as jsonb takes it: through its text. */
static void
SetInteger(JsonbValue *value, FunctionCallInfo fcinfo, int arg, bool wide)
{
	if (PG_ARGISNULL(arg))
		SetNull(value);
	else
		SetNumeric(value, int64_to_numeric(wide ? PG_GETARG_INT64(arg) : PG_GETARG_INT32(arg)));
}

/* A real, as jsonb takes it: its shortest text read as a number. */
static void
SetReal(JsonbValue *value, FunctionCallInfo fcinfo, int arg)
{
	char	   *text;

	if (PG_ARGISNULL(arg))
	{
		SetNull(value);
		return;
	}
	text = DatumGetCString(DirectFunctionCall1(float4out, PG_GETARG_DATUM(arg)));
	if (isnan(PG_GETARG_FLOAT4(arg)) || isinf(PG_GETARG_FLOAT4(arg)))
		SetString(value, text, strlen(text));
	else
		SetNumeric(value, DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(text),
															  ObjectIdGetDatum(InvalidOid),
															  Int32GetDatum(-1))));
}

static void
SetTimestamptz(JsonbValue *value, FunctionCallInfo fcinfo, int arg)
{
	char		buffer[MAXDATELEN + 1];

	if (PG_ARGISNULL(arg))
	{
		SetNull(value);
		return;
	}
	JsonEncodeDateTime(buffer, PG_GETARG_DATUM(arg), TIMESTAMPTZOID, NULL);
	SetString(value, pstrdup(buffer), strlen(buffer));
}

static void
SetText(JsonbValue *value, FunctionCallInfo fcinfo, int arg)
{
	text	   *string;

	if (PG_ARGISNULL(arg))
	{
		SetNull(value);
		return;
	}
	string = PG_GETARG_TEXT_PP(arg);
	SetString(value, VARDATA_ANY(string), VARSIZE_ANY_EXHDR(string));
}

static void
SetObject(JsonbValue *value, JsonbPair *pairs, int count)
{
	value->type = jbvObject;
	value->val.object.nPairs = count;
	value->val.object.pairs = pairs;
}

/*
 * priority_breakdown(transactions, behaviour, sales, fit_points,
 *					  recent_amount, purchase_days, mean_gap_days, silence_days,
 *					  interest, last_interest_at, last_event, fit)
 *
 * Every object lists its keys in jsonb's order.
 */
PG_FUNCTION_INFO_V1(dormant_priority_breakdown);
Datum
dormant_priority_breakdown(PG_FUNCTION_ARGS)
{
	JsonbPair	axes[4];
	JsonbPair	fit[2];
	JsonbPair	sales[2];
	JsonbPair	behaviour[3];
	JsonbPair	transactions[5];
	JsonbValue	object;

	SetReal(Key(&fit[0], "fit"), fcinfo, 11);
	SetRounded(Key(&fit[1], "points"), fcinfo, 3, 2);
	SetObject(Key(&axes[0], "fit"), fit, lengthof(fit));

	SetRounded(Key(&sales[0], "points"), fcinfo, 2, 2);
	SetText(Key(&sales[1], "last_event"), fcinfo, 10);
	SetObject(Key(&axes[1], "sales"), sales, lengthof(sales));

	SetRounded(Key(&behaviour[0], "points"), fcinfo, 1, 2);
	SetRounded(Key(&behaviour[1], "interest"), fcinfo, 8, 2);
	SetTimestamptz(Key(&behaviour[2], "last_interest_at"), fcinfo, 9);
	SetObject(Key(&axes[2], "behaviour"), behaviour, lengthof(behaviour));

	SetRounded(Key(&transactions[0], "points"), fcinfo, 0, 2);
	SetInteger(Key(&transactions[1], "silence_days"), fcinfo, 7, false);
	SetRounded(Key(&transactions[2], "mean_gap_days"), fcinfo, 6, 1);
	SetInteger(Key(&transactions[3], "purchase_days"), fcinfo, 5, true);
	if (PG_ARGISNULL(4))
		SetNull(Key(&transactions[4], "recent_amount"));
	else
		SetNumeric(Key(&transactions[4], "recent_amount"), PG_GETARG_NUMERIC(4));
	SetObject(Key(&axes[3], "transactions"), transactions, lengthof(transactions));

	SetObject(&object, axes, lengthof(axes));
	PG_RETURN_JSONB_P(JsonbValueToJsonb(&object));
}
