/*
 * bgnbd_state.c
 *		The customers of a BG/NBD fit, compressed into counts of identical
 *		(x, t_x, T) (see bgnbd_state.h), and the checks of a customer's
 *		numbers that the fit and the scoring functions share.
 */
#include "postgres.h"

#include <limits.h>

#include "common/int.h"
#include "miscadmin.h"
#include "port/pg_bitutils.h"
#include "utils/float.h"

#include "bgnbd_state.h"

/* MurmurHash3's 64-bit finalizer: every input bit affects every output bit. */
static inline uint64
Mix64(uint64 h)
{
	h ^= h >> 33;
	h *= UINT64CONST(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64CONST(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return h;
}

static inline uint64
DoubleBits(double value)
{
	uint64		bits;

	memcpy(&bits, &value, sizeof(bits));
	return bits;
}

static inline uint32
KeyHash(BgnbdKey key)
{
	uint64		h = Mix64((uint64) key.frequency);

	h = Mix64(h ^ DoubleBits(key.recency));
	h = Mix64(h ^ DoubleBits(key.age));
	return (uint32) h;
}

#define SH_PREFIX		bgnbd_cells
#define SH_ELEMENT_TYPE BgnbdCell
#define SH_KEY_TYPE		BgnbdKey
#define SH_KEY			key
#define SH_HASH_KEY(tb, k) KeyHash(k)
#define SH_EQUAL(tb, x, y) \
	((x).frequency == (y).frequency && (x).recency == (y).recency && (x).age == (y).age)
#define SH_SCOPE		extern
#define SH_DEFINE
#include "lib/simplehash.h"

/* A new state starts small: a fit per segment may have few customers. */
#define INITIAL_CELLS 32

static char *
Number(double value)
{
	return float8out_internal(value);
}

/*
 * The rules for one customer's numbers.  NaN fails every comparison below,
 * so it is refused along with the infinities.
 */
bool
BgnbdCustomerIsValid(int64 frequency, double recency, double age)
{
	return frequency >= 0 &&
		recency >= 0 && recency < get_float8_infinity() &&
		age >= 0 && age < get_float8_infinity() &&
		recency <= age &&
		(frequency > 0 || recency == 0);
}

/* The same rules, with an error that says which one a customer breaks. */
void
BgnbdCheckCustomer(int64 frequency, double recency, double age)
{
	if (likely(BgnbdCustomerIsValid(frequency, recency, age)))
		return;
	if (frequency < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid frequency \"" INT64_FORMAT "\"", frequency),
				 errdetail("Frequency counts repeat purchases and cannot be negative.")));
	if (!(recency >= 0 && recency < get_float8_infinity()))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid recency \"%s\"", Number(recency)),
				 errdetail("Recency is the time from the first to the last purchase: a finite number, zero or more.")));
	if (!(age >= 0 && age < get_float8_infinity()))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid age \"%s\"", Number(age)),
				 errdetail("Age is the time from the first purchase to the end of observation: a finite number, zero or more.")));
	if (recency > age)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("recency \"%s\" exceeds age \"%s\"", Number(recency), Number(age)),
				 errdetail("The last purchase cannot come after the end of observation.")));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("recency \"%s\" with frequency 0", Number(recency)),
			 errdetail("A customer without repeat purchases has recency 0.")));
}

void
BgnbdCheckPenalty(double penalty)
{
	if (!(penalty >= 0 && penalty < get_float8_infinity()))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid penalty \"%s\"", Number(penalty)),
				 errdetail("The penalty is a finite number, zero or more.")));
}

BgnbdState *
BgnbdStateCreate(MemoryContext mcxt, double penalty)
{
	BgnbdState *state = MemoryContextAllocZero(mcxt, sizeof(BgnbdState));

	state->mcxt = mcxt;
	state->penalty = penalty;
	state->cells = bgnbd_cells_create(mcxt, INITIAL_CELLS, NULL);
	return state;
}

