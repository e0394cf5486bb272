-- The contact schedule: phases and dates, the contact log, business days,
-- channels and consent, and daily capacity.
CREATE SCHEMA schedule_test;
SET search_path = schedule_test, public;
SET TimeZone = 'UTC';
\set SHOW_CONTEXT never

-- The plan alone: 2026-11-23 is a Monday; 2026-11-26 a holiday here.
SELECT * FROM dormant.contact_plan(NULL, NULL, NULL, '2026-11-23', '{7,14,90,90}', '{}');
SELECT * FROM dormant.contact_plan(NULL, NULL, NULL, '2026-11-21', '{7,14,90,90}', '{2026-11-23}');
SELECT * FROM dormant.contact_plan('first_contact', '2026-11-10', 'no_response', '2026-11-23', '{7,14,90,90}', '{}');
SELECT * FROM dormant.contact_plan('first_contact', '2026-11-20', 'no_response', '2026-11-23', '{7,14,90,90}', '{2026-11-27}');
SELECT * FROM dormant.contact_plan('follow_up', '2026-11-20', NULL, '2026-11-23', '{7,14,90,90}', '{}');
SELECT * FROM dormant.contact_plan('final_offer', '2026-11-20', 'no_response', '2026-11-23', '{7,14,90,90}', '{}');
SELECT * FROM dormant.contact_plan('nurture', '2026-11-20', 'no_response', '2026-11-23', '{7,14,90,90}', '{}');
SELECT * FROM dormant.contact_plan('follow_up', '2026-11-20', 'bounced', '2026-11-23', '{7,14,90,90}', '{}');
-- Fiscal timing: nurture moves into the months around the fiscal year end
-- (March here: February to April), nominal dates inside stay, and a year
-- end in December wraps around the new year.
SELECT fye, phase, due_on FROM unnest(ARRAY[3, 6, 12, 1]::smallint[]) fye,
	   dormant.contact_plan('final_offer', '2026-11-20', 'no_response', '2026-11-23', '{7,14,90,90}', '{}', fye)
 ORDER BY fye;
SELECT * FROM dormant.contact_plan(NULL, NULL, NULL, '2026-11-23', '{7,14,90,90}', '{}', 6::smallint);
SELECT * FROM dormant.contact_plan(NULL, NULL, NULL, '2026-11-23', '{7,14,90,90}', '{}', 13::smallint);
-- 29 February: a leap day moves like any other
SELECT * FROM dormant.contact_plan('final_offer', '2027-12-01', 'no_response', '2028-02-29', '{7,14,90,90}', '{}', 3::smallint);

SELECT outcome, count(p.*) AS phases_left
  FROM unnest(enum_range(NULL::dormant.outcome)) outcome
  LEFT JOIN LATERAL dormant.contact_plan('first_contact', '2026-11-20', outcome::text, '2026-11-23', '{7,14,90,90}', '{}') p ON true
 GROUP BY outcome ORDER BY outcome;
SELECT * FROM dormant.contact_plan('sideways', '2026-11-20', NULL, '2026-11-23', '{7,14,90,90}', '{}');
SELECT * FROM dormant.contact_plan(NULL, NULL, NULL, '2026-11-23', '{7,14,90}', '{}');
SELECT * FROM dormant.contact_plan(NULL, NULL, NULL, '2026-11-23', '{7,0,90,90}', '{}');
SELECT * FROM dormant.contact_plan(NULL, NULL, NULL, 'infinity', '{7,14,90,90}', '{}');

-- The plan with each phase's channel, from the shipped playbook: the days
-- are contact_plan's.  A high-tier customer who allows everything is
-- called, then visited for the final offer; one who refused the phone
-- (which visits need too) is written to.
SELECT p.*, (SELECT array_agg(due_on) FROM dormant.contact_plan(NULL, NULL, NULL, '2026-11-23', '{7,14,90,90}', '{2026-11-26}')) AS contact_plan_days
  FROM (VALUES (true), (false)) v(phone_ok),
	   dormant.planned_contacts(NULL, NULL, NULL, '2026-11-23', '{7,14,90,90}', '{2026-11-26}', NULL,
								NULL, 'high', true, v.phone_ok, true, false) p;
