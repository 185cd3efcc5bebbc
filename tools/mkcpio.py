#!/usr/bin/env python3
"""Writes a cpio archive in the "newc" format (what Linux's initramfs reads) from a directory tree.

Usage: mkcpio.py SRCDIR OUT.cpio

Directories, regular files (with their permission bits) and symbolic links
are archived, paths relative to SRCDIR without a leading "./" or "/", in
sorted order (a directory before its contents). Files named ".keep" are
skipped: they only keep empty directories in git. The archive is
deterministic: mtime 0, uid and gid 0, inode numbers 1, 2, ... in archive
order, one link each, device numbers 0. It ends with the TRAILER!!! entry
and is padded to a multiple of 512 bytes, like GNU cpio's output.

newc: each entry is a 110-byte ASCII header ("070701" and 13 eight-digit hex
fields), the NUL-terminated name, padding to 4 bytes, the data (a symlink's
data is its target, without NUL), padding to 4 bytes.
"""

import os
import stat
import sys

MAGIC = b"070701"
SKIP_NAMES = {".keep"}


class CpioError(Exception):
    pass


def _pad4(n):
    return (4 - n % 4) % 4


def entry(name, mode, data, ino, nlink=1):
    """One newc entry: header, name, padding, data, padding."""
    bname = name.encode("utf-8") + b"\0"
    fields = [ino, mode, 0, 0, nlink, 0, len(data), 0, 0, 0, 0, len(bname), 0]
    for f in fields:
        if f < 0 or f > 0xFFFFFFFF:
            raise CpioError(f"{name}: a header field ({f}) does not fit in 32 bits")
    header = MAGIC + b"".join(b"%08X" % f for f in fields)
    assert len(header) == 110
    out = header + bname + b"\0" * _pad4(len(header) + len(bname))
    out += data + b"\0" * _pad4(len(data))
    return out


def collect(srcdir):
    """[(archive name, full path)] of everything under srcdir, sorted, parents first."""
    items = []
    for dirpath, dirnames, filenames in os.walk(srcdir, followlinks=False):
        dirnames.sort()
        rel = os.path.relpath(dirpath, srcdir)
        for n in dirnames + filenames:
            if n in SKIP_NAMES:
                continue
            full = os.path.join(dirpath, n)
            name = n if rel == "." else os.path.join(rel, n)
            items.append((name, full))
    # Sorting by path components keeps every directory before its contents.
    items.sort(key=lambda it: it[0].split(os.sep))
    return items


def build(srcdir):
    if not os.path.isdir(srcdir):
        raise CpioError(f"{srcdir}: not a directory")
    out = bytearray()
    ino = 1
    for name, full in collect(srcdir):
        st = os.lstat(full)
        perm = stat.S_IMODE(st.st_mode)
        if stat.S_ISLNK(st.st_mode):
            mode, data = stat.S_IFLNK | 0o777, os.readlink(full).encode("utf-8")
        elif stat.S_ISDIR(st.st_mode):
            mode, data = stat.S_IFDIR | perm, b""
        elif stat.S_ISREG(st.st_mode):
            with open(full, "rb") as f:
                data = f.read()
            mode = stat.S_IFREG | perm
        else:
            raise CpioError(f"{full}: neither a directory, a regular file nor a symbolic link")
        out += entry(name, mode, data, ino, nlink=2 if stat.S_ISDIR(mode) else 1)
        ino += 1
    out += entry("TRAILER!!!", 0, b"", 0, nlink=1)
    out += b"\0" * ((512 - len(out) % 512) % 512)
    return bytes(out)


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: mkcpio.py SRCDIR OUT.cpio\n")
        return 2
    try:
        data = build(argv[1])
    except (CpioError, OSError) as e:
        sys.stderr.write(f"mkcpio: error: {e}\n")
        return 1
    tmp = argv[2] + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
