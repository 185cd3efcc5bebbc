"""The system-test harness: boot a scenario with the serial console on a pipe, type, expect, judge."""

import os
import re
import subprocess
import threading
import time

from . import scenario

# What a run of a scenario came to; a test names the outcome it expects.
OK = "ok"                    # every step matched and QEMU powered off with the expected status
PANIC = "panic"              # the kernel panicked (PANIC on the console, or QEMU's panic exit status)
HANG = "hang"                # a step or the power-off did not come within the timeout
MISMATCH = "mismatch"        # QEMU ended before an expected line appeared
BAD_EXIT = "unexpected-exit" # every step matched but QEMU's exit status was wrong

PANIC_RE = re.compile(r"^PANIC", re.M)
PANIC_EXIT_STATUS = 3        # isa-debug-exit with value 1: (1 << 1) | 1


class PrepareError(Exception):
    """A test's host-side preparation (SystemTest.before) failed."""


class Console:
    """A QEMU process whose serial console is read on a background thread."""

    def __init__(self, argv):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.buf = ""
        self.pos = 0  # expect() matches only after this offset
        self.cond = threading.Condition()
        self.eof = False
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self):
        while True:
            data = self.proc.stdout.read1(4096)
            with self.cond:
                if not data:
                    self.eof = True
                    self.cond.notify_all()
                    return
                self.buf += data.decode("utf-8", "replace").replace("\r", "")
                self.cond.notify_all()

    def expect(self, pattern, deadline):
        """Waits for pattern after the last match. Returns the match, or None
        with the reason ('timeout' or 'eof')."""
        rx = re.compile(pattern)
        with self.cond:
            while True:
                m = rx.search(self.buf, self.pos)
                if m:
                    self.pos = m.end()
                    return m, None
                if self.eof:
                    return None, "eof"
                left = deadline - time.monotonic()
                if left <= 0:
                    return None, "timeout"
                self.cond.wait(left)

    def send(self, text):
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def wait_exit(self, deadline):
        try:
            return self.proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            return None

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def log(self):
        with self.cond:
            return self.buf


def expect(pattern):
    return ("expect", pattern)


def send(text):
    return ("send", text)


def after(patterns):
    """After the run: these patterns must appear in the log, in this order."""
    return ("after", list(patterns))


def never(pattern):
    """After the run: fail the test (outcome 'mismatch') if pattern matches anywhere in the log."""
    return ("never", pattern)


class SystemTest:
    """One boot of a scenario. With `cases` (ids) and `case_pass` (a format
    with {id}), the run also counts as one test per case: a case passes when
    the run was OK and its line appears in the console log."""

    def __init__(self, id, scenario, steps, exit_status=0, outcome=OK, timeout=60, accels=("tcg",),
                 cases=(), case_pass=None, before=None, modules=(), lx_args=""):
        self.id, self.scenario, self.steps = id, scenario, steps
        self.exit_status, self.outcome, self.timeout, self.accels = exit_status, outcome, timeout, accels
        self.cases, self.case_pass = cases, case_pass
        # before(): host-side preparation (raises on failure); modules/lx_args: scenario.customize
        self.before, self.modules, self.lx_args = before, modules, lx_args


class Result:
    def __init__(self, outcome, detail, log, seconds, accel):
        self.outcome, self.detail, self.log, self.seconds, self.accel = outcome, detail, log, seconds, accel


def run(test, accel):
    """Boots the test's scenario and classifies what happened."""
    if test.before:
        test.before()
    sc = scenario.customize(scenario.load(test.scenario), test.modules, test.lx_args)
    start = time.monotonic()
    deadline = start + test.timeout
    con = Console(scenario.qemu_argv(sc, accel))
    outcome, detail = None, ""
    try:
        for kind, arg in test.steps:
            if kind == "send":
                con.send(arg)
                continue
            if kind in ("never", "after"):
                continue
            m, why = con.expect(arg, deadline)
            if m is None:
                outcome = HANG if why == "timeout" else MISMATCH
                detail = f"waiting for /{arg}/: " + (
                    f"nothing matched within {test.timeout} s" if why == "timeout" else "QEMU ended first")
                break
        status = None
        if outcome is None:
            status = con.wait_exit(deadline)
            if status is None:
                outcome, detail = HANG, f"QEMU did not exit within {test.timeout} s"
        else:
            con.kill()
            status = con.proc.returncode
    finally:
        con.kill()
    log = con.log()
    # A panic overrides everything else: it is what the log shows first to a reader.
    if PANIC_RE.search(log) or status == PANIC_EXIT_STATUS:
        if test.outcome != PANIC or outcome is None:
            # For a test that expects the panic, its steps (the panic text,
            # the backtrace) must still all match and the status be right.
            if test.outcome == PANIC and status != test.exit_status:
                outcome, detail = BAD_EXIT, f"panic, but QEMU exit status {status}, expected {test.exit_status}"
            else:
                outcome, detail = PANIC, "kernel panic: " + _panic_text(log)
        else:
            detail += " (after a kernel panic)"
    elif outcome is None:
        bad = [arg for kind, arg in test.steps if kind == "never" and re.search(arg, log, re.M)]
        missing = None
        for kind, arg in test.steps:
            if kind != "after" or missing:
                continue
            pos = 0
            for pattern in arg:
                m = re.compile(pattern, re.M).search(log, pos)
                if not m:
                    missing = pattern
                    break
                pos = m.end()
        if bad:
            m = re.search(bad[0], log, re.M)
            outcome, detail = MISMATCH, f"/{bad[0]}/ matched: {m.group(0)!r}"
        elif missing:
            outcome, detail = MISMATCH, f"/{missing}/ not found (in order) in the console log"
        elif status == test.exit_status:
            outcome = OK
        else:
            outcome, detail = BAD_EXIT, f"QEMU exit status {status}, expected {test.exit_status}"
    return Result(outcome, detail, log, time.monotonic() - start, accel)


def _panic_text(log):
    m = PANIC_RE.search(log)
    if not m:
        return "(QEMU panic exit status, no PANIC line)"
    return log[m.start():].split("\n", 1)[0]
