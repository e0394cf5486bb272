-- Properties of the priority score over generated customers: bounded,
-- deterministic, and monotone in every signal.
BEGIN;
CREATE EXTENSION dormant;
SET LOCAL search_path = public, pg_catalog;
SELECT plan(9);

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

SELECT * FROM finish();
ROLLBACK;
