-- The snapshot tables share their columns' meaning with the live views.
DO $$
DECLARE
	schema_name text := pg_catalog.current_schema();
BEGIN
	EXECUTE (
		SELECT string_agg(format('COMMENT ON COLUMN %I.%I.%I IS %L;',
								 schema_name, target.relname, a.attname, d.description), E'\n')
		  FROM (VALUES ('customer_snapshot', 'customer_scores'),
					   ('segment_snapshot', 'segments'),
					   ('segment_history', 'segments'),
					   ('schedule_snapshot', 'contact_schedule'),
					   ('kpi_snapshot', 'kpis')) AS target(relname, viewname)
		  JOIN pg_attribute a ON a.attrelid = format('%I.%I', schema_name, target.viewname)::regclass
		  JOIN pg_description d ON d.objoid = a.attrelid AND d.objsubid = a.attnum
		 WHERE a.attnum > 0);
END
$$;
COMMENT ON COLUMN @extschema@.customer_snapshot.previous_status IS 'Status at the refresh before; NULL if the customer was not in it';
COMMENT ON COLUMN @extschema@.customer_snapshot.as_of IS 'Time the refresh classified customers as of';
COMMENT ON COLUMN @extschema@.customer_snapshot.refresh_id IS 'Refresh that wrote the row (see dormant.refresh_log)';
COMMENT ON COLUMN @extschema@.segment_snapshot.as_of IS 'Time the refresh classified customers as of';
COMMENT ON COLUMN @extschema@.segment_snapshot.refresh_id IS 'Refresh that wrote the row (see dormant.refresh_log)';
COMMENT ON COLUMN @extschema@.segment_history.as_of IS 'Time the refresh classified customers as of';
COMMENT ON COLUMN @extschema@.segment_history.refresh_id IS 'Refresh that wrote the row (see dormant.refresh_log)';
COMMENT ON COLUMN @extschema@.schedule_snapshot.as_of IS 'Time the refresh planned contacts as of';
COMMENT ON COLUMN @extschema@.schedule_snapshot.refresh_id IS 'Refresh that wrote the row (see dormant.refresh_log)';
COMMENT ON COLUMN @extschema@.kpi_snapshot.as_of IS 'Time of the refresh';
COMMENT ON COLUMN @extschema@.kpi_snapshot.refresh_id IS 'Refresh that wrote the row (see dormant.refresh_log)';
