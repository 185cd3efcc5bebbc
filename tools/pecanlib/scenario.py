"""Boot scenarios: parse conf/modules.list, find modules, build the QEMU command line."""

import os
import shlex

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODULES_LIST = os.path.join(ROOT, "conf", "modules.list")
DEFAULT_SEARCH_PATH = ":".join(
    os.path.join(ROOT, d) for d in ("build/kernel", "build/user/bin", "build/tests", "build/guest", "build/guest/modules/examples/hello",
              "build/guest/modules/examples/l4log", "build/guest/modules/examples/chardev", "conf"))


class ScenarioError(Exception):
    """A malformed modules.list line, an unknown entry or a missing module."""


class Scenario:
    def __init__(self, name):
        self.name = name
        self.kernel = None       # (path, args)
        self.kernel_args = []
        self.run = []            # names of boot programs, in order
        self.modules = []        # (path, args) in boot order
        self.where = None        # "file:line" of the entry line


def _find(name, search_path, where):
    if os.path.isabs(name) or "/" in name:
        if os.path.isfile(name):
            return os.path.abspath(name)
        raise ScenarioError(f"{where}: module file {name} does not exist")
    for d in search_path.split(":"):
        p = os.path.join(d, name)
        if d and os.path.isfile(p):
            return os.path.abspath(p)
    raise ScenarioError(f"{where}: module {name} not found in MODULE_SEARCH_PATH={search_path} "
                        "(did `make all` run?)")


def parse(path=MODULES_LIST):
    """Returns {name: [(lineno, keyword, words)]}; raises ScenarioError on bad syntax."""
    entries, current = {}, None
    with open(path) as f:
        for lineno, raw in enumerate(f, 1):
            where = f"{path}:{lineno}"
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            try:
                words = shlex.split(line)
            except ValueError as e:
                raise ScenarioError(f"{where}: {e}")
            kw = words[0]
            if kw == "entry":
                if len(words) != 2:
                    raise ScenarioError(f"{where}: 'entry' takes exactly one name")
                if words[1] in entries:
                    raise ScenarioError(f"{where}: entry {words[1]} defined twice")
                current = entries[words[1]] = [(lineno, kw, words[1:])]
            elif kw in ("kernel", "run", "module"):
                if current is None:
                    raise ScenarioError(f"{where}: '{kw}' before the first 'entry'")
                if len(words) < 2:
                    raise ScenarioError(f"{where}: '{kw}' needs a file name")
                current.append((lineno, kw, words[1:]))
            else:
                raise ScenarioError(f"{where}: unknown keyword '{kw}' "
                                    "(expected entry, kernel, run or module)")
    return entries


def load(name, path=MODULES_LIST, search_path=None):
    search_path = search_path or os.environ.get("MODULE_SEARCH_PATH") or DEFAULT_SEARCH_PATH
    entries = parse(path)
    if name not in entries:
        raise ScenarioError(f"{path}: no entry named '{name}' (entries: {', '.join(sorted(entries))})")
    sc = Scenario(name)
    for lineno, kw, words in entries[name]:
        where = f"{path}:{lineno}"
        if kw == "entry":
            sc.where = where
            continue
        file, args = words[0], words[1:]
        for a in args:
            if "," in a:
                raise ScenarioError(f"{where}: argument '{a}' contains a comma, "
                                    "which QEMU's module list cannot carry")
        resolved = _find(file, search_path, where)
        if " " in resolved or "," in resolved:
            raise ScenarioError(f"{where}: path {resolved} contains a blank or a comma, "
                                "which QEMU's multiboot module list cannot carry")
        if kw == "kernel":
            if sc.kernel:
                raise ScenarioError(f"{where}: a second 'kernel' line")
            sc.kernel, sc.kernel_args = resolved, args
        else:
            sc.modules.append((resolved, args))
            if kw == "run":
                sc.run.append(os.path.basename(resolved))
    if not sc.kernel:
        raise ScenarioError(f"{sc.where}: entry {name} has no 'kernel' line")
    return sc


def hardware_kvm():
    """True when KVM is usable and hardware-assisted (vmx/svm), not a software-only KVM."""
    try:
        fd = os.open("/dev/kvm", os.O_RDWR)
        os.close(fd)
    except OSError:
        return False
    try:
        with open("/proc/cpuinfo") as f:
            flags = f.read().split()
    except OSError:
        return False
    return "vmx" in flags or "svm" in flags


