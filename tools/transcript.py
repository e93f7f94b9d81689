"""What /bin/init reports on the serial console, parsed.

The test protocol (userland/progs/src/bin/init.rs):

    test NAME ... ok
    test NAME ... FAILED: REASON
    guest: N passed, N failed

Other lines (program output, a failing test's own `NAME: reason` line) are
ignored by the parser. In `run PROG ARGS...` and `demo` mode init's last
line is one of

    init: PROG exited with status N
    init: PROG killed by signal N (SIGNAME)
    init: PROG failed to start: ERRNO
    init: PROG could not be waited for: ERRNO
"""

from __future__ import annotations

import re
from pathlib import Path

#: Guest tests are the programs with this prefix.
TEST_PREFIX = "t_"
TEST_LINE = re.compile(r"^test (\S+) \.\.\. (?:(ok)|FAILED: (.*))$")
#: init's last line in `run` (and `demo`) mode.
RUN_LINE = re.compile(
    r"^init: (\S+) (?:exited with status (\d+)"
    r"|killed by signal (\d+)(?: \(\w+\))?"
    r"|failed to start: (\w+)"
    r"|could not be waited for: (\w+))$")


def guest_test_names(programs) -> list[str]:
    """The guest tests, sorted: programs named `t_*`.

    `programs` is either a list of program names or the directory holding
    the built programs (names of executable files there).
    """
    if isinstance(programs, (str, Path)):
        directory = Path(programs)
        programs = [path.name for path in directory.iterdir()
                    if path.is_file() and path.stat().st_mode & 0o111]
    return sorted(name for name in programs
                  if name.startswith(TEST_PREFIX) and "." not in name)


def parse_transcript(text: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The test results in `text`: (passed names, [(failed name, reason)]).

    Only whole `test NAME ... ok` / `test NAME ... FAILED: REASON` lines
    count, in the order they appear; carriage returns from the serial line
    are ignored.
    """
    passed: list[str] = []
    failed: list[tuple[str, str]] = []
    for line in text.splitlines():
        match = TEST_LINE.match(line.rstrip("\r"))
        if not match:
            continue
        name, ok, reason = match.groups()
        if ok:
            passed.append(name)
        else:
            failed.append((name, reason.strip()))
    return passed, failed


def parse_run_result(text: str) -> tuple[str, str, int | str] | None:
    """How the program of `init run PROG` (or `init demo`) ended.

    Returns (program, kind, value) from init's last report line: kind
    "exited" with the exit status, "signaled" with the signal number,
    "spawn-failed" or "wait-failed" with the errno name; None when the
    transcript has no such line (the guest hung or the kernel died).
    """
    result = None
    for line in text.splitlines():
        match = RUN_LINE.match(line.rstrip("\r"))
        if not match:
            continue
        program, status, signal, spawn_errno, wait_errno = match.groups()
        if status is not None:
            result = (program, "exited", int(status))
        elif signal is not None:
            result = (program, "signaled", int(signal))
        elif spawn_errno is not None:
            result = (program, "spawn-failed", spawn_errno)
        else:
            result = (program, "wait-failed", wait_errno)
    return result
