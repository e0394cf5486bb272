-- Thresholds proposed from the user's own data: how long customers of a
-- policy usually stay silent between purchases, when they stop coming back
-- by themselves, and when they stop answering contacts.  It only proposes:
-- nothing is written, and the policy is changed by its owner, if at all.
--
-- The data are the purchases (amount > 0 or NULL) in dormant.bound_transactions
-- of the policy's customers: those whose bound customer row names the policy,
-- and, for b2c, those without a row or with a NULL policy (as the live views
-- classify them).  Rows with infinite times are left out.  Purchase days are
-- calendar days in the TimeZone setting, as in rfm_agg; as_of is
-- dormant.as_of().
--
-- Every purchase day starts a silence.  It is a gap when the customer bought
-- again (its length: the days to the next purchase day) and open otherwise
-- (its length: the days to as_of, at least 0).  The figures, one row each:
--
--   gap_p80, gap_p90, gap_p95  The 80th, 90th and 95th percentiles of the
--       gaps (percentile_disc: the shortest gap that at least that share of
--       gaps do not exceed, so an observed number of days), proposed for
--       at_risk_after, dormant_after and lapsed_after.  Open silences are not
--       gaps: these are the rhythms of customers who came back.
--   repurchase_chance  The shortest silence d after which the chance of
--       another purchase is below level.  Kaplan-Meier over all silences,
--       open ones censored at their length: S(d) is the chance that a silence
--       lasts beyond d days, and S at the longest gap, where the curve ends,
--       is the share of silences that never end.  The chance of another
--       purchase after d silent days is 1 - S(longest gap) / S(d), which only
--       falls as d grows.  Proposed for dormant_after: customers silent that
--       long are unlikely to come back by themselves.
--   response_drop  From dormant.contact_log: each contact of a customer after
--       a purchase, made at least 30 days before as_of and not bounced, is a
--       response when its outcome is replied, meeting or purchased, or the
--       customer bought, or showed a behaviour activity, within 30 days after
--       it.  Contacts are binned by the silence at contact time in bins of 30
--       days; bins with at least 10 contacts are judged.  The figure is the
--       start of the first judged bin whose response rate is below half that
--       of the first judged bin, proposed for dormant_after: customers silent
--       longer no longer answer as they did.
--
-- Without enough data a figure is NULL and note says why; with few
-- observations (under 20) note warns that the figure is rough.  Each row
-- also shows the policy's current value of the threshold it proposes, and a
-- jsonb detail with the counts behind the figure.

CREATE FUNCTION @extschema@.suggest_thresholds(policy text, level double precision DEFAULT 0.1)
RETURNS TABLE (
	measure text,
	threshold text,
	proposed interval,
	current_value interval,
	basis text,
	customers bigint,
	observations bigint,
	note text,
	detail jsonb
)
LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 5
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	fractions constant numeric[] := ARRAY[0.8, 0.9, 0.95];
	settings @extschema@.policy;
	today date;
	level_text text;
