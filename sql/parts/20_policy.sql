-- Policies: the thresholds that make a customer at risk, dormant or lapsed.

-- pg_dump keeps the rows of configuration tables, and restoring runs
-- CREATE EXTENSION (which inserts the shipped rows) before loading them.  So
-- a row inserted under a shipped key replaces the shipped row.  Arguments:
-- the key column, then the shipped keys.
CREATE FUNCTION @extschema@.replace_shipped_row()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	key text := to_jsonb(NEW) ->> TG_ARGV[0];
BEGIN
	IF key = ANY (TG_ARGV[1:]) THEN
		EXECUTE format('DELETE FROM %I.%I WHERE %I::text = $1',
					   TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_ARGV[0])
			USING key;
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.replace_shipped_row() IS 'Trigger: an inserted row with the key of a shipped row replaces it (how pg_dump restores edited defaults)';

CREATE TABLE @extschema@.policy (
	name text PRIMARY KEY,
	at_risk_after interval NOT NULL,
	dormant_after interval NOT NULL,
	lapsed_after interval NOT NULL,
	overdue_factor double precision DEFAULT 3,
	loyal_silence interval NOT NULL DEFAULT interval '12 months',
	high_value_amount numeric,
	weight_transactions double precision NOT NULL DEFAULT 45,
	weight_behaviour double precision NOT NULL DEFAULT 35,
	weight_sales double precision NOT NULL DEFAULT 10,
	weight_fit double precision NOT NULL DEFAULT 10,
	value_scale numeric NOT NULL DEFAULT 30000,
	recency_half_life interval NOT NULL DEFAULT interval '1 year',
	interest_window interval NOT NULL DEFAULT interval '6 months',
	tier_high double precision NOT NULL DEFAULT 30,
	tier_mid double precision NOT NULL DEFAULT 15,
	follow_up_days integer NOT NULL DEFAULT 7,
	final_offer_days integer NOT NULL DEFAULT 14,
	nurture_days integer NOT NULL DEFAULT 90,
	nurture_every_days integer NOT NULL DEFAULT 90,
	consent_default boolean NOT NULL DEFAULT false,
	classify_by text NOT NULL DEFAULT 'interval',
	holdout_share double precision NOT NULL DEFAULT 0.1,
	campaign text NOT NULL DEFAULT 'default',
	attribution_days integer NOT NULL DEFAULT 60,
	CONSTRAINT policy_attribution_days_in_range
		CHECK (attribution_days OPERATOR(pg_catalog.>=) 1 AND attribution_days OPERATOR(pg_catalog.<=) 3660),
	CONSTRAINT policy_holdout_share_in_range
		CHECK (holdout_share OPERATOR(pg_catalog.>=) 0 AND holdout_share OPERATOR(pg_catalog.<) 1),
	p_alive_at_risk double precision NOT NULL DEFAULT 0.7,
	p_alive_dormant double precision NOT NULL DEFAULT 0.5,
	p_alive_lapsed double precision NOT NULL DEFAULT 0.25,
	CONSTRAINT policy_classify_by_known
		CHECK (classify_by OPERATOR(pg_catalog.=) ANY (ARRAY['interval', 'model'])),
	CONSTRAINT policy_p_alive_cutoffs_ordered
		CHECK (0 OPERATOR(pg_catalog.<) p_alive_lapsed AND p_alive_lapsed OPERATOR(pg_catalog.<) p_alive_dormant
			   AND p_alive_dormant OPERATOR(pg_catalog.<) p_alive_at_risk AND p_alive_at_risk OPERATOR(pg_catalog.<) 1),
	CONSTRAINT policy_contact_offsets_in_range
		CHECK (follow_up_days OPERATOR(pg_catalog.>=) 1 AND follow_up_days OPERATOR(pg_catalog.<=) 3660
			   AND final_offer_days OPERATOR(pg_catalog.>=) 1 AND final_offer_days OPERATOR(pg_catalog.<=) 3660
			   AND nurture_days OPERATOR(pg_catalog.>=) 1 AND nurture_days OPERATOR(pg_catalog.<=) 3660
			   AND nurture_every_days OPERATOR(pg_catalog.>=) 1 AND nurture_every_days OPERATOR(pg_catalog.<=) 3660),
	CONSTRAINT policy_weights_not_negative
		CHECK (weight_transactions OPERATOR(pg_catalog.>=) 0 AND weight_behaviour OPERATOR(pg_catalog.>=) 0
			   AND weight_sales OPERATOR(pg_catalog.>=) 0 AND weight_fit OPERATOR(pg_catalog.>=) 0),
	CONSTRAINT policy_weights_not_all_zero
		CHECK (weight_transactions OPERATOR(pg_catalog.+) weight_behaviour OPERATOR(pg_catalog.+)
			   weight_sales OPERATOR(pg_catalog.+) weight_fit OPERATOR(pg_catalog.>) 0),
	CONSTRAINT policy_value_scale_positive
		CHECK (value_scale OPERATOR(pg_catalog.>) 0),
	CONSTRAINT policy_windows_positive
		CHECK (recency_half_life OPERATOR(pg_catalog.>) interval '0'
			   AND interest_window OPERATOR(pg_catalog.>) interval '0'),
	CONSTRAINT policy_tiers_ordered
		CHECK (0 OPERATOR(pg_catalog.<=) tier_mid AND tier_mid OPERATOR(pg_catalog.<) tier_high
			   AND tier_high OPERATOR(pg_catalog.<=) 100),
	CONSTRAINT policy_at_risk_after_positive
		CHECK (at_risk_after OPERATOR(pg_catalog.>) interval '0'),
	CONSTRAINT policy_thresholds_increasing
		CHECK (at_risk_after OPERATOR(pg_catalog.<) dormant_after
			   AND dormant_after OPERATOR(pg_catalog.<) lapsed_after),
	CONSTRAINT policy_overdue_factor_positive
		CHECK (overdue_factor OPERATOR(pg_catalog.>) 0),
	CONSTRAINT policy_loyal_silence_positive
		CHECK (loyal_silence OPERATOR(pg_catalog.>) interval '0'),
	CONSTRAINT policy_high_value_amount_not_negative
		CHECK (high_value_amount OPERATOR(pg_catalog.>=) 0)
);
COMMENT ON TABLE @extschema@.policy IS 'Dormancy policies: thresholds and settings per kind of customer base (b2c, b2b, your own)';
COMMENT ON COLUMN @extschema@.policy.name IS 'Policy name, as passed to dormant.classify and dormant.depth';
COMMENT ON COLUMN @extschema@.policy.at_risk_after IS 'Silence after which a customer is at_risk';
COMMENT ON COLUMN @extschema@.policy.dormant_after IS 'Silence after which a customer is dormant';
COMMENT ON COLUMN @extschema@.policy.lapsed_after IS 'Silence after which a customer is lapsed';
COMMENT ON COLUMN @extschema@.policy.overdue_factor IS 'A customer with 3+ purchase days silent for this many times their own mean gap is at_risk; NULL turns the rule off';
COMMENT ON COLUMN @extschema@.policy.loyal_silence IS 'Silence after which a dormant repeat buyer is a loyal_defector';
COMMENT ON COLUMN @extschema@.policy.high_value_amount IS 'Dormant customers with at least this net amount are high_value_silent; NULL turns the segment off';
COMMENT ON COLUMN @extschema@.policy.weight_transactions IS 'Weight of the transactions axis of the priority score';
COMMENT ON COLUMN @extschema@.policy.weight_behaviour IS 'Weight of the behaviour axis (recent signs of interest)';
COMMENT ON COLUMN @extschema@.policy.weight_sales IS 'Weight of the sales history axis (the last sales event)';
COMMENT ON COLUMN @extschema@.policy.weight_fit IS 'Weight of the fit axis';
COMMENT ON COLUMN @extschema@.policy.value_scale IS 'Amount bought in the year before the silence that counts half of the value part of the transactions axis';
COMMENT ON COLUMN @extschema@.policy.recency_half_life IS 'Silence after which the transactions axis has halved';
COMMENT ON COLUMN @extschema@.policy.interest_window IS 'How far back signs of interest count, with less weight the older they are';
COMMENT ON COLUMN @extschema@.policy.tier_high IS 'Score from which a customer is in the high tier';
COMMENT ON COLUMN @extschema@.policy.tier_mid IS 'Score from which a customer is in the mid tier';
COMMENT ON COLUMN @extschema@.policy.follow_up_days IS 'Days from the first contact to the follow-up';
COMMENT ON COLUMN @extschema@.policy.final_offer_days IS 'Days from the follow-up to the final offer';
COMMENT ON COLUMN @extschema@.policy.nurture_days IS 'Days from the final offer to the first nurture contact';
COMMENT ON COLUMN @extschema@.policy.nurture_every_days IS 'Days between nurture contacts';
COMMENT ON COLUMN @extschema@.policy.consent_default IS 'Whether an unknown (NULL) permission for a channel counts as given';
COMMENT ON COLUMN @extschema@.policy.holdout_share IS 'Share of the prioritized customers kept out of the schedule to measure lift; 0 turns the holdout off';
COMMENT ON COLUMN @extschema@.policy.campaign IS 'Campaign label: the holdout is drawn from it and the customer key, so it stays the same for a campaign and is drawn anew for the next';
COMMENT ON COLUMN @extschema@.policy.attribution_days IS 'A purchase within this many days after the first contact (or, in the holdout, after enrolment) counts as a reactivation';
COMMENT ON COLUMN @extschema@.policy.classify_by IS 'interval: at_risk, dormant and lapsed by the silence thresholds; model: repeat buyers by P(alive) from the BG/NBD model fitted at the last refresh';
COMMENT ON COLUMN @extschema@.policy.p_alive_at_risk IS 'With classify_by = model: a repeat buyer below this P(alive) is at_risk';
COMMENT ON COLUMN @extschema@.policy.p_alive_dormant IS 'With classify_by = model: below this, dormant';
COMMENT ON COLUMN @extschema@.policy.p_alive_lapsed IS 'With classify_by = model: below this, lapsed';

