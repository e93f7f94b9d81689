"""The posix_spawn conformance suite: its output, probes, the guest build,
and the comparisons.

tests/conformance/*.c are C programs written only against POSIX headers. They are built against several C libraries:

- natively, with any compiler driver (tests/conformance_native.py: glibc
  through gcc, musl through musl-gcc, a libc author's own), and run here;
- as guest programs, musl with libspawn's posix_spawn (`build_guest`, through
  tools.musl.compile_program), to run inside kernel-shim (one QEMU boot,
  each program its own process).

Before a build, `probe_features` finds out what the library has of what
POSIX does not require of every library (FEATURES: the `_np` file actions,
setrlimit) and passes -DCF_HAVE_X=0/1; a check needing something missing
prints `skip ... the library lacks X` (conformance.h, cf_need).

Every program prints one line per check and a summary:

    ok ID name[: outcome]
    FAIL ID name: detail
    skip ID name: reason
    conformance PROGRAM: N passed, N failed, N skipped

`compare(native, guest, deviations)` lists what is wrong with a guest run:
a guest check that failed, a check whose text differs from glibc's and is
not in tests/conformance/DEVIATIONS.md, a check missing on one side (a
crashed program), a check glibc runs but the guest skips (unless listed),
and a listed deviation whose outcomes agree after all (a stale entry).
A check glibc skips or fails has no oracle (this project's extensions,
such as POSIX_SPAWN_NOWAIT_NP) and only has to pass.

`checklist_problems(checks, deviations, library)` measures a native
library against the checklist itself: every FAIL must be listed in that
library's list (tests/conformance/DEVIATIONS-glibc.md, -musl.md), and a
listed check that no longer fails is a stale entry.

    probe_features(compile)                 -> [-DCF_HAVE_X=0/1, ...]
    build_guest(root, out_dir, extra_objects=None)
                                            -> {program: executable}
    parse(output)                           -> {check_id: (status, text)}
    completed_programs(output)              -> {program: (passed, failed, skipped)}
    load_deviations(path)                   -> {check_id: [cells, ...]}
    compare(native, guest, deviations)      -> [problem, ...]
    checklist_problems(checks, deviations, library) -> [problem, ...]

What a guest run needs: every program installed as /bin/NAME (NAME is the
source file's stem; argv[0] may be "NAME" or "/bin/NAME"), a writable
$TMPDIR (default /tmp), running as root (uid 0), and for check E84 a
set-user-ID copy of any one conformance program at /bin/cf_suid, owned by a
non-root user (mode 04755); without it E84 is skipped.

Standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from tools import musl
from tools.command import StepFailed
from tools.paths import ROOT

#: Flags of the guest build (tools.musl adds its own).
GUEST_CFLAGS = ["-std=c11", "-Wall", "-Wextra", "-Werror"]
#: Flags of a feature probe: a missing function must be an error, not an
#: implicit declaration (glibc declares the _np functions under
#: _GNU_SOURCE).
PROBE_CFLAGS = ["-std=c11", "-D_GNU_SOURCE",
                "-Werror=implicit-function-declaration"]

CHECK_LINE = re.compile(r"^(ok|FAIL|skip) (\S+) (.*)$")
SUMMARY_LINE = re.compile(
    r"^conformance (\S+): (\d+) passed, (\d+) failed, (\d+) skipped$")


def suite_dir(root: Path) -> Path:
    return Path(root) / "tests" / "conformance"


def program_sources(root: Path) -> list[Path]:
    """The suite's programs, one per .c file, in name order."""
    return sorted(suite_dir(root).glob("*.c"))


def deviations_path(root: Path) -> Path:
    """Where the guest may differ from glibc."""
    return suite_dir(root) / "DEVIATIONS.md"


def library_deviations_path(root: Path, library: str) -> Path:
    """The checks a native library (glibc, musl) fails, and why."""
    return suite_dir(root) / f"DEVIATIONS-{library}.md"


# --- optional features ---------------------------------------------------------

@dataclass(frozen=True)
class Feature:
    """Something a check needs that POSIX does not require of every
    library: the macro conformance.h tests, what a skip line names, and a
    program that builds only when the library has it."""
    macro: str
    what: str
    headers: str
    body: str

    def source(self) -> str:
        return f"{self.headers}\nint main(void)\n{{\n{self.body}\n}}\n"


