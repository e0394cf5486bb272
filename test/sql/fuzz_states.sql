-- Random and damaged bytes through every path that decodes a state: the text
-- input and the binary receive function of dormant.rfm_state, and the
-- deserialize functions of rfm_agg and bgnbd_fit (which only the executor
-- calls, reached here through a parallel plan).  Each input must end in a
-- clean error with the path's SQLSTATE, or in a value that works; never in
-- a crash, an assertion or an internal error.  The inputs follow from the
-- seed alone, and the output counts outcomes.
CREATE SCHEMA fuzz_states;
SET search_path = fuzz_states;
SET TimeZone = 'UTC';
SELECT setseed(0.2311);

-- A random integer in [0, n), and n random bytes.
CREATE FUNCTION rnd(n int) RETURNS int LANGUAGE sql AS $$
	SELECT floor(random() * n)::int
$$;
CREATE FUNCTION random_bytes(n int) RETURNS bytea LANGUAGE sql AS $$
	SELECT coalesce(decode(string_agg(lpad(to_hex(floor(random() * 256)::int), 2, '0'), '' ORDER BY i), 'hex'),
					'\x'::bytea)
	FROM generate_series(1, n) i
$$;

-- Values that sit on edges: of counts, lengths, scales, times, floats.
CREATE FUNCTION edge4() RETURNS bytea LANGUAGE sql AS $$
	SELECT int4send((ARRAY[0, 1, -1, 2, 12, 13, 255, 256, 16383, 16384, 65535, 1000000,
						   2147483647, -2147483648, 2147483646, 268435456, rnd(1000)])[1 + rnd(17)])
$$;
CREATE FUNCTION edge8() RETURNS bytea LANGUAGE sql AS $$
	SELECT int8send((ARRAY[0, 1, -1, 2, 4294967296, 9223372036854775807, -9223372036854775808,
						   9223371331199999999, 9223371331200000000, -211813488000000000,
						   -211813488000000001, 100000000, 1000000000000000000, rnd(100000)])[1 + rnd(14)])
$$;
CREATE FUNCTION edge_float() RETURNS bytea LANGUAGE sql AS $$
	SELECT float8send((ARRAY[0, '-0', 1, -1, 0.5, 'NaN', 'Infinity', '-Infinity', 1e308, 5e-324,
							 1e-300, 9007199254740993, random() * 100])[1 + rnd(13)])
$$;

