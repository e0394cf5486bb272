#!/bin/sh
# Update scripts: for every sql/dormant--A--B.sql, a database where A is
# installed and then updated to B has the schema of a database where B is
# installed fresh.  Schemas are compared as pg_dump --schema-only
# --binary-upgrade writes them: that mode writes the extension's own
# objects one by one (a plain dump writes only CREATE EXTENSION), and the
# OIDs it carries, which differ between any two databases, are masked.
#
# The harness then checks itself on a private copy of the server's
# binaries and share directory, so that nothing installed is touched: a
# fake version 0.0.0 (the current script under another number) whose
# update script adds nothing must compare equal, and a fake 0.0.1 holding a
# function that its update script forgets to drop must be found to differ.
#
# Run by tools/test.sh inside the throwaway cluster (PGHOST, PGPORT, PGUSER
# set by pg_virtualenv); it needs superuser rights, to read the server's
# paths and to dump in binary-upgrade mode.
set -eu
cd "$(dirname "$0")/../.."

psql="psql -X -q -v ON_ERROR_STOP=1"
work=$(mktemp -d)
server_started=""
cleanup() {
	[ -z "$server_started" ] || as_owner "$bindir/pg_ctl" -D "$work/data" -m immediate -w stop >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT

# Commands that touch a data directory run as postgres when we are root.
as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# The pg_dump output with what differs between any two databases masked:
# the OIDs and transaction ids of the binary-upgrade statements, and the
# random key of \restrict.
normalize() {
	sed -e '/^\\restrict /d' -e '/^\\unrestrict /d' \
		-e '/binary_upgrade_set_next_/d' \
		-e "/binary_upgrade_create_empty_extension/s/'{[0-9,]*}'/'{oids}'/" \
		-e "s/^SET relfrozenxid = '[0-9]*', relminmxid = '[0-9]*'$/SET relfrozenxid = 'xid', relminmxid = 'mxid'/" \
		-e "s/^WHERE oid = '[0-9]*';$/WHERE oid = 'oid';/"
}

# compare FROM TO: whether an update from FROM gives the schema of a fresh TO.
compare() {
	from=$1
	to=$2
	for db in dormant_upgrade_fresh dormant_upgrade_updated; do
		dropdb --if-exists "$db" >/dev/null 2>&1
		createdb "$db" || return 1
	done
	$psql -d dormant_upgrade_fresh -c "SET client_min_messages = warning" \
		-c "CREATE EXTENSION dormant VERSION '$to'" || return 1
	$psql -d dormant_upgrade_updated -c "SET client_min_messages = warning" \
		-c "CREATE EXTENSION dormant VERSION '$from'" \
		-c "ALTER EXTENSION dormant UPDATE TO '$to'" || return 1
	for db in fresh updated; do
		pg_dump --schema-only --binary-upgrade -d "dormant_upgrade_$db" > "$work/$db.raw" || return 1
		normalize < "$work/$db.raw" > "$work/$db.sql"
		dropdb "dormant_upgrade_$db"
	done
	if cmp -s "$work/fresh.sql" "$work/updated.sql"; then
		echo "upgrade: $from updated to $to has the schema of a fresh $to ($(wc -l < "$work/fresh.sql") lines of pg_dump)"
		return 0
	fi
	echo "upgrade: $from updated to $to differs from a fresh $to:"
	diff "$work/fresh.sql" "$work/updated.sql" | head -20
	return 1
}

server_path() {
	psql -X -At -d postgres -c "SELECT setting FROM pg_catalog.pg_config WHERE name = '$1'"
}
bindir=$(server_path BINDIR)
sharedir=$(server_path SHAREDIR)
pkglibdir=$(server_path PKGLIBDIR)
current=$(sed -n "s/^default_version = '\(.*\)'/\1/p" dormant.control)
status=0

# The update scripts of this tree, each installed with the extension.
found=0
for script in sql/dormant--*--*.sql; do
	[ -e "$script" ] || continue
	found=$((found + 1))
	pair=${script#sql/dormant--}
	pair=${pair%.sql}
	if [ ! -e "$sharedir/extension/$(basename "$script")" ]; then
		echo "upgrade: $script is not installed in $sharedir/extension (make install)"
		status=1
		continue
	fi
	compare "${pair%%--*}" "${pair#*--}" || status=1
done
[ "$found" -gt 0 ] || echo "upgrade: no update scripts in sql/ (only version $current so far): nothing to compare"

# The harness itself, on a private server whose share directory holds two
# fake earlier versions.
root=$work/root
for dir in "$bindir" "$pkglibdir" "$sharedir"; do
	mkdir -p "$root$dir"
	cp -a "$dir/." "$root$dir/"
done
extension=$root$sharedir/extension
cp "$extension/dormant--$current.sql" "$extension/dormant--0.0.0.sql"
printf '%s\n' '\echo Use "ALTER EXTENSION dormant UPDATE" to load this file. \quit' > "$extension/dormant--0.0.0--$current.sql"
cp "$extension/dormant--$current.sql" "$extension/dormant--0.0.1.sql"
cat >> "$extension/dormant--0.0.1.sql" <<'EOF'
CREATE FUNCTION @extschema@.left_behind() RETURNS integer LANGUAGE sql IMMUTABLE BEGIN ATOMIC SELECT 1; END;
EOF
cp "$extension/dormant--0.0.0--$current.sql" "$extension/dormant--0.0.1--$current.sql"
chmod 755 "$work"
mkdir "$work/data" "$work/socket"
[ "$(id -u)" != 0 ] || chown postgres "$work/data" "$work/socket"
as_owner "$root$bindir/initdb" -D "$work/data" -A trust -U postgres -N >/dev/null
as_owner "$root$bindir/pg_ctl" -D "$work/data" -l "$work/data/log" -w \
	-o "-c listen_addresses='' -k $work/socket -p 5432 -c fsync=off" start >/dev/null
server_started=yes
bindir=$root$bindir
selfcheck=0
if ! (PGHOST=$work/socket PGPORT=5432 PGUSER=postgres PGDATABASE=postgres; export PGHOST PGPORT PGUSER PGDATABASE
	  compare 0.0.0 "$current"); then
	echo "upgrade: the harness found a difference where there is none"
	selfcheck=1
fi
if (PGHOST=$work/socket PGPORT=5432 PGUSER=postgres PGDATABASE=postgres; export PGHOST PGPORT PGUSER PGDATABASE
	compare 0.0.1 "$current") > "$work/found.txt"; then
	cat "$work/found.txt"
	echo "upgrade: the harness missed a function that an update script left behind"
	selfcheck=1
elif ! grep -q left_behind "$work/found.txt"; then
	cat "$work/found.txt"
	echo "upgrade: the harness failed, but not for the function left behind"
	selfcheck=1
fi
[ "$selfcheck" = 0 ] && echo "upgrade: harness checked (an empty update compares equal, a forgotten function is found)"
[ "$selfcheck" = 0 ] || status=1
exit $status
