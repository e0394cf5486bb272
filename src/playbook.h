/*
 * playbook.h
 *		The rows of dormant.playbook with their channels, read once per query,
 *		and the channel a customer's contact goes by.
 */
#ifndef DORMANT_PLAYBOOK_H
#define DORMANT_PLAYBOOK_H

#include "postgres.h"
#include "fmgr.h"

/* The permission a channel needs, as dormant.channel.consent names it. */
typedef enum Consent
{
	CONSENT_EMAIL,
	CONSENT_PHONE,
	CONSENT_MAIL,
	CONSENT_UNKNOWN,			/* any other: the policy's default decides */
	CONSENTS
} Consent;

typedef struct PlaybookRow
{
	Oid			tier;			/* the dormant.tier label */
	int			phase;			/* PhaseIndex() */
	int16		preference;
	text	   *channel;
	text	   *action;
	bool		listed;			/* the channel is a row of dormant.channel */
	bool		unlimited;		/* its daily_capacity is NULL */
	int32		daily_capacity;
	Consent		consent;
} PlaybookRow;

/* Ordered by tier, phase and preference. */
typedef struct Playbook
{
	int			count;
	PlaybookRow *rows;
} Playbook;

extern Playbook *LoadPlaybook(MemoryContext mcxt);
extern const PlaybookRow *PlaybookChannel(const Playbook *playbook, Oid tier,
										  int phase, const bool *allowed,
										  int16 after);
extern void ReadConsents(FunctionCallInfo fcinfo, int first, bool *allowed);
extern int16 PlaybookPreference(const Playbook *playbook, Oid tier, int phase,
								const text *channel);

#endif							/* DORMANT_PLAYBOOK_H */
