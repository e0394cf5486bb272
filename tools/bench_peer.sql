-- The pipeline of dormant.refresh written as plain SQL, as an analyst would
-- write it without the extension's functions: the peer that "make bench"
-- times against the refresh and checks against its snapshot tables.
--
--   psql -v ON_ERROR_STOP=1 -v as_of='2026-11-01 12:00+00' -f tools/bench_peer.sql
--
-- It reads the generated shop (demo.orders, demo.customers, demo.activities,
-- see tools/demo_data.sql), the extension's configuration tables
-- (dormant.policy, activity_kind, reason, playbook, channel, holiday) and
-- its contact log, and writes these tables in the current schema:
--
--   peer_purchases  per customer who bought: first and last purchase, purchases,
--                   purchase days
--   peer_customers  one row per customer: the purchase summary, recency, the
--                   RFM quintile scores, status, depth, priority score, tier,
--                   holdout, reason, approach and content
--   peer_calendar   days from as_of on, and the business day each moves to
--   peer_channels   the channel of each tier, phase and set of permissions
--   peer_next       each scheduled customer's next contact, before capacity
--   peer_schedule   the remaining phases of each scheduled customer's contact
--                   sequence: due date, channel, action, content
--   peer_segments   customers, revenue, mean recency and mean score per
--                   status, depth and tier
--
-- The rules are the ones the README states (and src/classify.c,
-- src/priority.c and src/contact_plan.c implement): purchase days are
-- calendar days in the session's TimeZone, a purchase is a row with a
-- positive or unknown amount, the thresholds are subtracted from as_of in
-- the session's TimeZone, and so on.  Not computed: the BG/NBD columns
-- (p_alive and the expectations), and classification by the model
-- (classify_by = 'model'), which need the model fitted by maximum
-- likelihood; every policy classifies by its silence thresholds here.
--
-- Written for speed as an analyst would: a pass over the orders grouped by
-- customer and day, then by customer, kept as a table (with statistics, so
-- that the planner joins it by hashing); a second pass for the amounts; one
-- over the activities grouped by customer; window functions for the
-- quintiles, CASE for the classes, an expression for the score, and a
-- calendar from generate_series for the business days.

\if :{?as_of}
\else
\echo 'set as_of: psql -v as_of=...'
\quit
\endif

-- 1. Purchases per customer: one pass over the orders, per customer and
-- calendar day first.  A positive or unknown amount is a purchase.  Kept
-- as a table, so that the planner knows its size when it joins it.
CREATE TABLE peer_purchases AS
SELECT d.customer_id, min(d.first_at) AS first_at, max(d.last_at) AS last_at,
	   sum(d.purchases)::bigint AS purchases, count(*) AS purchase_days,
	   min(d.day) AS first_day, max(d.day) AS last_day
  FROM (SELECT o.customer_id, (o.ordered_at)::date AS day, count(*) AS purchases,
			   min(o.ordered_at) AS first_at, max(o.ordered_at) AS last_at
		  FROM demo.orders o
		 WHERE o.amount > 0 OR o.amount IS NULL
		 GROUP BY o.customer_id, (o.ordered_at)::date) d
 GROUP BY d.customer_id;
ANALYZE peer_purchases;

