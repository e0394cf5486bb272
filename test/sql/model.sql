-- BG/NBD in use: fitted per policy at refresh, stored, shown per customer,
-- and optionally classifying repeat buyers by P(alive).
CREATE SCHEMA model_test;
SET search_path = model_test, public;
SET TimeZone = 'UTC';
\set SHOW_CONTEXT never

-- 400 customers over two years: regular buyers who stay, and buyers who stop.
SELECT setseed(0.125);
CREATE TABLE orders AS
SELECT c AS customer_id,
	   timestamptz '2024-11-23' + (k * (20 + c % 40)) * interval '1 day' AS ordered_at,
	   10 + c % 7 AS amount
  FROM generate_series(1, 400) c,
	   generate_series(0, 40) k
 WHERE k * (20 + c % 40) < CASE WHEN c % 3 = 0 THEN 200 ELSE 730 END
   AND (k = 0 OR random() < 0.9);
-- and 20 who bought once, some recently, some long ago
INSERT INTO orders SELECT 1000 + c, timestamptz '2025-01-01' + c * interval '30 days', 5 FROM generate_series(1, 20) c;
SELECT dormant.bind_transactions('orders', 'customer_id', 'ordered_at', 'amount');
SELECT dormant.refresh('2026-11-23 00:00+00') > 0 AS refreshed;

SELECT policy, (params).customers, (params).converged, round((params).r::numeric, 2) > 0 AS fitted,
	   note, refresh_id = (SELECT max(refresh_id) FROM dormant.refresh_log) AS this_refresh
  FROM dormant.model_fit ORDER BY policy;

SET dormant.as_of = '2026-11-23 00:00+00';
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE p_alive BETWEEN 0 AND 1) AS with_p_alive,
	   count(*) FILTER (WHERE purchase_days = 1 AND p_alive = 1) AS one_time_alive,
	   count(*) FILTER (WHERE expected_purchases_90d >= 0) AS with_expectation,
	   count(*) FILTER (WHERE expected_next_purchase_on >= date '2026-11-23') AS with_next_date,
	   count(*) FILTER (WHERE expected_next_purchase_on IS NOT NULL AND p_alive <= 0.5) AS next_date_when_unlikely
  FROM dormant.customer_scores;
-- those who stopped buying are less alive than those who kept on
SELECT round(avg(p_alive) FILTER (WHERE customer_id::int % 3 = 0)::numeric, 2)
	 < round(avg(p_alive) FILTER (WHERE customer_id::int % 3 <> 0)::numeric, 2) AS stoppers_less_alive
  FROM dormant.customer_scores;

-- Classifying by model: repeat buyers by P(alive), one-time buyers by silence.
UPDATE dormant.policy SET classify_by = 'model' WHERE name = 'b2c';
SELECT count(*) FILTER (WHERE purchase_days > 1 AND status <> CASE
			WHEN p_alive < 0.25 THEN 'lapsed' WHEN p_alive < 0.5 THEN 'dormant'
			WHEN p_alive < 0.7 THEN 'at_risk' ELSE 'active' END::dormant.status) AS repeat_misclassified,
	   count(*) FILTER (WHERE purchase_days = 1
							AND status IS DISTINCT FROM dormant.classify(
								row(first_at, last_at, purchases, purchase_days, monetary, mean_gap_days, recent_amount)::dormant.rfm_summary,
								dormant.as_of(), 'b2c')) AS one_time_misclassified,
	   count(*) FILTER (WHERE status IN ('at_risk', 'dormant', 'lapsed')) > 0 AS some_silent
  FROM dormant.customer_scores;
UPDATE dormant.policy SET classify_by = 'sometimes' WHERE name = 'b2c';
UPDATE dormant.policy SET p_alive_dormant = 0.8 WHERE name = 'b2c';
UPDATE dormant.policy SET classify_by = 'interval' WHERE name = 'b2c';

-- The inputs straight from a stored state are those of its summary, with
-- the first and last purchase days in the session's TimeZone, not the one
-- the state was aggregated in (UTC, where every order fell at midnight).
PREPARE model_inputs_compared AS
SELECT current_setting('TimeZone') AS zone, count(*) AS inputs,
	   count(i) AS with_purchases,
	   count(*) FILTER (WHERE i IS DISTINCT FROM dormant.model_inputs((m).purchase_days, ((m).first_at)::date,
																	 ((m).last_at)::date, today)) AS different
  FROM (SELECT dormant.rfm_summarize(c.state) AS m, d.today,
			   dormant.rfm_model_inputs(c.state, d.today) AS i
		  FROM dormant.customer_state c,
			   (VALUES (date '2026-11-23'), (date '2025-03-01'), (date '2020-01-01')) d(today)
		UNION ALL
		SELECT dormant.rfm_summarize(r.state), date '2026-11-23', dormant.rfm_model_inputs(r.state, date '2026-11-23')
		  FROM (SELECT dormant.rfm_state_agg(timestamptz '2025-01-01', -5)) r(state)) x;
EXECUTE model_inputs_compared;
SET TimeZone = 'America/Adak';
EXECUTE model_inputs_compared;
SET TimeZone = 'Pacific/Kiritimati';
EXECUTE model_inputs_compared;
SET TimeZone = 'UTC';
DEALLOCATE model_inputs_compared;
-- a customer who bought on two days, seen from before, between and after
SELECT d.today, (dormant.rfm_model_inputs(s.state, d.today)).*
  FROM (SELECT dormant.rfm_state_agg(t, 10) AS state
		  FROM (VALUES (timestamptz '2025-01-01 12:00+00'), (timestamptz '2025-01-11 12:00+00'),
					   (timestamptz '2025-01-11 13:00+00')) v(t)) s,
	   (VALUES (date '2024-12-01'), (date '2025-01-05'), (date '2025-03-01')) d(today)
 ORDER BY d.today;
SELECT dormant.rfm_model_inputs(NULL, date '2025-01-01') IS NULL AS null_state,
	   dormant.rfm_model_inputs(dormant.rfm_state_agg(timestamptz '2025-01-01', 1), NULL) IS NULL AS null_day;
SELECT dormant.rfm_model_inputs(dormant.rfm_state_agg(timestamptz '2025-01-01', 1), date 'infinity');

-- Data without a maximum is noted, and fitted again with a small penalty.
DELETE FROM orders WHERE customer_id > 1;
SELECT dormant.refresh('2026-11-24 00:00+00') > 0 AS refreshed;
SELECT policy, params IS NULL AS no_params, note FROM dormant.model_fit
 WHERE refresh_id = (SELECT max(refresh_id) FROM dormant.refresh_log);

SELECT dormant.unbind('transactions');
TRUNCATE dormant.customer_snapshot, dormant.segment_snapshot, dormant.segment_history, dormant.schedule_snapshot,
	dormant.refresh_log, dormant.customer_state, dormant.pending_transaction, dormant.transaction_change, dormant.model_fit RESTART IDENTITY;
TRUNCATE dormant.enrolment, dormant.kpi_snapshot;
RESET search_path;
DROP SCHEMA model_test CASCADE;