-- A NULL permission is the policy's default, and a NULL default is no: mid
-- tier without e-mail goes by mail, or nothing.
SELECT d.consent_default, p.phase, p.channel, p.action
  FROM (VALUES (true), (false), (NULL)) d(consent_default),
	   dormant.planned_contacts('first_contact', '2026-11-20', 'no_response', '2026-11-23', '{7,14,90,90}', '{}',
								NULL, 'email', 'mid', false, false, NULL, d.consent_default) p
 ORDER BY 1, 2;
-- A later phase that no permitted channel serves has none; a customer whose
-- next contact has none gets no rows, and a customer without a tier none.
SELECT phase, due_on, channel FROM dormant.planned_contacts(NULL, NULL, NULL, '2026-11-23', '{7,14,90,90}', '{}',
															 NULL, NULL, 'high', false, true, false, false);
SELECT count(*) AS rows_without_first_channel
  FROM dormant.planned_contacts(NULL, NULL, NULL, '2026-11-23', '{7,14,90,90}', '{}',
								NULL, NULL, 'low', false, true, false, false);
SELECT count(*) AS rows_without_tier
  FROM dormant.planned_contacts(NULL, NULL, NULL, '2026-11-23', '{7,14,90,90}', '{}',
								NULL, NULL, NULL, true, true, true, true);
-- After a bounce, the phase is retried on a channel listed after the one
-- that bounced, the later phases on the first permitted one again; a
-- channel the playbook does not list for the phase leaves every one open,
-- and one listed last leaves none.
SELECT b.last_channel, p.phase, p.due_on, p.channel
  FROM (VALUES ('phone'), ('visit'), ('fax'), ('email')) b(last_channel),
	   dormant.planned_contacts('first_contact', '2026-11-20', 'bounced', '2026-11-23', '{7,14,90,90}', '{}',
								NULL, b.last_channel, 'high', true, true, true, false) p
 ORDER BY 1, 2;
-- The channel's daily capacity comes with it, NULL for no limit.
UPDATE dormant.channel SET daily_capacity = 3 WHERE channel = 'phone';
SELECT phase, channel, daily_capacity FROM dormant.planned_contacts(NULL, NULL, NULL, '2026-11-23', '{7,14,90,90}', '{}',
																	 NULL, NULL, 'high', true, true, true, false);
UPDATE dormant.channel SET daily_capacity = NULL WHERE channel = 'phone';
-- Bad arguments are contact_plan's errors.
SELECT * FROM dormant.planned_contacts('sideways', '2026-11-20', NULL, '2026-11-23', '{7,14,90,90}', '{}',
									   NULL, NULL, 'high', true, true, true, false);
SELECT * FROM dormant.planned_contacts(NULL, NULL, NULL, '2026-11-23', '{7,14,90}', '{}',
									   NULL, NULL, 'high', true, true, true, false);

-- Within capacity, by hand: the contacts of six customers as contact_plan
-- dates them, phone taking 2 a day, visits 1, e-mail without limit, and the
-- holiday on Thursday 2026-11-26.  f logged its first contact a week ago:
-- its follow-up competes with the others' on Monday the 30th.
CREATE TABLE contacts (customer_id text, phase text, due_on date, channel text, daily_capacity integer,
					   score double precision, fiscal_year_end smallint);
INSERT INTO contacts
SELECT c.customer_id, p.phase, p.due_on,
	   (ARRAY['phone', 'phone', 'visit', 'email'])[p.k], (ARRAY[2, 2, 1, NULL])[p.k], c.score, NULL::smallint
  FROM (VALUES ('a', 50), ('b', 40), ('c', 40), ('d', 30), ('e', 60)) c(customer_id, score),
	   dormant.contact_plan(NULL, NULL, NULL, '2026-11-23', '{7,14,90,90}', '{2026-11-26}') WITH ORDINALITY p(phase, due_on, k)
UNION ALL
SELECT 'f', p.phase, p.due_on, (ARRAY['phone', 'visit', 'email'])[p.k], (ARRAY[2, 1, NULL])[p.k], 55, NULL
  FROM dormant.contact_plan('first_contact', '2026-11-23', 'no_response', '2026-11-23', '{7,14,90,90}', '{2026-11-26}') WITH ORDINALITY p(phase, due_on, k);
