-- Per-customer recency, frequency and monetary summaries: the aggregate
-- rfm_agg, its SQL-visible partial state rfm_state, and what merges states.

CREATE TYPE @extschema@.rfm_summary AS (
	first_at timestamptz,
	last_at timestamptz,
	purchases bigint,
	purchase_days bigint,
	monetary numeric,
	mean_gap_days double precision,
	recent_amount numeric
);
COMMENT ON TYPE @extschema@.rfm_summary IS 'Recency, frequency and monetary summary of one customer, from dormant.rfm_agg';
COMMENT ON COLUMN @extschema@.rfm_summary.first_at IS 'First purchase (a row with a positive or unknown amount)';
COMMENT ON COLUMN @extschema@.rfm_summary.last_at IS 'Last purchase';
COMMENT ON COLUMN @extschema@.rfm_summary.purchases IS 'Number of purchase rows';
COMMENT ON COLUMN @extschema@.rfm_summary.purchase_days IS 'Distinct calendar days with a purchase, in the session''s TimeZone';
COMMENT ON COLUMN @extschema@.rfm_summary.monetary IS 'Net amount of all rows, purchases and refunds; NULL when no amount is known';
COMMENT ON COLUMN @extschema@.rfm_summary.mean_gap_days IS 'Mean days between consecutive purchase days; NULL under two purchase days';
COMMENT ON COLUMN @extschema@.rfm_summary.recent_amount IS 'Amount of the purchases in the month of the last purchase and the 11 months before it (to 1e-8); NULL when no amount is known';

-- Aggregate support functions.  The transition function reads TimeZone, so
-- it is stable; the others depend on their arguments alone.
CREATE FUNCTION @extschema@.rfm_agg_trans(internal, timestamptz, numeric)
RETURNS internal
AS 'MODULE_PATHNAME', 'dormant_rfm_agg_trans'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rfm_agg_trans(internal, timestamptz, numeric) IS 'Transition function of dormant.rfm_agg';

CREATE FUNCTION @extschema@.rfm_agg_combine(internal, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'dormant_rfm_agg_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rfm_agg_combine(internal, internal) IS 'Combine function of dormant.rfm_agg';

CREATE FUNCTION @extschema@.rfm_agg_serial(internal)
RETURNS bytea
AS 'MODULE_PATHNAME', 'dormant_rfm_agg_serial'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rfm_agg_serial(internal) IS 'Serialize function of dormant.rfm_agg';

CREATE FUNCTION @extschema@.rfm_agg_deserial(bytea, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'dormant_rfm_agg_deserial'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rfm_agg_deserial(bytea, internal) IS 'Deserialize function of dormant.rfm_agg';

CREATE FUNCTION @extschema@.rfm_agg_final(internal)
RETURNS @extschema@.rfm_summary
AS 'MODULE_PATHNAME', 'dormant_rfm_agg_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rfm_agg_final(internal) IS 'Final function of dormant.rfm_agg';

CREATE AGGREGATE @extschema@.rfm_agg(occurred_at timestamptz, amount numeric) (
	SFUNC = @extschema@.rfm_agg_trans,
	STYPE = internal,
	SSPACE = 240,
	COMBINEFUNC = @extschema@.rfm_agg_combine,
	SERIALFUNC = @extschema@.rfm_agg_serial,
	DESERIALFUNC = @extschema@.rfm_agg_deserial,
	FINALFUNC = @extschema@.rfm_agg_final,
	FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.rfm_agg(timestamptz, numeric) IS 'Recency, frequency and monetary summary of a customer''s transactions; use with GROUP BY customer';

-- The partial state as a type of its own, for storing and shipping.
CREATE TYPE @extschema@.rfm_state;

CREATE FUNCTION @extschema@.rfm_state_in(cstring)
RETURNS @extschema@.rfm_state
AS 'MODULE_PATHNAME', 'dormant_rfm_state_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rfm_state_in(cstring) IS 'Text input of dormant.rfm_state';

CREATE FUNCTION @extschema@.rfm_state_out(@extschema@.rfm_state)
RETURNS cstring
AS 'MODULE_PATHNAME', 'dormant_rfm_state_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rfm_state_out(@extschema@.rfm_state) IS 'Text output of dormant.rfm_state';

CREATE FUNCTION @extschema@.rfm_state_recv(internal)
RETURNS @extschema@.rfm_state
AS 'MODULE_PATHNAME', 'dormant_rfm_state_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rfm_state_recv(internal) IS 'Binary input of dormant.rfm_state';

CREATE FUNCTION @extschema@.rfm_state_send(@extschema@.rfm_state)
RETURNS bytea
AS 'MODULE_PATHNAME', 'dormant_rfm_state_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rfm_state_send(@extschema@.rfm_state) IS 'Binary output of dormant.rfm_state';

CREATE TYPE @extschema@.rfm_state (
	INPUT = @extschema@.rfm_state_in,
	OUTPUT = @extschema@.rfm_state_out,
	RECEIVE = @extschema@.rfm_state_recv,
	SEND = @extschema@.rfm_state_send,
	INTERNALLENGTH = VARIABLE,
	STORAGE = extended
);
COMMENT ON TYPE @extschema@.rfm_state IS 'Partial state of dormant.rfm_agg: store it, ship it, merge it with dormant.rfm_merge';

CREATE FUNCTION @extschema@.rfm_state_final(internal)
RETURNS @extschema@.rfm_state
AS 'MODULE_PATHNAME', 'dormant_rfm_state_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rfm_state_final(internal) IS 'Final function of dormant.rfm_state_agg and dormant.rfm_merge';

CREATE AGGREGATE @extschema@.rfm_state_agg(occurred_at timestamptz, amount numeric) (
	SFUNC = @extschema@.rfm_agg_trans,
	STYPE = internal,
	SSPACE = 240,
	COMBINEFUNC = @extschema@.rfm_agg_combine,
	SERIALFUNC = @extschema@.rfm_agg_serial,
	DESERIALFUNC = @extschema@.rfm_agg_deserial,
	FINALFUNC = @extschema@.rfm_state_final,
	FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.rfm_state_agg(timestamptz, numeric) IS 'Partial state of dormant.rfm_agg over a customer''s transactions';

CREATE FUNCTION @extschema@.rfm_merge_trans(internal, @extschema@.rfm_state)
RETURNS internal
AS 'MODULE_PATHNAME', 'dormant_rfm_merge_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rfm_merge_trans(internal, @extschema@.rfm_state) IS 'Transition function of dormant.rfm_merge';

CREATE AGGREGATE @extschema@.rfm_merge(state @extschema@.rfm_state) (
	SFUNC = @extschema@.rfm_merge_trans,
	STYPE = internal,
	SSPACE = 240,
	COMBINEFUNC = @extschema@.rfm_agg_combine,
	SERIALFUNC = @extschema@.rfm_agg_serial,
	DESERIALFUNC = @extschema@.rfm_agg_deserial,
	FINALFUNC = @extschema@.rfm_state_final,
	FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.rfm_merge(@extschema@.rfm_state) IS 'Merge partial states of dormant.rfm_agg into one';

CREATE FUNCTION @extschema@.rfm_summarize(state @extschema@.rfm_state)
RETURNS @extschema@.rfm_summary
AS 'MODULE_PATHNAME', 'dormant_rfm_summarize'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rfm_summarize(@extschema@.rfm_state) IS 'The summary that a partial state of dormant.rfm_agg stands for';
