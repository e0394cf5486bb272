-- dormant: find dormant customers and plan whom to win back first.
-- This script is assembled from sql/parts/*.sql by the Makefile.
\echo Use "CREATE EXTENSION dormant" to load this file. \quit

-- The schema must be the extension's own: new, empty, and owned by the
-- extension's owner (or a superuser).  A schema "dormant" that another role
-- created first could hold look-alike functions that the install would
-- bind to, or that callers would run later.
DO $$
DECLARE
	schema_oid oid := pg_catalog.to_regnamespace(pg_catalog.current_schema())::oid;
BEGIN
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_namespace n
					 JOIN pg_catalog.pg_extension e ON e.extname OPERATOR(pg_catalog.=) 'dormant'
					 JOIN pg_catalog.pg_roles r ON r.oid OPERATOR(pg_catalog.=) n.nspowner
					WHERE n.oid OPERATOR(pg_catalog.=) schema_oid
					  AND (n.nspowner OPERATOR(pg_catalog.=) e.extowner OR r.rolsuper))
	   OR EXISTS (SELECT FROM pg_catalog.pg_class c WHERE c.relnamespace OPERATOR(pg_catalog.=) schema_oid)
	   OR EXISTS (SELECT FROM pg_catalog.pg_proc p WHERE p.pronamespace OPERATOR(pg_catalog.=) schema_oid)
	   OR EXISTS (SELECT FROM pg_catalog.pg_type t WHERE t.typnamespace OPERATOR(pg_catalog.=) schema_oid)
	   OR EXISTS (SELECT FROM pg_catalog.pg_operator o WHERE o.oprnamespace OPERATOR(pg_catalog.=) schema_oid)
	THEN
		RAISE EXCEPTION 'schema "%" already exists and is not a new schema of the extension''s owner',
						pg_catalog.current_schema()
			USING ERRCODE = 'insufficient_privilege',
				  HINT = 'Drop or rename that schema, then create the extension again.';
	END IF;
END
$$;

GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;
COMMENT ON SCHEMA @extschema@ IS 'dormant: dormancy classes, reactivation priority and contact schedule of customers';
