-- The right to object, over generated histories: a customer who opted out
-- (in the bound customers, or by a logged contact) or churned (a cancelled
-- or complaint activity after their last purchase and last sign of
-- interest) is churned, and has no RFM scores, depth, model figures,
-- priority, tier or approach, no row in priority_list, contact_schedule or
-- schedule_snapshot, and no enrolment: in the live views, after a full
-- refresh, and after an incremental one with new opt-outs and purchases.
BEGIN;
CREATE EXTENSION dormant;
SET LOCAL search_path = public, pg_catalog;
SET LOCAL TimeZone = 'Europe/Berlin';
SELECT plan(20);

SELECT setseed(0.5);
CREATE TABLE public.orders AS
SELECT (random() * 1500)::integer AS customer, timestamptz '2023-11-23' + random() * interval '1090 days' AS at,
	   CASE WHEN random() < 0.05 THEN -round((random() * 40)::numeric, 2) ELSE round((random() * 300)::numeric, 2) END AS amount
  FROM generate_series(1, 15000);
CREATE TABLE public.people AS
SELECT c AS customer,
	   CASE WHEN random() < 0.1 THEN NULL ELSE random() < 0.08 END AS opted_out,
	   random() < 0.8 AS email_ok, random() < 0.5 AS phone_ok, random() < 0.5 AS mail_ok,
	   CASE WHEN random() < 0.3 THEN 'b2b' END AS policy
  FROM generate_series(0, 1600) c;
CREATE TABLE public.events AS
SELECT (random() * 1500)::integer AS customer, timestamptz '2025-01-01' + random() * interval '690 days' AS at,
	   (ARRAY['mail_open', 'web_visit', 'download', 'inquiry', 'meeting_positive', 'meeting_negative',
			  'competitor_switch', 'cancelled', 'complaint', 'complaint'])[1 + floor(random() * 10)::int] AS kind
  FROM generate_series(1, 4000);
INSERT INTO dormant.contact_log
SELECT (random() * 1500)::integer::text,
	   (enum_range(NULL::dormant.phase))[1 + floor(random() * 4)::int],
	   'email', timestamptz '2025-06-01' + random() * interval '500 days',
	   (enum_range(NULL::dormant.outcome))[1 + floor(random() * 6)::int]
  FROM generate_series(1, 900);
SELECT dormant.bind_transactions('public.orders', 'customer', 'at', 'amount');
SELECT dormant.bind_customers('public.people', 'customer');
SELECT dormant.bind_activities('public.events', 'customer', 'at', 'kind');
UPDATE dormant.policy SET consent_default = true;

-- Who must not be profiled, worked out from the sources and the README's
-- rules, not from the views; kept in a table, filled again after changes.
CREATE TEMPORARY TABLE objector (customer_id text PRIMARY KEY, why text NOT NULL);
CREATE FUNCTION pg_temp.find_objectors() RETURNS bigint LANGUAGE sql AS $$
	TRUNCATE objector;
	WITH customers AS (
		SELECT customer::text AS customer_id FROM public.orders UNION SELECT customer::text FROM public.people
	), bought AS (
		SELECT customer::text AS customer_id, max(at) AS last_at
		  FROM public.orders WHERE at IS NOT NULL AND (amount > 0 OR amount IS NULL) GROUP BY 1
	), acts AS (
		SELECT customer::text AS customer_id,
			   max(at) FILTER (WHERE kind IN ('cancelled', 'complaint')) AS churned_at,
			   max(at) FILTER (WHERE kind NOT IN ('cancelled', 'complaint')) AS interest_at
		  FROM public.events GROUP BY 1
	), logged AS (
		SELECT DISTINCT l.customer_id FROM dormant.contact_log l WHERE l.outcome = 'opted_out'
	)
	INSERT INTO objector
	SELECT c.customer_id,
		   CASE WHEN p.opted_out THEN 'opted out'
				WHEN l.customer_id IS NOT NULL THEN 'opted out in the contact log'
				ELSE 'churned' END
	  FROM customers c
	  LEFT JOIN public.people p ON p.customer::text = c.customer_id
	  LEFT JOIN bought b ON b.customer_id = c.customer_id
	  LEFT JOIN acts a ON a.customer_id = c.customer_id
	  LEFT JOIN logged l ON l.customer_id = c.customer_id
	 WHERE p.opted_out OR l.customer_id IS NOT NULL
		OR (a.churned_at >= coalesce(a.interest_at, '-infinity') AND a.churned_at > coalesce(b.last_at, '-infinity'));
	SELECT count(*) FROM objector;
$$;

-- The customers as the live view or the last snapshot shows them, and
-- the objectors among them who carry anything beyond the churned status.
CREATE TEMPORARY TABLE seen AS SELECT * FROM dormant.customer_scores WITH NO DATA;
CREATE FUNCTION pg_temp.profiled(snapshot boolean) RETURNS bigint LANGUAGE sql AS $$
	TRUNCATE seen;
	INSERT INTO seen SELECT * FROM dormant.customer_scores WHERE NOT snapshot;
	INSERT INTO seen SELECT (jsonb_populate_record(NULL::seen, to_jsonb(s))).* FROM dormant.customer_snapshot s WHERE snapshot;
	SELECT count(*)
	  FROM seen s JOIN objector o USING (customer_id)
	 WHERE s.status IS DISTINCT FROM 'churned'
		OR num_nonnulls(s.r_score, s.f_score, s.m_score, s.depth, s.p_alive, s.expected_purchases_90d,
						s.expected_next_purchase_on, s.score, s.tier, s.holdout, s.priority, s.approach,
						s.content, s.contact_note) > 0;
$$;

