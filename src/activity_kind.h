/*
 * activity_kind.h
 *		The rows of dormant.activity_kind, for the functions that read the
 *		bound activities (activity_signals.c).
 */
#ifndef DORMANT_ACTIVITY_KIND_H
#define DORMANT_ACTIVITY_KIND_H

#include "postgres.h"

typedef enum Axis
{
	AXIS_BEHAVIOUR,
	AXIS_SALES,
	AXIS_CHURN
} Axis;

typedef struct Kind
{
	char	   *name;
	int			length;
	Axis		axis;
	float4		weight;
	bool		competitor_switch;	/* the kind is competitor_switch */
} Kind;

/* The rows of dormant.activity_kind, sorted by length and bytes. */
typedef struct KindTable
{
	int			count;
	Kind	   *kinds;
} KindTable;

extern KindTable *LoadActivityKinds(MemoryContext mcxt);
extern const Kind *FindActivityKind(const KindTable *table, text *name);

#endif							/* DORMANT_ACTIVITY_KIND_H */
