-- Properties of suggest_thresholds over generated customers who buy at a
-- steady rhythm, then stop: figures close to what the generator implies,
-- ordered, monotone in the level, and deterministic.
BEGIN;
CREATE EXTENSION dormant;
SET LOCAL search_path = public, pg_catalog;
SET LOCAL TimeZone = 'UTC';
SET LOCAL dormant.as_of = '2026-12-31 12:00+00';
SELECT plan(28);
CREATE TEMPORARY TABLE policy_before AS SELECT * FROM dormant.policy;

-- the contract
SELECT has_function('dormant', 'suggest_thresholds', ARRAY['text', 'double precision']);
SELECT is(pg_get_function_result('dormant.suggest_thresholds(text, double precision)'::regprocedure),
		  'TABLE(measure text, threshold text, proposed interval, current_value interval, basis text, '
		  'customers bigint, observations bigint, note text, detail jsonb)',
		  'one row per figure: what it proposes, against which current value, on what basis and counts');
SELECT volatility_is('dormant', 'suggest_thresholds', ARRAY['text', 'double precision'], 'stable');
SELECT isnt_strict('dormant', 'suggest_thresholds', ARRAY['text', 'double precision']);
SELECT is((SELECT proconfig FROM pg_proc WHERE oid = 'dormant.suggest_thresholds(text, double precision)'::regprocedure),
		  ARRAY['search_path=pg_catalog, pg_temp'], 'the function pins its search_path');

