-- One row per customer: summary, RFM scores, status and depth, computed
-- either live from the bound sources or from the states a refresh stored.

CREATE TABLE @extschema@.customer_state (
	customer_id text COLLATE pg_catalog."C" PRIMARY KEY,
	state @extschema@.rfm_state NOT NULL
);
COMMENT ON TABLE @extschema@.customer_state IS 'Partial rfm_agg state of every customer with transactions, kept by dormant.refresh between runs';
COMMENT ON COLUMN @extschema@.customer_state.customer_id IS 'Customer key, as text';
COMMENT ON COLUMN @extschema@.customer_state.state IS 'Aggregate state of the customer''s transactions';
-- The live views name this table (in the branch they never run) and so
-- need the right to read it; row-level security without a policy keeps
-- its rows, every purchase day of every customer, to its owner.
ALTER TABLE @extschema@.customer_state ENABLE ROW LEVEL SECURITY;

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
	recent_amount numeric,
	recency_days integer,
	r_score smallint,
	f_score smallint,
	m_score smallint,
	status @extschema@.status,
	depth text,
	p_alive double precision,
	expected_purchases_90d double precision,
	expected_next_purchase_on date,
	score double precision,
	tier @extschema@.tier,
	holdout boolean,
	priority jsonb,
	reason text,
	approach text,
	content text,
	opted_out boolean,
	last_activity_at timestamptz,
	email_ok boolean,
	phone_ok boolean,
	mail_ok boolean,
	fiscal_year_end smallint,
	last_contact_at timestamptz,
	last_phase @extschema@.phase,
	last_channel text,
	last_outcome @extschema@.outcome,
	contact_note text
)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	WITH clock AS (
		SELECT a.as_of, (a.as_of)::date AS today FROM (SELECT @extschema@.as_of() AS as_of) a
	), summaries AS (
		SELECT t.customer_id, @extschema@.rfm_agg(t.occurred_at, t.amount) AS s
		  FROM @extschema@.bound_transactions t
		 WHERE NOT stored AND t.customer_id IS NOT NULL
		 GROUP BY t.customer_id
		UNION ALL
		-- OFFSET 0 keeps each call below in its own scan: pulled up into
		-- the query, a call would run again for every field read from it.
		(SELECT c.customer_id, @extschema@.rfm_summarize(c.state)
		   FROM @extschema@.customer_state c
		  WHERE stored
		 OFFSET 0)
	), windows AS (
		-- Each policy's window for signs of interest, worked out once rather
		-- than for every activity.
		SELECT p.name AS policy, clock.as_of - p.interest_window AS since,
			   date_part('epoch', clock.as_of) AS as_of_epoch,
			   date_part('epoch', p.interest_window) AS seconds
		  FROM @extschema@.policy p
		 CROSS JOIN clock
	), shared_window AS (
		-- The window every policy has, when they share one, as they do by
		-- default: then the activities go into the aggregate straight from
		-- the scan, the window passed as values worked out once, and the
		-- customers' policies need not be looked up.
		SELECT min(w.since) AS since, min(w.as_of_epoch) AS as_of_epoch, min(w.seconds) AS seconds
		  FROM windows w
		HAVING count(DISTINCT (w.since, w.seconds)) = 1
	), signals AS (
		-- Per customer, from the activities of known kinds: the latest
		-- activity, churn and sign of interest, the interest within the
		-- policy's window, a competitor switch and the last sales event up
		-- to as_of, in one pass (src/activity_signals.c).  The branch not
		-- taken costs nothing; OFFSET 0 keeps the aggregate to one call per
		-- customer.
		SELECT g.customer_id, (g.s).*
		  FROM (SELECT a.customer_id,
					   @extschema@.activity_signals(a.occurred_at, a.kind,
													(SELECT w.since FROM shared_window w),
													(SELECT w.as_of_epoch FROM shared_window w),
													(SELECT w.seconds FROM shared_window w),
													(SELECT c.as_of FROM clock c)) AS s
				  FROM @extschema@.bound_activities a
				 WHERE EXISTS (SELECT FROM shared_window)
				 GROUP BY a.customer_id
				UNION ALL
				SELECT a.customer_id,
					   @extschema@.activity_signals(a.occurred_at, a.kind, w.since, w.as_of_epoch, w.seconds,
													(SELECT c.as_of FROM clock c)) AS s
				  FROM @extschema@.bound_activities a
				  LEFT JOIN @extschema@.bound_customers b ON b.customer_id = a.customer_id
				  JOIN windows w ON w.policy = coalesce(b.policy, 'b2c')
				 WHERE NOT EXISTS (SELECT FROM shared_window)
				 GROUP BY a.customer_id
				OFFSET 0) g
	), contacts AS (
		-- The last logged contact, and whether any contact ended in an opt-out.
		SELECT DISTINCT ON (l.customer_id) l.customer_id, l.contacted_at, l.phase, l.channel, l.outcome,
			   bool_or(l.outcome = 'opted_out') OVER (PARTITION BY l.customer_id) AS opted_out
		  FROM @extschema@.contact_log l
		 ORDER BY l.customer_id, l.contacted_at DESC, l.phase DESC
	), customers AS (
		SELECT coalesce(s.customer_id, b.customer_id) AS customer_id,
			   coalesce(b.policy, 'b2c') AS policy,
			   (s.s).first_at, (s.s).last_at, (s.s).purchases, (s.s).purchase_days,
			   (s.s).monetary, (s.s).mean_gap_days, (s.s).recent_amount,
			   ((s.s).first_at)::date AS first_day, ((s.s).last_at)::date AS last_day,
			   CASE WHEN l.opted_out THEN true ELSE b.opted_out END AS opted_out,
			   b.reason, b.fit, b.email_ok, b.phone_ok, b.mail_ok, b.fiscal_year_end,
			   a.last_activity_at, a.last_interest_at,
			   a.interest, a.sales, a.last_sales_event, a.left_for_competitor,
			   -- contacts before the last purchase belong to an earlier sequence
			   CASE WHEN l.contacted_at > coalesce((s.s).last_at, '-infinity') THEN l.contacted_at END AS last_contact_at,
			   CASE WHEN l.contacted_at > coalesce((s.s).last_at, '-infinity') THEN l.phase END AS last_phase,
			   CASE WHEN l.contacted_at > coalesce((s.s).last_at, '-infinity') THEN l.channel END AS last_channel,
			   CASE WHEN l.contacted_at > coalesce((s.s).last_at, '-infinity') THEN l.outcome END AS last_outcome,
			   coalesce(b.opted_out, false) OR coalesce(l.opted_out, false)
			   OR coalesce(a.churned_at >= coalesce(a.last_interest_at, '-infinity')
						   AND a.churned_at > coalesce((s.s).last_at, '-infinity'), false) AS churned
		  FROM summaries s
		  FULL JOIN @extschema@.bound_customers b ON b.customer_id = s.customer_id
		  LEFT JOIN signals a ON a.customer_id = coalesce(s.customer_id, b.customer_id)
		  LEFT JOIN contacts l ON l.customer_id = coalesce(s.customer_id, b.customer_id)
		 WHERE coalesce(s.customer_id, b.customer_id) IS NOT NULL
	), models AS (
		-- The latest BG/NBD fit of each policy.
		SELECT DISTINCT ON (f.policy) f.policy, f.params
		  FROM @extschema@.model_fit f
		 WHERE f.params IS NOT NULL
		 ORDER BY f.policy, f.as_of DESC, f.fitted_at DESC
		OFFSET 0
	), assessed AS (
		-- Status, depth, the model's scores and the priority: one call per
		-- customer (src/assess.c), which OFFSET 0 keeps to one.
		SELECT c.*, clock.today,
			   @extschema@.assess(c.policy, m.params, clock.as_of, clock.today, c.churned, c.purchases,
								  c.last_at, c.purchase_days, c.monetary, c.mean_gap_days,
								  c.first_day, c.last_day, c.recent_amount, c.interest, c.sales, c.fit) AS a
		  FROM customers c
		 CROSS JOIN clock
		  LEFT JOIN models m ON m.policy = c.policy
		OFFSET 0
	), classified AS (
		SELECT c.customer_id, c.policy,
			   c.first_at, c.last_at, c.purchases, c.purchase_days,
			   c.monetary, c.mean_gap_days, c.recent_amount,
			   CASE WHEN c.last_day IS NOT NULL THEN greatest(0, c.today - c.last_day) END AS recency_days,
			   (c.a).status, (c.a).depth, (c.a).p_alive, (c.a).expected_purchases_90d,
			   (c.a).expected_next_purchase_on, (c.a).score, (c.a).transactions_points,
			   (c.a).behaviour_points, (c.a).sales_points, (c.a).fit_points, (c.a).tier,
			   c.interest, c.last_interest_at, c.last_sales_event, c.fit,
			   CASE WHEN (c.a).score IS NOT NULL THEN coalesce(c.reason,
					CASE WHEN c.left_for_competitor THEN 'competitor' END, 'unknown')
					ELSE c.reason END AS reason,
			   c.opted_out, c.last_activity_at, c.email_ok, c.phone_ok, c.mail_ok, c.fiscal_year_end,
			   c.last_contact_at, c.last_phase, c.last_channel, c.last_outcome,
			   coalesce(p.consent_default, false) AS consent_default,
			   (c.a).score IS NOT NULL AND p.holdout_share > 0
			   AND @extschema@.holdout_draw(p.campaign, c.customer_id) < p.holdout_share AS holdout,
			   NOT c.churned AND c.purchases > 0 AS ranked
		  FROM assessed c
		  LEFT JOIN @extschema@.policy p ON p.name = c.policy
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
	-- Keys are compared byte by byte inside; outputs carry the database's
	-- default collation, so that they join with the user's own text columns.
	SELECT c.customer_id COLLATE pg_catalog."default", c.policy, c.first_at, c.last_at, c.purchases, c.purchase_days,
		   c.monetary, c.mean_gap_days, c.recent_amount, c.recency_days,
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
		   c.status, c.depth, c.p_alive, c.expected_purchases_90d, c.expected_next_purchase_on,
		   @extschema@.rounded(c.score, 2),
		   c.tier,
		   CASE WHEN c.score IS NOT NULL THEN c.holdout END,
		   CASE WHEN c.score IS NOT NULL THEN @extschema@.priority_breakdown(
			   c.transactions_points, c.behaviour_points, c.sales_points, c.fit_points,
			   c.recent_amount, c.purchase_days, c.mean_gap_days, c.recency_days,
			   coalesce(c.interest, 0), c.last_interest_at, c.last_sales_event, c.fit) END,
		   c.reason,
		   CASE WHEN c.score IS NOT NULL THEN coalesce(r.approach, u.approach) END,
		   CASE WHEN c.score IS NOT NULL THEN coalesce(r.content, u.content) END,
		   c.opted_out, c.last_activity_at, c.email_ok, c.phone_ok, c.mail_ok,
		   CASE WHEN c.fiscal_year_end BETWEEN 1 AND 12 THEN c.fiscal_year_end END,
		   c.last_contact_at, c.last_phase, c.last_channel, c.last_outcome,
		   CASE WHEN c.score IS NULL THEN NULL
				WHEN c.holdout THEN 'holdout: not contacted, to measure lift'
				WHEN c.last_outcome = ANY (ARRAY['replied', 'meeting', 'purchased']::@extschema@.outcome[])
					THEN 'sequence ended: ' || c.last_outcome
				-- the schedule leaves out a customer whose next contact has no
				-- channel: the first, else the one after the last logged
				ELSE @extschema@.missing_channel(c.tier, (c.last_phase)::text, c.last_channel,
												 (c.last_outcome)::text, c.email_ok, c.phone_ok,
												 c.mail_ok, c.consent_default)
		   END
	  FROM classified c
	 CROSS JOIN bounds b
	  LEFT JOIN @extschema@.reason r ON r.code = c.reason
	  LEFT JOIN @extschema@.reason u ON u.code = 'unknown';
END;
COMMENT ON FUNCTION @extschema@.customer_rows(boolean) IS 'One row per customer, computed live (false) or from the states of the last refresh (true); read it through dormant.customer_scores';

CREATE VIEW @extschema@.customer_scores WITH (security_invoker = true) AS
SELECT * FROM @extschema@.customer_rows(false);
COMMENT ON VIEW @extschema@.customer_scores IS 'One row per customer, live as of dormant.as_of(): purchase summary, RFM scores, status, depth and reactivation priority';

CREATE VIEW @extschema@.priority_list WITH (security_invoker = true) AS
SELECT s.customer_id, s.tier, s.score, s.status, s.depth, s.reason, s.approach, s.content,
	   s.last_at, s.recency_days, s.purchase_days, s.monetary, s.recent_amount,
	   s.last_activity_at, s.policy, s.priority
  FROM @extschema@.customer_scores s
 WHERE s.score IS NOT NULL
 ORDER BY s.score DESC, s.customer_id;
COMMENT ON VIEW @extschema@.priority_list IS 'At-risk, dormant and lapsed customers who are not churned, highest priority first, with what to do';
COMMENT ON COLUMN @extschema@.priority_list.customer_id IS 'Customer key, as text';
COMMENT ON COLUMN @extschema@.priority_list.tier IS 'Priority tier: high, mid or low';
COMMENT ON COLUMN @extschema@.priority_list.score IS 'Reactivation priority from 0 to 100';
COMMENT ON COLUMN @extschema@.priority_list.status IS 'at_risk, dormant or lapsed';
COMMENT ON COLUMN @extschema@.priority_list.depth IS 'Depth segment';
COMMENT ON COLUMN @extschema@.priority_list.reason IS 'Reason for going dormant';
COMMENT ON COLUMN @extschema@.priority_list.approach IS 'How to approach the customer';
COMMENT ON COLUMN @extschema@.priority_list.content IS 'Content to offer';
COMMENT ON COLUMN @extschema@.priority_list.last_at IS 'Last purchase';
COMMENT ON COLUMN @extschema@.priority_list.recency_days IS 'Days since the last purchase';
COMMENT ON COLUMN @extschema@.priority_list.purchase_days IS 'Distinct calendar days with a purchase';
COMMENT ON COLUMN @extschema@.priority_list.monetary IS 'Net amount of all transactions';
COMMENT ON COLUMN @extschema@.priority_list.recent_amount IS 'Amount bought in the year before the silence';
COMMENT ON COLUMN @extschema@.priority_list.last_activity_at IS 'Latest activity of a known kind';
COMMENT ON COLUMN @extschema@.priority_list.policy IS 'Policy that classifies the customer';
COMMENT ON COLUMN @extschema@.priority_list.priority IS 'How the score came about, per axis';
COMMENT ON COLUMN @extschema@.customer_scores.customer_id IS 'Customer key, as text';
COMMENT ON COLUMN @extschema@.customer_scores.policy IS 'Policy that classifies the customer: the customer row''s policy, else b2c';
COMMENT ON COLUMN @extschema@.customer_scores.first_at IS 'First purchase';
COMMENT ON COLUMN @extschema@.customer_scores.last_at IS 'Last purchase';
COMMENT ON COLUMN @extschema@.customer_scores.purchases IS 'Number of purchase rows (positive or unknown amount)';
COMMENT ON COLUMN @extschema@.customer_scores.purchase_days IS 'Distinct calendar days with a purchase';
COMMENT ON COLUMN @extschema@.customer_scores.monetary IS 'Net amount of all transactions, refunds included';
COMMENT ON COLUMN @extschema@.customer_scores.mean_gap_days IS 'Mean days between consecutive purchase days; NULL under two purchase days';
COMMENT ON COLUMN @extschema@.customer_scores.recent_amount IS 'Amount bought in the month of the last purchase and the 11 months before';
COMMENT ON COLUMN @extschema@.customer_scores.recency_days IS 'Calendar days from the last purchase to as_of; 0 for a purchase on or after as_of';
COMMENT ON COLUMN @extschema@.customer_scores.r_score IS 'Recency score 1-5 by quintile of the customer base (5 = most recent); equal values, equal scores';
COMMENT ON COLUMN @extschema@.customer_scores.f_score IS 'Frequency score 1-5 by quintile of purchase days (5 = most)';
COMMENT ON COLUMN @extschema@.customer_scores.m_score IS 'Monetary score 1-5 by quintile of net amount (5 = most)';
COMMENT ON COLUMN @extschema@.customer_scores.status IS 'new, active, at_risk, dormant, lapsed, or churned (opted out, or last activity a cancellation or complaint)';
COMMENT ON COLUMN @extschema@.customer_scores.depth IS 'Depth segment of a customer silent at least dormant_after: high_value_silent, loyal_defector, repeat_dormant or early_defector';
COMMENT ON COLUMN @extschema@.customer_scores.p_alive IS 'Probability that the customer is still active, from the policy''s latest BG/NBD fit (1 for one-time buyers); NULL without a fit or for churned customers';
COMMENT ON COLUMN @extschema@.customer_scores.expected_purchases_90d IS 'Expected purchase days in the next 90 days, from the same model';
COMMENT ON COLUMN @extschema@.customer_scores.expected_next_purchase_on IS 'Day by which another purchase is more likely than not; NULL when P(alive) is 1/2 or less, or when that day is 10,000 years or more away';
COMMENT ON COLUMN @extschema@.customer_scores.score IS 'Reactivation priority from 0 to 100, for at_risk, dormant and lapsed customers who are not churned';
COMMENT ON COLUMN @extschema@.customer_scores.tier IS 'Priority tier: high, mid or low, by the policy''s cut-offs';
COMMENT ON COLUMN @extschema@.customer_scores.holdout IS 'In the campaign''s holdout group: scored and segmented, never scheduled';
COMMENT ON COLUMN @extschema@.customer_scores.priority IS 'How the score came about: the points of each axis and the signals behind them';
COMMENT ON COLUMN @extschema@.customer_scores.approach IS 'How to approach the customer, from dormant.reason';
COMMENT ON COLUMN @extschema@.customer_scores.content IS 'Content to offer, from dormant.reason';
COMMENT ON COLUMN @extschema@.customer_scores.opted_out IS 'Opted out of contact: in the bound customers, or a logged contact ended in an opt-out';
COMMENT ON COLUMN @extschema@.customer_scores.reason IS 'Reason for going dormant: the recorded one, else competitor after a competitor_switch, else unknown (for scored customers)';
COMMENT ON COLUMN @extschema@.customer_scores.last_activity_at IS 'Latest bound activity of a known kind';
COMMENT ON COLUMN @extschema@.customer_scores.email_ok IS 'May be contacted by e-mail; NULL when unknown';
COMMENT ON COLUMN @extschema@.customer_scores.phone_ok IS 'May be contacted by phone (and visited); NULL when unknown';
COMMENT ON COLUMN @extschema@.customer_scores.mail_ok IS 'May be contacted by postal mail; NULL when unknown';
COMMENT ON COLUMN @extschema@.customer_scores.fiscal_year_end IS 'Month (1-12) the customer''s fiscal year ends, from the bound customers; other values are ignored';
COMMENT ON COLUMN @extschema@.customer_scores.last_contact_at IS 'Last logged contact since the last purchase';
COMMENT ON COLUMN @extschema@.customer_scores.last_phase IS 'Phase of that contact';
COMMENT ON COLUMN @extschema@.customer_scores.last_channel IS 'Channel of that contact';
COMMENT ON COLUMN @extschema@.customer_scores.last_outcome IS 'Outcome of that contact';
COMMENT ON COLUMN @extschema@.customer_scores.contact_note IS 'Why a scored customer is not in the contact schedule: the holdout, the sequence ended, no channel is permitted for the next contact, or none is left after a bounce';
