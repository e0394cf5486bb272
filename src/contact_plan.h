/*
 * contact_plan.h
 *		The phases of a contact sequence and the days they fall on, shared by
 *		contact_plan (the dates of one customer's sequence), planned_contacts
 *		(the same, with the playbook's channel of each) and within_capacity
 *		(the dates of every customer's, within each channel's daily
 *		capacity).
 */
#ifndef DORMANT_CONTACT_PLAN_H
#define DORMANT_CONTACT_PLAN_H

#include "postgres.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/date.h"

#include "calendar.h"

/* first_contact, follow_up, final_offer, nurture */
#define PHASES 4
#define PHASE_NURTURE (PHASES - 1)

/*
 * The arguments that contact_plan and planned_contacts both start with, by
 * position: last_phase, last_contacted, last_outcome, start, offsets,
 * holidays, fiscal_year_end.
 */
enum
{
	PLAN_ARG_LAST_PHASE,
	PLAN_ARG_LAST_CONTACTED,
	PLAN_ARG_LAST_OUTCOME,
	PLAN_ARG_START,
	PLAN_ARG_OFFSETS,
	PLAN_ARG_HOLIDAYS,
	PLAN_ARG_FISCAL_YEAR_END,
	PLAN_ARGS
};

/* A customer's remaining phases, in order, and the day each is due. */
typedef struct ContactPlan
{
	int			count;
	int			phase[PHASES];
	DateADT		due[PHASES];
	int			bounced;		/* the phase retried after a bounce, or -1 */
} ContactPlan;

extern const char *PhaseName(int phase);
extern int	PhaseIndex(const char *name);
extern int	NextPhase(int last, const char *outcome);
extern void ReadOffsets(ArrayType *array, int32 *offsets);
extern void CheckFiscalYearEnd(int fiscal_year_end);
extern DateADT PhaseDay(const Calendar *calendar, int phase, DateADT day,
						int fiscal_year_end);
extern bool ReadContactPlan(FunctionCallInfo fcinfo, CalendarCache *calendars,
							ContactPlan *plan);

#endif							/* DORMANT_CONTACT_PLAN_H */
