#!/bin/sh
# Install what building and testing dormant needs, from Debian's packages,
# when it is missing, and the packages named as arguments (what one target
# alone needs).  Runs apt-get as root, or through sudo.
set -eu

major=${PG_MAJOR:-15}
packages="make gcc postgresql-common postgresql-$major postgresql-server-dev-$major
	postgresql-$major-pgtap libtap-parser-sourcehandler-pgtap-perl sqlsmith $*"

missing=""
for package in $packages; do
	dpkg-query -W -f='${Status}' "$package" 2>/dev/null |
		grep -q 'install ok installed' || missing="$missing $package"
done
[ -z "$missing" ] && exit 0

sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
echo "dormant: installing$missing"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing
