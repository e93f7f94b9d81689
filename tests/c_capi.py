"""Builds and runs the C ABI test, tests/c/capi_test.c, against libspawn.a.

The test program includes libspawn/include/spawn.h and links the static
library of the spawn-c crate (libspawn/c). It prints one line per check,
"ok NAME" or "FAIL NAME: detail", and ends with "capi: N passed, N failed".

Standard library only; the c-abi stage of `x.py test` calls
run_capi_test().
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tools.command import echo, echoing
from tools.paths import ROOT

CFLAGS = ["-std=c11", "-Wall", "-Wextra", "-Werror"]
# What Rust's standard library (inside the staticlib) needs from glibc.
SYSTEM_LIBS = ["-lpthread", "-ldl", "-lm"]
SOURCE = Path("tests/c/capi_test.c")
INCLUDE = Path("libspawn/include")
SUMMARY = re.compile(r"^capi: (\d+) passed, (\d+) failed$", re.MULTILINE)


def target_dir(root: Path) -> Path:
    """Cargo's target directory (CARGO_TARGET_DIR if set), relative to root
    when it lies inside it."""
    configured = os.environ.get("CARGO_TARGET_DIR")
    path = Path(configured) if configured else Path("target")
    if path.is_absolute():
        try:
            return path.relative_to(root)
        except ValueError:
            return path
    return path


def static_library(root: Path) -> Path:
    """Where cargo puts libspawn.a, relative to root when possible."""
    return target_dir(root) / "debug" / "libspawn.a"


def gcc_command(root: Path, output: Path) -> list[str]:
    """The exact compiler command (paths relative to root)."""
    return ["gcc", *CFLAGS, "-I", str(INCLUDE), str(SOURCE),
            str(static_library(root)), *SYSTEM_LIBS, "-o", str(output)]


def parse_counts(output: str) -> tuple[int, int] | None:
    """(passed, failed) from the summary line, or None if there is none.

    >>> parse_counts("ok a\\ncapi: 3 passed, 1 failed\\n")
    (3, 1)
    >>> parse_counts("ok a\\n") is None
    True
    """
    match = SUMMARY.search(output)
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2))


def _run(cmd: list[str], capture: bool = False) -> subprocess.CompletedProcess:
    """Echoes and runs a command in the root; its failure is the caller's."""
    echo(cmd)
    return subprocess.run(cmd, cwd=ROOT, text=True, capture_output=capture,
                          stdin=subprocess.DEVNULL)


def run_capi_test() -> tuple[int, int]:
    """Builds the library and the C test, runs it, returns (passed, failed).

    A build failure, a crash or a missing summary line counts as a failure.
    """
    root = ROOT
    if _run(["cargo", "build", "-p", "spawn-c"]).returncode != 0:
        print("capi: building spawn-c failed")
        return 0, 1
    output = Path("build") / "capi_test"
    (root / output.parent).mkdir(parents=True, exist_ok=True)
    compiled = _run(gcc_command(root, output), capture=True)
    sys.stdout.write(compiled.stdout + compiled.stderr)
    if compiled.returncode != 0:
        print("capi: compiling tests/c/capi_test.c failed")
        return 0, 1
    result = _run([str(output)], capture=True)
    for line in result.stdout.splitlines():
        if echoing() or not line.startswith("ok "):
            print(line)
    sys.stdout.write(result.stderr)
    counts = parse_counts(result.stdout)
    if counts is None:
        print(f"capi: no summary line (exit status {result.returncode})")
        return 0, 1
    passed, failed = counts
    if result.returncode != 0 and failed == 0:
        print(f"capi: exit status {result.returncode} with no failed check")
        failed = 1
    return passed, failed


if __name__ == "__main__":
    import doctest

    doctest.testmod()
    PASSED, FAILED = run_capi_test()
    sys.exit(0 if FAILED == 0 else 1)
