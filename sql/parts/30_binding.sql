-- Bindings: the user's own tables, seen through three fixed views.
--
-- dormant.bind_transactions, bind_activities and bind_customers record a
-- source in dormant.binding; a trigger on that table then redefines the view
-- dormant.bound_<input> over it.  Every other part of the extension reads the
-- bound views only, so the planner sees straight through to the user's
-- tables (parallel scans, indexes, postgres_fdw pushdown).  pg_dump keeps the
-- rows of dormant.binding, and restoring them runs the same trigger, which
-- rebuilds the views.

CREATE FUNCTION @extschema@.as_of()
RETURNS timestamptz
AS 'MODULE_PATHNAME', 'dormant_as_of'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.as_of() IS 'Time the live views are computed as of: the setting dormant.as_of, or now() when it is empty';

-- The views as they stand before anything is bound: the right columns, no rows.
-- Customer keys are text in the "C" collation: they are identifiers, and
-- comparing them byte by byte keeps joins and sorts of millions fast.
CREATE VIEW @extschema@.bound_transactions WITH (security_invoker = true) AS
SELECT NULL::text COLLATE pg_catalog."C" AS customer_id, NULL::timestamptz AS occurred_at, NULL::numeric AS amount
WHERE false;
COMMENT ON VIEW @extschema@.bound_transactions IS 'The bound transactions source, one row per order, contract or invoice line (see dormant.bind_transactions)';

CREATE VIEW @extschema@.bound_activities WITH (security_invoker = true) AS
SELECT NULL::text COLLATE pg_catalog."C" AS customer_id, NULL::timestamptz AS occurred_at, NULL::text AS kind
WHERE false;
COMMENT ON VIEW @extschema@.bound_activities IS 'The bound activities source, one row per event (see dormant.bind_activities)';

CREATE VIEW @extschema@.bound_customers WITH (security_invoker = true) AS
SELECT NULL::text COLLATE pg_catalog."C" AS customer_id, NULL::boolean AS opted_out, NULL::text AS policy,
	   NULL::text AS reason, NULL::real AS fit, NULL::smallint AS fiscal_year_end,
	   NULL::boolean AS email_ok, NULL::boolean AS phone_ok, NULL::boolean AS mail_ok
WHERE false;
COMMENT ON COLUMN @extschema@.bound_transactions.customer_id IS 'Customer key, as text';
COMMENT ON COLUMN @extschema@.bound_transactions.occurred_at IS 'Time of the transaction';
COMMENT ON COLUMN @extschema@.bound_transactions.amount IS 'Amount: positive for a purchase, zero or negative for a refund or correction, NULL for a purchase of unknown value';
COMMENT ON COLUMN @extschema@.bound_activities.customer_id IS 'Customer key, as text';
COMMENT ON COLUMN @extschema@.bound_activities.occurred_at IS 'Time of the activity';
COMMENT ON COLUMN @extschema@.bound_activities.kind IS 'Kind of activity, as listed in dormant.activity_kind';
COMMENT ON COLUMN @extschema@.bound_customers.customer_id IS 'Customer key, as text';
COMMENT ON COLUMN @extschema@.bound_customers.opted_out IS 'Opted out of contact: never scored for marketing nor scheduled';
COMMENT ON COLUMN @extschema@.bound_customers.policy IS 'Name of the policy in dormant.policy; NULL means b2c';
COMMENT ON COLUMN @extschema@.bound_customers.reason IS 'Recorded reason for going dormant';
COMMENT ON COLUMN @extschema@.bound_customers.fit IS 'Fit with the target market, from 0 to 1';
COMMENT ON COLUMN @extschema@.bound_customers.fiscal_year_end IS 'Month (1-12) the customer''s fiscal year ends';
COMMENT ON COLUMN @extschema@.bound_customers.email_ok IS 'May be contacted by e-mail';
COMMENT ON COLUMN @extschema@.bound_customers.phone_ok IS 'May be contacted by phone';
COMMENT ON COLUMN @extschema@.bound_customers.mail_ok IS 'May be contacted by postal mail';
COMMENT ON VIEW @extschema@.bound_customers IS 'The bound customers source, one row per customer; columns missing from the source are NULL (see dormant.bind_customers)';

