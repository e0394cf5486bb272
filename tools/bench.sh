#!/bin/sh
# "make bench", inside the cluster that pg_virtualenv started: generate the
# demo shop at scale, then time dormant.rfm_agg against PostgreSQL's own
# count, min, max and sum over the same rows, grouped the same way, serial
# and with two parallel workers; the BG/NBD fit and scores; and the refresh
# pipeline, full and incremental, against the same pipeline written as plain
# SQL (tools/bench_peer.sql), whose results it checks against the refresh's.
#
#   BENCH_SCALE  1 = 1,000,000 customers and about 11,000,000 orders over
#                three years (0.1 for a quick run)
#   BENCH_RUNS   timed runs of each query (3); the table shows the best
#   BENCH_SEED   seed of the generated shop (0.42, as tools/demo_data.sql)
#   BENCH_RFM       off to skip rfm_agg against the native aggregates (on)
#   BENCH_BGNBD     off to skip the BG/NBD fit and scores (on)
#   BENCH_PIPELINE  off to skip the refresh pipeline and the peer (on)
#   BENCH_PEER      off to skip the plain-SQL peer of the pipeline (on)
#   BENCH_RECORD    off not to append the run's output to BENCHMARKS.md (on)
set -eu

here=$(dirname "$0")

# The run's output goes to the terminal and, when the run succeeds, to the
# end of BENCHMARKS.md with the date: the machine, the server's version,
# the settings and every figure are in it.
if [ -z "${BENCH_INNER:-}" ]; then
	out=$(mktemp -d)
	{
		if BENCH_INNER=1 "$0"; then echo 0 > "$out/status"; else echo $? > "$out/status"; fi
	} 2>&1 | tee "$out/log"
	status=$(cat "$out/status")
	if [ "$status" = 0 ] && [ "${BENCH_RECORD:-on}" != off ]; then
		{
			printf '\n## `make bench`, %s\n\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
			printf 'The output of the run, as printed (BENCH_SCALE=%s, BENCH_RUNS=%s).\n\n```\n' \
				"${BENCH_SCALE:-1}" "${BENCH_RUNS:-3}"
			cat "$out/log"
			printf '```\n'
		} >> "$here/../BENCHMARKS.md"
		echo "appended to BENCHMARKS.md"
	fi
	rm -rf "$out"
	exit "$status"
fi
scale=${BENCH_SCALE:-1}
runs=${BENCH_RUNS:-3}
seed=${BENCH_SEED:-0.42}
customers=$(awk -v s="$scale" 'BEGIN { printf "%d", 1000000 * s }')
db=dormant_bench
# Every part's work_mem, one value so that they cannot drift apart: the
# hash table of a million customers fits in it, for each query timed.
work_mem=1GB
psql="psql -X -q -v ON_ERROR_STOP=1 -v work_mem=$work_mem -d $db"

# Seconds since the epoch with a fraction (GNU date, as on Debian).
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

echo "== machine"
echo "cpus:   $(nproc) x $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
echo "memory: $(awk '/^MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)"
echo "date:   $(date -u '+%Y-%m-%d %H:%M UTC')"

createdb "$db"
$psql -c 'CREATE EXTENSION dormant'
$psql -At -c 'SELECT version()'

# The pipeline reads the customers' other touchpoints (mail opens, web
# visits, meetings, complaints ...) too; the other parts read the orders
# only, which are the same either way.
activities=on
[ "${BENCH_PIPELINE:-on}" = off ] && activities=off

echo
echo "== data: $customers customers over 3 years (tools/demo_data.sql, seed $seed, activities $activities)"
start=$(now)
$psql -v customers="$customers" -v years=3 -v seed="$seed" -v activities=$activities -f "$here/demo_data.sql"
echo "generated in $(since "$start") s"
$psql -c "
	SELECT count(*) AS orders,
		   count(*) FILTER (WHERE amount < 0) AS refunds,
		   count(DISTINCT customer_id) AS customers,
		   pg_size_pretty(pg_table_size('demo.orders')) AS table_size
	FROM demo.orders"
