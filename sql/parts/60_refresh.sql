-- dormant.refresh: the snapshot tables, rewritten in one transaction, and
-- the change tracking that lets it merge only new transactions.
--
-- When the bound transactions are a table, bind_transactions puts statement
-- triggers on it.  Inserted rows are copied to dormant.pending_transaction;
-- an update, delete or truncate is noted in dormant.transaction_change.  A
-- refresh then merges the pending rows into the stored states through
-- rfm_merge (late rows are no different: merging does not care about
-- order), or aggregates everything again when a change could have removed
-- or altered rows that the stored states already hold.

CREATE TABLE @extschema@.pending_transaction (
	customer_id text COLLATE pg_catalog."C",
	occurred_at timestamptz,
	local_time timestamp,
	amount numeric
);
COMMENT ON TABLE @extschema@.pending_transaction IS 'Transactions inserted into the bound source since the last refresh';
COMMENT ON COLUMN @extschema@.pending_transaction.customer_id IS 'Customer key, as text';
COMMENT ON COLUMN @extschema@.pending_transaction.occurred_at IS 'Time of a timestamptz source column';
COMMENT ON COLUMN @extschema@.pending_transaction.local_time IS 'Time of a timestamp or date source column, read in the refresh''s TimeZone as a full refresh would';
COMMENT ON COLUMN @extschema@.pending_transaction.amount IS 'Amount';

CREATE TABLE @extschema@.transaction_change (
	noted_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
	change text NOT NULL
);
COMMENT ON TABLE @extschema@.transaction_change IS 'Updates, deletes, truncates and rebindings of the transactions since the last refresh: the next refresh is full';
COMMENT ON COLUMN @extschema@.transaction_change.noted_at IS 'When the change was made';
COMMENT ON COLUMN @extschema@.transaction_change.change IS 'What changed';

-- The schema is fixed (the control file says so), and spelled out in the
-- dynamic SQL below.  The trigger functions run as the extension's owner, so that the roles that
-- write orders need no rights on the extension's tables.  They write to
-- those two tables only.
CREATE FUNCTION @extschema@.track_inserted_transactions()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	bound name[];
BEGIN
	-- The columns are passed by number and named here, when the trigger
	-- fires: a column renamed, or a look-alike added under the old name,
	-- must not be read in its place with the owner's rights.
	SELECT array_agg(a.attname ORDER BY k.i) INTO bound
	  FROM unnest(TG_ARGV[0:2]::smallint[]) WITH ORDINALITY AS k(attnum, i)
	  JOIN pg_attribute a ON a.attrelid = TG_RELID AND a.attnum = k.attnum AND NOT a.attisdropped;
	IF cardinality(bound) IS DISTINCT FROM 3 THEN
		RAISE EXCEPTION 'the bound columns of % are gone', TG_RELID::regclass
			USING ERRCODE = 'undefined_column',
				  HINT = 'Bind the transactions again with dormant.bind_transactions.';
	END IF;
	EXECUTE format(
		'INSERT INTO dormant.pending_transaction (customer_id, %I, amount)'
		' SELECT %I::text, %I, %I::numeric FROM dormant_inserted',
		TG_ARGV[3], bound[1], bound[2], bound[3]);
	RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION @extschema@.track_inserted_transactions() FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.track_inserted_transactions() IS 'Trigger on the bound transactions: copies inserted rows for the next incremental refresh';

CREATE FUNCTION @extschema@.track_changed_transactions()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	-- A truncate has no transition table: dormant_changed is named only
	-- for updates and deletes.
	IF TG_OP <> 'TRUNCATE' THEN
		IF NOT EXISTS (SELECT FROM dormant_changed) THEN
			RETURN NULL;
		END IF;
	END IF;
	INSERT INTO @extschema@.transaction_change (change)
	VALUES (lower(TG_OP) || ' on ' || TG_RELID::regclass::text);
	RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION @extschema@.track_changed_transactions() FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.track_changed_transactions() IS 'Trigger on the bound transactions: notes updates, deletes and truncates, after which a refresh is full';

-- Puts the tracking triggers on a bound transactions table, or takes them
-- off.  Views and foreign tables cannot be tracked: their refreshes are full.
-- Nor can a partitioned table with a foreign partition: the server cannot
-- collect transition rows from one, and every insert would fail.
CREATE FUNCTION @extschema@.track_transactions(source regclass, b @extschema@.binding)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	time_type regtype;
	trigger_name name;
