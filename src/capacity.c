/*
 * capacity.c
 *		Contact dates within each channel's daily capacity.
 *
 *	within_capacity(customer_id text, phase text, due_on date, channel text,
 *					daily_capacity integer, score double precision,
 *					offsets integer[4], holidays date[],
 *					fiscal_year_end smallint) -> date
 *
 * A window function over every remaining contact of every customer to plan,
 * each row one phase as contact_plan dates it when every channel has room:
 *
 *		within_capacity(...) OVER (ORDER BY customer_id COLLATE "C")
 *
 * It returns the day each contact is due once no channel takes more than its
 * daily capacity on any business day.  The rule:
 *
 *	- Business days are taken in order.  On each, every channel takes the
 *	  contacts waiting for it (due on that day or before, not yet placed) in
 *	  order of the day they were due, then score (highest first), then
 *	  customer_id (in byte order), up to its capacity; the others wait for
 *	  the next business day.  Contacts that waited go before those newly
 *	  due, so none waits behind an endless stream of higher scores.
 *	- A customer's first row is due on its own due_on (or the next business
 *	  day).  Each later row is due the offset after the day the row before
 *	  it was placed (offsets[p] after a row of phase p, then a business day,
 *	  a nurture in the budget window), as contact_plan dates each phase from
 *	  the one before: a contact moved by capacity moves the customer's later
 *	  ones with it, and a customer's contacts keep their order and at least
 *	  their gaps, so no customer is due twice on one day.
 *	- A nurture contact that capacity would move out of the customer's budget
 *	  window waits for the next window instead.
 *	- Rows without a channel (no permitted one for that phase) and channels
 *	  with a NULL capacity take no room: such a contact is due when it falls.
 *
 * Why a window function: the rule is a greedy pass over every customer at
 * once, in date order, where placing one contact decides when that
 * customer's next one is due.  Done in SQL it needs a round per phase,
 * each accounting for the slots that the others took; here it is one pass
 * with a priority queue per channel: O(n log n) in the contacts, plus one
 * step per business day that has contacts.  Customers are ranked once by
 * score and customer_id, so a queue holds plain integers (day due, rank).
 *
 * The rows must come ordered by customer_id in byte order (COLLATE "C"): a
 * customer's rows are then together, and its place in that order is the
 * customer_id tie-break, so no key is kept in memory.  A customer's rows may
 * come in any order of phase: they are taken in phase order (rows of one
 * phase in the order they came), so the window needs no sort when the rows
 * come from each customer's plan in customer order.  A NULL
 * score ranks as minus infinity.  The calendar (holidays) is read from the
 * first row: it must be the same for every row.  Memory: about 60 bytes a
 * customer and 8 a contact, in the window's partition (100 MB for a million
 * customers with four contacts each).
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/float.h"
#include "utils/memutils.h"
#include "windowapi.h"

#include "calendar.h"
#include "compat.h"
#include "contact_plan.h"

/* Arguments, by position. */
enum
{
	ARG_CUSTOMER,
	ARG_PHASE,
	ARG_DUE,
	ARG_CHANNEL,
	ARG_CAPACITY,
	ARG_SCORE,
	ARG_OFFSETS,
	ARG_HOLIDAYS,
	ARG_FISCAL_YEAR_END
};

#define NO_CHANNEL (-1)

/* One contact: a row of the window. */
typedef struct Contact
{
	DateADT		day;			/* due_on as read, then as placed */
	int16		channel;		/* index in Planner.channels, or NO_CHANNEL */
	int8		phase;
} Contact;

/* One customer: the rows [first, end) of the window. */
typedef struct Customer
{
	float8		score;			/* NULL is read as -infinity */
	int32		rank;			/* by score, highest first, then by row */
	int8		fiscal_year_end;	/* 0: unknown */
	int16		offsets;		/* index in Planner.offsets */
	int32		first;
	int32		end;
	int32		next;			/* its first row not yet placed */
	DateADT		due;			/* the day row next is due, before capacity */
	bool		unordered;		/* its rows did not come in phase order */
} Customer;

/*
 * The contacts waiting for a channel, as keys that sort in the order the
 * channel takes them: the day due in the high 32 bits, the customer's rank
 * in the low.  A min-heap of plain integers: the comparisons that keep it
 * read nothing else, which matters with a million customers waiting.
 */
typedef struct Queue
{
	int64	   *keys;
	int32		count;
} Queue;