-- 2. Customers.
CREATE TABLE peer_customers AS
WITH amounts AS (
	-- A second pass over the orders: the net amount, refunds included, and
	-- the amount bought in the month of the last purchase day and the 11
	-- months before.
	SELECT o.customer_id, sum(o.amount) AS monetary,
		   sum(o.amount) FILTER (
			   WHERE o.amount > 0
				 AND (o.ordered_at)::date >= (date_trunc('month', (p.last_day)::timestamp) - interval '11 months')::date)
			   AS recent_amount
	  FROM demo.orders o
	  LEFT JOIN peer_purchases p ON p.customer_id = o.customer_id
	 GROUP BY o.customer_id
), summary AS (
	SELECT a.customer_id, p.first_at, p.last_at, coalesce(p.purchases, 0) AS purchases,
		   coalesce(p.purchase_days, 0) AS purchase_days, p.first_day, p.last_day, a.monetary,
		   CASE WHEN a.monetary IS NOT NULL AND p.purchase_days > 0 THEN coalesce(a.recent_amount, 0) END
			   AS recent_amount
	  FROM amounts a
	  LEFT JOIN peer_purchases p ON p.customer_id = a.customer_id
), signals AS (
	-- One pass over the activities of known kinds: the latest of each axis,
	-- and the signs of interest within the policy's window, each counting
	-- less the older it is.
	SELECT a.customer_id,
		   max(a.occurred_at) AS last_activity_at,
		   max(a.occurred_at) FILTER (WHERE k.axis = 'churn') AS churned_at,
		   max(a.occurred_at) FILTER (WHERE k.axis <> 'churn') AS last_interest_at,
		   sum(k.weight * (1 - date_part('epoch', :'as_of'::timestamptz - a.occurred_at)
							   / date_part('epoch', p.interest_window)))
			   FILTER (WHERE k.axis = 'behaviour' AND a.occurred_at <= :'as_of'::timestamptz
					   AND a.occurred_at > :'as_of'::timestamptz - p.interest_window) AS interest,
		   bool_or(a.kind = 'competitor_switch') AS left_for_competitor
	  FROM demo.activities a
	  JOIN dormant.activity_kind k ON k.kind = a.kind
	  LEFT JOIN demo.customers c ON c.customer_id = a.customer_id
	  JOIN dormant.policy p ON p.name = coalesce(c.policy, 'b2c')
	 GROUP BY a.customer_id
), sales AS (
	-- The last sales event up to as_of, and its strength.
	SELECT DISTINCT ON (a.customer_id) a.customer_id, k.weight AS sales
	  FROM demo.activities a
	  JOIN dormant.activity_kind k ON k.kind = a.kind
	 WHERE k.axis = 'sales' AND a.occurred_at <= :'as_of'::timestamptz
	 ORDER BY a.customer_id, a.occurred_at DESC, a.kind
), contacts AS (
	-- The last logged contact, and whether any ended in an opt-out.
	SELECT DISTINCT ON (l.customer_id) l.customer_id, l.contacted_at, l.phase, l.channel, l.outcome,
		   bool_or(l.outcome = 'opted_out') OVER (PARTITION BY l.customer_id) AS opted_out
	  FROM dormant.contact_log l
	 ORDER BY l.customer_id, l.contacted_at DESC, l.phase DESC
), base AS (
	SELECT k.customer_id, coalesce(c.policy, 'b2c') AS policy,
		   s.first_at, s.last_at, s.purchases, s.purchase_days, s.first_day, s.last_day,
		   s.monetary, s.recent_amount,
		   CASE WHEN s.purchase_days >= 2
				THEN (s.last_day - s.first_day)::double precision / (s.purchase_days - 1) END AS mean_gap_days,
		   c.opted_out OR coalesce(l.opted_out, false) AS opted_out,
		   c.reason, c.fit, c.email_ok, c.phone_ok, c.mail_ok,
		   CASE WHEN c.fiscal_year_end BETWEEN 1 AND 12 THEN c.fiscal_year_end END AS fiscal_year_end,
		   a.last_activity_at, a.interest, a.left_for_competitor, e.sales,
		   -- contacts before the last purchase belong to an earlier sequence
		   CASE WHEN l.contacted_at > coalesce(s.last_at, '-infinity') THEN l.contacted_at END AS last_contact_at,
		   CASE WHEN l.contacted_at > coalesce(s.last_at, '-infinity') THEN (l.phase)::text END AS last_phase,
		   CASE WHEN l.contacted_at > coalesce(s.last_at, '-infinity') THEN l.channel END AS last_channel,
		   CASE WHEN l.contacted_at > coalesce(s.last_at, '-infinity') THEN (l.outcome)::text END AS last_outcome,
		   -- churned: opted out, or the latest known activity is a cancellation
		   -- or complaint that no purchase followed
		   coalesce(c.opted_out, false) OR coalesce(l.opted_out, false)
		   OR coalesce(a.churned_at >= coalesce(a.last_interest_at, '-infinity')
					   AND a.churned_at > coalesce(s.last_at, '-infinity'), false) AS churned
	  FROM summary s
	  FULL JOIN demo.customers c USING (customer_id) AS k
	  LEFT JOIN signals a ON a.customer_id = k.customer_id
	  LEFT JOIN sales e ON e.customer_id = k.customer_id
	  LEFT JOIN contacts l ON l.customer_id = (k.customer_id)::text
), classified AS (
	SELECT b.*, p.tier_high, p.tier_mid, p.holdout_share, p.campaign,
		   coalesce(p.consent_default, false) AS consent_default,
		   CASE WHEN b.last_day IS NOT NULL THEN greatest(0, (:'as_of'::timestamptz)::date - b.last_day) END AS recency_days,
		   CASE WHEN b.churned THEN 'churned'
				WHEN b.last_at IS NULL THEN NULL
				WHEN b.last_at <= :'as_of'::timestamptz - p.lapsed_after THEN 'lapsed'
				WHEN b.last_at <= :'as_of'::timestamptz - p.dormant_after THEN 'dormant'
				WHEN b.last_at <= :'as_of'::timestamptz - p.at_risk_after THEN 'at_risk'
				-- overdue: 3+ purchase days, silent for overdue_factor times the
				-- own mean gap (the silence to the microsecond, in days)
				WHEN b.purchase_days >= 3 AND p.overdue_factor > 0
					 AND (CASE WHEN b.last_at >= :'as_of'::timestamptz THEN 0
							   ELSE (extract(epoch FROM :'as_of'::timestamptz - b.last_at) * 1000000)::bigint::double precision
									/ 86400000000 END) >= p.overdue_factor * b.mean_gap_days THEN 'at_risk'
				WHEN b.purchase_days = 1 THEN 'new'
				ELSE 'active' END AS status,
		   CASE WHEN NOT b.churned AND b.last_at <= :'as_of'::timestamptz - p.dormant_after THEN
				CASE WHEN p.high_value_amount IS NOT NULL AND b.monetary >= p.high_value_amount THEN 'high_value_silent'
					 WHEN b.purchase_days >= 2 AND b.last_at <= :'as_of'::timestamptz - p.loyal_silence THEN 'loyal_defector'
					 WHEN b.purchase_days >= 2 THEN 'repeat_dormant'
					 ELSE 'early_defector' END END AS depth,
		   -- the priority's inputs, as the policy weighs them
		   p.weight_transactions, p.weight_behaviour, p.weight_sales, p.weight_fit,
		   (p.value_scale)::double precision AS value_scale,
		   date_part('epoch', p.recency_half_life) / 86400 AS half_life_days,
		   greatest(0, date_part('epoch', :'as_of'::timestamptz - b.last_at) / 86400) AS silence_days,
		   NOT b.churned AND b.purchases > 0 AS ranked
	  FROM base b
	  LEFT JOIN dormant.policy p ON p.name = b.policy
), axes AS (
	-- Each axis from 0 to 1, for the at-risk, dormant and lapsed customers
	-- who are not churned.
	SELECT c.*,
		   least(1, greatest(0,
			   (0.6::double precision * CASE WHEN c.recent_amount > 0
					THEN (c.recent_amount)::double precision / ((c.recent_amount)::double precision + c.value_scale)
					ELSE 0 END
				+ 0.25::double precision * CASE WHEN c.mean_gap_days > 0 AND c.purchase_days >= 2
					THEN least(1, 30 / c.mean_gap_days)
						 * CASE WHEN c.purchase_days >= 3 THEN 1 ELSE 0.5 END::double precision
					ELSE 0 END
				+ 0.15::double precision * CASE WHEN c.purchase_days > 1
					THEN 1 - exp(-(c.purchase_days - 1)::double precision / 6) ELSE 0 END)
			   * power(0.5::double precision, greatest(c.silence_days, 0) / c.half_life_days))) AS t_axis,
		   CASE WHEN c.interest IS NULL THEN 0 ELSE 1 - exp(-greatest(c.interest, 0) / 3) END AS b_axis,
		   CASE WHEN c.sales IS NULL THEN 0 ELSE least(1, greatest(0, (c.sales)::double precision)) END AS s_axis,
		   CASE WHEN c.fit IS NULL THEN 0.5 ELSE least(1, greatest(0, (c.fit)::double precision)) END AS f_axis,
		   c.weight_transactions + c.weight_behaviour + c.weight_sales + c.weight_fit AS total
	  FROM classified c
	 WHERE NOT c.churned AND c.status IN ('at_risk', 'dormant', 'lapsed')
), scored AS (
	SELECT a.customer_id,
		   100 * a.weight_transactions * a.t_axis / a.total + 100 * a.weight_behaviour * a.b_axis / a.total
		   + 100 * a.weight_sales * a.s_axis / a.total + 100 * a.weight_fit * a.f_axis / a.total AS score
	  FROM axes a
), ranks AS (
	-- Quintiles of the ranked customers (not churned, with purchases): a
	-- value scores k + 1 when its percent rank reaches k/5; equal values,
	-- equal scores.
	SELECT c.customer_id,
		   rank() OVER (ORDER BY c.recency_days) - 1 AS r_below,
		   rank() OVER (ORDER BY c.purchase_days) - 1 AS f_below,
		   rank() OVER (ORDER BY c.monetary) - 1 AS m_below,
		   count(*) OVER () AS n,
		   count(c.monetary) OVER () AS nm
	  FROM classified c
	 WHERE c.ranked
)
SELECT (c.customer_id)::text AS customer_id, c.policy, c.first_at, c.last_at, c.purchases, c.purchase_days,
	   c.monetary, c.mean_gap_days, c.recent_amount, c.recency_days,
	   CASE WHEN c.ranked THEN 5 - CASE WHEN r.n > 1 THEN least(4, 5 * r.r_below / (r.n - 1)) ELSE 0 END END AS r_score,
	   CASE WHEN c.ranked THEN 1 + CASE WHEN r.n > 1 THEN least(4, 5 * r.f_below / (r.n - 1)) ELSE 0 END END AS f_score,
	   CASE WHEN c.ranked AND c.monetary IS NOT NULL
			THEN 1 + CASE WHEN r.nm > 1 THEN least(4, 5 * r.m_below / (r.nm - 1)) ELSE 0 END END AS m_score,
	   c.status, c.depth,
	   round((s.score)::numeric, 2)::double precision AS score,
	   CASE WHEN s.score >= c.tier_high THEN 'high'
			WHEN s.score >= c.tier_mid THEN 'mid'
			WHEN s.score IS NOT NULL THEN 'low' END AS tier,
	   CASE WHEN s.score IS NOT NULL
			THEN c.holdout_share > 0
				 AND ((('x' || left(md5(c.campaign || chr(31) || (c.customer_id)::text), 8))::bit(32)::bigint)::double precision
					  / 4294967296.0::double precision) < c.holdout_share END AS holdout,
	   -- the reason: the recorded one, else a switch to a competitor, else
	   -- unknown; and what it calls for
	   coalesce(w.reason, c.reason) AS reason,
	   coalesce(why.approach, unknown.approach) AS approach,
	   coalesce(why.content, unknown.content) AS content,
	   c.opted_out, c.last_activity_at, c.email_ok, c.phone_ok, c.mail_ok, c.fiscal_year_end, c.consent_default,
	   c.last_contact_at, c.last_phase, c.last_channel, c.last_outcome
  FROM classified c
  LEFT JOIN scored s ON s.customer_id = c.customer_id
  LEFT JOIN ranks r ON r.customer_id = c.customer_id
 CROSS JOIN LATERAL (SELECT CASE WHEN s.score IS NOT NULL
								 THEN coalesce(c.reason, CASE WHEN c.left_for_competitor THEN 'competitor' END, 'unknown')
							END AS reason) w
  LEFT JOIN dormant.reason why ON why.code = w.reason
  LEFT JOIN dormant.reason unknown ON unknown.code = 'unknown' AND w.reason IS NOT NULL;
