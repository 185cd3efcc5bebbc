"""System tests of the guest kernel lx: the `lx` scenario (conf/lx.cfg, guest/tests/init.c).

One boot: lx runs /init of build/guest/initramfs.cpio, which runs each guest
test program (guest/tests/NAME.c as /bin/NAME) and then busybox commands,
and powers off. Guest output appears on the console as `lx | <line>`. Each
test program is also reported as a case of its own (`system/lx[tcg]/cow`,
...), passing on its `lx | NAME: PASS` line; a failing program shows as
`init: FAIL NAME (...)`. tests.py adds LX_TESTS to its TESTS.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from pecanlib.harness import SystemTest, expect, never  # noqa: E402

# the same as tests.py's (which imports this file)
CLEAN_END = r"all boot programs ended, \d+ frames free, none leaked"
FINISHED = r"scenario finished, powering off"

# the test programs in the order /init runs them (guest/tests/init.c)
LX_PROGRAMS = ["forktree", "cow", "execargs", "execimage", "memtest", "badptr", "segv", "enosys", "sighandler", "sigfault", "sigproc", "sigpipe", "fstest", "polltest", "cputime", "modtest"]

LX_MOTD = r"Welcome to Pecan lx: this line is /etc/motd of the initramfs\."  # guest/rootfs/etc/motd


def _program_steps():
    steps = []
    for p in LX_PROGRAMS:
        steps += [expect(r"lx \| %s: PASS\n" % p), expect(r"lx \| init: %s exited with status 0\n" % p)]
    return steps


LX_TESTS = [
    SystemTest("lx", "lx", [
        expect(r"lx \| init: started"),
        *_program_steps(),
        expect(r"lx \| init: %d of %d test programs passed\n" % (len(LX_PROGRAMS), len(LX_PROGRAMS))),
        # busybox (Debian's busybox-static, unmodified), each run by fork + execve + wait4
        expect(r"lx \| hello from busybox\n"),
        expect(r"lx \| init: busybox echo exited with status 0\n"),
        expect(r"lx \| d[rwxsStT-]{9} +\d+ +\S+ +\S+ +\d+ .*\betc\n"),   # ls -l /: the line of /etc
        expect(r"lx \| init: busybox ls exited with status 0\n"),
        expect(r"lx \| " + LX_MOTD + r"\n"),
        expect(r"lx \| init: busybox cat exited with status 0\n"),
        expect(r"lx \| 1\n"), expect(r"lx \| 2\n"), expect(r"lx \| 3\n"),
        expect(r"lx \| init: busybox sh exited with status 0\n"),
        expect(r"lx \| init: all done\n"),
        expect(CLEAN_END), expect(FINISHED),
        never(r"^lx \| \S+: not ok: "),
        never(r"^lx \| init: FAIL"),
    ], timeout=300, accels=("tcg", "kvm"), cases=LX_PROGRAMS, case_pass="lx | {id}: PASS\n"),
]
