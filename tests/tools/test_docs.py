"""Host tests that keep docs in step with the code they describe."""
import os
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def test_lx_syscall_table_matches_source():
    p = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "lx-syscalls.py"), "--check"],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr


TESTS = [(name[5:], fn) for name, fn in sorted(globals().items()) if name.startswith("test_")]
