/*
 * compat.h
 *		Every PostgreSQL version difference that dormant depends on.
 *
 * Function bodies are written against the current server API; this header
 * maps it onto older majors.  Supported: PostgreSQL 13 to 17.  Only 15 is
 * built and tested here; the other branches follow the server headers and
 * release notes of their versions.
 */
#ifndef DORMANT_COMPAT_H
#define DORMANT_COMPAT_H

#include "postgres.h"
#include "fmgr.h"
#include "utils/guc.h"
#if PG_VERSION_NUM >= 160000
#include "nodes/miscnodes.h"
#endif

#if PG_VERSION_NUM < 130000 || PG_VERSION_NUM >= 180000
#error "dormant supports PostgreSQL 13 to 17"
#endif

/* MarkGUCPrefixReserved() replaced EmitWarningsOnPlaceholders() in 15. */
#if PG_VERSION_NUM < 150000
#define MarkGUCPrefixReserved(prefix) EmitWarningsOnPlaceholders(prefix)
#endif

/*
 * Run a type's input function on a string and say whether it accepted it,
 * without raising its error.  Soft input errors arrived in 16; before, the
 * error is caught, which is safe for input functions that take no locks or
 * other resources, such as those of the date and time types.
 */
static inline bool
InputAccepted(PGFunction input, char *string, Datum *result)
{
#if PG_VERSION_NUM >= 160000
	ErrorSaveContext escontext = {T_ErrorSaveContext};

	return DirectInputFunctionCallSafe(input, string, InvalidOid, -1,
									   (Node *) &escontext, result);
#else
	MemoryContext context = CurrentMemoryContext;
	volatile bool accepted = true;

	PG_TRY();
	{
		*result = DirectFunctionCall3(input, CStringGetDatum(string),
									  ObjectIdGetDatum(InvalidOid),
									  Int32GetDatum(-1));
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(context);
		FlushErrorState();
		accepted = false;
	}
	PG_END_TRY();
	return accepted;
#endif
}

/*
 * InitMaterializedSRF() arrived in 15; before, set-returning functions set
 * up their tuplestore by hand, and the flags mean nothing.
 */
#if PG_VERSION_NUM < 150000
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/tuplestore.h"

#define MAT_SRF_USE_EXPECTED_DESC 0

static inline void
InitMaterializedSRF(FunctionCallInfo fcinfo, bits32 flags)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	TupleDesc	tupdesc;
	MemoryContext old;

	(void) flags;
	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		!(rsinfo->allowedModes & SFRM_Materialize))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = tuplestore_begin_heap(true, false, work_mem);
	rsinfo->setDesc = CreateTupleDescCopy(tupdesc);
	MemoryContextSwitchTo(old);
}
#endif

/*
 * int64_to_numeric() was exported in 14, with numeric infinities and
 * numeric_is_inf(); in 13 a numeric is never infinite.
 */
#if PG_VERSION_NUM < 140000
#include "utils/builtins.h"
#include "utils/numeric.h"
#define int64_to_numeric(value) DatumGetNumeric(DirectFunctionCall1(int8_numeric, Int64GetDatum(value)))
#define numeric_is_inf(number) ((void) (number), false)
#endif

/*
 * Exact sums of amounts use 128-bit integers where the compiler has them and
 * 64-bit ones otherwise; overflow in either case spills to numeric.
 */
#ifdef HAVE_INT128
typedef int128 AmountUnits;
#define AMOUNT_UNITS_MAX ((AmountUnits) (~(uint128) 0 >> 1))
#else
typedef int64 AmountUnits;
#define AMOUNT_UNITS_MAX PG_INT64_MAX
#endif

#endif							/* DORMANT_COMPAT_H */
