-- dormant.rfm_state: text and binary forms, merging, and corrupt values.
CREATE SCHEMA io_test;
SET search_path = io_test;
SET TimeZone = 'UTC';
CREATE TABLE orders (customer int, occurred_at timestamptz, amount numeric);
INSERT INTO orders
SELECT i % 7, '2024-01-01'::timestamptz + i * interval '37 hours', (i % 11) - 2.5
FROM generate_series(1, 700) i;

-- the state in text form, and back
SELECT dormant.rfm_state_agg(occurred_at, amount) FROM orders WHERE customer = 1 AND occurred_at < '2024-01-20';
SELECT (dormant.rfm_summarize(dormant.rfm_state_agg(occurred_at, amount)::text::dormant.rfm_state)).*
FROM orders WHERE customer = 1;
-- an empty state
SELECT dormant.rfm_state_agg(occurred_at, amount) FROM orders WHERE false;
SELECT (dormant.rfm_summarize(dormant.rfm_state_agg(occurred_at, amount))).* FROM orders WHERE false;

-- states merged in any split equal the aggregate over all rows
CREATE TABLE states AS
SELECT customer, occurred_at < '2024-03-01' AS early, dormant.rfm_state_agg(occurred_at, amount) AS state
FROM orders GROUP BY 1, 2;
SELECT count(*) AS customers_equal
FROM (SELECT customer, dormant.rfm_summarize(dormant.rfm_merge(state)) AS merged FROM states GROUP BY customer) m
JOIN (SELECT customer, dormant.rfm_agg(occurred_at, amount) AS direct FROM orders GROUP BY customer) d USING (customer)
WHERE merged::text = direct::text;

-- the binary form round-trips through COPY
CREATE TABLE stored (customer int, state dormant.rfm_state);
INSERT INTO stored SELECT customer, dormant.rfm_state_agg(occurred_at, amount) FROM orders GROUP BY customer;
COPY stored TO '/tmp/dormant_io_test.bin' WITH (FORMAT binary);
CREATE TABLE restored (LIKE stored);
COPY restored FROM '/tmp/dormant_io_test.bin' WITH (FORMAT binary);
SELECT count(*) AS same FROM stored s JOIN restored r USING (customer) WHERE s.state::text = r.state::text;
SELECT dormant.rfm_state_send(state) = dormant.rfm_state_send(state::text::dormant.rfm_state) AS send_stable
FROM stored WHERE customer = 3;

-- corrupt values are errors, never crashes
\set VERBOSITY sqlstate
SELECT ''::dormant.rfm_state;
SELECT 'deadbeef'::dormant.rfm_state;
SELECT '\x0'::dormant.rfm_state;
SELECT '\xzz'::dormant.rfm_state;
SELECT '\x'::dormant.rfm_state;
SELECT '\x02'::dormant.rfm_state;
SELECT '\x01'::dormant.rfm_state;
\set VERBOSITY default
-- each field damaged in turn, starting from a valid one-purchase state:
-- 0 version, 1-8 purchases, 9-24 first and last, 25 flags, 26-29 scale,
-- 30-45 integer sum, 46-49 day count, 50-53 the day
CREATE FUNCTION damaged(offset_ int, byte int) RETURNS text LANGUAGE sql AS $$
	SELECT '\x' || encode(set_byte(dormant.rfm_state_send(dormant.rfm_state_agg('2024-01-02 03:04:05+00', 12.34)), offset_, byte), 'hex')
$$;
CREATE FUNCTION try_state(value text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	detail text;
BEGIN
	PERFORM value::dormant.rfm_state;
	RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
	RETURN SQLSTATE || ' ' || detail;
END $$;
SELECT offset_, byte, try_state(damaged(offset_, byte))
FROM (VALUES (0, 9), (1, 255), (8, 0), (8, 2), (17, 255), (25, 128), (25, 0),
			 (26, 4), (27, 127), (49, 0), (49, 2), (50, 255)) v(offset_, byte);
-- truncated at every length, and with a trailing byte
SELECT count(*) FILTER (WHERE try_state(substr(damaged(0, 1), 1, n)) LIKE '22P02 %') AS refused,
	   count(*) AS tried
FROM generate_series(2, length(damaged(0, 1)) - 2, 2) n;
SELECT try_state(damaged(0, 1) || '00');
-- a day list out of order (the second day set before the first)
SELECT try_state('\x' || encode(overlay(dormant.rfm_state_send(dormant.rfm_state_agg(t, 1)) placing '\x00002000'::bytea from 55), 'hex'))
FROM (VALUES ('2024-01-02'::timestamptz), ('2024-01-03')) v(t);
