"""Host fuzzing of libspawn: `x.py fuzz host [--seconds N]`.

Runs the cargo-fuzz targets of libspawn/fuzz one after the other, sharing
N seconds between them, and reports for each its executions and findings.
Installs what is missing first: the nightly toolchain (cargo-fuzz needs it
for the sanitizer flags) and cargo-fuzz.

Each target reads the committed seeds in libspawn/fuzz/corpus/TARGET and
keeps what it finds in build/fuzz/corpus/TARGET (so the seed directory
stays as committed); crash inputs go to build/fuzz/artifacts/TARGET/ and
the full libFuzzer output to build/fuzz/TARGET.log.

Standard library only; x.py calls run_host().
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

TARGETS = ["c_abi_sequence", "builder_sequence", "executor_vs_reference"]
FUZZ_DIR = Path("libspawn/fuzz")
DEFAULT_SECONDS = 60
# Longest a single input may take before libFuzzer calls it a hang.
INPUT_TIMEOUT_SECONDS = 10
ARTIFACT_PREFIXES = ("crash-", "leak-", "timeout-", "oom-", "slow-unit-")

EXECUTED = re.compile(r"^stat::number_of_executed_units:\s*(\d+)", re.M)
DONE = re.compile(r"^Done (\d+) runs in (\d+) second", re.M)


class FuzzError(Exception):
    """A setup step failed; carries the exit code to end with."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


@dataclass
class TargetResult:
    target: str
    seconds: int
    executions: int | None
    findings: list[Path]
    exit_code: int
    log: Path

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.findings


def split_seconds(total: int, count: int) -> list[int]:
    """Shares `total` seconds between `count` targets, at least 1 each,
    the remainder going to the first ones.

    >>> split_seconds(60, 3)
    [20, 20, 20]
    >>> split_seconds(10, 3)
    [4, 3, 3]
    >>> split_seconds(1, 3)
    [1, 1, 1]
    """
    base, extra = divmod(max(total, count), count)
    return [base + (1 if i < extra else 0) for i in range(count)]


def parse_executions(output: str) -> int | None:
    """The number of inputs libFuzzer ran, from its final statistics (or
    its "Done N runs" line), or None if it printed neither.

    >>> parse_executions("#2 INITED\\nstat::number_of_executed_units: 1234\\n")
    1234
    >>> parse_executions("Done 99 runs in 2 second(s)\\n")
    99
    >>> parse_executions("==1== ERROR: libFuzzer: deadly signal\\n") is None
    True
    """
    match = EXECUTED.search(output) or DONE.search(output)
    return int(match.group(1)) if match else None


def fuzz_command(target: str, seconds: int, work: Path, seeds: Path,
                 artifacts: Path) -> list[str]:
    """The cargo-fuzz command for one target (run in libspawn/fuzz)."""
    return ["cargo", "+nightly", "fuzz", "run", target, str(work), str(seeds),
            "--", f"-max_total_time={seconds}",
            f"-timeout={INPUT_TIMEOUT_SECONDS}", "-print_final_stats=1",
            f"-artifact_prefix={artifacts}/"]


def _show(cmd: list[str], verbose: bool) -> None:
    if verbose:
        print("+ " + " ".join(cmd), flush=True)


def _run(cmd: list[str], cwd: Path, verbose: bool) -> None:
    _show(cmd, verbose)
    result = subprocess.run(cmd, cwd=cwd)
    if result.returncode != 0:
        raise FuzzError(f"command failed with exit code {result.returncode}: "
                        + " ".join(cmd), result.returncode)


def require_tools(root: Path, verbose: bool) -> None:
    """Installs the nightly toolchain and cargo-fuzz when missing."""
    if shutil.which("rustup") is None or shutil.which("cargo") is None:
        raise FuzzError("cargo and rustup are needed: install Rust from "
                        "https://rustup.rs")
    toolchains = subprocess.run(["rustup", "toolchain", "list"], cwd=root,
                                capture_output=True, text=True).stdout
    if not any(line.startswith("nightly") for line in toolchains.splitlines()):
        _run(["rustup", "toolchain", "install", "nightly", "--profile",
              "minimal"], root, verbose)
    has_fuzz = subprocess.run(["cargo", "fuzz", "--version"], cwd=root,
                              capture_output=True).returncode == 0
    if not has_fuzz:
        _run(["cargo", "install", "cargo-fuzz"], root, verbose)


