-- The BG/NBD model of repeat buying (Fader, Hardie and Lee 2005): the
-- aggregate bgnbd_fit that estimates it, and the scoring functions p_alive,
-- expected_purchases and expected_next_purchase.  A customer is (frequency,
-- recency, age) = (x, t_x, T): repeat purchases, time from the first to the
-- last purchase, time from the first purchase to the end of observation,
-- all times in one unit of your choice.

CREATE TYPE @extschema@.bgnbd_params AS (
	r double precision,
	alpha double precision,
	a double precision,
	b double precision,
	log_likelihood double precision,
	penalty double precision,
	customers bigint,
	iterations integer,
	converged boolean
);
COMMENT ON TYPE @extschema@.bgnbd_params IS 'Parameters of a BG/NBD model, as estimated by dormant.bgnbd_fit';
COMMENT ON COLUMN @extschema@.bgnbd_params.r IS 'Shape of the gamma distribution of purchase rates';
COMMENT ON COLUMN @extschema@.bgnbd_params.alpha IS 'Scale of the gamma distribution of purchase rates, in the unit of time of the data';
COMMENT ON COLUMN @extschema@.bgnbd_params.a IS 'First shape of the beta distribution of the dropout probability after a purchase';
COMMENT ON COLUMN @extschema@.bgnbd_params.b IS 'Second shape of the beta distribution of the dropout probability after a purchase';
COMMENT ON COLUMN @extschema@.bgnbd_params.log_likelihood IS 'Log-likelihood of the data at the estimate, without the penalty';
COMMENT ON COLUMN @extschema@.bgnbd_params.penalty IS 'The penalty of the fit; 0 for plain maximum likelihood';
COMMENT ON COLUMN @extschema@.bgnbd_params.customers IS 'Customers in the fit (rows without NULLs)';
COMMENT ON COLUMN @extschema@.bgnbd_params.iterations IS 'Newton iterations of the fit';
COMMENT ON COLUMN @extschema@.bgnbd_params.converged IS 'Whether the fit converged; if false, the parameters are the last iterate';

-- Aggregate support functions.
CREATE FUNCTION @extschema@.bgnbd_fit_trans(internal, bigint, double precision, double precision)
RETURNS internal
AS 'MODULE_PATHNAME', 'dormant_bgnbd_fit_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bgnbd_fit_trans(internal, bigint, double precision, double precision) IS 'Transition function of dormant.bgnbd_fit';

CREATE FUNCTION @extschema@.bgnbd_fit_trans(internal, bigint, double precision, double precision, double precision)
RETURNS internal
AS 'MODULE_PATHNAME', 'dormant_bgnbd_fit_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bgnbd_fit_trans(internal, bigint, double precision, double precision, double precision) IS 'Transition function of dormant.bgnbd_fit with a penalty';

CREATE FUNCTION @extschema@.bgnbd_fit_combine(internal, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'dormant_bgnbd_fit_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bgnbd_fit_combine(internal, internal) IS 'Combine function of dormant.bgnbd_fit';

CREATE FUNCTION @extschema@.bgnbd_fit_serial(internal)
RETURNS bytea
AS 'MODULE_PATHNAME', 'dormant_bgnbd_fit_serial'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bgnbd_fit_serial(internal) IS 'Serialize function of dormant.bgnbd_fit';

CREATE FUNCTION @extschema@.bgnbd_fit_deserial(bytea, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'dormant_bgnbd_fit_deserial'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bgnbd_fit_deserial(bytea, internal) IS 'Deserialize function of dormant.bgnbd_fit';

CREATE FUNCTION @extschema@.bgnbd_fit_final(internal)
RETURNS @extschema@.bgnbd_params
AS 'MODULE_PATHNAME', 'dormant_bgnbd_fit_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bgnbd_fit_final(internal) IS 'Final function of dormant.bgnbd_fit: the maximum likelihood estimate';

-- SSPACE: a state starts with a table of 64 cells of 40 bytes (room for 32
-- before it doubles); it grows with the distinct (frequency, recency, age),
-- not with the rows.
CREATE AGGREGATE @extschema@.bgnbd_fit(frequency bigint, recency double precision, age double precision) (
	SFUNC = @extschema@.bgnbd_fit_trans,
	STYPE = internal,
	SSPACE = 2700,
	COMBINEFUNC = @extschema@.bgnbd_fit_combine,
	SERIALFUNC = @extschema@.bgnbd_fit_serial,
	DESERIALFUNC = @extschema@.bgnbd_fit_deserial,
	FINALFUNC = @extschema@.bgnbd_fit_final,
	FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.bgnbd_fit(bigint, double precision, double precision) IS 'Maximum likelihood BG/NBD parameters of customers (frequency, recency, age); rows with a NULL are left out; NULL without rows';

CREATE AGGREGATE @extschema@.bgnbd_fit(frequency bigint, recency double precision, age double precision, penalty double precision) (
	SFUNC = @extschema@.bgnbd_fit_trans,
	STYPE = internal,
	SSPACE = 2700,
	COMBINEFUNC = @extschema@.bgnbd_fit_combine,
	SERIALFUNC = @extschema@.bgnbd_fit_serial,
	DESERIALFUNC = @extschema@.bgnbd_fit_deserial,
	FINALFUNC = @extschema@.bgnbd_fit_final,
	FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.bgnbd_fit(bigint, double precision, double precision, double precision) IS 'BG/NBD parameters maximizing the mean log-likelihood per customer less penalty times the sum of the squared logarithms of r, alpha, a and b';

-- Scoring.
CREATE FUNCTION @extschema@.p_alive(frequency bigint, recency double precision, age double precision, params @extschema@.bgnbd_params)
RETURNS double precision
AS 'MODULE_PATHNAME', 'dormant_p_alive'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.p_alive(bigint, double precision, double precision, @extschema@.bgnbd_params) IS 'BG/NBD probability that the customer is still alive at the end of observation; 1 when frequency is 0';

CREATE FUNCTION @extschema@.expected_purchases(t double precision, frequency bigint, recency double precision, age double precision, params @extschema@.bgnbd_params)
RETURNS double precision
AS 'MODULE_PATHNAME', 'dormant_expected_purchases'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.expected_purchases(double precision, bigint, double precision, double precision, @extschema@.bgnbd_params) IS 'BG/NBD expected number of purchases of the customer in the next t after the end of observation';

CREATE FUNCTION @extschema@.expected_next_purchase(frequency bigint, recency double precision, age double precision, params @extschema@.bgnbd_params)
RETURNS double precision
AS 'MODULE_PATHNAME', 'dormant_expected_next_purchase'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.expected_next_purchase(bigint, double precision, double precision, @extschema@.bgnbd_params) IS 'Median time from the end of observation to the next purchase under BG/NBD: the smallest t by which the probability of another purchase reaches 1/2; NULL if it never does';
