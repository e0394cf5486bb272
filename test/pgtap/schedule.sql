-- Invariants of the contact schedule over generated customers: nobody who
-- opted out or churned, no weekend, holiday or past date, nobody twice a
-- day, and no channel over its capacity on anyone's next contact.
BEGIN;
CREATE EXTENSION dormant;
SET LOCAL search_path = public, pg_catalog;
SET LOCAL TimeZone = 'Asia/Tokyo';
SELECT plan(9);

SELECT setseed(0.75);
CREATE TABLE public.orders AS
SELECT (random() * 3000)::integer AS customer, timestamptz '2023-11-23' + random() * interval '1095 days' AS at,
	   round((random() * 500)::numeric, 2) AS amount
  FROM generate_series(1, 30000);
CREATE TABLE public.people AS
SELECT c AS customer, random() < 0.1 AS opted_out, random() < 0.8 AS email_ok, random() < 0.5 AS phone_ok,
	   CASE WHEN random() < 0.3 THEN NULL ELSE random() < 0.5 END AS mail_ok,
	   CASE WHEN random() < 0.3 THEN 'b2b' END AS policy
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
SET LOCAL dormant.as_of = '2026-11-23 10:00+09';
CREATE TEMPORARY TABLE plan AS SELECT * FROM dormant.contact_schedule;
CREATE TEMPORARY TABLE scores AS SELECT * FROM dormant.customer_scores;

SELECT ok((SELECT count(*) FROM plan) > 100, 'the schedule is not empty');
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
SELECT is((SELECT count(*) FROM (
			SELECT p.channel, p.due_on FROM (SELECT DISTINCT ON (customer_id) * FROM plan ORDER BY customer_id, due_on) p
			  JOIN dormant.channel c USING (channel)
			 GROUP BY p.channel, p.due_on, c.daily_capacity HAVING count(*) > c.daily_capacity) over),
		  0::bigint, 'no channel takes more next contacts a day than its capacity');
SELECT is((SELECT count(*) FROM plan p JOIN scores s USING (customer_id) JOIN dormant.channel c USING (channel)
			WHERE NOT coalesce(CASE c.consent WHEN 'email_ok' THEN s.email_ok WHEN 'phone_ok' THEN s.phone_ok
											  ELSE s.mail_ok END, false)),
		  0::bigint, 'every contact uses a channel the customer allows');

SELECT dormant.refresh('2026-11-23 10:00+09');
SELECT results_eq(
	'SELECT customer_id, phase, due_on, channel, action FROM dormant.schedule_snapshot ORDER BY 1, 2',
	'SELECT customer_id, phase, due_on, channel, action FROM plan ORDER BY 1, 2',
	'the refresh writes the schedule the live view shows');

SELECT * FROM finish();
ROLLBACK;
