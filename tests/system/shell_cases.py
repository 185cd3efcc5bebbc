"""Interactive system tests of lx's shell: the `shell` scenario (`make run`) and `l4bdds`.

The test boots the scenario, waits for busybox sh on the console and types
into it: each step sends one command line and waits for what it prints. lx's
line discipline (or busybox's line editor) echoes what is typed, so a step
never expects text it typed: every command prints a marker that only its
output has (`echo M1$((1+1))` prints `M12`, its echo shows `$((1+1))`), and
the patterns match whole console lines, `lx | <output>`. Commands that read
the terminal first print a marker of their own (`echo RD-start; read x`):
once it shows, the shell has given the terminal back to canonical mode, so
what is typed next goes to the command.

The last step types `poweroff`: busybox signals init (/sbin/init-shell),
which powers off; lx ends and the scenario ends with QEMU's status 0.
tests.py adds SHELL_TESTS to its TESTS. docs/shell.md lists what each step
needs of lx.
"""
import hashlib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
sys.path.insert(0, os.path.join(ROOT, "tools"))
from pecanlib.harness import SystemTest, expect, send, never  # noqa: E402

# the same as tests.py's (which imports this file)
CLEAN_END = r"all boot programs ended, \d+ frames free, none leaked"
FINISHED = r"scenario finished, powering off"

SHELL_READY = r"lx \| Enter 'help' for a list of built-in commands\.\n"
POWER_OFF = r"lx \| init-shell: poweroff: powering off\n"


def _md5(path, pad_to=1):
    with open(os.path.join(ROOT, path), "rb") as f:
        data = f.read()
    data += b"\0" * (-len(data) % pad_to)
    return hashlib.md5(data).hexdigest(), len(data)


def out(*lines):
    """Expect each output line, in order (regexes of the text after `lx | `)."""
    return [expect(r"(?m)^lx \| " + line + r"\n") for line in lines]


def cmd(line, *lines):
    """Types a command line and expects its output lines."""
    return [send(line + "\r")] + out(*lines)


MOTD_MD5, _ = _md5("guest/rootfs/etc/motd")

