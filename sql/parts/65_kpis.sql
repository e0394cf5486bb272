-- Measuring reactivation: who entered each campaign, who was contacted and
-- who came back, against the holdout, with the lift and its uncertainty.

CREATE TABLE @extschema@.enrolment (
	campaign text NOT NULL,
	customer_id text NOT NULL,
	enrolled_on date NOT NULL,
	policy text NOT NULL,
	holdout boolean NOT NULL,
	tier @extschema@.tier,
	depth text,
	status @extschema@.status,
	refresh_id bigint,
	PRIMARY KEY (campaign, customer_id)
);
COMMENT ON TABLE @extschema@.enrolment IS 'Customers as they entered a campaign: written by dormant.refresh the first time a customer is scored under the campaign';
COMMENT ON COLUMN @extschema@.enrolment.campaign IS 'Campaign label of the customer''s policy';
COMMENT ON COLUMN @extschema@.enrolment.customer_id IS 'Customer key, as text';
COMMENT ON COLUMN @extschema@.enrolment.enrolled_on IS 'Day the first contact was due (or, in the holdout, would have been)';
COMMENT ON COLUMN @extschema@.enrolment.policy IS 'Policy of the customer';
COMMENT ON COLUMN @extschema@.enrolment.holdout IS 'In the holdout: never contacted';
COMMENT ON COLUMN @extschema@.enrolment.tier IS 'Priority tier on entry';
COMMENT ON COLUMN @extschema@.enrolment.depth IS 'Depth segment on entry';
COMMENT ON COLUMN @extschema@.enrolment.status IS 'Status on entry';
COMMENT ON COLUMN @extschema@.enrolment.refresh_id IS 'Refresh that enrolled the customer';
SELECT pg_catalog.pg_extension_config_dump('dormant.enrolment', '');

CREATE TABLE @extschema@.goal (
	campaign text NOT NULL,
	metric text NOT NULL,
	target double precision NOT NULL,
	PRIMARY KEY (campaign, metric),
	CONSTRAINT goal_metric_known
		CHECK (metric OPERATOR(pg_catalog.=) ANY (ARRAY['reactivation_rate', 'reactivated', 'replied', 'meetings', 'contacted', 'revenue', 'lift']))
);
COMMENT ON TABLE @extschema@.goal IS 'Targets per campaign, such as reactivation_rate 0.10; dormant.kpi_goals shows the progress';
COMMENT ON COLUMN @extschema@.goal.campaign IS 'Campaign label';
COMMENT ON COLUMN @extschema@.goal.metric IS 'reactivation_rate, reactivated, replied, meetings, contacted, revenue or lift';
COMMENT ON COLUMN @extschema@.goal.target IS 'Target value';
SELECT pg_catalog.pg_extension_config_dump('dormant.goal', '');
GRANT SELECT ON @extschema@.goal TO PUBLIC;