_FILE_ACTIONS = "#include <spawn.h>\n"
#: The probed features. POSIX_SPAWN_SETSID is a macro, which conformance.h
#: tests itself (#ifdef); scheduling is a run-time answer (musl's functions
#: exist and return ENOSYS), which conformance.h's cf_need_sched decides.
FEATURES = [
    Feature("CF_HAVE_ADDCLOSEFROM_NP",
            "posix_spawn_file_actions_addclosefrom_np", _FILE_ACTIONS,
            "posix_spawn_file_actions_t fa;\n"
            "return posix_spawn_file_actions_addclosefrom_np(&fa, 3);"),
    Feature("CF_HAVE_ADDCHDIR_NP", "posix_spawn_file_actions_addchdir_np",
            _FILE_ACTIONS, "posix_spawn_file_actions_t fa;\n"
            "return posix_spawn_file_actions_addchdir_np(&fa, \"/\");"),
    Feature("CF_HAVE_ADDFCHDIR_NP", "posix_spawn_file_actions_addfchdir_np",
            _FILE_ACTIONS, "posix_spawn_file_actions_t fa;\n"
            "return posix_spawn_file_actions_addfchdir_np(&fa, 3);"),
    Feature("CF_HAVE_ADDTCSETPGRP_NP",
            "posix_spawn_file_actions_addtcsetpgrp_np", _FILE_ACTIONS,
            "posix_spawn_file_actions_t fa;\n"
            "return posix_spawn_file_actions_addtcsetpgrp_np(&fa, 0);"),
    Feature("CF_HAVE_SETRLIMIT", "setrlimit", "#include <sys/resource.h>\n",
            "struct rlimit rl;\n"
            "return getrlimit(RLIMIT_NOFILE, &rl) | "
            "setrlimit(RLIMIT_NOFILE, &rl);"),
]


def probe_features(compile_probe: Callable[[Path, Path], bool],
                   probe_dir: Path) -> list[str]:
    """-DMACRO=1 or -DMACRO=0 for every feature, by building its probe:
    compile_probe(source, executable) is True when it compiled and linked."""
    probe_dir = Path(probe_dir)
    probe_dir.mkdir(parents=True, exist_ok=True)
    defines = []
    for feature in FEATURES:
        source = probe_dir / f"{feature.macro.lower()}.c"
        source.write_text(feature.source())
        have = compile_probe(source, probe_dir / feature.macro.lower())
        defines.append(f"-D{feature.macro}={int(have)}")
    return defines


def lacking(defines: list[str]) -> list[str]:
    """What the probes found missing, by name."""
    missing = {d[2:].split("=")[0] for d in defines if d.endswith("=0")}
    return [f.what for f in FEATURES if f.macro in missing]


# --- the guest build -----------------------------------------------------------

#: The probe define of setrlimit.
SETRLIMIT_MACRO = "-DCF_HAVE_SETRLIMIT"


def kernel_serves(root: Path, variant: str) -> bool:
    """Whether kernel-shim's system-call list (shim-abi's `Sysno`) has
    `variant`."""
    sysno = (Path(root) / "abi" / "src" / "sysno.rs").read_text()
    return re.search(rf"^\s*{variant}\s*=", sysno, re.M) is not None


def build_guest(root: Path, out_dir: Path) -> dict[str, Path]:
    """Compiles every program as a guest program: static musl, with
    libspawn as its posix_spawn (tools.musl).

    Returns {program name: executable}, to be installed as /bin/NAME.
    Raises StepFailed (a RuntimeError) when one does not build."""
    root = Path(root).resolve()
    out_dir = Path(out_dir)

    def compile_probe(source: Path, exe: Path) -> bool:
        try:
            musl.compile_program([source], exe, PROBE_CFLAGS, quiet=True)
        except StepFailed:
            return False
        return True

    defines = probe_features(compile_probe, out_dir / "probes")
    if not kernel_serves(root, "Prlimit64"):
        # musl has setrlimit, but it can only fail until the kernel
        # serves prlimit64: the guest is a library without it.
        defines = [d for d in defines if not d.startswith(SETRLIMIT_MACRO)]
        defines.append(f"{SETRLIMIT_MACRO}=0")
    built = {}
    for source in program_sources(root):
        exe = out_dir / source.stem
        musl.compile_program([source], exe, GUEST_CFLAGS + defines)
        built[source.stem] = exe
    return built