if [ "$activities" = on ]; then
	$psql -c "
		SELECT sum(n) AS activities,
			   pg_size_pretty(pg_table_size('demo.activities')) AS table_size,
			   string_agg(kind || ' ' || n, ', ' ORDER BY n DESC) AS kinds
		FROM (SELECT kind, count(*) AS n FROM demo.activities GROUP BY kind) a" -c "
		SELECT count(*) AS customer_rows,
			   count(*) FILTER (WHERE opted_out) AS opted_out,
			   count(reason) AS with_reason
		FROM demo.customers"
fi

# Results of every timed run, kept across the sessions below.
$psql -c "
	CREATE TABLE runs (
		query text, workers int, zone text, run int,
		ms numeric, peak_kb bigint, parallel boolean, revenue numeric)"

# The same session settings for every query: the hash table of a million
# customers fits in memory (no spill to disk for either query), and JIT,
# which would compile both queries' expressions, stays off so that the
# aggregates are what is compared.
settings() {
	cat <<-EOF
	SET work_mem = :'work_mem';
	SET jit = off;
	SET TimeZone = '$1';
	SET max_parallel_workers_per_gather = $2;
	-- with workers, make sure the plan uses them for both queries
	SET parallel_setup_cost = 0;
	SET parallel_tuple_cost = 0;
	EOF
}

# Both queries aggregate every row of demo.orders per customer, and the
# outer query reads every aggregate (an unread one would not be computed).
native="SELECT sum(n) AS purchases, max(f) AS first_at, max(l) AS last_at, sum(m) AS revenue
	FROM (SELECT customer_id, count(*) AS n, min(ordered_at) AS f, max(ordered_at) AS l,
				 sum(amount) AS m
		  FROM demo.orders GROUP BY customer_id) s"
rfm="SELECT sum((r).purchases) AS purchases, max((r).first_at) AS first_at,
		max((r).last_at) AS last_at, sum((r).monetary) AS revenue
	FROM (SELECT customer_id, dormant.rfm_agg(ordered_at, amount) AS r
		  FROM demo.orders GROUP BY customer_id) s"

# One run of one query in a new session (a new backend), so that the peak
# memory (VmHWM) read from /proc at its end belongs to that query alone.
measure() {
	label=$1 workers=$2 zone=$3 run=$4 query=$5
	{
		settings "$zone" "$workers"
		cat <<-EOF
		CREATE FUNCTION pg_temp.parallel(query text) RETURNS boolean
		LANGUAGE plpgsql AS \$\$
		DECLARE
			plan text;
		BEGIN
			EXECUTE 'EXPLAIN (FORMAT JSON, COSTS OFF) ' || query INTO plan;
			RETURN plan LIKE '%"Partial Mode": "Partial"%';
		END
		\$\$;
		SELECT pg_temp.parallel(\$q\$ $query \$q\$) AS parallel \gset
		SELECT clock_timestamp() AS t0 \gset
		$query \gset result_
		INSERT INTO runs VALUES ('$label', $workers, '$zone', $run,
			round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) * 1000),
			substring(pg_read_file('/proc/self/status') FROM 'VmHWM:\s+(\d+)')::bigint,
			:'parallel', :'result_revenue');
		EOF
	} | $psql
}

if [ "${BENCH_RFM:-on}" != off ]; then
echo
echo "== timing: best of $runs runs, each in a new session, with these settings"
{
	settings UTC 2
	echo "SELECT name, setting, unit FROM pg_settings
		WHERE name IN ('work_mem', 'hash_mem_multiplier', 'jit', 'TimeZone', 'shared_buffers',
					   'max_parallel_workers_per_gather', 'max_parallel_workers',
					   'parallel_leader_participation', 'parallel_setup_cost', 'parallel_tuple_cost')
		ORDER BY name"
} | $psql -P footer=off
echo "(max_parallel_workers_per_gather is 0 for the serial runs; TimeZone as in the table)"
start=$(now)
run=1
while [ "$run" -le "$runs" ]; do
	for workers in 0 2; do
		measure 'native count/min/max/sum' "$workers" UTC "$run" "$native"
		measure 'dormant.rfm_agg' "$workers" UTC "$run" "$rfm"
		measure 'dormant.rfm_agg' "$workers" Europe/Berlin "$run" "$rfm"
	done
	run=$((run + 1))
done
echo "timed in $(since "$start") s"

