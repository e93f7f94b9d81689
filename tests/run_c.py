"""The run-c stage of `x.py test`: `x.py run FILE.c` end to end.

Runs x.py as a user would, on tests/run/*.c, and checks the program's
output, its arguments, its working directory and PATH, the exit status
passed through, and that `--timeout` stops a program that never ends.

    run_path_test() -> (passed, failed)
"""

from __future__ import annotations

import subprocess
import sys

from tools.command import echo
from tools.paths import ROOT
from tools.run import RUN_CWD, RUN_TIMEOUT_STATUS

XPY = ROOT / "x.py"
RUN_CHECK_SOURCE = ROOT / "tests" / "run" / "echo_status.c"
RUN_CHECK_ARGS = ["42", "two words", "", "100%", "tab\there"]
#: The status echo_status.c exits with (its first argument).
RUN_CHECK_STATUS = 42
RUN_NEVER_ENDS_SOURCE = ROOT / "tests" / "run" / "never_ends.c"
RUN_CHECK_TIMEOUT_SECONDS = 2


def _xpy_run(*args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, str(XPY), "-q", "run", *args]
    echo(cmd)
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)


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
    passed = sum(checks.values())
    return passed, len(checks) - passed