def choose_accel(requested=None):
    requested = requested or os.environ.get("ACCEL")
    if requested:
        if requested not in ("tcg", "kvm"):
            raise ScenarioError(f"ACCEL={requested}: must be tcg or kvm")
        return requested
    return "kvm" if hardware_kvm() else "tcg"


def qemu_argv(sc, accel, interactive=False, gdb=False, memory="256M", extra=()):
    kargs = list(sc.kernel_args)
    if sc.run:
        kargs.append("run=" + ",".join(sc.run))
    argv = ["qemu-system-x86_64", "-machine", "pc", "-m", memory, "-display", "none",
            "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
            "-kernel", sc.kernel, "-append", " ".join(kargs)]
    if accel == "kvm":
        argv += ["-accel", "kvm", "-cpu", "host"]
    else:
        argv += ["-accel", "tcg", "-cpu", "qemu64"]
    if sc.modules:
        argv += ["-initrd", ",".join(" ".join([p] + a) for p, a in sc.modules)]
    if interactive:
        argv += ["-serial", "mon:stdio"]
    else:
        argv += ["-serial", "stdio", "-monitor", "none"]
    if gdb:
        argv += ["-s", "-S"]
    return argv + list(extra)


def _cfg_module(sc):
    """The config script the roottask reads (its rom/NAME.cfg argument), as (index, path)."""
    for _, args in [m for m in sc.modules if os.path.basename(m[0]) == "roottask"]:
        for a in args:
            if a.startswith("rom/"):
                name = a[4:]
                for i, (path, _) in enumerate(sc.modules):
                    if os.path.basename(path) == name:
                        return i, path
    raise ScenarioError(f"scenario {sc.name} has no config script for the roottask")


def customize(sc, modules=(), lx_args="", out_dir=os.path.join(ROOT, "build", "scenarios")):
    """Adds the user's files as more l4bdds devices of lx (MODULES=) and more lx
    arguments (LX_ARGS=), without editing any file: writes a changed copy of the
    scenario's config script under build/scenarios/ and boots that instead."""
    modules = [m for m in modules if m]
    if not modules and not lx_args.strip():
        return sc
    index, cfg_path = _cfg_module(sc)
    with open(cfg_path) as f:
        text = f.read().replace("\\\n", " ")
    lines = text.split("\n")
    lx = next((i for i, l in enumerate(lines) if l.split()[:3][:1] == ["start"] and " rom/lx" in l), None)
    if lx is None:
        raise ScenarioError(f"{cfg_path}: no 'start ... rom/lx' line to add MODULES= or LX_ARGS= to")
    if " -- " not in lines[lx]:
        lines[lx] += " --"
    taken = {os.path.basename(p) for p, _ in sc.modules}
    if modules:
        bdds = next((i for i, l in enumerate(lines) if l.split()[:1] == ["start"] and " rom/bdds " in l + " "),
                    None)
        if bdds is None:
            raise ScenarioError(f"{cfg_path}: scenario {sc.name} has no bdds to serve MODULES= (use E=exercise)")
        if " -- " not in lines[bdds]:
            lines[bdds] += " --"
        n = lines[lx].count("l4bdds.add=")
        for m in modules:
            path = os.path.abspath(m)
            name = os.path.basename(path)
            if not os.path.isfile(path):
                raise ScenarioError(f"MODULES: {m}: no such file")
            if name in taken:
                raise ScenarioError(f"MODULES: {m}: the scenario has a boot module named {name} already; "
                                    "rename your file")
            if " " in path or "," in path:
                raise ScenarioError(f"MODULES: {m}: the path contains a blank or a comma (QEMU cannot pass it)")
            taken.add(name)
            lines.insert(bdds, f"gate l4bdds{n}")
            bdds += 1
            lx += 1
            head, tail = lines[bdds].split(" -- ", 1)
            lines[bdds] = f"{head} serve=l4bdds{n}:{n} -- {tail} rom/{name}"
            head, tail = lines[lx].split(" -- ", 1)
            lines[lx] = f"{head} cap=l4bdds{n} -- {tail} l4bdds.add=rom/{name}"
            sc.modules.append((path, []))
            n += 1
    if lx_args.strip():
        lines[lx] += " " + lx_args.strip()
    os.makedirs(os.path.join(out_dir, sc.name), exist_ok=True)
    new_cfg = os.path.join(out_dir, sc.name, os.path.basename(cfg_path))
    with open(new_cfg, "w") as f:
        f.write("\n".join(lines))
    sc.modules[index] = (new_cfg, sc.modules[index][1])
    return sc
