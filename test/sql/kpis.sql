-- KPIs on a hand-made campaign with known answers: who was contacted,
-- replied, met and came back within the window, against the holdout.
CREATE SCHEMA kpis_test;
SET search_path = kpis_test, public;
SET TimeZone = 'UTC';
\set SHOW_CONTEXT never

-- The interval formula against known values: 30/100 against 20/100.
SELECT round(lift::numeric, 6) AS lift, round(low::numeric, 6) AS low, round(high::numeric, 6) AS high
  FROM dormant.lift_interval(30, 100, 20, 100);
SELECT lift IS NULL AND low IS NULL AND high IS NULL AS nothing_without_a_group FROM dormant.lift_interval(3, 10, 0, 0);

CREATE TABLE orders (customer_id text, ordered_at timestamptz, amount numeric);
INSERT INTO orders VALUES
	('T1', '2026-03-02 12:00', 999),	-- on the window's first day: not after it
	('T1', '2026-03-20', 100), ('T1', '2026-03-25', -20),
	('T2', '2026-05-01', 50),			-- the window's last day
	('T3', '2026-05-02', 70),			-- a day too late
	('T4', '2026-03-05', 30),			-- never contacted, bought anyway
	('H1', '2026-03-10', 40);
SELECT dormant.bind_transactions('orders', 'customer_id', 'ordered_at', 'amount');
INSERT INTO dormant.enrolment (campaign, customer_id, enrolled_on, policy, holdout, tier, depth, status) VALUES
	('spring', 'T1', '2026-03-02', 'b2c', false, 'high', 'repeat_dormant', 'dormant'),
	('spring', 'T2', '2026-03-02', 'b2c', false, 'high', 'repeat_dormant', 'dormant'),
	('spring', 'T3', '2026-03-02', 'b2c', false, 'mid', 'early_defector', 'dormant'),
	('spring', 'T4', '2026-03-02', 'b2c', false, 'mid', 'early_defector', 'dormant'),
	('spring', 'T5', '2026-03-02', 'b2c', false, 'low', NULL, 'at_risk'),
	('spring', 'H1', '2026-03-02', 'b2c', true, 'high', 'repeat_dormant', 'dormant'),
	('spring', 'H2', '2026-03-02', 'b2c', true, 'mid', 'early_defector', 'dormant');
INSERT INTO dormant.contact_log VALUES
	('T1', 'first_contact', 'email', '2026-03-02 09:00', 'no_response', NULL),
	('T1', 'follow_up', 'email', '2026-03-09 09:00', 'replied', NULL),
	('T1', 'final_offer', 'email', '2026-03-23 09:00', NULL, 'after the purchase'),
	('T2', 'first_contact', 'phone', '2026-03-02 10:00', 'no_response', NULL),
	('T3', 'first_contact', 'phone', '2026-03-02 11:00', 'no_response', NULL),
	('T5', 'first_contact', 'visit', '2026-03-03 11:00', 'meeting', NULL),
	('T5', 'first_contact', 'visit', '2026-01-03 11:00', 'replied', 'before the campaign');

SELECT customer_id, holdout, contacted, phase_reached, replied, meeting, window_start, window_end, reactivated,
	   returned_at, revenue, last_phase, last_channel
  FROM dormant.campaign_outcomes ORDER BY customer_id;

SELECT campaign, tier, depth, campaign_total, eligible, contacted, replied, meetings, reactivated,
	   reactivation_rate, revenue, holdout, holdout_reactivated, holdout_rate, holdout_revenue,
	   round(lift::numeric, 4) AS lift, round(lift_low::numeric, 4) AS lift_low, round(lift_high::numeric, 4) AS lift_high
  FROM dormant.kpis ORDER BY campaign_total DESC, tier, depth;

SELECT * FROM dormant.kpi_touchpoints ORDER BY phase, channel;

-- By the furthest phase reached: T1 got to the final offer, T5 only to the
-- first contact (its contact before the campaign does not count).
SELECT * FROM dormant.kpi_phases ORDER BY tier, phase;

INSERT INTO dormant.goal VALUES ('spring', 'reactivation_rate', 0.1), ('spring', 'meetings', 30), ('autumn', 'replied', 5);
INSERT INTO dormant.goal VALUES ('spring', 'happiness', 1);
SELECT * FROM dormant.kpi_goals ORDER BY campaign, metric;

-- After the return: T1, T2 and T4 came back; as of 2026-10-01 all three
-- have 90 days behind them, T1 and T4 also 180.  The base is whoever
-- bought in the 90 or 180 days before.
INSERT INTO orders VALUES ('T1', '2026-04-10', 60), ('T1', '2026-08-01', 40), ('T2', '2026-06-01', 10),
	('X9', '2026-09-15', 500);
SET dormant.as_of = '2026-10-01 00:00+00';
SELECT campaign, days, customers, round(revenue::numeric, 2) AS revenue, round(purchases::numeric, 2) AS purchases,
	   base_customers, round(base_revenue::numeric, 2) AS base_revenue, round(base_purchases::numeric, 2) AS base_purchases
  FROM dormant.reactivation_value ORDER BY days;
RESET dormant.as_of;

-- The attribution window is the policy's.
UPDATE dormant.policy SET attribution_days = 30 WHERE name = 'b2c';
SELECT customer_id, window_end, reactivated FROM dormant.campaign_outcomes WHERE customer_id IN ('T2', 'H1') ORDER BY 1;
UPDATE dormant.policy SET attribution_days = 0 WHERE name = 'b2c';
UPDATE dormant.policy SET attribution_days = 60 WHERE name = 'b2c';

SELECT dormant.unbind('transactions');
DELETE FROM dormant.goal;
DELETE FROM dormant.contact_log;
DELETE FROM dormant.enrolment;
RESET search_path;
DROP SCHEMA kpis_test CASCADE;