$psql -P footer=off <<-'EOF'
	\echo
	SELECT CASE WHEN count(DISTINCT revenue) = 1 THEN 'yes' ELSE 'NO' END
		   AS "same net revenue in every run",
		   CASE WHEN bool_and(parallel = (workers > 0)) THEN 'yes' ELSE 'NO' END
		   AS "parallel plan exactly where workers were allowed"
	FROM runs;
	WITH best AS (
		SELECT query, workers, zone, min(ms) AS ms,
			   percentile_disc(0.5) WITHIN GROUP (ORDER BY ms) AS median_ms,
			   max(peak_kb) AS peak_kb
		FROM runs GROUP BY query, workers, zone
	)
	SELECT b.query, b.workers, b.zone AS "TimeZone", b.ms AS best_ms, b.median_ms,
		   round(b.ms / n.ms, 2) AS "x native",
		   round(b.peak_kb / 1024.0) AS "peak MB"
	FROM best b
	JOIN best n ON n.workers = b.workers AND n.query LIKE 'native%'
	ORDER BY b.workers, b.query DESC, b.zone DESC;
	\echo 'peak MB: VmHWM of the session''s backend (with workers: the leader only),'
	\echo 'shared buffers it touched included.'
EOF
fi

# The BG/NBD model on every customer of the shop: the inputs in days from
# one rfm_agg per customer, then the fit and the scores, each timed alone.
if [ "${BENCH_BGNBD:-on}" != off ]; then
echo
echo "== BG/NBD: fit and scores over every customer (jit off)"
$psql -P footer=off <<-'EOF'
	SET work_mem = :'work_mem';
	SET jit = off;
	SET TimeZone = 'UTC';
	SELECT max(ordered_at) + interval '1 day' AS as_of FROM demo.orders \gset
	CREATE TABLE model_inputs AS
	SELECT (dormant.model_inputs((s).purchase_days, ((s).first_at)::date, ((s).last_at)::date, (:'as_of')::date)).*
	FROM (SELECT dormant.rfm_agg(ordered_at, amount) AS s FROM demo.orders GROUP BY customer_id) c;
	ANALYZE model_inputs;
	CREATE TABLE bgnbd_runs (what text, run int, ms numeric);
	CREATE TABLE fitted AS SELECT dormant.bgnbd_fit(frequency, recency, age, 0.01) AS p FROM model_inputs;
	DO $$
	DECLARE
		t0 timestamptz;
		p dormant.bgnbd_params;
		n bigint;
	BEGIN
		FOR run IN 1..3 LOOP
			t0 := clock_timestamp();
			p := (SELECT dormant.bgnbd_fit(frequency, recency, age, 0.01) FROM model_inputs);
			INSERT INTO bgnbd_runs VALUES ('bgnbd_fit', run, round(extract(epoch FROM clock_timestamp() - t0) * 1000));
			t0 := clock_timestamp();
			n := (SELECT count(dormant.p_alive(frequency, recency, age, f.p)) FROM model_inputs, fitted f);
			INSERT INTO bgnbd_runs VALUES ('p_alive', run, round(extract(epoch FROM clock_timestamp() - t0) * 1000));
			t0 := clock_timestamp();
			n := (SELECT count(*) FROM model_inputs, fitted f WHERE f.p IS NOT NULL);
			INSERT INTO bgnbd_runs VALUES ('the same scan without p_alive', run, round(extract(epoch FROM clock_timestamp() - t0) * 1000));
		END LOOP;
	END
	$$;
	\echo 'the shop''s data determine no maximum without one (nobody is seen dropping out): penalty 0.01'
	SELECT (SELECT count(*) FROM model_inputs) AS customers, (p).customers AS fitted,
		   round((p).r::numeric, 4) AS r, round((p).alpha::numeric, 2) AS alpha,
		   round((p).a::numeric, 4) AS a, round((p).b::numeric, 4) AS b, (p).converged, (p).iterations
	FROM fitted;
	SELECT what, min(ms) AS best_ms, percentile_disc(0.5) WITHIN GROUP (ORDER BY ms) AS median_ms
	FROM bgnbd_runs GROUP BY what ORDER BY what;
EOF
fi

