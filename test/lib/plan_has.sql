-- pg_temp.plan_has(query, node): true when the JSON plan of the query
-- names the node, e.g. '"Partial Mode": "Partial"'.  Included with \ir by
-- the tests that check a plan's shape.
CREATE FUNCTION pg_temp.plan_has(query text, node text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
	plan text;
BEGIN
	EXECUTE 'EXPLAIN (FORMAT JSON, COSTS OFF) ' || query INTO plan;
	RETURN plan LIKE '%' || node || '%';
END $$;