-- Per enrolled customer: the start of the attribution window (the first
-- contact after enrolment, else the enrolment day), what the contacts
-- brought, and the first purchase in the window with the revenue in it.
CREATE VIEW @extschema@.campaign_outcomes WITH (security_invoker = true) AS
WITH contacts AS (
	SELECT e.campaign, e.customer_id,
		   min((l.contacted_at)::date) AS first_contact_on,
		   max(l.phase) AS phase_reached,
		   bool_or(l.outcome = 'replied') AS replied,
		   bool_or(l.outcome = 'meeting') AS meeting
	  FROM @extschema@.enrolment e
	  JOIN @extschema@.contact_log l
		ON l.customer_id = e.customer_id AND (l.contacted_at)::date >= e.enrolled_on
	 WHERE NOT e.holdout
	 GROUP BY e.campaign, e.customer_id
), windows AS (
	SELECT e.*, c.first_contact_on IS NOT NULL AS contacted, c.phase_reached,
		   coalesce(c.replied, false) AS replied, coalesce(c.meeting, false) AS meeting,
		   coalesce(c.first_contact_on, e.enrolled_on) AS window_start,
		   coalesce(c.first_contact_on, e.enrolled_on) + p.attribution_days AS window_end
	  FROM @extschema@.enrolment e
	  JOIN @extschema@.policy p ON p.name = e.policy
	  LEFT JOIN contacts c ON c.campaign = e.campaign AND c.customer_id = e.customer_id
), purchases AS (
	SELECT w.campaign, w.customer_id,
		   min(t.occurred_at) FILTER (WHERE t.amount > 0 OR t.amount IS NULL) AS returned_at,
		   coalesce(sum(t.amount), 0) AS revenue
	  FROM windows w
	  JOIN @extschema@.bound_transactions t
		ON t.customer_id = w.customer_id
	   AND (t.occurred_at)::date > w.window_start AND (t.occurred_at)::date <= w.window_end
	 -- implied by the window, and much cheaper to test on every row first
	 WHERE t.occurred_at >= ((SELECT min(f.window_start) FROM windows f) + 1)::timestamptz
	 GROUP BY w.campaign, w.customer_id
)
SELECT w.campaign, w.customer_id, w.enrolled_on, w.holdout, w.tier, w.depth,
	   w.contacted, w.phase_reached, w.replied, w.meeting, w.window_start, w.window_end,
	   p.returned_at IS NOT NULL AS reactivated, p.returned_at,
	   CASE WHEN p.returned_at IS NOT NULL THEN p.revenue ELSE 0 END AS revenue,
	   t.phase AS last_phase, t.channel AS last_channel
  FROM windows w
  LEFT JOIN purchases p ON p.campaign = w.campaign AND p.customer_id = w.customer_id
  -- the touchpoint: the last contact since enrolment before the return
  LEFT JOIN LATERAL (
	  SELECT l.phase, l.channel FROM @extschema@.contact_log l
	   WHERE l.customer_id = w.customer_id AND (l.contacted_at)::date >= w.enrolled_on
		 AND l.contacted_at <= p.returned_at
	   ORDER BY l.contacted_at DESC LIMIT 1) t ON true;
COMMENT ON VIEW @extschema@.campaign_outcomes IS 'Per enrolled customer: contacts, the attribution window, whether and when the customer bought again, and the last contact before that';
COMMENT ON COLUMN @extschema@.campaign_outcomes.campaign IS 'Campaign label';
COMMENT ON COLUMN @extschema@.campaign_outcomes.customer_id IS 'Customer key, as text';
COMMENT ON COLUMN @extschema@.campaign_outcomes.enrolled_on IS 'Day the customer entered the campaign';
COMMENT ON COLUMN @extschema@.campaign_outcomes.holdout IS 'In the holdout';
COMMENT ON COLUMN @extschema@.campaign_outcomes.tier IS 'Priority tier on entry';
COMMENT ON COLUMN @extschema@.campaign_outcomes.depth IS 'Depth segment on entry';
COMMENT ON COLUMN @extschema@.campaign_outcomes.contacted IS 'A contact was logged since enrolment';
COMMENT ON COLUMN @extschema@.campaign_outcomes.phase_reached IS 'Furthest phase of the sequence a contact was logged for';
COMMENT ON COLUMN @extschema@.campaign_outcomes.replied IS 'A contact got a reply';
COMMENT ON COLUMN @extschema@.campaign_outcomes.meeting IS 'A contact led to a meeting';
COMMENT ON COLUMN @extschema@.campaign_outcomes.window_start IS 'Start of the attribution window: the first contact, or the enrolment';
COMMENT ON COLUMN @extschema@.campaign_outcomes.window_end IS 'End of the attribution window';
COMMENT ON COLUMN @extschema@.campaign_outcomes.reactivated IS 'Bought again within the window';
COMMENT ON COLUMN @extschema@.campaign_outcomes.returned_at IS 'First purchase in the window';
COMMENT ON COLUMN @extschema@.campaign_outcomes.revenue IS 'Net amount of the transactions in the window, for reactivated customers';
COMMENT ON COLUMN @extschema@.campaign_outcomes.last_phase IS 'Phase of the last contact before the return: the touchpoint it is attributed to';
COMMENT ON COLUMN @extschema@.campaign_outcomes.last_channel IS 'Channel of that contact';

-- Difference of two proportions with its 95% normal interval.
CREATE FUNCTION @extschema@.lift_interval(successes bigint, trials bigint,
										  control_successes bigint, control_trials bigint,
										  OUT lift double precision, OUT low double precision,
										  OUT high double precision)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT d, d - 1.959963984540054 * se, d + 1.959963984540054 * se
	  FROM (SELECT successes::double precision / trials AS p1,
				   control_successes::double precision / control_trials AS p2) p,
		   LATERAL (SELECT p.p1 - p.p2 AS d,
						   sqrt(p.p1 * (1 - p.p1) / trials + p.p2 * (1 - p.p2) / control_trials) AS se) q
	 WHERE trials > 0 AND control_trials > 0;
