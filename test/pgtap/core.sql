-- Catalog contract and properties of the core: rfm_agg, rfm_state,
-- policy, classify and depth.
BEGIN;
CREATE EXTENSION dormant;
SET LOCAL search_path = public, pg_catalog;
SELECT plan(56);

-- the contract: names, signatures, volatility, strictness
SELECT has_schema('dormant');
SELECT has_type('dormant', 'rfm_summary', 'the summary type exists');
SELECT has_type('dormant', 'rfm_state', 'the state type exists');
SELECT enum_has_labels('dormant', 'status', ARRAY['new', 'active', 'at_risk', 'dormant', 'lapsed', 'churned']);
SELECT is_aggregate('dormant', 'rfm_agg', ARRAY['timestamp with time zone', 'numeric']);
SELECT is_aggregate('dormant', 'rfm_state_agg', ARRAY['timestamp with time zone', 'numeric']);
SELECT is_aggregate('dormant', 'rfm_merge', ARRAY['dormant.rfm_state']);
SELECT function_returns('dormant', 'rfm_agg', ARRAY['timestamp with time zone', 'numeric'], 'dormant.rfm_summary');
SELECT function_returns('dormant', 'rfm_summarize', ARRAY['dormant.rfm_state'], 'dormant.rfm_summary');
SELECT function_returns('dormant', 'classify', ARRAY['dormant.rfm_summary', 'timestamp with time zone', 'text'], 'dormant.status');
SELECT function_returns('dormant', 'depth', ARRAY['dormant.rfm_summary', 'timestamp with time zone', 'text'], 'text');
SELECT volatility_is('dormant', 'rfm_agg_trans', ARRAY['internal', 'timestamp with time zone', 'numeric'], 'stable',
					 'the transition reads TimeZone, so it is stable');
SELECT volatility_is('dormant', 'classify', ARRAY['dormant.rfm_summary', 'timestamp with time zone', 'text'], 'stable');
SELECT volatility_is('dormant', 'rfm_summarize', ARRAY['dormant.rfm_state'], 'immutable');
SELECT isnt_strict('dormant', 'rfm_agg_trans', ARRAY['internal', 'timestamp with time zone', 'numeric']);
SELECT isnt_strict('dormant', 'rfm_agg_combine', ARRAY['internal', 'internal']);
SELECT is_strict('dormant', 'rfm_agg_deserial', ARRAY['bytea', 'internal']);
SELECT is_strict('dormant', 'classify', ARRAY['dormant.rfm_summary', 'timestamp with time zone', 'text']);
SELECT is(count(*), 0::bigint, 'every C function of the extension is parallel safe')
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'dormant'
WHERE p.proparallel <> 's' AND p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'c');
SELECT is(count(*), 0::bigint, 'every aggregate has combine, serialize and deserialize functions')
FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
WHERE p.pronamespace = 'dormant'::regnamespace
  AND (a.aggcombinefn = 0 OR a.aggserialfn = 0 OR a.aggdeserialfn = 0);
SELECT has_table('dormant', 'policy', 'the policy table exists');
SELECT col_is_pk('dormant', 'policy', ARRAY['name'], 'policies are keyed by name');
SELECT col_has_default('dormant', 'policy', 'overdue_factor', 'overdue_factor has a default');
SELECT col_has_default('dormant', 'policy', 'loyal_silence', 'loyal_silence has a default');

-- generated transactions: 3,000 customers, 300,000 rows over two years,
-- with refunds, zero rows, unknown amounts and rows without a time (not a
-- temporary table: those are never scanned in parallel)
CREATE TABLE public.tx AS
SELECT (hashint4(i) & 2147483647) % 3000 AS customer,
	   CASE WHEN i % 1009 = 0 THEN NULL
			ELSE '2023-01-01 00:00+00'::timestamptz + ((hashint4(i * 3) & 2147483647) % 63072000) * interval '1 second' END AS occurred_at,
	   CASE WHEN i % 41 = 0 THEN -((i % 500) / 4.0)
			WHEN i % 43 = 0 THEN 0
			WHEN i % 47 = 0 THEN NULL
			ELSE ((hashint4(i * 7) & 2147483647) % 100000) / 100.0 END::numeric(12, 2) AS amount
