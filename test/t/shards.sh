#!/bin/sh
# Scaling out with postgres_fdw: two more clusters serve as shards, each
# with the extension installed; on the coordinator, shop.orders is
# hash-partitioned by customer into four foreign tables, two on each shard,
# bound with dormant.bind_transactions.  Checks that
#  - a query grouping by the partition key with rfm_agg runs the aggregate
#    on the shards (it is in the Remote SQL of every foreign scan, and the
#    coordinator aggregates nothing) and gives what a local table gives;
#  - rows inserted through the coordinator after binding reach the shards;
#  - dormant.refresh() on the coordinator writes the customer, segment and
#    schedule snapshots and the stored states that a refresh of the same
#    rows in a plain local table writes, with TimeZone UTC and with another
#    zone;
#  - with TimeZone UTC the refresh aggregates on the shards (the shards ran
#    rfm_state_agg grouped by customer), and with another zone it does not,
#    since postgres_fdw runs remote sessions in UTC and purchase days are
#    counted in the refresh's zone.
# The local refresh compared with the UTC one runs in Etc/Universal: the
# same clock under another name.
# Run by tools/test.sh inside the throwaway cluster (PGHOST, PGPORT and
# PGUSER set by pg_virtualenv, for a superuser); the shards use the same
# PostgreSQL installation as that cluster, listen on Unix sockets in a
# directory of their own only, and are stopped and removed on exit.
set -eu

coordinator=dormant_shards
reference=dormant_shards_local
shards="1 2"
base_port=15432		# ports name the sockets in $work only: no clash possible
user=${PGUSER:-$(id -un)}
psql="psql -X -q -v ON_ERROR_STOP=1"

work=$(mktemp -d /tmp/dormant-shards.XXXXXX)
# initdb refuses to run as root; under root, pg_virtualenv's clusters
# belong to postgres, and so do these.
if [ "$(id -u)" = 0 ]; then
	chown postgres "$work"
	as_owner() { su postgres -s /bin/sh -c "$*"; }
else
	as_owner() { sh -c "$*"; }
fi
bindir=$($psql -At -d postgres -c "SELECT setting FROM pg_catalog.pg_config WHERE name = 'BINDIR'")

