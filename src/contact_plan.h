/*
 * contact_plan.h
 *		The phases of a contact sequence and the days they fall on, shared by
 *		contact_plan (the dates of one customer's sequence) and
 *		within_capacity (the dates of every customer's, within each
 *		channel's daily capacity).
 */
#ifndef DORMANT_CONTACT_PLAN_H
#define DORMANT_CONTACT_PLAN_H

#include "postgres.h"
#include "utils/array.h"
#include "utils/date.h"

#include "calendar.h"

/* first_contact, follow_up, final_offer, nurture */
#define PHASES 4
#define PHASE_NURTURE (PHASES - 1)

extern int	PhaseIndex(const char *name);
extern void ReadOffsets(ArrayType *array, int32 *offsets);
extern void CheckFiscalYearEnd(int fiscal_year_end);
extern DateADT PhaseDay(const Calendar *calendar, int phase, DateADT day,
						int fiscal_year_end);

#endif							/* DORMANT_CONTACT_PLAN_H */
