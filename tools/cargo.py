"""cargo: builds, the workspace's metadata, `x.py check`."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from tools.command import StepFailed, echo, echoing, run
from tools.paths import BARE_TARGET, GUEST_PACKAGE, KERNEL_PACKAGE, ROOT

#: One `test result:` line of `cargo test`.
CARGO_RESULT = re.compile(r"test result: \w+\. (\d+) passed; (\d+) failed")


def cargo(*args: str) -> None:
    """Runs cargo; with `-q`, cargo's own progress lines are left out too."""
    command, *rest = args
    run(["cargo", command, *([] if echoing() else ["--quiet"]), *rest])


def cargo_tests(cmd: list[str], cwd=ROOT, env=None) -> tuple[int, int]:
    """Runs a `cargo test` command; returns its (passed, failed) totals."""
    echo(cmd)
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True,
                            text=True)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    counts = [tuple(map(int, m)) for m in CARGO_RESULT.findall(result.stdout)]
    passed = sum(p for p, _ in counts)
    failed = sum(f for _, f in counts)
    if result.returncode != 0 and failed == 0:
        failed = 1  # the build itself failed: count it, do not hide it
    return passed, failed


def guest_binaries() -> list[str]:
    """Names of the guest programs (the bin targets of the guest package)."""
    meta = json.loads(run(["cargo", "metadata", "--no-deps",
                           "--format-version", "1"],
                          capture_output=True, text=True).stdout)
    for package in meta["packages"]:
        if package["name"] == GUEST_PACKAGE:
            return sorted(t["name"] for t in package["targets"]
                          if "bin" in t["kind"])
    raise StepFailed(f"package {GUEST_PACKAGE} not found in the workspace")


def check() -> None:
    """`x.py check`: rustfmt, then clippy with warnings as errors for the
    host and the bare-metal target."""
    cargo("fmt", "--all", "--check")
    cargo("clippy", "-p", "libspawn", "-p", "spawn-c", "-p", "shim-abi",
          "--all-targets",
          "--features", "libspawn/model", "--", "-D", "warnings")
    # The kernel apart from the guest programs: checked together, they
    # would get the kernel's crate features (virtio-drivers turns on
    # zerocopy's `alloc`), and a guest program has no allocator to link.
    cargo("clippy", "-p", KERNEL_PACKAGE, "--target", BARE_TARGET, "--",
          "-D", "warnings")
    cargo("clippy", "-p", "libspawn", "-p", "shim-abi", "-p", "shim-rt",
          "-p", GUEST_PACKAGE, "--target", BARE_TARGET, "--", "-D", "warnings")
    cargo("clippy", "-p", "hosted-user", "--all-targets", "--", "-D",
          "warnings")
    # The published crate's documentation, as docs.rs renders it (with the
    # model) and as a user's `cargo doc` does (default features).
    for features in ([], ["--features", "model"]):
        run(["cargo", "doc", "-p", "libspawn", "--no-deps", *features],
            env={**os.environ, "RUSTDOCFLAGS": "-D warnings"})
    print("check: clean")
