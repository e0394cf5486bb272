/*
 * rfm_type.c
 *		The SQL type dormant.rfm_state: a partial aggregate state that can be
 *		stored between refreshes and shipped between servers.
 *
 * Its bytes are the serialized state (rfm_codec.c); the text form is those
 * bytes in hex, as "\x0100...".  Input of either form is decoded in full and
 * encoded again, so a stored value is always valid and canonical.
 */
#include "postgres.h"

#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "rfm_state.h"

static bytea *
Canonical(const char *data, int length, int sqlstate)
{
	return RfmStateEncode(RfmStateDecode(data, length, CurrentMemoryContext, sqlstate));
}

PG_FUNCTION_INFO_V1(dormant_rfm_state_in);
Datum
dormant_rfm_state_in(PG_FUNCTION_ARGS)
{
	char	   *text = PG_GETARG_CSTRING(0);
	size_t		length = strlen(text);
	char	   *bytes;
	int			count;

	if (length < 2 || text[0] != '\\' || text[1] != 'x' || length % 2 != 0 ||
		strspn(text + 2, "0123456789abcdefABCDEF") != length - 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"",
						"dormant.rfm_state", text),
				 errdetail("A value is \\x followed by an even number of hexadecimal digits.")));
	bytes = palloc((length - 2) / 2 + 1);
	count = hex_decode(text + 2, length - 2, bytes);
	PG_RETURN_BYTEA_P(Canonical(bytes, count, ERRCODE_INVALID_TEXT_REPRESENTATION));
}

PG_FUNCTION_INFO_V1(dormant_rfm_state_out);
Datum
dormant_rfm_state_out(PG_FUNCTION_ARGS)
{
	bytea	   *value = PG_GETARG_BYTEA_PP(0);
	int			length = VARSIZE_ANY_EXHDR(value);
	char	   *text = palloc(2 * length + 3);
	int			count;

	text[0] = '\\';
	text[1] = 'x';
	count = hex_encode(VARDATA_ANY(value), length, text + 2);
	text[2 + count] = '\0';
	PG_RETURN_CSTRING(text);
}

PG_FUNCTION_INFO_V1(dormant_rfm_state_recv);
Datum
dormant_rfm_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			length = buf->len - buf->cursor;
	const char *data = pq_getmsgbytes(buf, length);

	PG_RETURN_BYTEA_P(Canonical(data, length, ERRCODE_INVALID_BINARY_REPRESENTATION));
}

PG_FUNCTION_INFO_V1(dormant_rfm_state_send);
Datum
dormant_rfm_state_send(PG_FUNCTION_ARGS)
{
	bytea	   *value = PG_GETARG_BYTEA_PP(0);

	PG_RETURN_BYTEA_P(DatumGetByteaPCopy(PointerGetDatum(value)));
}

static RfmState *
DecodeValue(bytea *value, MemoryContext mcxt)
{
	return RfmStateDecode(VARDATA_ANY(value), VARSIZE_ANY_EXHDR(value), mcxt,
						  ERRCODE_DATA_CORRUPTED);
}

/* Transition function of rfm_merge: combine stored states. */
PG_FUNCTION_INFO_V1(dormant_rfm_merge_trans);
Datum
dormant_rfm_merge_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	RfmState   *state = PG_ARGISNULL(0) ? NULL : (RfmState *) PG_GETARG_POINTER(0);

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "dormant_rfm_merge_trans called in non-aggregate context");
	if (!PG_ARGISNULL(1))
	{
		bytea	   *value = PG_GETARG_BYTEA_PP(1);

		if (state == NULL)
			state = DecodeValue(value, aggcontext);
		else
			RfmStateMerge(state, DecodeValue(value, CurrentMemoryContext));
	}
	if (state == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(dormant_rfm_summarize);
Datum
dormant_rfm_summarize(PG_FUNCTION_ARGS)
{
	return RfmStateSummary(DecodeValue(PG_GETARG_BYTEA_PP(0), CurrentMemoryContext),
						   fcinfo);
}
