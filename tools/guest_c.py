"""The guest tests written in C, built for the initrd.

Static musl programs (tools.musl), each its own process in the one guest
boot (init's test protocol: a test passes iff it exits 0):

- tests/guest_c/t_NAME.c -> /bin/t_NAME: isolation, exhaustion, privilege
  tests and the short system-call fuzz round (t_syscall_fuzz);
- fixtures the tests spawn: /bin/suid_ids (a set-user-ID program owned by
  SUID_OWNER), /bin/ids (the same program without the bit).

    build() -> (initrd files, test names)

Programs are compiled in parallel and only when a source, a header of
tests/guest_c or a library is newer than the program. The guest suite
(tests/guest.py) and `x.py fuzz guest` install them.
"""

from __future__ import annotations

import concurrent.futures
import os
from pathlib import Path

from tools import musl
from tools.initrd import BIN_PREFIX, InitrdFile
from tools.paths import BUILD_DIR, ROOT
from tools.transcript import TEST_PREFIX

#: Where the programs are built.
OUT_DIR = BUILD_DIR / "guest_c"
#: Sources of the C guest tests and of their helpers.
SOURCE_DIR = ROOT / "tests" / "guest_c"
#: Fixture: reports its ids; installed set-user-ID for SUID_OWNER.
IDS_SOURCE = "ids.c"
#: Owner of /bin/suid_ids: a non-root user no test runs as.
SUID_OWNER = 4242
SUID_MODE = 0o104755
#: Warnings the tests are held to.
CFLAGS = ["-std=gnu11", "-Wall", "-Wextra", "-Werror"]


def build() -> tuple[dict[str, bytes | Path | InitrdFile], list[str]]:
    """Builds every C guest program; returns their initrd entries and the
    names of the tests among them, sorted."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    headers = sorted(SOURCE_DIR.glob("*.h"))
    common = [*headers, musl.support_library(), musl.spawn_library(),
              Path(musl.__file__), Path(__file__)]

    jobs: dict[str, Path] = {}  # program name -> source
    for source in sorted(SOURCE_DIR.glob("t_*.c")):
        jobs[source.stem] = source
    jobs["ids"] = SOURCE_DIR / IDS_SOURCE

    def compile_one(name: str) -> None:
        source, out = jobs[name], OUT_DIR / name
        if musl.stale(out, [source, *common]):
            musl.compile_program([source], out, CFLAGS)

    workers = min(len(jobs), os.cpu_count() or 1) or 1
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        for future in [pool.submit(compile_one, name) for name in jobs]:
            future.result()

    files: dict[str, bytes | Path | InitrdFile] = {}
    names = []
    for name in jobs:
        files[BIN_PREFIX + name] = OUT_DIR / name
        if name.startswith(TEST_PREFIX):
            names.append(name)
    files[BIN_PREFIX + "suid_ids"] = InitrdFile(
        OUT_DIR / "ids", mode=SUID_MODE, uid=SUID_OWNER, gid=SUID_OWNER)
    return files, sorted(names)
