#!/bin/sh
# "make valgrind": the pg_regress suite (PGXS installcheck, isolation tests
# included) against a throwaway server that runs under valgrind's memcheck,
# then the count of valgrind errors whose stack passes through the
# extension's code (its sources, or dormant.so without debug symbols).
# Fails if there is any; errors elsewhere (PostgreSQL's known ones, such as
# padding written to WAL) are counted and reported, not attributed.  Slow:
# about 25 minutes on two shared cores.
#
# Debian's server is not built for valgrind (USE_VALGRIND), so memcheck does
# not see the bounds of palloc'd chunks inside a memory context's blocks: it
# catches uninitialised values and accesses outside malloc'd memory, not
# every overrun of a chunk.
#
# The server is started here, not by pg_virtualenv, whose clusters start
# the postgres binary directly.  It runs as the invoking user, or as
# "postgres" when that is root, from the installation that PG_CONFIG names,
# with a socket in a temporary directory and no TCP port.
#
#   tools/valgrind.sh [MAKE ARGUMENTS]   e.g. REGRESS=io ISOLATION= for one test
#
#   VALGRIND_KEEP=DIR   keep the valgrind logs and the server log in DIR
#   VALGRIND_SUPPRESSIONS=FILE   a suppression file, e.g. src/tools/valgrind.supp
#                       of a PostgreSQL source tree, to silence its known errors
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
pg_config=${PG_CONFIG:-pg_config}
bindir=$($pg_config --bindir)
work=$(mktemp -d)
data=$work/data
logs=$work/valgrind
run=""
if [ "$(id -u)" = 0 ]; then
	chown postgres "$work"
	run="runuser -u postgres --"
fi
chmod 755 "$work"
$run mkdir "$logs"

stop() {
	$run "$bindir/pg_ctl" -D "$data" -m fast -w -t 600 stop >/dev/null 2>&1 || true
}
cleanup() {
	stop
	if [ -n "${VALGRIND_KEEP:-}" ]; then
		mkdir -p "$VALGRIND_KEEP"
		cp "$logs"/* "$work/server.log" "$VALGRIND_KEEP/" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

$run "$bindir/initdb" -D "$data" -U postgres -A trust --no-sync >/dev/null

# Each process writes its own log; backends are forked, so they are traced
# as the postmaster is.  Leaks are not checked: memory contexts free
# everything at once.
start=$(date +%s)
$run valgrind --tool=memcheck --trace-children=yes --track-origins=no \
	--leak-check=no --read-var-info=no --num-callers=40 --error-limit=no \
	${VALGRIND_SUPPRESSIONS:+--suppressions="$VALGRIND_SUPPRESSIONS"} --fullpath-after= \
	--log-file="$logs/%p.log" \
	"$bindir/postgres" -D "$data" -k "$work" -p 5432 -c listen_addresses= \
	-c fsync=off -c autovacuum=off -c max_connections=20 \
	> "$work/server.log" 2>&1 &

PGHOST=$work
PGPORT=5432
PGUSER=postgres
export PGHOST PGPORT PGUSER
tries=0
until "$bindir/pg_isready" -q; do
	sleep 2
	tries=$((tries + 1))
	if [ "$tries" -ge 300 ]; then
		echo "valgrind: the server did not start"
		tail -n 20 "$work/server.log"
		exit 1
	fi
done

status=0
if ! make -C "$top" --no-print-directory installcheck PG_CONFIG="$pg_config" "$@"; then
	cat "$top/regression.diffs" "$top/output_iso/regression.diffs" 2>/dev/null
	status=1
fi
stop
seconds=$(($(date +%s) - start))

# An error is the block of lines from its description to the blank line
# after its stack.
ours=$(cat "$logs"/*.log | awk -v src="$top/src/" '
	/^==[0-9]+== [A-Z]/ && !inside { inside = 1; hit = 0 }
	inside && (index($0, src) || /dormant\.so/) { hit = 1 }
	/^==[0-9]+== $/ && inside { if (hit) n++; inside = 0 }
	END { print n + 0 }')
# "ERROR SUMMARY: N errors from M contexts": a context is reported once
total=$(cat "$logs"/*.log |
	sed -n 's/^==[0-9]*== ERROR SUMMARY: \([0-9]*\) errors from \([0-9]*\) contexts.*/\1 \2/p' |
	awk '{ n += $1; m += $2 } END { print n + 0 " errors from " m + 0 " contexts" }')
processes=$(ls "$logs" | wc -l)
echo "valgrind: $processes processes in $seconds s; $total in all," \
	"$ours contexts in the extension's code"
if [ "$ours" != 0 ]; then
	cat "$logs"/*.log | awk -v src="$top/src/" '
		/^==[0-9]+== [A-Z]/ && !inside { inside = 1; hit = 0; block = "" }
		inside { block = block $0 "\n" }
		inside && (index($0, src) || /dormant\.so/) { hit = 1 }
		/^==[0-9]+== $/ && inside { if (hit) printf "%s", block; inside = 0 }' | head -n 200
	status=1
fi
exit $status