END;
COMMENT ON FUNCTION @extschema@.lift_interval(bigint, bigint, bigint, bigint) IS 'Difference of two proportions (successes/trials minus control) with its 95% two-proportion normal interval; NULL when a group is empty';

-- The KPIs per campaign, tier and depth.  The rates compare the group
-- assigned to contact (contacted or not yet) with the holdout: the
-- difference is the lift, with its 95% interval and the counts behind it.
CREATE VIEW @extschema@.kpis WITH (security_invoker = true) AS
SELECT k.*, l.lift, l.low AS lift_low, l.high AS lift_high
  FROM (SELECT o.campaign, o.tier, o.depth, GROUPING(o.tier, o.depth) = 3 AS campaign_total,
			   count(*) FILTER (WHERE NOT o.holdout) AS eligible,
			   count(*) FILTER (WHERE o.contacted) AS contacted,
			   count(*) FILTER (WHERE o.replied) AS replied,
			   count(*) FILTER (WHERE o.meeting) AS meetings,
			   count(*) FILTER (WHERE o.reactivated AND NOT o.holdout) AS reactivated,
			   (count(*) FILTER (WHERE o.reactivated AND NOT o.holdout))::double precision
				   / nullif(count(*) FILTER (WHERE NOT o.holdout), 0) AS reactivation_rate,
			   coalesce(sum(o.revenue) FILTER (WHERE NOT o.holdout), 0) AS revenue,
			   count(*) FILTER (WHERE o.holdout) AS holdout,
			   count(*) FILTER (WHERE o.reactivated AND o.holdout) AS holdout_reactivated,
			   (count(*) FILTER (WHERE o.reactivated AND o.holdout))::double precision
				   / nullif(count(*) FILTER (WHERE o.holdout), 0) AS holdout_rate,
			   coalesce(sum(o.revenue) FILTER (WHERE o.holdout), 0) AS holdout_revenue
		  FROM @extschema@.campaign_outcomes o
		 GROUP BY GROUPING SETS ((o.campaign, o.tier, o.depth), (o.campaign))) k
  LEFT JOIN LATERAL @extschema@.lift_interval(k.reactivated, k.eligible, k.holdout_reactivated, k.holdout) l ON true;
COMMENT ON VIEW @extschema@.kpis IS 'Reactivation KPIs per campaign, tier and depth (and per campaign, where tier and depth are NULL), against the holdout';
COMMENT ON COLUMN @extschema@.kpis.campaign IS 'Campaign label';
COMMENT ON COLUMN @extschema@.kpis.tier IS 'Priority tier on entry; NULL in the campaign''s total row';
COMMENT ON COLUMN @extschema@.kpis.depth IS 'Depth segment on entry (NULL for at_risk customers); NULL in the campaign''s total row';
COMMENT ON COLUMN @extschema@.kpis.campaign_total IS 'The row sums the whole campaign';
COMMENT ON COLUMN @extschema@.kpis.eligible IS 'Customers enrolled for contact (not in the holdout)';
COMMENT ON COLUMN @extschema@.kpis.contacted IS 'Of those, contacted at least once';
COMMENT ON COLUMN @extschema@.kpis.replied IS 'Of those, who replied';
COMMENT ON COLUMN @extschema@.kpis.meetings IS 'Of those, who had a meeting';
COMMENT ON COLUMN @extschema@.kpis.reactivated IS 'Eligible customers who bought within the attribution window';
COMMENT ON COLUMN @extschema@.kpis.reactivation_rate IS 'reactivated / eligible';
COMMENT ON COLUMN @extschema@.kpis.revenue IS 'Revenue of the reactivated eligible customers within the window';
COMMENT ON COLUMN @extschema@.kpis.holdout IS 'Customers in the holdout';
COMMENT ON COLUMN @extschema@.kpis.holdout_reactivated IS 'Holdout customers who bought within the same window from their enrolment';
COMMENT ON COLUMN @extschema@.kpis.holdout_rate IS 'holdout_reactivated / holdout';
COMMENT ON COLUMN @extschema@.kpis.holdout_revenue IS 'Revenue of the reactivated holdout customers within the window';
COMMENT ON COLUMN @extschema@.kpis.lift IS 'reactivation_rate - holdout_rate: the reactivations the contacts caused, per customer';
COMMENT ON COLUMN @extschema@.kpis.lift_low IS 'Lower end of the 95% interval of the lift';
COMMENT ON COLUMN @extschema@.kpis.lift_high IS 'Upper end of the 95% interval of the lift';

