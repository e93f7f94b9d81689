"""The hosted and package stages of `x.py test`: libspawn as a user's
dependency.

- hosted: `tests/hosted` is an ordinary Linux program that depends on
  libspawn with its default features and also spawns through Rust's
  `std::process::Command`. Its tests run, and so does the program, which
  must print `hi` (what `/bin/echo hi` printed) and exit 0. If libspawn
  exported C symbols, std's calls would land in libspawn and crash.
- package: `cargo package -p libspawn` makes the `.crate` a user would
  download; it is unpacked into `build/package/`, outside the workspace's
  packages, where its own `cargo test` must pass and its example port must
  run.

    hosted_program_tests() -> (passed, failed)
    package_self_test()    -> (passed, failed)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path

from tools.cargo import cargo_tests
from tools.command import echo
from tools.paths import BUILD_DIR, ROOT

HOSTED_PACKAGE = "hosted-user"
#: What the hosted program prints: `/bin/echo hi`'s output.
HOSTED_OUTPUT = "hi\n"
LIBSPAWN_MANIFEST = ROOT / "libspawn" / "Cargo.toml"
#: The example a porter runs from the guide.
PORT_EXAMPLE = "minimal_port"
#: Where cargo leaves the packaged crates.
PACKAGE_DIR = ROOT / "target" / "package"
#: Where the package is unpacked and built: outside the workspace's
#: packages, with a target directory of its own.
UNPACK_DIR = BUILD_DIR / "package"
PACKAGE_TARGET_DIR = BUILD_DIR / "package-target"


def _run(cmd: list[str], cwd: Path = ROOT,
         env: dict | None = None) -> subprocess.CompletedProcess:
    """Runs `cmd`, echoing it and copying its output to ours."""
    echo(cmd)
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True,
                            text=True)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    return result


def _check(ok: bool, what: str) -> tuple[int, int]:
    """One check's result line and count."""
    print(f"{'ok' if ok else 'FAIL'} {what}")
    return (1, 0) if ok else (0, 1)


def hosted_program_tests() -> tuple[int, int]:
    """The hosted program's own tests, then the program itself."""
    passed, failed = cargo_tests(["cargo", "test", "-p", HOSTED_PACKAGE])
    result = _run(["cargo", "run", "-q", "-p", HOSTED_PACKAGE])
    ok = result.returncode == 0 and result.stdout == HOSTED_OUTPUT
    p, f = _check(ok, f"hosted-user prints {HOSTED_OUTPUT!r} and exits 0 "
                      f"(got {result.stdout!r}, status {result.returncode})")
    return passed + p, failed + f


def _crate_file() -> Path:
    """The `.crate` that `cargo package` makes for libspawn's version (the
    workspace's, unless libspawn sets its own)."""
    package = tomllib.loads(LIBSPAWN_MANIFEST.read_text())["package"]
    version = package["version"]
    if isinstance(version, dict):
        workspace = tomllib.loads((ROOT / "Cargo.toml").read_text())
        version = workspace["workspace"]["package"]["version"]
    return PACKAGE_DIR / f"libspawn-{version}.crate"


def package_self_test() -> tuple[int, int]:
    """Packages libspawn, unpacks it outside the workspace and runs its
    tests and its example there."""
    # A working tree with uncommitted changes is packaged as it is: the
    # check is about what the files say, not about git.
    made = _run(["cargo", "package", "-p", "libspawn", "--allow-dirty",
                 "--no-verify", "--quiet"])
    crate = _crate_file()
    passed, failed = _check(made.returncode == 0 and crate.exists(),
                            f"cargo package -p libspawn made {crate.name}")
    if failed:
        return passed, failed
    shutil.rmtree(UNPACK_DIR, ignore_errors=True)
    UNPACK_DIR.mkdir(parents=True)
    with tarfile.open(crate) as archive:
        archive.extractall(UNPACK_DIR, filter="data")
    unpacked = UNPACK_DIR / crate.name.removesuffix(".crate")
    # The archive's files carry a fixed old date; give them the present
    # one so cargo never takes an earlier build of the package as fresh.
    for path in unpacked.rglob("*"):
        os.utime(path)
    env = {**os.environ, "CARGO_TARGET_DIR": str(PACKAGE_TARGET_DIR)}
    p, f = cargo_tests(["cargo", "test", "--locked"], cwd=unpacked, env=env)
    passed, failed = passed + p, failed + f
    p, f = _check(p > 0, "the unpacked package runs its own tests")
    passed, failed = passed + p, failed + f
    example = _run(["cargo", "run", "-q", "--locked", "--example",
                    PORT_EXAMPLE], cwd=unpacked, env=env)
    p, f = _check(example.returncode == 0,
                  f"the unpacked package's example {PORT_EXAMPLE} "
                  f"runs (status {example.returncode})")
    passed, failed = passed + p, failed + f
    return passed, failed