FROM generate_series(1, 300000) i;
ANALYZE tx;

\ir ../lib/plan_has.sql

-- serial equals parallel
SET LOCAL max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_summary AS
SELECT customer, dormant.rfm_agg(occurred_at, amount)::text AS s FROM tx GROUP BY customer;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SELECT ok(pg_temp.plan_has('SELECT customer, dormant.rfm_agg(occurred_at, amount) FROM tx GROUP BY customer',
						   '"Partial Mode": "Partial"'),
		  'the grouped aggregate runs as a parallel partial aggregate');
SELECT set_eq('SELECT customer, dormant.rfm_agg(occurred_at, amount)::text FROM tx GROUP BY customer',
			  'SELECT customer, s FROM serial_summary',
			  'serial and parallel summaries are identical');
SELECT ok(pg_temp.plan_has('SELECT dormant.rfm_agg(occurred_at, amount) FROM tx', '"Partial Mode": "Partial"'),
		  'the whole-table aggregate runs in parallel too');
SELECT is((SELECT dormant.rfm_agg(occurred_at, amount)::text FROM tx),
		  (SELECT dormant.rfm_summarize(dormant.rfm_merge(s))::text
		   FROM (SELECT dormant.rfm_state_agg(occurred_at, amount) s FROM tx GROUP BY customer) q),
		  'merging per-customer states gives the whole-table summary');
RESET max_parallel_workers_per_gather;

-- against plain SQL
SELECT is(count(*), 0::bigint, 'first_at, last_at, purchases and monetary agree with min, max, count and sum')
FROM (SELECT customer, dormant.rfm_agg(occurred_at, amount) AS s,
			 min(occurred_at) FILTER (WHERE amount > 0 OR amount IS NULL) AS first_at,
			 max(occurred_at) FILTER (WHERE amount > 0 OR amount IS NULL) AS last_at,
			 count(occurred_at) FILTER (WHERE amount > 0 OR amount IS NULL) AS purchases,
			 sum(amount) FILTER (WHERE occurred_at IS NOT NULL) AS monetary
	  FROM tx GROUP BY customer) q
WHERE (s).first_at IS DISTINCT FROM first_at OR (s).last_at IS DISTINCT FROM last_at
   OR (s).purchases <> purchases OR (s).monetary IS DISTINCT FROM monetary;
SET LOCAL TimeZone = 'UTC';
SELECT is(count(*), 0::bigint, 'purchase days and mean gap agree with plain SQL in UTC')
FROM (SELECT customer, dormant.rfm_agg(occurred_at, amount) AS s FROM tx GROUP BY customer) a
JOIN (SELECT customer, count(DISTINCT d) AS days, (max(d) - min(d))::float8 / nullif(count(DISTINCT d) - 1, 0) AS gap
	  FROM (SELECT customer, (occurred_at AT TIME ZONE 'UTC')::date AS d FROM tx
			WHERE occurred_at IS NOT NULL AND (amount > 0 OR amount IS NULL)) t GROUP BY customer) b USING (customer)
WHERE (s).purchase_days <> days OR (s).mean_gap_days IS DISTINCT FROM gap;
SET LOCAL TimeZone = 'Asia/Tokyo';
SELECT is(count(*), 0::bigint, 'purchase days and mean gap agree with plain SQL in Asia/Tokyo')
FROM (SELECT customer, dormant.rfm_agg(occurred_at, amount) AS s FROM tx GROUP BY customer) a
JOIN (SELECT customer, count(DISTINCT d) AS days, (max(d) - min(d))::float8 / nullif(count(DISTINCT d) - 1, 0) AS gap
	  FROM (SELECT customer, (occurred_at AT TIME ZONE 'Asia/Tokyo')::date AS d FROM tx
			WHERE occurred_at IS NOT NULL AND (amount > 0 OR amount IS NULL)) t GROUP BY customer) b USING (customer)
