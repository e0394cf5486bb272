/*
 * result_type.h
 *		The row type a function returns, looked up once per query.
 */
#ifndef DORMANT_RESULT_TYPE_H
#define DORMANT_RESULT_TYPE_H

#include "postgres.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/regproc.h"

/*
 * The blessed descriptor of the composite the function returns, kept in
 * fn_extra.  A field count other than the C code's is a broken install.
 */
static inline TupleDesc
CachedResultType(FunctionCallInfo fcinfo, int fields)
{
	FmgrInfo   *flinfo = fcinfo->flinfo;
	TupleDesc	tupdesc;
	MemoryContext old;

	if (flinfo->fn_extra)
		return (TupleDesc) flinfo->fn_extra;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type of %s is not a composite type",
			 format_procedure(flinfo->fn_oid));
	if (tupdesc->natts != fields)
		elog(ERROR, "the return type of %s has %d fields, expected %d",
			 format_procedure(flinfo->fn_oid), tupdesc->natts, fields);

	old = MemoryContextSwitchTo(flinfo->fn_mcxt);
	tupdesc = BlessTupleDesc(CreateTupleDescCopy(tupdesc));
	MemoryContextSwitchTo(old);
	flinfo->fn_extra = tupdesc;
	return tupdesc;
}

#endif							/* DORMANT_RESULT_TYPE_H */