-- Customers start on a random day from 2023 to 2026 and buy again after
-- each purchase with chance 0.8, after 25 to 35 days (b2c) or 80 to 100
-- days (every fourth customer, b2b), uniformly, until they stop or as_of.
-- Gaps in whole days are then uniform on 25..35 (p80 33, p90 34, p95 35)
-- and on 80..100 (p80 96, p90 98, p95 99).  After d silent days the chance
-- of another purchase is 0.8 P(G > d) / (0.8 P(G > d) + 0.2): 0.8 right
-- after a purchase; below 10% from 35 days, 30% from 34, 50% from 33.
CREATE TABLE public.buys (customer integer, bought_at timestamptz, amount numeric);
CREATE TABLE public.accounts (customer integer, policy text);
CREATE FUNCTION pg_temp.generate(customers integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	day date;
	b2b boolean;
BEGIN
	FOR c IN 1..customers LOOP
		b2b := c % 4 = 0;
		day := date '2023-01-01' + floor(random() * 1430)::integer;
		LOOP
			INSERT INTO public.buys VALUES (c, day + time '12:00', 1 + round((random() * 100)::numeric, 2));
			EXIT WHEN random() < 0.2;
			day := day + CASE WHEN b2b THEN 80 + floor(random() * 21)::integer
							  ELSE 25 + floor(random() * 11)::integer END;
			EXIT WHEN day > date '2026-12-31';
		END LOOP;
		INSERT INTO public.accounts VALUES (c, CASE WHEN b2b THEN 'b2b' END);
	END LOOP;
END $$;
SELECT setseed(0.42);
SELECT pg_temp.generate(4000);
-- Some purchases of unknown value, which count, and refunds three days
-- after a purchase, which do not.
UPDATE public.buys SET amount = NULL WHERE random() < 0.05;
INSERT INTO public.buys SELECT customer, bought_at + interval '3 days', -5 FROM public.buys WHERE random() < 0.05;

-- Two contacts after each customer's last purchase, at a silence of 0 to
-- 359 days, up to 30 days before as_of: half respond below 120 days of
-- silence, a tenth after.
-- A response is a reply, or (one time in three) a mail opened a few days
-- later with no reply logged.
CREATE TABLE public.opens (customer integer, opened_at timestamptz, kind text);
CREATE TEMPORARY TABLE contacted AS
SELECT c.customer, c.last_day + s.silence + time '10:00' AS contacted_at,
	   random() < CASE WHEN s.silence < 120 THEN 0.5 ELSE 0.1 END AS responds,
	   random() < 1.0 / 3 AS by_mail
  FROM (SELECT customer, max(bought_at)::date AS last_day FROM public.buys
		 WHERE amount > 0 OR amount IS NULL GROUP BY customer) c
 -- (the reference to c draws anew for each customer)
 CROSS JOIN LATERAL (SELECT floor(random() * 360)::integer AS silence FROM generate_series(1, 2) WHERE c.customer > 0) s
 WHERE c.last_day + s.silence <= date '2026-12-01';
INSERT INTO dormant.contact_log (customer_id, phase, channel, contacted_at, outcome)
SELECT customer::text, 'nurture', 'email', contacted_at,
	   CASE WHEN responds AND NOT by_mail THEN 'replied' ELSE 'no_response' END::dormant.outcome
  FROM contacted;
INSERT INTO public.opens
SELECT customer, contacted_at + interval '3 days', 'mail_open' FROM contacted WHERE responds AND by_mail;

SELECT dormant.bind_transactions('public.buys', 'customer', 'bought_at', 'amount');
SELECT dormant.bind_customers('public.accounts', 'customer');
SELECT dormant.bind_activities('public.opens', 'customer', 'opened_at', 'kind');

CREATE TEMPORARY TABLE figure AS
SELECT p.policy, s.* FROM unnest(ARRAY['b2c', 'b2b']) p(policy), dormant.suggest_thresholds(p.policy) s;
CREATE FUNCTION pg_temp.days(policy text, measure text) RETURNS integer LANGUAGE sql AS $$
	SELECT extract(day FROM f.proposed)::integer FROM figure f WHERE f.policy = $1 AND f.measure = $2
$$;

-- close to the generator
SELECT ok(abs(pg_temp.days('b2c', 'gap_p80') - 33) <= 1 AND abs(pg_temp.days('b2c', 'gap_p90') - 34) <= 1
		  AND pg_temp.days('b2c', 'gap_p95') BETWEEN 34 AND 35,
		  'b2c gap percentiles are about 33, 34 and 35 days');
SELECT ok(abs(pg_temp.days('b2b', 'gap_p80') - 96) <= 1 AND abs(pg_temp.days('b2b', 'gap_p90') - 98) <= 1
		  AND pg_temp.days('b2b', 'gap_p95') BETWEEN 98 AND 100,
		  'b2b gap percentiles are about 96, 98 and 99 days');
SELECT is(count(*), 0::bigint, 'the proposed at_risk_after <= dormant_after <= lapsed_after')
  FROM (SELECT DISTINCT policy FROM figure) p
 WHERE NOT (pg_temp.days(p.policy, 'gap_p80') <= pg_temp.days(p.policy, 'gap_p90')
			AND pg_temp.days(p.policy, 'gap_p90') <= pg_temp.days(p.policy, 'gap_p95'));

-- The gaps computed here another way: the percentiles are the gaps at
-- positions ceil(f n) in order, from the same counts.
CREATE TEMPORARY TABLE gap AS
SELECT coalesce(a.policy, 'b2c') AS policy, d.customer,
	   d.day - lag(d.day) OVER (PARTITION BY d.customer ORDER BY d.day) AS days
  FROM (SELECT DISTINCT customer, bought_at::date AS day FROM public.buys
		 WHERE amount > 0 OR amount IS NULL) d
  JOIN public.accounts a USING (customer);
SELECT results_eq(
	$$SELECT f.policy, f.measure, (f.detail ->> 'fraction')::numeric, f.observations, f.customers,
			 extract(day FROM f.proposed)::integer
		FROM figure f WHERE f.measure LIKE 'gap_p%' ORDER BY 1, 2$$,
	$$SELECT g.policy, 'gap_p' || (q.f * 100)::integer, q.f, count(*), count(DISTINCT g.customer),
			 (array_agg(g.days ORDER BY g.days))[ceil(q.f * count(*))::integer]
		FROM gap g CROSS JOIN (VALUES (0.8), (0.9), (0.95)) q(f)
	   WHERE g.days IS NOT NULL GROUP BY g.policy, q.f ORDER BY 1, 2$$,
	'the percentiles and their counts agree with a separate computation');
SELECT is((SELECT count(*) FROM figure WHERE note IS NOT NULL AND measure <> 'response_drop'), 0::bigint,
		  'with thousands of gaps there is nothing to warn about');

-- the chance of another purchase
SELECT ok(abs((detail ->> 'chance_after_purchase')::float8 - 0.8) < 0.015,
		  'the chance of another purchase right after one is about 0.8')
  FROM figure WHERE policy = 'b2c' AND measure = 'repurchase_chance';
SELECT ok(abs((f.detail ->> 'chance_after_purchase')::float8 - 0.8)
		  < abs((f.detail ->> 'gaps')::float8 / f.observations - 0.8),
		  'censoring the open silences of customers still buying brings it closer to 0.8 than counting them as final')
  FROM figure f WHERE f.policy = 'b2c' AND f.measure = 'repurchase_chance';
SELECT is(pg_temp.days('b2c', 'repurchase_chance'), 35, 'the chance is below 10% from the longest gap, 35 days');
SELECT ok((SELECT abs(extract(day FROM proposed) - 34) <= 1 FROM dormant.suggest_thresholds('b2c', 0.3)
			WHERE measure = 'repurchase_chance'),
		  'the chance is below 30% from about 34 days');
SELECT ok((SELECT abs(extract(day FROM proposed) - 33) <= 1 FROM dormant.suggest_thresholds('b2c', 0.5)
			WHERE measure = 'repurchase_chance'),
		  'the chance is below 50% from about 33 days');

CREATE TEMPORARY TABLE by_level AS
SELECT l.level, p.policy, s.proposed, (s.detail ->> 'chance_after_purchase')::float8 AS after_purchase
  FROM generate_series(0.05, 0.95, 0.05) l(level)
 CROSS JOIN unnest(ARRAY['b2c', 'b2b']) p(policy)
 CROSS JOIN LATERAL dormant.suggest_thresholds(p.policy, l.level::float8) s
 WHERE s.measure = 'repurchase_chance';
SELECT is(count(*), 0::bigint, 'a higher level never proposes a longer silence')
  FROM by_level a JOIN by_level b ON b.policy = a.policy AND b.level > a.level
 WHERE b.proposed > a.proposed OR (a.proposed IS NULL AND b.proposed IS NOT NULL);
SELECT is(count(*), 0::bigint, 'a figure is missing exactly when the level is above the chance right after a purchase')
  FROM by_level WHERE (proposed IS NULL) <> (level > after_purchase);
SELECT ok(count(DISTINCT proposed) >= 5, 'the level moves the figure') FROM by_level WHERE policy = 'b2c';
SELECT is_empty(
	$$SELECT * FROM dormant.suggest_thresholds('b2c', 0.05) WHERE measure <> 'repurchase_chance'
	  EXCEPT SELECT * FROM dormant.suggest_thresholds('b2c', 0.9) WHERE measure <> 'repurchase_chance'$$,
	'the other figures do not depend on the level');

-- responses to contacts
SELECT is(pg_temp.days('b2c', 'response_drop'), 120, 'b2c responses drop at 120 days of silence');
SELECT is(pg_temp.days('b2b', 'response_drop'), 120, 'b2b responses drop at 120 days of silence');
SELECT is((SELECT observations FROM figure WHERE policy = 'b2c' AND measure = 'response_drop')
		  + (SELECT observations FROM figure WHERE policy = 'b2b' AND measure = 'response_drop'),
		  (SELECT count(*) FROM contacted WHERE contacted_at::date <= date '2026-12-01'),
		  'every contact after a purchase and 30 days before as_of is judged, under one policy');
SELECT is((SELECT sum((b ->> 'responses')::bigint)::bigint FROM figure f, jsonb_array_elements(f.detail -> 'bins') b
			WHERE f.measure = 'response_drop'),
		  (SELECT count(*) FROM contacted c
			WHERE (c.responds AND NOT c.by_mail)
			   OR EXISTS (SELECT FROM public.opens o
						   WHERE o.customer = c.customer AND o.opened_at > c.contacted_at
							 AND o.opened_at <= c.contacted_at + interval '30 days')),
		  'a reply, or a mail opened within 30 days after a contact, is a response, and nothing else');

-- deterministic
SELECT results_eq($$SELECT * FROM dormant.suggest_thresholds('b2c') ORDER BY measure$$,
				  $$SELECT measure, threshold, proposed, current_value, basis, customers, observations, note, detail
					  FROM figure WHERE policy = 'b2c' ORDER BY measure$$,
				  'the same data give the same figures');
CREATE TABLE public.shuffled AS SELECT * FROM public.buys ORDER BY random();
SELECT dormant.bind_transactions('public.shuffled', 'customer', 'bought_at', 'amount');
SELECT results_eq($$SELECT * FROM dormant.suggest_thresholds('b2b') ORDER BY measure$$,
				  $$SELECT measure, threshold, proposed, current_value, basis, customers, observations, note, detail
					  FROM figure WHERE policy = 'b2b' ORDER BY measure$$,
				  'the figures do not depend on the order of the rows');
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 4;
SELECT results_eq($$SELECT * FROM dormant.suggest_thresholds('b2c') ORDER BY measure$$,
				  $$SELECT measure, threshold, proposed, current_value, basis, customers, observations, note, detail
					  FROM figure WHERE policy = 'b2c' ORDER BY measure$$,
				  'nor on parallel plans');
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- A policy without customers: five rows, no proposals, a note on each.
INSERT INTO dormant.policy (name, at_risk_after, dormant_after, lapsed_after) VALUES ('empty', '1 day', '2 days', '3 days');
SELECT results_eq($$SELECT count(*), count(proposed), count(note) FROM dormant.suggest_thresholds('empty')$$,
				  $$VALUES (5::bigint, 0::bigint, 5::bigint)$$,
				  'a policy without customers gets no proposals, and notes that say why');
DELETE FROM dormant.policy WHERE name = 'empty';
SELECT set_eq('SELECT * FROM dormant.policy', 'SELECT * FROM policy_before',
			  'no call changed a policy');

SELECT * FROM finish();
ROLLBACK;