-- One to three damages: a byte set, a bit flipped, truncation, random bytes
-- appended, inserted or deleted, an edge value written over a field (at one
-- of the format's field offsets half the time), or the tail of another
-- valid state.
CREATE FUNCTION mutate(b bytea, other bytea, fields int[]) RETURNS bytea LANGUAGE plpgsql AS $$
DECLARE
	n int;
	at int;
BEGIN
	FOR step IN 1 .. 1 + rnd(3) LOOP
		n := length(b);
		at := rnd(n + 1);
		IF random() < 0.5 THEN
			at := least(fields[1 + rnd(array_length(fields, 1))], n);
		END IF;
		CASE rnd(10)
		WHEN 0 THEN
			IF n > 0 THEN b := set_byte(b, least(at, n - 1), rnd(256)); END IF;
		WHEN 1 THEN
			IF n > 0 THEN
				at := rnd(8 * n);
				b := set_bit(b, at, 1 - get_bit(b, at));
			END IF;
		WHEN 2 THEN b := substr(b, 1, at);
		WHEN 3 THEN b := b || random_bytes(1 + rnd(16));
		WHEN 4 THEN b := overlay(b PLACING random_bytes(1 + rnd(8)) FROM at + 1 FOR 0);
		WHEN 5 THEN b := overlay(b PLACING '\x'::bytea FROM at + 1 FOR 1 + rnd(8));
		WHEN 6 THEN b := overlay(b PLACING edge4() FROM at + 1 FOR 4);
		WHEN 7 THEN b := overlay(b PLACING edge8() FROM at + 1 FOR 8);
		WHEN 8 THEN b := overlay(b PLACING edge_float() FROM at + 1 FOR 8);
		ELSE b := substr(b, 1, at) || substr(other, at + 1);
		END CASE;
	END LOOP;
	RETURN b;
END $$;

-- Inputs: valid states as they are, damaged, and random bytes (with the
-- right version byte three times in four, so that decoding goes further).
CREATE TABLE input (id serial, format text, kind text, bytes bytea);
CREATE FUNCTION add_inputs(format_ text, fields int[], damaged int, random_ int) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	seeds bytea[] := ARRAY(SELECT bytes FROM input WHERE format = format_ AND kind = 'valid' ORDER BY id);
	n int := array_length(seeds, 1);
BEGIN
	FOR i IN 1 .. damaged LOOP
		INSERT INTO input (format, kind, bytes)
		VALUES (format_, 'damaged', mutate(seeds[1 + rnd(n)], seeds[1 + rnd(n)], fields));
	END LOOP;
	FOR i IN 1 .. random_ LOOP
		INSERT INTO input (format, kind, bytes)
		VALUES (format_, 'random', CASE WHEN random() < 0.75 THEN '\x01'::bytea ELSE '\x'::bytea END
								   || random_bytes(rnd(80)));
	END LOOP;
END $$;

-- Valid rfm_state values: empty, one purchase, only a refund, only unknown
-- amounts, a long history (more days than fit inline, months beyond the
-- twelve kept), and sums that spill to numeric.
INSERT INTO input (format, kind, bytes)
SELECT 'rfm', 'valid', dormant.rfm_state_send(dormant.rfm_state_agg(t, a))
FROM (VALUES (1, '2024-01-02 03:04:05+00'::timestamptz, 12.34), (2, '2024-02-01', -5),
			 (3, '2024-03-01', NULL), (3, '2024-03-09', NULL),
			 (4, '2024-01-01', 1e30), (4, '2024-05-01', 0.123456789), (4, '2024-05-02', -3),
			 (5, '2024-01-01', -123456789012345678901234567890.5), (5, '2025-01-01', 7)) v(g, t, a)
GROUP BY g
UNION ALL
SELECT 'rfm', 'valid', dormant.rfm_state_send(dormant.rfm_state_agg(t, a))
FROM (VALUES (NULL::timestamptz, NULL::numeric)) v(t, a) WHERE false
UNION ALL
SELECT 'rfm', 'valid', dormant.rfm_state_send(dormant.rfm_state_agg('2023-01-01'::timestamptz + i * interval '23 days', i * 1.5))
FROM generate_series(1, 40) i;
-- field offsets: purchases, first and last, flags, scale, the integer sum,
-- the count of days (or the spill's length), and beyond
SELECT add_inputs('rfm', ARRAY[0, 1, 9, 17, 25, 26, 30, 38, 46, 50, 54, 58, 62], 2000, 500);

-- Valid bgnbd_fit states, as its serialize function writes them.
CREATE AGGREGATE bgnbd_bytes(bigint, double precision, double precision) (
	SFUNC = dormant.bgnbd_fit_trans, STYPE = internal, FINALFUNC = dormant.bgnbd_fit_serial);
CREATE AGGREGATE bgnbd_bytes(bigint, double precision, double precision, double precision) (
	SFUNC = dormant.bgnbd_fit_trans, STYPE = internal, FINALFUNC = dormant.bgnbd_fit_serial);
INSERT INTO input (format, kind, bytes)
SELECT 'bgnbd', 'valid', bgnbd_bytes(x, t_x, t) FROM (VALUES (0::bigint, 0.0::float8, 10.0::float8)) v(x, t_x, t)
UNION ALL
SELECT 'bgnbd', 'valid', bgnbd_bytes(x, t_x, t) FROM (VALUES (1::bigint, 5.0::float8, 10.0::float8), (2, 7.5, 12), (0, 0, 3), (2, 7.5, 12)) v(x, t_x, t)
UNION ALL
SELECT 'bgnbd', 'valid', bgnbd_bytes(i % 4, (i % 4) * 3.5, 20 + i % 7) FROM generate_series(1, 30) i
UNION ALL
SELECT 'bgnbd', 'valid', bgnbd_bytes(i % 3, (i % 3) * 2.0, 9, 0.1) FROM generate_series(1, 5) i;
-- field offsets: the penalty, the count of cells, and the fields of the
-- first cells
SELECT add_inputs('bgnbd', ARRAY[0, 1, 9, 17, 25, 33, 41, 49, 57, 65, 73, 81], 2000, 500);

SELECT format, kind, count(*) AS inputs, count(DISTINCT bytes) AS distinct_inputs
FROM input GROUP BY 1, 2 ORDER BY 1, 2;

-- The outcome of each path: "accepted", or the SQLSTATE of the error.
CREATE TABLE outcome (id int, path text, result text, value bytea);

-- rfm_state's text input, and what an accepted value can do: print and read
-- back to the same value, be summarized, and merge with a valid state.
CREATE FUNCTION try_text(b bytea) RETURNS bytea LANGUAGE plpgsql AS $$
DECLARE
	v dormant.rfm_state;
BEGIN
	v := ('\x' || encode(b, 'hex'))::dormant.rfm_state;
	BEGIN
		IF v::text::dormant.rfm_state::text <> v::text THEN
			RAISE EXCEPTION 'not canonical';
		END IF;
		PERFORM dormant.rfm_summarize(v);
		PERFORM dormant.rfm_summarize(dormant.rfm_merge(s))
		FROM (SELECT v UNION ALL SELECT v UNION ALL
			  (SELECT ('\x' || encode(bytes, 'hex'))::dormant.rfm_state FROM input
			   WHERE format = 'rfm' AND kind = 'valid' ORDER BY id LIMIT 1)) x(s);
	EXCEPTION WHEN OTHERS THEN
		RAISE EXCEPTION 'accepted, then %', SQLSTATE;
	END;
	RETURN dormant.rfm_state_send(v);
END $$;

-- rfm_state's binary receive function, through a binary COPY: the bytes are
-- written as a bytea field and read back into an rfm_state column.
CREATE TABLE received (state dormant.rfm_state);
CREATE FUNCTION try_recv(b bytea) RETURNS bytea LANGUAGE plpgsql AS $$
DECLARE
	file text := current_setting('data_directory') || '/fuzz_states.copy';
	v bytea;
BEGIN
	EXECUTE format('COPY (SELECT %L::bytea) TO %L WITH (FORMAT binary)', b, file);
	EXECUTE format('COPY received FROM %L WITH (FORMAT binary)', file);
	DELETE FROM received RETURNING dormant.rfm_state_send(state) INTO v;
	RETURN v;
END $$;

-- The deserialize functions, as a parallel plan calls them: the partial
-- aggregate hands the bytes over unchanged (string_agg's transition and
-- final functions), the finalize step deserializes and combines them and
-- writes the state again.  Without the parallel plan these aggregates
-- would mix up their states, so the plan is checked first.
CREATE AGGREGATE through_rfm_deserial(bytea, bytea) (
	SFUNC = pg_catalog.bytea_string_agg_transfn, STYPE = internal,
	SERIALFUNC = pg_catalog.bytea_string_agg_finalfn,
	DESERIALFUNC = dormant.rfm_agg_deserial, COMBINEFUNC = dormant.rfm_agg_combine,
	FINALFUNC = dormant.rfm_state_final, PARALLEL = SAFE);
CREATE AGGREGATE through_bgnbd_deserial(bytea, bytea) (
	SFUNC = pg_catalog.bytea_string_agg_transfn, STYPE = internal,
	SERIALFUNC = pg_catalog.bytea_string_agg_finalfn,
	DESERIALFUNC = dormant.bgnbd_fit_deserial, COMBINEFUNC = dormant.bgnbd_fit_combine,
	FINALFUNC = dormant.bgnbd_fit_serial, PARALLEL = SAFE);
CREATE TABLE one_row (x int);
INSERT INTO one_row VALUES (1);
-- a parallel plan, run by the leader alone: no worker is ever started
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET max_parallel_workers = 0;
CREATE FUNCTION deserial_query(agg text) RETURNS text LANGUAGE sql AS $$
	SELECT format(CASE agg WHEN 'through_rfm_deserial'
				  THEN 'SELECT dormant.rfm_state_send(%I($1, ''\x''::bytea)) FROM one_row'
				  ELSE 'SELECT %I($1, ''\x''::bytea) FROM one_row' END, agg)
$$;
CREATE FUNCTION try_deserial(agg text, b bytea) RETURNS bytea LANGUAGE plpgsql AS $$
DECLARE
	v bytea;
BEGIN
	EXECUTE deserial_query(agg) INTO v USING b;
	RETURN v;
END $$;

CREATE FUNCTION run(path text, format_ text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	i record;
	plan text;
BEGIN
	IF path LIKE 'through%' THEN
		EXECUTE 'EXPLAIN (COSTS OFF) ' || deserial_query(path) INTO plan USING '\x'::bytea;
		IF plan NOT LIKE 'Finalize Aggregate%' THEN
			RAISE EXCEPTION 'not a parallel plan: %', plan;
		END IF;
	END IF;
	FOR i IN SELECT id, bytes FROM input WHERE format = format_ ORDER BY id LOOP
		BEGIN
			INSERT INTO outcome VALUES (i.id, path, 'accepted',
				CASE path
				WHEN 'rfm_state_in' THEN try_text(i.bytes)
				WHEN 'rfm_state_recv' THEN try_recv(i.bytes)
				ELSE try_deserial(path, i.bytes)
				END);
		EXCEPTION WHEN OTHERS THEN
			INSERT INTO outcome VALUES (i.id, path,
				CASE WHEN SQLERRM LIKE 'accepted, then %' THEN SQLERRM ELSE SQLSTATE END, NULL);
		END;
	END LOOP;
END $$;

SELECT run('rfm_state_in', 'rfm');
SELECT run('rfm_state_recv', 'rfm');
SELECT run('through_rfm_deserial', 'rfm');
SELECT run('through_bgnbd_deserial', 'bgnbd');

SELECT path, kind, result, count(*)
FROM outcome JOIN input USING (id)
GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;

-- Every valid state is accepted as it is.
SELECT count(*) AS valid_not_accepted
FROM input JOIN outcome USING (id) WHERE kind = 'valid' AND result <> 'accepted';

-- The three rfm paths decode alike: the same inputs are accepted, into the
-- same value, and the same are refused (22P02 for text, 22P03 for binary).
SELECT count(*) AS rfm_paths_disagree
FROM (SELECT id,
			 min(result) FILTER (WHERE path = 'rfm_state_in') AS t,
			 min(result) FILTER (WHERE path = 'rfm_state_recv') AS r,
			 min(result) FILTER (WHERE path = 'through_rfm_deserial') AS d,
			 count(DISTINCT value) AS values_
	  FROM outcome WHERE path LIKE '%rfm%' GROUP BY id) o
WHERE NOT (t LIKE 'accepted%' AND r = 'accepted' AND d = 'accepted' AND values_ = 1
		   OR t = '22P02' AND r = '22P03' AND d = '22P03');

-- A BG/NBD state that is accepted holds the same cells once written again
-- (in whatever order, and with -0 read as 0), and reads back as itself.
CREATE FUNCTION zero(x bytea) RETURNS bytea LANGUAGE sql AS $$
	SELECT CASE WHEN x = float8send('-0') THEN float8send(0) ELSE x END
$$;
CREATE FUNCTION cells(b bytea) RETURNS bytea LANGUAGE sql AS $$
	SELECT substr(b, 1, 17) || string_agg(c, '\x'::bytea ORDER BY c)
	FROM (SELECT substr(b, 18 + 32 * k, 8) || zero(substr(b, 26 + 32 * k, 8))
				 || zero(substr(b, 34 + 32 * k, 8)) || substr(b, 42 + 32 * k, 8) AS c
		  FROM generate_series(0, (length(b) - 17) / 32 - 1) k) x
$$;
SELECT count(*) FILTER (WHERE cells(o.value) <> cells(i.bytes)) AS bgnbd_cells_changed,
	   count(*) FILTER (WHERE try_deserial(path, value) <> value) AS bgnbd_not_stable
FROM outcome o JOIN input i USING (id)
WHERE path = 'through_bgnbd_deserial' AND result = 'accepted';

RESET max_parallel_workers;
RESET max_parallel_workers_per_gather;
RESET min_parallel_table_scan_size;
RESET parallel_tuple_cost;
RESET parallel_setup_cost;
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA fuzz_states CASCADE;