SHELL_STEPS = [
    expect(r"lx \| lx: running /sbin/init-shell as pid 1\n"),
    expect(r"lx \| Pecan lx 6\.1\.0-pecan-lx: busybox sh on the console\."),
    expect(SHELL_READY),
    *cmd("echo M1$((1+1))", "M12"),
    # pipes
    *cmd("echo hi | cat", "hi"),
    *cmd(r"printf 'x\ny\nz\n' | sort -r | head -n 1 | sed 's/^/P3-/'", "P3-z"),
    # redirections
    *cmd("echo R1 > /tmp/f; echo R2 >> /tmp/f; wc -l < /tmp/f | sed 's/^ */RD-/'", "RD-2"),
    *cmd("ls /nonexistent > /tmp/e 2>&1; grep -c 'No such' /tmp/e | sed 's/^/RE-/'", "RE-1"),
    *cmd("cat < /tmp/f | tail -n 1 | sed 's/^/RI-/'", "RI-R2"),
    # command substitution, loops, functions
    *cmd("echo CS-$(echo abc | tr a-c A-C)", "CS-ABC"),
    *cmd(r'f() { echo "FN-$1-$(($1*2))"; }; for i in 1 2 3; do f $i; done', "FN-1-2", "FN-2-4", "FN-3-6"),
    # directories and files
    *cmd("mkdir -p /tmp/a/b/c && cd /tmp/a/b && pwd | sed 's/^/PWD-/'", "PWD-/tmp/a/b"),
    *cmd("cd c && pwd | sed 's/^/PWD2-/'", "PWD2-/tmp/a/b/c"),
    *cmd("cd /tmp && echo data > src && cp src dst && mv dst moved && ls | grep -c -e '^src$' -e '^moved$' "
         "| sed 's/^/CM-/'", "CM-2"),
    *cmd("rm -r /tmp/a && ls /tmp/a 2>&1 | sed 's/^/RM-/'", "RM-ls: /tmp/a: No such file or directory"),
    *cmd("ln -s /etc/motd /tmp/lnk && readlink /tmp/lnk | sed 's/^/LN-/'", "LN-/etc/motd"),
    *cmd("mkdir -p /tmp/ft/x/y && touch /tmp/ft/x/y/leaf.txt && find /tmp/ft -name '*.txt' | sed 's/^/FD-/'",
         "FD-/tmp/ft/x/y/leaf.txt"),
    *cmd("echo needle-G7 > /tmp/ft/x/hay; grep -r needle-G /tmp/ft | sed 's/^/GR-/'", "GR-/tmp/ft/x/hay:needle-G7"),
    # text tools
    *cmd("echo hello world | sed 's/world/SED-ok/'", "hello SED-ok"),
    *cmd("echo 3 4 | awk '{ print \"AWK-\" $1 * $2 }'", "AWK-12"),
    *cmd("printf 'b\\na\\nb\\nc\\nb\\n' | sort | uniq -c | awk '{ print \"UQ-\" $2 \"=\" $1 }'",
         "UQ-a=1", "UQ-b=3", "UQ-c=1"),
    *cmd(r"printf 'one two\nthree\n' | wc -w | sed 's/^ */WC-/'", "WC-3"),
    *cmd(r"seq 1 100 | head -n 20 | tail -n 3 | tr '\n' ' ' | sed 's/^/HT-/'; echo", "HT-18 19 20 "),
    *cmd("md5sum /etc/motd", MOTD_MD5 + "  /etc/motd"),
    # a 1 MiB file
    *cmd("cd /tmp && dd if=/dev/zero of=f bs=4k count=256 && ls -l f",
         r"256\+0 records out", r"-rw-r--r-- +1 root +root +1048576 .* f"),
    # archives
    *cmd("mkdir -p /tmp/tt/d && echo TAR-payload > /tmp/tt/d/file && cd /tmp/tt && tar cf /tmp/t.tar d "
         "&& gzip /tmp/t.tar && ls /tmp/t.tar.gz | sed 's/^/GZ-/'", "GZ-/tmp/t.tar.gz"),
    *cmd("mkdir /tmp/out && cd /tmp/out && gunzip -c /tmp/t.tar.gz | tar xf - && sed 's/^/TX-/' d/file",
         "TX-TAR-payload"),
    # the terminal: canonical input with erase, end of file
    *cmd("echo RD-start; read x; echo RD-$x", "RD-start"),
    *cmd("abc\x7fd", "RD-abd"),
    *cmd("echo CAT-start; cat > /tmp/typed; wc -l < /tmp/typed | sed 's/^ */CD-/'", "CAT-start"),
    send("line one\r"), send("line two\r"), send("\x04"), *out("CD-2"),
    # processes and signals
    *cmd("ps | awk '$NF ~ /sh$/ { n++ } END { print \"PS-\" (n > 0 ? \"shell\" : \"none\") }'", "PS-shell"),
    # CPU time: the commands so far were charged as user or system ticks; uptime shows a load average
    *cmd("awk '/^cpu / { print \"CPU-\" ($2 + $4 > 0 ? \"busy\" : \"idle\") }' /proc/stat", "CPU-busy"),
    *cmd("uptime | sed 's/.*load average: /LA-/'", r"LA-\d+\.\d\d, \d+\.\d\d, \d+\.\d\d"),
    *cmd("sleep 300 & echo BG-started", "BG-started"),
    *cmd("kill $! && wait $!; echo KILL-$?", "KILL-143"),
    *cmd("sh -c 'echo SL-go; exec sleep 1000'", "SL-go"),
    send("\x03"),
    *cmd("echo ST-$?", "ST-130"),
    *cmd("(sleep 1; echo BJ-done) & wait; echo BJ-waited", "BJ-done", "BJ-waited"),
    *cmd("sh -c 'echo TZ-go; exec sleep 1000'", "TZ-go"),
    send("\x1a"),
    expect(r"(?m)^lx \| \[\d+\]\+ +Stopped"),
    *cmd("kill -9 %1; echo TZ-$?", "TZ-0"),
    # line editing: erase and kill-line
    *cmd("echo ER-abc\x7f\x7fZ", "ER-aZ"),
    *cmd("junk junk\x15echo KL-ok", "KL-ok"),
    # the system
    *cmd("date +DT-%Y", r"DT-\d{4}"),
    *cmd("uname -a", r"Linux \S+ 6\.1\.0-pecan-lx .*x86_64.*"),
    *cmd("dmesg | wc -l | sed 's/^ */DM-/'", r"DM-[1-9]\d*"),
    *cmd("cat /proc/meminfo", r"MemTotal: +\d+ kB"),
    *cmd("free", r"Mem: +\d+ +\d+ +\d+.*"),
    # the kernel's measurement counters (cap=kdebug in conf/shell.cfg)
    *cmd("echo 1 > /proc/pecan/counters; awk '$1 == \"counting\" && $2 == 1 || "
         "$1 == \"kernel_entries_process\" && $2 > 0 { n++ } END { print \"PC-\" n }' /proc/pecan/counters", "PC-2"),
    *cmd("echo 0 > /proc/pecan/counters; head -1 /proc/pecan/counters | sed 's/ /-/'", "counting-0"),
    # anything but 0 or 1 is refused (EINVAL), and counting stays off
    *cmd("echo on > /proc/pecan/counters 2>/dev/null || echo PCBAD-$?; head -1 /proc/pecan/counters | sed 's/ /-/'",
         "PCBAD-1", "counting-0"),
    # the shell survived all of it
    *cmd("echo ALIVE-$((40+2))", "ALIVE-42"),
    send("poweroff\r"),
    expect(POWER_OFF),
    expect(CLEAN_END), expect(FINISHED),
]

