-- dormant: find dormant customers and plan whom to win back first.
-- This script is assembled from sql/parts/*.sql by the Makefile.
\echo Use "CREATE EXTENSION dormant" to load this file. \quit

GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;
COMMENT ON SCHEMA @extschema@ IS 'dormant: dormancy classes, reactivation priority and contact schedule of customers';