CREATE TABLE @extschema@.binding (
	input text PRIMARY KEY,
	source regclass NOT NULL,
	customer_column name NOT NULL,
	occurred_at_column name,
	amount_column name,
	kind_column name,
	bound_by name NOT NULL DEFAULT CURRENT_USER,
	bound_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	CONSTRAINT binding_input_known
		CHECK (input OPERATOR(pg_catalog.=) ANY (ARRAY['transactions', 'activities', 'customers'])),
	CONSTRAINT binding_columns_named CHECK (CASE input
		WHEN 'transactions' THEN occurred_at_column IS NOT NULL AND amount_column IS NOT NULL
		WHEN 'activities' THEN occurred_at_column IS NOT NULL AND kind_column IS NOT NULL
		ELSE true END)
);
COMMENT ON TABLE @extschema@.binding IS 'The user''s tables bound as transactions, activities and customers; change through dormant.bind_* and dormant.unbind';
COMMENT ON COLUMN @extschema@.binding.input IS 'transactions, activities or customers';
COMMENT ON COLUMN @extschema@.binding.source IS 'The bound table or view';
COMMENT ON COLUMN @extschema@.binding.customer_column IS 'Column holding the customer key';
COMMENT ON COLUMN @extschema@.binding.occurred_at_column IS 'Column holding the time of the transaction or activity';
COMMENT ON COLUMN @extschema@.binding.amount_column IS 'Column holding the amount of the transaction';
COMMENT ON COLUMN @extschema@.binding.kind_column IS 'Column holding the kind of the activity (see dormant.activity_kind)';
COMMENT ON COLUMN @extschema@.binding.bound_by IS 'Role that made the binding';
COMMENT ON COLUMN @extschema@.binding.bound_at IS 'When the binding was made';
SELECT pg_catalog.pg_extension_config_dump('dormant.binding', '');

-- Customer keys are compared as text across sources, so the sources must
-- agree on what a key is: integers with integers, strings with strings.
CREATE FUNCTION @extschema@.key_family(keytype regtype)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT CASE
		WHEN keytype = ANY (ARRAY['smallint', 'integer', 'bigint']::regtype[]) THEN 'integer'
		WHEN keytype = ANY (ARRAY['text', 'character varying', 'character']::regtype[]) THEN 'string'
		WHEN keytype = 'uuid'::regtype THEN 'uuid'
	END;
END;
COMMENT ON FUNCTION @extschema@.key_family(regtype) IS 'Kind of customer key a column type holds: integer, string or uuid; NULL if it cannot be a key';

-- Type of a column, seen through domains; raises a clear error when the
-- column is missing or the caller may not read it.
CREATE FUNCTION @extschema@.bound_column_type(source regclass, column_name name, purpose text)
RETURNS regtype
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	column_type regtype;
BEGIN
	IF column_name IS NULL THEN
		RAISE EXCEPTION 'the % column must be named', purpose
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	SELECT CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END::regtype
	  INTO column_type
	  FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
	 WHERE a.attrelid = source AND a.attname = column_name
	   AND a.attnum > 0 AND NOT a.attisdropped;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'column "%" of relation % does not exist', column_name, source
			USING ERRCODE = 'undefined_column',
				  HINT = format('Name the %s column of %s.', purpose, source);
	END IF;
	IF NOT has_column_privilege(source, column_name, 'SELECT') THEN
		RAISE EXCEPTION 'permission denied for column "%" of relation %', column_name, source
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = 'Only a table that the binding role can read may be bound.';
	END IF;
	RETURN column_type;
END
$$;
COMMENT ON FUNCTION @extschema@.bound_column_type(regclass, name, text) IS 'Type of a column of a source to bind, checking that it exists and can be read';

