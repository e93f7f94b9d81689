"""Building: the host crates, the kernel, the guest programs, the initrd."""

from __future__ import annotations

from pathlib import Path

from tools import musl
from tools.cargo import cargo, guest_binaries
from tools.etc_files import etc_files
from tools.fixtures import extra_initrd_files
from tools.initrd import BIN_PREFIX, InitrdFile, build_initrd
from tools.paths import (BARE_TARGET, BUILD_DIR, GUEST_PACKAGE, INITRD,
                         KERNEL_PACKAGE, bare_dir)


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


def build_guest(extra_files: dict[str, bytes | Path | InitrdFile] | None = None
                ) -> Path:
    """Builds the kernel and the guest programs and packs the initrd
    (build/initrd.cpio) with them, the utilities, the ENOEXEC fixtures,
    /etc/passwd and /etc/group and `extra_files`; returns the kernel."""
    cargo("build", "--release", "--target", BARE_TARGET,
          "-p", KERNEL_PACKAGE, "-p", GUEST_PACKAGE)
    files: dict[str, bytes | Path | InitrdFile] = {}
    for name in guest_binaries():
        files[BIN_PREFIX + name] = bare_dir() / name
    for name, exe in musl.build_utilities().items():
        files[BIN_PREFIX + name] = exe
    files.update(extra_initrd_files(bare_dir()))
    files.update(etc_files())
    files.update(extra_files or {})
    BUILD_DIR.mkdir(exist_ok=True)
    build_initrd(files, INITRD)
    return bare_dir() / KERNEL_PACKAGE


def build_all() -> None:
    """`x.py build`."""
    build_host()
    build_guest()
