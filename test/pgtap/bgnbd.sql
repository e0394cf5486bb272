-- Catalog contract and properties of the BG/NBD fit and scores.
BEGIN;
CREATE EXTENSION dormant;
SET LOCAL search_path = public, pg_catalog;
SELECT plan(52);

-- the contract
SELECT has_type('dormant', 'bgnbd_params', 'the parameter type exists');
SELECT is((SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum)
		   FROM pg_attribute
		   WHERE attrelid = (SELECT typrelid FROM pg_type WHERE oid = 'dormant.bgnbd_params'::regtype) AND attnum > 0),
		  'r double precision, alpha double precision, a double precision, b double precision, '
		  'log_likelihood double precision, penalty double precision, customers bigint, '
		  'iterations integer, converged boolean',
		  'bgnbd_params has the parameters, the log-likelihood, the penalty and how the fit went');
SELECT is_aggregate('dormant', 'bgnbd_fit', ARRAY['bigint', 'double precision', 'double precision']);
SELECT is_aggregate('dormant', 'bgnbd_fit', ARRAY['bigint', 'double precision', 'double precision', 'double precision']);
SELECT function_returns('dormant', 'bgnbd_fit', ARRAY['bigint', 'double precision', 'double precision'], 'dormant.bgnbd_params');
SELECT function_returns('dormant', 'bgnbd_fit', ARRAY['bigint', 'double precision', 'double precision', 'double precision'], 'dormant.bgnbd_params');
SELECT function_returns('dormant', 'p_alive', ARRAY['bigint', 'double precision', 'double precision', 'dormant.bgnbd_params'], 'double precision');
SELECT function_returns('dormant', 'expected_purchases', ARRAY['double precision', 'bigint', 'double precision', 'double precision', 'dormant.bgnbd_params'], 'double precision');
SELECT function_returns('dormant', 'expected_next_purchase', ARRAY['bigint', 'double precision', 'double precision', 'dormant.bgnbd_params'], 'double precision');
SELECT is(count(*), 3::bigint, 'the scoring functions are immutable, strict and parallel safe')
FROM pg_proc
WHERE pronamespace = 'dormant'::regnamespace AND proname IN ('p_alive', 'expected_purchases', 'expected_next_purchase')
  AND provolatile = 'i' AND proisstrict AND proparallel = 's';
SELECT isnt_strict('dormant', 'bgnbd_fit_trans', ARRAY['internal', 'bigint', 'double precision', 'double precision']);
SELECT isnt_strict('dormant', 'bgnbd_fit_trans', ARRAY['internal', 'bigint', 'double precision', 'double precision', 'double precision']);
SELECT isnt_strict('dormant', 'bgnbd_fit_combine', ARRAY['internal', 'internal']);
SELECT is_strict('dormant', 'bgnbd_fit_deserial', ARRAY['bytea', 'internal']);
SELECT is(count(*), 2::bigint, 'both fits are parallel safe with combine, serialize and deserialize functions')
FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
WHERE p.pronamespace = 'dormant'::regnamespace AND p.proname = 'bgnbd_fit' AND p.proparallel = 's'
  AND a.aggcombinefn <> 0 AND a.aggserialfn <> 0 AND a.aggdeserialfn <> 0;

-- Simulated customers: a purchase rate ~ Gamma(r, alpha), a dropout
-- probability ~ Beta(a, b) after every repeat purchase, observed for age T.
CREATE FUNCTION pg_temp.random_gamma(shape float8) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
	d float8;
	c float8;
	x float8;
	v float8;
BEGIN
	-- Marsaglia and Tsang; shapes below 1 through Gamma(shape + 1) U^(1/shape)
	IF shape < 1 THEN
		RETURN pg_temp.random_gamma(shape + 1) * (1 - random()) ^ (1 / shape);
	END IF;
	d := shape - 1.0 / 3;
	c := 1 / sqrt(9 * d);
	LOOP
		x := sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random());
		v := (1 + c * x) ^ 3;
		CONTINUE WHEN v <= 0;
		IF ln(1 - random()) < x * x / 2 + d - d * v + d * ln(v) THEN
			RETURN d * v;
		END IF;
	END LOOP;
END $$;
CREATE FUNCTION pg_temp.bgnbd_customer(r float8, alpha float8, a float8, b float8, age float8,
									   OUT frequency bigint, OUT recency float8)