BEGIN
	FOR trigger_name IN
		SELECT t.tgname FROM pg_trigger t
		 WHERE t.tgrelid = source
		   AND t.tgname = ANY (ARRAY['dormant_track_insert', 'dormant_track_update',
									 'dormant_track_delete', 'dormant_track_truncate'])
	LOOP
		EXECUTE format('DROP TRIGGER %I ON %s', trigger_name, source);
	END LOOP;
	IF b.source IS NULL
	   OR NOT EXISTS (SELECT FROM pg_class c WHERE c.oid = b.source AND c.relkind IN ('r', 'p'))
	   OR EXISTS (SELECT FROM pg_partition_tree(b.source) p
				   JOIN pg_class c ON c.oid = p.relid WHERE c.relkind = 'f')
	   OR NOT has_table_privilege(b.source, 'TRIGGER') THEN
		RETURN false;
	END IF;
	SELECT a.atttypid::regtype INTO time_type
	  FROM pg_attribute a
	 WHERE a.attrelid = b.source AND a.attname = b.occurred_at_column;
	EXECUTE format('CREATE TRIGGER dormant_track_insert AFTER INSERT ON %1$s'
				   ' REFERENCING NEW TABLE AS dormant_inserted FOR EACH STATEMENT'
				   ' EXECUTE FUNCTION dormant.track_inserted_transactions(%2$L, %3$L, %4$L, %5$L);'
				   'CREATE TRIGGER dormant_track_update AFTER UPDATE ON %1$s'
				   ' REFERENCING OLD TABLE AS dormant_changed FOR EACH STATEMENT'
				   ' EXECUTE FUNCTION dormant.track_changed_transactions();'
				   'CREATE TRIGGER dormant_track_delete AFTER DELETE ON %1$s'
				   ' REFERENCING OLD TABLE AS dormant_changed FOR EACH STATEMENT'
				   ' EXECUTE FUNCTION dormant.track_changed_transactions();'
				   'CREATE TRIGGER dormant_track_truncate AFTER TRUNCATE ON %1$s'
				   ' FOR EACH STATEMENT EXECUTE FUNCTION dormant.track_changed_transactions();',
				   b.source,
				   (SELECT a.attnum FROM pg_attribute a WHERE a.attrelid = b.source AND a.attname = b.customer_column),
				   (SELECT a.attnum FROM pg_attribute a WHERE a.attrelid = b.source AND a.attname = b.occurred_at_column),
				   (SELECT a.attnum FROM pg_attribute a WHERE a.attrelid = b.source AND a.attname = b.amount_column),
				   CASE WHEN time_type = 'timestamptz'::regtype THEN 'occurred_at' ELSE 'local_time' END);
	RETURN true;
END
$$;
COMMENT ON FUNCTION @extschema@.track_transactions(regclass, @extschema@.binding) IS 'Moves the change-tracking triggers from the previously bound transactions to the newly bound ones';

-- The query whose rows a full refresh stores: every bound transaction,
-- aggregated per customer.  Grouped by the source's own key column rather
-- than by its text, a table partitioned by customer can be aggregated
-- partition by partition (enable_partitionwise_aggregate), postgres_fdw then
-- runs rfm_state_agg on the servers that hold foreign partitions, and a
-- local table is grouped on its own key type, without turning every row's
-- key into text.  Remote sessions count purchase days in UTC, so with
-- foreign tables this is done only when this session does too; and only
-- when equal keys have equal text (integers, uuids, strings under a
-- deterministic collation), so that the groups are the same.
CREATE FUNCTION @extschema@.state_query()
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	bound @extschema@.binding;
BEGIN
	SELECT b.* INTO bound FROM @extschema@.binding b WHERE b.input = 'transactions';
	IF bound.source IS NOT NULL
	   AND (current_setting('TimeZone') = ANY (ARRAY['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT'])
			OR NOT EXISTS (SELECT FROM pg_partition_tree(bound.source) p
							 JOIN pg_class c ON c.oid = p.relid WHERE c.relkind NOT IN ('r', 'p')))
	   AND NOT EXISTS (SELECT FROM pg_attribute a JOIN pg_collation co ON co.oid = a.attcollation
					   WHERE a.attrelid = bound.source AND a.attname = bound.customer_column
						 AND NOT co.collisdeterministic) THEN
		RETURN format(
			'SELECT g.k::text COLLATE pg_catalog."C" AS customer_id, g.state'
			' FROM (SELECT t.%1$I AS k, dormant.rfm_state_agg(t.%2$I::timestamptz, t.%3$I::numeric) AS state'
			' FROM %4$s t WHERE t.%1$I IS NOT NULL GROUP BY t.%1$I) g',
			bound.customer_column, bound.occurred_at_column, bound.amount_column, bound.source);
	END IF;
	RETURN 'SELECT t.customer_id, dormant.rfm_state_agg(t.occurred_at, t.amount) AS state'
		   ' FROM dormant.bound_transactions t WHERE t.customer_id IS NOT NULL GROUP BY t.customer_id';