/* Add count customers with these numbers, which the caller has checked. */
void
BgnbdStateAdd(BgnbdState *state, int64 frequency, double recency, double age,
			  int64 count)
{
	BgnbdKey	key;
	BgnbdCell  *cell;
	bool		found;

	Assert(BgnbdCustomerIsValid(frequency, recency, age) && count > 0);
	if (unlikely(pg_add_s64_overflow(state->customers, count, &state->customers)))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many customers for one BG/NBD fit")));

	/* -0.0 equals 0.0 but hashes differently: store one zero only */
	key.frequency = frequency;
	key.recency = recency + 0.0;
	key.age = age + 0.0;
	cell = bgnbd_cells_insert(state->cells, key, &found);
	if (found)
		cell->count += count;	/* cannot overflow: customers did not */
	else
		cell->count = count;
}

/*
 * Rows of one aggregate call share their penalty, so states to merge have
 * the same penalty unless the penalty varies from row to row.
 */
void
BgnbdStateMerge(BgnbdState *into, const BgnbdState *from)
{
	bgnbd_cells_iterator it;
	BgnbdCell  *cell;

	if (into->penalty != from->penalty)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("penalty must be the same for every row"),
				 errdetail("Rows have penalties %s and %s.",
						   Number(into->penalty), Number(from->penalty))));

	bgnbd_cells_start_iterate(from->cells, &it);
	while ((cell = bgnbd_cells_iterate(from->cells, &it)) != NULL)
	{
		CHECK_FOR_INTERRUPTS();
		BgnbdStateAdd(into, cell->key.frequency, cell->key.recency,
					  cell->key.age, cell->count);
	}
	BgnbdCheckState(into);
}

BgnbdState *
BgnbdStateCopy(const BgnbdState *from, MemoryContext mcxt)
{
	BgnbdState *state = BgnbdStateCreate(mcxt, from->penalty);

	BgnbdStateMerge(state, from);
	return state;
}

/*
 * Sorting the distinct customers: an introsort with the comparison inlined,
 * several times faster than qsort() with a comparison function on a
 * million cells.  Keys are distinct, so no care for equal keys is needed.
 */
static inline bool
CellLess(const BgnbdCell *x, const BgnbdCell *y)
{
	if (x->key.frequency != y->key.frequency)
		return x->key.frequency < y->key.frequency;
	if (x->key.recency != y->key.recency)
		return x->key.recency < y->key.recency;
	return x->key.age < y->key.age;
}

static inline void
SwapCells(BgnbdCell *x, BgnbdCell *y)
{
	BgnbdCell	t = *x;

	*x = *y;
	*y = t;
}

static void
SiftDown(BgnbdCell *cells, size_t root, size_t n)
{
	for (;;)
	{
		size_t		child = 2 * root + 1;

		if (child >= n)
			return;
		if (child + 1 < n && CellLess(&cells[child], &cells[child + 1]))
			child++;
		if (!CellLess(&cells[root], &cells[child]))
			return;
		SwapCells(&cells[root], &cells[child]);
		root = child;
	}
}

static void
HeapSortCells(BgnbdCell *cells, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		SiftDown(cells, i, n);
	for (size_t i = n; i-- > 1;)
	{
		SwapCells(&cells[0], &cells[i]);
		SiftDown(cells, 0, i);
	}
}

