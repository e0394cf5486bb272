-- Invariants of the contact schedule over generated customers: nobody who
-- opted out or churned, no weekend, holiday or past date, nobody twice a
-- day, and no channel over its capacity on any day, counting every phase.
-- And the capacity rule itself: contacts are moved only when their channel
-- is full, in the order of the day they were due, then score, then
-- customer_id, and each later phase follows the day the one before got.
BEGIN;
CREATE EXTENSION dormant;
SET LOCAL search_path = public, pg_catalog;
SET LOCAL TimeZone = 'Asia/Tokyo';
SELECT plan(21);

SELECT setseed(0.75);
CREATE TABLE public.orders AS
SELECT (random() * 3000)::integer AS customer, timestamptz '2023-11-23' + random() * interval '1095 days' AS at,
	   round((random() * 500)::numeric, 2) AS amount
  FROM generate_series(1, 30000);
CREATE TABLE public.people AS
SELECT c AS customer, random() < 0.1 AS opted_out, random() < 0.8 AS email_ok, random() < 0.5 AS phone_ok,
	   CASE WHEN random() < 0.3 THEN NULL ELSE random() < 0.5 END AS mail_ok,
	   CASE WHEN random() < 0.3 THEN 'b2b' END AS policy,
	   CASE WHEN random() < 0.5 THEN (1 + random() * 11)::smallint END AS fiscal_year_end
  FROM generate_series(0, 3000) c;
CREATE TABLE public.events AS
SELECT (random() * 3000)::integer AS customer, timestamptz '2026-01-01' + random() * interval '320 days' AS at,
	   (ARRAY['mail_open', 'web_visit', 'download', 'complaint', 'meeting_positive'])[1 + (random() * 4)::int] AS kind
  FROM generate_series(1, 5000);
INSERT INTO dormant.contact_log
SELECT customer::text, (ARRAY['first_contact', 'follow_up', 'final_offer', 'nurture']::dormant.phase[])[1 + (random() * 3)::int],
	   'email', timestamptz '2026-11-01' + random() * interval '20 days',
	   (enum_range(NULL::dormant.outcome))[1 + (random() * 5)::int]
  FROM generate_series(1, 3000, 3) customer;
SELECT dormant.bind_transactions('public.orders', 'customer', 'at', 'amount');
SELECT dormant.bind_customers('public.people', 'customer');
SELECT dormant.bind_activities('public.events', 'customer', 'at', 'kind');
INSERT INTO dormant.holiday VALUES ('2026-11-26', 'a holiday'), ('2026-12-31', 'another');
UPDATE dormant.channel SET daily_capacity = 40 WHERE channel = 'email';
UPDATE dormant.channel SET daily_capacity = 5 WHERE channel = 'phone';
UPDATE dormant.channel SET daily_capacity = 2 WHERE channel = 'visit';
UPDATE dormant.channel SET daily_capacity = 10 WHERE channel = 'mail';
SET LOCAL dormant.as_of = '2026-11-23 10:00+09';
CREATE TEMPORARY TABLE plan AS SELECT * FROM dormant.contact_schedule;
CREATE TEMPORARY TABLE scores AS SELECT * FROM dormant.customer_scores;

-- Each contact with the day it was due before capacity: the customer's
-- first from contact_plan, each later one from the day the one before got.
CREATE TEMPORARY TABLE placed AS
WITH calendar AS (SELECT array_agg(day) AS holidays FROM dormant.holiday),
rows AS (
	SELECT p.*, s.fiscal_year_end, s.last_phase, s.last_contact_at, s.last_outcome,
		   ARRAY[o.follow_up_days, o.final_offer_days, o.nurture_days, o.nurture_every_days] AS offsets,
		   lag(p.phase) OVER w AS previous_phase, lag(p.due_on) OVER w AS previous_due
	  FROM plan p
	  JOIN scores s USING (customer_id)
	  JOIN dormant.policy o ON o.name = s.policy
	WINDOW w AS (PARTITION BY p.customer_id ORDER BY p.phase)
)
SELECT r.*, c.daily_capacity,
	   (SELECT n.due_on
		  FROM dormant.contact_plan(coalesce(r.previous_phase, r.last_phase)::text,
									coalesce(r.previous_due, (r.last_contact_at)::date),
									CASE WHEN r.previous_phase IS NULL THEN (r.last_outcome)::text ELSE 'no_response' END,
									'2026-11-23', r.offsets, calendar.holidays, r.fiscal_year_end) n
		 LIMIT 1) AS nominal
  FROM rows r
 CROSS JOIN calendar
  LEFT JOIN dormant.channel c USING (channel);
