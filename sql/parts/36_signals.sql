-- A customer's signals from the bound activities (src/activity_signals.c):
-- the latest activity, churn and sign of interest, the interest within the
-- policy's window, a competitor switch, and the latest sales event, in one
-- pass over the activities with dormant.activity_kind read once.

CREATE TYPE @extschema@.activity_signals AS (
	last_activity_at timestamptz,
	churned_at timestamptz,
	last_interest_at timestamptz,
	interest double precision,
	left_for_competitor boolean,
	sales double precision,
	last_sales_event text
);
COMMENT ON TYPE @extschema@.activity_signals IS 'A customer''s signals from the bound activities, as dormant.activity_signals gives them';

CREATE FUNCTION @extschema@.activity_signals_trans(internal, timestamptz, text, timestamptz,
												   double precision, double precision, timestamptz)
RETURNS internal
AS 'MODULE_PATHNAME', 'dormant_activity_signals_trans'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.activity_signals_trans(internal, timestamptz, text, timestamptz, double precision, double precision, timestamptz) IS 'Transition function of dormant.activity_signals';

CREATE FUNCTION @extschema@.activity_signals_final(internal)
RETURNS @extschema@.activity_signals
AS 'MODULE_PATHNAME', 'dormant_activity_signals_final'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.activity_signals_final(internal) IS 'Final function of dormant.activity_signals';

CREATE FUNCTION @extschema@.activity_signals_combine(internal, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'dormant_activity_signals_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.activity_signals_combine(internal, internal) IS 'Combine function of dormant.activity_signals';

CREATE FUNCTION @extschema@.activity_signals_serial(internal)
RETURNS bytea
AS 'MODULE_PATHNAME', 'dormant_activity_signals_serial'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.activity_signals_serial(internal) IS 'Serialize function of dormant.activity_signals';

CREATE FUNCTION @extschema@.activity_signals_deserial(bytea, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'dormant_activity_signals_deserial'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.activity_signals_deserial(bytea, internal) IS 'Deserialize function of dormant.activity_signals';

CREATE AGGREGATE @extschema@.activity_signals(occurred_at timestamptz, kind text, since timestamptz,
											 as_of_epoch double precision, seconds double precision,
											 as_of timestamptz) (
	SFUNC = @extschema@.activity_signals_trans,
	STYPE = internal,
	-- the state's size, so that the planner does not take each group for
	-- a memory context's worth and spill a hash aggregate to disk early
	SSPACE = 96,
	FINALFUNC = @extschema@.activity_signals_final,
	COMBINEFUNC = @extschema@.activity_signals_combine,
	SERIALFUNC = @extschema@.activity_signals_serial,
	DESERIALFUNC = @extschema@.activity_signals_deserial,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.activity_signals(timestamptz, text, timestamptz, double precision, double precision, timestamptz) IS 'A customer''s signals from activities of the kinds dormant.activity_kind lists: latest activity, churn and sign of interest, the interest of behaviour activities after since and up to as_of (weight times 1 - age / seconds, age counted from as_of_epoch), a competitor switch, and the weight and kind of the latest sales event up to as_of';
