#!/bin/sh
# Installs the Debian packages Pecan needs to build, run and test, when they are missing.
set -e
# make, gcc and binutils build everything; libc6-dev the host unit tests;
# qemu-system-x86 runs the scenarios; python3 runs the tools and the harness.
PACKAGES="make gcc binutils libc6-dev qemu-system-x86 python3"

missing=""
for p in $PACKAGES; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$status" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "pecan: installing missing Debian packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "pecan: error: need root or sudo to install:$missing" >&2
	echo "pecan: install them by hand: apt-get install$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# A fresh machine may have no package lists yet.
if [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e '^lock$' -e '^partial$' -e '^auxfiles$')" ]; then
	echo "pecan: apt-get update (no package lists yet)"
	$SUDO apt-get update -q
fi
if ! $SUDO apt-get install -y -q --no-install-recommends $missing; then
	echo "pecan: apt-get install failed; retrying after apt-get update"
	$SUDO apt-get update -q
	$SUDO apt-get install -y -q --no-install-recommends $missing || {
		echo "pecan: error: could not install:$missing" >&2
		exit 1
	}
fi