CREATE VIEW @extschema@.kpi_touchpoints WITH (security_invoker = true) AS
SELECT o.campaign, o.last_phase AS phase, o.last_channel AS channel,
	   count(*) AS reactivated, sum(o.revenue) AS revenue
  FROM @extschema@.campaign_outcomes o
 WHERE o.reactivated AND NOT o.holdout
 GROUP BY o.campaign, o.last_phase, o.last_channel;
COMMENT ON VIEW @extschema@.kpi_touchpoints IS 'Reactivations per campaign by the last contact before the return (phase and channel; NULL when none was logged)';
COMMENT ON COLUMN @extschema@.kpi_touchpoints.campaign IS 'Campaign label';
COMMENT ON COLUMN @extschema@.kpi_touchpoints.phase IS 'Phase of the last contact before the return';
COMMENT ON COLUMN @extschema@.kpi_touchpoints.channel IS 'Channel of that contact';
COMMENT ON COLUMN @extschema@.kpi_touchpoints.reactivated IS 'Reactivations attributed to it';
COMMENT ON COLUMN @extschema@.kpi_touchpoints.revenue IS 'Their revenue within the window';

CREATE VIEW @extschema@.kpi_phases WITH (security_invoker = true) AS
SELECT o.campaign, o.tier, o.phase_reached AS phase,
	   count(*) AS customers,
	   count(*) FILTER (WHERE o.replied) AS replied,
	   count(*) FILTER (WHERE o.meeting) AS meetings,
	   count(*) FILTER (WHERE o.reactivated) AS reactivated,
	   (count(*) FILTER (WHERE o.reactivated))::double precision / count(*) AS reactivation_rate,
	   coalesce(sum(o.revenue), 0) AS revenue
  FROM @extschema@.campaign_outcomes o
 WHERE o.contacted
 GROUP BY o.campaign, o.tier, o.phase_reached;
COMMENT ON VIEW @extschema@.kpi_phases IS 'Contacted customers per campaign, tier and the furthest phase they reached: replies, meetings and reactivations';
COMMENT ON COLUMN @extschema@.kpi_phases.campaign IS 'Campaign label';
COMMENT ON COLUMN @extschema@.kpi_phases.tier IS 'Priority tier on entry';
COMMENT ON COLUMN @extschema@.kpi_phases.phase IS 'Furthest phase a contact was logged for';
COMMENT ON COLUMN @extschema@.kpi_phases.customers IS 'Contacted customers';
COMMENT ON COLUMN @extschema@.kpi_phases.replied IS 'Of those, who replied';
COMMENT ON COLUMN @extschema@.kpi_phases.meetings IS 'Of those, who had a meeting';
COMMENT ON COLUMN @extschema@.kpi_phases.reactivated IS 'Of those, who bought within the attribution window';
COMMENT ON COLUMN @extschema@.kpi_phases.reactivation_rate IS 'reactivated / customers';
COMMENT ON COLUMN @extschema@.kpi_phases.revenue IS 'Revenue of the reactivated within the window';

CREATE VIEW @extschema@.kpi_goals WITH (security_invoker = true) AS
SELECT g.campaign, g.metric, g.target, a.actual, a.actual / nullif(g.target, 0) AS progress
  FROM @extschema@.goal g
  LEFT JOIN @extschema@.kpis k ON k.campaign = g.campaign AND k.campaign_total
 CROSS JOIN LATERAL (SELECT CASE g.metric
		WHEN 'reactivation_rate' THEN k.reactivation_rate
		WHEN 'reactivated' THEN k.reactivated::double precision
		WHEN 'replied' THEN k.replied::double precision
		WHEN 'meetings' THEN k.meetings::double precision
		WHEN 'contacted' THEN k.contacted::double precision
		WHEN 'revenue' THEN k.revenue::double precision
		WHEN 'lift' THEN k.lift END AS actual) a;
