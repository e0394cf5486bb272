/*
 * bgnbd_state.h
 *		The customers of a BG/NBD fit: transition state of dormant.bgnbd_fit.
 *
 * Customers with the same (x, t_x, T) contribute the same likelihood term,
 * so the state keeps one cell per distinct triple with a count.  Data
 * measured in whole days or weeks have many duplicates (CDNOW's 2,357
 * customers have 1,016 distinct triples), and memory then grows with the
 * distinct triples, not with the customers.
 */
#ifndef DORMANT_BGNBD_STATE_H
#define DORMANT_BGNBD_STATE_H

#include "postgres.h"

#include "bgnbd.h"

typedef struct BgnbdKey
{
	int64		frequency;
	double		recency;		/* never -0.0, so equal keys hash equally */
	double		age;
} BgnbdKey;

typedef struct BgnbdCell
{
	BgnbdKey	key;
	int64		count;			/* customers with this key, at least 1 */
	char		status;			/* used by simplehash */
} BgnbdCell;

#define SH_PREFIX		bgnbd_cells
#define SH_ELEMENT_TYPE BgnbdCell
#define SH_KEY_TYPE		BgnbdKey
#define SH_SCOPE		extern
#define SH_DECLARE
#include "lib/simplehash.h"

typedef struct BgnbdState
{
	MemoryContext mcxt;			/* where the state and its table live */
	double		penalty;		/* the fit's penalty, the same in every row */
	int64		customers;		/* sum of the counts */
	bgnbd_cells_hash *cells;
} BgnbdState;

extern BgnbdState *BgnbdStateCreate(MemoryContext mcxt, double penalty);
extern void BgnbdStateAdd(BgnbdState *state, int64 frequency, double recency,
						  double age, int64 count);
extern void BgnbdStateMerge(BgnbdState *into, const BgnbdState *from);
extern BgnbdState *BgnbdStateCopy(const BgnbdState *from, MemoryContext mcxt);
extern void BgnbdStateData(const BgnbdState *state, BgnbdData *data);
extern bool BgnbdCustomerIsValid(int64 frequency, double recency, double age);

/* in bgnbd_codec.c: the serialized form */
extern bytea *BgnbdStateEncode(const BgnbdState *state);
extern BgnbdState *BgnbdStateDecode(const char *data, int length, MemoryContext mcxt);

#ifdef USE_ASSERT_CHECKING
extern void BgnbdCheckState(const BgnbdState *state);
#else
#define BgnbdCheckState(state) ((void) 0)
#endif

#endif							/* DORMANT_BGNBD_STATE_H */
