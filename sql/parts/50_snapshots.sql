-- What dormant.refresh writes: the snapshot tables that BI tools read, the
-- history of segments, and the log of runs.

CREATE TABLE @extschema@.refresh_log (
	refresh_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	as_of timestamptz NOT NULL,
	started_at timestamptz NOT NULL,
	finished_at timestamptz,
	mode text NOT NULL,
	outcome text NOT NULL,
	customers bigint,
	transactions_merged bigint,
	time_zone text NOT NULL,
	CONSTRAINT refresh_log_mode_known
		CHECK (mode OPERATOR(pg_catalog.=) ANY (ARRAY['full', 'incremental']))
);
COMMENT ON TABLE @extschema@.refresh_log IS 'One row per committed dormant.refresh: when, as of when, how, and with what result';
COMMENT ON COLUMN @extschema@.refresh_log.refresh_id IS 'Identifier of the refresh, also in every snapshot row it wrote';
COMMENT ON COLUMN @extschema@.refresh_log.as_of IS 'Time the refresh classified customers as of';
COMMENT ON COLUMN @extschema@.refresh_log.started_at IS 'When the refresh started';
COMMENT ON COLUMN @extschema@.refresh_log.finished_at IS 'When the refresh finished';
COMMENT ON COLUMN @extschema@.refresh_log.mode IS 'full (all transactions aggregated) or incremental (new transactions merged into the stored states)';
COMMENT ON COLUMN @extschema@.refresh_log.outcome IS 'What happened, and why a full refresh was needed';
COMMENT ON COLUMN @extschema@.refresh_log.customers IS 'Rows written to dormant.customer_snapshot';
COMMENT ON COLUMN @extschema@.refresh_log.transactions_merged IS 'Incremental: new transaction rows merged into the stored states';
COMMENT ON COLUMN @extschema@.refresh_log.time_zone IS 'TimeZone the purchase days were counted in';
SELECT pg_catalog.pg_extension_config_dump('dormant.refresh_log', '');
-- and its identity, so that a restored database numbers its next refresh on
SELECT pg_catalog.pg_extension_config_dump('dormant.refresh_log_refresh_id_seq', '');

CREATE TABLE @extschema@.customer_snapshot AS
SELECT r.*,
	   NULL::@extschema@.status AS previous_status,
	   NULL::timestamptz AS as_of,
	   NULL::bigint AS refresh_id
  FROM @extschema@.customer_rows(true) r
WITH NO DATA;
-- Keyed by refresh too: a refresh writes its rows beside the previous ones
-- before it deletes them, so the table holds one refresh when it commits.
ALTER TABLE @extschema@.customer_snapshot
	ALTER COLUMN customer_id SET NOT NULL,
	ALTER COLUMN refresh_id SET NOT NULL,
	ADD PRIMARY KEY (customer_id, refresh_id);
COMMENT ON TABLE @extschema@.customer_snapshot IS 'dormant.customer_scores as of the last refresh, one row per customer';
SELECT pg_catalog.pg_extension_config_dump('dormant.customer_snapshot', '');

-- Segments: customers per status and depth.
CREATE FUNCTION @extschema@.segment_rows(stored boolean)
RETURNS TABLE (
	status @extschema@.status,
	depth text,
	tier @extschema@.tier,
	customers bigint,
	share double precision,
	revenue numeric,
	mean_recency_days double precision,
	mean_score double precision
)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT c.status, c.depth, c.tier, count(*),
		   count(*)::double precision / sum(count(*)) OVER (),
		   coalesce(sum(c.monetary), 0),
		   avg(c.recency_days),
		   -- summed as numeric: a sum of doubles depends on the order of the
		   -- rows, which two refreshes of the same data need not share
		   avg((c.score)::numeric)
	  FROM (SELECT s.status, s.depth, s.tier, s.monetary, s.recency_days, s.score
			  FROM @extschema@.customer_rows(false) s
			 WHERE NOT stored
			UNION ALL
			SELECT s.status, s.depth, s.tier, s.monetary, s.recency_days, s.score
			  FROM @extschema@.customer_snapshot s
			 WHERE stored) c
	 GROUP BY c.status, c.depth, c.tier;
END;
COMMENT ON FUNCTION @extschema@.segment_rows(boolean) IS 'Customers per status, depth and tier, live (false) or from the last refresh (true); read it through dormant.segments';

