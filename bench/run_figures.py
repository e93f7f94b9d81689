"""`x.py run`'s own figures (issue 15), printed by `x.py bench`:

- latency: a warm `x.py run bench/run_hello.c` (compiled program cached,
  initrd up to date), median of RUNS runs, x.py started as a user starts
  it (`sys.executable x.py -q run FILE`);
- console throughput: MiB of guest standard output per second, from
  `bench/run_console.c` writing CONSOLE_MIB MiB to x.py's standard output
  (/dev/null), its run's time less the latency.

    figures() -> {"run_latency_s": ..., "console_mb_per_s": ...}
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from tools.command import StepFailed
from tools.paths import ROOT

XPY = ROOT / "x.py"
HELLO = ROOT / "bench" / "run_hello.c"
CONSOLE = ROOT / "bench" / "run_console.c"
#: Timed runs of each figure (after one warm-up run).
RUNS = 5
#: What run_console.c writes.
CONSOLE_MIB = 64


def _timed(*args: str) -> float:
    """Seconds one `x.py -q run ARGS...` takes, its output discarded."""
    started = time.monotonic()
    result = subprocess.run([sys.executable, str(XPY), "-q", "run", *args],
                            stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, check=False)
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        raise StepFailed(f"x.py run {' '.join(args)}: status "
                           f"{result.returncode}")
    return elapsed


def figures(runs: int = RUNS) -> dict:
    """The median latency and the console throughput."""
    _timed(str(HELLO))  # warm-up: compile, build the initrd once
    latency = statistics.median(_timed(str(HELLO)) for _ in range(runs))
    _timed(str(CONSOLE), "1")
    console = statistics.median(_timed(str(CONSOLE), str(CONSOLE_MIB))
                                for _ in range(runs))
    rate = CONSOLE_MIB * 1024 * 1024 / max(console - latency, 1e-3) / 1e6
    return {"run_latency_s": latency, "console_mb_per_s": rate}


def lines(result: dict) -> list[str]:
    """The figures, one line each."""
    return [f"x.py run hello (warm, median of {RUNS}): "
            f"{result['run_latency_s'] * 1000:.0f} ms (target <= 200 ms)",
            f"console throughput, guest stdout to host: "
            f"{result['console_mb_per_s']:.2f} MB/s (target >= 20 MB/s)"]
