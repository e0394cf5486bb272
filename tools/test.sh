#!/bin/sh
# The whole suite, run by "make test" inside the cluster that pg_virtualenv
# started: pg_regress and the isolation tests (PGXS installcheck), pgTAP
# through pg_prove, the lint of the install script, dump and restore, a
# backend killed during a refresh, the update scripts, two postgres_fdw
# shards, and a short run of sqlsmith.
set -u

status=0
if ! make --no-print-directory installcheck; then
	cat regression.diffs output_iso/regression.diffs 2>/dev/null
	status=1
fi

createdb dormant_tap || exit 1
psql -X -q -d dormant_tap -c 'CREATE EXTENSION pgtap' || exit 1
pg_prove --dbname dormant_tap --ext .sql test/pgtap || status=1
test/t/lint_scripts.sh || status=1
test/t/dump_restore.sh || status=1
test/t/crash_refresh.sh || status=1
test/t/upgrade.sh || status=1
test/t/shards.sh || status=1
test/t/fuzz.sh || status=1

exit $status
