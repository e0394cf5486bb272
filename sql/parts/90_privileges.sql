-- Who may read what.  The live views run with the caller's rights
-- (security_invoker), so reading them needs the right to read the bound
-- tables too; the snapshot tables hold refreshed results for roles that may
-- not read the sources, such as a BI tool's.

DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) 'dormant_reader') THEN
		CREATE ROLE dormant_reader NOLOGIN;
	END IF;
END
$$;
COMMENT ON ROLE dormant_reader IS 'Reads the outputs of the dormant extension: its views and snapshot tables';

GRANT SELECT ON
	@extschema@.customer_scores,
	@extschema@.segments,
	@extschema@.newly_dormant,
	@extschema@.customer_snapshot,
	@extschema@.segment_snapshot,
	@extschema@.segment_history,
	@extschema@.refresh_log,
	@extschema@.customer_state,
	@extschema@.bound_transactions,
	@extschema@.bound_activities,
	@extschema@.bound_customers,
	@extschema@.priority_list,
	@extschema@.contact_schedule,
	@extschema@.schedule_snapshot,
	@extschema@.kpis,
	@extschema@.kpi_touchpoints,
	@extschema@.kpi_phases,
	@extschema@.kpi_goals,
	@extschema@.kpi_snapshot,
	@extschema@.campaign_outcomes,
	@extschema@.enrolment,
	@extschema@.reactivation_value
TO dormant_reader;