ANALYZE peer_customers;

-- 3. The contact schedule, in steps: the calendar, the channel each tier,
-- phase and set of permissions gets, each scheduled customer's next
-- contact, then every phase.
SELECT (:'as_of'::timestamptz)::date AS today \gset
\set phases '(ARRAY[''first_contact'', ''follow_up'', ''final_offer'', ''nurture''])'

-- Every day from as_of on (ten years for the channels' capacity, then room
-- for a whole sequence), the business day it moves to (itself, or the next
-- that is no Saturday, Sunday or holiday), and business days numbered.
CREATE TABLE peer_calendar AS
SELECT d.day, d.business_day,
	   CASE WHEN d.day = d.business_day
			THEN count(*) FILTER (WHERE d.day = d.business_day) OVER (ORDER BY d.day) - 1 END AS b
  FROM (SELECT g.day,
			   min(g.day) FILTER (WHERE g.business) OVER (ORDER BY g.day DESC) AS business_day
		  FROM (SELECT (g)::date AS day,
					   extract(isodow FROM g) < 6
					   AND NOT EXISTS (SELECT FROM dormant.holiday h WHERE h.day = (g)::date) AS business
				  FROM generate_series(:'today'::date,
									   :'today'::date + 3660
									   + (SELECT max(p.follow_up_days + p.final_offer_days + p.nurture_days)
											FROM dormant.policy p) + 400,
									   interval '1 day') g) g) d;