cleanup() {
	for n in $shards; do
		if [ -f "$work/shard$n/postmaster.pid" ]; then
			as_owner "'$bindir/pg_ctl' -D '$work/shard$n' -m immediate -w stop" >/dev/null 2>&1 || true
		fi
	done
	dropdb --if-exists "$coordinator" 2>/dev/null || true
	dropdb --if-exists "$reference" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

fail() {
	echo "shards: $*"
	exit 1
}

shard_psql() {
	n=$1
	shift
	$psql -h "$work" -p $((base_port + n)) -U "$user" -d postgres "$@"
}

# The shards: each holds its partitions of the orders as plain tables.
for n in $shards; do
	as_owner "'$bindir/initdb' -D '$work/shard$n' -U '$user' -A trust -E UTF8 --no-locale --no-sync" \
		>"$work/shard$n.initdb" 2>&1 || { cat "$work/shard$n.initdb"; fail "initdb of shard $n failed"; }
	as_owner "'$bindir/pg_ctl' -D '$work/shard$n' -l '$work/shard$n.log' -w -t 60 start \
		-o \"-p $((base_port + n)) -k '$work' -c listen_addresses='' -c fsync=off \
			-c shared_buffers=16MB -c max_connections=10 \
			-c shared_preload_libraries=pg_stat_statements\"" >/dev/null 2>&1 ||
		{ cat "$work/shard$n.log"; fail "shard $n did not start"; }
	shard_psql "$n" <<-EOF
	SET client_min_messages = warning;
	CREATE EXTENSION dormant;
	CREATE EXTENSION pg_stat_statements;
	CREATE TABLE orders_$((n - 1)) (customer_id int, ordered_at timestamptz, amount numeric);
	CREATE TABLE orders_$((n + 1)) (customer_id int, ordered_at timestamptz, amount numeric);
	EOF
done

# The coordinator: the orders are partitioned by customer, and partition r
# of 4 lives on shard r % 2 + 1.  The reference: the same rows in a plain
# table on one node.
for db in "$coordinator" "$reference"; do
	createdb "$db"
	$psql -d "$db" -c "SET client_min_messages = warning" -c "CREATE EXTENSION dormant" -c "CREATE SCHEMA shop"
done
{
	echo "CREATE EXTENSION postgres_fdw;"
	for n in $shards; do
		echo "CREATE SERVER shard$n FOREIGN DATA WRAPPER postgres_fdw
			OPTIONS (host '$work', port '$((base_port + n))', dbname 'postgres',
					 extensions 'dormant', batch_size '1000');
		CREATE USER MAPPING FOR CURRENT_USER SERVER shard$n OPTIONS (user '$user');"
	done
	echo "CREATE TABLE shop.orders (customer_id int, ordered_at timestamptz, amount numeric)
		PARTITION BY HASH (customer_id);"
	for r in 0 1 2 3; do
		echo "CREATE FOREIGN TABLE shop.orders_$r PARTITION OF shop.orders
			FOR VALUES WITH (MODULUS 4, REMAINDER $r)
			SERVER shard$((r % 2 + 1)) OPTIONS (schema_name 'public', table_name 'orders_$r');"
	done
	echo "ALTER DATABASE $coordinator SET enable_partitionwise_aggregate = on;"
} | $psql -d "$coordinator"

$psql -d "$reference" -c "CREATE TABLE shop.orders (customer_id int, ordered_at timestamptz, amount numeric)"

# The same customers, orders and contacts in both; half the orders are
# inserted after binding.  Times fall at every hour of the day, so that
# purchase days depend on the TimeZone they are counted in.
for db in "$coordinator" "$reference"; do
	PGTZ=UTC $psql -d "$db" >/dev/null <<-'EOF' || fail "loading or binding the orders failed in $db"
	SET client_min_messages = warning;
	INSERT INTO shop.orders
	SELECT CASE WHEN c % 997 = 0 AND k = 1 THEN NULL ELSE c END,
		   timestamptz '2024-06-01' + ((c * 37 + k * 53) % 800) * interval '1 day'
									+ ((c * 7 + k * 11) % 24) * interval '1 hour',
		   CASE WHEN (c + k) % 23 = 0 THEN -(5 + c % 20) WHEN (c + k) % 31 = 0 THEN NULL
				ELSE 10 + (c * k) % 190 END
	  FROM generate_series(1, 3000) c, generate_series(1, 1 + c % 6) k;
	CREATE TABLE shop.customers (customer_id int PRIMARY KEY, opted_out boolean, policy text,
								 reason text, email_ok boolean, phone_ok boolean);
	INSERT INTO shop.customers
	SELECT c, c % 41 = 0, CASE WHEN c % 5 = 0 THEN 'b2b' END, CASE WHEN c % 7 = 0 THEN 'budget' END,
		   c % 4 <> 0, c % 3 = 0
	  FROM generate_series(1, 3200) c;
	SELECT dormant.bind_transactions('shop.orders', 'customer_id', 'ordered_at', 'amount');
	SELECT dormant.bind_customers('shop.customers', 'customer_id');
	INSERT INTO shop.orders
	SELECT c, timestamptz '2026-04-01' + ((c * 13 + k * 29) % 150) * interval '1 day'
									   + ((c + k * 5) % 24) * interval '1 hour',
		   5 + (c + k) % 300
	  FROM generate_series(2001, 3200) c, generate_series(1, 2) k;
	INSERT INTO dormant.contact_log
	SELECT c::text, 'first_contact', 'email', timestamptz '2026-09-01 10:00' + (c % 20) * interval '1 day',
		   CASE WHEN c % 3 = 0 THEN 'no_response' WHEN c % 3 = 1 THEN 'replied' END::dormant.outcome, NULL
	  FROM generate_series(1, 3000, 19) c;
	EOF
done
rows=$($psql -At -d "$coordinator" -c "SELECT count(*) FROM shop.orders")
for n in $shards; do
	on_shard=$(shard_psql "$n" -At -c "SELECT (SELECT count(*) FROM orders_$((n - 1))) + (SELECT count(*) FROM orders_$((n + 1)))")
	[ "$on_shard" -gt 0 ] || fail "shard $n holds no orders"
done
[ "$rows" = "$($psql -At -d "$reference" -c "SELECT count(*) FROM shop.orders")" ] ||
	fail "the sharded and the local orders differ in number"

# a. Grouped by the partition key, rfm_agg runs on the shards: each
# foreign scan ships it in its Remote SQL, and no aggregate is left to the
# coordinator.
query="SELECT customer_id, dormant.rfm_agg(ordered_at, amount) FROM shop.orders GROUP BY customer_id"
$psql -At -d "$coordinator" -c "EXPLAIN (VERBOSE, COSTS OFF) $query" > "$work/plan"
pushed=$(grep -Ec 'Remote SQL: SELECT customer_id, dormant\.rfm_agg\(ordered_at, amount\) FROM public\.orders_[0-3] GROUP BY 1$' "$work/plan" || true)
local_aggregates=$(grep -Ec '^ *(-> +)?(Partial |Finalize )?(Hash|Group|Mixed)?Aggregate$' "$work/plan" || true)
if [ "$pushed" != 4 ] || [ "$local_aggregates" != 0 ]; then
	cat "$work/plan"
	fail "rfm_agg is not run on the shards for each of the 4 partitions ($pushed pushed down, $local_aggregates aggregates on the coordinator)"
fi
for db in "$coordinator" "$reference"; do
	PGTZ=UTC $psql -At -d "$db" -c "SELECT customer_id, s::text FROM ($query) r(customer_id, s) ORDER BY 1" > "$work/rfm.$db"
done
cmp -s "$work/rfm.$coordinator" "$work/rfm.$reference" || {
	diff "$work/rfm.$reference" "$work/rfm.$coordinator" | head -10
	fail "rfm_agg on the shards differs from rfm_agg on a local table"
}

# b. A refresh on the coordinator writes what a refresh on one node
# writes.  $1: the TimeZone of the coordinator's refresh; $2: that of the
# local one; $3: whether the shards must have aggregated.
refresh_and_compare() {
	zone=$1
	for n in $shards; do
		shard_psql "$n" -At -c "SELECT pg_stat_statements_reset()" >/dev/null
	done
	for db in "$coordinator" "$reference"; do
		[ "$db" = "$reference" ] && zone=$2
		PGTZ=$zone $psql -At -d "$db" -c "SET client_min_messages = warning" \
			-c "SELECT dormant.refresh('2026-09-30 12:00+00')" >/dev/null ||
			fail "dormant.refresh() failed in $db (TimeZone $zone)"
	done
	zone=$1
	for table in customer_snapshot segment_snapshot schedule_snapshot customer_state; do
		query="SELECT (pg_catalog.to_jsonb(s) - 'refresh_id' - 'as_of')::text FROM dormant.$table s ORDER BY 1"
		[ "$table" = customer_state ] && query="SELECT customer_id, state::text FROM dormant.customer_state ORDER BY 1"
		for db in "$coordinator" "$reference"; do
			$psql -At -d "$db" -c "$query" > "$work/$table.$db"
		done
		[ -s "$work/$table.$reference" ] || fail "dormant.$table is empty after the local refresh ($zone)"
		cmp -s "$work/$table.$coordinator" "$work/$table.$reference" || {
			diff "$work/$table.$reference" "$work/$table.$coordinator" | head -10
			fail "dormant.$table differs between the sharded and the local refresh (TimeZone $zone)"
		}
	done
	# What the shards ran: postgres_fdw sends each partition's query as a
	# cursor; pg_stat_statements keeps its text.
	for n in $shards; do
		ran=$(shard_psql "$n" -At -c "SELECT count(*) FROM pg_stat_statements
			WHERE query ~ 'dormant\.rfm_state_agg\(ordered_at, amount\) FROM public\.orders_[0-3] .*GROUP BY 1'")
		if [ "$3" = yes ] && [ "$ran" != 2 ]; then
			shard_psql "$n" -At -c "SELECT query FROM pg_stat_statements WHERE query LIKE '%orders%'"
			fail "with TimeZone $zone, the refresh did not aggregate both partitions on shard $n ($ran)"
		fi
		if [ "$3" = no ] && [ "$ran" != 0 ]; then
			fail "with TimeZone $zone, the refresh aggregated on shard $n, where purchase days are UTC days"
		fi
	done
}
refresh_and_compare UTC Etc/Universal yes
refresh_and_compare America/New_York America/New_York no

customers=$($psql -At -d "$coordinator" -c "SELECT count(*) FROM dormant.customer_snapshot")
echo "shards: ok (2 shards, 4 partitions, $rows orders, $customers customers; rfm_agg and the refresh aggregate on the shards, and the snapshots equal a local refresh's)"