END
$$;
COMMENT ON FUNCTION @extschema@.state_query() IS 'The query whose rows a full refresh stores in dormant.customer_state: customer_id and the state of every customer''s bound transactions';

-- Every refresh writes the snapshots from the stored states; the states are
-- brought up to date first, by merging or by aggregating everything again.
CREATE FUNCTION @extschema@.update_states(requested_full boolean)
RETURNS TABLE (mode text, outcome text, merged bigint)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	source regclass;
	tracked boolean;
	previous @extschema@.refresh_log;
	change text;
BEGIN
	SELECT b.source INTO source FROM @extschema@.binding b WHERE b.input = 'transactions';
	tracked := source IS NOT NULL
		AND EXISTS (SELECT FROM pg_trigger t
					 WHERE t.tgrelid = source AND t.tgname = 'dormant_track_insert');
	-- Writers wait while the states and the pending rows are brought
	-- together, so that no transaction is counted twice or lost.
	IF tracked THEN
		EXECUTE format('LOCK TABLE %s IN SHARE MODE', source);
	END IF;
	SELECT * INTO previous FROM @extschema@.refresh_log l ORDER BY l.refresh_id DESC LIMIT 1;
	SELECT c.change INTO change FROM @extschema@.transaction_change c ORDER BY c.noted_at LIMIT 1;

	outcome := CASE
		WHEN requested_full THEN 'full refresh requested'
		WHEN previous.refresh_id IS NULL THEN 'first refresh'
		WHEN source IS NULL THEN 'no transactions are bound'
		WHEN NOT tracked THEN format('changes to %s are not tracked (a view, a foreign table or one with foreign partitions, or bound without the right to create triggers)', source)
		WHEN change IS NOT NULL THEN format('transactions changed since the last refresh (%s)', change)
		WHEN previous.time_zone IS DISTINCT FROM current_setting('TimeZone')
			THEN format('TimeZone changed from %s to %s', previous.time_zone, current_setting('TimeZone'))
		WHEN NOT EXISTS (SELECT FROM @extschema@.customer_state) THEN 'no stored states (a restored database, or no transactions before)'
	END;
	IF outcome IS NOT NULL THEN
		mode := 'full';
		TRUNCATE @extschema@.customer_state, @extschema@.pending_transaction, @extschema@.transaction_change;
		-- PostgreSQL never runs INSERT ... SELECT in parallel, but does run
		-- CREATE TABLE AS so: the aggregation, which reads every transaction,
		-- goes into a temporary table, with parallel workers where the
		-- planner finds them worth their cost, then across in key order, so
		-- that the primary key grows at its right edge instead of at a
		-- random leaf page for every row.
		EXECUTE 'CREATE TEMPORARY TABLE dormant_fresh_state AS ' || @extschema@.state_query();
		INSERT INTO @extschema@.customer_state (customer_id, state)
		SELECT f.customer_id, f.state FROM pg_temp.dormant_fresh_state f
		 ORDER BY f.customer_id COLLATE pg_catalog."C";
		DROP TABLE pg_temp.dormant_fresh_state;
		merged := NULL;
	ELSE
		mode := 'incremental';
		INSERT INTO @extschema@.customer_state AS c (customer_id, state)
		SELECT m.customer_id, @extschema@.rfm_merge(m.state)
		  FROM (SELECT p.customer_id,
					   @extschema@.rfm_state_agg(coalesce(p.occurred_at, p.local_time::timestamptz), p.amount) AS state
				  FROM @extschema@.pending_transaction p
				 WHERE p.customer_id IS NOT NULL
				 GROUP BY p.customer_id
				UNION ALL
				SELECT s.customer_id, s.state
				  FROM @extschema@.customer_state s
				 WHERE s.customer_id IN (SELECT p.customer_id FROM @extschema@.pending_transaction p)) m
		 GROUP BY m.customer_id
		ON CONFLICT (customer_id) DO UPDATE SET state = EXCLUDED.state;
		SELECT count(*) INTO merged FROM @extschema@.pending_transaction;
		outcome := format('new transactions merged: %s', merged);
		TRUNCATE @extschema@.pending_transaction;
	END IF;
	RETURN NEXT;
