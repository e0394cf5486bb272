-- Thresholds proposed from the data: gap percentiles, the chance of another
-- purchase, and the drop of responses to contacts, on a hand-made shop whose
-- figures can be checked by hand.
CREATE SCHEMA thresholds_test;
SET search_path = thresholds_test, public;
SET TimeZone = 'UTC';
SET dormant.as_of = '2026-12-31 12:00+00';
\set SHOW_CONTEXT never

SELECT md5(string_agg(p::text, ',' ORDER BY p.name)) AS policies_before FROM dormant.policy p \gset

-- Nothing bound yet: every figure is NULL and says why.
SELECT measure, threshold, proposed, current_value, customers, observations, note
  FROM dormant.suggest_thresholds('b2c');

-- b2c customers (no row, a NULL policy or 'b2c'), with these gaps in days
-- between consecutive purchase days:
--   A 10 10 10 10    B 20 20 20 20    C 30 30 30 30 40
--   D 40 40 50 60 70    E 90 120    F one purchase only
-- Twenty gaps; sorted, the 16th is 50, the 18th 70 and the 19th 90.
-- As of 2026-12-31 all six are silent: A 265 days, B 253, C 200, D 196,
-- E 185, F 230, all longer than the longest gap.
-- b2b customers: G a gap of 100 days, silent 150; H a gap of 200, silent 250.
-- I names a policy that does not exist, J only has a refund: neither counts.
CREATE TABLE orders (customer text, ordered_at timestamptz, amount numeric);
INSERT INTO orders VALUES
	('A', '2026-03-01 12:00+00', 10), ('A', '2026-03-11 12:00+00', 10), ('A', '2026-03-11 13:00+00', 5),
	('A', '2026-03-15 12:00+00', -5), ('A', '2026-03-21 12:00+00', 10), ('A', '2026-03-31 12:00+00', NULL),
	('A', '2026-04-10 12:00+00', 10),
	('B', '2026-02-01 12:00+00', 20), ('B', '2026-02-21 12:00+00', 20), ('B', '2026-03-13 12:00+00', 20),
	('B', '2026-04-02 12:00+00', 20), ('B', '2026-04-22 12:00+00', 20),
	('C', '2026-01-05 12:00+00', 30), ('C', '2026-02-04 12:00+00', 30), ('C', '2026-03-06 12:00+00', 30),
	('C', '2026-04-05 12:00+00', 30), ('C', '2026-05-05 12:00+00', 30), ('C', '2026-06-14 12:00+00', 30),
	('D', '2025-10-01 12:00+00', 40), ('D', '2025-11-10 12:00+00', 40), ('D', '2025-12-20 12:00+00', 40),
	('D', '2026-02-08 12:00+00', 40), ('D', '2026-04-09 12:00+00', 40), ('D', '2026-06-18 12:00+00', 40),
	('E', '2025-12-01 12:00+00', 50), ('E', '2026-03-01 12:00+00', 50), ('E', '2026-06-29 12:00+00', 50),
	('F', '2026-05-15 12:00+00', 60),
	('G', '2026-04-25 12:00+00', 1000), ('G', '2026-08-03 12:00+00', 1000),
	('H', '2025-10-07 12:00+00', 2000), ('H', '2026-04-25 12:00+00', 2000),
	('I', '2026-01-01 12:00+00', 70), ('I', '2026-01-02 12:00+00', 70),
	('J', '2026-06-01 12:00+00', -20);
CREATE TABLE clients (customer text, policy text);
INSERT INTO clients VALUES ('B', NULL), ('C', 'b2c'), ('G', 'b2b'), ('H', 'b2b'), ('I', 'vip'), ('J', 'b2c');
SELECT dormant.bind_transactions('orders', 'customer', 'ordered_at', 'amount');
SELECT dormant.bind_customers('clients', 'customer');

-- Gap percentiles: 50, 70 and 90 days from the twenty gaps of five
-- customers.  The chance of another purchase after d silent days is here
-- (gaps longer than d) / (gaps longer than d + 6 open silences): 1/7 at 90
-- days, 0 at 120, so 120 days for a level of 10%.
SELECT measure, threshold, proposed, current_value, customers, observations, note
  FROM dormant.suggest_thresholds('b2c');
SELECT measure, basis FROM dormant.suggest_thresholds('b2c');
SELECT measure, detail FROM dormant.suggest_thresholds('b2c') WHERE measure <> 'response_drop';

