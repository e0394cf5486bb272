-- Incremental refresh gives the tables a full refresh gives, on generated
-- data with late rows; deletes and updates fall back to a full refresh.
BEGIN;
CREATE EXTENSION dormant;
SET LOCAL search_path = public, pg_catalog;
SET LOCAL TimeZone = 'Europe/Berlin';
SELECT plan(12);

CREATE TABLE public.orders (customer bigint, placed_at timestamptz, amount numeric(10,2));
CREATE TABLE public.clients (customer bigint, opted_out boolean, policy text);
SELECT setseed(0.25);
INSERT INTO public.orders
SELECT (random() * 2000)::bigint,
	   timestamptz '2024-11-23 00:00+00' + random() * interval '730 days',
	   CASE WHEN random() < 0.05 THEN -round((random() * 50)::numeric, 2)
			ELSE round((random() * 200)::numeric, 2) END
  FROM generate_series(1, 40000);
INSERT INTO public.clients
SELECT c, random() < 0.03, CASE WHEN random() < 0.2 THEN 'b2b' END
  FROM generate_series(0, 2100) c;
SELECT dormant.bind_transactions('public.orders', 'customer', 'placed_at', 'amount');
SELECT dormant.bind_customers('public.clients', 'customer');

CREATE FUNCTION pg_temp.snapshot_text() RETURNS SETOF text LANGUAGE sql AS $$
	SELECT (to_jsonb(s) - 'refresh_id' - 'previous_status')::text
	  FROM dormant.customer_snapshot s ORDER BY customer_id
$$;
CREATE FUNCTION pg_temp.segments_text() RETURNS SETOF text LANGUAGE sql AS $$
	SELECT (to_jsonb(s) - 'refresh_id')::text
	  FROM dormant.segment_snapshot s ORDER BY status, depth, tier
$$;

SELECT ok(dormant.refresh('2026-11-23 00:00+00') IS NOT NULL, 'a first refresh');
SELECT is((SELECT mode FROM dormant.refresh_log ORDER BY refresh_id DESC LIMIT 1), 'full', 'the first refresh is full');

-- 1% new rows: recent ones, late ones dated long ago, new customers, refunds.
INSERT INTO public.orders
SELECT (random() * 2100)::bigint,
	   CASE WHEN random() < 0.3 THEN timestamptz '2024-11-23 00:00+00' + random() * interval '700 days'
			ELSE timestamptz '2026-11-20 00:00+00' + random() * interval '3 days' END,
	   CASE WHEN random() < 0.1 THEN -5 ELSE round((random() * 100)::numeric, 2) END
  FROM generate_series(1, 400);
SELECT dormant.refresh('2026-11-24 00:00+00');
SELECT results_eq(
	$$SELECT mode, transactions_merged FROM dormant.refresh_log ORDER BY refresh_id DESC LIMIT 1$$,
	$$VALUES ('incremental', 400::bigint)$$,
	'new and late rows are merged incrementally');
CREATE TEMPORARY TABLE incremental_customers AS SELECT * FROM pg_temp.snapshot_text() AS t;
CREATE TEMPORARY TABLE incremental_segments AS SELECT * FROM pg_temp.segments_text() AS t;
SELECT dormant.refresh('2026-11-24 00:00+00', full_refresh => true);
SELECT is((SELECT mode FROM dormant.refresh_log ORDER BY refresh_id DESC LIMIT 1), 'full', 'a requested refresh is full');
SELECT results_eq('SELECT * FROM pg_temp.snapshot_text()', 'SELECT * FROM incremental_customers',
				  'incremental and full refreshes give the same customer snapshot');
SELECT results_eq('SELECT * FROM pg_temp.segments_text()', 'SELECT * FROM incremental_segments',
				  'incremental and full refreshes give the same segment snapshot');
SELECT is((SELECT count(*) FROM dormant.customer_snapshot),
		  (SELECT count(*) FROM (SELECT customer FROM public.orders UNION SELECT customer FROM public.clients) c),
		  'one snapshot row per customer of either source');

-- Deleted and updated rows: the next refresh is full, and right.
DELETE FROM public.orders WHERE customer < 20;
UPDATE public.orders SET amount = amount + 1 WHERE customer BETWEEN 20 AND 40;
INSERT INTO public.orders VALUES (5, '2026-11-24 08:00+00', 12);
SELECT dormant.refresh('2026-11-25 00:00+00');
SELECT matches((SELECT mode || ': ' || outcome FROM dormant.refresh_log ORDER BY refresh_id DESC LIMIT 1),
			   '^full: transactions changed since the last refresh \(delete on public.orders\)$',
			   'a delete forces a full refresh, and the log says why');
SELECT is((SELECT count(*) FROM dormant.customer_state s
			 FULL JOIN (SELECT o.customer::text AS customer_id, count(*) FILTER (WHERE o.amount > 0) AS purchases
						  FROM public.orders o GROUP BY 1) o ON o.customer_id = s.customer_id
			WHERE (dormant.rfm_summarize(s.state)).purchases IS DISTINCT FROM o.purchases),
		  0::bigint, 'after the fallback, every stored state counts the rows that exist');
SELECT is((SELECT purchases FROM dormant.customer_snapshot WHERE customer_id = '5'), 1::bigint,
		  'a customer whose rows were deleted starts again from the rows left');

-- Opted-out customers are churned in every snapshot, and never ranked.
SELECT is((SELECT count(*) FROM dormant.customer_snapshot s JOIN public.clients c ON c.customer::text = s.customer_id
			WHERE c.opted_out AND (s.status IS DISTINCT FROM 'churned' OR s.r_score IS NOT NULL OR s.depth IS NOT NULL
								OR s.score IS NOT NULL OR s.tier IS NOT NULL OR s.approach IS NOT NULL)),
		  0::bigint, 'opted-out customers are churned, without scores, depth, tier or approach');
SELECT results_eq(
	$$SELECT h.refresh_id, sum(h.customers)::bigint FROM dormant.segment_history h GROUP BY 1 ORDER BY 1$$,
	$$SELECT refresh_id, customers FROM dormant.refresh_log ORDER BY 1$$,
	'the history holds every refresh, with all its customers');

SELECT * FROM finish();
ROLLBACK;
