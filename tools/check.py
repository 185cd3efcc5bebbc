#!/usr/bin/env python3
"""make check: host unit tests, tool tests and system tests; ends with `N passed, N failed`.

usage: check.py [-k SUBSTRING] [--list]
"""
import argparse
import glob
import os
import re
import subprocess
import sys
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))
sys.path.insert(0, os.path.join(ROOT, "tests", "tools"))

from pecanlib import harness, scenario  # noqa: E402


class Tally:
    def __init__(self):
        self.passed = self.failed = 0

    def report(self, ok, name, detail=""):
        if ok:
            self.passed += 1
            print(f"PASS {name}{detail}", flush=True)
        else:
            self.failed += 1
            print(f"FAIL {name}{detail}", flush=True)


def unit_tests(t, k):
    bins = sorted(glob.glob(os.path.join(ROOT, "build/host/unit/test_*")))
    if not bins:
        t.report(False, "unit", ": no unit test binaries (build/host/unit) — run `make unit-tests`")
    for b in bins:
        p = subprocess.run([b], capture_output=True, text=True)
        seen_fail = False
        for line in p.stdout.splitlines():
            if line.startswith("PASS ") or line.startswith("FAIL "):
                name = line[5:].split(":", 1)[0]
                if k and k not in name:
                    continue
                ok = line.startswith("PASS ")
                seen_fail |= not ok
                t.report(ok, name, "" if ok else ":" + line[5:].split(":", 1)[1])
        if p.returncode != 0 and not seen_fail and not k:
            t.report(False, f"unit/{os.path.basename(b)}", f": exited {p.returncode}\n{p.stdout}{p.stderr}")
        elif p.returncode != 0 and p.stderr:
            print(p.stderr)


def tool_tests(t, k):
    import test_docs
    import test_scenario
    for group, name, fn in [("scenario", n, f) for n, f in test_scenario.TESTS] + \
            [("docs", n, f) for n, f in test_docs.TESTS]:
        full = f"tools/{group}.{name}"
        if k and k not in full:
            continue
        try:
            fn()
            t.report(True, full)
        except Exception:
            t.report(False, full, ":\n" + traceback.format_exc())


def system_tests(t, k):
    import tests as system
    have_kvm = scenario.hardware_kvm()
    forced = os.environ.get("ACCEL")
    for test in system.TESTS:
        for accel in test.accels:
            name = f"system/{test.id}" + (f"[{accel}]" if len(test.accels) > 1 else "")
            if k and k not in name:
                continue
            if forced and accel != forced:
                continue
            if accel == "kvm" and not have_kvm and not forced:
                print(f"note: {name} not run: this host has no hardware-assisted KVM "
                      "(no vmx/svm in /proc/cpuinfo, or /dev/kvm not usable)", flush=True)
                continue
            try:
                r = harness.run(test, accel)
            except scenario.ScenarioError as e:
                t.report(False, name, f": scenario error: {e}")
                continue
            except harness.PrepareError as e:
                t.report(False, name, f": preparing on the host failed: {e}")
                continue
            ok = r.outcome == test.outcome
            for case in test.cases:
                line = test.case_pass.format(id=case)
                case_ok = ok and line in r.log
                why = ""
                if not case_ok:
                    m = re.search(r"^.*FAIL " + re.escape(case) + r"\b.*$", r.log, re.M)
                    why = ": " + (m.group(0) if m else f"no line '{line}' (run: {r.outcome} {r.detail})")
                t.report(case_ok, f"{name}/{case}", why)
            detail = f" [{accel}, {r.seconds:.1f} s]"
            if test.outcome != harness.OK:
                detail += f" (harness concluded '{r.outcome}' as expected: {r.detail})" if ok else ""
            if not ok:
                detail += f": expected outcome '{test.outcome}', got '{r.outcome}': {r.detail}"
                detail += "\n---- console log ----\n" + r.log + "\n---- end of console log ----"
            elif r.outcome == harness.PANIC:
                detail += "\n    " + r.log[r.log.find("PANIC"):].split("\n", 1)[0]
            t.report(ok, name, detail)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-k", help="run only tests whose name contains this")
    a = ap.parse_args()
    t = Tally()
    unit_tests(t, a.k)
    tool_tests(t, a.k)
    system_tests(t, a.k)
    print(f"{t.passed} passed, {t.failed} failed")
    sys.exit(1 if t.failed or t.passed == 0 else 0)


if __name__ == "__main__":
    main()
