"""cargo: builds, the workspace's metadata, `x.py check`."""

from __future__ import annotations

import json

from tools.command import StepFailed, echoing, run
from tools.paths import BARE_TARGET, GUEST_PACKAGE, KERNEL_PACKAGE


def cargo(*args: str) -> None:
    """Runs cargo; with `-q`, cargo's own progress lines are left out too."""
    command, *rest = args
    run(["cargo", command, *([] if echoing() else ["--quiet"]), *rest])


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
    cargo("clippy", "-p", "libspawn", "-p", "shim-abi", "-p", KERNEL_PACKAGE,
          "-p", "shim-rt",
          "-p", GUEST_PACKAGE, "--target", BARE_TARGET, "--", "-D", "warnings")
    print("check: clean")
