-- The contact sequence: its phases, channels, playbook, calendar, and the
-- log of contacts made, which drives it.

CREATE TYPE @extschema@.phase AS ENUM ('first_contact', 'follow_up', 'final_offer', 'nurture');
COMMENT ON TYPE @extschema@.phase IS 'Phase of a contact sequence: first_contact, follow_up (a week later), final_offer (two weeks after), then nurture';

CREATE TYPE @extschema@.outcome AS ENUM ('no_response', 'replied', 'meeting', 'purchased', 'bounced', 'opted_out');
COMMENT ON TYPE @extschema@.outcome IS 'Outcome of a contact: no_response moves to the next phase; replied, meeting and purchased end the sequence; bounced retries on the next channel; opted_out churns the customer for good';

CREATE TABLE @extschema@.contact_log (
	customer_id text COLLATE pg_catalog."C" NOT NULL,
	phase @extschema@.phase NOT NULL,
	channel text NOT NULL,
	contacted_at timestamptz NOT NULL,
	outcome @extschema@.outcome,
	note text
);
CREATE INDEX contact_log_customer ON @extschema@.contact_log (customer_id, contacted_at);
COMMENT ON TABLE @extschema@.contact_log IS 'Contacts made, appended by the team or their tools; drives the contact schedule';
COMMENT ON COLUMN @extschema@.contact_log.customer_id IS 'Customer key, as text';
COMMENT ON COLUMN @extschema@.contact_log.phase IS 'Phase of the sequence the contact was';
COMMENT ON COLUMN @extschema@.contact_log.channel IS 'Channel used';
COMMENT ON COLUMN @extschema@.contact_log.contacted_at IS 'When the contact was made';
COMMENT ON COLUMN @extschema@.contact_log.outcome IS 'Outcome; NULL while unknown, which counts as no_response';
COMMENT ON COLUMN @extschema@.contact_log.note IS 'Free text';
SELECT pg_catalog.pg_extension_config_dump('dormant.contact_log', '');

CREATE TABLE @extschema@.holiday (
	day date PRIMARY KEY,
	name text
);
COMMENT ON TABLE @extschema@.holiday IS 'Days on which no contact is due, besides Saturdays and Sundays; fill it with your country''s public holidays';
COMMENT ON COLUMN @extschema@.holiday.day IS 'The holiday';
COMMENT ON COLUMN @extschema@.holiday.name IS 'Its name';
SELECT pg_catalog.pg_extension_config_dump('dormant.holiday', '');

CREATE TABLE @extschema@.channel (
	channel text PRIMARY KEY,
	daily_capacity integer,
	consent text NOT NULL,
	CONSTRAINT channel_capacity_positive CHECK (daily_capacity OPERATOR(pg_catalog.>) 0),
	CONSTRAINT channel_consent_known
		CHECK (consent OPERATOR(pg_catalog.=) ANY (ARRAY['email_ok', 'phone_ok', 'mail_ok']))
);
COMMENT ON TABLE @extschema@.channel IS 'Contact channels, how many contacts a day each can take, and which permission each needs';
COMMENT ON COLUMN @extschema@.channel.channel IS 'Channel name, as used in dormant.playbook and dormant.contact_log';
COMMENT ON COLUMN @extschema@.channel.daily_capacity IS 'Most contacts due on one day; NULL for no limit';
COMMENT ON COLUMN @extschema@.channel.consent IS 'Permission of the bound customers that the channel needs: email_ok, phone_ok or mail_ok';
INSERT INTO @extschema@.channel (channel, daily_capacity, consent) VALUES
	('phone', NULL, 'phone_ok'),
	('email', NULL, 'email_ok'),
	('mail', NULL, 'mail_ok'),
	('visit', NULL, 'phone_ok');
CREATE TRIGGER channel_replace_shipped
	BEFORE INSERT ON @extschema@.channel
	FOR EACH ROW EXECUTE FUNCTION @extschema@.replace_shipped_row('channel', 'phone', 'email', 'mail', 'visit');
SELECT pg_catalog.pg_extension_config_dump('dormant.channel', '');

