"""The posix_spawn conformance suite: build, run natively, parse, compare.

tests/conformance/*.c are C programs written only against the POSIX headers
the guest C library offers. Each is built twice:

- natively, with the host's gcc against glibc, and run here: the oracle;
- against the guest C library + libspawn (tools.libc.compile_program), to
  run inside kernel-shim (one QEMU boot, each program its own process).

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
A check glibc skips and the guest runs has no oracle (this project's
extensions, such as POSIX_SPAWN_NOWAIT_NP) and only has to pass.

    build_native(root, out_dir)             -> {program: executable}
    build_guest(root, out_dir, extra_objects=None)
                                            -> {program: executable}
    run_native(root)                        -> {check_id: (status, text)}
    parse(output)                           -> {check_id: (status, text)}
    completed_programs(output)              -> {program: (passed, failed, skipped)}
    load_deviations(path)                   -> {check_id: [glibc, ours, why]}
    compare(native, guest, deviations)      -> [problem, ...]

What a guest run needs: every program installed as /bin/NAME (NAME is the
source file's stem; argv[0] may be "NAME" or "/bin/NAME"), a writable
$TMPDIR (default /tmp), running as root (uid 0), and for check E84 a
set-user-ID copy of any one conformance program at /bin/cf_suid, owned by a
non-root user (mode 04755); without it E84 is skipped.

`differential(transcript)` is the conformance part of the guest stage:
the native run and the comparison with the guest's transcript.

Standard library only; `python3 -m tests.conformance` runs the native
side alone.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.libc_native import native_scratch, run_native as run_native_program
from tools import libc
from tools.command import echo, set_echo
from tools.paths import BUILD_DIR, ROOT

CC = os.environ.get("CC", "gcc")
#: Flags of the native (glibc) build: glibc needs _GNU_SOURCE for
#: POSIX_SPAWN_SETSID and the _np file actions.
NATIVE_CFLAGS = ["-std=c11", "-D_GNU_SOURCE", "-Wall", "-Wextra", "-Werror",
                 "-O2"]
#: Flags of the guest build, after tools.libc.LIBC_CFLAGS.
GUEST_CFLAGS = ["-std=c11", "-Wall", "-Wextra", "-Werror"]
RUN_TIMEOUT_SECONDS = 60

CHECK_LINE = re.compile(r"^(ok|FAIL|skip) (\S+) (.*)$")
SUMMARY_LINE = re.compile(
    r"^conformance (\S+): (\d+) passed, (\d+) failed, (\d+) skipped$")


def suite_dir(root: Path) -> Path:
    return Path(root) / "tests" / "conformance"


def program_sources(root: Path) -> list[Path]:
    """The suite's programs, one per .c file, in name order."""
    return sorted(suite_dir(root).glob("*.c"))


def deviations_path(root: Path) -> Path:
    return suite_dir(root) / "DEVIATIONS.md"


def _newer(target: Path, inputs: list[Path]) -> bool:
    return target.exists() and all(
        target.stat().st_mtime > p.stat().st_mtime for p in inputs)


def build_native(root: Path, out_dir: Path) -> dict[str, Path]:
    """Compiles every program against the host's glibc into out_dir.

    Returns {program name: executable}. Raises RuntimeError when a program
    does not compile (with the compiler's messages)."""
    root = Path(root).resolve()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    header = suite_dir(root) / "conformance.h"
    built = {}
    for source in program_sources(root):
        exe = out_dir / source.stem
        if not _newer(exe, [source, header]):
            cmd = [CC, *NATIVE_CFLAGS, "-o", str(exe), str(source)]
            echo(cmd)
            result = subprocess.run(cmd, capture_output=True, text=True)
            if result.returncode != 0:
                raise RuntimeError(f"native build of {source.name} failed:\n"
                                   + result.stdout + result.stderr)
        built[source.stem] = exe
    return built


def default_guest_objects(root: Path) -> list[Path]:
    """libspawn's static library for the guest target, when it is built
    (the C entry points; posix_spawn itself comes from the guest libc)."""
    lib = (Path(root) / "target" / "x86_64-unknown-none" / "release"
           / "libspawn.a")
    return [lib] if lib.exists() else []