-- planned: the dates before capacity.  Monday 23: e and a (highest
-- scores); b, c and d wait.  Tuesday: b and c (equal scores: customer_id).
-- Wednesday: d.  Each follow-up is due a week after the actual first
-- contact: Monday 30 takes e and f (scores 60 and 55); a waits and goes
-- first on Tuesday, before b, whose follow-up is due then; c waits for
-- Wednesday, with d.  Final offers (visits, one a day) are due two weeks
-- after each actual follow-up: e and f on the 14th, a and b on the 15th,
-- c and d on the 16th, and go one a day in that order, f (due the 14th)
-- before a.  Each nurture follows its final offer by 90 days (then a
-- Monday for e and d).
SELECT customer_id, phase, due_on AS planned,
	   dormant.within_capacity(customer_id, phase, due_on, channel, daily_capacity, score,
							   '{7,14,90,90}', '{2026-11-26}', fiscal_year_end)
		   OVER (ORDER BY customer_id COLLATE "C", phase::dormant.phase) AS due_on,
	   channel
  FROM contacts
 ORDER BY phase::dormant.phase, due_on, score DESC, customer_id;
-- A customer's rows may come in any order of phase: the same days, each on
-- its own row.
SELECT count(*) AS differ FROM (
	SELECT customer_id, phase,
		   dormant.within_capacity(customer_id, phase, due_on, channel, daily_capacity, score,
								   '{7,14,90,90}', '{2026-11-26}', fiscal_year_end)
			   OVER (ORDER BY customer_id COLLATE "C", phase::dormant.phase) AS due_on
	  FROM contacts
	EXCEPT
	SELECT customer_id, phase,
		   dormant.within_capacity(customer_id, phase, due_on, channel, daily_capacity, score,
								   '{7,14,90,90}', '{2026-11-26}', fiscal_year_end)
			   OVER (ORDER BY customer_id COLLATE "C", phase::dormant.phase DESC) AS due_on
	  FROM contacts) d;
-- Without capacities, every contact is due on the day planned.
SELECT count(*) AS moved FROM (
	SELECT due_on, dormant.within_capacity(customer_id, phase, due_on, channel, NULL, score,
										   '{7,14,90,90}', '{2026-11-26}', fiscal_year_end)
					   OVER (ORDER BY customer_id COLLATE "C", phase::dormant.phase) AS placed
	  FROM contacts) p
 WHERE placed <> due_on;
-- A nurture moved by capacity out of its budget window (February to April
-- for a March year end) waits for the next window: x takes Friday
-- 2027-04-30; y, due that day too, would go on Monday 3 May and goes on the
-- first business day of February 2028; z, with no fiscal year end, goes on
-- 3 May.  A contact with no channel (w) is never moved.  v is due Monday
-- 2028-05-01, as contact_plan dates a nurture on Saturday 29 April, the
-- window's last business day being past: with room that day, it stays.
SELECT customer_id, dormant.within_capacity(customer_id, 'nurture', due_on, channel, 1, score,
											'{7,14,90,90}', '{}', fiscal_year_end::smallint)
						OVER (ORDER BY customer_id COLLATE "C") AS due_on
  FROM (VALUES ('v', date '2028-05-01', 'mail', 1, 3), ('w', '2027-04-30', NULL, 99, 3),
			   ('x', '2027-04-30', 'mail', 90, 3), ('y', '2027-04-30', 'mail', 10, 3),
			   ('z', '2027-04-30', 'mail', 5, NULL)) v(customer_id, due_on, channel, score, fiscal_year_end)
 ORDER BY 1;
-- Misuse: rows out of customer order, a capacity that is not positive, one
-- channel with two capacities, a row without a customer.
SELECT dormant.within_capacity(customer_id, phase, due_on, channel, daily_capacity, score,
							   '{7,14,90,90}', '{}', NULL) OVER (ORDER BY customer_id DESC)
  FROM contacts;
SELECT dormant.within_capacity(customer_id, phase, due_on, channel, 0, score,
							   '{7,14,90,90}', '{}', NULL) OVER (ORDER BY customer_id COLLATE "C", phase::dormant.phase)
  FROM contacts;
SELECT dormant.within_capacity(customer_id, phase, due_on, 'phone', daily_capacity, score,
							   '{7,14,90,90}', '{}', NULL) OVER (ORDER BY customer_id COLLATE "C", phase::dormant.phase)
  FROM contacts;
SELECT dormant.within_capacity(NULL, 'nurture', '2027-04-30', 'mail', 1, 1, '{7,14,90,90}', '{}', NULL) OVER ();
DROP TABLE contacts;

