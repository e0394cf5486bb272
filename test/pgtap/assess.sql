-- dormant.assess, which the pipeline calls once per customer, against the
-- functions it stands for (classify, depth, model_inputs with p_alive,
-- expected_purchases and expected_next_purchase, priority_points), called
-- one at a time on generated customers: the same values to the last bit,
-- under both policies, by silence and by model, in two time zones.
BEGIN;
CREATE EXTENSION dormant;
SET LOCAL search_path = public, pg_catalog;
SELECT plan(12);

SELECT setseed(0.25);
CREATE TABLE public.orders AS
SELECT (random() * 800)::integer AS customer, timestamptz '2023-01-01' + random() * interval '1400 days' AS at,
	   CASE WHEN random() < 0.05 THEN -round((random() * 40)::numeric, 2)
			WHEN random() < 0.02 THEN NULL ELSE round((random() * 900)::numeric, 2) END AS amount
  FROM generate_series(1, 9000);
CREATE TABLE public.signals AS
SELECT c AS customer,
	   CASE WHEN random() < 0.3 THEN NULL ELSE random() * 6 END AS interest,
	   CASE WHEN random() < 0.7 THEN NULL ELSE random() END AS sales,
	   CASE WHEN random() < 0.5 THEN NULL ELSE random()::real END AS fit,
	   random() < 0.1 AS churned,
	   CASE WHEN random() < 0.3 THEN 'b2b' ELSE 'b2c' END AS policy
  FROM generate_series(0, 800) c;
UPDATE dormant.policy SET high_value_amount = 5000 WHERE name = 'b2c';

-- Every field of assess beside what the separate functions give.
CREATE FUNCTION pg_temp.differences(as_of timestamptz, params dormant.bgnbd_params)
RETURNS bigint LANGUAGE sql AS $$
	WITH customers AS (
		SELECT g.customer, g.s, sg.interest, sg.sales, sg.fit, sg.churned, sg.policy,
			   (g.s).first_at::date AS first_day, (g.s).last_at::date AS last_day, as_of::date AS today
		  FROM (SELECT o.customer, dormant.rfm_agg(o.at, o.amount) AS s FROM public.orders o GROUP BY 1) g
		  JOIN public.signals sg ON sg.customer = g.customer
	), separate AS (
		SELECT c.*, m.*, p AS pol,
			   CASE WHEN c.churned THEN 'churned'::dormant.status
					WHEN p.classify_by = 'model' AND m.frequency > 0 THEN
						CASE WHEN m.p_alive < p.p_alive_lapsed THEN 'lapsed'::dormant.status
							 WHEN m.p_alive < p.p_alive_dormant THEN 'dormant'::dormant.status
							 WHEN m.p_alive < p.p_alive_at_risk THEN 'at_risk'::dormant.status
							 ELSE 'active'::dormant.status END
					ELSE dormant.classify(c.s, as_of, c.policy) END AS status
		  FROM customers c
		  JOIN dormant.policy p ON p.name = c.policy
		  LEFT JOIN LATERAL (
			  SELECT (i).frequency, dormant.p_alive((i).frequency, (i).recency, (i).age, params) AS p_alive,
					 dormant.expected_purchases(90, (i).frequency, (i).recency, (i).age, params) AS expected,
					 dormant.expected_next_purchase((i).frequency, (i).recency, (i).age, params) AS next_days
				FROM (SELECT dormant.model_inputs((c.s).purchase_days, c.first_day, c.last_day, c.today) AS i) x
			   WHERE NOT c.churned AND (i).frequency IS NOT NULL) m ON true
	), expected AS (
		SELECT s.customer, s.status,
			   CASE WHEN NOT s.churned THEN dormant.depth(s.s, as_of, s.policy) END AS depth,
			   s.p_alive, s.expected,
			   CASE WHEN s.next_days < 3652425 THEN s.today + ceil(s.next_days)::integer END AS next_on,
			   CASE WHEN s.status IN ('at_risk', 'dormant', 'lapsed') THEN
					dormant.priority_points((s.s).recent_amount::double precision, (s.s).purchase_days,
											(s.s).mean_gap_days,
											greatest(0, date_part('epoch', as_of - (s.s).last_at) / 86400),
											s.interest, s.sales, s.fit, s.pol) END AS pts,
			   s.pol
		  FROM separate s
	), assessed AS (
		SELECT c.customer,
			   dormant.assess(c.policy, params, as_of, c.today, c.churned, (c.s).purchases, (c.s).last_at,
							  (c.s).purchase_days, (c.s).monetary, (c.s).mean_gap_days, c.first_day,
							  c.last_day, (c.s).recent_amount, c.interest, c.sales, c.fit) AS a
		  FROM customers c
	)
	SELECT count(*)
	  FROM expected e
	  JOIN assessed x ON x.customer = e.customer
	 WHERE (x.a).status IS DISTINCT FROM e.status
		OR (x.a).depth IS DISTINCT FROM e.depth
		OR (x.a).p_alive IS DISTINCT FROM e.p_alive
		OR (x.a).expected_purchases_90d IS DISTINCT FROM e.expected
		OR (x.a).expected_next_purchase_on IS DISTINCT FROM e.next_on
		OR (x.a).score IS DISTINCT FROM (e.pts).score
		OR (x.a).transactions_points IS DISTINCT FROM (e.pts).transactions
		OR (x.a).behaviour_points IS DISTINCT FROM (e.pts).behaviour
		OR (x.a).sales_points IS DISTINCT FROM (e.pts).sales
		OR (x.a).fit_points IS DISTINCT FROM (e.pts).fit
		OR (x.a).tier IS DISTINCT FROM CASE WHEN (e.pts).score >= (e.pol).tier_high THEN 'high'::dormant.tier
											WHEN (e.pts).score >= (e.pol).tier_mid THEN 'mid'::dormant.tier
											WHEN e.pts IS NOT NULL THEN 'low'::dormant.tier END
