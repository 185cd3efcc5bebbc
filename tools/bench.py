#!/usr/bin/env python3
"""make bench: boot the kbench scenario, collect its figures and print them beside published anchors.

usage: bench.py [--timeout SECONDS] [--no-kvm]

Runs user/kbench under QEMU TCG with `-icount shift=0` (the guest TSC then
counts instructions), and again under KVM when the host has hardware-assisted
KVM (the TSC then counts cycles). Prints one Markdown table (paste it into
docs/benchmarks.md) and the wall-clock time of each run. Exits non-zero, with
the console log on stderr, when a run panics, hangs, fails or lacks a line.
"""
import argparse
import datetime
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pecanlib import harness, scenario  # noqa: E402

SCENARIO = "kbench"
GUEST_SCENARIO = "lxbench"  # lx runs guest/tests/lxbench.c as its init

# (name in kbench's output, what it measures, anchor or target)
BENCHMARKS = [
    ("ipc_inter_rtt", "IPC call + reply, two address spaces",
     "target <= 300 instr.; Fiasco 2 x 587 instr. one way; seL4 x86-64 fastpath round trip "
     "773 cycles on Skylake (1,267 with Meltdown mitigation)"),
    ("ipc_intra_rtt", "IPC call + reply, one address space", "Fiasco 2 x 543 instr. one way"),
    ("null_invoke", "invocation of an empty selector (PECAN_ECAP)", "Fiasco null system call 148 instr."),
    ("thread_info", "THREAD_INFO on the own thread (kernel-object call)", "-"),
    ("yield_switch", "THREAD_YIELD ping-pong, per switch", "-"),
    ("page_fault_rtt", "page fault -> pager (map item) -> retry", "-"),
    ("vcpu_rtt", "vCPU user -> kernel -> user round trip (syscall event + resume)", "-"),
    ("rdtsc", "two timestamps (overhead in every figure)", "-"),
]
TARGET = ("ipc_inter_rtt", 300)

# the guest's figures (guest/tests/lxbench.c on lx)
GUEST_BENCHMARKS = [
    ("getpid", "guest getpid round trip (process -> lx -> process)", "L4Linux (SOSP '97): about 2.4x native"),
    ("enosys", "guest unknown system call (-ENOSYS)", "-"),
    ("fork_exit_wait", "guest fork + _exit + wait4", "-"),
]


class BenchError(Exception):
    def __init__(self, message, log=""):
        super().__init__(message)
        self.log = log


def run(accel, extra, timeout, name=SCENARIO, prefix="kbench", benchmarks=BENCHMARKS):
    """Boots a scenario once; returns ({name: (median, min, rounds)}, wall-clock seconds)."""
    LINE_RE = re.compile(r"^(?:lx \| )?%s: (\w+) median=(\d+) min=(\d+) rounds=(\d+)$" % prefix, re.M)
    DONE_RE = r"%s: (done|FAIL[^\n]*)\n" % prefix
    sc = scenario.load(name)
    argv = scenario.qemu_argv(sc, accel, extra=extra)
    start = time.monotonic()
    deadline = start + timeout
    con = harness.Console(argv)
    status = None
    try:
        m, why = con.expect(DONE_RE, deadline)
        if m is not None and m.group(1) == "done":
            status = con.wait_exit(deadline)
    finally:
        con.kill()
    seconds = time.monotonic() - start
    log = con.log()
    what = f"{accel.upper()} run"
    if harness.PANIC_RE.search(log) or con.proc.returncode == harness.PANIC_EXIT_STATUS:
        raise BenchError(f"{what}: kernel panic", log)
    if m is None:
        if why == "timeout":
            raise BenchError(f"{what}: hang: no '{prefix}: done' within {timeout} s", log)
        raise BenchError(f"{what}: QEMU ended before '{prefix}: done'", log)
    if m.group(1) != "done":
        raise BenchError(f"{what}: {m.group(1)}", log)
    if status is None:
        raise BenchError(f"{what}: QEMU did not power off within {timeout} s after '{prefix}: done'", log)
    if status != 0:
        raise BenchError(f"{what}: QEMU exit status {status}, expected 0", log)
    results = {g[0]: (int(g[1]), int(g[2]), int(g[3])) for g in LINE_RE.findall(log)}
    missing = [b for b, _, _ in benchmarks if b not in results]
    if missing:
        raise BenchError(f"{what}: no line for {', '.join(missing)}", log)
    return results, seconds


def table(tcg, kvm, kvm_note, benchmarks=BENCHMARKS):
    rows = ["| benchmark | what | TCG median (instr.) | TCG min (instr.) | KVM median (cycles) | KVM min (cycles) "
            "| anchor / target |",
            "|---|---|---:|---:|---:|---:|---|"]
    for name, what, anchor in benchmarks:
        med, low, _ = tcg[name]
        if kvm is not None:
            kmed, klow = (f"{kvm[name][0]:,}", f"{kvm[name][1]:,}")
        else:
            kmed, klow = kvm_note, "n/a"
        rows.append(f"| `{name}` | {what} | {med:,} | {low:,} | {kmed} | {klow} | {anchor} |")
    return "\n".join(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--timeout", type=float, default=float(os.environ.get("BENCH_TIMEOUT", 300)),
                    help="seconds for each run (default 300, or $BENCH_TIMEOUT)")
    ap.add_argument("--no-kvm", action="store_true", help="skip the KVM run")
    a = ap.parse_args()

    try:
        tcg, tcg_s = run("tcg", ["-icount", "shift=0"], a.timeout)
        gtcg, gtcg_s = run("tcg", ["-icount", "shift=0"], a.timeout, GUEST_SCENARIO, "lxbench", GUEST_BENCHMARKS)
        kvm, kvm_s, gkvm, note = None, None, None, "n/a: no hardware-assisted KVM"
        if a.no_kvm:
            note = "n/a: skipped (--no-kvm)"
        elif scenario.hardware_kvm():
            kvm, kvm_s = run("kvm", [], a.timeout)
            gkvm, _ = run("kvm", [], a.timeout, GUEST_SCENARIO, "lxbench", GUEST_BENCHMARKS)
    except BenchError as e:
        sys.stderr.write(e.log)
        if e.log and not e.log.endswith("\n"):
            sys.stderr.write("\n")
        print(f"bench: FAIL {e}", file=sys.stderr)
        return 1
    except (scenario.ScenarioError, OSError) as e:
        print(f"bench: error: {e}", file=sys.stderr)
        return 1

    rounds = tcg[BENCHMARKS[0][0]][2]
    print(f"Results of `make bench` on {datetime.date.today().isoformat()} "
          f"(median and minimum over {rounds:,} rounds after warm-up; raw TSC deltas):\n")
    print(table(tcg, kvm, note))
    print()
    name, limit = TARGET
    verdict = "met" if tcg[name][0] <= limit else "missed"
    print(f"Target `{name}` <= {limit} instructions (TCG icount median): {verdict} ({tcg[name][0]:,}).\n")
    print(f"Wall-clock of the whole run (boot to power-off): TCG with -icount shift=0 {tcg_s:.1f} s"
          + (f", KVM {kvm_s:.1f} s." if kvm is not None else f"; KVM {note}."))
    print("\nThe guest, lx running guest/tests/lxbench.c (instructions of the whole round trip: process, "
          "kernel and lx):\n")
    print(table(gtcg, gkvm, note, GUEST_BENCHMARKS))
    print(f"\nWall-clock of the guest run: TCG with -icount shift=0 {gtcg_s:.1f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
