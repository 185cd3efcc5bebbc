#!/bin/sh
# Gets Debian's own Linux kernel (the native side of the guest benchmark,
# docs/benchmarks.md) WITHOUT installing it: finds the versioned package that
# the meta-package linux-image-amd64 currently depends on (for bookworm:
# linux-image-6.1.0-N-amd64), fetches its .deb with `apt-get download` into
# build/native/deb/, and takes only boot/vmlinuz-* out of it (dpkg-deb
# --fsys-tarfile piped into tar; the modules are not unpacked) as
# build/native/vmlinuz. build/native/vmlinuz.version names the package and
# version. Needs apt-get, apt-cache, dpkg-deb and tar; no root (except for
# `apt-get update` when the package lists are missing). Idempotent: does
# nothing when build/native/vmlinuz exists. The kernel is never committed.
#
# Usage: tools/get-linux.sh [BUILD_DIR]   (default: build)
set -e
META=linux-image-amd64
BUILD=${1:-build}
OUT="$BUILD/native/vmlinuz"
DEB_DIR="$BUILD/native/deb"

[ -f "$OUT" ] && exit 0

for tool in apt-get apt-cache dpkg-deb tar; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "get-linux: error: $tool is missing; it is needed to fetch Debian's kernel" >&2
		exit 1
	}
done

update_lists() {
	echo "get-linux: refreshing the package lists (apt-get update)"
	if [ "$(id -u)" -eq 0 ]; then
		apt-get update -q
	elif command -v sudo >/dev/null 2>&1; then
		sudo apt-get update -q
	else
		return 1
	fi
}

# The versioned image package: the meta-package's first linux-image-* dependency.
image_pkg() {
	apt-cache depends "$META" 2>/dev/null |
		sed -n 's/^ *Depends: *\(linux-image-[0-9][^ ]*\).*/\1/p' | head -n 1
}

PKG=$(image_pkg)
if [ -z "$PKG" ]; then
	update_lists || true
	PKG=$(image_pkg)
fi
[ -n "$PKG" ] || {
	echo "get-linux: error: apt-cache knows no linux-image-* dependency of $META" >&2
	echo "get-linux: (try by hand: apt-get update; apt-cache depends $META)" >&2
	exit 1
}

mkdir -p "$DEB_DIR"
DEB_DIR_ABS=$(cd "$DEB_DIR" && pwd)
find_deb() {
	ls "$DEB_DIR_ABS"/${PKG}_*.deb 2>/dev/null | head -n 1
}

deb=$(find_deb)
if [ -z "$deb" ]; then
	echo "get-linux: apt-get download $PKG (into $DEB_DIR; about 70 MB)"
	if ! (cd "$DEB_DIR_ABS" && apt-get download -q "$PKG"); then
		if ! update_lists || ! (cd "$DEB_DIR_ABS" && apt-get download -q "$PKG"); then
			echo "get-linux: error: could not download the Debian package $PKG" >&2
			echo "get-linux: (try by hand: apt-get update; cd $DEB_DIR && apt-get download $PKG)" >&2
			exit 1
		fi
	fi
	deb=$(find_deb)
	[ -n "$deb" ] || {
		echo "get-linux: error: apt-get download $PKG left no ${PKG}_*.deb in $DEB_DIR" >&2
		exit 1
	}
fi

rm -rf "$DEB_DIR_ABS/x"
mkdir -p "$DEB_DIR_ABS/x"
# Only the kernel image: the package's modules are some 400 MB unpacked.
dpkg-deb --fsys-tarfile "$deb" | (cd "$DEB_DIR_ABS/x" && tar -x --wildcards './boot/vmlinuz-*') || {
	echo "get-linux: error: no boot/vmlinuz-* could be taken out of $deb (package $PKG)" >&2
	rm -rf "$DEB_DIR_ABS/x"
	exit 1
}
img=$(ls "$DEB_DIR_ABS"/x/boot/vmlinuz-* 2>/dev/null | head -n 1)
[ -n "$img" ] || {
	echo "get-linux: error: the package $PKG ($deb) has no boot/vmlinuz-*" >&2
	exit 1
}
cp "$img" "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "$PKG $(basename "$deb" .deb | sed 's/^[^_]*_//; s/_[^_]*$//') $(basename "$img")" > "$BUILD/native/vmlinuz.version"
rm -rf "$DEB_DIR_ABS/x"
echo "get-linux: $OUT from $(basename "$deb") ($(basename "$img"))"
