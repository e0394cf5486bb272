-- dormant.policy: shipped rows, defaults, constraints, restore of edits.
SELECT name, at_risk_after, dormant_after, lapsed_after, overdue_factor, loyal_silence, high_value_amount
FROM dormant.policy ORDER BY name;

-- the three thresholds are enough; the rest has defaults
INSERT INTO dormant.policy (name, at_risk_after, dormant_after, lapsed_after)
VALUES ('subscription', '45 days', '90 days', '180 days');
SELECT * FROM dormant.policy WHERE name = 'subscription';

-- thresholds must be positive and strictly increasing
INSERT INTO dormant.policy (name, at_risk_after, dormant_after, lapsed_after) VALUES ('zero', '0', '1 month', '2 months');
INSERT INTO dormant.policy (name, at_risk_after, dormant_after, lapsed_after) VALUES ('negative', '-1 month', '1 month', '2 months');
INSERT INTO dormant.policy (name, at_risk_after, dormant_after, lapsed_after) VALUES ('equal', '1 month', '1 month', '2 months');
INSERT INTO dormant.policy (name, at_risk_after, dormant_after, lapsed_after) VALUES ('backwards', '1 month', '3 months', '2 months');
INSERT INTO dormant.policy (name, at_risk_after, dormant_after, lapsed_after) VALUES ('missing', '1 month', '3 months', NULL);
UPDATE dormant.policy SET overdue_factor = 0 WHERE name = 'subscription';
UPDATE dormant.policy SET loyal_silence = '0' WHERE name = 'subscription';
UPDATE dormant.policy SET high_value_amount = -1 WHERE name = 'subscription';
-- NULL turns the overdue rule and the high-value segment off
UPDATE dormant.policy SET overdue_factor = NULL, high_value_amount = NULL WHERE name = 'subscription';

-- a user policy cannot be inserted twice
INSERT INTO dormant.policy (name, at_risk_after, dormant_after, lapsed_after) VALUES ('subscription', '1 day', '2 days', '3 days');

-- a row inserted under a shipped name replaces the shipped row (this is how
-- pg_dump restores edits of b2c and b2b)
INSERT INTO dormant.policy (name, at_risk_after, dormant_after, lapsed_after, overdue_factor)
VALUES ('b2c', '2 months', '5 months', '10 months', 4);
SELECT name, at_risk_after, dormant_after, lapsed_after, overdue_factor FROM dormant.policy WHERE name = 'b2c';
SELECT count(*) AS b2c_rows FROM dormant.policy WHERE name = 'b2c';

-- configuration tables, whose rows pg_dump keeps: the policy among them
SELECT c.config, c.condition
  FROM pg_extension e, unnest(e.extconfig::regclass[], e.extcondition) AS c(config, condition)
 WHERE e.extname = 'dormant' ORDER BY c.config::text;

-- classify reads the edited policy
SELECT dormant.classify(dormant.rfm_agg('2024-01-01'::timestamptz, 1), '2024-06-01', 'b2c') AS edited_b2c;

-- leave the shipped policies as they were for the tests that follow
INSERT INTO dormant.policy (name, at_risk_after, dormant_after, lapsed_after)
VALUES ('b2c', '3 months', '6 months', '1 year');
DELETE FROM dormant.policy WHERE name = 'subscription';
SELECT name, at_risk_after, dormant_after, lapsed_after, overdue_factor, loyal_silence, high_value_amount
FROM dormant.policy ORDER BY name;
