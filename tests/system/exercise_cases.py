"""The exercise guide as a test: every command of docs/exercise.md, run exactly as written.

The guide's fenced blocks say what they are: `c FILE` and `make FILE` are the
module's files (written to /tmp/mymodule, as the guide says), `sh host`
commands run in bash on the host from the repository, the `make qemu
E=... MODULES=...` line names the scenario and the module to add, `sh
guest` lines are typed into the guest's shell one by one, and `text
console` lines must appear on the console in order (`...` = anything).
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from pecanlib.harness import SystemTest, PrepareError, expect, send, after, never  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
GUIDE = os.path.join(ROOT, "docs", "exercise.md")
MODULE_DIR = "/tmp/mymodule"
PROMPT = r"lx:[^\n#]*# "


def _blocks(text):
    """(info string, body) of every fenced block."""
    return re.findall(r"^```([^\n]*)\n(.*?)^```", text, re.M | re.S)


def _guide():
    with open(GUIDE) as f:
        text = f.read()
    files, host, guest, console = {}, [], [], []
    for info, body in _blocks(text):
        words = info.split()
        if len(words) == 2 and words[0] in ("c", "make"):
            files[words[1]] = body
        elif words == ["sh", "host"]:
            host.append(body)
        elif words == ["sh", "guest"]:
            guest += [line for line in body.splitlines() if line.strip()]
        elif words == ["text", "console"]:
            console += [line for line in body.splitlines() if line.strip()]
    m = re.search(r"^make qemu E=(\S+) MODULES=(\S+)$", text, re.M)
    if not m:
        raise RuntimeError(f"{GUIDE}: no 'make qemu E=... MODULES=...' line")
    return files, host, guest, console, m.group(1), m.group(2)


def _prepare(files, host):
    def before():
        os.makedirs(MODULE_DIR, exist_ok=True)
        for name, body in files.items():
            with open(os.path.join(MODULE_DIR, name), "w") as f:
                f.write(body)
        for script in host:
            p = subprocess.run(["bash", "-e", "-c", script], cwd=ROOT, capture_output=True, text=True)
            if p.returncode:
                raise PrepareError(f"`{script.strip()}` exited {p.returncode}:\n{p.stdout}{p.stderr}")
    return before


def _console_pattern(line):
    return r"^" + r".*".join(re.escape(part) for part in line.split("...")) + r"$"


def _tests():
    files, host, guest, console, entry, modules = _guide()
    steps = [expect(PROMPT)]
    for line in guest:
        steps.append(send(line + "\r"))
        if line.strip() != "poweroff":
            steps.append(expect(PROMPT))
    steps += [expect(r"scenario finished, powering off"), after([_console_pattern(c) for c in console]),
              never(r"called unknown system call")]
    return [SystemTest("exercise.guide", entry, steps, timeout=300, before=_prepare(files, host),
                       modules=(modules,))]


EXERCISE_TESTS = _tests()
