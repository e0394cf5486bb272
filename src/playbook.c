/*
 * playbook.c
 *		The rows of dormant.playbook with their channels, read once per query,
 *		and the channel a customer's contact goes by.
 *
 * The schedule chooses a channel for every phase of every customer: looked
 * up in SQL, that is a subquery per contact.  The playbook is a few dozen
 * rows, so it is read once through SPI, in the query's snapshot, and
 * searched in memory.
 *
 * The rule, as the README gives it: the first channel in order of
 * preference that the customer allows (channel_allowed: the permission the
 * channel needs, else the policy's consent_default, else no), and after a
 * bounce, for the phase retried, only channels listed after the one that
 * bounced.
 */
#include "postgres.h"

#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"

#include "contact_plan.h"
#include "playbook.h"

/*
 * A left join: a playbook row whose channel is not (yet: the foreign key is
 * deferred) in dormant.channel is never chosen, but still says where a
 * bounced channel stood.
 */
#define PLAYBOOK_QUERY \
	"SELECT pb.tier, pb.phase::pg_catalog.text, pb.preference, pb.channel, pb.action," \
	" ch.channel IS NOT NULL, ch.daily_capacity, ch.consent" \
	" FROM dormant.playbook pb" \
	" LEFT JOIN dormant.channel ch ON ch.channel OPERATOR(pg_catalog.=) pb.channel" \
	" ORDER BY pb.tier, pb.phase, pb.preference"

static Consent
ConsentOf(HeapTuple tuple, TupleDesc desc, int column)
{
	static const char *const names[CONSENT_UNKNOWN] = {"email_ok", "phone_ok", "mail_ok"};
	char	   *name = SPI_getvalue(tuple, desc, column);

	for (int i = 0; name != NULL && i < CONSENT_UNKNOWN; i++)
	{
		if (strcmp(name, names[i]) == 0)
			return (Consent) i;
	}
	return CONSENT_UNKNOWN;
}

static text *
TextColumn(HeapTuple tuple, TupleDesc desc, int column, MemoryContext mcxt)
{
	bool		isnull;
	Datum		value = SPI_getbinval(tuple, desc, column, &isnull);
	text	   *copy;

	Assert(!isnull);			/* NOT NULL columns */
	value = PointerGetDatum(PG_DETOAST_DATUM_PACKED(value));
	copy = MemoryContextAlloc(mcxt, VARSIZE_ANY(DatumGetPointer(value)));
	memcpy(copy, DatumGetPointer(value), VARSIZE_ANY(DatumGetPointer(value)));
	return copy;
}

static void
ReadRow(PlaybookRow *row, HeapTuple tuple, TupleDesc desc, MemoryContext mcxt)
{
	bool		isnull;
	Datum		value;

	row->tier = DatumGetObjectId(SPI_getbinval(tuple, desc, 1, &isnull));
	row->phase = PhaseIndex(SPI_getvalue(tuple, desc, 2));
	row->preference = DatumGetInt16(SPI_getbinval(tuple, desc, 3, &isnull));
	row->channel = TextColumn(tuple, desc, 4, mcxt);
	row->action = TextColumn(tuple, desc, 5, mcxt);
	row->listed = DatumGetBool(SPI_getbinval(tuple, desc, 6, &isnull));
	value = SPI_getbinval(tuple, desc, 7, &isnull);
	row->unlimited = isnull;
	row->daily_capacity = isnull ? 0 : DatumGetInt32(value);
	row->consent = ConsentOf(tuple, desc, 8);
}

/* The playbook, in mcxt, which the caller keeps for the query. */
Playbook *
LoadPlaybook(MemoryContext mcxt)
{
	Playbook   *playbook = MemoryContextAllocZero(mcxt, sizeof(Playbook));

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute(PLAYBOOK_QUERY, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read dormant.playbook");
	playbook->count = (int) SPI_processed;
	playbook->rows = MemoryContextAllocZero(mcxt, Max(playbook->count, 1) * sizeof(PlaybookRow));
	for (int i = 0; i < playbook->count; i++)
		ReadRow(&playbook->rows[i], SPI_tuptable->vals[i], SPI_tuptable->tupdesc, mcxt);
	SPI_finish();
	return playbook;
}

/*
 * The first row for the tier and phase, in order of preference, listed
 * after preference after (0: from the first), whose channel the customer
 * allows: allowed is indexed by Consent.  NULL when there is none.
 */
const PlaybookRow *
PlaybookChannel(const Playbook *playbook, Oid tier, int phase,
				const bool *allowed, int16 after)
{
	for (int i = 0; i < playbook->count; i++)
	{
		const PlaybookRow *row = &playbook->rows[i];

		if (row->tier == tier && row->phase == phase && row->preference > after &&
			row->listed && allowed[row->consent])
			return row;
	}
	return NULL;
}

/* Where the playbook lists the channel for the tier and phase; 0: nowhere. */
int16
PlaybookPreference(const Playbook *playbook, Oid tier, int phase,
				   const text *channel)
{
	int16		preference = 0;

	for (int i = 0; i < playbook->count; i++)
	{
		const PlaybookRow *row = &playbook->rows[i];

		if (row->tier == tier && row->phase == phase &&
			VARSIZE_ANY_EXHDR(row->channel) == VARSIZE_ANY_EXHDR(channel) &&
			memcmp(VARDATA_ANY(row->channel), VARDATA_ANY(channel),
				   VARSIZE_ANY_EXHDR(channel)) == 0)
			preference = Max(preference, row->preference);
	}
	return preference;
}

/*
 * Which permissions the customer has given, by Consent, from four
 * arguments from position first on: email_ok, phone_ok, mail_ok and the
 * policy's consent_default.  A NULL permission counts as the default, and
 * a NULL default as no, as channel_allowed says.
 */
void
ReadConsents(FunctionCallInfo fcinfo, int first, bool *allowed)
{
	bool		fallback = PG_ARGISNULL(first + 3) ? false : PG_GETARG_BOOL(first + 3);

	allowed[CONSENT_EMAIL] = PG_ARGISNULL(first) ? fallback : PG_GETARG_BOOL(first);
	allowed[CONSENT_PHONE] = PG_ARGISNULL(first + 1) ? fallback : PG_GETARG_BOOL(first + 1);
	allowed[CONSENT_MAIL] = PG_ARGISNULL(first + 2) ? fallback : PG_GETARG_BOOL(first + 2);
	allowed[CONSENT_UNKNOWN] = fallback;
}
