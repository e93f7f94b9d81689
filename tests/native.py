"""Running native test programs: a scratch directory every user can
reach, no standard input, a controlled environment.

    native_scratch(prefix)       a scratch directory for one native run
    run_native(cmd, tmpdir, timeout, unset, **env)
    print_outputs(stage, name, outputs)   the outputs of a failed comparison

Used by the conformance suite's native runs (tests/conformance_native.py)
the musl comparison (tests/musl_compare.py) and the shell's script suite
(tests/shell_suite.py). Standard library only.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path


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


def print_outputs(stage: str, name: str, outputs: tuple) -> None:
    """Prints each (label, text) of `outputs`, the two sides of a failed
    comparison of `name`: a heading, then every line as `STAGE:   | line`."""
    for label, text in outputs:
        print(f"{stage}: {name}: {label} output:")
        for line in text.splitlines():
            print(f"{stage}:   | {line}")