WHERE (s).purchase_days <> days OR (s).mean_gap_days IS DISTINCT FROM gap;
SET LOCAL TimeZone = 'America/Los_Angeles';
SELECT is(count(*), 0::bigint, 'purchase days agree with plain SQL across daylight saving changes')
FROM (SELECT customer, dormant.rfm_agg(occurred_at, amount) AS s FROM tx GROUP BY customer) a
JOIN (SELECT customer, count(DISTINCT (occurred_at AT TIME ZONE 'America/Los_Angeles')::date) AS days
	  FROM tx WHERE occurred_at IS NOT NULL AND (amount > 0 OR amount IS NULL) GROUP BY customer) b USING (customer)
WHERE (s).purchase_days <> days;
SELECT isnt((SELECT sum((s).purchase_days) FROM (SELECT dormant.rfm_agg(occurred_at, amount) s FROM tx GROUP BY customer) q),
			(SELECT sum(days) FROM (SELECT count(DISTINCT (occurred_at AT TIME ZONE 'UTC')::date) days FROM tx
									WHERE occurred_at IS NOT NULL AND (amount > 0 OR amount IS NULL) GROUP BY customer) q),
			'purchase days depend on the session time zone (Los Angeles differs from UTC)');
RESET TimeZone;

-- states: any split merges to the same summary; text and binary round trips
SELECT is(count(*), 0::bigint, 'states split by month merge to the direct summary')
FROM (SELECT customer, dormant.rfm_summarize(dormant.rfm_merge(st))::text AS merged
	  FROM (SELECT customer, date_trunc('month', occurred_at), dormant.rfm_state_agg(occurred_at, amount) st
			FROM tx GROUP BY 1, 2) q GROUP BY customer) m
JOIN serial_summary USING (customer)
WHERE merged <> s;
SELECT is(count(*), 0::bigint, 'the text form of every state reads back to the same state')
FROM (SELECT dormant.rfm_state_agg(occurred_at, amount) st FROM tx GROUP BY customer) q
WHERE st::text::dormant.rfm_state::text <> st::text;

-- memory is bounded by distinct days: a million rows on 1,100 days (and the
-- twelve months up to the last)
SELECT is(pg_column_size(dormant.rfm_state_agg('2024-01-01'::timestamptz + (i % 1100) * interval '1 day', 1)), 58 + 4 * 1100 + 20 * 12,
		  'a state over 1,000,000 rows on 1,100 days takes 58 bytes, 4 a day and 20 for each of 12 months')
FROM generate_series(1, 1000000) i;

-- bad input
SELECT throws_ok($$SELECT dormant.rfm_agg('infinity', 1)$$, '22008', NULL, 'infinite time is an error');
SELECT throws_ok($$SELECT dormant.rfm_agg('-infinity', 1)$$, '22008', NULL, 'minus infinite time is an error');
SELECT throws_ok($$SELECT dormant.rfm_agg(now(), 'NaN')$$, '22023', NULL, 'NaN amount is an error');
SELECT is((SELECT (dormant.rfm_agg(NULL::timestamptz, 5)).purchases), 0::bigint, 'a NULL time leaves the row out');
SELECT is((SELECT (dormant.rfm_agg(now(), NULL)).purchases), 1::bigint, 'a NULL amount is a purchase of unknown value');
SELECT throws_ok($$SELECT '\x01ff'::dormant.rfm_state$$, '22P02', 'invalid dormant.rfm_state value', 'a truncated state is refused');
SELECT throws_ok($$SELECT dormant.rfm_summarize(dormant.rfm_state_recv(NULL))$$, '42883', NULL, 'support functions are not callable with made-up arguments');

-- policy constraints
SELECT throws_ok($$INSERT INTO dormant.policy (name, at_risk_after, dormant_after, lapsed_after) VALUES ('x', '2 months', '1 month', '3 months')$$,
				 '23514', NULL, 'thresholds must increase');
SELECT throws_ok($$INSERT INTO dormant.policy (name, at_risk_after, dormant_after, lapsed_after) VALUES ('x', '0', '1 month', '3 months')$$,
				 '23514', NULL, 'thresholds must be positive');
SELECT lives_ok($$INSERT INTO dormant.policy (name, at_risk_after, dormant_after, lapsed_after) VALUES ('quarterly', '4 months', '8 months', '16 months')$$,
				'three thresholds make a policy');
SELECT throws_ok($$SELECT dormant.classify(dormant.rfm_agg(now(), 1), now(), 'nope')$$, '42704', 'policy "nope" does not exist');