-- The level moves the chance figure only: 5/11 < 50% at 40 days (8/14 at
-- 30); 20/26 right after a purchase is already below 80%.
SELECT level, proposed, detail ->> 'chance_day_before' AS chance_day_before,
	   detail ->> 'chance_at_proposed' AS chance_at_proposed, note
  FROM unnest(ARRAY[0.1, 0.25, 0.5, 0.8]) level,
	   dormant.suggest_thresholds('b2c', level)
 WHERE measure = 'repurchase_chance';
SELECT count(*) AS other_rows_that_differ FROM (
	SELECT * FROM dormant.suggest_thresholds('b2c', 0.1) WHERE measure <> 'repurchase_chance'
	EXCEPT
	SELECT * FROM dormant.suggest_thresholds('b2c', 0.5) WHERE measure <> 'repurchase_chance') d;

-- b2b: two gaps, so all percentiles are the longer one.  Kaplan-Meier with
-- the open silences censored: at 100 days one of 4 silences ends, S = 3/4;
-- G's open silence of 150 days leaves, and at 200 days one of the 2 still
-- running ends, S = 3/8, where the curve ends.  The chance of another
-- purchase is 1 - 3/8 = 62.5% after a purchase, 1 - (3/8)/(3/4) = 50% after
-- 100 silent days, 0 after 200 (counting only, 1 of the 3 silences beyond
-- 100 days ended in a purchase; G's may yet).
SELECT measure, threshold, proposed, current_value, customers, observations, note
  FROM dormant.suggest_thresholds('b2b');
SELECT level, proposed, detail, note
  FROM unnest(ARRAY[0.1, 0.55, 0.7]) level,
	   dormant.suggest_thresholds('b2b', level => level)
 WHERE measure = 'repurchase_chance';

-- A policy of one's own, with one customer: a gap of 30 days, then silent
-- for 10.  No silence outlasts the longest gap, so the share that never
-- buys again is unknown.
INSERT INTO dormant.policy (name, at_risk_after, dormant_after, lapsed_after)
VALUES ('subscription', '45 days', '90 days', '180 days');
INSERT INTO orders VALUES ('K', '2026-11-21 12:00+00', 9), ('K', '2026-12-21 12:00+00', 9);
INSERT INTO clients VALUES ('K', 'subscription');
SELECT measure, proposed, current_value, customers, observations, note, detail ->> 'never_again' AS never_again
  FROM dormant.suggest_thresholds('subscription');
DELETE FROM clients WHERE customer = 'K';
DELETE FROM orders WHERE customer = 'K';

-- Responses to contacts.  Twelve contacts in each 30-day bin of silence
-- after the last purchase (two per customer, 5 and 20 days into the bin);
-- the first k of them (by customer) replied:
INSERT INTO dormant.contact_log (customer_id, phase, channel, contacted_at, outcome)
SELECT c.customer, 'nurture', 'email',
	   c.last_day + (b.bin * 30 + o.days_in) + time '10:00',
	   CASE WHEN row_number() OVER (PARTITION BY b.bin ORDER BY c.customer, o.days_in) <= b.replies
			THEN 'replied' ELSE 'no_response' END::dormant.outcome
  FROM (SELECT customer, max(ordered_at)::date AS last_day FROM orders
		 WHERE customer IN ('A', 'B', 'C', 'D', 'E', 'F') GROUP BY customer) c
 CROSS JOIN (VALUES (0, 8), (1, 6), (2, 5), (3, 2), (4, 1)) b(bin, replies)
 CROSS JOIN (VALUES (5), (20)) o(days_in);
-- and these:
INSERT INTO dormant.contact_log (customer_id, phase, channel, contacted_at, outcome) VALUES
	-- 10 days into D's gap of 70: no reply logged, but a mail opened 5 days later
	('D', 'first_contact', 'email', '2026-04-19 10:00+00', 'no_response'),
	-- 5 days into C's gap of 40: a negative meeting is no response, and the
	-- next purchase is 35 days later
	('C', 'first_contact', 'phone', '2026-05-10 10:00+00', NULL),
	-- on the morning of C's purchase of 2026-05-05: a silence of 0 days, and
	-- that purchase is no response to it
	('C', 'first_contact', 'phone', '2026-05-05 09:00+00', 'no_response'),
	-- 100 days into E's gap of 120: no outcome, but a purchase 20 days later
	('E', 'first_contact', 'email', '2026-06-09 10:00+00', NULL),
	-- left out: bounced; less than 30 days before as_of; before any purchase
	('A', 'first_contact', 'email', '2026-05-30 10:00+00', 'bounced'),
	('B', 'first_contact', 'email', '2026-12-21 10:00+00', 'replied'),
	('F', 'first_contact', 'email', '2026-01-10 10:00+00', 'replied'),
	-- a b2b customer's contact counts for b2b only
	('G', 'first_contact', 'phone', '2026-09-02 10:00+00', 'replied');
CREATE TABLE events (customer text, at timestamptz, kind text);
INSERT INTO events VALUES
	('D', '2026-04-24 09:00+00', 'mail_open'),
	('C', '2026-05-12 09:00+00', 'meeting_negative'),
	('A', '2026-04-15 09:00+00', 'page_print');
SELECT dormant.bind_activities('events', 'customer', 'at', 'kind');

-- Per bin: 0-29 days 9 of 15 (8 replies, D's mail), 30-59 6 of 12, 60-89 5
-- of 12, 90-119 3 of 13 (2 replies, E's purchase), 120-149 1 of 12.  Half
-- of 9/15 is 30%: the first bin below it starts at 90 days.
SELECT measure, proposed, current_value, customers, observations, note
  FROM dormant.suggest_thresholds('b2c') WHERE measure = 'response_drop';
SELECT b.*
  FROM dormant.suggest_thresholds('b2c') s,
	   jsonb_to_recordset(s.detail -> 'bins') AS b(from_days integer, to_days integer, contacts integer,
													responses integer, rate numeric, judged boolean)
 WHERE s.measure = 'response_drop';
SELECT detail -> 'first_bin' AS first_bin FROM dormant.suggest_thresholds('b2c') WHERE measure = 'response_drop';
SELECT measure, proposed, customers, observations, note
  FROM dormant.suggest_thresholds('b2b') WHERE measure = 'response_drop';

-- Without responses in the first bin there is nothing to fall from.
UPDATE dormant.contact_log SET outcome = 'no_response';
DELETE FROM events WHERE kind = 'mail_open';
SELECT measure, proposed, note FROM dormant.suggest_thresholds('b2c') WHERE measure = 'response_drop';
-- Without a drop, no figure.
UPDATE dormant.contact_log SET outcome = 'replied';
SELECT measure, proposed, note FROM dormant.suggest_thresholds('b2c') WHERE measure = 'response_drop';
-- With fewer than two bins of 10 or more contacts, no figure either.
DELETE FROM dormant.contact_log WHERE contacted_at > '2026-07-15';
SELECT measure, proposed, observations, note FROM dormant.suggest_thresholds('b2c') WHERE measure = 'response_drop';

-- Purchase days are calendar days in the TimeZone setting: 23:30 and
-- 00:30 UTC are two days in UTC, one in Tokyo.
INSERT INTO orders VALUES ('L', '2026-03-10 23:30+00', 5), ('L', '2026-03-11 00:30+00', 5);
SELECT observations AS gaps_utc FROM dormant.suggest_thresholds('b2c') WHERE measure = 'gap_p80';
SET TimeZone = 'Asia/Tokyo';
SELECT observations AS gaps_tokyo FROM dormant.suggest_thresholds('b2c') WHERE measure = 'gap_p80';
SET TimeZone = 'UTC';

-- Bad arguments.
SELECT * FROM dormant.suggest_thresholds('no_such_policy');
SELECT * FROM dormant.suggest_thresholds('B2C');
SELECT * FROM dormant.suggest_thresholds(NULL);
SELECT * FROM dormant.suggest_thresholds('b2c', 0);
SELECT * FROM dormant.suggest_thresholds('b2c', 1);
SELECT * FROM dormant.suggest_thresholds('b2c', -0.5);
SELECT * FROM dormant.suggest_thresholds('b2c', 'NaN');
SELECT * FROM dormant.suggest_thresholds('b2c', NULL);
\set VERBOSITY sqlstate
SELECT * FROM dormant.suggest_thresholds('no_such_policy');
SELECT * FROM dormant.suggest_thresholds('b2c', 1.5);
SELECT * FROM dormant.suggest_thresholds('b2c', NULL);
\set VERBOSITY default

-- It proposes and changes nothing: the policies are as they were (the
-- subscription policy added above aside), and the function is stable, so
-- it could not write if it tried.
DELETE FROM dormant.policy WHERE name = 'subscription';
SELECT md5(string_agg(p::text, ',' ORDER BY p.name)) = :'policies_before' AS policies_unchanged FROM dormant.policy p;
SELECT provolatile, prosecdef, proconfig FROM pg_proc
 WHERE oid = 'dormant.suggest_thresholds(text, double precision)'::regprocedure;

SELECT dormant.unbind('transactions'), dormant.unbind('customers'), dormant.unbind('activities');
DELETE FROM dormant.contact_log;
RESET dormant.as_of;
RESET search_path;
DROP SCHEMA thresholds_test CASCADE;
