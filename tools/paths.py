"""Where things are: the repository, the build directory, the targets."""

from __future__ import annotations

from pathlib import Path

#: The repository root (the directory of x.py).
ROOT = Path(__file__).resolve().parent.parent
#: Everything x.py writes besides cargo's target directory.
BUILD_DIR = ROOT / "build"
#: The one QEMU configuration (qemu/README.md).
QEMU_ARGS_FILE = ROOT / "qemu" / "args"
#: Where the kernel's log channel (debugcon) goes.
KERNEL_LOG = BUILD_DIR / "kernel.log"
#: The initrd x.py packs for every boot.
INITRD = BUILD_DIR / "initrd.cpio"
#: The bare-metal target of the kernel and the guest programs.
BARE_TARGET = "x86_64-unknown-none"
KERNEL_PACKAGE = "kernel-shim"
#: The package whose bin targets are the Rust guest programs.
GUEST_PACKAGE = "shim-progs"


def bare_dir() -> Path:
    """Where cargo puts the release builds for the bare-metal target."""
    return ROOT / "target" / BARE_TARGET / "release"
