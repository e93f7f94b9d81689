"""Building: the host crates, the kernel, the guest programs, the initrd."""

from __future__ import annotations

import os
from pathlib import Path

from tools import musl
from tools.cargo import cargo, guest_binaries
from tools.etc_files import etc_files
from tools.fixtures import extra_initrd_files
from tools.initrd import BIN_PREFIX, InitrdFile, build_initrd
from tools.paths import (BARE_TARGET, BUILD_DIR, GUEST_PACKAGE, INITRD,
                         KERNEL_PACKAGE, ROOT, bare_dir)

#: Everything the kernel, the guest programs, the guest C library, the
#: utilities and the initrd are made from (directories walked whole).
GUEST_INPUTS = [ROOT / name for name in (
    "Cargo.toml", "Cargo.lock", "rust-toolchain.toml", ".cargo", "abi",
    "kernel-shim", "libspawn", "userland", "tools")]
#: Directories under GUEST_INPUTS that feed none of it.
NOT_INPUTS = {"target", "fuzz", "__pycache__"}


def build_host() -> None:
    """libspawn for the host and the bare-metal target; libspawn.a for C."""
    cargo("build", "-p", "libspawn")
    cargo("build", "-p", "libspawn", "--target", BARE_TARGET)
    cargo("build", "-p", "spawn-c")


def compile_guest_c(sources: list[Path], out: Path,
                    extra_cflags: list[str] | None = None) -> None:
    """Compiles C sources into a static musl guest program with libspawn
    as its posix_spawn (tools.musl)."""
    musl.compile_program(sources, out, extra_cflags)


def newest_input(paths: list[Path]) -> float:
    """The latest modification time of a file in `paths` (directories
    walked, NOT_INPUTS skipped)."""
    newest = 0.0
    for path in paths:
        if path.is_file():
            newest = max(newest, path.stat().st_mtime)
        for root, dirs, files in os.walk(path):
            dirs[:] = [name for name in dirs if name not in NOT_INPUTS]
            for name in files:
                newest = max(newest, os.stat(os.path.join(root, name)).st_mtime)
    return newest


def guest_up_to_date(initrd: Path) -> bool:
    """Whether `initrd`, packed by build_guest after its cargo builds, is
    newer than every input and than the kernel and libspawn's guest
    library (which another command may have rebuilt since): then building
    again cannot change anything (`x.py run` skips cargo and the packing;
    the walk over some 300 files takes ~5 ms)."""
    built_files = [bare_dir() / KERNEL_PACKAGE, bare_dir() / "libspawn.a"]
    if not (initrd.exists() and all(path.exists() for path in built_files)):
        return False
    return initrd.stat().st_mtime > max(
        newest_input(GUEST_INPUTS),
        *(path.stat().st_mtime for path in built_files))


def build_guest(extra_files: dict[str, bytes | Path | InitrdFile] | None = None,
                out: Path = INITRD) -> Path:
    """Builds the kernel and the guest programs and packs the initrd
    (`out`, build/initrd.cpio by default) with them, the utilities, /bin/sh, the
    ENOEXEC fixtures, /etc/passwd and /etc/group and `extra_files`;
    returns the kernel."""
    # Two builds: built together, the guest programs would get the
    # kernel's crate features (virtio-drivers turns on zerocopy's `alloc`),
    # and a guest program has no allocator to link.
    cargo("build", "--release", "--target", BARE_TARGET, "-p", KERNEL_PACKAGE)
    cargo("build", "--release", "--target", BARE_TARGET, "-p", GUEST_PACKAGE)
    files: dict[str, bytes | Path | InitrdFile] = {}
    for name in guest_binaries():
        files[BIN_PREFIX + name] = bare_dir() / name
    for name, exe in musl.build_utilities().items():
        files[BIN_PREFIX + name] = exe
    files[BIN_PREFIX + "sh"] = musl.build_shell()
    files.update(extra_initrd_files(bare_dir()))
    files.update(etc_files())
    files.update(extra_files or {})
    BUILD_DIR.mkdir(exist_ok=True)
    build_initrd(files, out)
    return bare_dir() / KERNEL_PACKAGE


def build_all() -> None:
    """`x.py build`."""
    build_host()
    build_guest()