typedef struct Channel
{
	text	   *name;
	int32		capacity;		/* 0: no limit */
	int32		customers;		/* with a row on it: the most that can wait */
	int32		last_customer;	/* the last one counted */
	Queue		waiting;
} Channel;

/* Everything for one window partition, in its memory. */
typedef struct Planner
{
	bool		placed;
	int64		rows;
	Contact    *contacts;
	Customer   *customers;
	int32		customer_count;
	Channel    *channels;
	int			channel_count;
	int32	   *by_rank;		/* customers, in rank order */
	int32	   *contact_of_row;	/* NULL while every customer's rows came in
								 * phase order, contacts[row] being the row's */
	int32		(*offsets)[PHASES];	/* the distinct offsets arrays */
	int			offsets_count;
	Calendar	calendar;
} Planner;

static inline int64
QueueKey(DateADT due, int32 rank)
{
	return (int64) due * ((int64) 1 << 32) + rank;
}

static inline DateADT
QueueKeyDue(int64 key)
{
	/* rank is below 2^31: the floor of the quotient */
	return (DateADT) ((key - (key & 0xFFFFFFFF)) / ((int64) 1 << 32));
}

static void
QueuePush(Queue *queue, int64 key)
{
	int32		i = queue->count++;

	while (i > 0 && queue->keys[(i - 1) / 2] > key)
	{
		queue->keys[i] = queue->keys[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	queue->keys[i] = key;
}

static int64
QueuePop(Queue *queue)
{
	int64		first = queue->keys[0];
	int64		last = queue->keys[--queue->count];
	int32		i = 0;

	for (;;)
	{
		int32		child = 2 * i + 1;

		if (child >= queue->count)
			break;
		if (child + 1 < queue->count && queue->keys[child + 1] < queue->keys[child])
			child++;
		if (queue->keys[child] >= last)
			break;
		queue->keys[i] = queue->keys[child];
		i = child;
	}
	if (queue->count > 0)
		queue->keys[i] = last;
	return first;
}

typedef struct Ranked
{
	float8		score;
	int32		customer;
} Ranked;

/* Highest score first, then the earlier row (customer_id order). */
static int
CompareRanked(const void *a, const void *b)
{
	const Ranked *x = (const Ranked *) a;
	const Ranked *y = (const Ranked *) b;
	int			c = float8_cmp_internal(y->score, x->score);

	return c != 0 ? c : (x->customer > y->customer) - (x->customer < y->customer);
}

/* Each customer's rank: its place in the order of score, then customer_id. */
static void
RankCustomers(Planner *planner, MemoryContext memory)
{
	Ranked	   *ranked = palloc_extended(Max(planner->customer_count, 1) * sizeof(Ranked),
										 MCXT_ALLOC_HUGE);

	for (int32 c = 0; c < planner->customer_count; c++)
	{
		ranked[c].score = planner->customers[c].score;
		ranked[c].customer = c;
	}
	qsort(ranked, planner->customer_count, sizeof(Ranked), CompareRanked);
	planner->by_rank = MemoryContextAllocHuge(memory, Max(planner->customer_count, 1) * sizeof(int32));
	for (int32 r = 0; r < planner->customer_count; r++)
	{
		planner->customers[ranked[r].customer].rank = r;
		planner->by_rank[r] = ranked[r].customer;
	}
	pfree(ranked);
}

/* Byte order of two texts, as COLLATE "C" sorts them. */
static int
CompareBytes(const text *a, const text *b)
{
	int			la = VARSIZE_ANY_EXHDR(a);
	int			lb = VARSIZE_ANY_EXHDR(b);
	int			c = memcmp(VARDATA_ANY(a), VARDATA_ANY(b), Min(la, lb));

	return c != 0 ? c : (la > lb) - (la < lb);
}

static void
NotOrdered(void)
{
	ereport(ERROR,
			errcode(ERRCODE_WINDOWING_ERROR),
			errmsg("contacts to place within capacity are not ordered by customer and phase"),
			errhint("Call it with OVER (ORDER BY customer_id COLLATE \"C\", phase)."));
}

static Datum
Argument(WindowObject winobj, int argno, int64 row, bool *isnull)
{
	bool		isout;
	Datum		value = WinGetFuncArgInPartition(winobj, argno, (int) row,
												 WINDOW_SEEK_HEAD, false,
												 isnull, &isout);

	if (isout)
		elog(ERROR, "window row " INT64_FORMAT " is outside its partition", row);
	return value;
}

static Datum
RequiredArgument(WindowObject winobj, int argno, int64 row, const char *what)
{
	bool		isnull;
	Datum		value = Argument(winobj, argno, row, &isnull);

	if (isnull)
		ereport(ERROR,
				errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				errmsg("%s of a contact to place within capacity must not be null", what));
	return value;
}

/* The index of the row's channel (capacity 0: no limit), added when new. */
static int16
ChannelOf(Planner *planner, text *name, int32 capacity, int32 customer,
		  MemoryContext memory)
{
	Channel    *channel = NULL;
	int			i;

	for (i = 0; i < planner->channel_count; i++)
	{
		if (CompareBytes(planner->channels[i].name, name) == 0)
		{
			channel = &planner->channels[i];
			break;
		}
	}
	if (channel == NULL)
	{
		if (i >= PG_INT16_MAX)
			ereport(ERROR,
					errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					errmsg("too many channels to place contacts on"));
		if (i % 8 == 0)
			planner->channels = i == 0 ?
				MemoryContextAlloc(memory, 8 * sizeof(Channel)) :
				repalloc(planner->channels, (i + 8) * sizeof(Channel));
		channel = &planner->channels[i];
		channel->name = (text *) MemoryContextAlloc(memory, VARSIZE_ANY(name));
		memcpy(channel->name, name, VARSIZE_ANY(name));
		channel->capacity = capacity;
		channel->customers = 0;
		channel->last_customer = -1;
		channel->waiting.keys = NULL;
		channel->waiting.count = 0;
		planner->channel_count++;
	}
	else if (channel->capacity != capacity)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("channel \"%s\" has two daily capacities", text_to_cstring(name)));
	if (channel->last_customer != customer)
	{
		channel->customers++;
		channel->last_customer = customer;
	}
	return (int16) i;
}

/* The index of the offsets array, added when new. */
static int16
OffsetsOf(Planner *planner, ArrayType *array, MemoryContext memory)
{
	int32		offsets[PHASES];

	ReadOffsets(array, offsets);
	for (int i = 0; i < planner->offsets_count; i++)
	{
		if (memcmp(planner->offsets[i], offsets, sizeof(offsets)) == 0)
			return (int16) i;
	}
	if (planner->offsets_count >= PG_INT16_MAX)
		ereport(ERROR,
				errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				errmsg("too many different contact offsets"));
	if (planner->offsets_count % 8 == 0)
		planner->offsets = planner->offsets_count == 0 ?
			MemoryContextAlloc(memory, 8 * sizeof(*planner->offsets)) :
			repalloc(planner->offsets, (planner->offsets_count + 8) * sizeof(*planner->offsets));
	memcpy(planner->offsets[planner->offsets_count], offsets, sizeof(offsets));
	return (int16) planner->offsets_count++;
}

/*
 * Put the customer's contacts in phase order, stably, and note where each
 * row's contact went: the first time, every row's is its own.
 */
static void
OrderContacts(Planner *planner, Customer *customer, MemoryContext memory)
{
	int32		count = customer->end - customer->first;
	Contact    *contacts = &planner->contacts[customer->first];
	int32	   *rows = palloc(count * sizeof(int32));

	if (planner->contact_of_row == NULL)
	{
		planner->contact_of_row = MemoryContextAllocHuge(memory, planner->rows * sizeof(int32));
		for (int64 row = 0; row < planner->rows; row++)
			planner->contact_of_row[row] = (int32) row;
	}
	/* insertion sort of the rows: a customer has a few */
	for (int32 i = 0; i < count; i++)
	{
		Contact		contact = contacts[i];
		int32		j = i;

		for (; j > 0 && contacts[j - 1].phase > contact.phase; j--)
		{
			contacts[j] = contacts[j - 1];
			rows[j] = rows[j - 1];
		}
		contacts[j] = contact;
		rows[j] = customer->first + i;
	}
	for (int32 i = 0; i < count; i++)
		planner->contact_of_row[rows[i]] = customer->first + i;
	pfree(rows);
}

/*
 * Read every row of the partition: its contacts, its customers (a new one
 * where customer_id changes), its channels and its offsets.
 *
 * Each argument read fetches the row again from the window's tuplestore
 * (on disk beyond work_mem), which can free the values read before: each
 * is used at once, or copied.  Rows are read in order, each once: going
 * back over the partition would read the file again.
 */
static void
ReadContacts(WindowObject winobj, Planner *planner, MemoryContext memory)
{
	MemoryContext scratch = AllocSetContextCreate(CurrentMemoryContext,
												  "within_capacity row",
												  ALLOCSET_SMALL_SIZES);
	MemoryContext caller = MemoryContextSwitchTo(scratch);
	text	   *previous = NULL;
	int32		allocated = 0;
	int64		rows = WinGetPartitionRowCount(winobj);

	if (rows > PG_INT32_MAX)
		ereport(ERROR,
				errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				errmsg("too many contacts to place within capacity"));
	planner->rows = rows;
	planner->contacts = MemoryContextAllocHuge(memory, Max(rows, 1) * sizeof(Contact));

	for (int64 row = 0; row < rows; row++)
	{
		Contact    *contact = &planner->contacts[row];
		Customer   *customer;
		text	   *customer_id;
		Datum		value;
		bool		isnull;
		int32		capacity;
		int			order;

		CHECK_FOR_INTERRUPTS();
		MemoryContextReset(scratch);

		customer_id = DatumGetTextPP(RequiredArgument(winobj, ARG_CUSTOMER, row, "customer_id"));
		order = previous == NULL ? 1 : CompareBytes(customer_id, previous);
		if (order < 0)
			NotOrdered();
		if (order > 0)
		{
			/* a new customer: what its first row says of it */
			if (planner->customer_count == allocated)
			{
				allocated = Max(1024, 2 * allocated);
				planner->customers = planner->customer_count == 0 ?
					MemoryContextAllocHuge(memory, allocated * sizeof(Customer)) :
					repalloc_huge(planner->customers, allocated * sizeof(Customer));
			}
			if (previous != NULL)
				pfree(previous);
			previous = MemoryContextAlloc(memory, VARSIZE_ANY(customer_id));
			memcpy(previous, customer_id, VARSIZE_ANY(customer_id));

			customer = &planner->customers[planner->customer_count++];
			customer->first = customer->end = (int32) row;
			customer->unordered = false;
			value = Argument(winobj, ARG_SCORE, row, &isnull);
			customer->score = isnull ? -get_float8_infinity() : DatumGetFloat8(value);
			value = Argument(winobj, ARG_FISCAL_YEAR_END, row, &isnull);
			CheckFiscalYearEnd(isnull ? 0 : DatumGetInt16(value));
			customer->fiscal_year_end = isnull ? 0 : DatumGetInt16(value);
			value = RequiredArgument(winobj, ARG_OFFSETS, row, "offsets");
			customer->offsets = OffsetsOf(planner, DatumGetArrayTypeP(value), memory);
		}
		customer = &planner->customers[planner->customer_count - 1];
		customer->end++;

		value = RequiredArgument(winobj, ARG_PHASE, row, "phase");
		contact->phase = PhaseIndex(text_to_cstring(DatumGetTextPP(value)));
		if (row > customer->first && contact->phase < contact[-1].phase)
			customer->unordered = true;
		contact->day = DatumGetDateADT(RequiredArgument(winobj, ARG_DUE, row, "due_on"));
		if (DATE_NOT_FINITE(contact->day))
			ereport(ERROR,
					errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					errmsg("due date of a contact to place within capacity must be finite"));
		value = Argument(winobj, ARG_CAPACITY, row, &isnull);
		capacity = isnull ? 0 : DatumGetInt32(value);	/* 0: no limit */
		if (!isnull && capacity < 1)
			ereport(ERROR,
					errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					errmsg("daily capacity must be positive, not %d", capacity));
		value = Argument(winobj, ARG_CHANNEL, row, &isnull);
		contact->channel = isnull ? NO_CHANNEL :
			ChannelOf(planner, DatumGetTextPP(value), capacity,
					  planner->customer_count - 1, memory);

		if (row == 0)
		{
			value = RequiredArgument(winobj, ARG_HOLIDAYS, row, "holidays");
			MemoryContextSwitchTo(memory);
			planner->calendar = ReadCalendar(DatumGetArrayTypeP(value));
			MemoryContextSwitchTo(scratch);
		}
	}
	MemoryContextSwitchTo(caller);
	MemoryContextDelete(scratch);
	for (int32 c = 0; c < planner->customer_count; c++)
	{
		if (planner->customers[c].unordered)
			OrderContacts(planner, &planner->customers[c], memory);
	}
}

/*
 * Place the customer's contacts from row next on: those that take no room
 * are due when they fall; the first that needs room on a channel waits in
 * its queue.
 */
static void
Advance(Planner *planner, int32 c)
{
	Customer   *customer = &planner->customers[c];

	while (customer->next < customer->end)
	{
		Contact    *contact = &planner->contacts[customer->next];

		if (contact->channel != NO_CHANNEL &&
			planner->channels[contact->channel].capacity > 0)
		{
			QueuePush(&planner->channels[contact->channel].waiting,
					  QueueKey(customer->due, customer->rank));
			return;
		}
		contact->day = customer->due;
		if (++customer->next < customer->end)
			customer->due = PhaseDay(&planner->calendar, contact[1].phase,
									 contact->day + planner->offsets[customer->offsets][contact->phase],
									 customer->fiscal_year_end);
	}
}

/* Place the customer's waiting contact on day, then go on from it. */
static void
Place(Planner *planner, int32 c, DateADT day)
{
	Customer   *customer = &planner->customers[c];
	Contact    *contact = &planner->contacts[customer->next];

	contact->day = day;
	if (++customer->next < customer->end)
		customer->due = PhaseDay(&planner->calendar, contact[1].phase,
								 day + planner->offsets[customer->offsets][contact->phase],
								 customer->fiscal_year_end);
	Advance(planner, c);
}

static void
PlaceContacts(Planner *planner, MemoryContext memory)
{
	DateADT		day = 0;
	bool		started = false;

	RankCustomers(planner, memory);
	for (int i = 0; i < planner->channel_count; i++)
	{
		Channel    *channel = &planner->channels[i];

		if (channel->capacity > 0)
			channel->waiting.keys = MemoryContextAllocHuge(memory, channel->customers * sizeof(int64));
	}

	/* Every customer's first contact is due on its own day. */
	for (int32 c = 0; c < planner->customer_count; c++)
	{
		Customer   *customer = &planner->customers[c];

		customer->next = customer->first;
		customer->due = BusinessDay(&planner->calendar, planner->contacts[customer->first].day);
		Advance(planner, c);
	}

	for (;;)
	{
		bool		waiting = false;
		DateADT		earliest = 0;

		CHECK_FOR_INTERRUPTS();
		for (int i = 0; i < planner->channel_count; i++)
		{
			Queue	   *queue = &planner->channels[i].waiting;
			DateADT		due;

			if (queue->count == 0)
				continue;
			due = QueueKeyDue(queue->keys[0]);
			if (!waiting || due < earliest)
				earliest = due;
			waiting = true;
		}
		if (!waiting)
			break;

		/* the next business day with a contact due; every due is one */
		day = started ? Max(earliest, BusinessDay(&planner->calendar, day + 1)) : earliest;
		started = true;

		for (int i = 0; i < planner->channel_count; i++)
		{
			Channel    *channel = &planner->channels[i];
			Queue	   *queue = &channel->waiting;
			int32		taken = 0;

			while (taken < channel->capacity && queue->count > 0 &&
				   QueueKeyDue(queue->keys[0]) <= day)
			{
				int64		key = QueuePop(queue);
				int32		c = planner->by_rank[key & 0xFFFFFFFF];
				Customer   *customer = &planner->customers[c];
				Contact    *contact = &planner->contacts[customer->next];

				if (contact->phase == PHASE_NURTURE && customer->fiscal_year_end > 0 &&
					day > customer->due)
				{
					DateADT		window = PhaseDay(&planner->calendar, PHASE_NURTURE, day,
												  customer->fiscal_year_end);

					if (window != day)
					{
						/* moved out of the budget window: wait for the next */
						customer->due = window;
						QueuePush(queue, QueueKey(window, customer->rank));
						continue;
					}
				}
				Place(planner, c, day);
				taken++;
			}
		}
	}
}

PG_FUNCTION_INFO_V1(dormant_within_capacity);
Datum
dormant_within_capacity(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	Planner    *planner = (Planner *) WinGetPartitionLocalMemory(winobj, sizeof(Planner));
	int64		row;

	if (!planner->placed)
	{
		/* the partition's memory, which the local memory is a chunk of */
		MemoryContext memory = GetMemoryChunkContext(planner);

		ReadContacts(winobj, planner, memory);
		PlaceContacts(planner, memory);
		planner->placed = true;
	}
	row = WinGetCurrentPosition(winobj);
	if (planner->contact_of_row != NULL)
		row = planner->contact_of_row[row];
	PG_RETURN_DATEADT(planner->contacts[row].day);
}
