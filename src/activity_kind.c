/*
 * activity_kind.c
 *		The rows of dormant.activity_kind, read once per query and searched
 *		in memory: the activities can be millions of rows, the kinds a few.
 */
#include "postgres.h"

#include "executor/spi.h"
#include "utils/builtins.h"

#include "activity_kind.h"

#define KIND_QUERY \
	"SELECT kind, axis, weight FROM dormant.activity_kind"

static int
CompareKinds(const void *a, const void *b)
{
	const Kind *x = a;
	const Kind *y = b;

	if (x->length != y->length)
		return x->length < y->length ? -1 : 1;
	return memcmp(x->name, y->name, x->length);
}

KindTable *
LoadActivityKinds(MemoryContext mcxt)
{
	KindTable  *table = MemoryContextAllocZero(mcxt, sizeof(KindTable));

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute(KIND_QUERY, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read dormant.activity_kind");
	table->count = (int) SPI_processed;
	table->kinds = MemoryContextAllocZero(mcxt, sizeof(Kind) * Max(table->count, 1));
	for (int i = 0; i < table->count; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		Kind	   *kind = &table->kinds[i];
		char	   *axis = SPI_getvalue(tuple, desc, 2);
		bool		isnull;

		kind->name = MemoryContextStrdup(mcxt, SPI_getvalue(tuple, desc, 1));
		kind->length = strlen(kind->name);
		kind->competitor_switch = strcmp(kind->name, "competitor_switch") == 0;
		kind->axis = strcmp(axis, "churn") == 0 ? AXIS_CHURN :
			strcmp(axis, "sales") == 0 ? AXIS_SALES : AXIS_BEHAVIOUR;
		kind->weight = DatumGetFloat4(SPI_getbinval(tuple, desc, 3, &isnull));
	}
	SPI_finish();
	qsort(table->kinds, table->count, sizeof(Kind), CompareKinds);
	return table;
}

const Kind *
FindActivityKind(const KindTable *table, text *name)
{
	Kind		wanted;

	wanted.name = VARDATA_ANY(name);
	wanted.length = VARSIZE_ANY_EXHDR(name);
	return bsearch(&wanted, table->kinds, table->count, sizeof(Kind), CompareKinds);
}