-- The worked example as a CRM: A high, B mid, C high, D low.
CREATE TABLE deals (account text, closed_on date, amount numeric);
INSERT INTO deals
SELECT account, last_day - (interval '1 month' * m), yearly / 12
  FROM (VALUES ('A', date '2025-11-23', 8000000), ('B', date '2026-05-23', 5000000),
			   ('C', date '2024-11-23', 3000000), ('D', date '2023-11-23', 2000000)) v(account, last_day, yearly),
	   generate_series(0, 11) m;
CREATE TABLE accounts (account text, policy text, email_ok boolean, phone_ok boolean, mail_ok boolean, opted_out boolean);
INSERT INTO accounts VALUES ('A', 'b2b', true, true, NULL, false), ('B', 'b2b', true, NULL, NULL, false),
	('C', 'b2b', true, false, NULL, false), ('D', 'b2b', true, true, true, false);
CREATE TABLE touches (account text, at timestamptz, what text);
INSERT INTO touches VALUES
	('A', '2026-11-02', 'mail_open'), ('A', '2026-11-05', 'download'),
	('C', '2026-10-20', 'web_visit'), ('C', '2026-11-01', 'web_visit'), ('C', '2026-11-10', 'web_visit');
SELECT dormant.bind_transactions('deals', 'account', 'closed_on', 'amount');
SELECT dormant.bind_customers('accounts', 'account');
SELECT dormant.bind_activities('touches', 'account', 'at', 'what');
INSERT INTO dormant.holiday VALUES ('2026-11-26', 'Thanksgiving');
SET dormant.as_of = '2026-11-23 09:00+00';

-- Nothing logged: the whole sequence from today.  C refused the phone, which
-- visits need too, so C is written to.
SELECT customer_id, tier, phase, due_on, channel, action FROM dormant.contact_schedule
 ORDER BY score DESC, customer_id, phase;

-- The log drives the sequence.
INSERT INTO dormant.contact_log VALUES
	('A', 'first_contact', 'phone', '2026-11-16 10:00+00', 'no_response', NULL),
	('B', 'first_contact', 'email', '2026-11-20 10:00+00', 'bounced', 'mailbox full'),
	('D', 'first_contact', 'email', '2026-11-02 10:00+00', 'replied', 'call me in spring');
SELECT customer_id, phase, due_on, channel FROM dormant.contact_schedule ORDER BY customer_id, phase;
SELECT customer_id, last_phase, last_outcome, contact_note FROM dormant.customer_scores ORDER BY customer_id;

-- B bounced by e-mail and allows nothing else: not scheduled, and says why.
UPDATE accounts SET mail_ok = false WHERE account = 'B';
SELECT customer_id, contact_note FROM dormant.customer_scores WHERE customer_id = 'B';
SELECT count(*) AS b_rows FROM dormant.contact_schedule WHERE customer_id = 'B';

-- A's follow-up is next; with no phone and no e-mail, nothing is permitted
-- for it, though a letter would be for the nurture: not scheduled, and says
-- why.
UPDATE accounts SET email_ok = false, phone_ok = false, mail_ok = true WHERE account = 'A';
INSERT INTO dormant.playbook VALUES ('high', 'nurture', 2, 'mail', 'A letter with the news');
SELECT customer_id, last_phase, contact_note FROM dormant.customer_scores WHERE customer_id = 'A';
SELECT count(*) AS a_rows FROM dormant.contact_schedule WHERE customer_id = 'A';
DELETE FROM dormant.playbook WHERE tier = 'high' AND phase = 'nurture' AND channel = 'mail';
UPDATE accounts SET email_ok = true, phone_ok = true, mail_ok = NULL WHERE account = 'A';

-- An opt-out in the log churns the customer for good.
INSERT INTO dormant.contact_log VALUES ('A', 'follow_up', 'phone', '2026-11-23 08:00+00', 'opted_out', NULL);
SELECT customer_id, status, opted_out, score FROM dormant.customer_scores WHERE customer_id = 'A';
SELECT count(*) AS a_rows FROM dormant.contact_schedule WHERE customer_id = 'A';