CREATE FUNCTION @extschema@.check_input(input text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF input IS NULL OR input <> ALL (ARRAY['transactions', 'activities', 'customers']) THEN
		RAISE EXCEPTION 'unknown input "%"', input
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'The inputs are transactions, activities and customers.';
	END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.check_input(text) IS 'Refuses anything but transactions, activities or customers';

CREATE FUNCTION @extschema@.check_binding()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	relkind "char";
	key_type regtype;
	other record;
	column_type regtype;
BEGIN
	PERFORM @extschema@.check_input(NEW.input);
	SELECT c.relkind INTO relkind FROM pg_class c WHERE c.oid = NEW.source;
	IF relkind IS NULL OR relkind <> ALL (ARRAY['r', 'p', 'v', 'm', 'f']::"char"[]) THEN
		RAISE EXCEPTION '% is not a table, view, materialized view or foreign table', NEW.source
			USING ERRCODE = 'wrong_object_type';
	END IF;

	key_type := @extschema@.bound_column_type(NEW.source, NEW.customer_column, 'customer key');
	IF @extschema@.key_family(key_type) IS NULL THEN
		RAISE EXCEPTION 'column "%" of relation % has type %, which cannot be a customer key',
			NEW.customer_column, NEW.source, key_type
			USING ERRCODE = 'datatype_mismatch',
				  DETAIL = 'Customer keys must be smallint, integer, bigint, text, varchar, char or uuid.';
	END IF;
	FOR other IN
		SELECT b.input, b.source, b.customer_column
		  FROM @extschema@.binding b
		 WHERE b.input <> NEW.input
	LOOP
		column_type := @extschema@.bound_column_type(other.source, other.customer_column, 'customer key');
		IF @extschema@.key_family(column_type) IS DISTINCT FROM @extschema@.key_family(key_type) THEN
			RAISE EXCEPTION 'customer keys of % and % have incompatible types', NEW.source, other.source
				USING ERRCODE = 'datatype_mismatch',
					  DETAIL = format('Column "%s" is %s, but the bound %s use column "%s" of type %s.',
									  NEW.customer_column, key_type, other.input,
									  other.customer_column, column_type);
		END IF;
	END LOOP;

	IF NEW.occurred_at_column IS NOT NULL OR NEW.input <> 'customers' THEN
		column_type := @extschema@.bound_column_type(NEW.source, NEW.occurred_at_column, 'time');
		IF column_type <> ALL (ARRAY['timestamptz', 'timestamp', 'date']::regtype[]) THEN
			RAISE EXCEPTION 'column "%" of relation % has type %, which is not a time',
				NEW.occurred_at_column, NEW.source, column_type
				USING ERRCODE = 'datatype_mismatch',
					  DETAIL = 'The time column must be timestamptz, timestamp or date; timestamp and date are read in the session''s TimeZone.';
		END IF;
	END IF;
	IF NEW.input = 'transactions' THEN
		column_type := @extschema@.bound_column_type(NEW.source, NEW.amount_column, 'amount');
		IF column_type <> ALL (ARRAY['numeric', 'smallint', 'integer', 'bigint', 'real', 'double precision']::regtype[]) THEN
			RAISE EXCEPTION 'column "%" of relation % has type %, which is not an amount',
				NEW.amount_column, NEW.source, column_type
				USING ERRCODE = 'datatype_mismatch',
					  DETAIL = 'The amount column must be numeric, an integer or a floating-point type.';
		END IF;
	END IF;
	IF NEW.input = 'activities' THEN
		column_type := @extschema@.bound_column_type(NEW.source, NEW.kind_column, 'activity kind');
		IF column_type <> ALL (ARRAY['text', 'character varying', 'character']::regtype[])
		   AND NOT EXISTS (SELECT FROM pg_type t WHERE t.oid = column_type AND t.typtype = 'e') THEN
			RAISE EXCEPTION 'column "%" of relation % has type %, which is not an activity kind',
				NEW.kind_column, NEW.source, column_type
				USING ERRCODE = 'datatype_mismatch',
					  DETAIL = 'The kind column must be text, varchar, char or an enum.';
		END IF;
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.check_binding() IS 'Trigger: refuses a binding whose source, columns, types or privileges cannot work';

-- The SELECT list of dormant.bound_customers over a source: the optional
-- columns that the source has, NULL for the others.
CREATE FUNCTION @extschema@.customer_columns(source regclass)
RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT string_agg(
			   CASE WHEN a.attname IS NULL THEN 'NULL'
					ELSE format('%I', a.attname) END
			   || '::' || wanted.type || ' AS ' || wanted.name,
			   ', ' ORDER BY wanted.position)
	  FROM unnest(ARRAY['opted_out', 'policy', 'reason', 'fit', 'fiscal_year_end',
						'email_ok', 'phone_ok', 'mail_ok'],
				  ARRAY['boolean', 'text', 'text', 'real', 'smallint',
						'boolean', 'boolean', 'boolean'])
		   WITH ORDINALITY AS wanted(name, type, position)
	  LEFT JOIN pg_attribute a
		ON a.attrelid = source AND a.attname = wanted.name
	   AND a.attnum > 0 AND NOT a.attisdropped;
END;
COMMENT ON FUNCTION @extschema@.customer_columns(regclass) IS 'Select list of dormant.bound_customers over a bound source';

CREATE FUNCTION @extschema@.define_bound_view()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	view_name text;
	definition text;
BEGIN
	IF TG_OP = 'DELETE' THEN
		view_name := 'bound_' || OLD.input;
		definition := CASE OLD.input
			WHEN 'transactions' THEN
				'NULL::text COLLATE pg_catalog."C" AS customer_id, NULL::timestamptz AS occurred_at, NULL::numeric AS amount'
			WHEN 'activities' THEN
				'NULL::text COLLATE pg_catalog."C" AS customer_id, NULL::timestamptz AS occurred_at, NULL::text AS kind'
			ELSE 'NULL::text COLLATE pg_catalog."C" AS customer_id, ' || @extschema@.customer_columns(0)
		END || ' WHERE false';
	ELSE
		view_name := 'bound_' || NEW.input;
		definition := CASE NEW.input
			WHEN 'transactions' THEN format(
				'%I::text COLLATE pg_catalog."C" AS customer_id, %I::timestamptz AS occurred_at, %I::numeric AS amount',
				NEW.customer_column, NEW.occurred_at_column, NEW.amount_column)
			WHEN 'activities' THEN format(
				'%I::text COLLATE pg_catalog."C" AS customer_id, %I::timestamptz AS occurred_at, %I::text AS kind',
				NEW.customer_column, NEW.occurred_at_column, NEW.kind_column)
			ELSE format('%I::text COLLATE pg_catalog."C" AS customer_id, ', NEW.customer_column)
				 || @extschema@.customer_columns(NEW.source)
		END || ' FROM ' || NEW.source::text;
	END IF;
	EXECUTE format('CREATE OR REPLACE VIEW %I.%I WITH (security_invoker = true) AS SELECT %s',
				   TG_TABLE_SCHEMA, view_name, definition);
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.define_bound_view() IS 'Trigger: redefines dormant.bound_<input> over the bound source, or empties it when the binding is removed';

CREATE TRIGGER binding_check
	BEFORE INSERT OR UPDATE ON @extschema@.binding
	FOR EACH ROW EXECUTE FUNCTION @extschema@.check_binding();
CREATE TRIGGER binding_define_view
	AFTER INSERT OR UPDATE OR DELETE ON @extschema@.binding
	FOR EACH ROW EXECUTE FUNCTION @extschema@.define_bound_view();

CREATE FUNCTION @extschema@.bind(input text, source regclass, customer_column name,
								 occurred_at_column name DEFAULT NULL,
								 amount_column name DEFAULT NULL,
								 kind_column name DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	previous regclass;
	b @extschema@.binding;
BEGIN
	SELECT o.source INTO previous FROM @extschema@.binding o WHERE o.input = bind.input;
	INSERT INTO @extschema@.binding AS o
		(input, source, customer_column, occurred_at_column, amount_column, kind_column)
	VALUES (input, source, customer_column, occurred_at_column, amount_column, kind_column)
	ON CONFLICT ON CONSTRAINT binding_pkey DO UPDATE
	   SET source = EXCLUDED.source,
		   customer_column = EXCLUDED.customer_column,
		   occurred_at_column = EXCLUDED.occurred_at_column,
		   amount_column = EXCLUDED.amount_column,
		   kind_column = EXCLUDED.kind_column,
		   bound_by = EXCLUDED.bound_by,
		   bound_at = EXCLUDED.bound_at
	RETURNING * INTO b;
	IF input = 'transactions' THEN
		PERFORM @extschema@.track_transactions(previous, b);
		INSERT INTO @extschema@.transaction_change (change)
		VALUES (format('transactions bound to %s', source));
	END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.bind(text, regclass, name, name, name, name) IS 'Binds or rebinds a source; used by dormant.bind_transactions, bind_activities and bind_customers';

CREATE FUNCTION @extschema@.bind_transactions(source regclass, customer_column name,
											  occurred_at_column name, amount_column name)
RETURNS void
LANGUAGE sql
BEGIN ATOMIC
	SELECT @extschema@.bind('transactions', source, customer_column, occurred_at_column, amount_column, NULL);
END;
COMMENT ON FUNCTION @extschema@.bind_transactions(regclass, name, name, name) IS 'Binds the orders, contracts or invoices table or view: one row per transaction; a positive amount is a purchase, zero or negative a refund or correction';

-- Unknown kinds are not an error: activity logs carry all sorts of events.
-- Saying how many are skipped lets the user map the ones that matter.
CREATE FUNCTION @extschema@.notice_unknown_kinds()
RETURNS bigint
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	ignored bigint;
	kinds text;
BEGIN
	-- Every activity is read.  With the known kinds written into the query
	-- as a constant, each row's kind is looked up in a hash of them (or
	-- compared with each, when they are few) rather than joined to the
	-- table; and a dynamic query may run in parallel, where a static
	-- SELECT INTO, which asks for one row, never does.  A NULL kind is no known kind, as it was no match for a
	-- NOT EXISTS.  The schema is spelled out, as in the triggers' SQL.
	EXECUTE format(
		'SELECT sum(u.n), string_agg(format(''%%L'', u.kind), '', '' ORDER BY u.n DESC, u.kind)'
		' FROM (SELECT a.kind, count(*) AS n FROM dormant.bound_activities a'
		' WHERE a.kind IS NULL OR a.kind <> ALL (%L::text[]) GROUP BY a.kind) u',
		ARRAY(SELECT k.kind FROM @extschema@.activity_kind k))
	  INTO ignored, kinds;
	IF ignored > 0 THEN
		RAISE NOTICE '% activities of unknown kinds are ignored', ignored
			USING DETAIL = 'Unknown kinds: ' || kinds || '.',
				  HINT = 'Add the kinds that matter to dormant.activity_kind.';
	END IF;
	RETURN coalesce(ignored, 0);
END
$$;
COMMENT ON FUNCTION @extschema@.notice_unknown_kinds() IS 'Counts the bound activities whose kind dormant.activity_kind does not list, in a notice';

CREATE FUNCTION @extschema@.bind_activities(source regclass, customer_column name,
											occurred_at_column name, kind_column name)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	PERFORM @extschema@.bind('activities', source, customer_column, occurred_at_column, NULL, kind_column);
	PERFORM @extschema@.notice_unknown_kinds();
END
$$;
COMMENT ON FUNCTION @extschema@.bind_activities(regclass, name, name, name) IS 'Binds the activities table or view: one row per sign of interest or sales event, its kind mapped by dormant.activity_kind';

CREATE FUNCTION @extschema@.bind_customers(source regclass, customer_column name)
RETURNS void
LANGUAGE sql
BEGIN ATOMIC
	SELECT @extschema@.bind('customers', source, customer_column, NULL, NULL, NULL);
END;
COMMENT ON FUNCTION @extschema@.bind_customers(regclass, name) IS 'Binds the customers table or view; reads the columns opted_out, policy, reason, fit, fiscal_year_end, email_ok, phone_ok and mail_ok where present';

CREATE FUNCTION @extschema@.unbind(input text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	previous regclass;
BEGIN
	PERFORM @extschema@.check_input(input);
	DELETE FROM @extschema@.binding b WHERE b.input = unbind.input
	RETURNING b.source INTO previous;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no % are bound', input
			USING ERRCODE = 'undefined_object';
	END IF;
	IF input = 'transactions' THEN
		PERFORM @extschema@.track_transactions(previous, NULL);
		INSERT INTO @extschema@.transaction_change (change) VALUES ('transactions unbound');
	END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.unbind(text) IS 'Removes the binding of transactions, activities or customers';

-- What each activity kind means.  Users add their own kinds and edit these.
CREATE TABLE @extschema@.activity_kind (
	kind text PRIMARY KEY,
	axis text NOT NULL,
	weight real NOT NULL DEFAULT 1,
	description text,
	CONSTRAINT activity_kind_axis_known
		CHECK (axis OPERATOR(pg_catalog.=) ANY (ARRAY['behaviour', 'sales', 'churn'])),
	CONSTRAINT activity_kind_weight_not_negative
		CHECK (weight OPERATOR(pg_catalog.>=) 0)
);
COMMENT ON TABLE @extschema@.activity_kind IS 'Meaning of the activity kinds found in the bound activities; kinds not listed are ignored';
COMMENT ON COLUMN @extschema@.activity_kind.kind IS 'Value of the bound kind column';
COMMENT ON COLUMN @extschema@.activity_kind.axis IS 'behaviour (a sign of interest), sales (a sales event) or churn (the customer ended the relationship)';
COMMENT ON COLUMN @extschema@.activity_kind.weight IS 'Behaviour: how much one such activity counts; sales: the strength of the last sales event, from 0 to 1';
COMMENT ON COLUMN @extschema@.activity_kind.description IS 'What the kind means';

INSERT INTO @extschema@.activity_kind (kind, axis, weight, description) VALUES
	('mail_open', 'behaviour', 1, 'Opened a mail'),
	('web_visit', 'behaviour', 1, 'Viewed a product page'),
	('download', 'behaviour', 3, 'Downloaded a price list, comparison sheet or case study'),
	('inquiry', 'behaviour', 4, 'Asked a question or requested a quote'),
	('meeting_positive', 'sales', 1, 'Meeting with a positive outcome, such as postponed for budget'),
	('meeting_negative', 'sales', 0, 'Meeting with a negative outcome'),
	('competitor_switch', 'sales', 0.7, 'Left for a competitor, over a feature that may now exist'),
	('cancelled', 'churn', 0, 'Cancelled: ended the relationship'),
	('complaint', 'churn', 0, 'Complained: not to be pushed');

CREATE TRIGGER activity_kind_replace_shipped
	BEFORE INSERT ON @extschema@.activity_kind
	FOR EACH ROW EXECUTE FUNCTION @extschema@.replace_shipped_row(
		'kind', 'mail_open', 'web_visit', 'download', 'inquiry', 'meeting_positive',
		'meeting_negative', 'competitor_switch', 'cancelled', 'complaint');
SELECT pg_catalog.pg_extension_config_dump('dormant.activity_kind', '');
GRANT SELECT ON @extschema@.activity_kind, @extschema@.binding TO PUBLIC;

