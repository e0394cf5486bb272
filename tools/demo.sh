#!/bin/sh
# "make demo", inside the cluster that pg_virtualenv started: a generated
# B2C shop (tools/demo_data.sql) and the first report an analyst asks for
# (tools/demo_report.sql).
set -eu

here=$(dirname "$0")
db=dormant_demo
as_of=2026-11-01
years=2
psql="psql -X -q -v ON_ERROR_STOP=1 -d $db"
# The shop keeps UTC: purchase days and dates then read the same on every
# machine, whatever the server's own time zone.
PGTZ=UTC
export PGTZ
# JIT compilation of the pipeline's many expressions costs more than it
# saves on a shop of this size (see the README's FAQ).
PGOPTIONS="${PGOPTIONS:-} -c jit=off"
export PGOPTIONS

# Seconds since the epoch with a fraction (GNU date, as on Debian).
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

createdb "$db"
$psql -c 'CREATE EXTENSION dormant'
# The shop's choice on top of the shipped B2C thresholds: a customer with
# 1,000 or more of past net revenue is high value once silent.
$psql -c "UPDATE dormant.policy SET high_value_amount = 1000 WHERE name = 'b2c'"

start=$(now)
$psql -v as_of="$as_of" -v years="$years" -f "$here/demo_data.sql"
generated=$(since "$start")
# (captured first: a failing command inside a pipe would go unnoticed)
counts=$($psql -At -F ' ' -c "
	SELECT (SELECT count(*) FROM demo.customers),
		   (SELECT count(*) FROM demo.orders),
		   (SELECT count(*) FROM demo.orders WHERE amount < 0),
		   (SELECT count(*) FROM demo.activities)")
set -- $counts
echo "Demo shop: $1 customers, $2 orders ($3 of them refunds) and $4 other" \
	"activities over $years years up to $as_of"

# Bound once, as a DBA would; the report reads the live views.
$psql -c "SELECT dormant.bind_transactions('demo.orders', 'customer_id', 'ordered_at', 'amount')" \
	-c "SELECT dormant.bind_customers('demo.customers', 'customer_id')" \
	-c "SET client_min_messages = warning" \
	-c "SELECT dormant.bind_activities('demo.activities', 'customer_id', 'occurred_at', 'kind')" >/dev/null

start=$(now)
$psql -v as_of="$as_of" -f "$here/demo_report.sql"
reported=$(since "$start")

start=$(now)
$psql -At -c "SET client_min_messages = warning" -c "SELECT dormant.refresh('$as_of')" >/dev/null
echo
echo "Generated in $generated s, report in $reported s; dormant.refresh() wrote" \
	"the snapshot tables in $(since "$start") s."