# The pipeline on the same data: full and incremental refreshes, the
# BG/NBD fit that each refresh makes, P(alive) over every customer, and the
# same pipeline written as plain SQL, timed against the full refresh and
# checked against its snapshot.  Every session has the work_mem and JIT of
# the native baseline above, and the planner's own parallel costs.
[ "${BENCH_PIPELINE:-on}" = off ] && exit 0
peer=on
[ "${BENCH_PEER:-on}" = off ] && peer=off
echo
echo "== pipeline: dormant.refresh on the same shop (work_mem $work_mem as above, jit off as refresh sets it)"
# One as_of for every refresh and the peer: a day after the last order.
as_of=$($psql -At -c "SELECT to_char((max(ordered_at) + interval '1 day') AT TIME ZONE 'UTC',
										'YYYY-MM-DD HH24:MI:SS.US+00') FROM demo.orders")
echo "as_of $as_of, TimeZone $($psql -At -c 'SHOW TimeZone')"
# The shop's choice, as in make demo: 1,000 or more of past net revenue
# makes a silent customer high value.
$psql -c "UPDATE dormant.policy SET high_value_amount = 1000 WHERE name = 'b2c'"
$psql -c "
	CREATE TABLE pipeline_runs (
		what text, run int, ms numeric, peak_kb bigint, refresh_id bigint)"
# Rows of pipeline_runs: the time of what ran since :'t0', the peak
# resident memory of this session's backend, and the latest refresh.
record() {
	cat <<-EOF
	INSERT INTO pipeline_runs VALUES ('$1', $2,
		round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) * 1000),
		substring(pg_read_file('/proc/self/status') FROM 'VmHWM:\s+(\d+)')::bigint,
		(SELECT max(refresh_id) FROM dormant.refresh_log));
	EOF
}
start=$(now)
{
	cat <<-'EOF'
	SET work_mem = :'work_mem';
	SET client_min_messages = warning;
	SELECT dormant.bind_transactions('demo.orders', 'customer_id', 'ordered_at', 'amount');
	SELECT dormant.bind_customers('demo.customers', 'customer_id');
	SELECT dormant.bind_activities('demo.activities', 'customer_id', 'occurred_at', 'kind');
	SELECT clock_timestamp() AS t0 \gset
	SELECT dormant.refresh(:'as_of') AS full_refresh;
	EOF
	record 'first full refresh' 1
	cat <<-'EOF'
	-- 1% new orders in the last days before as_of
	INSERT INTO demo.orders (order_id, customer_id, ordered_at, amount)
	SELECT 100000000 + i, (hashint8(i) & 2147483647) % (SELECT max(customer_id) FROM demo.customers) + 1,
		   :'as_of'::timestamptz - interval '3 days' + (i % 259200) * interval '1 second', 20 + i % 80
	FROM generate_series(1, (SELECT count(*) / 100 FROM demo.orders)) i;
	SELECT dormant.refresh(:'as_of') AS incremental_refresh;
	-- 1% late orders, dated anywhere in the three years
	INSERT INTO demo.orders (order_id, customer_id, ordered_at, amount)
	SELECT 200000000 + i, (hashint8(-i) & 2147483647) % (SELECT max(customer_id) FROM demo.customers) + 1,
		   :'as_of'::timestamptz - (i % 1095) * interval '1 day', 20 + i % 80
	FROM generate_series(1, (SELECT count(*) / 100 FROM demo.orders)) i;
	SELECT dormant.refresh(:'as_of') AS late_rows_refresh;
	ANALYZE demo.orders;
	EOF
} | $psql -v as_of="$as_of" -P footer=off

# Then, on the final data, full refreshes and the peer in turn, each in a
# new session with the same settings.
run=1
while [ "$run" -le "$runs" ]; do
	{
		cat <<-'EOF'
		SET work_mem = :'work_mem';
		SET client_min_messages = warning;
		SELECT clock_timestamp() AS t0 \gset
		SELECT dormant.refresh(:'as_of', full_refresh => true) AS full_again \gset
		EOF
		record 'full refresh' "$run"
	} | $psql -v as_of="$as_of"
	if [ "$peer" != off ]; then
		{
			cat <<-EOF
			SET work_mem = :'work_mem';
			SET jit = off;
			SET client_min_messages = warning;
			DROP TABLE IF EXISTS peer_purchases, peer_customers, peer_calendar, peer_channels, peer_next,
				peer_schedule, peer_segments;
			SELECT clock_timestamp() AS t0 \gset
			\i '$here/bench_peer.sql'
			EOF
			record 'plain-SQL peer' "$run"
		} | $psql -v as_of="$as_of"
	fi
	run=$((run + 1))