def build_guest(root: Path, out_dir: Path,
                extra_objects: list[Path] | None = None) -> dict[str, Path]:
    """Compiles every program against the guest C library + libspawn.

    Returns {program name: executable}, to be installed as /bin/NAME.
    Raises StepFailed (a RuntimeError) when one does not build."""
    root = Path(root).resolve()
    out_dir = Path(out_dir)
    objects = (default_guest_objects(root) if extra_objects is None
               else list(extra_objects))
    built = {}
    for source in program_sources(root):
        exe = out_dir / source.stem
        libc.compile_program([source], exe, objects, GUEST_CFLAGS)
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


def run_program(exe: Path) -> tuple[int, str]:
    """Runs one native program in a fresh TMPDIR; (exit status, output)."""
    # Searchable by everyone: some checks spawn as a non-root user.
    with native_scratch("conformance-") as tmp:
        echo([exe])
        try:
            # The program finds itself through argv[0] natively.
            result = run_native_program([exe], tmp, RUN_TIMEOUT_SECONDS,
                                        unset=("CONFORMANCE_SELF",))
        except subprocess.TimeoutExpired as err:
            out = err.stdout or ""
            if isinstance(out, bytes):
                out = out.decode(errors="replace")
            return -1000, out + "\n(timed out)"
    return result.returncode, result.stdout + result.stderr


def run_native(root: Path) -> dict[str, tuple[str, str]]:
    """Builds the suite against glibc, runs every program natively, and
    returns all checks. A program that crashes or prints no summary adds
    a failing pseudo-check "PROGRAM:completed"."""
    root = Path(root).resolve()
    exes = build_native(root, root / "build" / "conformance" / "native")
    checks: dict[str, tuple[str, str]] = {}
    for name, exe in exes.items():
        status, output = run_program(exe)
        checks.update(parse(output))
        done = completed_programs(output)
        if name not in done or status not in (0, 1):
            checks[f"{name}:completed"] = (
                "FAIL", f"{name}: exit status {status}, summary "
                f"{'present' if name in done else 'missing'}")
    return checks


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
        if n_status == "FAIL":
            problems.append(f"{check_id}: FAIL natively (glibc): {n_text}")
            continue
        if n_status == "skip":
            # No oracle: a check glibc cannot express only has to pass.
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


def differential(transcript: str) -> tuple[int, int]:
    """Runs the suite natively against glibc (the oracle) and compares it
    check by check with the guest's transcript; (passed, failed)."""
    native = run_native(ROOT)
    in_guest = parse(transcript)
    deviations = load_deviations(deviations_path(ROOT))
    problems = compare(native, in_guest, deviations)
    ok, fail, skip = totals(in_guest)
    n_ok, n_fail, n_skip = totals(native)
    for problem in problems:
        print(f"conformance: {problem}")
    print(f"conformance: guest {ok} ok, {fail} failed, {skip} skipped; "
          f"glibc {n_ok} ok, {n_fail} failed, {n_skip} skipped; "
          f"{len(deviations)} documented deviations; "
          f"{len(problems)} problems")
    # Every guest check that ran and matched counts as passed; each problem
    # (a failure, or an undocumented disagreement with glibc) as failed.
    return max(ok - len(problems), 0), len(problems)


def main(argv: list[str]) -> int:
    root = ROOT
    set_echo("-v" in argv)
    checks = run_native(root)
    for check_id, (status, text) in sorted(checks.items()):
        if status == "FAIL":
            print(f"  [glibc] FAIL {check_id} {text}")
    passed, failed, skipped = totals(checks)
    print(f"conformance [glibc]: {passed} passed, {failed} failed, "
          f"{skipped} skipped")
    if "--guest-build" in argv:
        try:
            build_guest(root, BUILD_DIR / "conformance" / "guest")
            print("conformance [guest build]: ok")
        except RuntimeError as err:
            print(f"conformance [guest build]: {err}")
            return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
