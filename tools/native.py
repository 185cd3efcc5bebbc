#!/usr/bin/env python3
"""The native side of the guest benchmark: Debian's own Linux kernel running lxbench in the same QEMU.

usage: native.py [--accel tcg|kvm] [--no-icount] [--timeout SECONDS]

Boots build/native/vmlinuz (Debian's kernel, fetched by tools/get-linux.sh
when missing) with build/native/initramfs.cpio: the very tree lx boots
(build/guest/rootfs, made by `make guest-userland`: /bin/lxbench, /bin/nop,
/bin/busybox, ...) plus the node /dev/console, which Linux opens for its
init's standard descriptors. The kernel command line is
`console=ttyS0 rdinit=/bin/lxbench norandmaps quiet`: the same program at
the same path as lx's `rdinit=/bin/lxbench` (conf/lxbench.cfg), and no
address-space randomisation (lx has none). The machine is the one
tools/pecanlib/scenario.py gives Pecan: `-machine pc`, the same memory
(256 MiB), `-cpu qemu64` under TCG (`-cpu host` under KVM), `-no-reboot`, the
serial console on stdio. lxbench, as Linux's init, powers off with reboot(2)
and QEMU exits.

Run by hand, it prints the console log (tools/bench.py uses the functions).
"""
import argparse
import os
import stat
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mkcpio  # noqa: E402
from pecanlib import scenario  # noqa: E402

ROOT = scenario.ROOT
BUILD = os.environ.get("BUILD", os.path.join(ROOT, "build"))
NATIVE_DIR = os.path.join(BUILD, "native")
KERNEL = os.path.join(NATIVE_DIR, "vmlinuz")
KERNEL_VERSION = os.path.join(NATIVE_DIR, "vmlinuz.version")
INITRAMFS = os.path.join(NATIVE_DIR, "initramfs.cpio")
ROOTFS = os.path.join(BUILD, "guest", "rootfs")
GET_LINUX = os.path.join(ROOT, "tools", "get-linux.sh")
CMDLINE = "console=ttyS0 rdinit=/bin/lxbench norandmaps quiet"
MEMORY = "256M"  # scenario.qemu_argv's default: what Pecan (and lx in it) gets


class NativeError(Exception):
    pass


def ensure_kernel():
    """Fetches Debian's kernel (tools/get-linux.sh) unless it is there; returns its path."""
    if not os.path.isfile(KERNEL):
        r = subprocess.run([GET_LINUX, BUILD], stdout=sys.stderr)
        if r.returncode != 0 or not os.path.isfile(KERNEL):
            raise NativeError(f"could not get Debian's kernel ({GET_LINUX} {BUILD} failed); "
                              "skip the native runs with --no-native")
    return KERNEL


def kernel_version():
    """'linux-image-6.1.0-N-amd64 VERSION vmlinuz-...' as get-linux.sh recorded it, or '?'."""
    try:
        with open(KERNEL_VERSION) as f:
            return f.read().strip()
    except OSError:
        return "?"


def make_initramfs(rootfs=ROOTFS, out=INITRAMFS):
    """The guest's rootfs tree as a newc archive, with /dev/console added (a character device 5,1)."""
    if not os.path.isfile(os.path.join(rootfs, "bin", "lxbench")):
        raise NativeError(f"{rootfs}/bin/lxbench is missing (run `make guest-userland`)")
    items = mkcpio.collect(rootfs)
    names = {name for name, _ in items}
    data = bytearray()
    ino = 1
    for name, full in items:
        st = os.lstat(full)
        perm = stat.S_IMODE(st.st_mode)
        if stat.S_ISLNK(st.st_mode):
            mode, body = stat.S_IFLNK | 0o777, os.readlink(full).encode("utf-8")
        elif stat.S_ISDIR(st.st_mode):
            mode, body = stat.S_IFDIR | perm, b""
        elif stat.S_ISREG(st.st_mode):
            with open(full, "rb") as f:
                body = f.read()
            mode = stat.S_IFREG | perm
        else:
            raise NativeError(f"{full}: neither a directory, a regular file nor a symbolic link")
        data += mkcpio.entry(name, mode, body, ino, nlink=2 if stat.S_ISDIR(mode) else 1)
        ino += 1
        if name == "dev" and "dev/console" not in names:
            data += console_entry(ino)
            ino += 1
    if "dev" not in names:
        data += mkcpio.entry("dev", stat.S_IFDIR | 0o755, b"", ino, nlink=2)
        data += console_entry(ino + 1)
    data += mkcpio.entry("TRAILER!!!", 0, b"", 0, nlink=1)
    data += b"\0" * ((512 - len(data) % 512) % 512)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out + ".tmp", "wb") as f:
        f.write(data)
    os.replace(out + ".tmp", out)
    return out


def console_entry(ino):
    """newc entry of dev/console, character device 5,1 (rdevmajor and rdevminor: the 10th and 11th header field)."""
    e = bytearray(mkcpio.entry("dev/console", stat.S_IFCHR | 0o600, b"", ino))
    # header: magic (6), then 13 fields of 8 hex digits; rdevmajor is field index 9, rdevminor 10
    e[6 + 9 * 8:6 + 10 * 8] = b"%08X" % 5
    e[6 + 10 * 8:6 + 11 * 8] = b"%08X" % 1
    return bytes(e)


def qemu_argv(accel, extra=()):
    """Debian's kernel with lxbench as init, on the machine scenario.qemu_argv gives Pecan."""
    argv = ["qemu-system-x86_64", "-machine", "pc", "-m", MEMORY, "-display", "none",
            "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
            "-kernel", KERNEL, "-initrd", INITRAMFS, "-append", CMDLINE]
    if accel == "kvm":
        argv += ["-accel", "kvm", "-cpu", "host"]
    else:
        argv += ["-accel", "tcg", "-cpu", "qemu64"]
    argv += ["-serial", "stdio", "-monitor", "none"]
    return argv + list(extra)


def prepare():
    """Kernel and initramfs, ready to boot."""
    ensure_kernel()
    make_initramfs()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--accel", choices=("tcg", "kvm"), default="tcg")
    ap.add_argument("--no-icount", action="store_true", help="under TCG: no -icount shift=0")
    ap.add_argument("--timeout", type=float, default=300)
    a = ap.parse_args()
    try:
        prepare()
    except (NativeError, OSError) as e:
        print(f"native: error: {e}", file=sys.stderr)
        return 1
    extra = ["-icount", "shift=0"] if a.accel == "tcg" and not a.no_icount else []
    argv = qemu_argv(a.accel, extra)
    print("native: " + " ".join(argv), file=sys.stderr)
    try:
        return subprocess.run(argv, timeout=a.timeout).returncode
    except subprocess.TimeoutExpired:
        print(f"native: no power-off within {a.timeout} s", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
