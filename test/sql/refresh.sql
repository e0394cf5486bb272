-- dormant.refresh: snapshots, history, the log, and incremental merging.
CREATE SCHEMA refresh_test;
SET search_path = refresh_test, public;
SET TimeZone = 'UTC';
\set SHOW_CONTEXT never

CREATE TABLE orders (customer_id bigint, ordered_at timestamp, amount numeric);
INSERT INTO orders VALUES
	(1, '2026-10-01 23:30', 100), (1, '2026-11-01 10:00', 50),
	(2, '2026-03-01 12:00', 80),
	(3, '2025-06-01 12:00', 20);
CREATE TABLE customers (customer_id bigint, opted_out boolean);
INSERT INTO customers VALUES (3, true), (4, false);
SELECT dormant.bind_transactions('orders', 'customer_id', 'ordered_at', 'amount');
SELECT dormant.bind_customers('customers', 'customer_id');

-- The snapshot equals the live view as of the same time.
SELECT dormant.refresh('2026-11-23 00:00+00') AS first_refresh;
SET dormant.as_of = '2026-11-23 00:00+00';
-- (compared as jsonb, so that every column of the view must be in the snapshot)
SELECT count(*) AS differences FROM (
	(SELECT to_jsonb(v) FROM dormant.customer_scores v
	 EXCEPT SELECT to_jsonb(s) - 'previous_status' - 'as_of' - 'refresh_id' FROM dormant.customer_snapshot s)
	UNION ALL
	(SELECT to_jsonb(s) - 'previous_status' - 'as_of' - 'refresh_id' FROM dormant.customer_snapshot s
	 EXCEPT SELECT to_jsonb(v) FROM dormant.customer_scores v)) d;
SELECT count(*) AS differences FROM (
	(SELECT to_jsonb(v) FROM dormant.segments v
	 EXCEPT SELECT to_jsonb(s) - 'as_of' - 'refresh_id' FROM dormant.segment_snapshot s)
	UNION ALL
	(SELECT to_jsonb(s) - 'as_of' - 'refresh_id' FROM dormant.segment_snapshot s
	 EXCEPT SELECT to_jsonb(v) FROM dormant.segments v)) d;
RESET dormant.as_of;
SELECT customer_id, purchases, monetary, status, previous_status, as_of, refresh_id
  FROM dormant.customer_snapshot ORDER BY customer_id;

-- New rows, late ones included, are merged into the stored states.
INSERT INTO orders VALUES (2, '2026-11-20 08:00', 30), (1, '2025-01-01 00:00', 5), (5, '2026-11-22 09:00', 10);
SELECT customer_id, occurred_at, local_time, amount FROM dormant.pending_transaction ORDER BY 1, 3;
SELECT dormant.refresh('2026-11-23 00:00+00') AS second_refresh;
SELECT count(*) AS pending FROM dormant.pending_transaction;
SELECT customer_id, first_at, purchases, monetary, status, previous_status, refresh_id
  FROM dormant.customer_snapshot ORDER BY customer_id;
SELECT * FROM dormant.newly_dormant;

-- The merged states equal a full aggregation of the same rows.
SELECT count(*) AS differences FROM (
	SELECT customer_id, dormant.rfm_summarize(state) FROM dormant.customer_state
	EXCEPT
	SELECT customer_id::text, dormant.rfm_agg(ordered_at, amount) FROM orders GROUP BY customer_id) d;

-- An update, a delete or a truncate forces a full refresh.
UPDATE orders SET amount = 0 WHERE false;
SELECT dormant.refresh('2026-11-23 00:00+00') AS nothing_changed;
UPDATE orders SET amount = 60 WHERE customer_id = 1 AND amount = 50;
SELECT dormant.refresh('2026-11-23 00:00+00') AS after_update;
DELETE FROM orders WHERE customer_id = 5;
SELECT dormant.refresh('2026-11-23 00:00+00') AS after_delete;
SELECT dormant.refresh('2026-11-23 00:00+00', full_refresh => true) AS requested;

