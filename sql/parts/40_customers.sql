-- One row per customer: summary, RFM scores, status and depth, computed
-- either live from the bound sources or from the states a refresh stored.

CREATE TABLE @extschema@.customer_state (
	customer_id text COLLATE pg_catalog."C" PRIMARY KEY,
	state @extschema@.rfm_state NOT NULL
);
COMMENT ON TABLE @extschema@.customer_state IS 'Partial rfm_agg state of every customer with transactions, kept by dormant.refresh between runs';
COMMENT ON COLUMN @extschema@.customer_state.customer_id IS 'Customer key, as text';
COMMENT ON COLUMN @extschema@.customer_state.state IS 'Aggregate state of the customer''s transactions';

-- Per customer, from the bound activities of known kinds: when they last
-- showed any sign, and when they last ended the relationship.
CREATE VIEW @extschema@.activity_facts WITH (security_invoker = true) AS
SELECT a.customer_id,
	   max(a.occurred_at) AS last_activity_at,
	   max(a.occurred_at) FILTER (WHERE k.axis OPERATOR(pg_catalog.=) 'churn') AS churned_at,
	   max(a.occurred_at) FILTER (WHERE k.axis OPERATOR(pg_catalog.<>) 'churn') AS last_interest_at
  FROM @extschema@.bound_activities a
  JOIN @extschema@.activity_kind k ON k.kind OPERATOR(pg_catalog.=) a.kind
 GROUP BY a.customer_id;
COMMENT ON VIEW @extschema@.activity_facts IS 'Per customer, the latest bound activity of a known kind, and the latest that ended the relationship';
COMMENT ON COLUMN @extschema@.activity_facts.customer_id IS 'Customer key, as text';
COMMENT ON COLUMN @extschema@.activity_facts.last_activity_at IS 'Latest activity of a known kind';
COMMENT ON COLUMN @extschema@.activity_facts.churned_at IS 'Latest activity of the churn axis (a cancellation or complaint)';
COMMENT ON COLUMN @extschema@.activity_facts.last_interest_at IS 'Latest activity of another axis';

-- The pipeline, written once.  With stored = false it aggregates the bound
-- transactions; with stored = true it reads dormant.customer_state.  The
-- planner inlines this function and drops the branch not taken.
CREATE FUNCTION @extschema@.customer_rows(stored boolean)
RETURNS TABLE (
	customer_id text,
	policy text,
	first_at timestamptz,
	last_at timestamptz,
	purchases bigint,
	purchase_days bigint,
	monetary numeric,
	mean_gap_days double precision,
	recency_days integer,
	r_score smallint,
	f_score smallint,
	m_score smallint,
	status @extschema@.status,
	depth text,
	opted_out boolean,
	reason text,
	last_activity_at timestamptz
)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	WITH clock AS (
		SELECT @extschema@.as_of() AS as_of
	), summaries AS (
		SELECT t.customer_id, @extschema@.rfm_agg(t.occurred_at, t.amount) AS s
		  FROM @extschema@.bound_transactions t
		 WHERE NOT stored AND t.customer_id IS NOT NULL
		 GROUP BY t.customer_id
		UNION ALL
		SELECT c.customer_id, @extschema@.rfm_summarize(c.state)
		  FROM @extschema@.customer_state c
		 WHERE stored
	), customers AS (
		SELECT coalesce(s.customer_id, b.customer_id) AS customer_id,
			   coalesce(b.policy, 'b2c') AS policy,
			   s.s, b.opted_out, b.reason, a.last_activity_at,
			   coalesce(b.opted_out, false)
			   OR coalesce(a.churned_at >= coalesce(a.last_interest_at, '-infinity')
						   AND a.churned_at > coalesce((s.s).last_at, '-infinity'), false) AS churned
		  FROM summaries s
		  FULL JOIN @extschema@.bound_customers b ON b.customer_id = s.customer_id
		  LEFT JOIN @extschema@.activity_facts a
			ON a.customer_id = coalesce(s.customer_id, b.customer_id)
		 WHERE coalesce(s.customer_id, b.customer_id) IS NOT NULL
	), classified AS (
		SELECT c.customer_id, c.policy,
			   (c.s).first_at, (c.s).last_at, (c.s).purchases, (c.s).purchase_days,
			   (c.s).monetary, (c.s).mean_gap_days,
			   CASE WHEN (c.s).last_at IS NOT NULL
					THEN greatest(0, (clock.as_of)::date - ((c.s).last_at)::date) END AS recency_days,
			   CASE WHEN c.churned THEN 'churned'::@extschema@.status
					ELSE @extschema@.classify(c.s, clock.as_of, c.policy) END AS status,
			   CASE WHEN NOT c.churned THEN @extschema@.depth(c.s, clock.as_of, c.policy) END AS depth,
			   c.opted_out, c.reason, c.last_activity_at,
			   NOT c.churned AND (c.s).purchases > 0 AS ranked
		  FROM customers c CROSS JOIN clock
	), sorted AS (
		-- Each customer base's values in order, for the quintile bounds.
		SELECT count(*) AS n,
			   array_agg(c.recency_days ORDER BY c.recency_days) AS r,
			   array_agg(c.purchase_days ORDER BY c.purchase_days) AS f,
			   count(c.monetary) AS nm,
			   array_agg(c.monetary ORDER BY c.monetary) FILTER (WHERE c.monetary IS NOT NULL) AS m
		  FROM classified c
		 WHERE c.ranked
	), bounds AS MATERIALIZED (
		-- A value scores k + 1 when its percent rank reaches k/5, that is
		-- when it exceeds the value at position ceil(k (n - 1) / 5).
		SELECT s.r[(s.n + 3) / 5] AS r1, s.r[(2 * s.n + 2) / 5] AS r2,
			   s.r[(3 * s.n + 1) / 5] AS r3, s.r[(4 * s.n) / 5] AS r4,
			   s.f[(s.n + 3) / 5] AS f1, s.f[(2 * s.n + 2) / 5] AS f2,
			   s.f[(3 * s.n + 1) / 5] AS f3, s.f[(4 * s.n) / 5] AS f4,
			   s.m[(s.nm + 3) / 5] AS m1, s.m[(2 * s.nm + 2) / 5] AS m2,
			   s.m[(3 * s.nm + 1) / 5] AS m3, s.m[(4 * s.nm) / 5] AS m4
		  FROM sorted s
	)
	SELECT c.customer_id, c.policy, c.first_at, c.last_at, c.purchases, c.purchase_days,
		   c.monetary, c.mean_gap_days, c.recency_days,
		   CASE WHEN c.ranked THEN (5 - ((c.recency_days > b.r1) IS TRUE)::integer
									  - ((c.recency_days > b.r2) IS TRUE)::integer
									  - ((c.recency_days > b.r3) IS TRUE)::integer
									  - ((c.recency_days > b.r4) IS TRUE)::integer)::smallint END,
		   CASE WHEN c.ranked THEN (1 + ((c.purchase_days > b.f1) IS TRUE)::integer
									  + ((c.purchase_days > b.f2) IS TRUE)::integer
									  + ((c.purchase_days > b.f3) IS TRUE)::integer
									  + ((c.purchase_days > b.f4) IS TRUE)::integer)::smallint END,
		   CASE WHEN c.ranked AND c.monetary IS NOT NULL
				THEN (1 + ((c.monetary > b.m1) IS TRUE)::integer
						+ ((c.monetary > b.m2) IS TRUE)::integer
						+ ((c.monetary > b.m3) IS TRUE)::integer
						+ ((c.monetary > b.m4) IS TRUE)::integer)::smallint END,
		   c.status, c.depth, c.opted_out, c.reason, c.last_activity_at
	  FROM classified c CROSS JOIN bounds b;
