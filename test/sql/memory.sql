-- Ten thousand aggregate calls in one backend leave its memory as it was:
-- whatever a call allocates must go with its query.  The backend's memory is
-- the sum of total_bytes over pg_backend_memory_contexts, measured after a
-- warm-up (plans and caches) and again after 1,000 rounds of 10 groups each;
-- a leak of 100 bytes per call, or per statement, would pass the bound.
CREATE SCHEMA memory_test;
SET search_path = memory_test;
SET TimeZone = 'UTC';

-- 10 customers with 6 rows each: refunds, unknown amounts, a sum that
-- spills to numeric, more days than a state keeps inline, over 15 months
CREATE TABLE orders (customer int, occurred_at timestamptz, amount numeric);
INSERT INTO orders
SELECT i % 10, '2024-01-01'::timestamptz + i * interval '8 days',
	   CASE WHEN i % 7 = 0 THEN -2 WHEN i % 11 = 0 THEN NULL WHEN i = 20 THEN 1e30 ELSE i * 1.25 END
FROM generate_series(1, 60) i;
-- 10 groups of 6 BG/NBD customers
CREATE TABLE customers (g int, x bigint, t_x float8, t float8);
INSERT INTO customers
SELECT g, x, t_x + g, t + g
FROM generate_series(1, 10) g,
	 (VALUES (0::bigint, 0.0::float8, 10.0::float8), (1, 5, 10), (2, 7.5, 12),
			 (3, 11, 12), (1, 2, 20), (0, 0, 15)) v(x, t_x, t);
UPDATE customers SET t_x = 0 WHERE x = 0;
ANALYZE orders, customers;

CREATE FUNCTION backend_memory() RETURNS bigint LANGUAGE sql AS $$
	SELECT sum(total_bytes)::bigint FROM pg_backend_memory_contexts
$$;

-- One round: rfm_agg for each customer, their states through the text form
-- and rfm_merge, the summaries of the merged states, a BG/NBD fit for each
-- group and its scores; and every fifth round, both aggregates in parallel
-- plans (run by the leader alone: starting such a plan is the slow part),
-- which serialize, deserialize and combine each group's state.
CREATE FUNCTION rounds(n int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	FOR i IN 1 .. n LOOP
		PERFORM customer, dormant.rfm_agg(occurred_at, amount) FROM orders GROUP BY customer;
		PERFORM dormant.rfm_summarize(dormant.rfm_merge(s::text::dormant.rfm_state))
		FROM (SELECT customer, dormant.rfm_state_agg(occurred_at, amount) AS s
			  FROM orders GROUP BY customer) x
		GROUP BY customer % 2;
		PERFORM dormant.p_alive(2, 7.5, 12, p), dormant.expected_purchases(10, 2, 7.5, 12, p)
		FROM (SELECT dormant.bgnbd_fit(x, t_x, t, 0.01) AS p FROM customers GROUP BY g) f;
		IF i % 5 = 0 THEN
			EXECUTE 'SELECT customer, dormant.rfm_agg(occurred_at, amount) FROM orders GROUP BY customer';
			EXECUTE 'SELECT g, dormant.bgnbd_fit(x, t_x, t, 0.01) FROM customers GROUP BY g';
		END IF;
	END LOOP;
END $$;

-- parallel plans that split the aggregates (their transitions priced high),
-- without ever starting a worker
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET max_parallel_workers = 0;
SET cpu_operator_cost = 1;
CREATE FUNCTION plan_has(query text, node text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
	plan text;
BEGIN
	EXECUTE 'EXPLAIN (FORMAT JSON, COSTS OFF) ' || query INTO plan;
	RETURN plan LIKE '%' || node || '%';
END $$;
SELECT plan_has('SELECT customer, dormant.rfm_agg(occurred_at, amount) FROM orders GROUP BY customer',
				'"Partial Mode": "Finalize"') AS parallel_rfm,
	   plan_has('SELECT g, dormant.bgnbd_fit(x, t_x, t, 0.01) FROM customers GROUP BY g',
				'"Partial Mode": "Finalize"') AS parallel_bgnbd;

SELECT backend_memory() > 0 AS measured, rounds(100);
SELECT backend_memory() AS before \gset
SELECT rounds(1000);
SELECT backend_memory() AS after \gset
SELECT CASE WHEN growth < 64 * 1024 THEN 'bounded' ELSE 'grew by ' || growth || ' bytes' END AS memory
FROM (SELECT :after - :before AS growth) g;

RESET cpu_operator_cost;
RESET max_parallel_workers;
RESET max_parallel_workers_per_gather;
RESET min_parallel_table_scan_size;
RESET parallel_tuple_cost;
RESET parallel_setup_cost;
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA memory_test CASCADE;