-- Capacity: 35 customers due today on a channel that takes 10 a day; the
-- fourth day is the Friday after the holiday.
CREATE TABLE many (account text, closed_on date, amount numeric);
INSERT INTO many SELECT 'M' || lpad(i::text, 2, '0'), date '2026-05-01' - (i % 5), 1000 + i FROM generate_series(1, 35) i;
SELECT dormant.unbind('activities'), dormant.unbind('customers');
SELECT dormant.bind_transactions('many', 'account', 'closed_on', 'amount');
UPDATE dormant.policy SET consent_default = true, holdout_share = 0 WHERE name = 'b2c';
UPDATE dormant.channel SET daily_capacity = 10 WHERE channel = 'email';
SELECT phase, due_on, channel, count(*) FROM dormant.contact_schedule
 WHERE phase = 'first_contact' GROUP BY 1, 2, 3 ORDER BY 1, 2;
SELECT bool_and(prev_score >= score) AS higher_scores_first FROM (
	SELECT score, lag(score) OVER (ORDER BY due_on, score DESC) AS prev_score
	  FROM dormant.contact_schedule WHERE phase = 'first_contact') s WHERE prev_score IS NOT NULL;
-- The later phases, by e-mail too, follow their first contacts, ten a day.
-- The nurture contacts of the first two days would both fall on Monday 15
-- March (the 14th is a Sunday): ten of them move a day, and push the next
-- day's ten by a day.
SELECT phase, due_on, channel, count(*) FROM dormant.contact_schedule
 WHERE phase <> 'first_contact' GROUP BY 1, 2, 3 ORDER BY 1, 2;
UPDATE dormant.channel SET daily_capacity = NULL WHERE channel = 'email';

-- Capacity over every phase: ten high-tier customers (every scored one is
-- high here), phone taking 2 a day and visits 1.  H07 to H10 were called a
-- week ago without reply: their follow-ups are due today, with the others'
-- first contacts.
UPDATE dormant.policy SET tier_mid = 0, tier_high = 0.001 WHERE name = 'b2c';
CREATE TABLE ten (account text, closed_on date, amount numeric);
INSERT INTO ten SELECT 'H' || lpad(i::text, 2, '0'), date '2026-05-01', 1000 * i FROM generate_series(1, 10) i;
SELECT dormant.bind_transactions('ten', 'account', 'closed_on', 'amount');
INSERT INTO dormant.contact_log
SELECT account, 'first_contact', 'phone', '2026-11-16 10:00+00', 'no_response', NULL FROM ten WHERE account >= 'H07';
UPDATE dormant.channel SET daily_capacity = 2 WHERE channel = 'phone';
UPDATE dormant.channel SET daily_capacity = 1 WHERE channel = 'visit';
-- Phone, 2 a day: Monday 23 H10 and H09 (follow-ups), Tuesday H08 and
-- H07, Wednesday H06 and H05 (first contacts), Friday 27 H04 and H03,
-- Monday 30 H02 and H01.  Each follow-up is due a week after the actual
-- first contact, and the phone has room for them: two a day again.
-- Visits, 1 a day, two weeks after each follow-up: two are due each of
-- those days, so the lower score waits a day and the backlog grows; each
-- nurture is 90 days after the visit, whatever day it got.
SELECT customer_id, tier, round(score::numeric, 1) AS score,
	   max(due_on) FILTER (WHERE phase = 'first_contact') AS first_contact,
	   max(due_on) FILTER (WHERE phase = 'follow_up') AS follow_up,
	   max(due_on) FILTER (WHERE phase = 'final_offer') AS final_offer,
	   max(due_on) FILTER (WHERE phase = 'nurture') AS nurture
  FROM dormant.contact_schedule GROUP BY 1, 2, 3 ORDER BY score DESC, customer_id;
SELECT count(*) AS days_over_capacity FROM (
	SELECT s.channel, s.due_on FROM dormant.contact_schedule s JOIN dormant.channel c USING (channel)
	 GROUP BY s.channel, s.due_on, c.daily_capacity HAVING count(*) > c.daily_capacity) o;
SELECT count(*) AS twice_a_day FROM (
	SELECT customer_id, due_on FROM dormant.contact_schedule GROUP BY 1, 2 HAVING count(*) > 1) o;
-- Equal scores go by customer_id: H00 is H10 but for its key and the log.
-- With one call a day, H00's first contact goes before H10's follow-up.
INSERT INTO ten VALUES ('H00', date '2026-05-01', 10000);
UPDATE dormant.channel SET daily_capacity = 1 WHERE channel = 'phone';
SELECT DISTINCT ON (customer_id) customer_id, score, phase, due_on FROM dormant.contact_schedule
 WHERE customer_id IN ('H00', 'H10') ORDER BY customer_id, due_on;