ANALYZE peer_calendar;

-- For each tier, phase and combination of permissions, the first channel
-- of the playbook that is allowed, after a given preference (0, or that of
-- a channel that bounced).
CREATE TABLE peer_channels AS
SELECT DISTINCT ON (pb.tier, ve.e, vp.ph, vm.m, pb.phase, after.preference)
	   (pb.tier)::text AS tier, ve.e AS email, vp.ph AS phone, vm.m AS mail, (pb.phase)::text AS phase,
	   after.preference AS after, pb.channel, pb.action
  FROM dormant.playbook pb
  JOIN dormant.channel ch ON ch.channel = pb.channel
 CROSS JOIN (VALUES (false), (true)) ve(e)
 CROSS JOIN (VALUES (false), (true)) vp(ph)
 CROSS JOIN (VALUES (false), (true)) vm(m)
 CROSS JOIN (SELECT 0 AS preference UNION SELECT b.preference FROM dormant.playbook b) after
 WHERE pb.preference > after.preference
   AND CASE ch.consent WHEN 'email_ok' THEN ve.e WHEN 'phone_ok' THEN vp.ph WHEN 'mail_ok' THEN vm.m END
 ORDER BY pb.tier, ve.e, vp.ph, vm.m, pb.phase, after.preference, pb.preference;
