-- Bad input end to end: each kind of bad or odd row in the bound
-- transactions, through rfm_agg, the live views and an incremental refresh.
-- Every outcome is either a documented result or an error with its own
-- SQLSTATE; none is an internal error (XX000) or a crash.
CREATE SCHEMA bad_input_test;
SET search_path = bad_input_test, public;
SET TimeZone = 'UTC';
\set SHOW_CONTEXT never
TRUNCATE dormant.customer_snapshot, dormant.segment_snapshot, dormant.segment_history,
	dormant.refresh_log, dormant.customer_state, dormant.pending_transaction, dormant.transaction_change,
	dormant.model_fit, dormant.schedule_snapshot, dormant.enrolment, dormant.kpi_snapshot RESTART IDENTITY;
UPDATE dormant.policy SET consent_default = true, holdout_share = 0 WHERE name = 'b2c';
SET dormant.as_of = '2026-11-23 12:00+00';

CREATE TABLE orders (customer_id bigint, at timestamptz, amount numeric);
CREATE TABLE float_orders (customer_id bigint, at timestamptz, amount double precision);
-- a source that fails when read
CREATE VIEW failing_orders AS SELECT customer_id, at, amount / 0 AS amount FROM orders;
-- a million rows of one customer, every ten minutes up to 2026-01-05
CREATE VIEW a_million_orders AS
SELECT 1::bigint AS customer_id, timestamptz '2007-01-01' + i * interval '10 minutes' AS at, 1::numeric AS amount
  FROM generate_series(1, 1000000) i;

CREATE TABLE outcomes (n serial, name text, aggregate text, customer_scores text, segments text,
					   priority_list text, contact_schedule text, refresh text);

-- A number short enough for a table: huge ones in scientific notation.
CREATE FUNCTION short(x numeric) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN abs(x) >= 1e15 THEN ltrim(to_char(x, '9.99EEEE')) ELSE x::text END
$$;