END;
COMMENT ON FUNCTION @extschema@.customer_rows(boolean) IS 'One row per customer, computed live (false) or from the states of the last refresh (true); read it through dormant.customer_scores';

CREATE VIEW @extschema@.customer_scores WITH (security_invoker = true) AS
SELECT * FROM @extschema@.customer_rows(false);
COMMENT ON VIEW @extschema@.customer_scores IS 'One row per customer, live as of dormant.as_of(): purchase summary, RFM scores, status and depth';
COMMENT ON COLUMN @extschema@.customer_scores.customer_id IS 'Customer key, as text';
COMMENT ON COLUMN @extschema@.customer_scores.policy IS 'Policy that classifies the customer: the customer row''s policy, else b2c';
COMMENT ON COLUMN @extschema@.customer_scores.first_at IS 'First purchase';
COMMENT ON COLUMN @extschema@.customer_scores.last_at IS 'Last purchase';
COMMENT ON COLUMN @extschema@.customer_scores.purchases IS 'Number of purchase rows (positive or unknown amount)';
COMMENT ON COLUMN @extschema@.customer_scores.purchase_days IS 'Distinct calendar days with a purchase';
COMMENT ON COLUMN @extschema@.customer_scores.monetary IS 'Net amount of all transactions, refunds included';
COMMENT ON COLUMN @extschema@.customer_scores.mean_gap_days IS 'Mean days between consecutive purchase days; NULL under two purchase days';
COMMENT ON COLUMN @extschema@.customer_scores.recency_days IS 'Calendar days from the last purchase to as_of; 0 for a purchase on or after as_of';
COMMENT ON COLUMN @extschema@.customer_scores.r_score IS 'Recency score 1-5 by quintile of the customer base (5 = most recent); equal values, equal scores';
COMMENT ON COLUMN @extschema@.customer_scores.f_score IS 'Frequency score 1-5 by quintile of purchase days (5 = most)';
COMMENT ON COLUMN @extschema@.customer_scores.m_score IS 'Monetary score 1-5 by quintile of net amount (5 = most)';
COMMENT ON COLUMN @extschema@.customer_scores.status IS 'new, active, at_risk, dormant, lapsed, or churned (opted out, or last activity a cancellation or complaint)';
COMMENT ON COLUMN @extschema@.customer_scores.depth IS 'Depth segment of a customer silent at least dormant_after: high_value_silent, loyal_defector, repeat_dormant or early_defector';
COMMENT ON COLUMN @extschema@.customer_scores.opted_out IS 'Opted out of contact, from the bound customers; NULL when unknown';
COMMENT ON COLUMN @extschema@.customer_scores.reason IS 'Recorded reason for going dormant, from the bound customers';
COMMENT ON COLUMN @extschema@.customer_scores.last_activity_at IS 'Latest bound activity of a known kind';
