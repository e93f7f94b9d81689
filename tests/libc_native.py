"""The libc stage: the guest C library's own tests, run natively.

Because the guest C library (userland/libc, built by tools/libc.py) speaks
the Linux x86_64 system-call ABI, its tests (tests/libc/*.c) run natively on
a Linux x86_64 host, built once against it and once against the host's
glibc; the two must agree.

    run_native_libc_tests()      -> (passed, failed)
    native_scratch(prefix)       a scratch directory for one native run
    run_native(cmd, tmpdir, timeout, unset, **env)

The native-run helpers serve tests/conformance.py too. Standard library
only.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path

from tools import libc
from tools.command import StepFailed, echo, run
from tools.paths import BUILD_DIR, ROOT

#: The library's tests.
TEST_DIR = ROOT / "tests" / "libc"
#: Where both builds of each test go.
OUT_DIR = BUILD_DIR / "libc" / "tests"
# Flags for building the same test sources against the host's glibc.
HOST_CFLAGS = [*libc.TEST_WARNING_FLAGS, "-O2"]
NATIVE_TEST_TIMEOUT_SECONDS = 60
SUMMARY = re.compile(r"^libc-test: (\d+) passed, (\d+) failed$", re.M)


def _usable_scratch_base(path: Path) -> bool:
    """Every user can reach `path`, and programs stored there can run."""
    try:
        path = path.resolve(strict=True)
        reachable = all(os.stat(part).st_mode & 0o001
                        for part in [path, *path.parents])
        return reachable and not os.statvfs(path).f_flag & os.ST_NOEXEC
    except OSError:
        return False


def scratch_base() -> Path:
    """Where native scratch directories go (see native_scratch)."""
    candidates = [Path(tempfile.gettempdir()), Path("/tmp"), Path("/var/tmp")]
    base = next((path for path in candidates if _usable_scratch_base(path)),
                None)
    if base is None:
        raise RuntimeError("no scratch directory for the native tests: "
                           "$TMPDIR, /tmp and /var/tmp are each unreachable "
                           "for other users or mounted noexec")
    return base


def native_scratch(prefix: str) -> tempfile.TemporaryDirectory:
    """A fresh scratch directory for one native test run, mode 0755.

    Some checks run as a non-root user, and some copy programs into the
    scratch directory and run them, so it goes under the first of $TMPDIR,
    /tmp and /var/tmp that every user can reach and that is not mounted
    noexec: a harness's private or noexec $TMPDIR would otherwise fail
    those checks for reasons outside the project."""
    scratch = tempfile.TemporaryDirectory(prefix=prefix,
                                          dir=str(scratch_base()))
    os.chmod(scratch.name, 0o755)
    return scratch


def run_native(cmd: list, tmpdir: str, timeout: float, unset: tuple = (),
               **env_extra: str) -> subprocess.CompletedProcess:
    """Runs a native test program in `tmpdir` (its cwd and TMPDIR), with
    no standard input, capturing its output as text; the variables in
    `unset` are removed from its environment and `env_extra` added. Raises
    subprocess.TimeoutExpired past `timeout` seconds."""
    env = dict(os.environ, TMPDIR=tmpdir, **env_extra)
    for name in unset:
        env.pop(name, None)
    return subprocess.run([str(part) for part in cmd], capture_output=True,
                          text=True, errors="replace", env=env, cwd=tmpdir,
                          stdin=subprocess.DEVNULL, timeout=timeout)


def _run_test_binary(exe: Path, tmpdir: str,
                     args: tuple[str, ...] = ()) -> tuple[int, str]:
    """Runs one test; returns (status, output). status is the exit code,
    or -N when the process was killed by signal N."""
    try:
        result = run_native([exe, *args], tmpdir,
                            NATIVE_TEST_TIMEOUT_SECONDS,
                            LIBC_TEST_ENV="present")
    except subprocess.TimeoutExpired:
        return -1000, "timed out"
    return result.returncode, result.stdout + result.stderr


MODE = re.compile(r"^mode (\S+) (exit|signal) (\d+)(?: (.*))?$", re.M)


def _run_modes(name: str, target: str, exe: Path,
               listing: str) -> tuple[int, int]:
    """Runs every "mode NAME exit|signal N [STDOUT]" a test listed, each as
    its own process, and checks how it ended (and its exact stdout, when
    given)."""
    passed = failed = 0
    for mode, kind, number, stdout in MODE.findall(listing):
        with native_scratch("libc-test-") as tmp:
            echo([exe, mode])
            result = run_native([exe, mode], tmp,
                                NATIVE_TEST_TIMEOUT_SECONDS)
        want = int(number) if kind == "exit" else -int(number)
        ok = result.returncode == want and (
            not stdout or result.stdout == stdout)
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"    [{target}] {name}: FAIL {mode}: status "
                  f"{result.returncode} (want {want}), stdout "
                  f"{result.stdout!r}" + (f" (want {stdout!r})"
                                          if stdout else ""))
    return passed, failed


def _count(name: str, target: str, status: int,
           output: str) -> tuple[int, int]:
    """Checks passed and failed in one run; a bad exit is one failure.
    Failures are printed; passes only counted."""
    for line in output.splitlines():
        if line.startswith("FAIL"):
            print(f"    [{target}] {name}: {line}")
    match = SUMMARY.search(output)
    if match is None or status != 0:
        print(f"    [{target}] {name}: FAIL: exit status {status}, "
              f"{'no' if match is None else 'with'} summary line")
        print("      " + output[-2000:].replace("\n", "\n      "))
        passed = int(match.group(1)) if match else 0
        failed = int(match.group(2)) if match else 0
        return passed, failed + 1
    return int(match.group(1)), int(match.group(2))


def _compared_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("= ")]


def run_native_libc_tests() -> tuple[int, int]:
    """Builds each tests/libc/*.c against the guest library and against
    the host's glibc, runs both natively, and totals their checks.

    Each test prints "ok NAME" or "FAIL NAME: detail" per check and ends
    with "libc-test: N passed, M failed". A line "mode NAME exit|signal N
    [STDOUT]" asks for the test to be run again with argument NAME and to
    end that way (one check each). Lines starting with "= " are
    values that must be identical under both libraries (constants, struct
    layouts, formatted output); each such line counts as one check.
    Returns (passed, failed) over both targets.
    """
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    tests = sorted(TEST_DIR.glob("*.c"))
    totals = {"guest-libc": [0, 0], "glibc": [0, 0]}
    for source in tests:
        name = source.stem
        guest_exe = OUT_DIR / name
        host_exe = OUT_DIR / (name + ".glibc")
        try:
            libc.compile_program([source], guest_exe, [],
                                 libc.TEST_WARNING_FLAGS)
        except StepFailed as err:
            print(f"    [guest-libc] {name}: FAIL: {err}")
            totals["guest-libc"][1] += 1
            continue
        try:
            run([libc.CC, *HOST_CFLAGS, "-o", host_exe, source])
        except StepFailed as err:
            print(f"    [glibc] {name}: FAIL: {err}")
            totals["glibc"][1] += 1
            continue
        outputs = {}
        for target, exe in (("guest-libc", guest_exe), ("glibc", host_exe)):
            with native_scratch("libc-test-") as tmp:
                echo([exe])
                status, output = _run_test_binary(exe, tmp)
            outputs[target] = output
            passed, failed = _count(name, target, status, output)
            more_passed, more_failed = _run_modes(name, target, exe, output)
            totals[target][0] += passed + more_passed
            totals[target][1] += failed + more_failed
        ours = _compared_lines(outputs["guest-libc"])
        theirs = _compared_lines(outputs["glibc"])
        same = sum(1 for a, b in zip(ours, theirs) if a == b)
        different = max(len(ours), len(theirs)) - same
        for a, b in zip(ours, theirs):
            if a != b:
                print(f"    [compare] {name}: FAIL: guest-libc {a!r} "
                      f"vs glibc {b!r}")
        if len(ours) != len(theirs):
            print(f"    [compare] {name}: FAIL: {len(ours)} compared lines "
                  f"vs {len(theirs)} under glibc")
        totals["guest-libc"][0] += same
        totals["guest-libc"][1] += different
    for target, (passed, failed) in totals.items():
        print(f"libc tests [{target}]: {passed} passed, {failed} failed")
    return (sum(t[0] for t in totals.values()),
            sum(t[1] for t in totals.values()))