COMMENT ON VIEW @extschema@.kpi_goals IS 'Each goal with the campaign''s actual figure and the progress towards it';
COMMENT ON COLUMN @extschema@.kpi_goals.campaign IS 'Campaign label';
COMMENT ON COLUMN @extschema@.kpi_goals.metric IS 'The measure';
COMMENT ON COLUMN @extschema@.kpi_goals.target IS 'The target';
COMMENT ON COLUMN @extschema@.kpi_goals.actual IS 'The campaign''s figure now';
COMMENT ON COLUMN @extschema@.kpi_goals.progress IS 'actual / target';

-- Do reactivated customers stay?  Their revenue and purchases in the 90
-- and 180 days after their return (counted only once that much time has
-- passed), against the base: customers who bought in the same length of
-- time before as_of.
CREATE VIEW @extschema@.reactivation_value WITH (security_invoker = true) AS
WITH clock AS (
	SELECT @extschema@.as_of() AS as_of
), horizons AS (
	SELECT h AS days FROM (VALUES (90), (180)) v(h)
), returned AS (
	SELECT o.campaign, o.customer_id, o.returned_at, h.days
	  FROM @extschema@.campaign_outcomes o
	 CROSS JOIN horizons h CROSS JOIN clock
	 WHERE o.reactivated AND NOT o.holdout
	   AND o.returned_at + make_interval(days => h.days) <= clock.as_of
), after_return AS (
	SELECT r.campaign, r.days, r.customer_id,
		   coalesce(sum(t.amount), 0) AS revenue,
		   count(t.*) FILTER (WHERE t.amount > 0 OR t.amount IS NULL) AS purchases
	  FROM returned r
	  LEFT JOIN @extschema@.bound_transactions t
		ON t.customer_id = r.customer_id AND t.occurred_at > r.returned_at
	   AND t.occurred_at <= r.returned_at + make_interval(days => r.days)
	 GROUP BY r.campaign, r.days, r.customer_id
), base AS (
	SELECT h.days, count(DISTINCT t.customer_id) AS customers,
		   sum(t.amount)::double precision / nullif(count(DISTINCT t.customer_id), 0) AS revenue,
		   (count(*) FILTER (WHERE t.amount > 0 OR t.amount IS NULL))::double precision
			   / nullif(count(DISTINCT t.customer_id), 0) AS purchases
	  FROM horizons h CROSS JOIN clock
	  JOIN @extschema@.bound_transactions t
		ON t.occurred_at > clock.as_of - make_interval(days => h.days) AND t.occurred_at <= clock.as_of
	 GROUP BY h.days
)
SELECT a.campaign, a.days, count(*) AS customers,
	   avg(a.revenue)::double precision AS revenue, avg(a.purchases)::double precision AS purchases,
	   b.customers AS base_customers, b.revenue AS base_revenue, b.purchases AS base_purchases
  FROM after_return a
  LEFT JOIN base b ON b.days = a.days
 GROUP BY a.campaign, a.days, b.customers, b.revenue, b.purchases;
COMMENT ON VIEW @extschema@.reactivation_value IS 'Revenue and purchases per reactivated customer in the 90 and 180 days after the return, against the customers who bought in the same length of time before as_of';
COMMENT ON COLUMN @extschema@.reactivation_value.campaign IS 'Campaign label';
COMMENT ON COLUMN @extschema@.reactivation_value.days IS 'Days after the return: 90 or 180';
COMMENT ON COLUMN @extschema@.reactivation_value.customers IS 'Reactivated customers whose return is at least that many days ago';
COMMENT ON COLUMN @extschema@.reactivation_value.revenue IS 'Mean net revenue per reactivated customer in those days';
COMMENT ON COLUMN @extschema@.reactivation_value.purchases IS 'Mean purchases per reactivated customer in those days';
COMMENT ON COLUMN @extschema@.reactivation_value.base_customers IS 'Customers who bought in the same number of days before as_of';
COMMENT ON COLUMN @extschema@.reactivation_value.base_revenue IS 'Their mean net revenue in those days';
COMMENT ON COLUMN @extschema@.reactivation_value.base_purchases IS 'Their mean purchases in those days';

CREATE TABLE @extschema@.kpi_snapshot AS
SELECT k.*, NULL::timestamptz AS as_of, NULL::bigint AS refresh_id
  FROM @extschema@.kpis k
WITH NO DATA;
COMMENT ON TABLE @extschema@.kpi_snapshot IS 'dormant.kpis as of the last refresh';
SELECT pg_catalog.pg_extension_config_dump('dormant.kpi_snapshot', '');
