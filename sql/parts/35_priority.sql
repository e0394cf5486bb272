-- Reactivation priority: whom to contact first, why, and with what.

CREATE TYPE @extschema@.tier AS ENUM ('high', 'mid', 'low');
COMMENT ON TYPE @extschema@.tier IS 'Reactivation priority tier: high, mid or low';

CREATE TYPE @extschema@.priority_points AS (
	score double precision,
	transactions double precision,
	behaviour double precision,
	sales double precision,
	fit double precision
);
COMMENT ON TYPE @extschema@.priority_points IS 'A priority score from 0 to 100, and the points each axis gave to it';

CREATE FUNCTION @extschema@.priority_points(
	amount_before_silence double precision,
	purchase_days bigint,
	mean_gap_days double precision,
	silence_days double precision,
	interest double precision,
	sales double precision,
	fit real,
	policy @extschema@.policy)
RETURNS @extschema@.priority_points
AS 'MODULE_PATHNAME', 'dormant_priority_points'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.priority_points(double precision, bigint, double precision, double precision, double precision, double precision, real, @extschema@.policy) IS 'Priority score of a silent customer from the transactions, behaviour, sales and fit axes, weighted by the policy';

CREATE FUNCTION @extschema@.priority_breakdown(
	transactions double precision,
	behaviour double precision,
	sales double precision,
	fit_points double precision,
	recent_amount numeric,
	purchase_days bigint,
	mean_gap_days double precision,
	silence_days integer,
	interest double precision,
	last_interest_at timestamptz,
	last_event text,
	fit real)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'dormant_priority_breakdown'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.priority_breakdown(double precision, double precision, double precision, double precision, numeric, bigint, double precision, integer, double precision, timestamptz, text, real) IS 'How a priority score came about, as customer_scores.priority shows it: per axis, its points (rounded to 0.01) and the signals behind them';

-- Why customers went dormant, and what to send them.
CREATE TABLE @extschema@.reason (
	code text PRIMARY KEY,
	label text NOT NULL,
	approach text NOT NULL,
	content text NOT NULL,
	channel text
);
COMMENT ON TABLE @extschema@.reason IS 'Reasons for going dormant, with the approach and content that suit each';
COMMENT ON COLUMN @extschema@.reason.code IS 'Reason code, as in the bound customers'' reason column';
COMMENT ON COLUMN @extschema@.reason.label IS 'What the reason means';
COMMENT ON COLUMN @extschema@.reason.approach IS 'How to approach such a customer';
COMMENT ON COLUMN @extschema@.reason.content IS 'Content to offer';
COMMENT ON COLUMN @extschema@.reason.channel IS 'Preferred channel, if any';

INSERT INTO @extschema@.reason (code, label, approach, content, channel) VALUES
	('still_interested', 'Still interested', 'Share the latest product news', 'Case studies, update notes', 'email'),
	('budget', 'Budget', 'Show the return on investment and the value beyond price', 'ROI data, free trial', 'email'),
	('competitor', 'Switched to a competitor', 'Present the new features and improvements since they left', 'Feature updates, comparison', 'phone'),
	('support', 'Unhappy with support', 'Show the strengthened support', 'Support plan', 'phone'),
	('quality', 'Unhappy with quality or results', 'Share other customers'' voices and the correct usage', 'Reviews, how-to guides', 'email'),
	('discount_only', 'Bought only on a discount campaign', 'Keep telling the benefits; no deeper discounts', 'Benefit stories', 'email'),
	('less_use', 'Used it less', 'Suggest new ways to use it', 'Usage ideas', 'email'),
	('unknown', 'Unknown', 'Ask why', 'Survey', 'email');

CREATE TRIGGER reason_replace_shipped
	BEFORE INSERT ON @extschema@.reason
	FOR EACH ROW EXECUTE FUNCTION @extschema@.replace_shipped_row(
		'code', 'still_interested', 'budget', 'competitor', 'support', 'quality',
		'discount_only', 'less_use', 'unknown');
SELECT pg_catalog.pg_extension_config_dump('dormant.reason', '');
GRANT SELECT ON @extschema@.reason TO PUBLIC;

-- The score as customer_scores shows it: round(score::numeric, 2), as a
-- double, without printing and reading back every score (src/rounding.c).
CREATE FUNCTION @extschema@.rounded(x double precision, digits integer)
RETURNS double precision
AS 'MODULE_PATHNAME', 'dormant_rounded'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rounded(double precision, integer) IS 'round(x::numeric, digits)::double precision, the same value computed without the numeric type where that is exact';

-- The holdout: a deterministic draw from the campaign label and the
-- customer key.  md5 gives the same answer on every server and version.
CREATE FUNCTION @extschema@.holdout_draw(campaign text, customer_id text)
RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT (('x' || left(md5(campaign || chr(31) || customer_id), 8))::bit(32)::bigint)::double precision
		   / 4294967296.0::double precision;
END;
COMMENT ON FUNCTION @extschema@.holdout_draw(text, text) IS 'A number in [0, 1) drawn from the campaign and the customer key; the customer is in the holdout when it is below the policy''s holdout_share';
