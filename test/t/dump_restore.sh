#!/bin/sh
# Dump and restore: a database using dormant, dumped with pg_dump and
# restored with psql into a new database, keeps its policies, reasons,
# playbook, channels, holidays, bindings, contact log and refresh results,
# and refreshes to the same tables.  Run by tools/test.sh inside the
# throwaway cluster (PGHOST and PGPORT set by pg_virtualenv).
set -eu

src=dormant_dump_src
dst=dormant_dump_dst
dump=$(mktemp)
trap 'rm -f "$dump" "$dump.src" "$dump.dst"' EXIT
psql="psql -X -q -v ON_ERROR_STOP=1"

createdb "$src"
$psql -d "$src" >/dev/null <<'EOF'
SET client_min_messages = warning;
SET TimeZone = 'UTC';
CREATE EXTENSION dormant;
CREATE SCHEMA shop;
CREATE TABLE shop.orders (customer_id int, ordered_at timestamptz, amount numeric);
INSERT INTO shop.orders
SELECT c, timestamptz '2024-11-23' + ((c * 37 + k * 53) % 700) * interval '1 day', 10 + (c + k) % 90
  FROM generate_series(1, 300) c, generate_series(1, 1 + c % 7) k;
CREATE TABLE shop.customers (customer_id int PRIMARY KEY, opted_out boolean, policy text, reason text,
							 email_ok boolean, phone_ok boolean);
INSERT INTO shop.customers
SELECT c, c % 17 = 0, CASE WHEN c % 5 = 0 THEN 'b2b' END, CASE WHEN c % 3 = 0 THEN 'budget' END,
	   c % 4 <> 0, c % 2 = 0
  FROM generate_series(1, 300) c;
SELECT dormant.bind_transactions('shop.orders', 'customer_id', 'ordered_at', 'amount');
SELECT dormant.bind_customers('shop.customers', 'customer_id');

-- Edits of shipped rows, and rows of the user's own.
UPDATE dormant.policy SET dormant_after = '5 months', value_scale = 20000 WHERE name = 'b2c';
INSERT INTO dormant.policy (name, at_risk_after, dormant_after, lapsed_after) VALUES ('wholesale', '2 months', '4 months', '8 months');
UPDATE dormant.reason SET approach = 'Call and ask about the budget cycle' WHERE code = 'budget';
INSERT INTO dormant.reason VALUES ('moved', 'Moved away', 'Offer delivery to the new address', 'Delivery terms', 'mail');
UPDATE dormant.channel SET daily_capacity = 25 WHERE channel = 'phone';
UPDATE dormant.playbook SET action = 'Call from the account manager' WHERE tier = 'high' AND phase = 'first_contact' AND preference = 1;
UPDATE dormant.activity_kind SET weight = 2 WHERE kind = 'web_visit';
INSERT INTO dormant.holiday VALUES ('2026-12-25', 'Christmas'), ('2027-01-01', 'New Year');
INSERT INTO dormant.goal VALUES ('default', 'reactivation_rate', 0.1);
INSERT INTO dormant.contact_log VALUES
	('2', 'first_contact', 'phone', '2026-11-02 10:00+00', 'no_response', 'left a message'),
	('4', 'first_contact', 'email', '2026-11-03 10:00+00', 'replied', NULL);
SELECT dormant.refresh('2026-11-23 00:00+00') > 0 AS refreshed;
EOF

pg_dump -d "$src" > "$dump"
createdb "$dst"
$psql -d "$dst" -f "$dump" >/dev/null

# The same configuration, history and results, table by table.
tables="policy reason channel playbook activity_kind holiday goal binding contact_log
	refresh_log model_fit enrolment customer_snapshot segment_snapshot segment_history
	schedule_snapshot kpi_snapshot"
status=0
for table in $tables; do
	query="SELECT t::text FROM dormant.$table t ORDER BY 1"
	[ "$table" = binding ] && query="SELECT (t.input, t.source::text, t.customer_column, t.occurred_at_column,
		t.amount_column, t.kind_column)::text FROM dormant.binding t ORDER BY 1"
	$psql -At -d "$src" -c "$query" > "$dump.src"
	$psql -At -d "$dst" -c "$query" > "$dump.dst"
	if ! cmp -s "$dump.src" "$dump.dst"; then
		echo "dump_restore: dormant.$table differs after restore"
		diff "$dump.src" "$dump.dst" | head -10
		status=1
	fi
done

# The restored bindings work: a refresh of the restored database writes the
# customer snapshot that a refresh of the original writes.
for db in "$src" "$dst"; do
	$psql -At -d "$db" -c "SET client_min_messages = warning" \
		-c "SELECT dormant.refresh('2026-11-24 00:00+00') > 0" >/dev/null
	$psql -At -d "$db" -c "SELECT (customer_id, status, depth, score, tier, holdout, purchases, monetary)::text
		FROM dormant.customer_snapshot ORDER BY 1" > "$dump.$([ "$db" = "$src" ] && echo src || echo dst)"
done
if ! cmp -s "$dump.src" "$dump.dst"; then
	echo "dump_restore: a refresh after the restore gives another customer snapshot"
	diff "$dump.src" "$dump.dst" | head -10
	status=1
fi
[ -s "$dump.src" ] || { echo "dump_restore: empty snapshot"; status=1; }

dropdb "$src"
dropdb "$dst"
[ "$status" = 0 ] && echo "dump_restore: ok ($(echo $tables | wc -w) tables and a refresh compared)"
exit $status
