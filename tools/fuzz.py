"""Fuzzing: `x.py fuzz host [--seconds N]` and `x.py fuzz guest`.

Host: runs the cargo-fuzz targets of libspawn/fuzz one after the other, sharing
N seconds between them, and reports for each its executions and findings.
Installs what is missing first: the nightly toolchain (cargo-fuzz needs it
for the sanitizer flags) and cargo-fuzz.

Each target reads the committed seeds in libspawn/fuzz/corpus/TARGET and
keeps what it finds in build/fuzz/corpus/TARGET (so the seed directory
stays as committed); crash inputs go to build/fuzz/artifacts/TARGET/ and
the full libFuzzer output to build/fuzz/TARGET.log.

Guest: one boot running the system-call fuzzer
(tests/guest_c/t_syscall_fuzz.c) for a given number of calls and seed,
bounded by guest_timeout(calls).

Standard library only; x.py calls run_host() and run_guest().
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from tools import guest_c, qemu
from tools.qemu import failslab_report
from tools.abi import QEMU_EXIT_KERNEL_FAULT
from tools.build import build_guest
from tools.command import echo, run
from tools.paths import BUILD_DIR, KERNEL_LOG, ROOT
from tools.prereq import require_cargo_fuzz
from tools.transcript import parse_run_result

TARGETS = ["c_abi_sequence", "builder_sequence", "executor_vs_reference"]
FUZZ_DIR = Path("libspawn/fuzz")
DEFAULT_SECONDS = 60
# Longest a single input may take before libFuzzer calls it a hang.
INPUT_TIMEOUT_SECONDS = 10
ARTIFACT_PREFIXES = ("crash-", "leak-", "timeout-", "oom-", "slow-unit-")

EXECUTED = re.compile(r"^stat::number_of_executed_units:\s*(\d+)", re.M)
DONE = re.compile(r"^Done (\d+) runs in (\d+) second", re.M)


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


def _artifacts(directory: Path) -> set[Path]:
    if not directory.is_dir():
        return set()
    return {p for p in directory.iterdir()
            if p.name.startswith(ARTIFACT_PREFIXES)}


def run_target(target: str, seconds: int) -> TargetResult:
    """Fuzzes one target for `seconds`; the output goes to its log file."""
    fuzz_dir = ROOT / FUZZ_DIR
    out_dir = BUILD_DIR / "fuzz"
    work = out_dir / "corpus" / target
    artifacts = out_dir / "artifacts" / target
    seeds = fuzz_dir / "corpus" / target
    log = out_dir / f"{target}.log"
    for directory in (work, artifacts, seeds):
        directory.mkdir(parents=True, exist_ok=True)
    before = _artifacts(artifacts)
    cmd = fuzz_command(target, seconds, work, seeds, artifacts)
    echo(cmd)
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


def run_host(seconds: int, targets: list[str] | None = None,
             write: Callable[[str], None] = print) -> int:
    """`x.py fuzz host`: 0 when every target ran with no finding."""
    targets = targets or TARGETS
    require_cargo_fuzz()
    run(["cargo", "+nightly", "fuzz", "build"], cwd=ROOT / FUZZ_DIR)
    results = []
    for target, share in zip(targets, split_seconds(seconds, len(targets))):
        result = run_target(target, share)
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


# --- the guest system-call fuzzer ----------------------------------------------

#: The fuzzer's program and the lines of its boot shown as they come.
GUEST_FUZZER = "t_syscall_fuzz"
GUEST_PROGRESS = ("fuzz:", "init:", f"{GUEST_FUZZER}:")
#: Where the fuzzer runs (as `x.py run` does).
GUEST_CWD = "/tmp"
#: The boot's bound: a fixed part plus a share per call (the fuzzer makes
#: about 50,000 calls a second, so this is some fifty times the need).
GUEST_BASE_SECONDS = 300
GUEST_SECONDS_PER_CALL = 0.001


def guest_timeout(calls: int) -> float:
    """Seconds a fuzzing boot of `calls` calls may take.

    >>> guest_timeout(1_000_000)
    1300.0
    """
    return GUEST_BASE_SECONDS + calls * GUEST_SECONDS_PER_CALL


def run_guest(calls: int, seed: int, exhaust: bool = False,
              failslab: str | None = None) -> int:
    """`x.py fuzz guest`: boots once and runs the system-call fuzzer with
    `calls` calls from `seed` (with `exhaust`, each batch runs with the
    kernel heap and process table full; with `failslab`, e.g. "every:97"
    or "prob:1,seed:3", the kernel fails allocations on purpose and the
    fuzzer tolerates failed workers); 0 iff it reported no finding and
    the kernel neither faulted nor hung. Prints the kernel's longest
    interrupts-off stretch and the injection's figures."""
    files, _ = guest_c.build()
    kernel = build_guest(files)
    cmdline = (f"cwd={GUEST_CWD} "
               + (f"failslab={failslab} " if failslab else "")
               + f"run {GUEST_FUZZER} --calls {calls} --seed {seed}"
               + (" --exhaust" if exhaust else "")
               + (" --injected" if failslab else ""))

    def progress(line: str) -> None:
        # Streamed: a long run reports progress as it goes.
        if line.startswith(GUEST_PROGRESS):
            print(line, end="", flush=True)

    timeout = guest_timeout(calls)
    boot = qemu.launch(qemu.command(kernel, cmdline), timeout=timeout,
                       on_line=progress)
    if boot.timed_out:
        print(f"x.py fuzz guest: QEMU did not finish within {timeout:g} s "
              f"and was stopped; see {KERNEL_LOG}")
        return 1
    print(f"x.py fuzz guest: QEMU exited with {boot.code} after "
          f"{boot.seconds:.1f} s")
    irq_off = qemu.irq_off_report(KERNEL_LOG)
    if irq_off:
        print(f"x.py fuzz guest: {irq_off}")
    injection = failslab_report(KERNEL_LOG)
    if injection:
        print(f"x.py fuzz guest: failslab: {injection}")
    if boot.code == QEMU_EXIT_KERNEL_FAULT:
        print(f"x.py fuzz guest: the kernel faulted; see {KERNEL_LOG}")
        return 1
    outcome = parse_run_result(boot.text)
    return 0 if outcome and outcome[1:] == ("exited", 0) else 1


if __name__ == "__main__":
    import doctest

    sys.exit(doctest.testmod().failed)
