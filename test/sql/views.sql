-- The live views on a small hand-made CRM, as of a fixed time.
CREATE SCHEMA views_test;
SET search_path = views_test, public;
SET TimeZone = 'UTC';
\set SHOW_CONTEXT never

CREATE TABLE orders (customer_id integer, ordered_at timestamptz, amount numeric);
CREATE TABLE customers (customer_id integer, opted_out boolean, policy text, reason text);
CREATE TABLE events (customer_id integer, at timestamptz, kind text);

INSERT INTO orders VALUES
	-- 1: buys every month, still active
	(1, '2026-07-01', 100), (1, '2026-08-01', 100), (1, '2026-09-01', 100), (1, '2026-10-01', 100), (1, '2026-11-01', 100),
	-- 2: one purchase last week: new
	(2, '2026-11-16', 40),
	-- 3: monthly buyer silent since June: overdue against its rhythm, and past 3 months
	(3, '2026-04-01', 50), (3, '2026-05-01', 50), (3, '2026-06-01', 50),
	-- 4: exactly six months silent: dormant, one purchase day
	(4, '2026-05-23', 80),
	-- 5: two purchases, silent 13 months: lapsed loyal defector, with a refund
	(5, '2025-09-01', 300), (5, '2025-10-20', 200), (5, '2025-10-25', -50),
	-- 6: two years silent: lapsed
	(6, '2024-11-01', 20), (6, '2024-11-20', 20),
	-- 7: complained after the last purchase: churned
	(7, '2026-01-10', 60),
	-- 8: complained, then bought again: not churned
	(8, '2026-02-01', 70), (8, '2026-10-01', 70),
	-- 9: opted out
	(9, '2026-10-10', 500),
	-- 10: b2b customer silent 8 months: at_risk under b2b, not dormant
	(10, '2026-03-20', 1000);
INSERT INTO customers VALUES
	(9, true, NULL, 'budget'), (10, false, 'b2b', 'still_interested'), (11, false, NULL, 'used_less'), (5, false, NULL, 'competitor');
INSERT INTO events VALUES
	(7, '2026-03-01', 'complaint'), (8, '2026-03-01', 'complaint'), (8, '2026-03-02', 'mail_open'),
	(5, '2026-09-01', 'download'), (11, '2026-10-01', 'web_visit');

SELECT dormant.bind_transactions('orders', 'customer_id', 'ordered_at', 'amount');
SELECT dormant.bind_customers('customers', 'customer_id');
SELECT dormant.bind_activities('events', 'customer_id', 'at', 'kind');

-- The clock: dormant.as_of, read when used.
SELECT dormant.as_of() = now() AS defaults_to_now;
SET dormant.as_of = 'yesterday-ish';
SELECT dormant.as_of();
SET dormant.as_of = 'infinity';
SELECT count(status) FROM dormant.customer_scores;
SET dormant.as_of = '2026-11-23 00:00+00';
SELECT dormant.as_of();

SELECT customer_id, policy, purchases, purchase_days, monetary, recency_days,
	   r_score, f_score, m_score, status, depth, opted_out, reason, last_activity_at
  FROM dormant.customer_scores
 ORDER BY customer_id::integer;

-- Keys join with the user's own text columns, in the default collation.
SELECT s.customer_id, s.status FROM dormant.customer_scores s
  JOIN (VALUES ('3'::text), ('9')) AS mine(id) ON mine.id = s.customer_id ORDER BY 1;

-- Quintile scores: equal values get equal scores, the best get 5.
SELECT r_score, min(recency_days), max(recency_days), count(*)
  FROM dormant.customer_scores WHERE r_score IS NOT NULL GROUP BY 1 ORDER BY 1;

SELECT * FROM dormant.segments ORDER BY status, depth, tier;
SELECT round(sum(share)::numeric, 12) = 1 AS shares_add_up, sum(customers) AS customers FROM dormant.segments;

-- Nothing refreshed yet: every dormant customer is newly dormant.
SELECT * FROM dormant.newly_dormant ORDER BY customer_id;

-- Another day, another picture.
SET dormant.as_of = '2027-06-01 00:00+00';
SELECT status, count(*) FROM dormant.customer_scores GROUP BY 1 ORDER BY 1;
RESET dormant.as_of;

-- An unknown policy in a customer row is an error naming it.
INSERT INTO customers VALUES (1, false, 'wholesale', NULL);
SELECT status FROM dormant.customer_scores WHERE customer_id = '1';
DELETE FROM customers WHERE policy = 'wholesale';

-- Every column of every output has a description for BI tools.
SELECT c.relname, a.attname
  FROM pg_class c
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE c.relnamespace = 'dormant'::regnamespace AND c.relkind IN ('r', 'v')
   AND col_description(c.oid, a.attnum) IS NULL;
SELECT c.relname
  FROM pg_class c
 WHERE c.relnamespace = 'dormant'::regnamespace AND c.relkind IN ('r', 'v')
   AND obj_description(c.oid, 'pg_class') IS NULL;

SELECT dormant.unbind('activities'), dormant.unbind('customers'), dormant.unbind('transactions');
RESET search_path;
DROP SCHEMA views_test CASCADE;
