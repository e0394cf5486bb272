/*
 * contact_plan.c
 *		The remaining phases of a customer's contact sequence, with dates.
 *
 *	contact_plan(last_phase, last_contacted, last_outcome, start,
 *				 offsets int[4], holidays date[], fiscal_year_end smallint)
 *		-> SETOF (phase text, due_on date)
 *
 * The sequence is first_contact, follow_up, final_offer, then nurture,
 * repeated.  offsets are the days from one phase to the next: follow_up
 * after first_contact, final_offer after follow_up, the first nurture after
 * final_offer, and each nurture after the one before.
 *
 * From the last logged contact:
 *		none			every phase, first_contact first
 *		no_response		the phases after the logged one, the next dated from
 *						the day of the contact (a nurture repeats)
 *		bounced			the logged phase again, then the ones after it
 *		replied, meeting, purchased, opted_out
 *						nothing: the sequence has ended
 * The next phase is due no earlier than start (the day planned for, or the
 * first day a channel has room); each later phase is dated from the one
 * before it.  Every date moves forward to a business day: not a Saturday,
 * a Sunday or one of the holidays.
 *
 * Fiscal timing: for a customer whose fiscal year ends in month m, nurture
 * contacts move into the budget windows, the two months before the fiscal
 * year end (trials and demos) and the first month of the new fiscal year
 * (new proposals): the first day on or after the nominal date that falls
 * in month m - 1, m or m + 1.
 *
 * Immutable: the calendar comes in as an argument.  planned_contacts
 * (planned_contacts.c) takes the same first arguments and the same plan.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"

#include "compat.h"
#include "contact_plan.h"

static const char *const phase_names[PHASES] = {
	"first_contact", "follow_up", "final_offer", "nurture"
};

const char *
PhaseName(int phase)
{
	Assert(phase >= 0 && phase < PHASES);
	return phase_names[phase];
}

int
PhaseIndex(const char *name)
{
	for (int i = 0; i < PHASES; i++)
	{
		if (strcmp(name, phase_names[i]) == 0)
			return i;
	}
	ereport(ERROR,
			errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			errmsg("unknown contact phase \"%s\"", name));
	pg_unreachable();
}

/*
 * The phase of the next contact after a logged one in phase last (-1:
 * none logged) with this outcome: the same phase again after a bounce, the
 * next after no response (a nurture repeats), none (-1) once the sequence
 * has ended.
 */
int
NextPhase(int last, const char *outcome)
{
	if (last < 0)
		return 0;
	if (strcmp(outcome, "bounced") == 0)
		return last;
	if (strcmp(outcome, "no_response") == 0)
		return Min(last + 1, PHASE_NURTURE);
	return -1;
}

void
CheckFiscalYearEnd(int fiscal_year_end)
{
	if (fiscal_year_end < 0 || fiscal_year_end > 12)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("fiscal year end must be a month from 1 to 12, not %d", fiscal_year_end));
}

/*
 * The day a contact of the phase falls on, given the first day it may:
 * a nurture contact moves into the budget window when the fiscal year end
 * is known (0 when not), then any contact moves to a business day.
 */
DateADT
PhaseDay(const Calendar *calendar, int phase, DateADT day, int fiscal_year_end)
{
	if (phase == PHASE_NURTURE && fiscal_year_end > 0)
		day = BudgetWindow(day, fiscal_year_end);
	return BusinessDay(calendar, day);
}

/* The four offsets, each from 1 to 3660 days. */
void
ReadOffsets(ArrayType *array, int32 *offsets)
{
	Datum	   *values;
	bool	   *nulls;
	int			count;

	deconstruct_array(array, INT4OID, sizeof(int32), true, TYPALIGN_INT,
					  &values, &nulls, &count);
	if (count != PHASES)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("contact offsets must have %d elements, not %d", PHASES, count));
	for (int i = 0; i < PHASES; i++)
	{
		if (nulls[i] || DatumGetInt32(values[i]) < 1 || DatumGetInt32(values[i]) > 3660)
			ereport(ERROR,
					errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					errmsg("contact offsets must be between 1 and 3660 days"));
		offsets[i] = DatumGetInt32(values[i]);
	}
}

/*
 * The phases from next to nurture.  nominal is the day the first of them is
 * due before start and the calendar apply; offsets[p] is the gap into phase
 * p + 1, so each later phase is dated from the one before it.
 */