$$;

-- The test would pass vacuously if nobody were scored or modelled.
SELECT cmp_ok((SELECT count(*) FROM (SELECT (dormant.assess('b2c', NULL, '2026-11-01', '2026-11-01', false,
				   (s).purchases, (s).last_at, (s).purchase_days, (s).monetary, (s).mean_gap_days,
				   (s).first_at::date, (s).last_at::date, (s).recent_amount, NULL, NULL, NULL)).score AS score
				 FROM (SELECT dormant.rfm_agg(at, amount) AS s FROM public.orders GROUP BY customer) g) x
			   WHERE score IS NOT NULL), '>', 100::bigint, 'many generated customers are scored');

SELECT is(pg_temp.differences('2026-11-01 12:00+00', NULL), 0::bigint, 'by silence, without a model');
SELECT is(pg_temp.differences('2026-11-01 12:00+00', ROW(0.3, 40, 0.5, 4, NULL, 0, NULL, NULL, true)::dormant.bgnbd_params),
		  0::bigint, 'by silence, with a model');
UPDATE dormant.policy SET classify_by = 'model';
SELECT is(pg_temp.differences('2026-11-01 12:00+00', ROW(0.3, 40, 0.5, 4, NULL, 0, NULL, NULL, true)::dormant.bgnbd_params),
		  0::bigint, 'by model');
SELECT is(pg_temp.differences('2025-03-15 23:30+00', ROW(0.9, 12, 0.2, 9, NULL, 0, NULL, NULL, true)::dormant.bgnbd_params),
		  0::bigint, 'by model, as of a day inside the purchases');
SET LOCAL TimeZone = 'Pacific/Auckland';
SELECT is(pg_temp.differences('2026-11-01 12:00+00', ROW(0.3, 40, 0.5, 4, NULL, 0, NULL, NULL, true)::dormant.bgnbd_params),
		  0::bigint, 'by model, in another time zone');
UPDATE dormant.policy SET classify_by = 'interval';
SELECT is(pg_temp.differences('2026-11-01 12:00+00', NULL), 0::bigint, 'by silence, in another time zone');

-- The edges: churned, no purchases, an unknown policy.
SELECT is((dormant.assess('b2c', NULL, now(), current_date, true, 3, now(), 3, 10, 1, current_date,
						  current_date, 10, NULL, NULL, NULL)).status, 'churned'::dormant.status,
		  'a churned customer is churned');
SELECT is((SELECT count(*) FROM json_each(row_to_json(dormant.assess('b2c', NULL, now(), current_date, true, 3,
				now(), 3, 10, 1, current_date, current_date, 10, 1, 1, 1))) WHERE value::text <> 'null'),
		  1::bigint, 'and has nothing but the status');
SELECT is((SELECT count(*) FROM json_each(row_to_json(dormant.assess('b2c', NULL, now(), current_date, false, NULL,
				NULL, NULL, NULL, NULL, NULL, NULL, NULL, 1, 1, 1))) WHERE value::text <> 'null'),
		  0::bigint, 'a customer without purchases has nothing');
SELECT throws_ok($$SELECT dormant.assess('retail', NULL, now(), current_date, false, 1, now(), 1, 10, NULL,
										 current_date, current_date, 10, NULL, NULL, NULL)$$,
				 '42704', 'policy "retail" does not exist', 'an unknown policy is an error');
SELECT throws_ok($$SELECT dormant.assess('b2c', NULL, NULL, current_date, false, 1, now(), 1, 10, NULL,
										 current_date, current_date, 10, NULL, NULL, NULL)$$,
				 '22004', 'as_of and its day must not be null', 'as_of must be given');

SELECT * FROM finish();
ROLLBACK;
