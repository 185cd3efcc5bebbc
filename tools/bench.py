#!/usr/bin/env python3
"""make bench: boot the kbench scenario, collect its figures and print them beside published anchors;
then the guest benchmark on lx beside the same program on Debian's own Linux kernel.

usage: bench.py [--timeout SECONDS] [--no-kvm] [--no-native]

Runs user/kbench under QEMU TCG with `-icount shift=0` (the guest TSC then
counts instructions), and again under KVM when the host has hardware-assisted
KVM (the TSC then counts cycles). Prints one Markdown table (paste it into
docs/benchmarks.md) and the wall-clock time of each run.

Then guest/tests/lxbench.c, the same static binary, twice per accelerator:
as lx's init (scenario `lxbench`) and as the init of Debian's kernel in the
same QEMU machine (tools/native.py; the kernel is fetched by
tools/get-linux.sh). Under TCG both run once with `-icount shift=0`
(instruction counts) and once without (the guest TSC is then the host's TSC:
wall-clock ticks). Prints one table per accelerator: each operation on lx,
on Linux, and the ratio lx / Linux; and the boot times (QEMU start to the
init's first line; and for lx, to the shell of `make run`'s scenario).
`--no-native` leaves the Linux runs out.

On lx, lxbench then also prints where the time of a getpid and of a page
fault goes (`lxbench: breakdown` lines; the kernel's measurement counters,
docs/abi.md, shown by lx as /proc/pecan/counters): per operation, the
instructions (icount) or ticks in the process, in lx, in the Pecan kernel,
and the address-space switches. Printed as one more table per run.

Exits non-zero, with the console log on stderr, when a run panics, hangs,
fails or lacks a line.
"""
import argparse
import datetime
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import native  # noqa: E402
from pecanlib import harness, scenario  # noqa: E402

SCENARIO = "kbench"
GUEST_SCENARIO = "lxbench"  # lx runs guest/tests/lxbench.c as its init
SHELL_SCENARIO = "shell"    # make run's scenario: /sbin/init-shell starts busybox sh on the console
SHELL_BANNER = r"lx \| Enter 'help' for a list of built-in commands\.\n"  # sh's first line at its start

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

# the guest's figures (guest/tests/lxbench.c, on lx and on Debian's Linux)
L4LINUX_MACRO = "L4Linux (SOSP '97): a few % below native on macro benchmarks (AIM)"
GUEST_BENCHMARKS = [
    ("getpid", "getpid round trip", "L4Linux (SOSP '97): about 2.4x native (null system call)"),
    ("enosys", "unknown system call (-ENOSYS)", "-"),
    ("pipe_rtt", "pipe ping-pong round trip, 1 byte each way, two processes", "-"),
    ("fork_exit_wait", "fork + _exit + wait4", "-"),
    ("fork_exec_nop", "fork + execve of a tiny static program (/bin/nop) + wait4", "-"),
    ("fork_exec_busybox", "fork + execve(/bin/busybox true) + wait4", "-"),
    ("page_touch", "first write to a fresh anonymous page", "-"),
    ("file_open_read_close", "open + read (200 bytes) + close of a file in /tmp", "-"),
    ("macro_spawn200", "busybox sh: a loop spawning /bin/busybox true 200 times", L4LINUX_MACRO),
    ("macro_sort_uniq", "busybox: the pipeline seq 3000, awk, sort, uniq -c, sort -rn, wc -l", L4LINUX_MACRO),
    ("macro_tar_gzip", "busybox: 32 files made by seq; tar c + gzip, gzip -d + tar x, diff -r, rm -r", L4LINUX_MACRO),
]


class BenchError(Exception):
    def __init__(self, message, log=""):
        super().__init__(message)
        self.log = log


# the operations lxbench breaks down on lx (`lxbench: breakdown NAME key=value ...`)
BREAKDOWN = [("getpid", "getpid round trip"), ("page_touch", "first write to a fresh anonymous page (page fault)")]


class Run:
    """One boot: results {name: (median, min, rounds)}, wall-clock seconds of the whole run and
    up to the program's first line, the TSC values it printed (boot, total) if any, and the
    breakdown lines {name: {key: value string}} if any."""

    def __init__(self, results, seconds, first_seconds, boot_tsc, total_tsc, breakdown=None):
        self.results, self.seconds, self.first_seconds = results, seconds, first_seconds
        self.boot_tsc, self.total_tsc = boot_tsc, total_tsc
        self.breakdown = breakdown or {}


