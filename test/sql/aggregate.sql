-- dormant.rfm_agg: what counts as a purchase, days, gaps and the money sum.
CREATE SCHEMA aggregate_test;
SET search_path = aggregate_test;
SET TimeZone = 'UTC';

CREATE TABLE orders (customer int, occurred_at timestamptz, amount numeric);
INSERT INTO orders VALUES
	-- 1: three purchases on two days, a refund and a zero correction
	(1, '2024-01-01 09:00', 10.50),
	(1, '2024-01-01 18:00', 5),
	(1, '2024-01-04 12:00', -3.25),
	(1, '2024-01-05 12:00', 0),
	(1, '2024-01-11 08:00', 20.125),
	-- 2: a purchase of unknown value and a known one
	(2, '2024-03-01', NULL),
	(2, '2024-03-02', 7),
	-- 3: refunds only
	(3, '2024-02-01', -10),
	(3, '2024-02-02', -0.5),
	-- 4: only rows without a time
	(4, NULL, 10),
	-- 5: one purchase, and a refund earlier than it (moves neither end)
	(5, '2023-12-31 23:59:59.999999', -1),
	(5, '2024-01-01 00:00', 1),
	-- 6: purchases in any order on four days
	(6, '2024-05-20', 1), (6, '2024-05-01', 1), (6, '2024-05-10', 1),
	(6, '2024-05-01 23:00', 1), (6, '2024-05-31', 1);

SELECT customer, (dormant.rfm_agg(occurred_at, amount)).*
FROM orders GROUP BY customer ORDER BY customer;

-- no rows at all: a summary with no purchase
SELECT (dormant.rfm_agg(occurred_at, amount)).* FROM orders WHERE false;

-- the money sum is exact, keeps the largest display scale, and survives
-- values past the integer fast path (more decimals, huge magnitudes)
SELECT (dormant.rfm_agg(t, a)).monetary
FROM (VALUES ('2024-01-01'::timestamptz, 0.1), ('2024-01-02', 0.2), ('2024-01-03', 0.30000)) v(t, a);
SELECT (dormant.rfm_agg(t, a)).monetary
FROM (VALUES ('2024-01-01'::timestamptz, 1e-20), ('2024-01-02', 12345678901234567890123456789012345678.5), ('2024-01-03', -2)) v(t, a);
SELECT (dormant.rfm_agg(t, a)).monetary = sum(a) AS exact
FROM (SELECT '2024-01-01'::timestamptz + i * interval '1 hour', (i * 7919 % 100003) / 100.0 - 300
	  FROM generate_series(1, 10000) i) v(t, a);
-- numbers near the numeric limits
SELECT (dormant.rfm_agg(t, a)).monetary = sum(a) AS exact_huge
FROM (VALUES ('2024-01-01'::timestamptz, 9e130000::numeric), ('2024-01-02', -9e130000 + 1), ('2024-01-03', 1e-16000)) v(t, a);

-- a customer with many rows on few days stays small: purchase_days counts days
SELECT (s).purchases, (s).purchase_days, round((s).mean_gap_days::numeric, 4) AS mean_gap_days
FROM (SELECT dormant.rfm_agg('2024-01-01'::timestamptz + (i % 1000) * interval '1 day' + i * interval '1 second', 1) AS s
	  FROM generate_series(1, 200000) i) q;

-- purchase days follow the session's TimeZone
CREATE TABLE around_midnight (occurred_at timestamptz);
-- 23:30, 00:30 and 01:00 the next night in Tokyo; two days in UTC
INSERT INTO around_midnight VALUES ('2024-03-01 14:30+00'), ('2024-03-01 15:30+00'), ('2024-03-02 16:00+00');
SET TimeZone = 'UTC';
SELECT (dormant.rfm_agg(occurred_at, 1)).purchase_days AS utc_days FROM around_midnight;
SET TimeZone = 'Asia/Tokyo';
SELECT (dormant.rfm_agg(occurred_at, 1)).purchase_days AS tokyo_days FROM around_midnight;
-- a zone with daylight saving: the night of the change is one day
SET TimeZone = 'America/New_York';
SELECT (dormant.rfm_agg(t, 1)).purchase_days AS new_york_days,
	   (dormant.rfm_agg(t, 1)).mean_gap_days AS new_york_gap
FROM (VALUES ('2024-03-10 00:30'::timestamptz), ('2024-03-10 23:30'), ('2024-03-11 00:30')) v(t);
RESET TimeZone;

-- recent_amount: purchases in the last purchase's month and the 11 before,
-- refunds left out; finer digits than 1e-8 are cut, huge sums saturate
SELECT (s).monetary, (s).recent_amount
FROM (SELECT dormant.rfm_agg(t, a) AS s
	  FROM (VALUES ('2023-01-31 12:00'::timestamptz, 100::numeric), ('2023-02-01 12:00', 40),
				   ('2023-06-15', 7.5), ('2024-01-20', 2.5), ('2024-01-25', -5), ('2023-03-01', NULL)) v(t, a)) x;
SELECT (dormant.rfm_agg(t, a)).recent_amount
FROM (VALUES ('2024-01-01'::timestamptz, 0.123456789123::numeric), ('2024-01-02', 1)) v(t, a);
SELECT (dormant.rfm_agg(t, a)).recent_amount > 1e29 AS saturated
FROM (VALUES ('2024-01-01'::timestamptz, 9e130000::numeric), ('2024-01-02', 1)) v(t, a);
-- the twelve months kept do not depend on the order of rows or on merging:
-- newest first, oldest first, shuffled, and merged from five parts
WITH r AS (SELECT '2022-01-15'::timestamptz + i * interval '17 days' AS t, i::numeric AS a
		   FROM generate_series(1, 80) i)
SELECT count(DISTINCT x) AS distinct_results,
	   min(x) = (SELECT sum(a) FROM r WHERE t >= date_trunc('month', (SELECT max(t) FROM r)) - interval '11 months') AS last_year
FROM (SELECT (dormant.rfm_agg(t, a ORDER BY t)).recent_amount AS x FROM r
	  UNION ALL SELECT (dormant.rfm_agg(t, a ORDER BY t DESC)).recent_amount FROM r
	  UNION ALL SELECT (dormant.rfm_agg(t, a ORDER BY md5(a::text))).recent_amount FROM r
	  UNION ALL SELECT (dormant.rfm_summarize(dormant.rfm_merge(s))).recent_amount
				FROM (SELECT dormant.rfm_state_agg(t, a) AS s FROM r GROUP BY a::int % 5) p) q;