CREATE VIEW @extschema@.segments WITH (security_invoker = true) AS
SELECT * FROM @extschema@.segment_rows(false);
COMMENT ON VIEW @extschema@.segments IS 'Customers, share of the base, past revenue, mean recency and mean priority per status, depth and tier, live as of dormant.as_of()';
COMMENT ON COLUMN @extschema@.segments.status IS 'Customer status; NULL for customers without a purchase';
COMMENT ON COLUMN @extschema@.segments.depth IS 'Depth segment; NULL for customers not silent long enough';
COMMENT ON COLUMN @extschema@.segments.tier IS 'Priority tier; NULL for customers without a score';
COMMENT ON COLUMN @extschema@.segments.customers IS 'Number of customers';
COMMENT ON COLUMN @extschema@.segments.share IS 'Share of all customers, from 0 to 1';
COMMENT ON COLUMN @extschema@.segments.revenue IS 'Past revenue: net amount of the customers'' transactions';
COMMENT ON COLUMN @extschema@.segments.mean_recency_days IS 'Mean days since the last purchase';
COMMENT ON COLUMN @extschema@.segments.mean_score IS 'Mean priority score';

CREATE TABLE @extschema@.segment_snapshot AS
SELECT r.*, NULL::timestamptz AS as_of, NULL::bigint AS refresh_id
  FROM @extschema@.segment_rows(true) r
WITH NO DATA;
COMMENT ON TABLE @extschema@.segment_snapshot IS 'dormant.segments as of the last refresh';
SELECT pg_catalog.pg_extension_config_dump('dormant.segment_snapshot', '');

CREATE TABLE @extschema@.segment_history AS
SELECT r.*, NULL::timestamptz AS as_of, NULL::bigint AS refresh_id
  FROM @extschema@.segment_rows(true) r
WITH NO DATA;
CREATE INDEX ON @extschema@.segment_history (refresh_id);
COMMENT ON TABLE @extschema@.segment_history IS 'dormant.segments at every refresh, for trend charts';
SELECT pg_catalog.pg_extension_config_dump('dormant.segment_history', '');

CREATE VIEW @extschema@.newly_dormant WITH (security_invoker = true) AS
SELECT s.customer_id, s.policy, s.status, s.last_at,
	   ((s.last_at OPERATOR(pg_catalog.+) p.dormant_after))::date AS dormant_since,
	   s.purchases, s.purchase_days, s.monetary, s.depth, s.tier, s.score, s.reason,
	   previous.status AS previous_status
  FROM @extschema@.customer_scores s
  JOIN @extschema@.policy p ON p.name OPERATOR(pg_catalog.=) s.policy
  LEFT JOIN @extschema@.customer_snapshot previous
	ON previous.customer_id OPERATOR(pg_catalog.=) s.customer_id
 WHERE s.status OPERATOR(pg_catalog.=) ANY (ARRAY['dormant', 'lapsed']::@extschema@.status[])
   AND (previous.status IS NULL
		OR previous.status OPERATOR(pg_catalog.<) 'dormant'::@extschema@.status);
COMMENT ON VIEW @extschema@.newly_dormant IS 'Customers dormant or lapsed now who were new, active or at_risk at the last refresh, or not in it';
COMMENT ON COLUMN @extschema@.newly_dormant.customer_id IS 'Customer key, as text';
COMMENT ON COLUMN @extschema@.newly_dormant.policy IS 'Policy that classifies the customer';
COMMENT ON COLUMN @extschema@.newly_dormant.status IS 'dormant or lapsed';
COMMENT ON COLUMN @extschema@.newly_dormant.last_at IS 'Last purchase';
COMMENT ON COLUMN @extschema@.newly_dormant.dormant_since IS 'Day the customer became dormant: last purchase plus the policy''s dormant_after';
COMMENT ON COLUMN @extschema@.newly_dormant.purchases IS 'Number of purchase rows';
COMMENT ON COLUMN @extschema@.newly_dormant.purchase_days IS 'Distinct calendar days with a purchase';
COMMENT ON COLUMN @extschema@.newly_dormant.monetary IS 'Net amount of all transactions';
COMMENT ON COLUMN @extschema@.newly_dormant.depth IS 'Depth segment';
COMMENT ON COLUMN @extschema@.newly_dormant.tier IS 'Priority tier';
COMMENT ON COLUMN @extschema@.newly_dormant.score IS 'Reactivation priority from 0 to 100';
COMMENT ON COLUMN @extschema@.newly_dormant.reason IS 'Reason for going dormant';
COMMENT ON COLUMN @extschema@.newly_dormant.previous_status IS 'Status at the last refresh; NULL if the customer was not in it';