done

# What no refresh can do without, on the same data and settings: the
# aggregation of every transaction into the states, and writing the rows
# the last full refresh wrote (the states, the customer snapshot beside the
# previous one and the deletion of the previous one, the schedule), each
# timed alone in one transaction that is then rolled back.
$psql -v as_of="$as_of" <<-'EOF'
	SET work_mem = :'work_mem';
	SET client_min_messages = warning;
	CREATE TEMPORARY TABLE floor_schedule AS SELECT * FROM dormant.schedule_snapshot;
	SELECT dormant.state_query() AS state_query \gset
	SELECT string_agg(CASE WHEN attname = 'refresh_id' THEN 'refresh_id + 1000000' ELSE quote_ident(attname) END,
					  ', ' ORDER BY attnum) AS snapshot_columns
	FROM pg_attribute WHERE attrelid = 'dormant.customer_snapshot'::regclass AND attnum > 0 AND NOT attisdropped \gset
	BEGIN;
	SELECT clock_timestamp() AS t0 \gset
	CREATE TEMPORARY TABLE floor_states AS :state_query;
	SELECT round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) * 1000) AS aggregating,
		   clock_timestamp() AS t0 \gset
	TRUNCATE dormant.customer_state;
	INSERT INTO dormant.customer_state SELECT customer_id, state FROM floor_states ORDER BY customer_id;
	INSERT INTO dormant.customer_snapshot SELECT :snapshot_columns FROM dormant.customer_snapshot;
	DELETE FROM dormant.customer_snapshot WHERE refresh_id < 1000000;
	DELETE FROM dormant.schedule_snapshot;
	INSERT INTO dormant.schedule_snapshot SELECT * FROM floor_schedule;
	SELECT round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) * 1000) AS writing \gset
	ROLLBACK;
	INSERT INTO pipeline_runs VALUES ('floor: aggregating the transactions', 1, :aggregating, NULL, NULL),
									 ('floor: writing the states and snapshots', 1, :writing, NULL, NULL);
EOF

$psql -v as_of="$as_of" -P footer=off <<-'EOF'
	\echo
	SELECT refresh_id, mode, outcome, customers,
		   round(extract(epoch FROM finished_at - started_at)::numeric, 1) AS seconds,
		   round((extract(epoch FROM finished_at - started_at)
				  / (SELECT extract(epoch FROM f.finished_at - f.started_at) FROM dormant.refresh_log f
					  WHERE f.refresh_id = 1))::numeric, 2) AS "x first full"
	FROM dormant.refresh_log ORDER BY refresh_id;
	\echo 'BG/NBD fits made by the refreshes (days):'
	SELECT policy, refresh_id, (params).customers, (params).converged, round(fit_ms::numeric) AS fit_ms
	FROM dormant.model_fit ORDER BY refresh_id, policy;
	SET jit = off;
	SELECT clock_timestamp() AS t0 \gset
	SELECT count(dormant.p_alive((x.s).purchase_days - 1,
			((x.s).last_at::date - (x.s).first_at::date)::float8,
			greatest((:'as_of'::timestamptz)::date - (x.s).first_at::date,
					 (x.s).last_at::date - (x.s).first_at::date)::float8,
			m.params)) AS p_alive_rows,
		   round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz)::numeric * 1000) AS ms_with_summaries
	FROM (SELECT dormant.rfm_summarize(state) AS s FROM dormant.customer_state) x,
		 (SELECT params FROM dormant.model_fit WHERE params IS NOT NULL ORDER BY refresh_id DESC LIMIT 1) m;
EOF
echo "pipeline timed in $(since "$start") s"

