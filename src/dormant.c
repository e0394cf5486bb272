/*
 * dormant.c
 *		Module magic and initialization of the dormant extension.
 */
#include "postgres.h"

#include "fmgr.h"

#include "as_of.h"
#include "compat.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

void
_PG_init(void)
{
	DefineAsOfVariable();
	MarkGUCPrefixReserved("dormant");
}
