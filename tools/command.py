"""Running a command: the one helper that echoes it first (`+ ...`).

`x.py -q` turns the echo off (set_echo(False)); every module that starts a
program goes through run() or echo(), so the two always agree.
"""

from __future__ import annotations

import signal
import subprocess
import sys

from tools.paths import ROOT

_echo = True
#: Where the echo goes: standard output, or standard error for commands
#: whose standard output is a program's (`x.py run`).
_echo_to_stderr = False


class StepFailed(RuntimeError):
    """A step failed; carries the exit code x.py should end with."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def set_echo(on: bool) -> None:
    """Whether commands are printed before they run (`x.py -q`: off)."""
    global _echo
    _echo = on


def echo_to_stderr(on: bool) -> None:
    """Whether the echo goes to standard error instead of output."""
    global _echo_to_stderr
    _echo_to_stderr = on


def echoing() -> bool:
    return _echo


def echo(cmd: list) -> None:
    """Prints `+ CMD` when echoing is on."""
    if _echo:
        print("+ " + " ".join(str(part) for part in cmd), flush=True,
              file=sys.stderr if _echo_to_stderr else sys.stdout)


def run(cmd: list, **kwargs) -> subprocess.CompletedProcess:
    """Echoes and runs a command (in the repository root unless `cwd` is
    given); raises StepFailed with its exit code when it fails. Other
    keyword arguments go to subprocess.run."""
    echo(cmd)
    kwargs.setdefault("cwd", ROOT)
    result = subprocess.run([str(part) for part in cmd], **kwargs)
    if result.returncode != 0:
        raise StepFailed(f"command failed with exit code {result.returncode}: "
                         + " ".join(map(str, cmd)), result.returncode)
    return result


def reset_inherited_signal_state() -> None:
    """Starts every command from POSIX's default signal state.

    Ignored dispositions and the signal mask survive exec, so a harness that
    runs x.py with, say, SIGTERM ignored or SIGCHLD blocked would hand that
    state to the native glibc runs and to the host tests, and checks that
    rely on a signal's default action would fail for reasons outside the
    project. Python keeps SIGPIPE ignored for itself and subprocess restores
    it in children; SIGINT goes back to Python's KeyboardInterrupt handler.
    """
    signal.pthread_sigmask(signal.SIG_SETMASK, set())
    for number in signal.valid_signals():
        if number in (signal.SIGKILL, signal.SIGSTOP, signal.SIGPIPE):
            continue
        try:
            if signal.getsignal(number) != signal.SIG_IGN:
                continue
        except ValueError:  # a number Python has no handler slot for
            continue
        if number == signal.SIGINT:
            signal.signal(number, signal.default_int_handler)
        else:
            signal.signal(number, signal.SIG_DFL)


#: Exit status for death by a signal: this plus the signal's number.
SIGNAL_EXIT_BASE = 128


class Interrupted(BaseException):
    """x.py got SIGINT or SIGTERM: what it was doing stops (QEMU and every
    child with it), and x.py exits 128 + the signal."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def code(self) -> int:
        return SIGNAL_EXIT_BASE + self.signum


def stop_on_signals() -> None:
    """Turns SIGINT and SIGTERM into Interrupted (raised in the main
    thread, wherever it is), so every command ends them the same way: its
    children stopped, one line, no traceback."""
    def interrupted(signum, _frame):
        raise Interrupted(signum)

    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, interrupted)
