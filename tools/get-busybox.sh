#!/bin/sh
# Gets Debian's unmodified busybox-static binary for the guest's initramfs,
# WITHOUT installing the package (it conflicts with the `busybox` package a
# machine may have): `apt-get download` fetches the .deb into
# build/guest/deb/, `dpkg-deb -x` unpacks it there, and its bin/busybox is
# copied to build/guest/busybox. Needs only apt-get and dpkg-deb (package
# dpkg), which every Debian machine has; no root needed. Idempotent: does
# nothing when build/guest/busybox exists. The binary is never committed.
#
# Usage: tools/get-busybox.sh [BUILD_DIR]   (default: build)
set -e
PKG=busybox-static
BUILD=${1:-build}
OUT="$BUILD/guest/busybox"
DEB_DIR="$BUILD/guest/deb"

[ -f "$OUT" ] && exit 0

for tool in apt-get dpkg-deb; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "get-busybox: error: $tool is missing; it is needed to fetch the Debian package $PKG" >&2
		exit 1
	}
done

mkdir -p "$DEB_DIR"
DEB_DIR_ABS=$(cd "$DEB_DIR" && pwd)

find_deb() {
	ls "$DEB_DIR_ABS"/${PKG}_*.deb 2>/dev/null | head -n 1
}

deb=$(find_deb)
if [ -z "$deb" ]; then
	echo "get-busybox: apt-get download $PKG (into $DEB_DIR)"
	# apt-get download writes into the current directory; it needs no root.
	if ! (cd "$DEB_DIR_ABS" && apt-get download -q "$PKG"); then
		# Most often: no package lists yet on a fresh machine. Refreshing
		# them (apt-get update) needs root; it changes nothing installed.
		echo "get-busybox: the download failed; refreshing the package lists (apt-get update) and retrying"
		if [ "$(id -u)" -eq 0 ]; then
			SUDO=""
		elif command -v sudo >/dev/null 2>&1; then
			SUDO="sudo"
		else
			SUDO="none"
		fi
		if [ "$SUDO" = none ] || ! $SUDO apt-get update -q || \
		   ! (cd "$DEB_DIR_ABS" && apt-get download -q "$PKG"); then
			echo "get-busybox: error: could not download the Debian package $PKG" >&2
			echo "get-busybox: (try by hand: apt-get update; cd $DEB_DIR && apt-get download $PKG)" >&2
			exit 1
		fi
	fi
	deb=$(find_deb)
	[ -n "$deb" ] || {
		echo "get-busybox: error: apt-get download $PKG left no ${PKG}_*.deb in $DEB_DIR" >&2
		exit 1
	}
fi

rm -rf "$DEB_DIR_ABS/x"
dpkg-deb -x "$deb" "$DEB_DIR_ABS/x" || {
	echo "get-busybox: error: dpkg-deb could not unpack $deb (package $PKG)" >&2
	exit 1
}
[ -f "$DEB_DIR_ABS/x/bin/busybox" ] || {
	echo "get-busybox: error: the package $PKG ($deb) has no bin/busybox" >&2
	exit 1
}
cp "$DEB_DIR_ABS/x/bin/busybox" "$OUT.tmp"
chmod 755 "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
rm -rf "$DEB_DIR_ABS/x"
echo "get-busybox: $OUT from $(basename "$deb")"
