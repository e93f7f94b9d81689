"""`x.py test`: every stage, its result line, the totals.

A stage is a name and a function of no arguments returning (passed,
failed), or several named totals at once (the guest stage returns the
guest tests' and the conformance checks'). Adding a stage is one line in
STAGES. The runners live in tests/ and bench/; this is the only tools
module that imports them, and they import tools, never this.

The output: everything to build/test.log, on the console each stage's
result (`x.py test: STAGE   N passed, N failed (T s)`) and every failure
(tools/testlog.py), then the closing `N passed, N failed`.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import traceback
from typing import Callable

from bench import bench
from tests import c_capi, guest, libspawn_package, run_c
from tools.cargo import cargo_tests
from tools.command import StepFailed, echo, run
from tools.paths import BUILD_DIR, KERNEL_PACKAGE, ROOT
from tools.prereq import require_gcc, require_musl, require_rust
from tools.testlog import CONSOLE_PREFIX as SHOWN
from tools.testlog import TestLog

Totals = dict[str, tuple[int, int]]
#: Where `x.py test` writes every line of its output.
TEST_LOG = BUILD_DIR / "test.log"
#: How many failure lines the end of `x.py test` repeats.
FAILURES_SHOWN = 60
#: The closing line of `python -m unittest`: "OK", "OK (skipped=1)" or
#: "FAILED (failures=1, errors=2, skipped=3)".
UNITTEST_RAN = re.compile(r"Ran (\d+) tests?")
UNITTEST_CLOSING = re.compile(r"^(?:OK|FAILED)(?: \((.*)\))?$", re.M)


def host_rust_tests() -> tuple[int, int]:
    return cargo_tests(["cargo", "test", "-p", "libspawn", "-p", "spawn-c",
                        "-p", "shim-abi", "-p", "shim-core",
                        "--features", "libspawn/model"])


def miri_tests() -> tuple[int, int]:
    """libspawn's host tests under Miri, the crate with unsafe code (the C
    entry points). shim-core forbids unsafe code and spawn-c has none on
    the host, so Miri would find nothing there that `cargo test` does not,
    while shim-core alone would take minutes (full descriptor tables)."""
    return cargo_tests(["cargo", "+nightly", "miri", "test", "-p",
                        "libspawn", "--features", "libspawn/model"])


def kernel_host_tests() -> tuple[int, int]:
    """The kernel's pure logic (ELF, cpio, stacks...) tested on the host."""
    host = subprocess.run(["rustc", "-vV"], capture_output=True, text=True,
                          check=True).stdout
    triple = re.search(r"^host: (\S+)$", host, re.M).group(1)
    return cargo_tests(["cargo", "test", "-p", KERNEL_PACKAGE,
                        "--target", triple])


def unittest_counts(returncode: int, stderr: str) -> tuple[int, int]:
    """(passed, failed) from `python -m unittest`'s report; skipped tests
    are not passed, and a run that failed with no failure counted is one."""
    ran = UNITTEST_RAN.search(stderr)
    total = int(ran.group(1)) if ran else 0
    closing = UNITTEST_CLOSING.search(stderr)
    counts = dict(re.findall(r"(\w+)=(\d+)", closing.group(1) or "")
                  if closing else [])
    failed = int(counts.get("failures", 0)) + int(counts.get("errors", 0))
    skipped = int(counts.get("skipped", 0))
    if returncode != 0 and failed == 0:
        failed = 1
    return max(total - failed - skipped, 0), failed


def python_tests() -> tuple[int, int]:
    """The Python unit tests, tests/test_*.py, the root as top level."""
    cmd = [sys.executable, "-m", "unittest", "discover", "-s", "tests",
           "-t", ".", "-p", "test_*.py"]
    echo(cmd)
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    sys.stdout.write(result.stderr)
    return unittest_counts(result.returncode, result.stderr)


#: The stages, in order: (name, function). Register a new stage here.
STAGES: list[tuple[str, Callable[[], tuple[int, int] | Totals]]] = [
    ("host", host_rust_tests),
    ("hosted", libspawn_package.hosted_program_tests),
    ("package", libspawn_package.package_self_test),
    ("kernel", kernel_host_tests),
    ("c-abi", c_capi.run_capi_test),
    ("python", python_tests),
    ("guest", guest.run_suite),
    ("run-c", run_c.run_path_test),
    ("bench", bench.smoke),
]
#: `x.py test --miri` runs this stage first.
MIRI_STAGE = ("miri", miri_tests)


def run_stage(name: str, totals: Totals, step) -> None:
    """Runs one stage into `totals` and reports its result. A stage that
    stops with an error (a failed build, a Python exception) counts as one
    failure and the remaining stages still run, so the run always ends
    with its totals line."""
    started = time.monotonic()
    try:
        result = step()
    except Exception as error:  # noqa: BLE001  (reported, then counted)
        print(f"stage {name} FAILED with an error: {error}")
        if not isinstance(error, StepFailed):
            for line in traceback.format_exc().splitlines():
                print(f"{SHOWN}   {line}")
        result = (0, 1)
    # Stages return (passed, failed), or several named totals at once.
    results = result if isinstance(result, dict) else {name: result}
    seconds = time.monotonic() - started
    for part, (passed, failed) in results.items():
        print(f"{SHOWN} {part:<12} {passed:>5} passed, "
              f"{failed} failed ({seconds:.1f} s)")
    totals.update(results)


def run_all_stages(miri: bool) -> Totals:
    require_rust()
    require_gcc()
    require_musl()
    stages = list(STAGES)
    if miri:
        stages.insert(0, MIRI_STAGE)
        run(["rustup", "toolchain", "install", "nightly", "--component",
             "miri", "--profile", "minimal"])
    totals: Totals = {}
    for name, step in stages:
        run_stage(name, totals, step)
    return totals


def run_tests(miri: bool, verbose: bool) -> int:
    """`x.py test [--miri] [--verbose]`: 0 when nothing failed."""
    started = time.monotonic()
    with TestLog(TEST_LOG, show_all=verbose) as log:
        print(f"{SHOWN} the whole output goes to {TEST_LOG};"
              f" here: each stage's result and every failure"
              f"{'' if not verbose else ' (and, with --verbose, all)'}")
        totals = run_all_stages(miri)
    lines = [""]
    if log.failures:
        lines.append(f"failures ({len(log.failures)} lines, the first "
                     f"{min(len(log.failures), FAILURES_SHOWN)} repeated here):")
        lines += [f"  {line.strip()}" for line in log.failures[:FAILURES_SHOWN]]
    passed = sum(p for p, _ in totals.values())
    failed = sum(f for _, f in totals.values())
    lines.append(f"elapsed: {time.monotonic() - started:.1f} s; the whole "
                 f"output is in {TEST_LOG}")
    lines.append(f"{passed} passed, {failed} failed")
    summary = "\n".join(lines) + "\n"
    log.append_to_log(summary)
    try:
        sys.stdout.write(summary)
        sys.stdout.flush()
    except BrokenPipeError:
        # Nobody reads the console any more; the result is the exit status.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    return 0 if failed == 0 else 1
