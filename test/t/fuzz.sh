#!/bin/sh
# sqlsmith's random queries against a database with the extension and a
# small generated shop (tools/demo_data.sql, bound as "make demo" binds it,
# and refreshed once), sent by a role that may only read: a member of
# dormant_reader that may also read the shop and the contact log, as the
# live views need.  Fails if a backend crashed (the server log says a server
# process was terminated), if sqlsmith lost its connection, or if the server
# is not up afterwards.  Errors of the queries themselves are expected: most
# random queries are wrong.
#
#   FUZZ_QUERIES  queries to run (3000; "make fuzz" runs 20000)
#   FUZZ_SEED     sqlsmith's seed (1): the same seed on the same catalog
#                 gives the same queries
#
# Run by tools/test.sh and by "make fuzz" inside the cluster that
# pg_virtualenv started (PGHOST and PGPORT set).
set -eu

queries=${FUZZ_QUERIES:-3000}
seed=${FUZZ_SEED:-1}
top=$(dirname "$0")/../..
db=dormant_fuzz
role=dormant_fuzz
psql="psql -X -q -v ON_ERROR_STOP=1 -d $db"
work=""
PGTZ=UTC
export PGTZ

cleanup() {
	[ -z "$work" ] || rm -rf "$work"
	dropdb --if-exists "$db" >/dev/null 2>&1 || true
	psql -X -q -d postgres -c "DROP ROLE IF EXISTS $role" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# (left over if a run was cut short in a cluster that is kept)
cleanup
work=$(mktemp -d)
createdb "$db"
$psql -c 'CREATE EXTENSION dormant'
$psql -v customers=100 -v years=1 -v as_of=2026-11-01 -f "$top/tools/demo_data.sql" >/dev/null
$psql -c "SELECT dormant.bind_transactions('demo.orders', 'customer_id', 'ordered_at', 'amount')" \
	-c "SELECT dormant.bind_customers('demo.customers', 'customer_id')" \
	-c "SET client_min_messages = warning" \
	-c "SELECT dormant.bind_activities('demo.activities', 'customer_id', 'occurred_at', 'kind')" \
	-c "SELECT dormant.refresh('2026-11-01')" >/dev/null
# pg_virtualenv's clusters ask for a password: the role gets the same one
$psql -v role="$role" -v password="${PGPASSWORD:-}" <<-'EOF'
	CREATE ROLE :"role" LOGIN IN ROLE dormant_reader;
	SELECT :'password' <> '' AS has_password \gset
	\if :has_password
	ALTER ROLE :"role" PASSWORD :'password';
	\endif
	GRANT USAGE ON SCHEMA demo TO :"role";
	GRANT SELECT ON ALL TABLES IN SCHEMA demo TO :"role";
	GRANT SELECT ON dormant.contact_log TO :"role";
	-- JIT compiles big random queries for seconds, deaf to statement_timeout
	ALTER ROLE :"role" SET jit = off;
EOF

# The server log is the postmaster's standard error; read from here on.
datadir=$($psql -At -c 'SHOW data_directory')
log=$(readlink "/proc/$(head -n 1 "$datadir/postmaster.pid")/fd/2" 2>/dev/null || true)
if [ -z "$log" ] || [ ! -r "$log" ]; then
	echo "fuzz: cannot read the server log (tried the postmaster's standard error)"
	exit 1
fi
offset=$(wc -c < "$log")

start=$(date +%s)
status=0
sqlsmith --target="host=$PGHOST port=$PGPORT dbname=$db user=$role" \
	--seed="$seed" --max-queries="$queries" --exclude-catalog \
	--dump-all-queries --verbose > "$work/queries" 2> "$work/report" || status=$?
seconds=$(($(date +%s) - start))

# sqlsmith's progress: "." a query ran, "e" an error, "t" a timeout, "S" a
# syntax error, "C" a lost connection.  Then "queries: N" and the errors.
progress=$(grep -E '^[.etSC]+$' "$work/report" | tr -d '\n')
count() { printf '%s' "$progress" | tr -cd "$1" | wc -c; }
ran=$(sed -n 's/^queries: //p' "$work/report" | tail -n 1)
# the statements are separated by ";" at the end of a line
ours=$(awk 'BEGIN { RS = ";\n" } /dormant\.[a-z_]+\(/ { n++ } END { print n + 0 }' "$work/queries")
tail -c +"$((offset + 1))" "$log" > "$work/log"
crashes=$(grep -c -E 'server process .* was terminated|terminated by signal' "$work/log" || true)

echo "fuzz: sqlsmith seed $seed, ${ran:-0} queries in $seconds s: $(count .) ran," \
	"$(count e) errors, $(count t) timeouts, $(count S) syntax errors," \
	"$(count C) lost connections; $ours called the extension's functions;" \
	"$crashes backend crashes in the server log"
# the errors by kind, from the last of the reports that sqlsmith prints
# every 800 queries
echo "fuzz: most frequent errors:"
awk '/^queries:/ { n = 0 } /^[0-9]+\t/ { kind[++n] = $0 } END { for (i = 1; i <= n && i <= 5; i++) print "\t" kind[i] }' \
	"$work/report"

if [ "$status" != 0 ] || [ "${ran:-0}" != "$queries" ]; then
	echo "fuzz: sqlsmith failed (exit status $status)"
	tail -n 20 "$work/report"
	exit 1
fi
if [ "$crashes" != 0 ] || [ "$(count C)" != 0 ]; then
	echo "fuzz: a backend crashed:"
	awk '/server process .* was terminated|terminated by signal/ { p = 1; print; next }
		p && (/DETAIL:/ || /^\t/) { print; next } { p = 0 }' "$work/log" | head -n 100
	exit 1
fi
if ! psql -X -q -At -d "$db" -c 'SELECT 1' >/dev/null; then
	echo "fuzz: the server is not up after the run"
	exit 1
fi
echo "fuzz: ok"