def _artifacts(directory: Path) -> set[Path]:
    if not directory.is_dir():
        return set()
    return {p for p in directory.iterdir()
            if p.name.startswith(ARTIFACT_PREFIXES)}


def run_target(root: Path, target: str, seconds: int,
               verbose: bool) -> TargetResult:
    """Fuzzes one target for `seconds`; the output goes to its log file."""
    fuzz_dir = root / FUZZ_DIR
    out_dir = root / "build" / "fuzz"
    work = out_dir / "corpus" / target
    artifacts = out_dir / "artifacts" / target
    seeds = fuzz_dir / "corpus" / target
    log = out_dir / f"{target}.log"
    for directory in (work, artifacts, seeds):
        directory.mkdir(parents=True, exist_ok=True)
    before = _artifacts(artifacts)
    cmd = fuzz_command(target, seconds, work, seeds, artifacts)
    _show(cmd, verbose)
    with open(log, "w") as out:
        result = subprocess.run(cmd, cwd=fuzz_dir, stdout=out,
                                stderr=subprocess.STDOUT, text=True)
    output = log.read_text(errors="replace")
    findings = sorted(_artifacts(artifacts) - before)
    return TargetResult(target, seconds, parse_executions(output), findings,
                        result.returncode, log)


FAILURE_START = ("panicked at", "ERROR: AddressSanitizer", "ERROR: libFuzzer")


def failure_excerpt(output: str, lines: int = 20) -> str:
    """The part of a libFuzzer log that says what went wrong: from the
    first panic or sanitizer report, else the last lines.

    >>> failure_excerpt("a\\nthread 'x' panicked at f.rs:1:2:\\nboom\\nz", 2)
    "thread 'x' panicked at f.rs:1:2:\\nboom"
    >>> failure_excerpt("a\\nb\\nc", 2)
    'b\\nc'
    """
    text = output.splitlines()
    for i, line in enumerate(text):
        if any(marker in line for marker in FAILURE_START):
            return "\n".join(text[i:i + lines])
    return "\n".join(text[-lines:])


def report(result: TargetResult) -> str:
    """One line per target.

    >>> r = TargetResult("t", 20, 1000, [], 0, Path("t.log"))
    >>> report(r)
    't: 1000 executions in 20 s, 0 findings'
    """
    runs = "?" if result.executions is None else str(result.executions)
    line = (f"{result.target}: {runs} executions in {result.seconds} s, "
            f"{len(result.findings)} findings")
    if result.findings:
        line += " (" + ", ".join(str(p) for p in result.findings) + ")"
    elif result.exit_code != 0:
        line += f" (cargo fuzz exited with {result.exit_code}; see {result.log})"
    return line


def run_host(root: Path, seconds: int, verbose: bool,
             targets: list[str] | None = None,
             write: Callable[[str], None] = print) -> int:
    """`x.py fuzz host`: 0 when every target ran with no finding."""
    targets = targets or TARGETS
    require_tools(root, verbose)
    _run(["cargo", "+nightly", "fuzz", "build"], root / FUZZ_DIR, verbose)
    results = []
    for target, share in zip(targets, split_seconds(seconds, len(targets))):
        result = run_target(root, target, share, verbose)
        results.append(result)
        write(report(result))
        if not result.ok:
            write(failure_excerpt(result.log.read_text(errors="replace")))
            reproduce = ["cargo", "+nightly", "fuzz", "run", target,
                         *(str(p) for p in result.findings)]
            write(f"reproduce (in {FUZZ_DIR}): " + " ".join(reproduce))
    total = sum(r.executions or 0 for r in results)
    found = sum(len(r.findings) for r in results)
    failed = [r.target for r in results if not r.ok]
    write(f"fuzz host: {total} executions, {found} findings"
          + (f"; failed: {' '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    import doctest

    sys.exit(doctest.testmod().failed)