-- The text of a query's single value, or the SQLSTATE of its error.
CREATE FUNCTION attempt(query text, customer text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	result text;
BEGIN
	EXECUTE query INTO result USING customer;
	RETURN coalesce(result, 'NULL');
EXCEPTION WHEN OTHERS THEN
	RETURN 'ERROR ' || SQLSTATE;
END $$;

-- A refresh, then (in statements of their own, which see what it wrote) its
-- mode and whether its snapshots equal the live views; or its SQLSTATE.
CREATE FUNCTION refresh_outcome() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	result text;
BEGIN
	PERFORM dormant.refresh('2026-11-23 12:00+00');
	SELECT l.mode INTO result FROM dormant.refresh_log l ORDER BY l.refresh_id DESC LIMIT 1;
	IF EXISTS ((SELECT to_jsonb(v) FROM dormant.customer_scores v
				EXCEPT SELECT to_jsonb(s) - 'previous_status' - 'as_of' - 'refresh_id' FROM dormant.customer_snapshot s)
			   UNION ALL
			   (SELECT to_jsonb(s) - 'previous_status' - 'as_of' - 'refresh_id' FROM dormant.customer_snapshot s
				EXCEPT SELECT to_jsonb(v) FROM dormant.customer_scores v)
			   UNION ALL
			   (SELECT to_jsonb(v) FROM dormant.contact_schedule v
				EXCEPT SELECT to_jsonb(s) - 'as_of' - 'refresh_id' FROM dormant.schedule_snapshot s)
			   UNION ALL
			   (SELECT to_jsonb(s) - 'as_of' - 'refresh_id' FROM dormant.schedule_snapshot s
				EXCEPT SELECT to_jsonb(v) FROM dormant.contact_schedule v)) THEN
		RETURN result || ', differs from the live views';
	END IF;
	RETURN result || ', as live';
EXCEPTION WHEN OTHERS THEN
	RETURN 'ERROR ' || SQLSTATE;
END $$;

-- One case: a source holding a customer who bought regularly in the first
-- quarter (customer 100), refreshed; then the case's rows, inserted after
-- that refresh, so that the refresh under test merges them incrementally
-- where it can.  Each column says what the case gives there: rfm_agg's
-- purchases, purchase days, monetary, mean gap and recent_amount for the
-- case's customer; that customer's purchases, monetary, recency, status and
-- score in customer_scores; the customers in segments; the rows of
-- priority_list; the customers in contact_schedule; and the refresh's mode
-- and whether its snapshots equal the live views.
CREATE PROCEDURE run_case(name text, customer text, statement text,
						  source text DEFAULT 'orders', baseline boolean DEFAULT true)
LANGUAGE plpgsql AS $$
BEGIN
	TRUNCATE orders, float_orders;
	PERFORM dormant.bind_transactions(source::regclass, 'customer_id', 'at', 'amount');
	IF baseline THEN
		INSERT INTO orders SELECT 100, timestamptz '2026-01-05 10:00+00' + k * interval '1 week', 25 FROM generate_series(0, 11) k;
		INSERT INTO float_orders SELECT * FROM orders;
	END IF;
	-- (a view's refreshes are all full: no refresh before)
	IF (SELECT relkind FROM pg_class WHERE oid = source::regclass) = 'r' THEN
		PERFORM dormant.refresh('2026-11-23 12:00+00');
	END IF;
	IF statement IS NOT NULL THEN
		EXECUTE statement;
	END IF;
	INSERT INTO outcomes (name, aggregate, customer_scores, segments, priority_list, contact_schedule, refresh)
	SELECT name,
		   attempt(format($q$SELECT concat_ws(' ', (s).purchases, (s).purchase_days, short((s).monetary), (s).mean_gap_days,
											short((s).recent_amount))
							  FROM (SELECT dormant.rfm_agg(at, amount::numeric) AS s FROM %s
									 WHERE customer_id::text IS NOT DISTINCT FROM $1) a$q$, source), customer),
		   attempt($q$SELECT coalesce((SELECT concat_ws(' ', purchases, short(monetary), recency_days, status, score)
										 FROM dormant.customer_scores WHERE customer_id = $1), 'no row')$q$, customer),
		   attempt('SELECT sum(customers) FROM dormant.segments', customer),
		   attempt('SELECT count(*) FROM dormant.priority_list', customer),
		   attempt('SELECT count(DISTINCT customer_id) FROM dormant.contact_schedule', customer),
		   refresh_outcome();
END $$;

CALL run_case('nothing bound but the regular customer', '100', NULL);
CALL run_case('empty table', '1', NULL, baseline => false);
CALL run_case('NULL customer', NULL, $$INSERT INTO orders VALUES (NULL, '2026-06-01', 10)$$);
CALL run_case('NULL time', '1', $$INSERT INTO orders VALUES (1, NULL, 10), (1, NULL, -3)$$);
CALL run_case('NULL amount', '1', $$INSERT INTO orders VALUES (1, '2026-06-01', NULL)$$);
CALL run_case('infinity', '1', $$INSERT INTO orders VALUES (1, 'infinity', 10)$$);
CALL run_case('-infinity', '1', $$INSERT INTO orders VALUES (1, '-infinity', 10)$$);
CALL run_case('NaN amount', '1', $$INSERT INTO orders VALUES (1, '2026-06-01', 'NaN')$$);
CALL run_case('infinite amount', '1', $$INSERT INTO orders VALUES (1, '2026-06-01', '-Infinity')$$);
CALL run_case('refunds only', '1', $$INSERT INTO orders VALUES (1, '2026-06-01', -10), (1, '2026-07-01', -2.5)$$);
CALL run_case('zero amounts', '1', $$INSERT INTO orders VALUES (1, '2026-06-01', 0), (1, '2026-07-01', 0)$$);
CALL run_case('future-dated', '1', $$INSERT INTO orders VALUES (1, '2026-05-01', 10), (1, '2027-06-01', 10)$$);
CALL run_case('duplicate rows', '1', $$INSERT INTO orders SELECT 1, '2026-06-01 10:00', 10 FROM generate_series(1, 3)$$);
CALL run_case('1e130 amounts', '1', $$INSERT INTO orders VALUES (1, '2026-05-01', 1e130), (1, '2026-06-01', 1e130)$$);
CALL run_case('numeric overflow', '1', $$INSERT INTO orders VALUES (1, '2026-05-01', 9e131071), (1, '2026-06-01', 9e131071)$$);
CALL run_case('float NaN', '1', $$INSERT INTO float_orders VALUES (1, '2026-06-01', 'NaN')$$, 'float_orders');
CALL run_case('float infinity', '1', $$INSERT INTO float_orders VALUES (1, '2026-06-01', 'Infinity')$$, 'float_orders');
CALL run_case('float sum past 1.8e308', '1',
			  $$INSERT INTO float_orders VALUES (1, '2026-05-01', 1e308), (1, '2026-06-01', 1e308)$$, 'float_orders');
CALL run_case('1,000,000 rows', '1', NULL, 'a_million_orders');
CALL run_case('failing view', '100', NULL, 'failing_orders');
SELECT name, aggregate, customer_scores, segments, priority_list AS priority, contact_schedule AS schedule, refresh
  FROM outcomes ORDER BY n;

-- The errors themselves.
SELECT dormant.rfm_agg(at, amount) FROM (VALUES (timestamptz '2026-01-01', 9e131071), ('2026-01-02', 9e131071)) v(at, amount);
SELECT dormant.bind_transactions('failing_orders', 'customer_id', 'at', 'amount');
SELECT count(*) FROM dormant.customer_scores;

-- An infinite time inserted since the last refresh stops the next ones
-- until the row is gone; its delete makes the refresh full, and right.
SELECT dormant.bind_transactions('orders', 'customer_id', 'at', 'amount');
SELECT dormant.refresh('2026-11-23 12:00+00') > 0 AS refreshed;
INSERT INTO orders VALUES (2, 'infinity', 1), (2, '2026-02-01', 1);
SELECT dormant.refresh('2026-11-23 12:00+00');
SELECT count(*) AS pending FROM dormant.pending_transaction;
DELETE FROM orders WHERE at = 'infinity';
SELECT dormant.refresh('2026-11-23 12:00+00') > 0 AS refreshed;
SELECT mode, outcome FROM dormant.refresh_log ORDER BY refresh_id DESC LIMIT 1;
SELECT customer_id, purchases FROM dormant.customer_snapshot WHERE customer_id = '2';
-- A truncate is noted too, and the next refresh is full.
SELECT dormant.refresh('2026-11-23 12:00+00') > 0 AS refreshed;
TRUNCATE orders;
SELECT dormant.refresh('2026-11-23 12:00+00') > 0 AS refreshed;
SELECT mode, outcome, customers FROM dormant.refresh_log ORDER BY refresh_id DESC LIMIT 1;

-- One steady buyer among one-time buyers: the model fitted at the refresh
-- (with a penalty: nobody is seen dropping out) has a tiny r, and puts a
-- one-time buyer's next purchase some 1e22 days away.  No such day: NULL.
INSERT INTO orders SELECT 1, timestamptz '2024-01-01' + i * interval '1 day', 1 FROM generate_series(1, 500) i;
INSERT INTO orders SELECT c, timestamptz '2024-01-01' + c * interval '1 day', 1 FROM generate_series(2, 41) c;
SELECT dormant.refresh('2026-11-23 12:00+00') > 0 AS refreshed;
SELECT note LIKE '%penalty of 0.01' AS penalized FROM dormant.model_fit ORDER BY fitted_at DESC LIMIT 1;
SELECT count(*) AS customers, count(p_alive) AS with_p_alive, count(expected_next_purchase_on) AS with_next_purchase
  FROM dormant.customer_snapshot;
SELECT count(*) AS customers, count(p_alive) AS with_p_alive, count(expected_next_purchase_on) AS with_next_purchase
  FROM dormant.customer_scores;

RESET dormant.as_of;
UPDATE dormant.policy SET consent_default = false, holdout_share = 0.1 WHERE name = 'b2c';
SELECT dormant.unbind('transactions');
TRUNCATE dormant.customer_snapshot, dormant.segment_snapshot, dormant.segment_history,
	dormant.refresh_log, dormant.customer_state, dormant.pending_transaction, dormant.transaction_change,
	dormant.model_fit, dormant.schedule_snapshot, dormant.enrolment, dormant.kpi_snapshot RESTART IDENTITY;
RESET search_path;
DROP SCHEMA bad_input_test CASCADE;
