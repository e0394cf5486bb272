/*
 * aggregate_context.h
 *		The memory context of the aggregate a support function serves.
 */
#ifndef DORMANT_AGGREGATE_CONTEXT_H
#define DORMANT_AGGREGATE_CONTEXT_H

#include "postgres.h"
#include "fmgr.h"
#include "utils/regproc.h"

/* Support functions called outside an aggregate are a caller's mistake. */
static inline MemoryContext
AggregateContext(FunctionCallInfo fcinfo)
{
	MemoryContext aggcontext;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "%s called in non-aggregate context",
			 format_procedure(fcinfo->flinfo->fn_oid));
	return aggcontext;
}

#endif							/* DORMANT_AGGREGATE_CONTEXT_H */