CREATE FUNCTION pg_temp.scheduled(snapshot boolean) RETURNS bigint LANGUAGE sql AS $$
	SELECT count(*)
	  FROM (SELECT s.customer_id FROM dormant.contact_schedule s WHERE NOT snapshot
			UNION ALL SELECT s.customer_id FROM dormant.schedule_snapshot s WHERE snapshot
			UNION ALL SELECT p.customer_id FROM dormant.priority_list p WHERE NOT snapshot
			-- enrolled by the last refresh (an enrolment made before an
			-- opt-out stays: it is the campaign's record of whom it assigned)
			UNION ALL SELECT e.customer_id FROM dormant.enrolment e
			 WHERE snapshot AND e.refresh_id = (SELECT max(l.refresh_id) FROM dormant.refresh_log l)) s
	  JOIN objector o USING (customer_id)
$$;

SELECT pg_temp.find_objectors() > 0 AS found;
SELECT ok((SELECT count(*) FILTER (WHERE why = 'opted out') >= 50
			  AND count(*) FILTER (WHERE why = 'opted out in the contact log') >= 50
			  AND count(*) FILTER (WHERE why = 'churned') >= 50 FROM objector),
		  'the histories hold many opt-outs of each kind and many churns');
SELECT ok((SELECT count(*) FROM public.events e
			WHERE e.kind IN ('cancelled', 'complaint')
			  AND e.customer::text NOT IN (SELECT customer_id FROM objector)) >= 50,
		  'and many complaints and cancellations that a later purchase or sign of interest undid');

SELECT ok(dormant.refresh('2026-11-23 12:00+01') > 0, 'a full refresh');
SELECT is((SELECT mode FROM dormant.refresh_log ORDER BY refresh_id DESC LIMIT 1), 'full', 'it is full');
SET LOCAL dormant.as_of = '2026-11-23 12:00+01';
SELECT ok((SELECT count(*) FROM dormant.customer_scores WHERE score IS NOT NULL) > 100
		  AND (SELECT count(*) FROM dormant.contact_schedule) > 100
		  AND (SELECT count(*) FROM dormant.customer_scores WHERE p_alive IS NOT NULL) > 100,
		  'others are scored, scheduled and modelled');

SELECT set_eq('SELECT customer_id FROM dormant.customer_scores WHERE status = ''churned''',
			  'SELECT customer_id FROM objector',
			  'live: the churned are exactly the objectors');
SELECT is(pg_temp.profiled(false), 0::bigint, 'live: objectors have no scores, depth, model figures, priority or approach');
SELECT is(pg_temp.scheduled(false), 0::bigint, 'live: objectors are in neither priority_list nor contact_schedule');
SELECT is((SELECT count(*) FROM dormant.segments WHERE status = 'churned'
			AND (depth IS NOT NULL OR tier IS NOT NULL OR mean_score IS NOT NULL)),
		  0::bigint, 'live: the churned segment has no depth, tier or score');

SELECT set_eq('SELECT customer_id FROM dormant.customer_snapshot WHERE status = ''churned''',
			  'SELECT customer_id FROM objector',
			  'full refresh: the churned are exactly the objectors');
SELECT is(pg_temp.profiled(true), 0::bigint, 'full refresh: objectors have no scores, depth, model figures, priority or approach');
SELECT is(pg_temp.scheduled(true), 0::bigint, 'full refresh: objectors are in neither schedule_snapshot nor enrolment');

-- New opt-outs in both places, new complaints, and new purchases, some of
-- them after a complaint; then an incremental refresh.
UPDATE public.people SET opted_out = true WHERE customer % 37 = 0;
INSERT INTO dormant.contact_log
SELECT c::text, 'first_contact', 'phone', timestamptz '2026-11-23 09:00+01', 'opted_out'
  FROM generate_series(5, 1500, 41) c;
INSERT INTO public.events
SELECT c, timestamptz '2026-11-22 10:00+01', 'complaint' FROM generate_series(3, 1500, 29) c;
INSERT INTO public.orders
SELECT c, timestamptz '2026-11-22 12:00+01', 50 FROM generate_series(3, 1500, 58) c;
SELECT pg_temp.find_objectors() > 0 AS found;
SELECT ok(dormant.refresh('2026-11-23 12:00+01') > 0, 'an incremental refresh');
SELECT is((SELECT mode FROM dormant.refresh_log ORDER BY refresh_id DESC LIMIT 1), 'incremental', 'it is incremental');
SELECT set_eq('SELECT customer_id FROM dormant.customer_snapshot WHERE status = ''churned''',
			  'SELECT customer_id FROM objector',
			  'incremental refresh: the churned are exactly the objectors, new ones included');
SELECT ok((SELECT count(*) FROM objector o JOIN generate_series(3, 1500, 58) c ON c::text = o.customer_id
			 WHERE o.why = 'churned') = 0
		  AND (SELECT count(*) FROM objector o JOIN generate_series(32, 1500, 58) c ON c::text = o.customer_id
				WHERE o.why = 'churned') >= 20,
		  'a purchase after a complaint undoes the churn; a complaint after the last purchase does not');
SELECT is(pg_temp.profiled(true), 0::bigint, 'incremental refresh: objectors have no scores, depth, model figures, priority or approach');
SELECT is(pg_temp.scheduled(true), 0::bigint, 'incremental refresh: objectors are in neither schedule_snapshot nor enrolment');
SELECT is(pg_temp.profiled(false), 0::bigint, 'live, after: objectors have no scores, depth, model figures, priority or approach');
SELECT is(pg_temp.scheduled(false), 0::bigint, 'live, after: objectors are in neither priority_list nor contact_schedule');

SELECT * FROM finish();
ROLLBACK;