IMAGE = "tests/data/bdds_image"          # bdds's device 0 in conf/l4bdds.cfg
IMAGE_MD5, IMAGE_SIZE = _md5(IMAGE)
PADDED_MD5, PADDED_SIZE = _md5(IMAGE, 512)  # the device: whole blocks, the last one padded with zeros

L4BDDS_STEPS = [
    expect(r"lx \| lx: /dev/l4bdds0: rom/bdds_image, %d blocks of 512 bytes, read-only\n" % (PADDED_SIZE // 512)),
    expect(r"lx \| lx: /dev/l4bdds1: ram:1M, 2048 blocks of 512 bytes, read-write\n"),
    expect(SHELL_READY),
    *cmd("md5sum /dev/l4bdds0", PADDED_MD5 + "  /dev/l4bdds0"),
    *cmd("head -c %d /dev/l4bdds0 | md5sum" % IMAGE_SIZE, IMAGE_MD5 + "  -"),
    *cmd("cat /dev/l4bdds0 > /tmp/img && cmp /tmp/img /dev/l4bdds0 && wc -c < /tmp/img | sed 's/^ */CMP-/'",
         "CMP-%d" % PADDED_SIZE),
    # reads past the end: nothing; writes to the module: EROFS
    *cmd("dd if=/dev/l4bdds0 bs=512 skip=100 count=1 2>/dev/null | wc -c | sed 's/^ */END-/'", "END-0"),
    *cmd("echo x > /dev/l4bdds0; echo RO-$?", r"-sh: can't create /dev/l4bdds0: Read-only file system", "RO-1"),
    # the RAM disk: unaligned writes and reads back
    *cmd("seq 1 200000 | head -c 100000 > /tmp/r && dd if=/tmp/r of=/dev/l4bdds1 bs=3000 seek=1 conv=notrunc "
         "2>/dev/null && dd if=/dev/l4bdds1 bs=3000 skip=1 count=34 2>/dev/null | head -c 100000 | cmp - /tmp/r "
         "&& echo RAM-same", "RAM-same"),
    *cmd("dd if=/dev/zero of=/dev/l4bdds1 bs=64k count=17 2>&1 | grep -c 'No space' | sed 's/^/FULL-/'", "FULL-1"),
    *cmd("md5sum /dev/l4bdds1", hashlib.md5(b"\0" * (1 << 20)).hexdigest() + "  /dev/l4bdds1"),
    send("poweroff\r"),
    expect(POWER_OFF),
    expect(CLEAN_END), expect(FINISHED),
]

SHELL_TESTS = [
    SystemTest("shell.interactive", "shell", SHELL_STEPS + [
        never(r"^lx \| lx: .* segfault at"),
        never(r"^lx \| init-shell: the shell "),  # the first shell lived to the end
    ], timeout=600),
    SystemTest("shell.l4bdds", "l4bdds", L4BDDS_STEPS + [never(r"^lx \| lx: l4bdds\d+: .* failed")], timeout=300),
]
