-- BG/NBD models fitted per policy at each refresh, kept so that results
-- can be reproduced and explained.

CREATE TABLE @extschema@.model_fit (
	policy text NOT NULL,
	as_of timestamptz NOT NULL,
	params @extschema@.bgnbd_params,
	fitted_at timestamptz NOT NULL,
	fit_ms double precision NOT NULL,
	refresh_id bigint,
	note text
);
CREATE INDEX model_fit_policy ON @extschema@.model_fit (policy, as_of);
COMMENT ON TABLE @extschema@.model_fit IS 'BG/NBD parameters fitted per policy by dormant.refresh, in days; the live views and the next refresh use the latest per policy';
COMMENT ON COLUMN @extschema@.model_fit.policy IS 'Policy whose customers (not churned, with a purchase) the model was fitted on';
COMMENT ON COLUMN @extschema@.model_fit.as_of IS 'End of the observation period';
COMMENT ON COLUMN @extschema@.model_fit.params IS 'Fitted parameters; NULL when the data determine no maximum';
COMMENT ON COLUMN @extschema@.model_fit.fitted_at IS 'When the model was fitted';
COMMENT ON COLUMN @extschema@.model_fit.fit_ms IS 'Milliseconds the fit took, both attempts included; the summarising of the inputs, done once for all policies, not';
COMMENT ON COLUMN @extschema@.model_fit.refresh_id IS 'Refresh that fitted it';
COMMENT ON COLUMN @extschema@.model_fit.note IS 'Why there are no parameters, if there are none';
SELECT pg_catalog.pg_extension_config_dump('dormant.model_fit', '');
GRANT SELECT ON @extschema@.model_fit TO PUBLIC;

-- The model's view of a customer, in days: repeat purchase days, days from
-- the first to the last purchase day, days from the first to as_of (never
-- less than the recency, for purchases after as_of).  A single expression,
-- so that the planner inlines it into the queries that use it.
CREATE TYPE @extschema@.model_input AS (
	frequency bigint,
	recency double precision,
	age double precision
);
COMMENT ON TYPE @extschema@.model_input IS 'BG/NBD inputs of a customer, in days';

CREATE FUNCTION @extschema@.model_inputs(purchase_days bigint, first_day date, last_day date, today date)
RETURNS @extschema@.model_input
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT CASE WHEN purchase_days > 0 THEN
		ROW(purchase_days - 1, (last_day - first_day)::double precision,
			greatest(today - first_day, last_day - first_day)::double precision)::@extschema@.model_input END;
END;
COMMENT ON FUNCTION @extschema@.model_inputs(bigint, date, date, date) IS 'BG/NBD inputs in days from purchase days, the first and last purchase days and as_of''s day; NULL without purchases';

-- The same inputs straight from a stored state: a refresh fits its models
-- on every customer's, and the whole summary, with its numerics, is not
-- needed for them.  The first and last purchase days are those of first_at
-- and last_at in the session's TimeZone, as casting them to date gives, so
-- the function is stable.
CREATE FUNCTION @extschema@.rfm_model_inputs(state @extschema@.rfm_state, today date)
RETURNS @extschema@.model_input
AS 'MODULE_PATHNAME', 'dormant_rfm_model_inputs'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rfm_model_inputs(@extschema@.rfm_state, date) IS 'BG/NBD inputs in days of a stored state as of a day: dormant.model_inputs of its summary''s purchase days and first and last purchase days; NULL without purchases';
