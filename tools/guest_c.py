"""The guest tests written in C, built for the initrd.

Three kinds of program, each its own process in the one guest boot
(init's test protocol: a test passes iff it exits 0):

- tests/guest_c/t_NAME.c -> /bin/t_NAME: isolation, exhaustion, privilege
  tests and the short system-call fuzz round (t_syscall_fuzz);
- tests/libc/NAME.c -> /bin/libc_NAME, plus tests/guest_c/libc_runner.c
  installed once per test as /bin/t_libc_NAME: the guest C library's own
  tests, run inside the guest (the runner gives each one its TMPDIR, its
  environment and a working directory, and runs death.c's modes);
- fixtures the tests spawn: /bin/suid_ids (a set-user-ID program owned by
  SUID_OWNER), /bin/ids (the same program without the bit).

    build(spawn_library) -> (initrd files, test names)

Programs are compiled in parallel and only when a source, a header of
tests/guest_c or a library is newer than the program. The guest suite
(tests/guest.py) and `x.py fuzz guest` install them.
"""

from __future__ import annotations

import concurrent.futures
import os
from pathlib import Path

from tools import libc
from tools.initrd import BIN_PREFIX, InitrdFile
from tools.paths import BUILD_DIR, ROOT
from tools.transcript import TEST_PREFIX

#: Where the programs are built.
OUT_DIR = BUILD_DIR / "guest_c"
#: Sources of the C guest tests and of their helpers.
SOURCE_DIR = ROOT / "tests" / "guest_c"
#: The guest C library's tests.
LIBC_TEST_DIR = ROOT / "tests" / "libc"
#: Program names: libc tests and their runners.
LIBC_PREFIX = "libc_"
RUNNER_PREFIX = "t_libc_"
RUNNER_NAME = "libc_runner"
RUNNER_SOURCE = "libc_runner.c"
#: Fixture: reports its ids; installed set-user-ID for SUID_OWNER.
IDS_SOURCE = "ids.c"
#: Owner of /bin/suid_ids: a non-root user no test runs as.
SUID_OWNER = 4242
SUID_MODE = 0o104755
#: Warnings the tests are held to.
CFLAGS = ["-std=gnu11", "-Wall", "-Wextra", "-Werror", "-O2"]


def build(spawn_library: Path
          ) -> tuple[dict[str, bytes | Path | InitrdFile], list[str]]:
    """Builds every C guest program; returns their initrd entries and the
    names of the tests among them, sorted."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    archive = libc.build_libc()
    headers = sorted(SOURCE_DIR.glob("*.h"))
    common = [*headers, archive, spawn_library, Path(__file__)]

    jobs: dict[str, Path] = {}  # program name -> source
    for source in sorted(SOURCE_DIR.glob("t_*.c")):
        jobs[source.stem] = source
    jobs[RUNNER_NAME] = SOURCE_DIR / RUNNER_SOURCE
    jobs["ids"] = SOURCE_DIR / IDS_SOURCE
    libc_tests = sorted(LIBC_TEST_DIR.glob("*.c"))
    for source in libc_tests:
        jobs[LIBC_PREFIX + source.stem] = source

    def compile_one(name: str) -> None:
        source, out = jobs[name], OUT_DIR / name
        extra = [source.parent / "check.h"] if source.parent.name == "libc" else []
        if libc.stale(out, [source, *common, *extra]):
            libc.compile_program([source], out, [spawn_library], CFLAGS)

    workers = min(len(jobs), os.cpu_count() or 1) or 1
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        for future in [pool.submit(compile_one, name) for name in jobs]:
            future.result()

    files: dict[str, bytes | Path | InitrdFile] = {}
    names = []
    for name in jobs:
        if name == RUNNER_NAME:
            continue
        files[BIN_PREFIX + name] = OUT_DIR / name
        if name.startswith(TEST_PREFIX):
            names.append(name)
    for source in libc_tests:
        runner = RUNNER_PREFIX + source.stem
        files[BIN_PREFIX + runner] = OUT_DIR / RUNNER_NAME
        names.append(runner)
    files[BIN_PREFIX + "suid_ids"] = InitrdFile(
        OUT_DIR / "ids", mode=SUID_MODE, uid=SUID_OWNER, gid=SUID_OWNER)
    return files, sorted(names)
