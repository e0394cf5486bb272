/*
 * planned_contacts.c
 *		A customer's remaining contacts, each with the channel the playbook
 *		gives it.
 *
 *	planned_contacts(last_phase, last_contacted, last_outcome, start,
 *					 offsets int[4], holidays date[], fiscal_year_end smallint,
 *					 last_channel text, tier, email_ok, phone_ok, mail_ok,
 *					 consent_default boolean)
 *		-> SETOF (phase, due_on date, channel text, action text,
 *				  daily_capacity integer)
 *
 * The phases and days are contact_plan's, from the same first seven
 * arguments.  Each phase goes by the first channel that the playbook lists
 * for the tier and phase and that the customer allows (playbook.c), with its
 * action and daily capacity; NULL for all three when there is none.  After a
 * bounce, the phase retried goes by a channel listed after the one that
 * bounced.  A customer whose next contact has no channel gets no rows: such
 * a customer is not scheduled (contact_note says why).
 *
 * Stable, not immutable: it reads dormant.playbook and dormant.channel, once
 * per query, in the query's snapshot.
 */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"

#include "calendar.h"
#include "compat.h"
#include "contact_plan.h"
#include "playbook.h"

/* The arguments after those of contact_plan, by position. */
enum
{
	ARG_LAST_CHANNEL = PLAN_ARGS,
	ARG_TIER,
	ARG_EMAIL_OK,
	ARG_PHONE_OK,
	ARG_MAIL_OK,
	ARG_CONSENT_DEFAULT
};

#define COLUMNS 5

/* What one query keeps between customers, in fn_extra. */
typedef struct QueryState
{
	Playbook   *playbook;
	CalendarCache calendars;
	Datum		phases[PHASES];	/* the dormant.phase labels */
} QueryState;

static QueryState *
GetQueryState(FunctionCallInfo fcinfo, TupleDesc result)
{
	QueryState *state = (QueryState *) fcinfo->flinfo->fn_extra;

	if (state == NULL)
	{
		Oid			phase_type = TupleDescAttr(result, 0)->atttypid;

		state = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(QueryState));
		state->playbook = LoadPlaybook(fcinfo->flinfo->fn_mcxt);
		for (int p = 0; p < PHASES; p++)
			state->phases[p] = DirectFunctionCall2(enum_in, CStringGetDatum(PhaseName(p)),
												   ObjectIdGetDatum(phase_type));
		fcinfo->flinfo->fn_extra = state;
	}
	return state;
}

/* Where the channel that bounced stands in the playbook; 0 when nowhere. */
static int16
RetryAfter(FunctionCallInfo fcinfo, const Playbook *playbook, Oid tier,
		   int bounced)
{
	if (PG_ARGISNULL(ARG_LAST_CHANNEL))
		return 0;
	return PlaybookPreference(playbook, tier, bounced,
							  PG_GETARG_TEXT_PP(ARG_LAST_CHANNEL));
}

PG_FUNCTION_INFO_V1(dormant_planned_contacts);
Datum
dormant_planned_contacts(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	QueryState *state;
	ContactPlan plan;
	bool		allowed[CONSENTS];
	const PlaybookRow *chosen[PHASES];
	int16		retry_after = 0;
	Oid			tier;

	/*
	 * The caller's tuple descriptor: building it again from the catalog for
	 * every customer was a fifth of the work.
	 */
	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	state = GetQueryState(fcinfo, rsinfo->setDesc);
	if (!ReadContactPlan(fcinfo, &state->calendars, &plan) ||
		plan.count == 0 || PG_ARGISNULL(ARG_TIER))
		return (Datum) 0;
	tier = PG_GETARG_OID(ARG_TIER);
	ReadConsents(fcinfo, ARG_EMAIL_OK, allowed);
	if (plan.bounced >= 0)
		retry_after = RetryAfter(fcinfo, state->playbook, tier, plan.bounced);

	for (int i = 0; i < plan.count; i++)
	{
		chosen[i] = PlaybookChannel(state->playbook, tier, plan.phase[i], allowed,
									plan.phase[i] == plan.bounced ? retry_after : 0);
		if (i == 0 && chosen[i] == NULL)
			return (Datum) 0;
	}

	for (int i = 0; i < plan.count; i++)
	{
		Datum		values[COLUMNS] = {0};
		bool		nulls[COLUMNS] = {false};

		values[0] = state->phases[plan.phase[i]];
		values[1] = DateADTGetDatum(plan.due[i]);
		if (chosen[i] == NULL)
			nulls[2] = nulls[3] = nulls[4] = true;
		else
		{
			values[2] = PointerGetDatum(chosen[i]->channel);
			values[3] = PointerGetDatum(chosen[i]->action);
			values[4] = Int32GetDatum(chosen[i]->daily_capacity);
			nulls[4] = chosen[i]->unlimited;
		}
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
