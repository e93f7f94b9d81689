"""The conformance suite against any C library on this machine.

A library is a compiler driver and its flags (`Library`): gcc is glibc,
musl-gcc is musl, a libc author's own driver is theirs. `run_library`
builds every program of the suite with it into a directory of its own
(build/conformance/native-NAME-KEY, KEY a hash of the compiler's real path,
its flags and the probed features: never another library's binaries),
runs each program here, and returns every check.

The library's name and version come from the library itself:
glibc's `gnu_get_libc_version()`, otherwise the "Version X" line its
dynamic loader prints when run alone (musl's does); a driver that is
neither is named after the driver, version unknown.

A program that does not compile is reported with the compiler's first
error as the failing pseudo-check "PROGRAM:built" and the other programs
still run; one that crashes or prints no summary as "PROGRAM:completed".

    Library(cc, cflags=(), name=None)
    identify(library, build_root)       -> (name, version)
    run_library(library, build_root)    -> Run (checks, name, version, output)
    main(cc, cflags, name)              -> exit status of `x.py conformance`

Standard library only.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import struct
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tests import conformance
from tests.native import native_scratch, run_native as run_native_program
from tools.command import echo
from tools.paths import BUILD_DIR, ROOT

#: Flags of every native build, before the library's own: _GNU_SOURCE for
#: glibc's POSIX_SPAWN_SETSID and _np declarations.
NATIVE_CFLAGS = ["-std=c11", "-D_GNU_SOURCE", "-Wall", "-Wextra", "-Werror",
                 "-O2"]
RUN_TIMEOUT_SECONDS = 60
#: Where native builds go, one directory per library.
NATIVE_BUILD_ROOT = BUILD_DIR / "conformance"
#: ELF: the program-header type of the interpreter (dynamic loader) path.
PT_INTERP = 3
#: What a loader prints about its version when run alone (musl's does).
LOADER_VERSION = re.compile(r"^Version (\S+)", re.M)
#: A program that prints glibc's version, or nothing for another library.
VERSION_PROBE = """\
#include <stdio.h>
#ifdef __GLIBC__
#include <gnu/libc-version.h>
#endif
int main(void)
{
#ifdef __GLIBC__
    printf("glibc %s\\n", gnu_get_libc_version());
#endif
    return 0;
}
"""


@dataclass(frozen=True)
class Library:
    """A C library as its compiler driver sees it."""
    cc: str
    cflags: tuple[str, ...] = ()
    name: str | None = None


@dataclass
class Run:
    """One run of the suite against a library."""
    name: str
    version: str
    checks: dict[str, tuple[str, str]]
    output: list[str] = field(default_factory=list)
    #: The optional features the library lacks (conformance.FEATURES).
    lacks: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}"


def _compile(cmd: list[str]) -> subprocess.CompletedProcess:
    echo(cmd)
    return subprocess.run(cmd, capture_output=True, text=True)


def first_error(messages: str) -> str:
    """The compiler's first error: the first line saying "error:" or
    "undefined reference" (the linker's own summary, "collect2: error: ld
    returned 1", only when there is nothing better), else the first line."""
    lines = [line.strip() for line in messages.splitlines() if line.strip()]
    errors = [line for line in lines
              if "error:" in line or "undefined reference" in line]
    precise = [line for line in errors if not line.startswith("collect2")]
    for candidates in (precise, errors, lines):
        if candidates:
            return candidates[0]
    return "(no message)"


def elf_interpreter(exe: Path) -> str | None:
    """The dynamic loader an ELF64 little-endian executable names."""
    data = Path(exe).read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return None
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    for index in range(phnum):
        header = phoff + index * phentsize
        p_type, = struct.unpack_from("<I", data, header)
        if p_type == PT_INTERP:
            offset, = struct.unpack_from("<Q", data, header + 8)
            size, = struct.unpack_from("<Q", data, header + 32)
            return data[offset:offset + size].rstrip(b"\0").decode()
    return None


def identify(library: Library, build_root: Path) -> tuple[str, str]:
    """(name, version) of the library the driver links against."""
    probe_dir = Path(build_root) / "identify"
    probe_dir.mkdir(parents=True, exist_ok=True)
    source, exe = probe_dir / "version.c", probe_dir / "version"
    source.write_text(VERSION_PROBE)
    fallback = library.name or Path(library.cc).name
    built = _compile([library.cc, *library.cflags, "-o", str(exe),
                      str(source)])
    if built.returncode != 0:
        return fallback, "(version unknown)"
    said = subprocess.run([str(exe)], capture_output=True, text=True).stdout
    if said.startswith("glibc "):
        return library.name or "glibc", said.split()[1]
    loader = elf_interpreter(exe)
    if loader and os.path.exists(loader):
        banner = subprocess.run([loader], capture_output=True, text=True)
        text = banner.stdout + banner.stderr
        version = LOADER_VERSION.search(text)
        if version:
            name = text.split()[0] if text.split() else fallback
            return library.name or name, version.group(1)
    return fallback, "(version unknown)"


def build_dir(library: Library, name: str, defines: list[str]) -> Path:
    """The library's own build directory: keyed by the compiler's real
    path, its flags and the probed features."""
    compiler = shutil.which(library.cc) or library.cc
    key = "\0".join([os.path.realpath(compiler), *library.cflags, *defines])
    digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", name)
    return NATIVE_BUILD_ROOT / f"native-{safe}-{digest}"


def _up_to_date(target: Path, inputs: list[Path]) -> bool:
    return target.exists() and all(
        target.stat().st_mtime > p.stat().st_mtime for p in inputs)


def build_library(library: Library, name: str, root: Path = ROOT
                  ) -> tuple[dict[str, Path], dict[str, str], list[str]]:
    """Builds every program; ({program: executable}, {program: first
    compiler error}, the probed -DCF_HAVE_X flags) for the ones that
    built and the ones that did not."""
    probe_root = NATIVE_BUILD_ROOT / "probes" / re.sub(
        r"[^A-Za-z0-9._-]", "_", name)

    def compile_probe(source: Path, exe: Path) -> bool:
        return _compile([library.cc, *conformance.PROBE_CFLAGS,
                         *library.cflags, "-o", str(exe),
                         str(source)]).returncode == 0

    defines = conformance.probe_features(compile_probe, probe_root)
    out_dir = build_dir(library, name, defines)
    out_dir.mkdir(parents=True, exist_ok=True)
    header = conformance.suite_dir(root) / "conformance.h"

    def build_one(source: Path) -> tuple[str, Path, str | None]:
        exe = out_dir / source.stem
        if _up_to_date(exe, [source, header]):
            return source.stem, exe, None
        result = _compile([library.cc, *NATIVE_CFLAGS, *library.cflags,
                           *defines, "-o", str(exe), str(source)])
        if result.returncode != 0:
            return source.stem, exe, first_error(result.stdout
                                                 + result.stderr)
        return source.stem, exe, None

    sources = conformance.program_sources(root)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        results = list(pool.map(build_one, sources))
    built = {stem: exe for stem, exe, error in results if error is None}
    errors = {stem: error for stem, _, error in results if error is not None}
    return built, errors, defines


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


def run_library(library: Library, root: Path = ROOT) -> Run:
    """Builds the suite against the library, runs every program here and
    returns all its checks (with pseudo-checks for programs that did not
    build or complete) and the check and summary lines in order."""
    name, version = identify(library, NATIVE_BUILD_ROOT)
    exes, errors, defines = build_library(library, name, root)
    checks: dict[str, tuple[str, str]] = {}
    output: list[str] = []
    for program in sorted(set(exes) | set(errors)):
        if program in errors:
            text = (f"{program}.c does not build with {library.cc}: "
                    f"{errors[program]}")
            checks[f"{program}:built"] = ("FAIL", text)
            output.append(f"FAIL {program}:built {text}")
            continue
        status, text = run_program(exes[program])
        output += [line for line in text.splitlines()
                   if conformance.CHECK_LINE.match(line)
                   or conformance.SUMMARY_LINE.match(line)]
        checks.update(conformance.parse(text))
        done = conformance.completed_programs(text)
        if program not in done or status not in (0, 1):
            detail = (f"{program}: exit status {status}, summary "
                      f"{'present' if program in done else 'missing'}")
            checks[f"{program}:completed"] = ("FAIL", detail)
            output.append(f"FAIL {program}:completed {detail}")
    return Run(name, version, checks, output, conformance.lacking(defines))


def main(cc: str, cflags: list[str], name: str | None) -> int:
    """`x.py conformance`: every check line, then the totals labelled with
    the library's name and version; 1 when a check failed."""
    run = run_library(Library(cc, tuple(cflags), name))
    for line in run.output:
        print(line)
    if run.lacks:
        print(f"conformance [{run.label}]: the library lacks "
              + ", ".join(run.lacks) + " (the checks that need them skip)")
    passed, failed, skipped = conformance.totals(run.checks)
    print(f"conformance [{run.label}]: {passed} passed, {failed} failed, "
          f"{skipped} skipped")
    return 1 if failed else 0