def parse(output: str) -> dict[str, tuple[str, str]]:
    """{check id: (status, text)} from a program's (or several programs')
    output. status is "ok", "FAIL" or "skip"; text is everything after the
    id ("name" or "name: outcome"). Other lines are ignored. A check id
    seen twice keeps its first result, unless a later one is a FAIL."""
    checks: dict[str, tuple[str, str]] = {}
    for line in output.splitlines():
        match = CHECK_LINE.match(line.rstrip("\r"))
        if match is None:
            continue
        status, check_id, text = match.groups()
        if check_id not in checks or status == "FAIL":
            checks[check_id] = (status, text)
    return checks


def completed_programs(output: str) -> dict[str, tuple[int, int, int]]:
    """{program: (passed, failed, skipped)} for every summary line."""
    done = {}
    for line in output.splitlines():
        match = SUMMARY_LINE.match(line.rstrip("\r"))
        if match:
            done[match.group(1)] = (int(match.group(2)), int(match.group(3)),
                                    int(match.group(4)))
    return done


# --- the deviation list --------------------------------------------------------

def load_deviations(path: Path) -> dict[str, list[str]]:
    """The checks whose outcome may differ from glibc's, from a markdown
    table whose first column is the check id (backticks allowed):

        | Check | glibc | this project | why |
        |---|---|---|---|
        | `B18` | returns 0 | EBADF | POSIX.1-2024 addfchdir: ... |

    Returns {check id: [the other cells]}. Header and separator rows, and
    lines outside tables, are ignored. A missing file is an empty list."""
    path = Path(path)
    if not path.exists():
        return {}
    entries: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if not cells or not cells[0]:
            continue
        first = cells[0].strip("`").strip()
        if re.fullmatch(r":?-{3,}:?", first) or first.lower() in (
                "check", "check id", "id"):
            continue
        if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._:-]*", first) is None:
            continue
        entries[first] = cells[1:]
    return entries


# --- comparing the two targets -------------------------------------------------

def compare(native: dict[str, tuple[str, str]],
            guest: dict[str, tuple[str, str]],
            deviations: dict[str, list[str]] | set[str]) -> list[str]:
    """Problems of a guest run measured against the native (glibc) run."""
    listed = set(deviations)
    problems = []
    for check_id in sorted(set(native) | set(guest)):
        if check_id not in guest:
            problems.append(f"{check_id}: missing in the guest run")
            continue
        if check_id not in native:
            problems.append(f"{check_id}: missing in the native run")
            continue
        n_status, n_text = native[check_id]
        g_status, g_text = guest[check_id]
        if g_status == "FAIL":
            problems.append(f"{check_id}: FAIL in the guest: {g_text}")
            continue
        if n_status != "ok":
            # No oracle: a check glibc cannot express (or fails: that is
            # glibc's own list, checklist_problems) only has to pass.
            continue
        if g_status == "skip":
            if check_id not in listed:
                problems.append(f"{check_id}: skipped in the guest but run "
                                f"natively ({g_text}); not in DEVIATIONS.md")
            continue
        if n_text != g_text:
            if check_id not in listed:
                problems.append(f"{check_id}: outcome differs and is not in "
                                f"DEVIATIONS.md: glibc \"{n_text}\", guest "
                                f"\"{g_text}\"")
        elif check_id in listed:
            problems.append(f"{check_id}: listed in DEVIATIONS.md but both "
                            f"targets say \"{n_text}\" (stale entry)")
    return problems


def totals(checks: dict[str, tuple[str, str]]) -> tuple[int, int, int]:
    """(passed, failed, skipped) over a parsed run."""
    statuses = [status for status, _ in checks.values()]
    return (statuses.count("ok"), statuses.count("FAIL"),
            statuses.count("skip"))


def checklist_problems(checks: dict[str, tuple[str, str]],
                       deviations: dict[str, list[str]] | set[str],
                       library: str) -> list[str]:
    """Problems of a native library's run measured against the checklist:
    a FAIL not in the library's deviation list, and a listed check that
    did not fail (a stale entry, or one the run no longer has)."""
    listed = set(deviations)
    problems = []
    for check_id, (status, text) in checks.items():
        if status == "FAIL" and check_id not in listed:
            problems.append(f"{check_id}: FAIL with {library}, not in its "
                            f"deviation list: {text}")
    for check_id in sorted(listed):
        status = checks.get(check_id, ("missing", ""))[0]
        if status != "FAIL":
            problems.append(f"{check_id}: listed as a {library} deviation "
                            f"but the run says {status} (stale entry)")
    return problems