-- classification properties over the generated customers
CREATE TEMP TABLE summaries AS
SELECT customer, dormant.rfm_agg(occurred_at, amount) AS s FROM tx GROUP BY customer;
CREATE TEMP TABLE as_ofs AS
SELECT '2024-06-01 00:00+00'::timestamptz + n * interval '17 days' AS as_of FROM generate_series(0, 40) n;
SELECT is(count(*), 0::bigint, 'status never moves back toward active as time passes (b2c)')
FROM (SELECT customer, as_of, dormant.classify(s, as_of, 'b2c') AS st,
			 lag(dormant.classify(s, as_of, 'b2c')) OVER (PARTITION BY customer ORDER BY as_of) AS prev
	  FROM summaries, as_ofs) q
WHERE prev IN ('at_risk', 'dormant', 'lapsed') AND st < prev;
SELECT is(count(*), 0::bigint, 'b2b is never stricter than b2c')
FROM summaries, as_ofs
WHERE dormant.classify(s, as_of, 'b2b') IN ('dormant', 'lapsed')
  AND dormant.classify(s, as_of, 'b2c') NOT IN ('dormant', 'lapsed');
SELECT is(count(*), 0::bigint, 'classify follows its definition (b2c)')
FROM summaries, as_ofs
WHERE dormant.classify(s, as_of, 'b2c') IS DISTINCT FROM (
	CASE WHEN (s).purchases = 0 THEN NULL
		 WHEN (s).last_at <= as_of - interval '1 year' THEN 'lapsed'
		 WHEN (s).last_at <= as_of - interval '6 months' THEN 'dormant'
		 WHEN (s).last_at <= as_of - interval '3 months' THEN 'at_risk'
		 WHEN (s).purchase_days >= 3
			  AND greatest(extract(epoch FROM as_of - (s).last_at), 0) / 86400 >= 3 * (s).mean_gap_days THEN 'at_risk'
		 WHEN (s).purchase_days = 1 THEN 'new'
		 ELSE 'active' END)::dormant.status;
SELECT is(count(*), 0::bigint, 'depth is set exactly for dormant and lapsed customers')
FROM summaries, as_ofs
WHERE (dormant.depth(s, as_of, 'b2c') IS NOT NULL) <> coalesce(dormant.classify(s, as_of, 'b2c') IN ('dormant', 'lapsed'), false);
SELECT is(count(*), 0::bigint, 'depth follows its definition (b2c)')
FROM summaries, as_ofs
WHERE dormant.classify(s, as_of, 'b2c') IN ('dormant', 'lapsed')
  AND dormant.depth(s, as_of, 'b2c') IS DISTINCT FROM
	CASE WHEN (s).purchase_days >= 2 AND (s).last_at <= as_of - interval '12 months' THEN 'loyal_defector'
		 WHEN (s).purchase_days >= 2 THEN 'repeat_dormant'
		 ELSE 'early_defector' END;
SELECT is((SELECT array_agg(DISTINCT dormant.classify(s, as_of, 'b2c')) FROM summaries, as_ofs),
		  ARRAY['active', 'at_risk', 'dormant', 'lapsed']::dormant.status[],
		  'the generated customers (all repeat buyers) pass through every later status');
UPDATE dormant.policy SET high_value_amount = 50000 WHERE name = 'b2c';
SELECT is(count(*), 0::bigint, 'high_value_silent takes every dormant customer at or above the amount')
FROM summaries, as_ofs
WHERE dormant.classify(s, as_of, 'b2c') IN ('dormant', 'lapsed')
  AND ((s).monetary >= 50000) <> (dormant.depth(s, as_of, 'b2c') = 'high_value_silent');
SELECT ok((SELECT count(*) FROM summaries, as_ofs WHERE dormant.depth(s, as_of, 'b2c') = 'high_value_silent') > 0,
		  'some generated customers are high_value_silent');

-- a thousand classify calls in one query read the policy once and agree
SELECT is((SELECT count(DISTINCT dormant.classify(s, '2025-01-01', 'quarterly')::text || customer) FROM summaries),
		  (SELECT count(*) FROM summaries WHERE (s).purchases > 0),
		  'a user policy classifies every customer with a purchase');

SELECT * FROM finish();
ROLLBACK;