def run_argv(argv, what, timeout, prefix, benchmarks):
    """Boots QEMU with argv; returns a Run. Raises BenchError on a panic, hang, failure or missing line."""
    LINE_RE = re.compile(r"^(?:lx \| )?%s: (\w+) median=(\d+) min=(\d+) rounds=(\d+)$" % prefix, re.M)
    DONE_RE = r"%s: (done|FAIL[^\n]*)\n" % prefix
    FIRST_RE = r"%s: " % prefix
    start = time.monotonic()
    deadline = start + timeout
    con = harness.Console(argv)
    status, first = None, None
    try:
        m, why = con.expect(FIRST_RE, deadline)
        if m is not None:
            first = time.monotonic() - start
            con.pos = m.start()
            m, why = con.expect(DONE_RE, deadline)
        if m is not None and m.group(1) == "done":
            status = con.wait_exit(deadline)
    finally:
        con.kill()
    seconds = time.monotonic() - start
    log = con.log()
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

    def tsc(key):
        t = re.search(r"^(?:lx \| )?%s: %s tsc=(\d+)$" % (prefix, key), log, re.M)
        return int(t.group(1)) if t else None
    breakdown = {}
    for name, rest in re.findall(r"^(?:lx \| )?%s: breakdown (\w+) (.*)$" % prefix, log, re.M):
        breakdown[name] = dict(kv.split("=", 1) for kv in rest.split())
    return Run(results, seconds, first, tsc("boot"), tsc("total"), breakdown)


def run(accel, extra, timeout, name=SCENARIO, prefix="kbench", benchmarks=BENCHMARKS):
    """Boots a scenario once; returns ({name: (median, min, rounds)}, wall-clock seconds)."""
    r = run_scenario(accel, extra, timeout, name, prefix, benchmarks)
    return r.results, r.seconds


def run_scenario(accel, extra, timeout, name, prefix, benchmarks):
    sc = scenario.load(name)
    what = f"{name} {accel.upper()}" + (" icount" if "-icount" in extra else "") + " run"
    return run_argv(scenario.qemu_argv(sc, accel, extra=extra), what, timeout, prefix, benchmarks)


def boot_to_shell(accel, extra, timeout):
    """make run's scenario: host seconds from QEMU's start to the shell's start-up banner (the
    prompt itself has no newline, so the log server shows it late); then `poweroff`."""
    sc = scenario.load(SHELL_SCENARIO)
    what = f"{SHELL_SCENARIO} {accel.upper()}" + (" icount" if "-icount" in extra else "") + " boot"
    start = time.monotonic()
    deadline = start + timeout
    con = harness.Console(scenario.qemu_argv(sc, accel, extra=extra))
    try:
        m, why = con.expect(SHELL_BANNER, deadline)
        seconds = time.monotonic() - start
        if m is not None:
            con.send("poweroff\r")
            con.wait_exit(deadline)
    finally:
        con.kill()
    if m is None:
        raise BenchError(f"{what}: no shell banner ({why}) within {timeout} s", con.log())
    return seconds


def run_native(accel, extra, timeout):
    what = f"native Linux {accel.upper()}" + (" icount" if "-icount" in extra else "") + " run"
    return run_argv(native.qemu_argv(accel, extra), what, timeout, "lxbench", GUEST_BENCHMARKS)


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


def ratio(a, b):
    return f"{a / b:.2f}" if b else "n/a"


def compare_table(columns, benchmarks=GUEST_BENCHMARKS):
    """columns: [(unit, lx Run, Linux Run or None)]; one lx | Linux | ratio triple of medians per column."""
    head = "| benchmark | what |"
    rule = "|---|---|"
    for unit, _, _ in columns:
        head += f" lx ({unit}) | Linux ({unit}) | lx / Linux |"
        rule += "---:|---:|---:|"
    rows = [head + " anchor |", rule + "---|"]
    for name, what, anchor in benchmarks:
        row = f"| `{name}` | {what} |"
        for _, lx, lin in columns:
            a = lx.results[name][0]
            if lin is None:
                row += f" {a:,} | n/a | n/a |"
            else:
                b = lin.results[name][0]
                row += f" {a:,} | {b:,} | {ratio(a, b)} |"
        rows.append(row + f" {anchor} |")
    return "\n".join(rows)


