"""System tests: each boots a scenario of conf/modules.list and checks the serial console.

Stable ids; a test runs under every accelerator in `accels` that the host has
(KVM only where it is hardware-assisted). `outcome` is what the harness must
conclude: most tests expect OK, the harness's own tests expect it to detect
a panic, a hang or a mismatch.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from pecanlib.harness import SystemTest, expect, send, never, OK, PANIC, HANG, MISMATCH  # noqa: E402
from hostile_case import HOSTILE_TIMEOUT_S  # noqa: E402
from ktest_cases import KTEST_IDS  # noqa: E402
from lx_cases import LX_TESTS  # noqa: E402
from exercise_cases import EXERCISE_TESTS  # noqa: E402
from fuzz_cases import FUZZ_TESTS  # noqa: E402
from shell_cases import SHELL_TESTS  # noqa: E402

BANNER = r"Pecan microkernel, x86-64"
MEMORY = r"memory: \d+ MiB usable in \d+ regions; kernel \d+ KiB; \d+ boot modules, \d+ KiB; kernel pool \d+ MiB, user memory \d+ MiB"
CLEAN_END = r"all boot programs ended, \d+ frames free, none leaked"
FINISHED = r"scenario finished, powering off"

TESTS = [
    SystemTest("boot.hello", "boot", [
        expect(BANNER), expect(MEMORY), expect(r"timer: LAPIC timer at \d+ kHz"),
        expect(r"\nHello from user mode\n"), expect(r"hello exited with code 0\n"),
        expect(CLEAN_END), expect(FINISHED),
    ], accels=("tcg", "kvm")),

    # The runtime: the roottask reads hello.cfg, starts the log server and hello.
    SystemTest("runtime.hello", "hello", [
        expect(r"roottask \| \d+ MiB of user memory, \d+ boot modules; script rom/hello.cfg\n"),
        expect(r"\nhello \| Hello World!\n"), expect(r"roottask \| hello exited with code 0\n"),
        expect(r"roottask exited with code 0"), expect(CLEAN_END), expect(FINISHED),
    ]),

    SystemTest("runtime.ipc", "ipc", [
        expect(r"server \| server: waiting for clients\n"),
        expect(r"client \| client: 5 calls through the gate, all answered\n"),
        expect(r"roottask \| echo-client exited with code 0\n"), expect(CLEAN_END), expect(FINISHED),
    ]),
    SystemTest("runtime.bdds", "bdds", [
        expect(r"check \| bddscheck: rom/bdds_image via bdds: 2960 bytes, checksum (0x[0-9a-f]+)\n"),
        expect(r"check \| bddscheck: rom/bdds_image via rom/: 2960 bytes, checksum (0x[0-9a-f]+)\n"),
        expect(r"check \| bddscheck: checksums match\n"),
        expect(r"check \| bddscheck: server still serving\n"),
        expect(r"check \| bddscheck: ram disk ok\n"), expect(r"check \| bddscheck: PASS\n"),
        expect(CLEAN_END), expect(FINISHED),
        never(r"FAIL"),
    ]),
    # Two chatty clients at once: every one of their lines whole; serial input reaches the input client.
    SystemTest("runtime.log_lines_whole_and_input", "logtest", [
        expect(r"typist \| typist: ready\n"), send("hello typist\r"),
        expect(r'typist \| typist: got "hello typist"\n'),
        expect(r"a \| chatty line 150 of 150 from a abcdefghijklmnopqrstuvwxyz\n"),
        expect(r"b \| chatty line 150 of 150 from b abcdefghijklmnopqrstuvwxyz\n"),
        expect(CLEAN_END), expect(FINISHED),
        # a line that mentions chatty but is not one whole "tag | line" is an interleaving
        never(r"^(?!(a|b) \| chatty line \d+ of 150 from (a|b) abcdefghijklmnopqrstuvwxyz$|(a|b) \| chatty (a|b): done$)"
              r"[\w-]+ \| .*chatty.*$"),
    ], timeout=120),
    SystemTest("runtime.crash_reported_others_run_on", "crash", [
        expect(r"roottask \| crasher crashed: #PF page fault at rip=0x[0-9a-f]+, address 0x0 \(nothing mapped there\)\n"),
        expect(r"roottask \| breaker crashed: #GP general protection at rip=0x[0-9a-f]+"),
        expect(r"chatty \| chatty line 300 of 300 from survivor"), expect(r"roottask \| chatty exited with code 0\n"),
        expect(CLEAN_END), expect(FINISHED),
    ], timeout=120),
    SystemTest("runtime.malloc", "malloc", [
        expect(r"malloctest \| malloctest: PASS\n"), expect(r"malloctest exited with code 0"),
        expect(CLEAN_END), expect(FINISHED),
    ]),
    SystemTest("runtime.cfg_unknown_keyword", "cfg-keyword", [
        expect(r"roottask \| rom/bad_keyword.cfg:3: unknown keyword 'strat' \(expected gate or start\)\n"),
        expect(r"config script rom/bad_keyword.cfg rejected; nothing was started"), expect(FINISHED),
        never(r"^log \| "),
    ]),
    SystemTest("runtime.cfg_missing_module", "cfg-module", [
        expect(r"roottask \| rom/bad_module.cfg:3: rom/no_such_program: no such boot module\n"),
        expect(r"rejected; nothing was started"), expect(FINISHED),
        never(r"^(log|hello) \| "),
    ]),
    SystemTest("runtime.cfg_unbalanced_quotes", "cfg-quotes", [
        expect(r"roottask \| rom/bad_quotes.cfg:3: unbalanced quotes\n"),
        expect(r"rejected; nothing was started"), expect(FINISHED),
    ]),
    SystemTest("runtime.cfg_undefined_capability", "cfg-cap", [
        expect(r"roottask \| rom/bad_cap.cfg:4: capability 'nothing' is never defined\n"),
        expect(r"rejected; nothing was started"), expect(FINISHED),
    ]),

    SystemTest("fault.null_pointer", "faults", [
        expect(r"fault_null: thread 0x[0-9a-f]+ crashed: #PF page fault at rip=0x[0-9a-f]+, address 0x0 "
               r"\(error code 0x4\): no pager; thread stopped"),
        expect(r"fault_null ended: its first thread is gone"),
        expect(r"alive: the kernel survived"), expect(CLEAN_END), expect(FINISHED),
    ]),
    SystemTest("fault.privileged_instructions", "faults", [
        expect(r"fault_hlt: executing hlt\n"),
        expect(r"fault_hlt: thread 0x[0-9a-f]+ crashed: #GP general protection at rip=0x[0-9a-f]+ "
               r"\(error code 0x0\): no exception handler; thread stopped"),
        expect(r"fault_cli: executing cli\n"),
        expect(r"fault_cli: thread 0x[0-9a-f]+ crashed: #GP general protection at rip=0x[0-9a-f]+"),
        expect(r"fault_cr3: writing cr3\n"),
        expect(r"fault_cr3: thread 0x[0-9a-f]+ crashed: #GP general protection at rip=0x[0-9a-f]+"),
        expect(r"alive: the kernel survived"), expect(CLEAN_END), expect(FINISHED),
    ]),
    SystemTest("fault.malformed_elf", "faults", [
        expect(r"cannot start not-an-elf: invalid ELF: not an ELF file \(bad magic\)"),
        expect(r"cannot start truncated.elf: invalid ELF: program headers .* outside file of 100 bytes"),
        expect(r"alive: the kernel survived"), expect(CLEAN_END),
        expect(r"2 boot programs could not be started"), expect(FINISHED),
    ]),
    SystemTest("syscall.bad_arguments", "faults", [
        expect(r"syscall_errors: 0 failures\n"), expect(r"syscall_errors exited with code 0"),
        expect(FINISHED),
    ]),
    SystemTest("console.typing", "echo", [
        expect(r"echo: type a line\n"), send("pecan rocks\r"),
        expect(r'echo: you typed "pecan rocks"'), expect(FINISHED),
    ]),

    # The kernel test suite: every operation of every object on the real kernel,
    # one boot, each of its tests reported on its own.
    SystemTest("ktest", "ktest", [
        expect(r"ktest: %d passed, 0 failed\n" % len(KTEST_IDS)), expect(r"ktest exited with code 0"),
        expect(CLEAN_END), expect(FINISHED),
    ], timeout=300, accels=("tcg", "kvm"), cases=KTEST_IDS, case_pass="ktest: PASS {id}\n"),

    # 100,000 random invocations from a hostile task; a heartbeat task must never miss its beat.
    SystemTest("hostile.random_invocations", "hostile", [
        expect(r"hostile: 100000 invocations"), expect(r"hostile: heartbeat beats=\d+"),
        expect(r"hostile: PASS\n"), expect(r"hostile exited with code 0"), expect(CLEAN_END), expect(FINISHED),
    ], timeout=HOSTILE_TIMEOUT_S),
    SystemTest("hostile.seed_deadbeef", "hostile-deadbeef", [
        expect(r"hostile: seed 0xdeadbeef"), expect(r"hostile: PASS\n"), expect(CLEAN_END), expect(FINISHED),
    ], timeout=HOSTILE_TIMEOUT_S),

    # The harness itself: it must recognise each way a run can go wrong.
    SystemTest("harness.panic_detected", "panic", [
        expect(r"PANIC: kernel exception #PF page fault \(vector 14, error code 0x2\)"),
        expect(r"cr2 0000000000dead00"),
        expect(r"test_kernel_fault\+0x[0-9a-f]+"),
        expect(r"kernel_main\+0x[0-9a-f]+"),
    ], exit_status=3, outcome=PANIC),
    SystemTest("harness.hang_detected", "echo", [
        expect(r"echo: type a line\n"), expect(r"never printed"),
    ], outcome=HANG, timeout=8),
    SystemTest("harness.mismatch_detected", "hello", [
        expect(r"Hello from user mode"), expect(r"never printed"),
    ], outcome=MISMATCH),
]

TESTS += LX_TESTS
TESTS += SHELL_TESTS
TESTS += FUZZ_TESTS
TESTS += EXERCISE_TESTS
