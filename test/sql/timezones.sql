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