INSERT INTO @extschema@.policy (name, at_risk_after, dormant_after, lapsed_after) VALUES
	('b2c', interval '3 months', interval '6 months', interval '1 year');
INSERT INTO @extschema@.policy (name, at_risk_after, dormant_after, lapsed_after, value_scale) VALUES
	('b2b', interval '6 months', interval '1 year', interval '2 years', 5000000);

CREATE TRIGGER policy_replace_shipped
	BEFORE INSERT ON @extschema@.policy
	FOR EACH ROW EXECUTE FUNCTION @extschema@.replace_shipped_row('name', 'b2c', 'b2b');

SELECT pg_catalog.pg_extension_config_dump('dormant.policy', '');
GRANT SELECT ON @extschema@.policy TO PUBLIC;

CREATE TYPE @extschema@.status AS ENUM ('new', 'active', 'at_risk', 'dormant', 'lapsed', 'churned');
COMMENT ON TYPE @extschema@.status IS 'Lifecycle status of a customer: new, active, at_risk, dormant, lapsed, or churned (opted out or ended the relationship)';

CREATE FUNCTION @extschema@.classify(s @extschema@.rfm_summary, as_of timestamptz, policy text DEFAULT 'b2c')
RETURNS @extschema@.status
AS 'MODULE_PATHNAME', 'dormant_classify'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.classify(@extschema@.rfm_summary, timestamptz, text) IS 'Status of a customer summary as of a time under a policy; NULL without purchases';

CREATE FUNCTION @extschema@.depth(s @extschema@.rfm_summary, as_of timestamptz, policy text DEFAULT 'b2c')
RETURNS text
AS 'MODULE_PATHNAME', 'dormant_depth'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.depth(@extschema@.rfm_summary, timestamptz, text) IS 'Depth segment of a customer silent at least dormant_after: high_value_silent, loyal_defector, repeat_dormant or early_defector';
