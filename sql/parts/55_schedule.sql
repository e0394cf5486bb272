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
COMMENT ON FUNCTION @extschema@.within_capacity(text, text, date, text, integer, double precision, integer[], date[], smallint) IS 'Window function over the contacts of every customer, ordered by customer_id (COLLATE "C"), each customer''s taken in phase order: the business day each is due when no channel takes more than its daily capacity, later phases following the earlier ones';

-- Each customer's remaining contacts with the channel of each, as
-- contact_plan dates them and as channel_allowed and the playbook choose:
-- in C, reading the playbook once per query, since a lookup per contact
-- in SQL is a subquery per row (the rule is in src/planned_contacts.c).
CREATE FUNCTION @extschema@.planned_contacts(last_phase text, last_contacted date, last_outcome text,
											 start date, offsets integer[], holidays date[],
											 fiscal_year_end smallint, last_channel text,
											 tier @extschema@.tier, email_ok boolean, phone_ok boolean,
											 mail_ok boolean, consent_default boolean,
											 OUT phase @extschema@.phase, OUT due_on date, OUT channel text,
											 OUT action text, OUT daily_capacity integer)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'dormant_planned_contacts'
LANGUAGE C STABLE PARALLEL SAFE ROWS 4;
COMMENT ON FUNCTION @extschema@.planned_contacts(text, date, text, date, integer[], date[], smallint, text, @extschema@.tier, boolean, boolean, boolean, boolean) IS 'Remaining phases of a customer''s contact sequence as contact_plan dates them, each with the first channel of the playbook the customer allows (after a bounce, one listed after the channel that bounced), its action and daily capacity; no rows when the next contact has no permitted channel';

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
		SELECT t.*, ARRAY[p.follow_up_days, p.final_offer_days, p.nurture_days, p.nurture_every_days] AS offsets,
			   p.consent_default
		  FROM targets t
		  JOIN @extschema@.policy p ON p.name = t.policy
		 -- in the order within_capacity takes them: a few hundred thousand
		 -- customers sorted here, not every one of their contacts after
		 ORDER BY t.customer_id COLLATE pg_catalog."C"
	), nominal AS (
		-- Every remaining phase of each target, dated as if every channel
		-- had room, with the first channel of the playbook that the
		-- customer allows for it (none: NULL), and that channel's capacity.
		-- After a bounce, the phase is retried on a channel the playbook
		-- lists after the one that bounced.  A customer whose next contact
		-- has no permitted channel has no rows: it is not scheduled.
		SELECT t.customer_id, n.phase, n.due_on, n.channel, n.action, n.daily_capacity,
			   t.content, t.tier, t.score, t.offsets, t.fiscal_year_end
		  FROM planned t
		 CROSS JOIN clock
		 CROSS JOIN LATERAL @extschema@.planned_contacts((t.last_phase)::text, t.last_day, (t.last_outcome)::text,
														 clock.today, t.offsets, clock.holidays, t.fiscal_year_end,
														 t.last_channel, t.tier, t.email_ok, t.phone_ok, t.mail_ok,
														 t.consent_default)
					  n
	)
	-- Then each contact on the first business day its channel has room,
	-- over every phase: a contact moved moves the customer's later ones.
	-- within_capacity takes each customer's rows in phase order itself, so
	-- the rows need only be in customer order, which the targets are put
	-- in before they are planned.
	-- The holidays come as a subquery, evaluated once: as a column, they
	-- would be copied into every row the window keeps.
	SELECT n.customer_id COLLATE pg_catalog."default", n.phase,
		   @extschema@.within_capacity(n.customer_id, (n.phase)::text, n.due_on, n.channel, n.daily_capacity, n.score,
									   n.offsets, (SELECT c.holidays FROM clock c), n.fiscal_year_end)
			   OVER (ORDER BY n.customer_id COLLATE pg_catalog."C"),
		   n.channel, n.action, n.content, n.tier, n.score
	  FROM nominal n;
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
