"""The run-c stage of `x.py test`: `x.py run FILE` end to end.

Runs x.py as a user would, on tests/run/*.c, and checks the program's
output, its arguments, its working directory and PATH, the exit status
passed through, that `--timeout` stops a program that never ends, that a
program named like a utility runs as the user's, reading the host's
standard input and writing its standard output and error apart, that a
static executable built outside runs by path, that a file neither C nor
ELF is refused, that a program leaving a child behind reports its own
status every time, that SIGINT to x.py stops QEMU (exit 130), and that
a large output (2 MiB over the virtio console, in writes of every size)
arrives exactly, byte for byte and in order, through a pipe read slowly.

    run_path_test() -> (passed, failed)
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile

from tools.command import echo
from tools.paths import ROOT
from tools.run import RUN_CWD, RUN_TIMEOUT_STATUS, compiled

XPY = ROOT / "x.py"
RUN_CHECK_SOURCE = ROOT / "tests" / "run" / "echo_status.c"
RUN_CHECK_ARGS = ["42", "two words", "", "100%", "tab\there"]
#: The status echo_status.c exits with (its first argument).
RUN_CHECK_STATUS = 42
RUN_NEVER_ENDS_SOURCE = ROOT / "tests" / "run" / "never_ends.c"
RUN_CHECK_TIMEOUT_SECONDS = 2


#: Named like /bin/cat: copies standard input to output, counts on stderr.
RUN_CAT_SOURCE = ROOT / "tests" / "run" / "cat.c"
#: Spawns /bin/echo without waiting and returns ORPHAN_STATUS.
RUN_ORPHAN_SOURCE = ROOT / "tests" / "run" / "orphan.c"
ORPHAN_STATUS = 7
#: Runs of orphan.c in the stage (`x.py run` boots take ~0.4 s each).
ORPHAN_RUNS = 5
#: Writes BIG_OUTPUT_LINES lines "%07d\n" to standard output.
RUN_BIG_OUTPUT_SOURCE = ROOT / "tests" / "run" / "big_output.c"
BIG_OUTPUT_LINES = 256 * 1024
#: Bytes the slow reader takes at a time from x.py's standard output.
SLOW_READ_BYTES = 4096
#: x.py's status after SIGINT.
SIGINT_STATUS = 128 + signal.SIGINT


def _xpy_run(*args: str, stdin=subprocess.DEVNULL
             ) -> subprocess.CompletedProcess:
    cmd = [sys.executable, str(XPY), "-q", "run", *args]
    echo(cmd)
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True,
                          stdin=stdin)


def _streams_checks(scratch: str) -> dict[str, bool]:
    """cat.c (a utility's name) with a file as standard input."""
    data = "".join(f"line {n}\n" for n in range(20000))
    given = os.path.join(scratch, "in.txt")
    with open(given, "w") as out:
        out.write(data)
    with open(given) as stdin:
        result = _xpy_run(str(RUN_CAT_SOURCE), stdin=stdin)
    cmd = [sys.executable, str(XPY), "-q", "run", str(RUN_CHECK_SOURCE), "9"]
    echo(cmd)
    # /dev/null is open for reading and writing, as a terminal is.
    to_null = subprocess.run(cmd, cwd=ROOT, stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL).returncode
    return {
        "standard output open for reading too (/dev/null) works":
            to_null == 9,
        "a program named like /bin/cat runs as the user's":
            result.returncode == 0,
        "standard input is read in full, standard output holds exactly "
        "the program's": result.stdout == data,
        "standard error holds exactly the program's":
            result.stderr == f"cat: {len(data)} bytes\n",
    }


def _big_output_check() -> dict[str, bool]:
    """big_output.c's 2 MiB, read from a pipe a little at a time (a pipe
    that fills up: QEMU's virtio console would drop what a full pipe does
    not take, were it given x.py's descriptor)."""
    cmd = [sys.executable, str(XPY), "-q", "run", str(RUN_BIG_OUTPUT_SOURCE)]
    echo(cmd)
    received = bytearray()
    with subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE) as xpy:
        assert xpy.stdout is not None and xpy.stderr is not None
        while chunk := os.read(xpy.stdout.fileno(), SLOW_READ_BYTES):
            received += chunk
        err = xpy.stderr.read()
    expected = "".join(f"{n:07d}\n" for n in range(BIG_OUTPUT_LINES)).encode()
    ok = (xpy.returncode == 0 and bytes(received) == expected
          and err == b"big_output: done\n")
    if not ok:
        print(f"big_output: status {xpy.returncode}, {len(received)} of "
              f"{len(expected)} bytes, first difference at "
              f"{_first_difference(bytes(received), expected)}, "
              f"stderr {err!r}")
    return {"2 MiB of standard output arrive exactly, in order": ok}