LANGUAGE plpgsql AS $$
DECLARE
	rate float8 := pg_temp.random_gamma(r) / alpha;
	pa float8 := pg_temp.random_gamma(a);
	p float8 := pa / (pa + pg_temp.random_gamma(b));
	t float8 := 0;
BEGIN
	frequency := 0;
	recency := 0;
	LOOP
		t := t - ln(1 - random()) / rate;
		EXIT WHEN t > age;
		frequency := frequency + 1;
		recency := t;
		EXIT WHEN random() < p;
	END LOOP;
END $$;

-- two populations, in their own schema (a temporary table is never
-- scanned in parallel): CDNOW-like occasional buyers with much dropout,
-- and frequent buyers who rarely drop out
CREATE SCHEMA bgnbd_tap;
SELECT setseed(0.25);
CREATE TABLE bgnbd_tap.customers AS
SELECT 'occasional' AS segment, c.frequency, c.recency, age
FROM (SELECT 30 + 22 * random() AS age FROM generate_series(1, 20000)) g,
	 pg_temp.bgnbd_customer(0.5, 5, 0.8, 2.5, age) c
UNION ALL
SELECT 'frequent', c.frequency, c.recency, age
FROM (SELECT 30 + 22 * random() AS age FROM generate_series(1, 10000)) g,
	 pg_temp.bgnbd_customer(2, 4, 0.5, 8, age) c;
ANALYZE bgnbd_tap.customers;
CREATE TEMP TABLE fits AS
SELECT segment, dormant.bgnbd_fit(frequency, recency, age) AS p
FROM bgnbd_tap.customers GROUP BY segment;

-- parameter recovery: each estimate near the truth, the mean purchase
-- rate r / alpha and mean dropout probability a / (a + b) nearer still
SELECT ok((p).converged AND abs((p).r / 0.5 - 1) < 0.1 AND abs((p).alpha / 5 - 1) < 0.1,
		  'occasional buyers: r and alpha recovered within 10%')
FROM fits WHERE segment = 'occasional';
SELECT ok(abs((p).a / 0.8 - 1) < 0.2 AND abs((p).b / 2.5 - 1) < 0.2,
		  'occasional buyers: a and b recovered within 20%')
FROM fits WHERE segment = 'occasional';
SELECT ok(abs((p).r / (p).alpha / 0.1 - 1) < 0.05 AND abs((p).a / ((p).a + (p).b) / (0.8 / 3.3) - 1) < 0.05,
		  'occasional buyers: mean rate and mean dropout probability within 5%')
FROM fits WHERE segment = 'occasional';
SELECT ok((p).converged AND abs((p).r / 2 - 1) < 0.1 AND abs((p).alpha / 4 - 1) < 0.1,
		  'frequent buyers: r and alpha recovered within 10%')
FROM fits WHERE segment = 'frequent';
SELECT ok(abs((p).a / 0.5 - 1) < 0.2 AND abs((p).b / 8 - 1) < 0.2,
		  'frequent buyers: a and b recovered within 20%')
FROM fits WHERE segment = 'frequent';
SELECT ok(abs((p).r / (p).alpha / 0.5 - 1) < 0.05 AND abs((p).a / ((p).a + (p).b) / (0.5 / 8.5) - 1) < 0.1,
		  'frequent buyers: mean rate within 5%, mean dropout probability within 10%')
FROM fits WHERE segment = 'frequent';
SELECT is((SELECT (p).customers FROM fits WHERE segment = 'frequent'), 10000::bigint, 'every customer counted');

-- serial and parallel fits are identical: the customers are sorted
-- before the likelihood is summed
\ir ../lib/plan_has.sql
SET LOCAL max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_fit AS
SELECT dormant.bgnbd_fit(frequency, recency, age) AS p FROM bgnbd_tap.customers;
CREATE TEMP TABLE serial_penalized AS
SELECT dormant.bgnbd_fit(frequency, recency, age, 0.001) AS p FROM bgnbd_tap.customers;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SELECT ok(pg_temp.plan_has('SELECT dormant.bgnbd_fit(frequency, recency, age) FROM bgnbd_tap.customers',
						   '"Partial Mode": "Partial"'),
		  'the fit runs as a parallel partial aggregate');
SELECT is((SELECT dormant.bgnbd_fit(frequency, recency, age)::text FROM bgnbd_tap.customers),
		  (SELECT p::text FROM serial_fit),
		  'the parallel fit equals the serial one');
SELECT is((SELECT dormant.bgnbd_fit(frequency, recency, age, 0.001)::text FROM bgnbd_tap.customers),
		  (SELECT p::text FROM serial_penalized),
		  'the parallel penalized fit equals the serial one');