if [ "$peer" != off ]; then
echo
echo "== the plain-SQL peer (tools/bench_peer.sql) against the last full refresh, same data and as_of"
$psql -P footer=off <<-'EOF'
	\echo 'Per customer, the peer''s peer_customers against dormant.customer_snapshot:'
	SELECT count(*) FILTER (WHERE s.customer_id IS NOT NULL AND p.customer_id IS NOT NULL) AS compared,
		   count(*) FILTER (WHERE s.customer_id IS NULL OR p.customer_id IS NULL) AS "in one only",
		   count(*) FILTER (WHERE (s.status)::text IS DISTINCT FROM p.status) AS "status differs",
		   count(*) FILTER (WHERE (s.tier)::text IS DISTINCT FROM p.tier) AS "tier differs",
		   count(*) FILTER (WHERE s.depth IS DISTINCT FROM p.depth) AS "depth differs",
		   count(*) FILTER (WHERE s.score IS DISTINCT FROM p.score) AS "score differs",
		   count(*) FILTER (WHERE (s.r_score, s.f_score, s.m_score)
								  IS DISTINCT FROM (p.r_score, p.f_score, p.m_score)) AS "RFM differs",
		   count(*) FILTER (WHERE (s.holdout, s.reason, s.approach, s.content, s.recency_days, s.purchases,
								   s.purchase_days, s.first_at, s.last_at, s.monetary, s.recent_amount,
								   s.mean_gap_days)
								  IS DISTINCT FROM (p.holdout, p.reason, p.approach, p.content, p.recency_days,
													p.purchases, p.purchase_days, p.first_at, p.last_at,
													p.monetary, p.recent_amount, p.mean_gap_days)) AS "other differs"
	FROM dormant.customer_snapshot s
	FULL JOIN peer_customers p ON p.customer_id = s.customer_id;
	SELECT (s.status)::text AS status, (s.tier)::text AS tier, count(*) AS customers
	FROM dormant.customer_snapshot s GROUP BY 1, 2 ORDER BY 1, 2;
	\echo 'The contact schedule, peer_schedule against dormant.schedule_snapshot (every column):'
	WITH s AS (
		SELECT customer_id, (phase)::text AS phase, due_on, channel, action, content, (tier)::text AS tier, score
		FROM dormant.schedule_snapshot
	), p AS (
		SELECT customer_id, phase, due_on, channel, action, content, tier, score FROM peer_schedule
	)
	SELECT (SELECT count(*) FROM s) AS refresh_rows, (SELECT count(*) FROM p) AS peer_rows,
		   (SELECT count(DISTINCT customer_id) FROM s) AS customers,
		   (SELECT count(*) FROM (SELECT * FROM s EXCEPT ALL SELECT * FROM p) x) AS "refresh only",
		   (SELECT count(*) FROM (SELECT * FROM p EXCEPT ALL SELECT * FROM s) x) AS "peer only";
	\echo 'Segments, peer_segments against dormant.segment_snapshot (customers and revenue):'
	WITH s AS (
		SELECT (status)::text AS status, depth, (tier)::text AS tier, customers, revenue FROM dormant.segment_snapshot
	), p AS (
		SELECT status, depth, tier, customers, revenue FROM peer_segments
	)
	SELECT (SELECT count(*) FROM s) AS segments,
		   (SELECT count(*) FROM (SELECT * FROM s EXCEPT ALL SELECT * FROM p) x)
		   + (SELECT count(*) FROM (SELECT * FROM p EXCEPT ALL SELECT * FROM s) x) AS "rows differ";
	\echo 'Not computed by the peer, so not compared: p_alive, expected_purchases_90d and'
	\echo 'expected_next_purchase_on (the BG/NBD model, fitted by maximum likelihood).'
	\echo 'Nor classification by the model: the policies that use it (0 expected):'
	SELECT count(*) AS "classify_by = model" FROM dormant.policy WHERE classify_by = 'model';
	\echo 'Nor does the peer write what a refresh writes besides: the BG/NBD fit and each'
	\echo 'customer''s P(alive) and expectations, the jsonb priority breakdown, the previous'
	\echo 'status, the contact notes, the enrolment, the KPI snapshot, the segment history and'
	\echo 'the refresh log.'
EOF
fi