def _first_difference(got: bytes, want: bytes) -> int:
    """The offset of the first byte where `got` and `want` differ."""
    return next((at for at, (a, b) in enumerate(zip(got, want)) if a != b),
                min(len(got), len(want)))


def _elf_checks(scratch: str) -> dict[str, bool]:
    """An executable the project's C toolchain built, copied elsewhere."""
    exe = os.path.join(scratch, "status_prog")
    shutil.copy(compiled(RUN_CHECK_SOURCE), exe)
    ran = _xpy_run(exe, "5")
    text = os.path.join(scratch, "notes.txt")
    with open(text, "w") as out:
        out.write("not a program\n")
    refused = _xpy_run(text)
    return {
        "a static executable given by path runs unchanged":
            ran.returncode == 5 and "arg 1: [5]" in ran.stdout,
        "a file neither C nor ELF is a clear error":
            refused.returncode == 2 and "neither C source" in refused.stderr
            and "Traceback" not in refused.stderr,
    }


def _orphan_check() -> dict[str, bool]:
    statuses = [_xpy_run(str(RUN_ORPHAN_SOURCE)).returncode
                for _ in range(ORPHAN_RUNS)]
    ok = statuses == [ORPHAN_STATUS] * ORPHAN_RUNS
    if not ok:
        print(f"orphan.c statuses: {statuses}")
    return {f"a program leaving a child running reports its status "
            f"({ORPHAN_RUNS} of {ORPHAN_RUNS})": ok}


def _sigint_check() -> dict[str, bool]:
    """SIGINT to a real x.py running a program that never ends."""
    cmd = [sys.executable, str(XPY), "-q", "run", str(RUN_NEVER_ENDS_SOURCE)]
    echo(cmd)
    with subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE) as xpy:
        assert xpy.stdout is not None
        started = xpy.stdout.readline()  # the program runs: QEMU is up
        children = _children(xpy.pid)
        xpy.send_signal(signal.SIGINT)
        try:
            _, err = xpy.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            xpy.kill()
            _, err = xpy.communicate()
    left = [pid for pid in children if os.path.exists(f"/proc/{pid}")]
    ok = (b"never_ends: waiting" in started and children
          and xpy.returncode == SIGINT_STATUS and not left
          and b"Traceback" not in err and err.count(b"\n") == 1)
    if not ok:
        print(f"SIGINT: status {xpy.returncode}, children {children}, "
              f"left {left}, stderr {err!r}")
    return {"SIGINT stops QEMU and exits 130 with one line": bool(ok)}


def _children(pid: int) -> list[int]:
    """The child processes of `pid` (Linux's /proc)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as listing:
            return [int(word) for word in listing.read().split()]
    except OSError:
        return []


def run_path_test() -> tuple[int, int]:
    """Checks `x.py run FILE.c` end to end: output, arguments, status."""
    result = _xpy_run(str(RUN_CHECK_SOURCE), *RUN_CHECK_ARGS)
    expected = [f"arg {i}: [{arg}]" for i, arg in
                enumerate(RUN_CHECK_ARGS, start=1)]
    shown = [line for line in result.stdout.splitlines()
             if line.startswith("arg ")]
    checks = {
        "exit status passed through": result.returncode == RUN_CHECK_STATUS,
        "arguments arrive intact": shown == expected,
        "runs in /tmp": f"cwd: [{RUN_CWD}]" in result.stdout.splitlines(),
        "PATH is /bin": "PATH: [/bin]" in result.stdout.splitlines(),
    }
    for name, ok in checks.items():
        print(f"run FILE.c: {name} ... {'ok' if ok else 'FAILED'}")
    if not all(checks.values()):
        print(result.stdout + result.stderr)
    # --timeout stops a program that never ends, with timeout(1)'s status.
    stopped = _xpy_run("--timeout", str(RUN_CHECK_TIMEOUT_SECONDS),
                       str(RUN_NEVER_ENDS_SOURCE))
    name = "--timeout stops a program that never ends"
    checks[name] = (stopped.returncode == RUN_TIMEOUT_STATUS
                    and "never_ends: waiting" in stopped.stdout)
    print(f"run FILE.c: {name} ... "
          + ("ok" if checks[name]
             else f"FAILED (status {stopped.returncode}):\n"
             + stopped.stdout + stopped.stderr))
    with tempfile.TemporaryDirectory() as scratch:
        more = {**_streams_checks(scratch), **_big_output_check(),
                **_elf_checks(scratch),
                **_orphan_check(), **_sigint_check()}
    for name, ok in more.items():
        print(f"run FILE: {name} ... {'ok' if ok else 'FAILED'}")
    checks.update(more)
    passed = sum(checks.values())
    return passed, len(checks) - passed
