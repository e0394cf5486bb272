-- dormant.activity_signals against what it stands for: a join with
-- activity_kind, filtered max, sum and bool_or aggregates, and a DISTINCT
-- ON over the sales events, on generated activities with unknown kinds,
-- NULL times, activities after as_of, and ties between sales events on the
-- same instant.
BEGIN;
CREATE EXTENSION dormant;
SET LOCAL search_path = public, pg_catalog;
SELECT plan(7);

SELECT setseed(0.75);
CREATE TABLE public.events AS
SELECT (random() * 300)::integer AS customer,
	   CASE WHEN random() < 0.03 THEN NULL
			ELSE date_trunc('day', timestamptz '2025-01-01' + random() * interval '700 days') END AS at,
	   (ARRAY['mail_open', 'web_visit', 'download', 'inquiry', 'meeting_positive', 'meeting_negative',
			  'competitor_switch', 'cancelled', 'complaint', 'newsletter_click'])[1 + floor(random() * 10)::int] AS kind
  FROM generate_series(1, 8000);
UPDATE dormant.activity_kind SET weight = 0.37 WHERE kind = 'download';

CREATE FUNCTION pg_temp.differences(as_of timestamptz, span interval) RETURNS bigint LANGUAGE sql AS $$
	WITH w AS (
		SELECT as_of - span AS since, date_part('epoch', as_of) AS as_of_epoch, date_part('epoch', span) AS seconds
	), separate AS (
		SELECT e.customer,
			   max(e.at) AS last_activity_at,
			   max(e.at) FILTER (WHERE k.axis = 'churn') AS churned_at,
			   max(e.at) FILTER (WHERE k.axis <> 'churn') AS last_interest_at,
			   sum(k.weight * (1 - (w.as_of_epoch - date_part('epoch', e.at)) / w.seconds))
				   FILTER (WHERE k.axis = 'behaviour' AND e.at <= as_of AND e.at > w.since) AS interest,
			   bool_or(e.kind = 'competitor_switch') AS left_for_competitor
		  FROM public.events e
		  JOIN dormant.activity_kind k ON k.kind = e.kind
		 CROSS JOIN w
		 GROUP BY e.customer
	), sales AS (
		SELECT DISTINCT ON (e.customer) e.customer, k.weight AS sales, e.kind AS last_sales_event
		  FROM public.events e
		  JOIN dormant.activity_kind k ON k.kind = e.kind
		 WHERE k.axis = 'sales' AND e.at <= as_of
		 ORDER BY e.customer, e.at DESC, e.kind
	), expected AS (
		SELECT s.*, sa.sales, sa.last_sales_event FROM separate s LEFT JOIN sales sa ON sa.customer = s.customer
	), together AS (
		SELECT e.customer, (dormant.activity_signals(e.at, e.kind, w.since, w.as_of_epoch, w.seconds, as_of)).*
		  FROM public.events e CROSS JOIN w
		 GROUP BY e.customer
	)
	SELECT count(*)
	  FROM together t
	  FULL JOIN expected x ON x.customer = t.customer
	 WHERE (t.last_activity_at, t.churned_at, t.last_interest_at, t.interest, t.left_for_competitor,
			t.sales, t.last_sales_event)
		   IS DISTINCT FROM (x.last_activity_at, x.churned_at, x.last_interest_at, x.interest,
							 x.left_for_competitor, x.sales::double precision, x.last_sales_event)
$$;

SELECT is(pg_temp.differences('2026-06-01 12:00+00', interval '6 months'), 0::bigint, 'as of mid-2026, a six-month window');
SELECT is(pg_temp.differences('2025-09-15 00:00+00', interval '45 days'), 0::bigint, 'as of a day inside the activities, 45 days');
DELETE FROM dormant.activity_kind WHERE kind IN ('competitor_switch', 'meeting_negative');
SELECT is(pg_temp.differences('2026-06-01 12:00+00', interval '1 year'), 0::bigint, 'with kinds removed from activity_kind');
SELECT cmp_ok((SELECT count(*) FROM (SELECT customer, at FROM public.events
										WHERE kind IN ('meeting_positive', 'competitor_switch', 'meeting_negative')
										GROUP BY 1, 2 HAVING count(DISTINCT kind) > 1) t), '>', 0::bigint,
			  'the data have sales events of different kinds on the same instant');
SELECT is((SELECT count(*) FROM (SELECT (dormant.activity_signals(at, kind, NULL, NULL, NULL, now())).*
								   FROM public.events WHERE kind = 'newsletter_click' GROUP BY customer) t
			WHERE last_activity_at IS NOT NULL OR left_for_competitor IS NOT NULL), 0::bigint,
		  'a customer with activities of unknown kinds only has no signals');

-- Serial equals parallel: partial states from workers, serialized and
-- combined, give the same signals (the interest up to the order of its sum).
CREATE TEMPORARY TABLE serial AS
SELECT e.customer, (dormant.activity_signals(e.at, e.kind, timestamptz '2025-06-01', 1.78e9, 1.6e7, now())).*
  FROM public.events e GROUP BY e.customer;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL enable_hashagg = off;
\ir ../lib/plan_has.sql
SELECT ok(pg_temp.plan_has($q$SELECT e.customer, dormant.activity_signals(e.at, e.kind, timestamptz '2025-06-01', 1.78e9, 1.6e7, now())
								 FROM public.events e GROUP BY e.customer$q$, '"Partial Mode": "Partial"'),
		  'the aggregate runs in parallel workers');
SELECT is((SELECT count(*) FROM (
			SELECT e.customer, (dormant.activity_signals(e.at, e.kind, timestamptz '2025-06-01', 1.78e9, 1.6e7, now())).*
			  FROM public.events e GROUP BY e.customer) p
			FULL JOIN serial s ON s.customer = p.customer
		   WHERE (p.last_activity_at, p.churned_at, p.last_interest_at, round(p.interest::numeric, 9),
				  p.left_for_competitor, p.sales, p.last_sales_event)
				 IS DISTINCT FROM (s.last_activity_at, s.churned_at, s.last_interest_at, round(s.interest::numeric, 9),
								   s.left_for_competitor, s.sales, s.last_sales_event)),
		  0::bigint, 'serial equals parallel');

SELECT * FROM finish();
ROLLBACK;
