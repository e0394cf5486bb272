/*
 * priority_breakdown.c
 *		How a priority score came about, as the jsonb of customer_scores'
 *		priority column: per axis, its points and the signals behind them.
 *
 * The same object jsonb_build_object would build from the same values, and
 * built the same way value by value (numbers rounded as round(x::numeric, n)
 * rounds them, times in JSON's ISO format), but without looking up the type
 * of every argument for every customer, which is most of what that costs
 * over a million rows.
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

/* Pushes a key; the value follows. */
static void
PushKey(JsonbParseState **state, const char *key)
{
	JsonbValue	value;

	value.type = jbvString;
	value.val.string.val = (char *) key;
	value.val.string.len = strlen(key);
	pushJsonbValue(state, WJB_KEY, &value);
}

static void
PushNull(JsonbParseState **state)
{
	JsonbValue	value;

	value.type = jbvNull;
	pushJsonbValue(state, WJB_VALUE, &value);
}

static void
PushString(JsonbParseState **state, char *string, int length)
{
	JsonbValue	value;

	value.type = jbvString;
	value.val.string.val = string;
	value.val.string.len = length;
	pushJsonbValue(state, WJB_VALUE, &value);
}

/* A number; NaN and infinity, which JSON has no numbers for, as strings. */
static void
PushNumeric(JsonbParseState **state, Numeric number)
{
	JsonbValue	value;

	if (numeric_is_nan(number) || numeric_is_inf(number))
	{
		char	   *text = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(number)));

		PushString(state, text, strlen(text));
		return;
	}
	value.type = jbvNumeric;
	value.val.numeric = number;
	pushJsonbValue(state, WJB_VALUE, &value);
}

/* round(x::numeric, digits), or null. */
static void
PushRounded(JsonbParseState **state, FunctionCallInfo fcinfo, int arg, int digits)
{
	Datum		number;

	if (PG_ARGISNULL(arg))
	{
		PushNull(state);
		return;
	}
	number = DirectFunctionCall1(float8_numeric, PG_GETARG_DATUM(arg));
	number = DirectFunctionCall2(numeric_round, number, Int32GetDatum(digits));
	PushNumeric(state, DatumGetNumeric(number));
}

/* An integer, as jsonb takes it: through its text. */
static void
PushInteger(JsonbParseState **state, FunctionCallInfo fcinfo, int arg, bool wide)
{
	if (PG_ARGISNULL(arg))
		PushNull(state);
	else
		PushNumeric(state, int64_to_numeric(wide ? PG_GETARG_INT64(arg) : PG_GETARG_INT32(arg)));
}

/* A real, as jsonb takes it: its shortest text read as a number. */
static void
PushReal(JsonbParseState **state, FunctionCallInfo fcinfo, int arg)
{
	char	   *text;

	if (PG_ARGISNULL(arg))
	{
		PushNull(state);
		return;
	}
	text = DatumGetCString(DirectFunctionCall1(float4out, PG_GETARG_DATUM(arg)));
	if (isnan(PG_GETARG_FLOAT4(arg)) || isinf(PG_GETARG_FLOAT4(arg)))
		PushString(state, text, strlen(text));
	else
		PushNumeric(state, DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(text),
															   ObjectIdGetDatum(InvalidOid),
															   Int32GetDatum(-1))));
}

static void
PushTimestamptz(JsonbParseState **state, FunctionCallInfo fcinfo, int arg)
{
	char		buffer[MAXDATELEN + 1];

	if (PG_ARGISNULL(arg))
	{
		PushNull(state);
		return;
	}
	JsonEncodeDateTime(buffer, PG_GETARG_DATUM(arg), TIMESTAMPTZOID, NULL);
	PushString(state, pstrdup(buffer), strlen(buffer));
}

static void
PushText(JsonbParseState **state, FunctionCallInfo fcinfo, int arg)
{
	text	   *string;

	if (PG_ARGISNULL(arg))
	{
		PushNull(state);
		return;
	}
	string = PG_GETARG_TEXT_PP(arg);
	PushString(state, VARDATA_ANY(string), VARSIZE_ANY_EXHDR(string));
}

/*
 * priority_breakdown(transactions, behaviour, sales, fit_points,
 *					  recent_amount, purchase_days, mean_gap_days, silence_days,
 *					  interest, last_interest_at, last_event, fit)
 */
PG_FUNCTION_INFO_V1(dormant_priority_breakdown);
Datum
dormant_priority_breakdown(PG_FUNCTION_ARGS)
{
	JsonbParseState *state = NULL;
	JsonbValue *object;

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);

	PushKey(&state, "transactions");
	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	PushKey(&state, "points");
	PushRounded(&state, fcinfo, 0, 2);
	PushKey(&state, "recent_amount");
	if (PG_ARGISNULL(4))
		PushNull(&state);
	else
		PushNumeric(&state, PG_GETARG_NUMERIC(4));
	PushKey(&state, "purchase_days");
	PushInteger(&state, fcinfo, 5, true);
	PushKey(&state, "mean_gap_days");
	PushRounded(&state, fcinfo, 6, 1);
	PushKey(&state, "silence_days");
	PushInteger(&state, fcinfo, 7, false);
	pushJsonbValue(&state, WJB_END_OBJECT, NULL);

	PushKey(&state, "behaviour");
	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	PushKey(&state, "points");
	PushRounded(&state, fcinfo, 1, 2);
	PushKey(&state, "interest");
	PushRounded(&state, fcinfo, 8, 2);
	PushKey(&state, "last_interest_at");
	PushTimestamptz(&state, fcinfo, 9);
	pushJsonbValue(&state, WJB_END_OBJECT, NULL);

	PushKey(&state, "sales");
	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	PushKey(&state, "points");
	PushRounded(&state, fcinfo, 2, 2);
	PushKey(&state, "last_event");
	PushText(&state, fcinfo, 10);
	pushJsonbValue(&state, WJB_END_OBJECT, NULL);

	PushKey(&state, "fit");
	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	PushKey(&state, "points");
	PushRounded(&state, fcinfo, 3, 2);
	PushKey(&state, "fit");
	PushReal(&state, fcinfo, 11);
	pushJsonbValue(&state, WJB_END_OBJECT, NULL);

	object = pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	PG_RETURN_JSONB_P(JsonbValueToJsonb(object));
}