static void
MakePlan(ContactPlan *plan, int next, DateADT nominal, DateADT start,
		 const int32 *offsets, const Calendar *calendar, int fiscal_year_end)
{
	DateADT		due = Max(nominal, start);

	for (int phase = next; phase < PHASES; phase++)
	{
		due = PhaseDay(calendar, phase, due, fiscal_year_end);
		plan->phase[plan->count] = phase;
		plan->due[plan->count] = due;
		plan->count++;
		if (phase < PHASES - 1)
			due += offsets[phase];
	}
}

/*
 * The plan that the arguments contact_plan starts with describe (see the
 * top of this file), or false when start, offsets or holidays is NULL.  The
 * holidays are read through the cache, which the caller keeps for the
 * query: a plan per customer would otherwise sort them once per customer.
 */
bool
ReadContactPlan(FunctionCallInfo fcinfo, CalendarCache *calendars,
				ContactPlan *plan)
{
	int32		offsets[PHASES];
	const Calendar *calendar;
	DateADT		start;
	int			fiscal_year_end = PG_ARGISNULL(PLAN_ARG_FISCAL_YEAR_END) ? 0 :
		PG_GETARG_INT16(PLAN_ARG_FISCAL_YEAR_END);

	memset(plan, 0, sizeof(*plan));
	plan->bounced = -1;
	if (PG_ARGISNULL(PLAN_ARG_START) || PG_ARGISNULL(PLAN_ARG_OFFSETS) ||
		PG_ARGISNULL(PLAN_ARG_HOLIDAYS))
		return false;
	CheckFiscalYearEnd(fiscal_year_end);
	start = PG_GETARG_DATEADT(PLAN_ARG_START);
	if (DATE_NOT_FINITE(start))
		ereport(ERROR,
				errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				errmsg("start of a contact plan must be a finite date"));
	ReadOffsets(PG_GETARG_ARRAYTYPE_P(PLAN_ARG_OFFSETS), offsets);
	calendar = CachedCalendar(calendars, PG_GETARG_ARRAYTYPE_P(PLAN_ARG_HOLIDAYS),
							  fcinfo->flinfo->fn_mcxt);

	if (PG_ARGISNULL(PLAN_ARG_LAST_PHASE))
		MakePlan(plan, 0, start, start, offsets, calendar, fiscal_year_end);
	else
	{
		int			last = PhaseIndex(text_to_cstring(PG_GETARG_TEXT_PP(PLAN_ARG_LAST_PHASE)));
		const char *outcome = PG_ARGISNULL(PLAN_ARG_LAST_OUTCOME) ? "no_response" :
			text_to_cstring(PG_GETARG_TEXT_PP(PLAN_ARG_LAST_OUTCOME));
		DateADT		contacted = PG_ARGISNULL(PLAN_ARG_LAST_CONTACTED) ? start :
			PG_GETARG_DATEADT(PLAN_ARG_LAST_CONTACTED);
		int			next = NextPhase(last, outcome);

		if (DATE_NOT_FINITE(contacted))
			ereport(ERROR,
					errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					errmsg("contact date must be finite"));
		if (next < 0)
			return true;
		if (strcmp(outcome, "bounced") == 0)
		{
			plan->bounced = last;
			MakePlan(plan, next, contacted + 1, start, offsets, calendar,
					 fiscal_year_end);
		}
		else
			MakePlan(plan, next, contacted + offsets[last], start, offsets,
					 calendar, fiscal_year_end);
	}
	return true;
}

PG_FUNCTION_INFO_V1(dormant_contact_plan);
Datum
dormant_contact_plan(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	ContactPlan plan;

	if (fcinfo->flinfo->fn_extra == NULL)
		fcinfo->flinfo->fn_extra = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt,
														  sizeof(CalendarCache));
	if (!ReadContactPlan(fcinfo, (CalendarCache *) fcinfo->flinfo->fn_extra, &plan))
		PG_RETURN_NULL();
	InitMaterializedSRF(fcinfo, 0);

	for (int i = 0; i < plan.count; i++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		values[0] = CStringGetTextDatum(PhaseName(plan.phase[i]));
		values[1] = DateADTGetDatum(plan.due[i]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
