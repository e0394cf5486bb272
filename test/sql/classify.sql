-- dormant.classify and dormant.depth at every boundary of the shipped policies.
CREATE SCHEMA classify_test;
SET search_path = classify_test;
SET TimeZone = 'UTC';

-- one purchase at a given time
CREATE FUNCTION one(t timestamptz) RETURNS dormant.rfm_summary
LANGUAGE sql AS $$ SELECT dormant.rfm_agg(t, 100) $$;
-- purchases on the given days
CREATE FUNCTION days(VARIADIC ts timestamptz[]) RETURNS dormant.rfm_summary
LANGUAGE sql AS $$ SELECT dormant.rfm_agg(t, 100) FROM unnest(ts) t $$;

-- b2c: at_risk after 3 months, dormant after 6, lapsed after a year; a
-- threshold reached exactly counts
SELECT last_at, dormant.classify(one(last_at), '2024-07-01 00:00', 'b2c') AS b2c,
	   dormant.classify(one(last_at), '2024-07-01 00:00', 'b2b') AS b2b
FROM (VALUES ('2024-07-01 00:00'::timestamptz), ('2024-04-01 00:00:00.000001'), ('2024-04-01 00:00'),
			 ('2024-01-01 00:00:00.000001'), ('2024-01-01 00:00'), ('2023-07-01 00:00:00.000001'),
			 ('2023-07-01 00:00'), ('2022-07-01 00:00:00.000001'), ('2022-07-01 00:00')) v(last_at);

-- the policy argument defaults to b2c
SELECT dormant.classify(one('2024-01-01'), '2024-07-01') AS default_policy;

-- a last purchase after as_of counts as no silence
SELECT dormant.classify(days('2024-06-01', '2024-08-01'), '2024-07-01') AS future;

-- calendar months: six months before 31 August is the last day of February
SELECT dormant.classify(one('2024-02-29'), '2024-08-31') AS leap_end,
	   dormant.classify(one('2024-02-29 00:00:01'), '2024-08-31') AS leap_after;

-- new is exactly one purchase day; active has more
SELECT dormant.classify(days('2024-06-20', '2024-06-20 18:00'), '2024-07-01') AS one_day,
	   dormant.classify(days('2024-06-10', '2024-06-20'), '2024-07-01') AS two_days;

-- overdue against its own rhythm: 3+ purchase days, silence of 3 x mean gap
SELECT silence_days,
	   dormant.classify(days('2024-06-01', '2024-06-03', '2024-06-05'),
						'2024-06-05'::timestamptz + silence_days * interval '1 day') AS status
FROM (VALUES (5.99), (6), (30)) v(silence_days);
-- two purchase days are not enough for a rhythm
SELECT dormant.classify(days('2024-06-01', '2024-06-02'), '2024-06-20') AS two_days_overdue;

-- no purchase: no status and no depth
SELECT dormant.classify(dormant.rfm_agg(t, a), '2024-07-01') AS no_purchase,
	   dormant.depth(dormant.rfm_agg(t, a), '2024-07-01') AS no_depth
FROM (VALUES ('2024-01-01'::timestamptz, -5::numeric)) v(t, a);

-- depth, first match wins; only for customers silent at least dormant_after
INSERT INTO dormant.policy (name, at_risk_after, dormant_after, lapsed_after, high_value_amount)
VALUES ('vip', '3 months', '6 months', '2 years', 1000);
SELECT label, dormant.classify(s, '2025-07-01', 'b2c') AS status,
	   dormant.depth(s, '2025-07-01', 'b2c') AS b2c_depth,
	   dormant.depth(s, '2025-07-01', 'vip') AS vip_depth
FROM (VALUES
	('recent repeat', days('2025-05-01', '2025-06-01')),
	('one purchase, 6 months', one('2025-01-01')),
	('two days, 6 months', days('2024-12-01', '2025-01-01')),
	('two days, 12 months', days('2024-06-01', '2024-07-01')),
	('two days, just under 12 months', days('2024-06-01', '2024-07-01 00:00:01')),
	('big spender, 6 months', (SELECT dormant.rfm_agg(t, 600) FROM unnest(ARRAY['2024-12-01', '2025-01-01']::timestamptz[]) t))
) v(label, s);
DELETE FROM dormant.policy WHERE name = 'vip';