CREATE TABLE @extschema@.playbook (
	tier @extschema@.tier NOT NULL,
	phase @extschema@.phase NOT NULL,
	preference smallint NOT NULL,
	-- deferred: restoring an edited shipped channel deletes and inserts it
	channel text NOT NULL REFERENCES @extschema@.channel ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED,
	action text NOT NULL,
	PRIMARY KEY (tier, phase, preference),
	CONSTRAINT playbook_preference_positive CHECK (preference OPERATOR(pg_catalog.>) 0)
);
COMMENT ON TABLE @extschema@.playbook IS 'What to do in each phase for each tier, by channel in order of preference';
COMMENT ON COLUMN @extschema@.playbook.tier IS 'Priority tier';
COMMENT ON COLUMN @extschema@.playbook.phase IS 'Phase of the sequence';
COMMENT ON COLUMN @extschema@.playbook.preference IS 'Order in which channels are tried: 1 first; the next is used when the customer has not allowed a channel, or a contact bounced';
COMMENT ON COLUMN @extschema@.playbook.channel IS 'Channel';
COMMENT ON COLUMN @extschema@.playbook.action IS 'What to do';
INSERT INTO @extschema@.playbook (tier, phase, preference, channel, action) VALUES
	('high', 'first_contact', 1, 'phone', 'Call personally to set a meeting'),
	('high', 'first_contact', 2, 'visit', 'Visit to set a meeting'),
	('high', 'first_contact', 3, 'email', 'Write personally to set a meeting'),
	('high', 'follow_up', 1, 'phone', 'No reply: follow up from a different person'),
	('high', 'follow_up', 2, 'email', 'No reply: follow up from a different person'),
	('high', 'final_offer', 1, 'visit', 'Present a concrete proposal for their business problem'),
	('high', 'final_offer', 2, 'email', 'Send a concrete proposal for their business problem'),
	('high', 'nurture', 1, 'email', 'Send periodic information; re-approach in 3 months'),
	('mid', 'first_contact', 1, 'email', 'Check-in mail: any trouble?'),
	('mid', 'first_contact', 2, 'mail', 'Check-in letter: any trouble?'),
	('mid', 'follow_up', 1, 'email', 'Send a case study of a peer company'),
	('mid', 'follow_up', 2, 'mail', 'Send a case study of a peer company'),
	('mid', 'final_offer', 1, 'email', 'Short survey to confirm interest'),
	('mid', 'final_offer', 2, 'phone', 'Short survey call to confirm interest'),
	('mid', 'nurture', 1, 'email', 'Send periodic information'),
	('mid', 'nurture', 2, 'mail', 'Send periodic information'),
	('low', 'first_contact', 1, 'email', 'Low-pressure survey invitation'),
	('low', 'first_contact', 2, 'mail', 'Low-pressure survey invitation'),
	('low', 'follow_up', 1, 'email', 'Light reminder'),
	('low', 'follow_up', 2, 'mail', 'Light reminder'),
	('low', 'final_offer', 1, 'email', 'Re-evaluate, then move to nurture'),
	('low', 'final_offer', 2, 'mail', 'Re-evaluate, then move to nurture'),
	('low', 'nurture', 1, 'email', 'Periodic information; re-approach in 3 months'),
	('low', 'nurture', 2, 'mail', 'Periodic information; re-approach in 3 months');
-- pg_dump restores the user's rows after CREATE EXTENSION has inserted the
-- shipped ones: a row with an existing key replaces it.
CREATE FUNCTION @extschema@.replace_playbook_row()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	DELETE FROM @extschema@.playbook p
	 WHERE p.tier = NEW.tier AND p.phase = NEW.phase AND p.preference = NEW.preference;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.replace_playbook_row() IS 'Trigger: a playbook row inserted under an existing tier, phase and preference replaces it';
CREATE TRIGGER playbook_replace_row
	BEFORE INSERT ON @extschema@.playbook
	FOR EACH ROW EXECUTE FUNCTION @extschema@.replace_playbook_row();
SELECT pg_catalog.pg_extension_config_dump('dormant.playbook', '');

GRANT SELECT ON @extschema@.holiday, @extschema@.channel, @extschema@.playbook TO PUBLIC;

-- Whether a customer allows a channel: the permission the channel needs,
-- or the policy's default where the permission is unknown.
CREATE FUNCTION @extschema@.channel_allowed(consent text, email_ok boolean, phone_ok boolean,
											mail_ok boolean, consent_default boolean)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT coalesce(CASE consent WHEN 'email_ok' THEN email_ok
								 WHEN 'phone_ok' THEN phone_ok
								 WHEN 'mail_ok' THEN mail_ok END,
					consent_default, false);
END;
COMMENT ON FUNCTION @extschema@.channel_allowed(text, boolean, boolean, boolean, boolean) IS 'Whether a channel needing the given permission may be used, a NULL permission counting as the policy''s default';

-- Why a scored customer's next contact has no channel (src/missing_channel.c):
-- the same phase and channel rules as the schedule's, so that contact_note
-- says why exactly the customers the schedule leaves out are left out.
CREATE FUNCTION @extschema@.missing_channel(tier @extschema@.tier, last_phase text, last_channel text,
											last_outcome text, email_ok boolean, phone_ok boolean,
											mail_ok boolean, consent_default boolean)
RETURNS text
AS 'MODULE_PATHNAME', 'dormant_missing_channel'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.missing_channel(@extschema@.tier, text, text, text, boolean, boolean, boolean, boolean) IS 'NULL when the next contact after the logged one (or the first) has a permitted channel in the playbook, or when the sequence has ended; else why not: no permitted channel for the phase, or none left after a bounce';

CREATE FUNCTION @extschema@.contact_plan(last_phase text, last_contacted date, last_outcome text,
										 start date, offsets integer[], holidays date[],
										 fiscal_year_end smallint DEFAULT NULL,
										 OUT phase text, OUT due_on date)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'dormant_contact_plan'
LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 4;
COMMENT ON FUNCTION @extschema@.contact_plan(text, date, text, date, integer[], date[], smallint) IS 'Remaining phases of a contact sequence and their business-day due dates, from the last logged contact; nurture moves into the budget months around a known fiscal year end';
