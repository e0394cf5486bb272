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
		-- Each target with its policy's offsets and the channels it allows,
		-- in the playbook's order for each phase.  After a bounce, the phase
		-- is retried on a channel after the one that bounced.
		SELECT t.*, ARRAY[p.follow_up_days, p.final_offer_days, p.nurture_days, p.nurture_every_days] AS offsets,
			   p.consent_default
		  FROM targets t
		  JOIN @extschema@.policy p ON p.name = t.policy
	), options AS (
		SELECT t.customer_id, pb.phase, pb.channel, pb.action,
			   row_number() OVER (PARTITION BY t.customer_id, pb.phase ORDER BY pb.preference) AS choice
		  FROM planned t
		  JOIN @extschema@.playbook pb ON pb.tier = t.tier
		  JOIN @extschema@.channel ch ON ch.channel = pb.channel
		 WHERE @extschema@.channel_allowed(ch.consent, t.email_ok, t.phone_ok, t.mail_ok, t.consent_default)
		   AND NOT (t.last_outcome = 'bounced' AND pb.phase = t.last_phase
					AND pb.preference <= coalesce(
						(SELECT max(b.preference) FROM @extschema@.playbook b
						  WHERE b.tier = t.tier AND b.phase = t.last_phase AND b.channel = t.last_channel), 0))
	), nominal AS (
		-- Every remaining phase of each target, dated as if every channel
		-- had room, with the first channel it allows (none: NULL) and that
		-- channel's capacity.
		SELECT t.customer_id, n.phase, n.k, n.due_on, o.channel, o.action, c.daily_capacity,
			   t.content, t.tier, t.score, t.offsets, t.fiscal_year_end
		  FROM planned t
		 CROSS JOIN clock
		 CROSS JOIN LATERAL @extschema@.contact_plan((t.last_phase)::text, t.last_day, (t.last_outcome)::text,
													 clock.today, t.offsets, clock.holidays, t.fiscal_year_end)
					  WITH ORDINALITY AS n(phase, due_on, k)
		  LEFT JOIN options o ON o.customer_id = t.customer_id AND o.phase = (n.phase)::@extschema@.phase AND o.choice = 1
		  LEFT JOIN @extschema@.channel c ON c.channel = o.channel
	)
	-- Then each contact on the first business day its channel has room,
	-- over every phase: a contact moved moves the customer's later ones.
	SELECT n.customer_id COLLATE pg_catalog."default", (n.phase)::@extschema@.phase,
		   @extschema@.within_capacity(n.customer_id, n.phase, n.due_on, n.channel, n.daily_capacity, n.score,
									   n.offsets, clock.holidays, n.fiscal_year_end)
			   OVER (ORDER BY n.customer_id COLLATE pg_catalog."C", n.k),
		   n.channel, n.action, n.content, n.tier, n.score
	  FROM nominal n
	 CROSS JOIN clock
	 -- A customer whose next contact has no permitted channel is not
	 -- scheduled.
	 WHERE n.customer_id IN (SELECT f.customer_id FROM nominal f WHERE f.k = 1 AND f.channel IS NOT NULL);
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
