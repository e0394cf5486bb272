/*
 * missing_channel.c
 *		Why a scored customer's next contact has no channel, if it has none.
 *
 *	missing_channel(tier, last_phase, last_channel, last_outcome,
 *					email_ok, phone_ok, mail_ok, consent_default) -> text
 *
 * The next contact is in the phase NextPhase() gives, by the channel the
 * playbook gives (PlaybookChannel(): the first the customer allows, and
 * after a bounce one listed after the channel that bounced), as the
 * schedule plans it.  NULL when there is such a channel or no next
 * contact; else 'no permitted channel for <phase>', or after a bounce 'no
 * permitted channel left after a bounce'.  customer_rows' contact_note says
 * so, and the schedule leaves the customer out.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"

#include "contact_plan.h"
#include "playbook.h"

/* The arguments, by position. */
enum
{
	ARG_TIER,
	ARG_LAST_PHASE,
	ARG_LAST_CHANNEL,
	ARG_LAST_OUTCOME,
	ARG_EMAIL_OK				/* then phone_ok, mail_ok, consent_default */
};

static Playbook *
QueryPlaybook(FunctionCallInfo fcinfo)
{
	if (fcinfo->flinfo->fn_extra == NULL)
		fcinfo->flinfo->fn_extra = LoadPlaybook(fcinfo->flinfo->fn_mcxt);
	return (Playbook *) fcinfo->flinfo->fn_extra;
}

PG_FUNCTION_INFO_V1(dormant_missing_channel);
Datum
dormant_missing_channel(PG_FUNCTION_ARGS)
{
	const Playbook *playbook;
	bool		allowed[CONSENTS];
	int			last = -1;
	const char *outcome = "no_response";
	bool		bounced;
	int			next;
	int16		after = 0;
	Oid			tier;

	if (PG_ARGISNULL(ARG_TIER))
		PG_RETURN_NULL();
	tier = PG_GETARG_OID(ARG_TIER);
	if (!PG_ARGISNULL(ARG_LAST_PHASE))
		last = PhaseIndex(text_to_cstring(PG_GETARG_TEXT_PP(ARG_LAST_PHASE)));
	if (!PG_ARGISNULL(ARG_LAST_OUTCOME))
		outcome = text_to_cstring(PG_GETARG_TEXT_PP(ARG_LAST_OUTCOME));
	next = NextPhase(last, outcome);
	if (next < 0)
		PG_RETURN_NULL();

	playbook = QueryPlaybook(fcinfo);
	bounced = last >= 0 && strcmp(outcome, "bounced") == 0;
	if (bounced && !PG_ARGISNULL(ARG_LAST_CHANNEL))
		after = PlaybookPreference(playbook, tier, last, PG_GETARG_TEXT_PP(ARG_LAST_CHANNEL));
	ReadConsents(fcinfo, ARG_EMAIL_OK, allowed);
	if (PlaybookChannel(playbook, tier, next, allowed, after) != NULL)
		PG_RETURN_NULL();
	if (bounced)
		PG_RETURN_TEXT_P(cstring_to_text("no permitted channel left after a bounce"));
	PG_RETURN_TEXT_P(cstring_to_text(psprintf("no permitted channel for %s", PhaseName(next))));
}