END
$$;
COMMENT ON FUNCTION @extschema@.update_states(boolean) IS 'Brings dormant.customer_state up to date for a refresh: merges the pending transactions, or aggregates all of them again';

-- A BG/NBD model per policy, on its customers who bought and did not opt
-- out.  When the data determine no maximum (as happens when nobody is seen
-- dropping out), the fit is made again with a small penalty, and the note
-- says so; if that fails too, the note says why, and the refresh goes on.
CREATE FUNCTION @extschema@.fit_models(as_of timestamptz, refresh_id bigint)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	policy_name text;
	started timestamptz;
	params @extschema@.bgnbd_params;
	note text;
	penalty double precision;
BEGIN
	-- The inputs of every customer, computed once for all policies and
	-- both attempts, straight from the stored states rather than through
	-- their whole summaries, and before the join, which then carries three
	-- numbers per customer instead of the states.
	CREATE TEMPORARY TABLE dormant_model_input AS
	SELECT coalesce(b.policy, 'b2c') AS policy, (i.i).frequency, (i.i).recency, (i.i).age
	  FROM (SELECT s.customer_id,
				   @extschema@.rfm_model_inputs(s.state, (fit_models.as_of)::date) AS i
			  FROM @extschema@.customer_state s
			OFFSET 0) i
	  LEFT JOIN @extschema@.bound_customers b ON b.customer_id = i.customer_id
	 WHERE NOT coalesce(b.opted_out, false);
	FOR policy_name IN SELECT p.name FROM @extschema@.policy p ORDER BY p.name LOOP
		started := clock_timestamp();
		note := NULL;
		params := NULL;
		FOREACH penalty IN ARRAY ARRAY[0, 0.01]::double precision[] LOOP
			BEGIN
				params := (
					SELECT @extschema@.bgnbd_fit(m.frequency, m.recency, m.age, penalty)
					  FROM pg_temp.dormant_model_input m
					 WHERE m.policy = policy_name);
				EXIT;
			EXCEPTION WHEN numeric_value_out_of_range THEN
				note := CASE WHEN penalty = 0 THEN SQLERRM || '; fitted with a penalty of 0.01'
							 ELSE SQLERRM || ', even with a penalty of 0.01' END;
			END;
		END LOOP;
		IF params IS NOT NULL OR note IS NOT NULL THEN
			INSERT INTO @extschema@.model_fit (policy, as_of, params, fitted_at, fit_ms, refresh_id, note)
			VALUES (policy_name, fit_models.as_of, params, clock_timestamp(),
					1000 * extract(epoch FROM clock_timestamp() - started), fit_models.refresh_id, note);
		END IF;
	END LOOP;
	DROP TABLE pg_temp.dormant_model_input;
END
$$;
COMMENT ON FUNCTION @extschema@.fit_models(timestamptz, bigint) IS 'Fits and stores a BG/NBD model per policy for a refresh';

CREATE FUNCTION @extschema@.refresh(as_of timestamptz DEFAULT pg_catalog.now(), full_refresh boolean DEFAULT false)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET dormant.as_of = ''
SET jit = off
AS $$
DECLARE
	started timestamptz := clock_timestamp();
	states record;
	id bigint;
	written bigint;
