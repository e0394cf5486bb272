-- Reactivation priority: the worked example A-D under the b2b policy, the
-- axes one at a time, reasons and approach, and the policy's validation.
CREATE SCHEMA priority_test;
SET search_path = priority_test, public;
SET TimeZone = 'UTC';
\set SHOW_CONTEXT never

-- A hand-made B2B CRM, as of 2026-11-23.  Each customer ordered monthly for
-- a year (a twelfth of the yearly amount, rounded down), then fell silent:
--   A  silent 1 year,  8,000,000 a year, opened a mail and downloaded the price list
--   B  silent 6 months, 5,000,000 a year, nothing since
--   C  silent 2 years, 3,000,000 a year, viewed the product page 3 times
--   D  silent 3 years, 2,000,000 a year, nothing since
CREATE TABLE deals (account text, closed_on date, amount numeric);
INSERT INTO deals
SELECT account, last_day - (interval '1 month' * m), yearly / 12
  FROM (VALUES ('A', date '2025-11-23', 8000000), ('B', date '2026-05-23', 5000000),
			   ('C', date '2024-11-23', 3000000), ('D', date '2023-11-23', 2000000)) v(account, last_day, yearly),
	   generate_series(0, 11) m;
CREATE TABLE accounts (account text, policy text, fit real, reason text, opted_out boolean);
INSERT INTO accounts VALUES ('A', 'b2b', NULL, NULL, false), ('B', 'b2b', NULL, NULL, false),
	('C', 'b2b', NULL, NULL, false), ('D', 'b2b', NULL, NULL, false);
CREATE TABLE touches (account text, at timestamptz, what text);
INSERT INTO touches VALUES
	('A', '2026-11-02', 'mail_open'), ('A', '2026-11-05', 'download'),
	('C', '2026-10-20', 'web_visit'), ('C', '2026-11-01', 'web_visit'), ('C', '2026-11-10', 'web_visit');

SELECT dormant.bind_transactions('deals', 'account', 'closed_on', 'amount');
SELECT dormant.bind_customers('accounts', 'account');
SELECT dormant.bind_activities('touches', 'account', 'at', 'what');
SET dormant.as_of = '2026-11-23 00:00+00';

SELECT customer_id, status, recent_amount, tier, score
  FROM dormant.customer_scores ORDER BY customer_id;
SELECT customer_id, tier, score, reason, approach, content FROM dormant.priority_list;
SELECT jsonb_pretty(priority) FROM dormant.customer_scores WHERE customer_id = 'A';

-- Each axis alone lifts the score: fit, a positive meeting, more interest.
UPDATE accounts SET fit = 1 WHERE account = 'D';
INSERT INTO touches VALUES ('B', '2026-11-15', 'meeting_positive');
INSERT INTO touches VALUES ('C', '2026-11-20', 'inquiry');
SELECT customer_id, tier, score, priority -> 'sales' AS sales, priority -> 'fit' AS fit
  FROM dormant.customer_scores ORDER BY customer_id;

-- Reasons: recorded, else competitor after a competitor switch, else unknown.
UPDATE accounts SET reason = 'budget' WHERE account = 'A';
INSERT INTO touches VALUES ('D', '2025-01-01', 'competitor_switch');
UPDATE accounts SET reason = 'moved_abroad' WHERE account = 'B';
SELECT customer_id, reason, approach, content FROM dormant.priority_list ORDER BY customer_id;

-- Windows that start on the same day but differ in length ('1 mon' and
-- '31 days' before 2026-11-23): each customer's own policy's counts,
-- whichever of the two policies has which.
CREATE TABLE same_windows (w interval, customer_id text, interest jsonb);
UPDATE dormant.policy SET interest_window = '31 days';
INSERT INTO same_windows
SELECT '31 days', customer_id, priority->'behaviour'->'interest' FROM dormant.customer_scores WHERE score IS NOT NULL;
UPDATE dormant.policy SET interest_window = '1 mon';
INSERT INTO same_windows
SELECT '1 mon', customer_id, priority->'behaviour'->'interest' FROM dormant.customer_scores WHERE score IS NOT NULL;
CREATE FUNCTION interest_differs() RETURNS bigint LANGUAGE sql AS $$
	SELECT count(*) FROM dormant.customer_scores s
	  JOIN dormant.policy p ON p.name = s.policy
	  JOIN same_windows w ON w.customer_id = s.customer_id AND w.w = p.interest_window
	 WHERE s.priority->'behaviour'->'interest' IS DISTINCT FROM w.interest $$;
UPDATE dormant.policy SET interest_window = CASE name WHEN 'b2b' THEN interval '31 days' ELSE '1 mon' END;
SELECT interest_differs() AS b2b_31_days;
UPDATE dormant.policy SET interest_window = CASE name WHEN 'b2b' THEN interval '1 mon' ELSE '31 days' END;
SELECT interest_differs() AS b2b_1_mon;
SELECT count(*) FILTER (WHERE interest <> '0') AS with_interest FROM same_windows;
UPDATE dormant.policy SET interest_window = DEFAULT;

-- Churned and opted-out customers get no score, no tier and no approach.
UPDATE accounts SET opted_out = true WHERE account = 'A';
INSERT INTO touches VALUES ('C', '2026-11-21', 'complaint');
SELECT customer_id, status, score, tier, priority, approach FROM dormant.customer_scores ORDER BY customer_id;
SELECT count(*) AS listed FROM dormant.priority_list WHERE customer_id IN ('A', 'C');

-- Without activities or customers bound, transactions alone still score.
SELECT dormant.unbind('activities'), dormant.unbind('customers');
SELECT customer_id, status, tier, score, reason FROM dormant.priority_list ORDER BY customer_id;

-- The policy's priority settings are validated.
UPDATE dormant.policy SET weight_fit = -1 WHERE name = 'b2b';
UPDATE dormant.policy SET weight_transactions = 0, weight_behaviour = 0, weight_sales = 0, weight_fit = 0 WHERE name = 'b2b';
UPDATE dormant.policy SET tier_mid = 40 WHERE name = 'b2b';
UPDATE dormant.policy SET tier_high = 101 WHERE name = 'b2b';
UPDATE dormant.policy SET value_scale = 0 WHERE name = 'b2b';
UPDATE dormant.policy SET interest_window = '0 days' WHERE name = 'b2b';
-- and the function checks them too, when called with a row of its own
SELECT dormant.priority_points(1, 1, NULL, 1, NULL, NULL, NULL,
	   jsonb_populate_record(p, '{"weight_transactions": -1}')) FROM dormant.policy p WHERE name = 'b2b';
SELECT (dormant.priority_points(NULL, NULL, NULL, NULL, NULL, NULL, NULL, p)).* FROM dormant.policy p WHERE name = 'b2b';

SELECT dormant.unbind('transactions');
RESET search_path;
DROP SCHEMA priority_test CASCADE;
