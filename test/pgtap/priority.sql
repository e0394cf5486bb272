-- Properties of the priority score over generated customers: bounded,
-- deterministic, and monotone in every signal.
BEGIN;
CREATE EXTENSION dormant;
SET LOCAL search_path = public, pg_catalog;
SELECT plan(12);

SELECT setseed(0.5);
CREATE TEMPORARY TABLE base AS
SELECT i,
	   (random() * 10000000)::double precision AS amount,
	   (1 + random() * 40)::bigint AS days,
	   (5 + random() * 200)::double precision AS gap,
	   (random() * 1500)::double precision AS silence,
	   (random() * 8)::double precision AS interest,
	   random() AS sales,
	   random()::real AS fit,
	   (SELECT p FROM dormant.policy p WHERE p.name = CASE WHEN random() < 0.5 THEN 'b2b' ELSE 'b2c' END) AS policy
  FROM generate_series(1, 5000) i;

CREATE FUNCTION pg_temp.score(amount double precision, days bigint, gap double precision, silence double precision,
							  interest double precision, sales double precision, fit real, policy dormant.policy)
RETURNS double precision LANGUAGE sql IMMUTABLE AS
$$ SELECT (dormant.priority_points(amount, days, gap, silence, interest, sales, fit, policy)).score $$;

SELECT is(count(*), 0::bigint, 'scores lie between 0 and 100')
  FROM base WHERE NOT pg_temp.score(amount, days, gap, silence, interest, sales, fit, policy) BETWEEN 0 AND 100;
SELECT is(count(*), 0::bigint, 'the same inputs give the same score')
  FROM base WHERE pg_temp.score(amount, days, gap, silence, interest, sales, fit, policy)
			   <> pg_temp.score(amount, days, gap, silence, interest, sales, fit, policy);
SELECT is(count(*), 0::bigint, 'more revenue never lowers the score')
  FROM base WHERE pg_temp.score(amount * 1.5 + 1, days, gap, silence, interest, sales, fit, policy)
				< pg_temp.score(amount, days, gap, silence, interest, sales, fit, policy);
SELECT is(count(*), 0::bigint, 'more regular buying (a shorter mean gap) never lowers the score')
  FROM base WHERE pg_temp.score(amount, days, gap / 2, silence, interest, sales, fit, policy)
				< pg_temp.score(amount, days, gap, silence, interest, sales, fit, policy);
SELECT is(count(*), 0::bigint, 'more purchase days never lower the score')
  FROM base WHERE pg_temp.score(amount, days + 3, gap, silence, interest, sales, fit, policy)
				< pg_temp.score(amount, days, gap, silence, interest, sales, fit, policy);
SELECT is(count(*), 0::bigint, 'a more recent last purchase never lowers the score')
  FROM base WHERE pg_temp.score(amount, days, gap, silence / 2, interest, sales, fit, policy)
				< pg_temp.score(amount, days, gap, silence, interest, sales, fit, policy);
SELECT is(count(*), 0::bigint, 'more interest never lowers the score')
  FROM base WHERE pg_temp.score(amount, days, gap, silence, interest + 1, sales, fit, policy)
				< pg_temp.score(amount, days, gap, silence, interest, sales, fit, policy);
SELECT is(count(*), 0::bigint, 'a better fit or sales history never lowers the score')
  FROM base WHERE pg_temp.score(amount, days, gap, silence, interest, least(1, sales + 0.2), least(1, fit + 0.2)::real, policy)
				< pg_temp.score(amount, days, gap, silence, interest, sales, fit, policy);
SELECT ok((SELECT provolatile = 'i' AND proparallel = 's' FROM pg_proc
			WHERE oid = 'dormant.priority_points(double precision, bigint, double precision, double precision, double precision, double precision, real, dormant.policy)'::regprocedure),
		  'the score function is immutable and parallel safe');

