-- Purchase days in zones whose UTC offset changes: the local day of every
-- row agrees with plain SQL, whatever the order of the rows, at and around
-- transitions, long before the first listed one and long after the last.
CREATE SCHEMA timezones_test;
SET search_path = timezones_test;

-- pairs of instants: a third spread over 1850 to 2300, the rest over 2019
-- to 2031; the pair's purchase days and their gap reveal a wrong day (some
-- zones change their offset at midnight, where a wrong offset shows)
CREATE TABLE instants AS
SELECT pair, CASE WHEN pair % 3 = 0
				 THEN '1850-01-01 00:00+00'::timestamptz
					  + ((hashint8(pair * 2 + k) & 2147483647) / 2147483647.0) * interval '450 years'
				 ELSE '2019-01-01 00:00+00'::timestamptz
					  + ((hashint8(pair * 2 + k) & 2147483647) / 2147483647.0) * interval '12 years' END AS t
FROM generate_series(1, 3000) pair, generate_series(0, 1) k;
-- every 7 minutes of 2024, in random pairs and triples
INSERT INTO instants
SELECT 10000 + (hashint4(i) & 2147483647) % 30000,
	   '2024-01-01 00:00+00'::timestamptz + i * interval '7 minutes'
FROM generate_series(0, 75300) i;
-- the microseconds around transitions and local midnights in Berlin
INSERT INTO instants VALUES
	(5001, '2024-03-31 00:59:59.999999+00'), (5001, '2024-03-31 01:00:00+00'),
	(5002, '2024-03-30 22:59:59.999999+00'), (5002, '2024-03-30 23:00:00+00'),
	(5003, '2024-03-31 21:59:59.999999+00'), (5003, '2024-03-31 22:00:00+00'),
	(5004, '2024-10-27 00:59:59.999999+00'), (5004, '2024-10-27 01:00:00+00'),
	(5005, '2024-10-26 21:59:59.999999+00'), (5005, '2024-10-27 23:00:00+00'),
-- and in Santiago, which changes its offset at midnight
	(5008, '2024-04-07 02:59:59.999999+00'), (5008, '2024-04-07 03:00:00+00'),
	(5009, '2024-09-08 03:59:59.999999+00'), (5009, '2024-09-08 04:00:00+00'),
-- and far from any transition table
	(5006, '4713-11-24 12:00:00+00 BC'), (5006, '1000-06-01 00:00:00+00'),
	(5007, '2290-08-23 00:30:00+00'), (5007, '294276-12-30 00:00:00+00');

