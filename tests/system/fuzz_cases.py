"""System-call fuzzing of lx (docs/fuzzing.md): /bin/sysfuzz (guest/tests/sysfuzz.c) as lx's init.

FUZZ_TESTS (make check, via tests.py): the quick run, scenario fuzz-quick
(conf/fuzz-quick.cfg: 64 MiB of guest memory, which sysfuzz takes as
100,000 calls). FUZZ_FULL (make fuzz: run this file): scenario fuzz
(conf/fuzz.cfg: 128 MiB, 1,000,000 calls).

Both pass when sysfuzz prints its summary and "sysfuzz: PASS" (lx never died,
the heartbeat never missed, the free memory came back, busybox still runs)
and lx powers off cleanly; lx crashing shows as `roottask | lx crashed`.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from pecanlib import harness, scenario  # noqa: E402
from pecanlib.harness import SystemTest, expect, never  # noqa: E402

CLEAN_END = r"all boot programs ended, \d+ frames free, none leaked"
FINISHED = r"scenario finished, powering off"


def _steps(calls):
    return [
        expect(r"lx \| sysfuzz: %d calls by 4 workers, seed 0x[0-9a-f]+" % calls),
        expect(r"lx \| sysfuzz: beat 1\n"),
        expect(r"lx \| alive\n"),
        expect(r"lx \| sysfuzz: \d+ calls by \d+ workers, \d+ workers died, filtered \d+; errors: "),
        expect(r"lx \| sysfuzz: heartbeat: \d+ beats, largest gap \d+ ms"),
        expect(r"lx \| sysfuzz: PASS\n"),
        expect(r"roottask \| lx exited with code 0\n"),
        expect(CLEAN_END), expect(FINISHED),
        never(r"^lx \| sysfuzz: FAIL"),
        never(r"^roottask \| lx crashed"),
        never(r"^lx \| lx: BUG"),
    ]


FUZZ_TESTS = [
    # 100,000 random system calls, about 15 s under TCG
    SystemTest("lx.fuzz_quick", "fuzz-quick", _steps(100000), timeout=180),
]

# make fuzz: 1,000,000 calls; about 2.5 minutes under TCG expected (6,700 calls/s in the quick run)
FUZZ_FULL = SystemTest("lx.fuzz", "fuzz", _steps(1000000), timeout=1800)


def main():
    accel = scenario.choose_accel()
    print(f"fuzz: booting scenario '{FUZZ_FULL.scenario}' under {accel.upper()} "
          f"(1,000,000 random system calls; up to {FUZZ_FULL.timeout} s)", flush=True)
    r = harness.run(FUZZ_FULL, accel)
    for line in r.log.splitlines():
        if "sysfuzz:" in line and "beat" not in line or "lx crashed" in line or "lx: BUG" in line:
            print(line)
    print(f"fuzz: {r.outcome} {r.detail} [{accel}, {r.seconds:.1f} s]")
    if r.outcome != harness.OK:
        with open(os.path.join("build", "fuzz.log"), "w") as f:
            f.write(r.log)
        print("fuzz: the console log is in build/fuzz.log")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