BEGIN
	IF policy IS NULL THEN
		RAISE EXCEPTION 'policy must not be NULL'
			USING ERRCODE = 'null_value_not_allowed',
				  HINT = 'The policies are the rows of dormant.policy.';
	END IF;
	IF level IS NULL THEN
		RAISE EXCEPTION 'level must not be NULL'
			USING ERRCODE = 'null_value_not_allowed',
				  HINT = 'The level is a chance of another purchase, greater than 0 and less than 1.';
	END IF;
	IF NOT (level > 0 AND level < 1) THEN
		RAISE EXCEPTION 'level % is out of range', level
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'The level is a chance of another purchase, greater than 0 and less than 1.';
	END IF;
	SELECT * INTO settings FROM @extschema@.policy x WHERE x.name = suggest_thresholds.policy;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'policy "%" does not exist', policy
			USING ERRCODE = 'undefined_object',
				  HINT = 'The policies are the rows of dormant.policy.';
	END IF;
	today := (@extschema@.as_of())::date;
	level_text := trim_scale(round((level * 100)::numeric, 4))::text || '%';

	RETURN QUERY
	WITH purchase_day AS MATERIALIZED (
		SELECT DISTINCT t.customer_id, (t.occurred_at)::date AS day
		  FROM @extschema@.bound_transactions t
		  LEFT JOIN @extschema@.bound_customers b ON b.customer_id = t.customer_id
		 WHERE t.customer_id IS NOT NULL AND isfinite(t.occurred_at)
		   AND (t.amount > 0 OR t.amount IS NULL)
		   AND coalesce(b.policy, 'b2c') = settings.name
	), silence AS MATERIALIZED (
		SELECT d.customer_id, d.day,
			   (lead(d.day) OVER w) IS NOT NULL AS ended,
			   coalesce(lead(d.day) OVER w - d.day, greatest(0, today - d.day)) AS length_days
		  FROM purchase_day d
		WINDOW w AS (PARTITION BY d.customer_id ORDER BY d.day)
	), gap_stats AS (
		SELECT count(*) FILTER (WHERE s.ended) AS gaps,
			   count(DISTINCT s.customer_id) FILTER (WHERE s.ended) AS gap_customers,
			   count(*) AS silences,
			   count(*) FILTER (WHERE NOT s.ended) AS open_silences,
			   count(DISTINCT s.customer_id) AS buyers,
			   percentile_disc(fractions) WITHIN GROUP (ORDER BY s.length_days)
				   FILTER (WHERE s.ended) AS q
		  FROM silence s
	), percentile AS (
		SELECT k.ord, fractions[k.ord] AS fraction, k.name, k.target, k.ordinal, g.q[k.ord] AS gap_days,
			   CASE WHEN k.ord > 1 AND g.q[k.ord] = g.q[k.ord - 1] THEN k.previous END AS same_as,
			   (SELECT count(*) FROM silence s WHERE s.ended AND s.length_days <= g.q[k.ord]) AS at_or_below,
			   g.gaps, g.gap_customers, g.buyers
		  FROM gap_stats g
		 CROSS JOIN (VALUES (1, 'gap_p80', 'at_risk_after', '80th', NULL),
							(2, 'gap_p90', 'dormant_after', '90th', 'gap_p80'),
							(3, 'gap_p95', 'lapsed_after', '95th', 'gap_p90'))
			   AS k(ord, name, target, ordinal, previous)
	), step AS (
		-- Kaplan-Meier: at each length, the silences still running up to it
		-- (at risk) and those that end there in a purchase.
		SELECT s.length_days, count(*) FILTER (WHERE s.ended) AS ended,
			   sum(count(*)) OVER (ORDER BY s.length_days DESC) AS at_risk
		  FROM silence s
		 GROUP BY s.length_days
	), survival AS (
		SELECT st.length_days, st.ended, st.at_risk,
			   CASE WHEN bool_or(st.ended = st.at_risk) OVER upto THEN 0::double precision
					ELSE exp(sum(CASE WHEN st.ended > 0 AND st.ended < st.at_risk
									  THEN ln(1 - st.ended::double precision / st.at_risk::double precision)
									  ELSE 0 END) OVER upto) END AS surviving
		  FROM step st
		WINDOW upto AS (ORDER BY st.length_days)
	), curve AS (
		SELECT min(v.surviving) AS never_again,
			   max(v.length_days) FILTER (WHERE v.ended > 0) AS longest_gap
		  FROM survival v
	), chance AS (
		-- The chance of another purchase after d silent days changes only at
		-- the lengths where gaps end; d = 0 is right after a purchase.
		SELECT c.length_days AS silent_days, 1 - k.never_again / c.surviving AS p
		  FROM (SELECT 0 AS length_days, 1::double precision AS surviving
				UNION ALL
				SELECT v.length_days, v.surviving FROM survival v WHERE v.ended > 0 AND v.length_days > 0) c
		 CROSS JOIN curve k
		 WHERE c.surviving > 0
	), repurchase AS (
		SELECT r.silent_days,
			   (SELECT ch.p FROM chance ch WHERE ch.silent_days = r.silent_days) AS p,
			   (SELECT ch.p FROM chance ch WHERE ch.silent_days < r.silent_days
				 ORDER BY ch.silent_days DESC LIMIT 1) AS p_before,
			   (SELECT ch.p FROM chance ch WHERE ch.silent_days = 0) AS p_after_purchase,
			   (SELECT count(*) FROM silence s
				 WHERE s.length_days > r.silent_days OR (NOT s.ended AND s.length_days = r.silent_days)) AS beyond,
			   (SELECT count(*) FROM silence s WHERE s.ended AND s.length_days > r.silent_days) AS came_back
		  FROM (SELECT min(ch.silent_days) FILTER (WHERE ch.p < level) AS silent_days FROM chance ch) r
	), contact AS MATERIALIZED (
		-- Logged contacts of the policy's buyers whose 30-day window has
		-- closed by as_of.
		SELECT l.customer_id, l.contacted_at, (l.contacted_at)::date AS day, l.outcome
		  FROM @extschema@.contact_log l
		 WHERE (l.contacted_at)::date <= today - 30
		   AND l.outcome IS DISTINCT FROM 'bounced'
		   AND l.customer_id IN (SELECT d.customer_id FROM purchase_day d)
	), contact_purchase AS (
		-- Contacts and purchase days in one timeline per customer, so that a
		-- window finds the last purchase day on or before each contact (on a
		-- contact's day, the purchase comes first).
		SELECT e.customer_id, e.contacted_at, e.day, e.outcome, e.purchase,
			   max(e.day) FILTER (WHERE e.purchase)
				   OVER (PARTITION BY e.customer_id ORDER BY e.day, e.purchase DESC
						 ROWS UNBOUNDED PRECEDING) AS last_day
		  FROM (SELECT c.customer_id, c.contacted_at, c.day, c.outcome, false AS purchase
				  FROM contact c
				UNION ALL
				SELECT d.customer_id, NULL, d.day, NULL, true
				  FROM purchase_day d
				 WHERE d.customer_id IN (SELECT c.customer_id FROM contact c)) e
	), contact_silence AS (
		-- The silence each contact falls in tells the next purchase day.
		SELECT c.customer_id, c.contacted_at, c.day, c.outcome, c.last_day,
			   CASE WHEN s.ended THEN s.day + s.length_days END AS next_day
		  FROM contact_purchase c
		  JOIN silence s ON s.customer_id = c.customer_id AND s.day = c.last_day
		 WHERE NOT c.purchase
	), contact_interest AS (
		-- The same with behaviour activities: the first one after each contact.
		SELECT e.customer_id, e.contacted_at, e.day, e.outcome, e.last_day, e.next_day, e.activity,
			   min(e.at) FILTER (WHERE e.activity)
				   OVER (PARTITION BY e.customer_id ORDER BY e.at DESC, e.activity
						 ROWS UNBOUNDED PRECEDING) AS next_interest
		  FROM (SELECT c.customer_id, c.contacted_at, c.day, c.outcome, c.last_day, c.next_day,
					   c.contacted_at AS at, false AS activity
				  FROM contact_silence c
				UNION ALL
				SELECT a.customer_id, NULL, NULL, NULL, NULL, NULL, a.occurred_at, true
				  FROM @extschema@.bound_activities a
				  JOIN @extschema@.activity_kind k ON k.kind = a.kind
				 WHERE k.axis = 'behaviour'
				   AND a.customer_id IN (SELECT c.customer_id FROM contact c)) e
	), response AS (
		SELECT i.customer_id, (i.day - i.last_day) / 30 AS bin,
			   coalesce(i.outcome = ANY (ARRAY['replied', 'meeting', 'purchased']::@extschema@.outcome[]), false)
			   OR coalesce(i.next_day <= i.day + 30, false)
			   OR coalesce(i.next_interest <= i.contacted_at + interval '30 days', false) AS responded
		  FROM contact_interest i
		 WHERE NOT i.activity
	), bin AS (
		SELECT r.bin, count(*) AS contacts, count(*) FILTER (WHERE r.responded) AS responses,
			   count(*) FILTER (WHERE r.responded)::double precision / count(*) AS rate,
			   count(*) >= 10 AS judged
		  FROM response r
		 GROUP BY r.bin
	), first_bin AS (
		SELECT b.bin, b.contacts, b.responses, b.rate
		  FROM bin b WHERE b.judged ORDER BY b.bin LIMIT 1
	), response_drop AS (
		SELECT (SELECT count(*) FROM response) AS contacts,
			   (SELECT count(DISTINCT r.customer_id) FROM response r) AS contacted,
			   (SELECT count(*) FROM bin b WHERE b.judged) AS judged_bins,
			   f.bin AS first_bin, f.rate AS baseline, f.contacts AS first_contacts, f.responses AS first_responses,
			   (SELECT min(b.bin) FROM bin b WHERE b.judged AND b.bin > f.bin AND b.rate < f.rate / 2) AS drop_bin,
			   (SELECT jsonb_agg(jsonb_build_object('from_days', b.bin * 30, 'to_days', b.bin * 30 + 29,
													'contacts', b.contacts, 'responses', b.responses,
													'rate', round(b.rate::numeric, 4), 'judged', b.judged)
								 ORDER BY b.bin)
				  FROM bin b) AS bins
		  FROM (SELECT 1) one
		  LEFT JOIN first_bin f ON true
	)
	SELECT x.measure, x.threshold, x.proposed, x.current_value, x.basis, x.customers, x.observations,
		   x.note, x.detail
	  FROM (
		SELECT p.ord, p.name AS measure, p.target AS threshold,
			   make_interval(days => p.gap_days) AS proposed,
			   CASE p.target WHEN 'at_risk_after' THEN settings.at_risk_after
							 WHEN 'dormant_after' THEN settings.dormant_after
							 ELSE settings.lapsed_after END AS current_value,
			   p.ordinal || ' percentile of the gaps between consecutive purchase days' AS basis,
			   p.gap_customers AS customers, p.gaps AS observations,
			   nullif(concat_ws('; ',
				   CASE WHEN p.buyers = 0 THEN 'no purchases by customers of the policy'
						WHEN p.gaps = 0 THEN 'no customer of the policy bought on two different days' END,
				   CASE WHEN p.gaps BETWEEN 1 AND 19 THEN format('few gaps (%s): a rough figure', p.gaps) END,
				   CASE WHEN p.same_as IS NOT NULL
						THEN format('same as %s, but a policy''s thresholds must increase', p.same_as) END), '') AS note,
			   CASE WHEN p.gaps > 0 THEN jsonb_build_object('fraction', p.fraction, 'gap_days', p.gap_days,
															 'gaps_at_or_below', p.at_or_below) END AS detail
		  FROM percentile p
		UNION ALL
		SELECT 4, 'repurchase_chance', 'dormant_after',
			   CASE WHEN r.silent_days > 0 THEN make_interval(days => r.silent_days) END,
			   settings.dormant_after,
			   format('shortest silence after which the chance of another purchase is below %s (Kaplan-Meier, open silences censored)',
					  level_text),
			   g.buyers, g.silences,
			   CASE WHEN g.silences = 0 THEN 'no purchases by customers of the policy'
					WHEN g.gaps = 0 THEN 'no customer of the policy bought on two different days'
					WHEN k.never_again = 0
						THEN format('no silence is still open at the longest gap (%s days): the share that never buys again cannot be estimated',
									k.longest_gap)
					WHEN r.silent_days = 0
						THEN format('the chance of another purchase is %s right after a purchase, already below %s',
									trim_scale(round((r.p * 100)::numeric, 1))::text || '%', level_text)
					WHEN r.beyond < 20 THEN format('few silences lasted %s days (%s): a rough figure', r.silent_days, r.beyond)
			   END,
			   CASE WHEN g.gaps > 0 THEN jsonb_build_object(
				   'level', level,
				   'chance_after_purchase', round(r.p_after_purchase::numeric, 4),
				   'chance_day_before', round(r.p_before::numeric, 4),
				   'chance_at_proposed', CASE WHEN r.silent_days > 0 THEN round(r.p::numeric, 4) END,
				   'never_again', round(k.never_again::numeric, 4),
				   'longest_gap_days', k.longest_gap,
				   'gaps', g.gaps,
				   'open_silences', g.open_silences,
				   'silent_at_proposed', CASE WHEN r.silent_days > 0 THEN r.beyond END,
				   'came_back_after_proposed', CASE WHEN r.silent_days > 0 THEN r.came_back END) END
		  FROM gap_stats g CROSS JOIN curve k CROSS JOIN repurchase r
		UNION ALL
		SELECT 5, 'response_drop', 'dormant_after',
			   make_interval(days => (d.drop_bin * 30)::integer),
			   settings.dormant_after,
			   'first 30-day bin of silence at contact with a response rate under half that of the first bin of 10 or more contacts',
			   d.contacted, d.contacts,
			   CASE WHEN d.contacts = 0
						THEN 'no contacts to judge: none logged after a purchase of a customer of the policy, 30 days or more before as_of'
					WHEN d.judged_bins < 2
						THEN format('not enough contacts: 2 bins of 30 days with 10 or more contacts are needed, there are %s', d.judged_bins)
					WHEN d.baseline = 0
						THEN format('no responses in the first bin (%s-%s days)', d.first_bin * 30, d.first_bin * 30 + 29)
					WHEN d.drop_bin IS NULL
						THEN format('the response rate never falls below half of %s',
									trim_scale(round((d.baseline * 100)::numeric, 1))::text || '%')
			   END,
			   CASE WHEN d.contacts > 0 THEN jsonb_build_object(
				   'bin_days', 30,
				   'min_contacts', 10,
				   'first_bin', CASE WHEN d.first_bin IS NOT NULL THEN jsonb_build_object(
					   'from_days', d.first_bin * 30, 'contacts', d.first_contacts,
					   'responses', d.first_responses, 'rate', round(d.baseline::numeric, 4)) END,
				   'bins', d.bins) END
		  FROM response_drop d
	  ) x
	 ORDER BY x.ord;
END
$$;
COMMENT ON FUNCTION @extschema@.suggest_thresholds(text, double precision) IS 'Proposed at_risk_after, dormant_after and lapsed_after of a policy from its customers'' purchase gaps, chance of another purchase and response to contacts, with the counts behind each figure and the current values; changes nothing';