ANALYZE peer_channels;

-- The next contact of each scheduled customer, before capacity.
CREATE TABLE peer_next AS
WITH scored AS (
	-- The scored customers, their permissions (an unknown one counts as the
	-- policy's default), and the content their reason calls for.
	SELECT c.customer_id, c.tier, c.score, c.policy, c.fiscal_year_end, c.holdout,
		   coalesce(c.email_ok, c.consent_default) AS email,
		   coalesce(c.phone_ok, c.consent_default) AS phone,
		   coalesce(c.mail_ok, c.consent_default) AS mail,
		   c.last_phase, c.last_outcome, (c.last_contact_at)::date AS last_day,
		   CASE WHEN c.last_outcome = 'bounced'
				THEN coalesce((SELECT max(b.preference) FROM dormant.playbook b
								WHERE (b.tier)::text = c.tier AND (b.phase)::text = c.last_phase
								  AND b.channel = c.last_channel), 0)
				ELSE 0 END AS bounced_after,
		   c.content
	  FROM peer_customers c
	 WHERE c.score IS NOT NULL
), targets AS MATERIALIZED (
	-- Not in the holdout, the sequence not ended, some channel allowed (and
	-- after a bounce, a later one for the phase that bounced).  The next
	-- phase k0 (0 to 3) and the day it is due before the calendar applies:
	-- without a logged contact, the first phase on as_of; after no response,
	-- the next phase (a nurture repeats) an offset after the contact; after
	-- a bounce, the same phase the day after.
	SELECT t.*, p.follow_up_days, p.final_offer_days, p.nurture_days,
		   CASE WHEN t.last_phase IS NULL THEN 0
				WHEN t.last_outcome = 'bounced' THEN array_position(:phases, t.last_phase) - 1
				ELSE least(array_position(:phases, t.last_phase), 3) END AS k0,
		   CASE WHEN t.last_phase IS NULL THEN :'today'::date
				WHEN t.last_outcome = 'bounced' THEN t.last_day + 1
				ELSE t.last_day + (ARRAY[p.follow_up_days, p.final_offer_days, p.nurture_days, p.nurture_every_days])
									 [array_position(:phases, t.last_phase)] END AS nominal
	  FROM scored t
	  JOIN dormant.policy p ON p.name = t.policy
	 WHERE NOT t.holdout
	   AND coalesce(t.last_outcome, 'no_response') IN ('no_response', 'bounced')
	   AND EXISTS (SELECT FROM peer_channels o
				    WHERE o.tier = t.tier AND o.email = t.email AND o.phone = t.phone AND o.mail = t.mail
					  AND o.after = 0)
	   AND (t.last_outcome IS DISTINCT FROM 'bounced'
			OR EXISTS (SELECT FROM peer_channels o
						WHERE o.tier = t.tier AND o.email = t.email AND o.phone = t.phone AND o.mail = t.mail
						  AND o.phase = t.last_phase AND o.after = t.bounced_after))
)
-- Due on the first business day from the nominal day, or from as_of if that
-- is later (a nurture: from the first day in the budget months around the
-- fiscal year end), if a channel is allowed for the phase.
SELECT t.*, o.channel AS first_channel, cal.business_day AS due_on
  FROM targets t
 CROSS JOIN LATERAL (SELECT greatest(t.nominal, :'today'::date) AS day,
							(extract(month FROM greatest(t.nominal, :'today'::date))::integer
							 - t.fiscal_year_end + 13) % 12 AS window_month) n
  JOIN peer_calendar cal ON cal.day = CASE
	   WHEN t.k0 < 3 OR t.fiscal_year_end IS NULL OR n.window_month <= 2 THEN n.day
	   ELSE (date_trunc('month', (n.day)::timestamp) + (12 - n.window_month) * interval '1 month')::date END
  JOIN peer_channels o ON o.tier = t.tier AND o.email = t.email AND o.phone = t.phone AND o.mail = t.mail
					  AND o.phase = :phases[t.k0 + 1]
					  AND o.after = CASE WHEN t.last_outcome = 'bounced' THEN t.bounced_after ELSE 0 END;
ANALYZE peer_next;

-- Every remaining phase.
CREATE TABLE peer_schedule AS
WITH queued AS (
	-- Channels with a daily capacity: in order of due day, then score, then
	-- customer, each contact takes the first free slot from its own day,
	-- capacity slots to a business day (slot i + the most that any contact
	-- before it was pushed).
	SELECT q.customer_id, d.day AS start
	  FROM (SELECT f.customer_id, f.daily_capacity,
				   f.i + max(d.b * f.daily_capacity - f.i) OVER (PARTITION BY f.first_channel ORDER BY f.i
															   ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS slot
			  FROM (SELECT f.customer_id, f.first_channel, f.due_on, ch.daily_capacity,
						   row_number() OVER (PARTITION BY f.first_channel
											  ORDER BY f.due_on, f.score DESC, f.customer_id) - 1 AS i
					  FROM peer_next f
					  JOIN dormant.channel ch ON ch.channel = f.first_channel
					 WHERE ch.daily_capacity IS NOT NULL) f
			  JOIN peer_calendar d ON d.day = f.due_on) q
	  JOIN peer_calendar d ON d.b = q.slot / q.daily_capacity
), planned AS (
	-- The phases from k0 on: the first from the start day, each later one
	-- an offset after the one before, each moved to a business day, the
	-- nurture first into the budget months.
	SELECT s.*, c0.business_day AS d0, c1.business_day AS d1, c2.business_day AS d2, c3.business_day AS d3
	  FROM (SELECT f.*, coalesce(q.start, f.due_on) AS start
			  FROM peer_next f
			  LEFT JOIN queued q ON q.customer_id = f.customer_id) s
	  LEFT JOIN peer_calendar c0 ON s.k0 = 0 AND c0.day = greatest(s.nominal, s.start)
	  LEFT JOIN peer_calendar c1 ON s.k0 <= 1
		   AND c1.day = CASE WHEN s.k0 = 1 THEN greatest(s.nominal, s.start) ELSE c0.business_day + s.follow_up_days END
	  LEFT JOIN peer_calendar c2 ON s.k0 <= 2
		   AND c2.day = CASE WHEN s.k0 = 2 THEN greatest(s.nominal, s.start) ELSE c1.business_day + s.final_offer_days END
	 CROSS JOIN LATERAL (SELECT CASE WHEN s.k0 = 3 THEN greatest(s.nominal, s.start)
									 ELSE c2.business_day + s.nurture_days END AS day) n
	 CROSS JOIN LATERAL (SELECT (extract(month FROM n.day)::integer - s.fiscal_year_end + 13) % 12 AS window_month) w
	  LEFT JOIN peer_calendar c3 ON c3.day = CASE
		   WHEN s.fiscal_year_end IS NULL OR w.window_month <= 2 THEN n.day
		   ELSE (date_trunc('month', (n.day)::timestamp) + (12 - w.window_month) * interval '1 month')::date END
)
SELECT p.customer_id, :phases[k + 1] AS phase, (ARRAY[p.d0, p.d1, p.d2, p.d3])[k + 1] AS due_on,
	   o.channel, o.action, p.content, p.tier, p.score
  FROM planned p
 CROSS JOIN LATERAL generate_series(p.k0, 3) k
  LEFT JOIN peer_channels o ON o.tier = p.tier AND o.email = p.email AND o.phone = p.phone AND o.mail = p.mail
						   AND o.phase = :phases[k + 1]
						   AND o.after = CASE WHEN p.last_outcome = 'bounced' AND :phases[k + 1] = p.last_phase
											  THEN p.bounced_after ELSE 0 END;

-- 4. Segments.
CREATE TABLE peer_segments AS
SELECT c.status, c.depth, c.tier, count(*) AS customers,
	   count(*)::double precision / sum(count(*)) OVER () AS share,
	   coalesce(sum(c.monetary), 0) AS revenue,
	   avg(c.recency_days) AS mean_recency_days,
	   avg(c.score) AS mean_score
  FROM peer_customers c
 GROUP BY c.status, c.depth, c.tier;