def breakdown_table(run, unit):
    """Where the time of each operation in BREAKDOWN goes on lx, per operation; None without breakdown lines."""
    if not all(name in run.breakdown for name, _ in BREAKDOWN):
        return None
    rows = [f"| operation | timed median, counters off ({unit}) | user: the process | lx | Pecan kernel "
            "| of it, on the process's entries | of it, on lx's entries | other threads | sum "
            "| address-space switches | kernel entries | counting (not in the sum) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, what in BREAKDOWN:
        b = run.breakdown[name]
        n = {k: int(b[k]) for k in ("user", "lx", "kernel", "kernel_process", "kernel_lx", "other", "counting")}
        total = n["user"] + n["lx"] + n["kernel"] + n["other"]
        rows.append(f"| `{name}`: {what} | {run.results[name][0]:,} | {n['user']:,} | {n['lx']:,} | {n['kernel']:,} "
                    f"| {n['kernel_process']:,} | {n['kernel_lx']:,} | {n['other']:,} | {total:,} "
                    f"| {b['switches']} | {b['entries']} | {n['counting']:,} |")
    return "\n".join(rows)


def fmt_s(x):
    return "n/a" if x is None else f"{x:.1f} s"


def fmt_n(x):
    return "n/a" if x is None else f"{x:,}"


def boot_table(runs):
    """runs: [(label, icount Run or None, plain Run or None)]"""
    rows = ["| kernel | QEMU start to init's first line, host wall clock (icount run) "
            "| the same, plain TCG run | init's TSC at its start, icount run (virtual ns) "
            "| whole run, host wall clock (icount) | whole run (plain TCG) |",
            "|---|---:|---:|---:|---:|---:|"]
    for label, ic, plain in runs:
        rows.append(f"| {label} | {fmt_s(ic and ic.first_seconds)} | {fmt_s(plain and plain.first_seconds)} "
                    f"| {fmt_n(ic and ic.boot_tsc)} | {fmt_s(ic and ic.seconds)} | {fmt_s(plain and plain.seconds)} |")
    return "\n".join(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--timeout", type=float, default=float(os.environ.get("BENCH_TIMEOUT", 300)),
                    help="seconds for each run (default 300, or $BENCH_TIMEOUT)")
    ap.add_argument("--no-kvm", action="store_true", help="skip the KVM runs")
    ap.add_argument("--no-native", action="store_true", help="skip the runs on Debian's Linux kernel")
    a = ap.parse_args()

    ICOUNT = ["-icount", "shift=0"]
    guest = (GUEST_SCENARIO, "lxbench", GUEST_BENCHMARKS)
    started = time.monotonic()
    try:
        if not a.no_native:
            native.prepare()
        tcg, tcg_s = run("tcg", ICOUNT, a.timeout)
        g_ic = run_scenario("tcg", ICOUNT, a.timeout, *guest)
        n_ic = None if a.no_native else run_native("tcg", ICOUNT, a.timeout)
        g_tcg = run_scenario("tcg", [], a.timeout, *guest)
        shell_tcg = boot_to_shell("tcg", [], a.timeout)
        shell_ic = boot_to_shell("tcg", ICOUNT, a.timeout)
        n_tcg = None if a.no_native else run_native("tcg", [], a.timeout)
        kvm, kvm_s, g_kvm, n_kvm, note = None, None, None, None, "n/a: no hardware-assisted KVM"
        if a.no_kvm:
            note = "n/a: skipped (--no-kvm)"
        elif scenario.hardware_kvm():
            kvm, kvm_s = run("kvm", [], a.timeout)
            g_kvm = run_scenario("kvm", [], a.timeout, *guest)
            n_kvm = None if a.no_native else run_native("kvm", [], a.timeout)
    except BenchError as e:
        sys.stderr.write(e.log)
        if e.log and not e.log.endswith("\n"):
            sys.stderr.write("\n")
        print(f"bench: FAIL {e}", file=sys.stderr)
        return 1
    except (scenario.ScenarioError, native.NativeError, OSError) as e:
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

    linux = "Debian's Linux: not run (--no-native)" if a.no_native else f"Debian's Linux ({native.kernel_version()})"
    print(f"\nThe guest: guest/tests/lxbench.c as init on lx and on {linux} in the same "
          "QEMU machine; medians (`lxbench:` lines), ratio lx / Linux.\n")
    print("TCG: instructions with `-icount shift=0`; beside them the TSC of a second pair of runs without "
          "icount, where the guest TSC is the host's (wall-clock ticks of the emulation):\n")
    print(compare_table([("instr.", g_ic, n_ic), ("TSC, no icount", g_tcg, n_tcg)]))
    print("\nKVM (cycles):\n")
    if g_kvm is not None:
        print(compare_table([("cycles", g_kvm, n_kvm)]))
    else:
        print(note)
    print("\nBoot (TCG):\n")
    print(boot_table([("lx (Pecan + roottask + lx)", g_ic, g_tcg)]
                     + ([] if a.no_native else [("Linux", n_ic, n_tcg)])))
    print(f"\nlx to the shell (`make run`'s scenario, QEMU start to busybox sh's start-up banner, host wall "
          f"clock): plain TCG {shell_tcg:.2f} s, TCG icount {shell_ic:.2f} s (target: under 1 s under TCG).")
    for label, r, unit in (("TCG with -icount shift=0, instructions", g_ic, "instr."),
                           ("plain TCG, TSC ticks (host)", g_tcg, "ticks")):
        t = breakdown_table(r, unit)
        if t is not None:
            print(f"\nWhere the time goes on lx ({label}; per operation, from the kernel's counters "
                  "in a separate pass of lxbench, `lxbench: breakdown` lines):\n")
            print(t)
    tot = [f"lx {fmt_n(g_ic.total_tsc)}"] + ([] if a.no_native else [f"Linux {fmt_n(n_ic.total_tsc)}"])
    print(f"\nWhole benchmark program (init's TSC from start to end, icount): {', '.join(tot)}.")
    print(f"\nmake bench: {time.monotonic() - started:.0f} s in all.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
