#!/bin/sh
# Crash recovery: the backend running a refresh is killed with SIGKILL, the
# server restarts all sessions and recovers, and afterwards the snapshot
# tables equal the last committed refresh, and the configuration, bindings
# and contact log are intact.  Run by tools/test.sh inside the throwaway
# cluster (PGHOST and PGPORT set by pg_virtualenv).
set -eu

db=dormant_crash
psql="psql -X -q -v ON_ERROR_STOP=1 -d $db"
before=$(mktemp)
after=$(mktemp)
trap 'rm -f "$before" "$after"' EXIT

# What must survive, as text.
state() {
	$psql -At <<-'EOF'
	SELECT 'policy', p::text FROM dormant.policy p
	UNION ALL SELECT 'binding', (b.input, b.source::text, b.customer_column)::text FROM dormant.binding b
	UNION ALL SELECT 'contact_log', l::text FROM dormant.contact_log l
	UNION ALL SELECT 'refresh_log', (r.refresh_id, r.mode, r.customers)::text FROM dormant.refresh_log r
	UNION ALL SELECT 'customer_snapshot', (s.customer_id, s.status, s.purchases, s.monetary, s.refresh_id)::text
		FROM dormant.customer_snapshot s
	UNION ALL SELECT 'segment_history', h::text FROM dormant.segment_history h
	ORDER BY 1, 2;
	EOF
}

createdb "$db"
$psql >/dev/null <<'EOF'
SET client_min_messages = warning;
CREATE EXTENSION dormant;
CREATE TABLE orders (customer_id int, ordered_at timestamptz, amount numeric);
INSERT INTO orders SELECT i % 200, '2025-01-01'::timestamptz + (i % 600) * interval '1 day', 10
  FROM generate_series(1, 2000) i;
SELECT dormant.bind_transactions('orders', 'customer_id', 'ordered_at', 'amount');
UPDATE dormant.policy SET dormant_after = '5 months' WHERE name = 'b2c';
INSERT INTO dormant.contact_log VALUES ('3', 'first_contact', 'email', '2026-11-01', 'no_response', NULL);
SELECT dormant.refresh('2026-11-23') > 0 AS refreshed;
-- A source that takes a few seconds to read, so that the next refresh can
-- be caught running.
CREATE VIEW slow_orders AS SELECT * FROM orders WHERE pg_sleep(0.003) IS NOT NULL;
SELECT dormant.bind_transactions('slow_orders', 'customer_id', 'ordered_at', 'amount');
EOF
state > "$before"

# The refresh, killed halfway.
$psql -c "SELECT dormant.refresh('2026-11-24')" >/dev/null 2>&1 &
refresher=$!
pid=""
tries=0
while [ -z "$pid" ] && [ "$tries" -lt 50 ]; do
	sleep 0.1
	pid=$($psql -At -c "SELECT pid FROM pg_stat_activity
		WHERE query LIKE 'SELECT dormant.refresh(%' AND pid <> pg_backend_pid()")
	tries=$((tries + 1))
done
[ -n "$pid" ] || { echo "crash_refresh: the refresh was not seen running"; exit 1; }
sleep 1
kill -9 "$pid"
wait "$refresher" || true

# The server restarts every session and recovers.
tries=0
until $psql -At -c "SELECT 1" >/dev/null 2>&1; do
	sleep 0.5
	tries=$((tries + 1))
	[ "$tries" -lt 120 ] || { echo "crash_refresh: the server did not come back"; exit 1; }
done

state > "$after"
status=0
if ! cmp -s "$before" "$after"; then
	echo "crash_refresh: the state after the crash differs from the last committed one"
	diff "$before" "$after" | head -20
	status=1
fi
[ "$(grep -c '^customer_snapshot' "$after")" -gt 0 ] || { echo "crash_refresh: no snapshot"; status=1; }

# And the next refresh works.
$psql -At -c "SET client_min_messages = warning" -c "SELECT dormant.refresh('2026-11-24') > 0" >/dev/null ||
	status=1
dropdb "$db"
[ "$status" = 0 ] && echo "crash_refresh: ok (backend $pid killed during a refresh; $(wc -l < "$after") rows of state unchanged)"
exit $status