-- A failed refresh leaves the previous snapshot and log as they were.
CREATE TABLE before AS SELECT * FROM dormant.customer_snapshot;
INSERT INTO orders VALUES (6, '2026-11-01', 1);
ALTER TABLE customers ADD COLUMN policy text;
SELECT dormant.bind_customers('customers', 'customer_id');
INSERT INTO customers VALUES (6, false, 'no_such_policy');
SELECT dormant.refresh('2026-11-24 00:00+00');
SELECT count(*) AS changed FROM (SELECT * FROM dormant.customer_snapshot EXCEPT SELECT * FROM before) d;
SELECT max(refresh_id) AS last_refresh FROM dormant.refresh_log;
SELECT count(*) AS pending FROM dormant.pending_transaction;
DELETE FROM customers WHERE customer_id = 6;
SELECT dormant.refresh('2026-11-24 00:00+00') AS recovered;

-- Purchase days of timestamptz sources depend on the TimeZone, so stored states
-- from another zone are not reused.  (This source is timestamp: its days stay.)
SET TimeZone = 'Asia/Tokyo';
SELECT dormant.refresh('2026-11-24 00:00+00') AS other_zone;
SELECT customer_id, purchase_days FROM dormant.customer_snapshot WHERE customer_id = '1';
SET TimeZone = 'UTC';
SELECT refresh_id, as_of, mode, outcome, customers, transactions_merged, time_zone,
	   finished_at >= started_at AS finished
  FROM dormant.refresh_log ORDER BY refresh_id;

-- History: one row per segment per refresh.
SELECT refresh_id, count(*) AS segments, sum(customers) AS customers
  FROM dormant.segment_history GROUP BY refresh_id ORDER BY refresh_id;

-- Bad arguments.
SELECT dormant.refresh(NULL);
SELECT dormant.refresh('infinity');

-- A view cannot be tracked: every refresh is full, and says why.
CREATE VIEW recent_orders AS SELECT * FROM orders WHERE ordered_at > '2000-01-01';
SELECT dormant.bind_transactions('recent_orders', 'customer_id', 'ordered_at', 'amount');
SELECT dormant.refresh('2026-11-24 00:00+00') AS rebound;
SELECT dormant.refresh('2026-11-24 00:00+00') AS view_source;
SELECT mode, outcome FROM dormant.refresh_log ORDER BY refresh_id DESC LIMIT 2;
SELECT tgname FROM pg_trigger WHERE tgrelid = 'orders'::regclass ORDER BY 1;

-- dormant_reader reads the outputs and nothing else.
CREATE ROLE refresh_test_bi;
GRANT dormant_reader TO refresh_test_bi;
GRANT USAGE ON SCHEMA refresh_test TO refresh_test_bi;
SET ROLE refresh_test_bi;
SELECT count(*) > 0 AS reads_snapshot FROM dormant.customer_snapshot;
SELECT count(*) > 0 AS reads_segments FROM dormant.segment_snapshot;
SELECT count(*) > 0 AS reads_history FROM dormant.segment_history;
SELECT count(*) > 0 AS reads_log FROM dormant.refresh_log;
SELECT count(*) FROM dormant.customer_scores;
SELECT count(*) FROM orders;
SELECT dormant.refresh();
UPDATE dormant.policy SET overdue_factor = 2;
DELETE FROM dormant.customer_snapshot;
SELECT dormant.bind_transactions('orders', 'customer_id', 'ordered_at', 'amount');
RESET ROLE;
REVOKE USAGE ON SCHEMA refresh_test FROM refresh_test_bi;
DROP ROLE refresh_test_bi;

SELECT dormant.unbind('customers'), dormant.unbind('transactions');
TRUNCATE dormant.customer_snapshot, dormant.segment_snapshot, dormant.segment_history,
	dormant.refresh_log, dormant.customer_state, dormant.pending_transaction, dormant.transaction_change,
	dormant.model_fit, dormant.schedule_snapshot RESTART IDENTITY;
TRUNCATE dormant.enrolment, dormant.kpi_snapshot;
RESET search_path;
DROP SCHEMA refresh_test CASCADE;