DELETE FROM dormant.contact_log;
UPDATE dormant.channel SET daily_capacity = NULL WHERE channel IN ('phone', 'visit');
UPDATE dormant.policy SET tier_mid = 15, tier_high = 30 WHERE name = 'b2c';
SELECT dormant.bind_transactions('many', 'account', 'closed_on', 'amount');

-- A holdout of 30%: scored and marked, never scheduled; the same customers
-- for the same campaign, others for the next.
UPDATE dormant.policy SET holdout_share = 0.3 WHERE name = 'b2c';
SELECT count(*) FILTER (WHERE holdout) AS held_out, count(*) FILTER (WHERE NOT holdout) AS contacted,
	   count(*) FILTER (WHERE holdout AND contact_note LIKE 'holdout%') AS noted
  FROM dormant.customer_scores;
SELECT count(*) AS held_out_scheduled FROM dormant.contact_schedule s
  JOIN dormant.customer_scores c USING (customer_id) WHERE c.holdout;
CREATE TABLE first_draw AS SELECT customer_id FROM dormant.customer_scores WHERE holdout;
UPDATE dormant.policy SET campaign = 'spring' WHERE name = 'b2c';
SELECT count(*) FILTER (WHERE f.customer_id IS NOT NULL) AS drawn_again, count(*) AS held_out
  FROM dormant.customer_scores c LEFT JOIN first_draw f USING (customer_id) WHERE c.holdout;
UPDATE dormant.policy SET campaign = 'default' WHERE name = 'b2c';
SELECT count(*) AS same_draw FROM dormant.customer_scores c JOIN first_draw f USING (customer_id) WHERE c.holdout;
UPDATE dormant.policy SET consent_default = false, holdout_share = 0.1 WHERE name = 'b2c';

-- due_on is a date in the session's TimeZone: 2026-11-24 03:00 UTC is still
-- Monday the 23rd in New York and Tuesday noon in Tokyo.
UPDATE dormant.policy SET consent_default = true, holdout_share = 0 WHERE name = 'b2c';
SET dormant.as_of = '2026-11-24 03:00+00';
SET TimeZone = 'America/New_York';
SELECT min(due_on) AS first_due_new_york FROM dormant.contact_schedule WHERE phase = 'first_contact';
SET TimeZone = 'Asia/Tokyo';
SELECT min(due_on) AS first_due_tokyo FROM dormant.contact_schedule WHERE phase = 'first_contact';
-- across the end of daylight saving time in New York (2026-11-01), a week
-- is still seven days
SET TimeZone = 'America/New_York';
SET dormant.as_of = '2026-10-26 12:00-04';
SELECT DISTINCT phase, due_on FROM dormant.contact_schedule WHERE phase IN ('first_contact', 'follow_up') ORDER BY 1, 2 LIMIT 2;
SET TimeZone = 'UTC';
SET dormant.as_of = '2026-11-23 09:00+00';
UPDATE dormant.policy SET consent_default = false, holdout_share = 0.1 WHERE name = 'b2c';

-- Without consent, nobody is scheduled.
SELECT count(*) AS scheduled FROM dormant.contact_schedule;

SELECT dormant.unbind('transactions');
DELETE FROM dormant.holiday;
DELETE FROM dormant.contact_log;
RESET search_path;
DROP SCHEMA schedule_test CASCADE;

-- missing_channel, which contact_note calls, on its own with the shipped
-- playbook: a first contact by e-mail (listed third for high); nothing
-- allowed; everything allowed by the default; the final offer after a
-- follow-up with nothing allowed; a bounce on the last channel listed; an
-- ended sequence; a phase that does not exist.
SELECT dormant.missing_channel('high', NULL, NULL, NULL, true, false, false, false) AS first_by_email,
	   dormant.missing_channel('high', NULL, NULL, NULL, false, false, false, false) AS nothing_allowed,
	   dormant.missing_channel('high', NULL, NULL, NULL, NULL, NULL, NULL, true) AS by_default,
	   dormant.missing_channel('low', 'follow_up', NULL, NULL, false, false, false, false) AS after_follow_up;
SELECT dormant.missing_channel('high', 'first_contact', 'email', 'bounced', true, false, false, false) AS email_bounced,
	   dormant.missing_channel('high', 'first_contact', 'email', 'replied', false, false, false, false) AS ended;
SELECT dormant.missing_channel('high', 'visit', NULL, 'no_response', true, true, true, true);
