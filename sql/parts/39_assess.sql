-- What the pipeline decides about one customer: status, depth, the
-- model's scores and the priority, in one call (src/assess.c).  The same
-- rules as classify, depth, p_alive, expected_purchases,
-- expected_next_purchase and priority_points, which stay the functions to
-- call one at a time.

CREATE TYPE @extschema@.assessment AS (
	status @extschema@.status,
	depth text,
	p_alive double precision,
	expected_purchases_90d double precision,
	expected_next_purchase_on date,
	score double precision,
	transactions_points double precision,
	behaviour_points double precision,
	sales_points double precision,
	fit_points double precision,
	tier @extschema@.tier
);
COMMENT ON TYPE @extschema@.assessment IS 'Status, depth, BG/NBD scores and reactivation priority of a customer, as dormant.assess gives them';

CREATE FUNCTION @extschema@.assess(
	policy text,
	params @extschema@.bgnbd_params,
	as_of timestamptz,
	today date,
	churned boolean,
	purchases bigint,
	last_at timestamptz,
	purchase_days bigint,
	monetary numeric,
	mean_gap_days double precision,
	first_day date,
	last_day date,
	recent_amount numeric,
	interest double precision,
	sales double precision,
	fit real)
RETURNS @extschema@.assessment
AS 'MODULE_PATHNAME', 'dormant_assess'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.assess(text, @extschema@.bgnbd_params, timestamptz, date, boolean, bigint, timestamptz, bigint, numeric, double precision, date, date, numeric, double precision, double precision, real) IS 'Status, depth, BG/NBD scores (with params), and for at_risk, dormant and lapsed customers the priority and tier, of a customer under a policy as of a time; today is as_of''s day. Churned customers get only their status; without purchases (purchases NULL) nothing is set';