echo
echo "== pipeline timing: best of the runs, each in a new session (work_mem $work_mem, jit off)"
$psql -v peer="$peer" -P footer=off <<-'EOF'
	\echo 'peak MB: VmHWM of the session''s backend (with workers: the leader only).'
	CREATE TEMPORARY VIEW timed AS
	SELECT what, run, ms, peak_kb FROM pipeline_runs
	UNION ALL
	-- the peer fits no model: the refreshes without their BG/NBD fits too
	SELECT 'full refresh less its BG/NBD fit', r.run, r.ms - round((f.fit_ms)::numeric), NULL
	FROM pipeline_runs r
	JOIN (SELECT refresh_id, sum(fit_ms) AS fit_ms FROM dormant.model_fit GROUP BY refresh_id) f USING (refresh_id)
	WHERE r.what = 'full refresh';
	CREATE TEMPORARY VIEW best AS
	SELECT what, count(*) AS runs, min(ms) AS best_ms,
		   percentile_disc(0.5) WITHIN GROUP (ORDER BY ms) AS median_ms, max(peak_kb) AS peak_kb
	FROM timed GROUP BY what;
	SELECT b.what, b.runs, b.best_ms, b.median_ms,
		   round(b.best_ms / r.best_ms, 2) AS "x full refresh",
		   round(b.peak_kb / 1024.0) AS "peak MB"
	FROM best b, best r
	WHERE r.what = 'full refresh'
	ORDER BY b.what = 'plain-SQL peer', b.what;
	\echo 'first full refresh: on the data before the 1% new and 1% late orders; full refresh:'
	\echo 'dormant.refresh(as_of, full_refresh => true) on the final data, which the peer reads.'
	\if :peer
	SELECT round(p.best_ms / r.best_ms, 2) AS "peer / full refresh (best)",
		   round(p.median_ms / r.median_ms, 2) AS "peer / full refresh (median)",
		   round(p.best_ms / f.best_ms, 2) AS "peer / full refresh less its fit (best)"
	FROM best p, best r, best f
	WHERE p.what = 'plain-SQL peer' AND r.what = 'full refresh' AND f.what = 'full refresh less its BG/NBD fit';
	\endif
	\echo
	\echo '== the targets, from the figures above (NULL where a part was switched off)'
	WITH native AS (SELECT min(ms) AS ms FROM runs WHERE query LIKE 'native%' AND workers = 0 AND zone = 'UTC'),
	refreshes AS (
		SELECT refresh_id, 1000 * extract(epoch FROM finished_at - started_at) AS ms
		FROM dormant.refresh_log WHERE refresh_id <= 3)
	SELECT t.target, t.ratio, t.goal,
		   CASE WHEN t.ratio IS NULL THEN NULL
				WHEN t.at_most THEN t.ratio <= t.goal ELSE t.ratio >= t.goal END AS met
	FROM (VALUES
		('rfm_agg / native, serial, UTC',
		 (SELECT round(min(ms) / (SELECT ms FROM native), 2) FROM runs
		   WHERE query = 'dormant.rfm_agg' AND workers = 0 AND zone = 'UTC'), 1.3, true),
		('full refresh / native, serial',
		 (SELECT round(best_ms / (SELECT ms FROM native), 2) FROM best WHERE what = 'full refresh'), 2.5, true),
		('plain-SQL peer / full refresh',
		 (SELECT round(p.best_ms / r.best_ms, 2) FROM best p, best r
		   WHERE p.what = 'plain-SQL peer' AND r.what = 'full refresh'), 2.0, false),
		('refresh after 1% new orders / first full',
		 (SELECT round(i.ms / f.ms, 2) FROM refreshes i, refreshes f WHERE i.refresh_id = 2 AND f.refresh_id = 1), 0.1, true),
		('refresh after 1% late orders / first full',
		 (SELECT round(i.ms / f.ms, 2) FROM refreshes i, refreshes f WHERE i.refresh_id = 3 AND f.refresh_id = 1), 0.1, true)
	) AS t(target, ratio, goal, at_most);
	\echo 'The least a full refresh costs: aggregating the transactions and writing what'
	\echo 'it writes, each alone (the two "floor" rows above), against the native baseline:'
	SELECT round(sum(ms) / (SELECT min(ms) FROM runs WHERE query LIKE 'native%' AND workers = 0 AND zone = 'UTC'), 2)
		   AS "floor / native, serial"
	FROM pipeline_runs WHERE what LIKE 'floor:%';
EOF
