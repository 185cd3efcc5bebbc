"""Host tests of the scenario parser (conf/modules.list): every malformed line gets file:line and a reason."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from pecanlib import scenario  # noqa: E402


def _error_of(text, entry="e", search_path=None):
    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "modules.list")
        with open(p, "w") as f:
            f.write(text)
        for name in ("k.bin", "prog"):
            open(os.path.join(d, name), "w").close()
        try:
            scenario.load(entry, path=p, search_path=search_path or d)
        except scenario.ScenarioError as e:
            return str(e).replace(p, "modules.list")
    return None


def test_unknown_keyword():
    e = _error_of("entry e\nkernel k.bin\nrunn prog\n")
    assert e and "modules.list:3" in e and "unknown keyword 'runn'" in e, e


def test_unbalanced_quotes():
    e = _error_of('entry e\nkernel k.bin "oops\n')
    assert e and "modules.list:2" in e and "quotation" in e, e


def test_missing_module():
    e = _error_of("entry e\nkernel k.bin\nrun nothere\n")
    assert e and "modules.list:3" in e and "module nothere not found" in e, e


def test_unknown_entry():
    e = _error_of("entry e\nkernel k.bin\n", entry="other")
    assert e and "no entry named 'other'" in e and "entries: e" in e, e


def test_line_before_entry():
    e = _error_of("run prog\n")
    assert e and "modules.list:1" in e and "before the first 'entry'" in e, e


def test_no_kernel():
    e = _error_of("entry e\nrun prog\n")
    assert e and "modules.list:1" in e and "no 'kernel' line" in e, e


def test_duplicate_entry():
    e = _error_of("entry e\nkernel k.bin\nentry e\n")
    assert e and "modules.list:3" in e and "defined twice" in e, e


def test_comma_in_argument():
    e = _error_of("entry e\nkernel k.bin\nrun prog a,b\n")
    assert e and "modules.list:3" in e and "comma" in e, e


def test_valid_entry():
    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "modules.list")
        with open(p, "w") as f:
            f.write("# c\nentry e\nkernel k.bin x=1\nrun prog a b\nmodule data\n")
        for name in ("k.bin", "prog", "data"):
            open(os.path.join(d, name), "w").close()
        sc = scenario.load("e", path=p, search_path=d)
        assert sc.run == ["prog"], sc.run
        argv = scenario.qemu_argv(sc, "tcg")
        assert argv[argv.index("-append") + 1] == "x=1 run=prog"
        assert argv[argv.index("-initrd") + 1] == f"{d}/prog a b,{d}/data"


def test_accel_override():
    assert scenario.choose_accel("tcg") == "tcg"
    try:
        scenario.choose_accel("xen")
    except scenario.ScenarioError as e:
        assert "must be tcg or kvm" in str(e)
    else:
        raise AssertionError("ACCEL=xen accepted")


def test_repository_modules_list_parses():
    entries = scenario.parse()
    for name in ("hello", "faults", "echo", "panic"):
        assert name in entries, name


TESTS = [(name[5:], fn) for name, fn in sorted(globals().items()) if name.startswith("test_")]
