-- The contact schedule: every remaining phase of each prioritized
-- customer's sequence, on business days, by a permitted channel, within
-- each channel's daily capacity on every day and in every phase.

-- The day each contact is due once no channel takes more than its daily
-- capacity on any business day, over every phase of every customer: a
-- window function, since one contact moved by capacity moves the
-- customer's later ones, which then compete with other customers' contacts
-- (the rule is in src/capacity.c and the README).
CREATE FUNCTION @extschema@.within_capacity(customer_id text, phase text, due_on date, channel text,
											daily_capacity integer, score double precision,
											offsets integer[], holidays date[], fiscal_year_end smallint)
RETURNS date
AS 'MODULE_PATHNAME', 'dormant_within_capacity'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.within_capacity(text, text, date, text, integer, double precision, integer[], date[], smallint) IS 'Window function over the contacts of every customer, ordered by customer_id (COLLATE "C") and phase: the business day each is due when no channel takes more than its daily capacity, later phases following the earlier ones';

-- Written once, live (false) or from the last refresh's snapshot (true).
CREATE FUNCTION @extschema@.schedule_rows(stored boolean)
RETURNS TABLE (
	customer_id text,
	phase @extschema@.phase,
	due_on date,
	channel text,
	action text,
	content text,
	tier @extschema@.tier,
	score double precision
)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	WITH clock AS (
		SELECT (@extschema@.as_of())::date AS today,
			   (SELECT coalesce(array_agg(h.day), '{}') FROM @extschema@.holiday h) AS holidays
	), targets AS (
		SELECT s.customer_id, s.tier, s.score, s.content, s.policy,
			   s.email_ok, s.phone_ok, s.mail_ok, s.fiscal_year_end, s.last_phase, s.last_channel, s.last_outcome,
			   (s.last_contact_at)::date AS last_day
		  FROM @extschema@.customer_rows(false) s
		 WHERE NOT stored AND s.score IS NOT NULL AND s.contact_note IS NULL
		UNION ALL
		SELECT s.customer_id, s.tier, s.score, s.content, s.policy,
			   s.email_ok, s.phone_ok, s.mail_ok, s.fiscal_year_end, s.last_phase, s.last_channel, s.last_outcome,
			   (s.last_contact_at)::date
		  FROM @extschema@.customer_snapshot s
		 WHERE stored AND s.score IS NOT NULL AND s.contact_note IS NULL
	), planned AS (
		-- Each target with its policy's offsets.  After a bounce, the phase
		-- is retried on a channel the playbook lists after the one that
		-- bounced (retry_after: its preference; 0 when not listed).
		SELECT t.*, ARRAY[p.follow_up_days, p.final_offer_days, p.nurture_days, p.nurture_every_days] AS offsets,
			   p.consent_default,
			   CASE WHEN t.last_outcome = 'bounced' THEN
					coalesce((SELECT max(b.preference) FROM @extschema@.playbook b
							   WHERE b.tier = t.tier AND b.phase = t.last_phase AND b.channel = t.last_channel), 0)
			   END AS retry_after
		  FROM targets t
		  JOIN @extschema@.policy p ON p.name = t.policy
	), nominal AS (
		-- Every remaining phase of each target, dated as if every channel
		-- had room, with the first channel of the playbook that the
		-- customer allows for it (none: NULL), and that channel's capacity:
		-- one index lookup per phase.  first_channel is the next contact's.
		SELECT t.customer_id, n.phase, n.k, n.due_on, o.channel, o.action, o.daily_capacity,
			   t.content, t.tier, t.score, t.offsets, t.fiscal_year_end,
			   first_value(o.channel) OVER (PARTITION BY t.customer_id COLLATE pg_catalog."C" ORDER BY n.k) AS first_channel
		  FROM planned t
		 CROSS JOIN clock
		 CROSS JOIN LATERAL @extschema@.contact_plan((t.last_phase)::text, t.last_day, (t.last_outcome)::text,
													 clock.today, t.offsets, clock.holidays, t.fiscal_year_end)
					  WITH ORDINALITY AS n(phase, due_on, k)
		  LEFT JOIN LATERAL (
			SELECT pb.channel, pb.action, ch.daily_capacity
			  FROM @extschema@.playbook pb
			  JOIN @extschema@.channel ch ON ch.channel = pb.channel
			 WHERE pb.tier = t.tier AND pb.phase = (n.phase)::@extschema@.phase
			   AND @extschema@.channel_allowed(ch.consent, t.email_ok, t.phone_ok, t.mail_ok, t.consent_default)
			   AND (t.retry_after IS NULL OR pb.phase <> t.last_phase OR pb.preference > t.retry_after)
			 ORDER BY pb.preference
			 LIMIT 1) o ON true
	)
	-- Then each contact on the first business day its channel has room,
	-- over every phase: a contact moved moves the customer's later ones.
	-- The holidays come as a subquery, evaluated once: as a column, they
	-- would be copied into every row the window keeps.
	SELECT n.customer_id COLLATE pg_catalog."default", (n.phase)::@extschema@.phase,
		   @extschema@.within_capacity(n.customer_id, n.phase, n.due_on, n.channel, n.daily_capacity, n.score,
									   n.offsets, (SELECT c.holidays FROM clock c), n.fiscal_year_end)
			   OVER (ORDER BY n.customer_id COLLATE pg_catalog."C", n.k),
		   n.channel, n.action, n.content, n.tier, n.score
	  FROM nominal n
	 -- A customer whose next contact has no permitted channel is not
	 -- scheduled.
	 WHERE n.first_channel IS NOT NULL;
END;
COMMENT ON FUNCTION @extschema@.schedule_rows(boolean) IS 'The contact schedule, live (false) or from the last refresh (true); read it through dormant.contact_schedule';

CREATE VIEW @extschema@.contact_schedule WITH (security_invoker = true) AS
SELECT * FROM @extschema@.schedule_rows(false);
COMMENT ON VIEW @extschema@.contact_schedule IS 'Every remaining phase of each prioritized customer''s contact sequence, live as of dormant.as_of()';
COMMENT ON COLUMN @extschema@.contact_schedule.customer_id IS 'Customer key, as text';
COMMENT ON COLUMN @extschema@.contact_schedule.phase IS 'Phase of the sequence';
COMMENT ON COLUMN @extschema@.contact_schedule.due_on IS 'Business day the contact is due, in the session''s TimeZone';
COMMENT ON COLUMN @extschema@.contact_schedule.channel IS 'Channel: the first the playbook lists for the phase that the customer allows; NULL when none is allowed for this phase';
COMMENT ON COLUMN @extschema@.contact_schedule.action IS 'What to do, from the playbook';
COMMENT ON COLUMN @extschema@.contact_schedule.content IS 'Content to offer, from the customer''s reason';
COMMENT ON COLUMN @extschema@.contact_schedule.tier IS 'Priority tier';
COMMENT ON COLUMN @extschema@.contact_schedule.score IS 'Priority score';

CREATE TABLE @extschema@.schedule_snapshot AS
SELECT r.*, NULL::timestamptz AS as_of, NULL::bigint AS refresh_id
  FROM @extschema@.schedule_rows(true) r
WITH NO DATA;
COMMENT ON TABLE @extschema@.schedule_snapshot IS 'dormant.contact_schedule as of the last refresh';
SELECT pg_catalog.pg_extension_config_dump('dormant.schedule_snapshot', '');
