"""musl programs natively and in the guest, outputs compared; and the
link-map check shown to catch what it is for.

tests/musl_programs/NAME.c are real-world-style C programs (stdio on
files and pipes, getline, qsort, math, strtod and sscanf, setjmp and
longjmp, getopt_long, printf formats, calendar time, a child fed through
pipes). Each is built twice with musl-gcc: natively as any static musl
program (musl's own posix_spawn), and as a guest program (tools.musl:
libspawn's). The native build runs here; the guest build runs in the
guest suite's boot as /bin/mp_NAME (init's test protocol: its output,
then `test mp_NAME ... ok` or `... FAILED: exit status N`). Each program
is one check: the guest's standard output and exit status must equal the
native ones. The programs write nothing to standard error (the console
mixes the two).

`link_map_checks()` builds one program that calls system, popen and
posix_spawn twice: as guest programs are built (the check must find
nothing), and without the support library, so that musl's system.o and
popen.o are linked (the check must name them).

    guest_programs()               -> ({initrd path: executable}, names)
    compare(transcript)            -> (passed, failed)
    link_map_checks()              -> (passed, failed)

Standard library only.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.native import native_scratch, print_outputs, run_native
from tools import musl
from tools.command import StepFailed, echo, run
from tools.initrd import BIN_PREFIX
from tools.paths import BUILD_DIR, ROOT

#: The programs.
SOURCE_DIR = ROOT / "tests" / "musl_programs"
OUT_DIR = BUILD_DIR / "musl_programs"
#: Their names in the guest (/bin/mp_NAME).
GUEST_PREFIX = "mp_"
#: Warnings both builds are held to.
CFLAGS = ["-std=gnu11", "-Wall", "-Wextra", "-Werror"]
NATIVE_TIMEOUT_SECONDS = 60
#: init's result line for one program.
RESULT_LINE = re.compile(r"^test (\S+) \.\.\. (?:ok|FAILED: (.*))$")
EXIT_REASON = re.compile(r"^exit status (\d+)$")


def sources() -> list[Path]:
    return sorted(SOURCE_DIR.glob("*.c"))


def guest_programs() -> tuple[dict[str, Path], list[str]]:
    """Builds every program for the guest; returns its initrd entries and
    the names init runs."""
    files, names = {}, []
    for source in sources():
        name = GUEST_PREFIX + source.stem
        out = OUT_DIR / "guest" / name
        if musl.stale(out, [source, musl.support_library(),
                            musl.spawn_library(), Path(musl.__file__)]):
            musl.compile_program([source], out, CFLAGS)
        files[BIN_PREFIX + name] = out
        names.append(name)
    return files, names


def native_run(source: Path) -> tuple[str, int]:
    """Builds `source` with plain `musl-gcc -static` and runs it in a
    scratch directory; (standard output, exit status or -signal)."""
    exe = OUT_DIR / "native" / source.stem
    exe.parent.mkdir(parents=True, exist_ok=True)
    if musl.stale(exe, [source, Path(__file__)]):
        run([musl.CC, "-static", "-O2", *CFLAGS, "-o", exe, source, "-lm"])
    with native_scratch("musl-program-") as tmp:
        echo([exe])
        try:
            result = run_native([exe], tmp, NATIVE_TIMEOUT_SECONDS,
                                PATH="/bin:/usr/bin")
        except subprocess.TimeoutExpired:
            return "(timed out)", -1000
    return result.stdout, result.returncode


def guest_results(transcript: str) -> dict[str, tuple[str, int | str]]:
    """{program: (its output, exit status or init's reason)} for every
    mp_ program in the suite's transcript: the lines since the previous
    result line."""
    results: dict[str, tuple[str, int | str]] = {}
    section: list[str] = []
    for raw in transcript.splitlines():
        line = raw.rstrip("\r")
        match = RESULT_LINE.match(line)
        if match is None:
            section.append(line)
            continue
        name, reason = match.groups()
        if name.startswith(GUEST_PREFIX):
            status: int | str = 0
            if reason is not None:
                code = EXIT_REASON.match(reason.strip())
                status = int(code.group(1)) if code else reason.strip()
            output = "".join(part + "\n" for part in section)
            results[name.removeprefix(GUEST_PREFIX)] = (output, status)
        section = []
    return results


def compare(transcript: str) -> tuple[int, int]:
    """Each program's guest output and status against its native run."""
    guest = guest_results(transcript)
    passed = failed = 0
    for source in sources():
        name = source.stem
        native_out, native_status = native_run(source)
        if name not in guest:
            print(f"musl programs: {name}: no result in the guest")
            failed += 1
            continue
        guest_out, guest_status = guest[name]
        if (guest_out, guest_status) == (native_out, native_status):
            passed += 1
            continue
        failed += 1
        print(f"musl programs: {name}: guest status {guest_status}, native "
              f"{native_status}")
        if guest_out != native_out:
            print_outputs("musl programs", name,
                          (("native", native_out), ("guest", guest_out)))
    print(f"musl programs: {passed} match their native run, {failed} differ")
    return passed, failed


#: A program that needs system, popen and posix_spawn.
LINK_PROBE = """#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
int main(void)
{
    FILE *f = popen("true", "r");
    return system("true") + (f != NULL) + posix_spawn(0, "/bin/true", 0, 0, 0, 0);
}
"""


def link_map_checks() -> tuple[int, int]:
    """The link-map check passes the guest build and catches musl's
    system.o and popen.o when the support library is left out."""
    probe_dir = OUT_DIR / "link-probe"
    probe_dir.mkdir(parents=True, exist_ok=True)
    source = probe_dir / "probe.c"
    source.write_text(LINK_PROBE)
    passed = failed = 0
    try:
        musl.compile_program([source], probe_dir / "guest", CFLAGS)
        passed += 1
    except StepFailed as error:
        print(f"link map: the guest build of the probe failed: {error}")
        failed += 1
    link_map = probe_dir / "without-support.map"
    run([musl.CC, *CFLAGS, *musl.include_flags(), *musl.LINK_FLAGS,
         f"-Wl,-Map={link_map}",
         "-o", probe_dir / "without-support", source, musl.spawn_library()])
    problems = musl.check_link_map(link_map)
    caught = {member for member in ("system.lo", "popen.lo")
              if any(f"({member})" in problem for problem in problems)}
    if caught == {"system.lo", "popen.lo"}:
        passed += 1
    else:
        print("link map: without the support library the check should name "
              f"musl's system.lo and popen.lo; it said {problems}")
        failed += 1
    print(f"link map: {passed} passed, {failed} failed")
    return passed, failed