/* Quicksort while the depth allows, heapsort beyond: O(n log n) always. */
static void
SortCells(BgnbdCell *cells, size_t n, int depth)
{
	while (n > 16)
	{
		BgnbdCell	pivot;
		BgnbdCell  *lo = &cells[0];
		BgnbdCell  *mid = &cells[n / 2];
		BgnbdCell  *hi = &cells[n - 1];
		size_t		i;
		size_t		j;

		CHECK_FOR_INTERRUPTS();
		if (depth-- == 0)
		{
			HeapSortCells(cells, n);
			return;
		}
		/* median of three, which also keeps both scans in bounds */
		if (CellLess(mid, lo))
			SwapCells(mid, lo);
		if (CellLess(hi, mid))
		{
			SwapCells(hi, mid);
			if (CellLess(mid, lo))
				SwapCells(mid, lo);
		}
		pivot = *mid;
		i = 0;
		j = n - 1;
		for (;;)
		{
			while (CellLess(&cells[i], &pivot))
				i++;
			while (CellLess(&pivot, &cells[j]))
				j--;
			if (i >= j)
				break;
			SwapCells(&cells[i], &cells[j]);
			i++;
			j--;
		}
		/* cells[0..j] <= pivot <= cells[j + 1..n); recurse into the smaller */
		if (j + 1 < n - j - 1)
		{
			SortCells(cells, j + 1, depth);
			cells += j + 1;
			n -= j + 1;
		}
		else
		{
			SortCells(cells + j + 1, n - j - 1, depth);
			n = j + 1;
		}
	}
	for (size_t k = 1; k < n; k++)
		for (size_t m = k; m > 0 && CellLess(&cells[m], &cells[m - 1]); m--)
			SwapCells(&cells[m], &cells[m - 1]);
}

/*
 * The customers as arrays for the likelihood, in CurrentMemoryContext.  The
 * cells are sorted, so the sums of the likelihood run in the same order
 * however the rows arrived: serial and parallel fits are identical.
 */
void
BgnbdStateData(const BgnbdState *state, BgnbdData *data)
{
	uint32		ncells = state->cells->members;
	BgnbdCell  *cells;
	bgnbd_cells_iterator it;
	BgnbdCell  *cell;
	uint32		n = 0;
	double		frequency_sum = 0;
	double		age_sum = 0;

	memset(data, 0, sizeof(*data));
	if (ncells > INT_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many distinct customers for one BG/NBD fit")));

	cells = MemoryContextAllocHuge(CurrentMemoryContext, Max(ncells, 1) * sizeof(BgnbdCell));
	bgnbd_cells_start_iterate(state->cells, &it);
	while ((cell = bgnbd_cells_iterate(state->cells, &it)) != NULL)
		cells[n++] = *cell;
	Assert(n == ncells);
	SortCells(cells, ncells, 2 * (pg_leftmost_one_pos64((uint64) ncells | 1) + 1));

	data->ncells = ncells;
	data->recency = MemoryContextAllocHuge(CurrentMemoryContext, Max(ncells, 1) * sizeof(double));
	data->age = MemoryContextAllocHuge(CurrentMemoryContext, Max(ncells, 1) * sizeof(double));
	data->weight = MemoryContextAllocHuge(CurrentMemoryContext, Max(ncells, 1) * sizeof(double));
	data->groups = MemoryContextAllocHuge(CurrentMemoryContext, Max(ncells, 1) * sizeof(BgnbdGroup));
	for (uint32 i = 0; i < ncells; i++)
	{
		const BgnbdKey *key = &cells[i].key;
		double		weight = (double) cells[i].count;
		BgnbdGroup *group;

		if (i == 0 || key->frequency != cells[i - 1].key.frequency)
		{
			group = &data->groups[data->ngroups++];
			group->frequency = (double) key->frequency;
			group->weight = 0;
			group->first = i;
			group->cells = 0;
		}
		group = &data->groups[data->ngroups - 1];
		group->weight += weight;
		group->cells++;

		data->recency[i] = key->recency;
		data->age[i] = key->age;
		data->weight[i] = weight;
		data->customers += weight;
		if (key->frequency > 0)
			data->repeat_buyers += weight;
		frequency_sum += weight * (double) key->frequency;
		age_sum += weight * key->age;
	}
	pfree(cells);
	if (data->customers > 0)
	{
		data->mean_frequency = frequency_sum / data->customers;
		data->mean_age = age_sum / data->customers;
	}
}

#ifdef USE_ASSERT_CHECKING
void
BgnbdCheckState(const BgnbdState *state)
{
	Assert(state->customers >= (int64) state->cells->members);
	Assert(state->penalty >= 0);
}
#endif