-- A channel's contacts per day, over every phase.
CREATE TEMPORARY TABLE used AS
SELECT p.channel, p.due_on, count(*) AS contacts, c.daily_capacity
  FROM plan p JOIN dormant.channel c USING (channel)
 GROUP BY p.channel, p.due_on, c.daily_capacity;

SELECT ok((SELECT count(*) FROM plan) > 100, 'the schedule is not empty');
SELECT cmp_ok((SELECT count(*) FROM placed WHERE due_on > nominal), '>', 500::bigint,
			  'capacity moves many contacts');
SELECT is((SELECT count(DISTINCT phase) FROM placed WHERE due_on > nominal), 4::bigint,
		  'in every phase');
SELECT is((SELECT count(*) FROM plan p JOIN public.people c ON c.customer::text = p.customer_id WHERE c.opted_out),
		  0::bigint, 'no opted-out customer is scheduled');
SELECT is((SELECT count(*) FROM plan p JOIN scores s USING (customer_id)
			WHERE s.status = 'churned' OR s.score IS NULL OR s.contact_note IS NOT NULL),
		  0::bigint, 'only scored customers with a sequence to run are scheduled');
SELECT is((SELECT count(*) FROM plan WHERE extract(isodow FROM due_on) > 5 OR due_on IN (SELECT day FROM dormant.holiday)),
		  0::bigint, 'nothing is due on a weekend or holiday');
SELECT is((SELECT count(*) FROM plan WHERE due_on < date '2026-11-23'), 0::bigint, 'nothing is due before as_of');
SELECT is((SELECT count(*) FROM (SELECT customer_id, due_on FROM plan GROUP BY 1, 2 HAVING count(*) > 1) d),
		  0::bigint, 'nobody is contacted twice on one day');
SELECT is((SELECT count(*) FROM used WHERE contacts > daily_capacity),
		  0::bigint, 'no channel takes more contacts a day than its capacity, over every phase');
SELECT cmp_ok((SELECT count(*) FROM used WHERE contacts = daily_capacity), '>', 20::bigint,
			  'and many days are full');
SELECT is((SELECT count(*) FROM plan p JOIN scores s USING (customer_id) JOIN dormant.channel c USING (channel)
			WHERE NOT coalesce(CASE c.consent WHEN 'email_ok' THEN s.email_ok WHEN 'phone_ok' THEN s.phone_ok
											  ELSE s.mail_ok END, false)),
		  0::bigint, 'every contact uses a channel the customer allows');
SELECT is((SELECT count(*) FROM placed WHERE due_on < nominal),
		  0::bigint, 'no contact is due before its day as contact_plan dates it from the one before');
SELECT is((SELECT count(*) FROM placed
			WHERE previous_due IS NOT NULL AND due_on - previous_due < offsets[array_position(enum_range(NULL::dormant.phase), previous_phase)]),
		  0::bigint, 'each phase comes at least its offset after the day the one before got');
