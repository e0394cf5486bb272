-- Parallel and partitionwise plans give the same summaries as serial ones.
CREATE SCHEMA parallel_test;
SET search_path = parallel_test;
SET TimeZone = 'Asia/Tokyo';
-- ANALYZE reads every row, so that plans do not depend on a random sample.
SET default_statistics_target = 10000;

CREATE TABLE orders (customer int, occurred_at timestamptz, amount numeric(12, 2));
INSERT INTO orders
SELECT (i * 7919::bigint) % 20000,
	   '2023-01-01'::timestamptz + ((i * 104729::bigint) % 730) * interval '1 day' + (i % 86400) * interval '1 second',
	   CASE WHEN i % 50 = 0 THEN -((i % 977) / 10.0) WHEN i % 97 = 0 THEN NULL ELSE (i % 9973) / 100.0 END
FROM generate_series(1, 200000) i;
ANALYZE orders;

-- true when the plan of the query has a node of the given kind
CREATE FUNCTION plan_has(query text, node text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
	plan text;
BEGIN
	EXECUTE 'EXPLAIN (FORMAT JSON, COSTS OFF) ' || query INTO plan;
	RETURN plan LIKE '%' || node || '%';
END $$;

CREATE TABLE serial_result AS
SELECT customer, dormant.rfm_agg(occurred_at, amount)::text AS summary FROM orders GROUP BY customer;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;

SELECT plan_has('SELECT customer, dormant.rfm_agg(occurred_at, amount) FROM orders GROUP BY customer',
				'"Partial Mode": "Partial"') AS partial_aggregate;
CREATE TABLE parallel_result AS
SELECT customer, dormant.rfm_agg(occurred_at, amount)::text AS summary FROM orders GROUP BY customer;

SELECT count(*) AS customers,
	   count(*) FILTER (WHERE s.summary IS DISTINCT FROM p.summary) AS different
FROM serial_result s FULL JOIN parallel_result p USING (customer);

-- the state aggregate and the merge aggregate in parallel too
SELECT plan_has('SELECT dormant.rfm_state_agg(occurred_at, amount) FROM orders', '"Partial Mode": "Partial"') AS partial_state;
SELECT dormant.rfm_summarize(dormant.rfm_state_agg(occurred_at, amount))::text
	 = (SELECT dormant.rfm_agg(occurred_at, amount)::text FROM orders) AS whole_table_equal
FROM orders;
CREATE TABLE states AS
SELECT customer, customer % 100 AS bucket, date_trunc('month', occurred_at) AS month,
	   dormant.rfm_state_agg(occurred_at, amount) AS state
FROM orders GROUP BY 1, 2, 3;
ANALYZE states;
-- (with few states per customer the planner rather gathers the rows, so the
-- plan is checked on coarser groups)
SELECT plan_has('SELECT bucket, dormant.rfm_merge(state) FROM states GROUP BY bucket', '"Partial Mode": "Partial"') AS partial_merge;
SELECT count(*) AS buckets, count(*) FILTER (WHERE m.summary IS DISTINCT FROM d.summary) AS coarse_merge_different
FROM (SELECT bucket, dormant.rfm_summarize(dormant.rfm_merge(state))::text AS summary FROM states GROUP BY bucket) m
JOIN (SELECT customer % 100 AS bucket, dormant.rfm_agg(occurred_at, amount)::text AS summary FROM orders GROUP BY 1) d USING (bucket);
SELECT count(*) AS customers, count(*) FILTER (WHERE dormant.rfm_summarize(m.state)::text IS DISTINCT FROM s.summary) AS merge_different
FROM (SELECT customer, dormant.rfm_merge(state) AS state FROM states GROUP BY customer) m
JOIN serial_result s USING (customer);

-- A full refresh stores the rows of dormant.state_query(), which it runs
-- with CREATE TABLE AS so that it gets a parallel plan: over a bound table
-- (grouped by its own key) and over a bound view (by the key's text).
SELECT dormant.bind_transactions('orders', 'customer', 'occurred_at', 'amount');
SELECT plan_has(dormant.state_query(), '"Partial Mode": "Partial"') AS refresh_partial,
	   plan_has(dormant.state_query(), '"Node Type": "Gather') AS refresh_gathered;
BEGIN;
SELECT mode, outcome FROM dormant.update_states(true);
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE dormant.rfm_summarize(c.state)::text IS DISTINCT FROM s.summary) AS stored_different
FROM dormant.customer_state c FULL JOIN serial_result s ON c.customer_id = s.customer::text;
ROLLBACK;
CREATE VIEW orders_view AS SELECT * FROM orders;
SELECT dormant.bind_transactions('orders_view', 'customer', 'occurred_at', 'amount');
SELECT plan_has(dormant.state_query(), '"Partial Mode": "Partial"') AS view_refresh_partial;
SET max_parallel_workers_per_gather = 0;
SELECT plan_has(dormant.state_query(), '"Partial Mode": "Partial"') AS serial_refresh_partial;
SELECT dormant.unbind('transactions');

-- partitionwise: each partition aggregates apart, states combine above
RESET max_parallel_workers_per_gather;
CREATE TABLE orders_by_month (LIKE orders) PARTITION BY RANGE (occurred_at);
CREATE TABLE orders_2023 PARTITION OF orders_by_month FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE orders_2024 PARTITION OF orders_by_month FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE orders_other PARTITION OF orders_by_month DEFAULT;
INSERT INTO orders_by_month SELECT * FROM orders;
ANALYZE orders_by_month;
SET enable_partitionwise_aggregate = on;
SELECT plan_has('SELECT customer, dormant.rfm_agg(occurred_at, amount) FROM orders_by_month GROUP BY customer',
				'"Partial Mode": "Partial"') AS partitionwise_partial;
SELECT count(*) AS customers, count(*) FILTER (WHERE p.summary IS DISTINCT FROM s.summary) AS partitionwise_different
FROM (SELECT customer, dormant.rfm_agg(occurred_at, amount)::text AS summary FROM orders_by_month GROUP BY customer) p
JOIN serial_result s USING (customer);