BEGIN
	IF as_of IS NULL OR NOT isfinite(as_of) THEN
		RAISE EXCEPTION 'as_of must be a finite time'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	-- One refresh at a time: each holds customer_state in EXCLUSIVE mode.
	-- The lock can also be refused because autovacuum is working on the
	-- table; then the refresh waits for it (autovacuum gives way), and
	-- fails only when another refresh holds the lock.
	BEGIN
		LOCK TABLE @extschema@.customer_state IN EXCLUSIVE MODE NOWAIT;
	EXCEPTION WHEN lock_not_available THEN
		IF EXISTS (SELECT FROM pg_locks l
					WHERE l.relation = 'dormant.customer_state'::regclass
					  AND l.mode = 'ExclusiveLock' AND l.granted) THEN
			RAISE EXCEPTION 'another refresh is in progress'
				USING ERRCODE = 'lock_not_available',
					  HINT = 'Wait for it to finish; its results will then be in the snapshot tables.';
		END IF;
		LOCK TABLE @extschema@.customer_state IN EXCLUSIVE MODE;
	END;

	SELECT * INTO states FROM @extschema@.update_states(full_refresh);
	-- Fresh statistics, so that the planner joins a million customers by
	-- hashing rather than by sorting on stale estimates.
	ANALYZE @extschema@.customer_state;
	INSERT INTO @extschema@.refresh_log (as_of, started_at, mode, outcome, transactions_merged, time_zone)
	VALUES (as_of, started, states.mode, states.outcome, states.merged, current_setting('TimeZone'))
	RETURNING refresh_id INTO id;
	PERFORM @extschema@.fit_models(as_of, id);

	-- The views compute as of dormant.as_of(); this function's SET clause
	-- restores the caller's setting when it returns.
	PERFORM set_config('dormant.as_of',
					   to_char(as_of AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), true);

	-- The new rows go in beside the old ones, which give each customer's
	-- previous status, and which then go.
	INSERT INTO @extschema@.customer_snapshot
	SELECT r.*, previous.status, refresh.as_of, id
	  FROM @extschema@.customer_rows(true) r
	  LEFT JOIN @extschema@.customer_snapshot previous ON previous.customer_id = r.customer_id;
	GET DIAGNOSTICS written = ROW_COUNT;
	DELETE FROM @extschema@.customer_snapshot s WHERE s.refresh_id <> id;
	ANALYZE @extschema@.customer_snapshot;

	DELETE FROM @extschema@.schedule_snapshot;
	INSERT INTO @extschema@.schedule_snapshot
	SELECT r.*, refresh.as_of, id FROM @extschema@.schedule_rows(true) r;

	-- Customers scored for the first time under their campaign enter it,
	-- on the day their first contact is due (or would be, in the holdout).
	-- Those already enrolled are left out by a join, not one conflict at
	-- a time; ON CONFLICT remains the guard.
	INSERT INTO @extschema@.enrolment (campaign, customer_id, enrolled_on, policy, holdout, tier, depth, status, refresh_id)
	SELECT p.campaign, s.customer_id, coalesce(f.first_due, (refresh.as_of)::date), s.policy,
		   s.holdout, s.tier, s.depth, s.status, id
	  FROM @extschema@.customer_snapshot s
	  JOIN @extschema@.policy p ON p.name = s.policy
	  LEFT JOIN (SELECT ss.customer_id, min(ss.due_on) AS first_due
				   FROM @extschema@.schedule_snapshot ss GROUP BY ss.customer_id) f
		ON f.customer_id = s.customer_id
	 WHERE s.score IS NOT NULL
	   AND NOT EXISTS (SELECT FROM @extschema@.enrolment e
						WHERE e.campaign = p.campaign AND e.customer_id = s.customer_id)
	ON CONFLICT DO NOTHING;
	DELETE FROM @extschema@.kpi_snapshot;
	INSERT INTO @extschema@.kpi_snapshot
	SELECT k.*, refresh.as_of, id FROM @extschema@.kpis k;

	DELETE FROM @extschema@.segment_snapshot;
	INSERT INTO @extschema@.segment_snapshot
	SELECT r.*, as_of, id FROM @extschema@.segment_rows(true) r;
	INSERT INTO @extschema@.segment_history
	SELECT * FROM @extschema@.segment_snapshot;

	UPDATE @extschema@.refresh_log l
	   SET finished_at = clock_timestamp(), customers = written
	 WHERE l.refresh_id = id;
	IF EXISTS (SELECT FROM @extschema@.binding b WHERE b.input = 'activities') THEN
		PERFORM @extschema@.notice_unknown_kinds();
	END IF;
	RETURN id;
END
$$;
COMMENT ON FUNCTION @extschema@.refresh(timestamptz, boolean) IS 'Rewrites the snapshot tables as of a time, in one transaction, merging only new transactions where it can; returns the refresh id';