SELECT ok((SELECT (p).converged FROM serial_fit), 'the fit of both populations together converges');
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;

-- degenerate data
SELECT throws_ok($$SELECT dormant.bgnbd_fit(2, 30, 38)$$, '22003', 'the BG/NBD likelihood has no maximum',
				 'one customer: no maximum');
SELECT throws_ok($$SELECT dormant.bgnbd_fit(0, 0, age) FROM bgnbd_tap.customers$$, '22003', NULL,
				 'no repeat buyers: no maximum');
SELECT throws_ok($$SELECT dormant.bgnbd_fit(frequency, age, age) FROM bgnbd_tap.customers WHERE frequency > 0$$, '22003', NULL,
				 'repeat buyers all buying at the end of observation: no maximum');
SELECT ok((SELECT (dormant.bgnbd_fit(2, 30, 38, 0.01)).converged), 'with a penalty, one customer gives a fit');
SELECT throws_ok($$SELECT dormant.bgnbd_fit(-1, 0, 1)$$, '22023', 'invalid frequency "-1"', 'a negative frequency is an error');
SELECT throws_ok($$SELECT dormant.bgnbd_fit(1, -0.5, 1)$$, '22023', 'invalid recency "-0.5"', 'a negative recency is an error');
SELECT throws_ok($$SELECT dormant.bgnbd_fit(0, 0, -1)$$, '22023', 'invalid age "-1"', 'a negative age is an error');
SELECT throws_ok($$SELECT dormant.bgnbd_fit(1, 3, 2)$$, '22023', 'recency "3" exceeds age "2"', 'recency past age is an error');
SELECT is((SELECT dormant.bgnbd_fit(frequency, recency, age)::text FROM (
			   SELECT frequency, recency, age FROM bgnbd_tap.customers
			   UNION ALL SELECT NULL, 1, 2 UNION ALL SELECT 1, NULL, 2 UNION ALL SELECT 1, 1, NULL) q),
		  (SELECT p::text FROM serial_fit), 'rows with a NULL are left out');
SELECT is((SELECT dormant.bgnbd_fit(frequency, recency, age) FROM bgnbd_tap.customers WHERE false), NULL,
		  'no rows: NULL');
SELECT ok((q.p).log_likelihood < (s.p).log_likelihood
		  AND ln((q.p).r) ^ 2 + ln((q.p).alpha) ^ 2 + ln((q.p).a) ^ 2 + ln((q.p).b) ^ 2
			  < ln((s.p).r) ^ 2 + ln((s.p).alpha) ^ 2 + ln((s.p).a) ^ 2 + ln((s.p).b) ^ 2,
		  'a penalty costs likelihood and brings the log-parameters toward 0')
FROM serial_penalized q, serial_fit s;

-- properties of the scores over a grid of customers, with the fitted
-- parameters and with other ones
CREATE TEMP TABLE params AS
SELECT p FROM serial_fit
UNION ALL VALUES (ROW(0.243, 4.414, 0.793, 2.426, NULL, NULL, NULL, NULL, NULL)::dormant.bgnbd_params),
				 (ROW(5, 0.5, 3, 0.2, NULL, NULL, NULL, NULL, NULL)::dormant.bgnbd_params),
				 (ROW(0.05, 50, 0.1, 20, NULL, NULL, NULL, NULL, NULL)::dormant.bgnbd_params);
CREATE TEMP TABLE grid AS
SELECT p, x::bigint, tx, tt
FROM params, unnest(ARRAY[0, 1, 2, 5, 20, 100, 10000]) x, unnest(ARRAY[0.5, 5, 20, 52, 500]::float8[]) tt,
	 unnest(ARRAY[0, 0.4, 4, 19, 50, 500]::float8[]) tx
WHERE tx <= tt AND (x > 0 OR tx = 0);
CREATE TEMP TABLE scores AS
SELECT p, x, tx, tt, dormant.p_alive(x, tx, tt, p) AS alive,
	   dormant.expected_next_purchase(x, tx, tt, p) AS next,
	   h, dormant.expected_purchases(h, x, tx, tt, p) AS expected
