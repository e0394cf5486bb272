/*
 * bgnbd_codec.c
 *		The serialized form of a BgnbdState, passed between parallel workers.
 *
 * Big-endian, versioned:
 *
 *	uint8	version (1)
 *	float8	penalty
 *	int64	number of cells n
 *	n times: int64 frequency, float8 recency, float8 age, int64 count
 *
 * Cells come in any order; a state holds at least one, since it is made
 * for a first row.  Decoding trusts nothing: the length must match n
 * exactly, every cell must hold a valid customer and a positive count, no
 * key may repeat and the counts must not overflow; a bad value is an error,
 * never a crash.
 */
#include "postgres.h"

#include <float.h>

#include "common/int.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/memutils.h"

#include "bgnbd_state.h"

#define BGNBD_STATE_VERSION 1
#define HEADER_SIZE		(1 + 8 + 8)
#define CELL_SIZE		(8 + 8 + 8 + 8)

bytea *
BgnbdStateEncode(const BgnbdState *state)
{
	StringInfoData buf;
	bgnbd_cells_iterator it;
	BgnbdCell  *cell;
	Size		size = HEADER_SIZE + (Size) state->cells->members * CELL_SIZE;

	if (size > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many distinct customers for a parallel BG/NBD fit"),
				 errdetail("The state of %u distinct customers does not fit in 1 GB.",
						   state->cells->members),
				 errhint("Fit without parallel workers, or round recency and age to fewer distinct values.")));

	pq_begintypsend(&buf);
	enlargeStringInfo(&buf, size);
	pq_sendbyte(&buf, BGNBD_STATE_VERSION);
	pq_sendfloat8(&buf, state->penalty);
	pq_sendint64(&buf, state->cells->members);
	bgnbd_cells_start_iterate(state->cells, &it);
	while ((cell = bgnbd_cells_iterate(state->cells, &it)) != NULL)
	{
		pq_sendint64(&buf, cell->key.frequency);
		pq_sendfloat8(&buf, cell->key.recency);
		pq_sendfloat8(&buf, cell->key.age);
		pq_sendint64(&buf, cell->count);
	}
	return pq_endtypsend(&buf);
}

static void pg_attribute_noreturn()
Invalid(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid BG/NBD fit state"),
			 errdetail("%s", detail)));
}

static uint64
ReadUint64(const char **at)
{
	uint64		value;

	memcpy(&value, *at, sizeof(value));
	*at += sizeof(value);
	return pg_ntoh64(value);
}

static double
ReadFloat8(const char **at)
{
	uint64		bits = ReadUint64(at);
	double		value;

	memcpy(&value, &bits, sizeof(value));
	return value;
}

BgnbdState *
BgnbdStateDecode(const char *data, int length, MemoryContext mcxt)
{
	const char *at = data;
	double		penalty;
	int64		ncells;
	BgnbdState *state;

	if (length < 1 || (uint8) data[0] != BGNBD_STATE_VERSION)
		Invalid("The version is not one this build of dormant reads.");
	if (length < HEADER_SIZE)
		Invalid("The value is truncated.");
	at++;
	penalty = ReadFloat8(&at);
	ncells = (int64) ReadUint64(&at);
	if (!(penalty >= 0 && penalty <= DBL_MAX))
		Invalid("The penalty is negative or not finite.");
	if (ncells < 0 || ncells > (length - HEADER_SIZE) / CELL_SIZE ||
		HEADER_SIZE + ncells * CELL_SIZE != length)
		Invalid("The length does not match the number of cells.");
	if (ncells == 0)
		Invalid("The state holds no customers.");

	state = BgnbdStateCreate(mcxt, penalty);
	for (int64 i = 0; i < ncells; i++)
	{
		int64		frequency = (int64) ReadUint64(&at);
		double		recency = ReadFloat8(&at);
		double		age = ReadFloat8(&at);
		int64		count = (int64) ReadUint64(&at);
		uint32		members = state->cells->members;
		int64		customers;

		CHECK_FOR_INTERRUPTS();
		if (!BgnbdCustomerIsValid(frequency, recency, age))
			Invalid("A cell holds an invalid customer.");
		if (count <= 0)
			Invalid("A cell holds no customers.");
		if (pg_add_s64_overflow(state->customers, count, &customers))
			Invalid("The counts of customers overflow.");
		BgnbdStateAdd(state, frequency, recency, age, count);
		if (state->cells->members == members)
			Invalid("A cell repeats.");
	}
	BgnbdCheckState(state);
	return state;
}