-- mismatching pairs in a zone, rows fed in an order that jumps between years
CREATE FUNCTION mismatches(zone text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	result bigint;
BEGIN
	PERFORM set_config('TimeZone', zone, true);
	SELECT count(*) INTO result
	FROM (SELECT pair, dormant.rfm_agg(t, 1) AS s
		  FROM (SELECT pair, t FROM instants ORDER BY hashint8(pair * 7919 + extract(epoch FROM t)::bigint)) o
		  GROUP BY pair) a
	JOIN (SELECT pair, count(DISTINCT d) AS days, (max(d) - min(d))::float8 / nullif(count(DISTINCT d) - 1, 0) AS gap
		  FROM (SELECT pair, (t AT TIME ZONE zone)::date AS d FROM instants) l
		  GROUP BY pair) b USING (pair)
	WHERE (s).purchase_days <> days OR (s).mean_gap_days IS DISTINCT FROM gap;
	RETURN result;
END $$;

-- northern and southern summers, half-hour and negative daylight saving,
-- a zone that changes offset for Ramadan, Tokyo (daylight saving until
-- 1951), and UTC; each zone after another in one session
SELECT zone, mismatches(zone)
FROM unnest(ARRAY['Europe/Berlin', 'America/New_York', 'America/Santiago', 'Australia/Lord_Howe',
				  'Pacific/Chatham', 'Europe/Dublin', 'Africa/Casablanca', 'Asia/Tokyo', 'UTC',
				  'Europe/Berlin']) WITH ORDINALITY z(zone, n)
ORDER BY n;

-- a run of rows in one summer, then one in winter, in one aggregate
SET TimeZone = 'Europe/Berlin';
SELECT (s).purchase_days, (s).mean_gap_days
FROM (SELECT dormant.rfm_agg(t, 1) AS s
	  FROM (VALUES ('2024-07-01 22:30+00'::timestamptz), ('2024-07-02 21:30+00'),
				   ('2024-12-01 22:30+00'), ('2024-12-01 23:30+00'), ('2024-07-01 21:30+00')) v(t)) q;

-- rows just inside a span after rows that cached its neighbour: in
-- Santiago, 03:00 UTC on 7 April 2024 is 23:00 on the 6th, and 03:59:59.999999
-- UTC on 8 September is 23:59:59.999999 on the 7th (four days in all)
SET TimeZone = 'America/Santiago';
SELECT (s).purchase_days
FROM (SELECT dormant.rfm_agg(t, 1) AS s
	  FROM (VALUES ('2024-10-15 12:00+00'::timestamptz), ('2024-09-08 03:59:59.999999+00'),
				   ('2024-09-07 16:00+00'), ('2024-04-01 12:00+00'), ('2024-04-07 03:00+00'),
				   ('2024-04-06 16:00+00')) v(t)) q;
RESET TimeZone;

-- The pipeline in five zones: purchase days, recency, classification,
-- recent_amount's months, the live views and the refresh.  Every instant is
-- written in UTC; the comments give its local time where it matters, and
-- the expected results below were worked out by hand from them.
TRUNCATE dormant.customer_snapshot, dormant.segment_snapshot, dormant.segment_history,
	dormant.refresh_log, dormant.customer_state, dormant.pending_transaction, dormant.transaction_change,
	dormant.model_fit, dormant.schedule_snapshot, dormant.enrolment, dormant.kpi_snapshot RESTART IDENTITY;
CREATE TABLE zone_orders (customer text, at timestamptz, amount numeric);
INSERT INTO zone_orders VALUES
	-- 00:30 and 23:30 local on daylight saving days: one local day there,
	-- two anywhere else
	('ny', '2024-03-10 05:30+00', 1), ('ny', '2024-03-11 03:30+00', 1),	-- New York, EST to EDT
	('ny_fall', '2024-11-03 04:30+00', 1), ('ny_fall', '2024-11-04 04:30+00', 1),	-- EDT to EST
	('lh', '2024-10-05 14:00+00', 1), ('lh', '2024-10-06 12:30+00', 1),	-- Lord Howe, +10:30 to +11
	('lh_end', '2024-04-06 13:30+00', 1), ('lh_end', '2024-04-07 13:00+00', 1),	-- +11 to +10:30
	('apia_dst', '2021-04-03 10:30+00', 1), ('apia_dst', '2021-04-04 10:30+00', 1),	-- Apia, +14 to +13
	-- Tokyo and UTC on 29 February 2024
	('tokyo', '2024-02-28 15:30+00', 1), ('tokyo', '2024-02-29 14:30+00', 1),
	('utc', '2024-02-29 00:30+00', 1), ('utc', '2024-02-29 23:30+00', 1),
	-- Apia skipped 30 December 2011: 23:30 on the 29th (-10) and 00:30 on
	-- the 31st (+14) are an hour apart, two local days and a gap of two
	('apia', '2011-12-30 09:30+00', 1), ('apia', '2011-12-30 10:30+00', 1),
	-- dormant_after (6 months) before as_of, across New York's summer time:
	-- 11:00 UTC there, 12:00 or 12:30 UTC elsewhere
	('edge', '2024-06-30 11:30+00', 1),
	-- recent_amount's months: 2023-12-31 15:30 UTC is already January in
	-- Tokyo, Lord Howe and Apia, so within the year before December 2024
	('month_end', '2023-12-31 15:30+00', 1), ('month_end', '2024-12-15 00:00+00', 10),
	-- and 2024-12-01 04:30 UTC is still November in New York, whose year
	-- then starts in December 2023, at 01:00 New York time
	('month_end_ny', '2023-12-01 06:00+00', 1), ('month_end_ny', '2024-12-01 04:30+00', 10),
	-- the day before 29 February in all five zones
	('leap', '2024-02-28 06:00+00', 1);
SELECT dormant.bind_transactions('zone_orders', 'customer', 'at', 'amount');
UPDATE dormant.policy SET consent_default = true, holdout_share = 0 WHERE name = 'b2c';

-- The customers' results in a zone as of a time: purchase days, mean gap
-- (when there are two days or more), recency and status in one cell.
CREATE FUNCTION zone_scores(zone text, as_of timestamptz)
RETURNS TABLE (customer_id text, cell text, recent_amount numeric, recency_days integer) LANGUAGE plpgsql AS $$
BEGIN
	PERFORM set_config('TimeZone', zone, true);
	PERFORM set_config('dormant.as_of', as_of::text, true);
	RETURN QUERY
	SELECT s.customer_id, concat_ws(' ', s.purchase_days, s.mean_gap_days, s.recency_days, s.status),
		   s.recent_amount, s.recency_days
	  FROM dormant.customer_scores s;
END $$;

-- As of 2024-12-31 12:00 UTC: 07:00 in New York, 21:00 in Tokyo, 23:00 in
-- Lord Howe, and 01:00 on 1 January 2025 in Apia.  Each cell: purchase
-- days, mean gap, recency in days, status.  Expected: a customer of a
-- daylight saving day has one purchase day in its zone and two (a gap of
-- one) elsewhere; apia two days two apart in Apia only; edge at_risk in New
-- York only; recency counts local days (29 February included) up to as_of's
-- local day, one more in Apia, where it is 1 January already.
SELECT z.customer_id,
	   max(z.cell) FILTER (WHERE zone = 'UTC') AS utc,
	   max(z.cell) FILTER (WHERE zone = 'America/New_York') AS new_york,
	   max(z.cell) FILTER (WHERE zone = 'Asia/Tokyo') AS tokyo,
	   max(z.cell) FILTER (WHERE zone = 'Australia/Lord_Howe') AS lord_howe,
	   max(z.cell) FILTER (WHERE zone = 'Pacific/Apia') AS apia
  FROM unnest(ARRAY['UTC', 'America/New_York', 'Asia/Tokyo', 'Australia/Lord_Howe', 'Pacific/Apia']) zone,
	   zone_scores(zone, '2024-12-31 12:00+00') z
 GROUP BY z.customer_id ORDER BY z.customer_id;
-- recent_amount: the month of the last purchase and the 11 before it
SELECT z.customer_id,
	   max(z.recent_amount) FILTER (WHERE zone = 'UTC') AS utc,
	   max(z.recent_amount) FILTER (WHERE zone = 'America/New_York') AS new_york,
	   max(z.recent_amount) FILTER (WHERE zone = 'Asia/Tokyo') AS tokyo,
	   max(z.recent_amount) FILTER (WHERE zone = 'Australia/Lord_Howe') AS lord_howe,
	   max(z.recent_amount) FILTER (WHERE zone = 'Pacific/Apia') AS apia
  FROM unnest(ARRAY['UTC', 'America/New_York', 'Asia/Tokyo', 'Australia/Lord_Howe', 'Pacific/Apia']) zone,
	   zone_scores(zone, '2024-12-31 12:00+00') z
 WHERE z.customer_id LIKE 'month_end%'
 GROUP BY z.customer_id ORDER BY z.customer_id;
-- Recency across 29 February: as of 2024-03-01 12:00 UTC, which is
-- already 2 March in Apia.
SELECT zone, string_agg(z.customer_id || ' ' || z.recency_days, ', ' ORDER BY z.customer_id) AS recency_days
  FROM unnest(ARRAY['UTC', 'America/New_York', 'Asia/Tokyo', 'Australia/Lord_Howe', 'Pacific/Apia'])
	   WITH ORDINALITY AS u(zone, n),
	   zone_scores(zone, '2024-03-01 12:00+00') z
 WHERE z.customer_id IN ('leap', 'tokyo')
 GROUP BY zone, n ORDER BY n;

-- due_on is a date in the session's TimeZone: the first contact is due on
-- as_of's local day (Tuesday 31 December, Wednesday 1 January in Apia),
-- the follow-up seven days later.
CREATE FUNCTION zone_schedule(zone text)
RETURNS TABLE (customers bigint, first_contact date, follow_up date) LANGUAGE plpgsql AS $$
BEGIN
	PERFORM set_config('TimeZone', zone, true);
	PERFORM set_config('dormant.as_of', '2024-12-31 12:00+00', true);
	RETURN QUERY
	SELECT count(DISTINCT s.customer_id), min(s.due_on) FILTER (WHERE s.phase = 'first_contact'),
		   max(s.due_on) FILTER (WHERE s.phase = 'follow_up')
	  FROM dormant.contact_schedule s;
END $$;
SELECT zone, z.*
  FROM unnest(ARRAY['UTC', 'America/New_York', 'Asia/Tokyo', 'Australia/Lord_Howe', 'Pacific/Apia'])
	   WITH ORDINALITY AS u(zone, n),
	   zone_schedule(zone) z
 ORDER BY n;

-- A refresh in each zone counts the days of that zone (the stored states of
-- the zone before are not reused), and its snapshots equal the live views.
CREATE FUNCTION zone_refresh(zone text)
RETURNS TABLE (mode text, time_zone text, customer_differences bigint, schedule_differences bigint,
			   apia_days bigint, edge_status dormant.status) LANGUAGE plpgsql AS $$
BEGIN
	PERFORM set_config('TimeZone', zone, true);
	PERFORM dormant.refresh('2024-12-31 12:00+00');
	PERFORM set_config('dormant.as_of', '2024-12-31 12:00+00', true);
	RETURN QUERY
	SELECT l.mode, l.time_zone,
		   (SELECT count(*) FROM (
				(SELECT to_jsonb(v) FROM dormant.customer_scores v
				 EXCEPT SELECT to_jsonb(s) - 'previous_status' - 'as_of' - 'refresh_id' FROM dormant.customer_snapshot s)
				UNION ALL
				(SELECT to_jsonb(s) - 'previous_status' - 'as_of' - 'refresh_id' FROM dormant.customer_snapshot s
				 EXCEPT SELECT to_jsonb(v) FROM dormant.customer_scores v)) d),
		   (SELECT count(*) FROM (
				(SELECT to_jsonb(v) FROM dormant.contact_schedule v
				 EXCEPT SELECT to_jsonb(s) - 'as_of' - 'refresh_id' FROM dormant.schedule_snapshot s)
				UNION ALL
				(SELECT to_jsonb(s) - 'as_of' - 'refresh_id' FROM dormant.schedule_snapshot s
				 EXCEPT SELECT to_jsonb(v) FROM dormant.contact_schedule v)) d),
		   (SELECT s.purchase_days FROM dormant.customer_snapshot s WHERE s.customer_id = 'apia'),
		   (SELECT s.status FROM dormant.customer_snapshot s WHERE s.customer_id = 'edge')
	  FROM dormant.refresh_log l ORDER BY l.refresh_id DESC LIMIT 1;
END $$;
SELECT zone, z.*
  FROM unnest(ARRAY['UTC', 'America/New_York', 'Asia/Tokyo', 'Australia/Lord_Howe', 'Pacific/Apia', 'UTC'])
	   WITH ORDINALITY AS u(zone, n),
	   zone_refresh(zone) z
 ORDER BY n;
SELECT refresh_id, outcome FROM dormant.refresh_log ORDER BY refresh_id;

UPDATE dormant.policy SET consent_default = false, holdout_share = 0.1 WHERE name = 'b2c';
SELECT dormant.unbind('transactions');
TRUNCATE dormant.customer_snapshot, dormant.segment_snapshot, dormant.segment_history,
	dormant.refresh_log, dormant.customer_state, dormant.pending_transaction, dormant.transaction_change,
	dormant.model_fit, dormant.schedule_snapshot, dormant.enrolment, dormant.kpi_snapshot RESTART IDENTITY;
RESET search_path;
DROP SCHEMA timezones_test CASCADE;
