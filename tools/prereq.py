"""The programs x.py needs, installed when missing (Debian packages only as
root; otherwise x.py says what to run)."""

from __future__ import annotations

import os
import shutil
import subprocess

from tools.command import StepFailed, run
from tools.paths import BARE_TARGET, ROOT


def _require_rustup() -> None:
    if shutil.which("cargo") is None or shutil.which("rustup") is None:
        raise StepFailed("cargo and rustup are needed: install Rust from "
                         "https://rustup.rs (rustup reads rust-toolchain.toml)")


def require_rust() -> None:
    """Checks cargo and installs the toolchain rust-toolchain.toml names."""
    _require_rustup()
    installed = subprocess.run(["rustup", "target", "list", "--installed"],
                               cwd=ROOT, capture_output=True, text=True)
    if BARE_TARGET not in installed.stdout.split():
        # rustup 1.28+ no longer installs a toolchain file's contents on use.
        run(["rustup", "toolchain", "install"])


def require_cargo_fuzz() -> None:
    """Installs the nightly toolchain and cargo-fuzz when missing."""
    _require_rustup()
    toolchains = subprocess.run(["rustup", "toolchain", "list"], cwd=ROOT,
                                capture_output=True, text=True).stdout
    if not any(line.startswith("nightly") for line in toolchains.splitlines()):
        run(["rustup", "toolchain", "install", "nightly", "--profile",
             "minimal"])
    has_fuzz = subprocess.run(["cargo", "fuzz", "--version"], cwd=ROOT,
                              capture_output=True).returncode == 0
    if not has_fuzz:
        run(["cargo", "install", "cargo-fuzz"])


def install_debian_package(package: str, why: str) -> None:
    """apt-get installs `package` when root; else StepFailed saying how."""
    command = ["apt-get", "install", "-y", "--no-install-recommends", package]
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise StepFailed(f"{why}: run `sudo apt-get update && "
                         f"sudo {' '.join(command)}`")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(["apt-get", "update", "-q"], env=env)
    run(command, env=env)


def require_program(program: str, debian_package: str) -> None:
    """Installs a Debian package for a missing program when root, else says how."""
    if shutil.which(program):
        return
    install_debian_package(debian_package, f"{program} is missing")
    if not shutil.which(program):
        raise StepFailed(f"{debian_package} installed but {program} still missing")


#: Debian packages of the compiler drivers x.py knows by name.
COMPILER_PACKAGES = {"gcc": "gcc", "musl-gcc": "musl-tools"}


def require_qemu() -> None:
    require_program("qemu-system-x86_64", "qemu-system-x86")


def require_gcc() -> None:
    require_program("gcc", "gcc")


def require_musl() -> None:
    """musl-gcc, musl's compiler driver, with musl's headers and library
    (Debian's musl-tools, which brings musl and musl-dev): the conformance
    suite's second native oracle."""
    require_program("musl-gcc", COMPILER_PACKAGES["musl-gcc"])


def require_glibc_static() -> None:
    """glibc's static library (libc6-dev), which `x.py bench` links."""
    probe = subprocess.run(["gcc", "-print-file-name=libc.a"],
                           capture_output=True, text=True)
    if not os.path.isabs(probe.stdout.strip()):
        install_debian_package("libc6-dev", "glibc's libc.a is missing")