FROM grid, unnest(ARRAY[0, 1e-6, 1, 39, 520, 1e4, 1e6]::float8[]) h;
SELECT is(count(*), 0::bigint, 'p_alive is in [0, 1]') FROM scores WHERE NOT alive BETWEEN 0 AND 1;
SELECT is(count(*), 0::bigint, 'p_alive is 1 without repeat purchases') FROM scores WHERE x = 0 AND alive <> 1;
SELECT is(count(*), 0::bigint, 'p_alive decreases with age for fixed frequency and recency')
FROM (SELECT alive, lag(alive) OVER (PARTITION BY p::text, x, tx ORDER BY tt) AS before
	  FROM (SELECT DISTINCT p, x, tx, tt, alive FROM scores WHERE x > 0 AND tx > 0) s) q
WHERE alive > before;
SELECT ok((SELECT count(*) FROM (SELECT alive, lag(alive) OVER (PARTITION BY p::text, x, tx ORDER BY tt) AS before
								 FROM (SELECT DISTINCT p, x, tx, tt, alive FROM scores WHERE x > 0 AND tx > 0) s) q
		   WHERE alive < before) > 0, 'and strictly so somewhere');
SELECT ok(count(*) FILTER (WHERE alive < before) = 0 AND count(before) > 100,
		  'p_alive increases with recency for fixed frequency and age')
FROM (SELECT alive, lag(alive) OVER (PARTITION BY p::text, x, tt ORDER BY tx) AS before
	  FROM (SELECT DISTINCT p, x, tx, tt, alive FROM scores WHERE x > 0) s) q;
SELECT is(count(*), 0::bigint, 'expected_purchases is finite, 0 at t = 0 and increases with t')
FROM (SELECT h, expected, lag(expected) OVER (PARTITION BY p::text, x, tx, tt ORDER BY h) AS before FROM scores) q
WHERE NOT (expected >= 0 AND expected < 'Infinity') OR (h = 0 AND expected <> 0) OR expected < before;
SELECT ok((SELECT count(*) FROM (SELECT expected, lag(expected) OVER (PARTITION BY p::text, x, tx, tt ORDER BY h) AS before
								 FROM scores) q WHERE expected > before) > 0, 'and strictly so somewhere');
SELECT is(count(*), 0::bigint, 'expected_purchases stays below P(alive) (r + x) t / (alpha + T), the count without dropout')
FROM scores WHERE expected > alive * ((p).r + x) * h / ((p).alpha + tt) * (1 + 1e-12);
SELECT is(count(*), 0::bigint, 'for small t it is P(alive) (r + x) t / (alpha + T)')
FROM scores WHERE h = 1e-6 AND abs(expected / (alive * ((p).r + x) * h / ((p).alpha + tt)) - 1) > 1e-4 AND alive > 1e-300;
SELECT is(count(*), 0::bigint, 'expected_next_purchase is NULL exactly when P(alive) <= 1/2')
FROM (SELECT DISTINCT p::text, x, tx, tt, alive, next FROM scores) s WHERE (next IS NULL) <> (alive <= 0.5);
SELECT is(count(*), 0::bigint, 'by expected_next_purchase the probability of another purchase is 1/2')
FROM (SELECT DISTINCT p, x, tx, tt, alive, next FROM scores WHERE next IS NOT NULL AND next < 'Infinity') s
WHERE abs(alive * (1 - (((p).alpha + tt) / ((p).alpha + tt + next)) ^ ((p).r + x)) - 0.5) > 1e-9;
SELECT throws_ok($$SELECT dormant.p_alive(1, 1, 2, ROW(0.243, 0, 0.793, 2.426, NULL, NULL, NULL, NULL, NULL)::dormant.bgnbd_params)$$,
				 '22023', 'invalid BG/NBD parameter alpha "0"', 'parameters must be positive');
SELECT throws_ok($$SELECT dormant.expected_purchases('NaN', 1, 1, 2, ROW(0.243, 4.414, 0.793, 2.426, NULL, NULL, NULL, NULL, NULL)::dormant.bgnbd_params)$$,
				 '22023', 'invalid horizon "NaN"', 'the horizon must be a number');
SELECT throws_ok($$SELECT dormant.expected_next_purchase(2, 3, 1, ROW(0.243, 4.414, 0.793, 2.426, NULL, NULL, NULL, NULL, NULL)::dormant.bgnbd_params)$$,
				 '22023', 'recency "3" exceeds age "1"', 'the scores check customers as the fit does');

-- the fit is unchanged by the order and the grouping of the rows
SELECT is((SELECT dormant.bgnbd_fit(frequency, recency, age ORDER BY random())::text FROM bgnbd_tap.customers),
		  (SELECT p::text FROM serial_fit), 'the order of the rows does not matter');

SELECT * FROM finish();
ROLLBACK;