-- The breakdown is the object jsonb_build_object makes of the same values,
-- to the byte (jsonb_send), over generated values with NULLs, NaN and
-- infinities among them.
CREATE TEMPORARY TABLE breakdown_input AS
SELECT CASE WHEN random() < 0.1 THEN NULL WHEN random() < 0.02 THEN 'NaN' WHEN random() < 0.02 THEN '-Infinity'
			-- ties, where rounding the double and its printed digits can differ
			WHEN random() < 0.2 THEN floor(random() * 12000) * 0.005
			ELSE random() * 60 END::double precision AS t,
	   random() * 40 AS b, CASE WHEN random() < 0.2 THEN NULL ELSE random() * 10 END AS s, random() * 10 AS f,
	   CASE WHEN random() < 0.1 THEN NULL ELSE round((random() * 1e6)::numeric, (random() * 3)::int) END AS recent_amount,
	   CASE WHEN random() < 0.1 THEN NULL ELSE (random() * 300)::bigint END AS purchase_days,
	   CASE WHEN random() < 0.3 THEN NULL WHEN random() < 0.02 THEN 'Infinity' ELSE random() * 400 END::double precision AS mean_gap,
	   (random() * 3000)::integer AS silence,
	   CASE WHEN random() < 0.3 THEN NULL ELSE random() * 9 END AS interest,
	   CASE WHEN random() < 0.3 THEN NULL ELSE timestamptz '2020-01-01' + random() * interval '2000 days' END AS last_interest_at,
	   CASE WHEN random() < 0.5 THEN NULL ELSE (ARRAY['meeting_positive', 'competitor_switch', 'a "quoted" event'])[1 + floor(random() * 3)::int] END AS last_event,
	   CASE WHEN random() < 0.3 THEN NULL WHEN random() < 0.02 THEN 'NaN' ELSE random() END::real AS fit
  FROM generate_series(1, 3000);
SELECT is((SELECT count(*) FROM breakdown_input
			WHERE jsonb_send(dormant.priority_breakdown(t, b, s, f, recent_amount, purchase_days, mean_gap, silence,
														 interest, last_interest_at, last_event, fit))
				  IS DISTINCT FROM jsonb_send(jsonb_build_object(
					'transactions', jsonb_build_object('points', round(t::numeric, 2), 'recent_amount', recent_amount,
													   'purchase_days', purchase_days,
													   'mean_gap_days', round(mean_gap::numeric, 1),
													   'silence_days', silence),
					'behaviour', jsonb_build_object('points', round(b::numeric, 2),
													'interest', round(interest::numeric, 2),
													'last_interest_at', last_interest_at),
					'sales', jsonb_build_object('points', round(s::numeric, 2), 'last_event', last_event),
					'fit', jsonb_build_object('points', round(f::numeric, 2), 'fit', fit)))),
		  0::bigint, 'priority_breakdown gives jsonb_build_object''s bytes');
SELECT is(dormant.priority_breakdown(1, 2, 3, 4, 5, 6, 7, 8, 9, NULL, NULL, NULL) -> 'transactions' ->> 'mean_gap_days',
		  '7.0', 'its keys are found by lookup');

-- The score is shown rounded by dormant.rounded, which must be
-- round(x::numeric, digits)::double precision to the bit: on ties and next
-- to them (where a double and its 15 printed digits can round different
-- ways), beyond the values it rounds itself, and on the special values.
CREATE TEMPORARY TABLE rounding_input AS
SELECT u.x, d
  FROM (SELECT (i * 0.0125)::float8 AS v FROM generate_series(-8000, 8000) i) t
 CROSS JOIN LATERAL (VALUES (t.v), (t.v + 1e-13), (t.v - 1e-12), (t.v * (1 + 2e-16)), (t.v * 7.3)) AS u(x)
 CROSS JOIN generate_series(0, 5) d
UNION ALL
SELECT x, d
  FROM unnest(ARRAY['NaN', 'Infinity', '-Infinity', '-0', '5e-324', '1e300', '-999.9995', '999.995',
					'1000.005', '0.5', '-0.5', '2.5', '1e15']::float8[]) x
 CROSS JOIN generate_series(0, 6) d;
SELECT is((SELECT count(*) FROM rounding_input
			WHERE float8send(dormant.rounded(x, d)) IS DISTINCT FROM float8send(round(x::numeric, d)::float8)),
		  0::bigint, 'rounded(x, d) is round(x::numeric, d)::double precision to the bit');

SELECT * FROM finish();
ROLLBACK;