-- Moved only for want of room: on every business day from the day it was
-- due to the day before it got, its channel was full (for a nurture with a
-- known fiscal year end, only the days of its budget window count).
SELECT is((SELECT count(*) FROM placed m
			WHERE m.due_on > m.nominal
			  AND EXISTS (SELECT FROM generate_series(m.nominal, m.due_on - 1, interval '1 day') d
						   WHERE extract(isodow FROM d) < 6
							 AND (d)::date NOT IN (SELECT day FROM dormant.holiday)
							 AND (m.phase <> 'nurture' OR m.fiscal_year_end IS NULL
								  OR (extract(month FROM d)::int - m.fiscal_year_end + 13) % 12 <= 2)
							 AND coalesce((SELECT u.contacts FROM used u WHERE u.channel = m.channel AND u.due_on = (d)::date), 0)
								 < m.daily_capacity)),
		  0::bigint, 'a contact is moved only when its channel is full on every business day it waited');
SELECT is((SELECT count(*) FROM placed WHERE due_on > nominal AND daily_capacity IS NULL),
		  0::bigint, 'contacts without a channel or on an unlimited one are never moved');
-- The queue: by the day due, then score, then customer_id.  A nurture that
-- went to its next budget window was due again on that day, so it is left
-- out.
SELECT is((SELECT count(*) FROM (
			SELECT due_on < max(due_on) OVER (PARTITION BY channel ORDER BY nominal, score DESC, customer_id COLLATE "C"
											  ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS overtaken
			  FROM placed
			 WHERE daily_capacity IS NOT NULL AND NOT (phase = 'nurture' AND fiscal_year_end IS NOT NULL)) q
			WHERE overtaken),
		  0::bigint, 'no contact goes after one that was due later, or the same day with a lower score or key');
SELECT is((SELECT count(*) FROM placed
			WHERE phase = 'nurture' AND fiscal_year_end IS NOT NULL AND due_on > nominal
			  AND (extract(month FROM due_on)::int - fiscal_year_end + 13) % 12 > 2),
		  0::bigint, 'a nurture moved by capacity stays in a budget window');

-- Without capacities, the same contacts on the days contact_plan gives.
UPDATE dormant.channel SET daily_capacity = NULL;
CREATE TEMPORARY TABLE unlimited AS SELECT * FROM dormant.contact_schedule;
SELECT results_eq(
	'SELECT customer_id, phase, channel, action FROM plan ORDER BY 1, 2',
	'SELECT customer_id, phase, channel, action FROM unlimited ORDER BY 1, 2',
	'capacity changes only the days');
SELECT results_eq(
	$$SELECT s.customer_id, (n.phase)::dormant.phase, n.due_on
		FROM scores s
		JOIN dormant.policy o ON o.name = s.policy
	   CROSS JOIN dormant.contact_plan((s.last_phase)::text, (s.last_contact_at)::date, (s.last_outcome)::text, '2026-11-23',
									   ARRAY[o.follow_up_days, o.final_offer_days, o.nurture_days, o.nurture_every_days],
									   (SELECT array_agg(day) FROM dormant.holiday), s.fiscal_year_end) n
	   WHERE s.customer_id IN (SELECT customer_id FROM unlimited)
	   ORDER BY 1, 2$$,
	'SELECT customer_id, phase, due_on FROM unlimited ORDER BY 1, 2',
	'and without capacities, the days are those of contact_plan');
UPDATE dormant.channel SET daily_capacity = CASE channel WHEN 'email' THEN 40 WHEN 'phone' THEN 5
														  WHEN 'visit' THEN 2 WHEN 'mail' THEN 10 END;

-- The same schedule from another plan: parallel workers, no hash joins.
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL enable_hashjoin = off;
SELECT results_eq(
	'SELECT * FROM dormant.contact_schedule ORDER BY customer_id, phase',
	'SELECT * FROM plan ORDER BY customer_id, phase',
	'the schedule does not depend on the query plan');
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET enable_hashjoin;

SELECT dormant.refresh('2026-11-23 10:00+09');
SELECT results_eq(
	'SELECT customer_id, phase, due_on, channel, action FROM dormant.schedule_snapshot ORDER BY 1, 2',
	'SELECT customer_id, phase, due_on, channel, action FROM plan ORDER BY 1, 2',
	'the refresh writes the schedule the live view shows');

SELECT * FROM finish();
ROLLBACK;
