#!/usr/bin/env python3
"""x.py: build, check, test and run libspawn + kernel-shim.

    python3 x.py run [FILE.c [ARG...]]  boot the demo (or a C program) in QEMU
    python3 x.py test [--miri]          every test: host, C ABI, guest; ends
                                        with the line "N passed, N failed"
    python3 x.py build                  build everything
    python3 x.py check                  rustfmt --check and clippy -D warnings
    python3 x.py qemu [--gdb]           boot the demo, optionally waiting for gdb
    python3 x.py bench [--rounds N]     spawn benchmarks: kernel-shim and Linux
                                        side by side (bench/bench.py)
    python3 x.py fuzz host [--seconds N]
                                        libspawn's cargo-fuzz targets, N s in
                                        all (tests/fuzzing.py)
    python3 x.py fuzz guest [--calls N] [--seed S] [--exhaust]
                                        the guest system-call fuzzer
                                        (tests/guest_c/t_syscall_fuzz.c);
                                        reports the kernel's longest
                                        interrupts-off stretch

Standard library only. Every command x.py runs is printed first ("+ ..."),
and the exit code of a failing step is passed through.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

import testlog  # noqa: E402  (tests/testlog.py: the output of `x.py test`)

BARE_TARGET = "x86_64-unknown-none"
BUILD_DIR = ROOT / "build"
QEMU_ARGS_FILE = ROOT / "qemu" / "args"
KERNEL_LOG = BUILD_DIR / "kernel.log"
INITRD = BUILD_DIR / "initrd.cpio"
GUEST_PACKAGE = "shim-progs"
KERNEL_PACKAGE = "kernel-shim"
# Whole-suite limit for one QEMU boot; a healthy run takes seconds.
GUEST_TIMEOUT_SECONDS = 300
# QEMU's isa-debug-exit turns the guest's code c into exit status 2c + 1.
QEMU_EXIT_SUCCESS = 33
QEMU_EXIT_FAILURE = 35
QEMU_EXIT_KERNEL_FAULT = 37

VERBOSE = True


class StepFailed(Exception):
    """A step failed; carries the exit code x.py should end with."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def show(cmd: list[str]) -> None:
    if VERBOSE:
        print("+ " + " ".join(str(part) for part in cmd), flush=True)


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Runs a command, printing it first; raises StepFailed on failure."""
    show(cmd)
    result = subprocess.run(cmd, cwd=kwargs.pop("cwd", ROOT), **kwargs)
    if result.returncode != 0:
        raise StepFailed(f"command failed with exit code {result.returncode}: "
                         + " ".join(map(str, cmd)), result.returncode)
    return result


def reset_inherited_signal_state() -> None:
    """Starts every test from POSIX's default signal state.

    Ignored dispositions and the signal mask survive exec, so a harness that
    runs x.py with, say, SIGTERM ignored or SIGCHLD blocked would hand that
    state to the native glibc runs and to the host tests, and checks that
    rely on a signal's default action would fail for reasons outside the
    project. Python keeps SIGPIPE ignored for itself and subprocess restores
    it in children; SIGINT goes back to Python's KeyboardInterrupt handler.
    """
    signal.pthread_sigmask(signal.SIG_SETMASK, set())
    for number in signal.valid_signals():
        if number in (signal.SIGKILL, signal.SIGSTOP, signal.SIGPIPE):
            continue
        try:
            if signal.getsignal(number) != signal.SIG_IGN:
                continue
        except ValueError:  # a number Python has no handler slot for
            continue
        if number == signal.SIGINT:
            signal.signal(number, signal.default_int_handler)
        else:
            signal.signal(number, signal.SIG_DFL)


# --- prerequisites -----------------------------------------------------------

def require_rust() -> None:
    """Checks cargo and installs the toolchain rust-toolchain.toml names."""
    if shutil.which("cargo") is None or shutil.which("rustup") is None:
        raise StepFailed("cargo and rustup are needed: install Rust from "
                         "https://rustup.rs (rustup reads rust-toolchain.toml)")
    installed = subprocess.run(["rustup", "target", "list", "--installed"],
                               cwd=ROOT, capture_output=True, text=True)
    if BARE_TARGET not in installed.stdout.split():
        # rustup 1.28+ no longer installs a toolchain file's contents on use.
        run(["rustup", "toolchain", "install"])


def require_program(program: str, debian_package: str) -> None:
    """Installs a Debian package for a missing program when root, else says how."""
    if shutil.which(program):
        return
    command = ["apt-get", "install", "-y", "--no-install-recommends",
               debian_package]
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise StepFailed(f"{program} is missing: run `sudo apt-get update && "
                         f"sudo {' '.join(command)}`")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(["apt-get", "update", "-q"], env=env)
    run(command, env=env)
    if not shutil.which(program):
        raise StepFailed(f"{debian_package} installed but {program} still missing")


def require_qemu() -> None:
    require_program("qemu-system-x86_64", "qemu-system-x86")


def require_gcc() -> None:
    require_program("gcc", "gcc")


# --- building ----------------------------------------------------------------

def cargo(*args: str) -> None:
    """Runs cargo; with `-q`, cargo's own progress lines are left out too."""
    command, *rest = args
    run(["cargo", command, *([] if VERBOSE else ["--quiet"]), *rest])


def build_host() -> None:
    cargo("build", "-p", "libspawn")
    cargo("build", "-p", "libspawn", "--target", BARE_TARGET)


def guest_binaries() -> list[str]:
    """Names of the guest programs (the bin targets of the guest package)."""
    show(["cargo", "metadata", "--no-deps", "--format-version", "1"])
    meta = json.loads(subprocess.run(
        ["cargo", "metadata", "--no-deps", "--format-version", "1"],
        cwd=ROOT, capture_output=True, text=True, check=True).stdout)
    for package in meta["packages"]:
        if package["name"] == GUEST_PACKAGE:
            return sorted(t["name"] for t in package["targets"]
                          if "bin" in t["kind"])
    raise StepFailed(f"package {GUEST_PACKAGE} not found in the workspace")


def bare_dir() -> Path:
    return ROOT / "target" / BARE_TARGET / "release"


def build_guest(extra_files: dict[str, bytes] | None = None) -> Path:
    """Builds the kernel and the guest programs and packs the initrd."""
    import guest  # tests/guest.py

    cargo("build", "--release", "--target", BARE_TARGET,
          "-p", KERNEL_PACKAGE, "-p", GUEST_PACKAGE)
    import guest_libc  # tests/guest_libc.py

    files: dict[str, bytes | Path] = {}
    for name in guest_binaries():
        files[f"bin/{name}"] = bare_dir() / name
    for name, exe in guest_libc.build_utilities(ROOT, VERBOSE).items():
        files[f"bin/{name}"] = exe
    files.update(guest.extra_initrd_files(bare_dir()))
    files.update(extra_files or {})
    BUILD_DIR.mkdir(exist_ok=True)
    guest.build_initrd(files, INITRD)
    return bare_dir() / KERNEL_PACKAGE


def qemu_command(kernel: Path, cmdline: str, gdb: bool = False) -> list[str]:
    """The one QEMU command line: qemu/args plus kernel, initrd and cmdline."""
    args = [line.strip() for line in QEMU_ARGS_FILE.read_text().splitlines()
            if line.strip() and not line.lstrip().startswith("#")]
    flat: list[str] = []
    for line in args:
        flat.extend(line.split(None, 1) if line.startswith("-") else [line])
    flat = [f"file:{KERNEL_LOG}" if part.startswith("file:") else part
            for part in flat]
    command = ["qemu-system-x86_64", *flat, "-kernel", str(kernel),
               "-initrd", str(INITRD), "-append", cmdline]
    if gdb:
        command += ["-s", "-S"]
    return command


def boot(kernel: Path, cmdline: str, timeout: float | None,
         capture: bool) -> tuple[int | None, str, float]:
    """Boots QEMU; returns (exit code or None on timeout, transcript, seconds)."""
    command = qemu_command(kernel, cmdline)
    show(command)
    started = time.monotonic()
    try:
        result = subprocess.run(command, cwd=ROOT, timeout=timeout,
                                stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE if capture else None,
                                stderr=subprocess.STDOUT if capture else None,
                                text=True, errors="replace")
        code, out = result.returncode, result.stdout or ""
    except subprocess.TimeoutExpired as expired:
        out = expired.stdout or ""
        if isinstance(out, bytes):
            out = out.decode(errors="replace")
        code = None
    return code, out, time.monotonic() - started


# --- commands ----------------------------------------------------------------

def cmd_build(_args) -> int:
    require_rust()
    build_host()
    import c_capi  # tests/c_capi.py
    c_capi.build_static_library(ROOT)
    build_guest()
    return 0


def cmd_check(_args) -> int:
    require_rust()
    cargo("fmt", "--all", "--check")
    cargo("clippy", "-p", "libspawn", "-p", "spawn-c", "--all-targets",
          "--features", "libspawn/model", "--", "-D", "warnings")
    cargo("clippy", "-p", "libspawn", "-p", KERNEL_PACKAGE, "-p", "shim-rt",
          "-p", GUEST_PACKAGE, "--target", BARE_TARGET, "--", "-D", "warnings")
    print("check: clean")
    return 0


CARGO_RESULT = re.compile(r"test result: \w+\. (\d+) passed; (\d+) failed")


def cargo_tests(cmd: list[str]) -> tuple[int, int]:
    """Runs a `cargo test` command; returns its (passed, failed) totals."""
    show(cmd)
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    counts = [tuple(map(int, m)) for m in CARGO_RESULT.findall(result.stdout)]
    passed = sum(p for p, _ in counts)
    failed = sum(f for _, f in counts)
    if result.returncode != 0 and failed == 0:
        failed = 1  # the build itself failed: count it, do not hide it
    return passed, failed


def host_rust_tests(extra: list[str]) -> tuple[int, int]:
    return cargo_tests(["cargo", *extra, "test", "-p", "libspawn",
                        "-p", "spawn-c", "-p", "shim-core",
                        "--features", "libspawn/model"])


def miri_tests() -> tuple[int, int]:
    """libspawn's host tests under Miri, the crate with unsafe code (the C
    entry points). shim-core forbids unsafe code and spawn-c has none on
    the host, so Miri would find nothing there that `cargo test` does not,
    while shim-core alone would take minutes (full descriptor tables)."""
    return cargo_tests(["cargo", "+nightly", "miri", "test", "-p",
                        "libspawn", "--features", "libspawn/model"])


def kernel_host_tests() -> tuple[int, int]:
    """The kernel's pure logic (ELF, cpio, stacks...) tested on the host."""
    host = subprocess.run(["rustc", "-vV"], capture_output=True, text=True,
                          check=True).stdout
    triple = re.search(r"^host: (\S+)$", host, re.M).group(1)
    return cargo_tests(["cargo", "test", "-p", KERNEL_PACKAGE,
                        "--target", triple])


def python_tests() -> tuple[int, int]:
    cmd = [sys.executable, "-m", "unittest", "discover", "-s", "tests",
           "-p", "test_*.py"]
    show(cmd)
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    sys.stdout.write(result.stderr)
    ran = re.search(r"Ran (\d+) tests?", result.stderr)
    total = int(ran.group(1)) if ran else 0
    # The closing line: "OK", "OK (skipped=1)" or
    # "FAILED (failures=1, errors=2, skipped=3)".
    closing = re.search(r"^(?:OK|FAILED)(?: \((.*)\))?$", result.stderr, re.M)
    counts = dict(re.findall(r"(\w+)=(\d+)", closing.group(1) or "")
                  if closing else [])
    failed = int(counts.get("failures", 0)) + int(counts.get("errors", 0))
    skipped = int(counts.get("skipped", 0))
    if result.returncode != 0 and failed == 0:
        failed = 1
    return max(total - failed - skipped, 0), failed


# The program `x.py run` (and `init demo`) shows.
DEMO_PROGRAM = "demo"
# The list of programs init runs in the guest suite (`init suite FILE`).
SUITE_LIST = "etc/guest-suite"
# Owner of the conformance suite's set-user-ID fixture: any non-root user.
SUID_FIXTURE_UID = 1000


def conformance_programs() -> dict[str, bytes | Path]:
    """The C conformance suite built for the guest, as initrd entries."""
    import conformance  # tests/conformance.py
    import guest

    built = conformance.build_guest(ROOT, BUILD_DIR / "conformance" / "guest",
                                    VERBOSE, [guest_spawn_library()])
    files: dict = {f"bin/{name}": exe for name, exe in built.items()}
    # E84 needs a set-user-ID image owned by someone else: any program of
    # the suite will do, since it only reports its ids.
    files["bin/cf_suid"] = guest.InitrdFile(
        built["attrs_at_spawn"], mode=0o104755, uid=SUID_FIXTURE_UID,
        gid=SUID_FIXTURE_UID)
    return files


def guest_tests() -> dict[str, tuple[int, int]]:
    """Boots the guest once for the whole guest suite: the Rust `t_*` tests,
    the C guest tests and the C library's tests (tests/guest_c.py) and the
    C conformance suite, each program its own process. Returns the
    totals of both, the conformance checks compared against glibc."""
    import conformance
    import guest

    require_qemu()
    conformance_files = conformance_programs()
    conformance_names = sorted(
        name.removeprefix("bin/") for name, entry in conformance_files.items()
        if not isinstance(entry, guest.InitrdFile))
    import guest_c  # tests/guest_c.py: C guest tests, libc tests in the guest
    c_files, c_names = guest_c.build(ROOT, guest_spawn_library(), VERBOSE)
    # The demo runs too (it exits 0 only if every child behaved), so what
    # `x.py run` shows cannot rot.
    names = (guest.guest_test_names(guest_binaries()) + [DEMO_PROGRAM]
             + c_names + conformance_names)
    suite = {SUITE_LIST: ("\n".join(names) + "\n").encode()}
    kernel = build_guest({**conformance_files, **c_files, **suite})
    cmdline = f"suite /{SUITE_LIST}"
    code, transcript, seconds = boot(kernel, cmdline, GUEST_TIMEOUT_SECONDS,
                                     capture=True)
    sys.stdout.write(transcript)
    passed, failed = guest.parse_transcript(transcript)
    missing = [n for n in names
               if n not in passed and n not in {f for f, _ in failed}]
    problems = []
    if code is None:
        problems.append(f"QEMU timed out after {GUEST_TIMEOUT_SECONDS} s")
    elif code != QEMU_EXIT_SUCCESS:
        meaning = {QEMU_EXIT_FAILURE: "a guest test failed",
                   QEMU_EXIT_KERNEL_FAULT: "the kernel faulted"}
        problems.append(f"QEMU exited with {code} "
                        f"({meaning.get(code, 'not the success code 33')})")
    if missing:
        problems.append("no result for: " + " ".join(missing))
    print(f"guest: {len(passed)} passed, {len(failed) + len(missing)} failed "
          f"in one boot of {seconds:.2f} s")
    show_failed_test_output(transcript)
    if problems:
        print("guest run FAILED: " + "; ".join(problems))
        print(f"{SHOWN} QEMU command: "
              + " ".join(qemu_command(kernel, cmdline)))
        if KERNEL_LOG.exists():
            print(f"{SHOWN} kernel log ({KERNEL_LOG}), last lines:")
            for line in KERNEL_LOG.read_text(errors="replace").splitlines()[-40:]:
                print(f"{SHOWN}   {line}")
    failures = len(failed) + len(missing) + (1 if problems and not failed
                                             and not missing else 0)
    results = {"guest": (len(passed), failures)}
    results["conformance"] = conformance_differential(transcript)
    return results


# Lines that start with this reach the console during `x.py test`, not
# only its log.
SHOWN = testlog.CONSOLE_PREFIX
# The most lines of a failed guest test's output shown on the console.
FAILED_OUTPUT_LINES = 30


def show_failed_test_output(transcript: str) -> None:
    """Repeats, where the console sees it, what each failed guest test
    printed (the lines between the previous result line and its own)."""
    section: list[str] = []
    for line in transcript.splitlines():
        if line.startswith("test ") and line.endswith(" ... ok"):
            section = []
        elif line.startswith("test ") and " ... FAILED" in line:
            print(f"{SHOWN} output of the failed {line[5:].split()[0]}:")
            for shown in section[-FAILED_OUTPUT_LINES:]:
                print(f"{SHOWN}   | {shown}")
            section = []
        else:
            section.append(line)


def conformance_differential(transcript: str) -> tuple[int, int]:
    """Runs the conformance suite natively against glibc (the oracle) and
    compares it check by check with the guest's transcript."""
    import conformance

    native = conformance.run_native(ROOT, VERBOSE)
    in_guest = conformance.parse(transcript)
    deviations = conformance.load_deviations(conformance.deviations_path(ROOT))
    problems = conformance.compare(native, in_guest, deviations)
    ok, fail, skip = conformance.totals(in_guest)
    n_ok, n_fail, n_skip = conformance.totals(native)
    for problem in problems:
        print(f"conformance: {problem}")
    print(f"conformance: guest {ok} ok, {fail} failed, {skip} skipped; "
          f"glibc {n_ok} ok, {n_fail} failed, {n_skip} skipped; "
          f"{len(deviations)} documented deviations; "
          f"{len(problems)} problems")
    # Every guest check that ran and matched counts as passed; each problem
    # (a failure, or an undocumented disagreement with glibc) as failed.
    return max(ok - len(problems), 0), len(problems)


RUN_CHECK_SOURCE = ROOT / "tests" / "run" / "echo_status.c"
RUN_CHECK_ARGS = ["42", "two words", "", "100%", "tab\there"]
RUN_NEVER_ENDS_SOURCE = ROOT / "tests" / "run" / "never_ends.c"
RUN_CHECK_TIMEOUT_SECONDS = 2


def run_path_test() -> tuple[int, int]:
    """Checks `x.py run FILE.c` end to end: output, arguments, status."""
    cmd = [sys.executable, str(ROOT / "x.py"), "-q", "run",
           str(RUN_CHECK_SOURCE), *RUN_CHECK_ARGS]
    show(cmd)
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    expected = [f"arg {i}: [{arg}]" for i, arg in
                enumerate(RUN_CHECK_ARGS, start=1)]
    shown = [line for line in result.stdout.splitlines()
             if line.startswith("arg ")]
    checks = {
        "exit status passed through": result.returncode == 42,
        "arguments arrive intact": shown == expected,
        "runs in /tmp": f"cwd: [{RUN_CWD}]" in result.stdout.splitlines(),
        "PATH is /bin": "PATH: [/bin]" in result.stdout.splitlines(),
    }
    for name, ok in checks.items():
        print(f"run FILE.c: {name} ... {'ok' if ok else 'FAILED'}")
    if not all(checks.values()):
        print(result.stdout + result.stderr)
    # --timeout stops a program that never ends, with timeout(1)'s status.
    cmd = [sys.executable, str(ROOT / "x.py"), "-q", "run", "--timeout",
           str(RUN_CHECK_TIMEOUT_SECONDS), str(RUN_NEVER_ENDS_SOURCE)]
    show(cmd)
    stopped = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    checks["--timeout stops a program that never ends"] = (
        stopped.returncode == RUN_TIMEOUT_STATUS
        and "never_ends: waiting" in stopped.stdout)
    print("run FILE.c: --timeout stops a program that never ends ... "
          + ("ok" if checks["--timeout stops a program that never ends"]
             else f"FAILED (status {stopped.returncode}):\n"
             + stopped.stdout + stopped.stderr))
    passed = sum(checks.values())
    return passed, len(checks) - passed


# Where `x.py test` writes every line of its output (tests/testlog.py).
TEST_LOG = BUILD_DIR / "test.log"
# How many failure lines the end of `x.py test` repeats.
FAILURES_SHOWN = 60


def cmd_test(args) -> int:
    started = time.monotonic()
    with testlog.TestLog(TEST_LOG, show_all=args.verbose) as log:
        print(f"{SHOWN} the whole output goes to {TEST_LOG};"
              f" here: each stage's result and every failure"
              f"{'' if not args.verbose else ' (and, with --verbose, all)'}")
        totals = run_all_tests(args)
    lines = [""]
    if log.failures:
        lines.append(f"failures ({len(log.failures)} lines, the first "
                     f"{min(len(log.failures), FAILURES_SHOWN)} repeated here):")
        lines += [f"  {line.strip()}" for line in log.failures[:FAILURES_SHOWN]]
    passed = sum(p for p, _ in totals.values())
    failed = sum(f for _, f in totals.values())
    lines.append(f"elapsed: {time.monotonic() - started:.1f} s; the whole "
                 f"output is in {TEST_LOG}")
    lines.append(f"{passed} passed, {failed} failed")
    summary = "\n".join(lines) + "\n"
    log.append_to_log(summary)
    try:
        sys.stdout.write(summary)
        sys.stdout.flush()
    except BrokenPipeError:
        # Nobody reads the console any more; the result is the exit status.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    return 0 if failed == 0 else 1


def run_stage(name: str, totals: dict, step) -> None:
    """Runs one stage of `x.py test` into `totals` and reports its result.
    A stage that stops with an error (a failed build, a Python exception)
    counts as one failure and the remaining stages still run, so the run
    always ends with its totals line."""
    import traceback

    started = time.monotonic()
    try:
        result = step()
    except Exception as error:  # noqa: BLE001  (reported, then counted)
        print(f"stage {name} FAILED with an error: {error}")
        if not isinstance(error, StepFailed):
            for line in traceback.format_exc().splitlines():
                print(f"{SHOWN}   {line}")
        result = (0, 1)
    # Stages return (passed, failed), or several named totals at once.
    results = result if isinstance(result, dict) else {name: result}
    seconds = time.monotonic() - started
    for part, (passed, failed) in results.items():
        print(f"{SHOWN} {part:<12} {passed:>5} passed, "
              f"{failed} failed ({seconds:.1f} s)")
    totals.update(results)


def run_all_tests(args) -> dict[str, tuple[int, int]]:
    require_rust()
    require_gcc()
    totals: dict[str, tuple[int, int]] = {}
    import bench  # bench/bench.py
    import c_capi
    import guest_libc

    stages = [
        ("host", lambda: host_rust_tests([])),
        ("kernel", kernel_host_tests),
        ("c-abi", lambda: c_capi.run_capi_test(ROOT, VERBOSE)),
        ("libc", lambda: guest_libc.run_native_libc_tests(ROOT, VERBOSE)),
        ("python", python_tests),
        ("guest", guest_tests),
        ("run-c", run_path_test),
        ("bench", lambda: bench.smoke(ROOT, VERBOSE, sys.modules[__name__])),
    ]
    if args.miri:
        stages.insert(0, ("miri", miri_tests))
        run(["rustup", "toolchain", "install", "nightly", "--component",
             "miri", "--profile", "minimal"])
    for name, step in stages:
        run_stage(name, totals, step)
    return totals


def guest_spawn_library() -> Path:
    """libspawn's C entry points plus posix_spawn, built for the guest."""
    cargo("build", "--release", "--target", BARE_TARGET, "-p", "spawn-c")
    return bare_dir() / "libspawn.a"


def compile_guest_c(sources: list[Path], out: Path,
                    extra_cflags: list[str] | None = None) -> None:
    """Compiles C sources against the guest C library and libspawn."""
    import guest_libc  # tests/guest_libc.py

    guest_libc.compile_program(ROOT, sources, out, [guest_spawn_library()],
                               VERBOSE, extra_cflags)


# Characters init passes through unchanged in `run` arguments; everything
# else travels over the space-separated kernel command line as %XX.
PLAIN_ARG_CHARS = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    "._-/=,:+@")


def encode_arg(arg: str) -> str:
    """Encodes one argument for init's `run` mode (decoded by init)."""
    out = []
    for byte in arg.encode():
        char = chr(byte)
        out.append(char if char in PLAIN_ARG_CHARS else f"%{byte:02X}")
    # An empty argument must still be a word on the command line.
    return "".join(out) or "%"


# Where `x.py run FILE.c` starts the program (the contract).
RUN_CWD = "/tmp"
# The kernel keeps at most this many bytes of its command line
# (kernel-shim/src/start_info.rs, MAX_CMDLINE), NUL included.
KERNEL_CMDLINE_MAX = 1024

PROGRAM_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


# `x.py run --timeout`'s exit status when the program ran out of time (the
# value timeout(1) uses).
RUN_TIMEOUT_STATUS = 124


def run_c_file(source: Path, program_args: list[str],
               timeout: float | None = None) -> int:
    """`x.py run FILE.c`: runs the program in the guest, with its status."""
    import guest

    if not source.is_file():
        raise StepFailed(f"{source}: no such file", 2)
    name = source.stem
    if not PROGRAM_NAME.match(name):
        raise StepFailed(f"{source}: the program name {name!r} must be "
                         "letters, digits, '_', '.' or '-'", 2)
    import guest_libc

    utilities = {path.stem for path in (ROOT / guest_libc.UTILS_DIR).glob("*.c")}
    if name in guest_binaries() or name in utilities:
        raise StepFailed(f"{source}: /bin/{name} is one of the system's own "
                         "programs; rename the file", 2)
    require_gcc()
    out = BUILD_DIR / "run" / name
    try:
        compile_guest_c([source], out)
    except RuntimeError as error:  # gcc said why, above
        raise StepFailed(f"{source}: the compiler or linker failed (its "
                         "messages are above). The guest C library's headers "
                         "and functions are listed in userland/libc/README.md."
                         ) from error
    kernel = build_guest({f"bin/{name}": out.read_bytes()})
    cmdline = " ".join([f"cwd={RUN_CWD}", "run", name,
                        *map(encode_arg, program_args)])
    if len(cmdline.encode()) >= KERNEL_CMDLINE_MAX:
        raise StepFailed(f"the arguments take {len(cmdline.encode())} bytes "
                         "on the kernel command line once encoded; the "
                         f"kernel keeps {KERNEL_CMDLINE_MAX - 1}", 2)
    command = qemu_command(kernel, cmdline)
    show(command)
    lines = []
    with subprocess.Popen(command, cwd=ROOT, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, text=True,
                          errors="replace") as qemu:
        watchdog, timed_out = None, threading.Event()
        if timeout is not None:
            def stop_qemu() -> None:
                timed_out.set()
                qemu.kill()
            watchdog = threading.Timer(timeout, stop_qemu)
            watchdog.start()
        try:
            for line in qemu.stdout:
                lines.append(line)
                if guest.parse_run_result(line) is None:
                    sys.stdout.write(line)
                    sys.stdout.flush()
        finally:
            if watchdog is not None:
                watchdog.cancel()
    result = guest.parse_run_result("".join(lines))
    if result is None and timed_out.is_set():
        print(f"x.py: {name} did not finish within {timeout:g} s; QEMU was "
              "stopped", file=sys.stderr)
        return RUN_TIMEOUT_STATUS
    if result is None:
        raise StepFailed(f"the guest ended (QEMU exit code {qemu.returncode})"
                         f" without reporting {name}'s status; kernel log: "
                         f"{KERNEL_LOG}")
    _, kind, value = result
    if kind == "exited":
        return int(value)
    if kind == "signaled":
        print(f"x.py: {name} was killed by signal {value}", file=sys.stderr)
        return 128 + int(value)
    raise StepFailed(f"{name}: {kind} ({value})")


def cmd_run(args) -> int:
    require_rust()
    require_qemu()
    if args.file:
        return run_c_file(Path(args.file), args.args, args.timeout)
    kernel = build_guest()
    code, _, seconds = boot(kernel, "demo", None, capture=False)
    print(f"QEMU exited with {code} after {seconds:.2f} s")
    return 0 if code == QEMU_EXIT_SUCCESS else (code or 1)


def cmd_qemu(args) -> int:
    require_rust()
    require_qemu()
    kernel = build_guest()
    command = qemu_command(kernel, "demo", gdb=args.gdb)
    if args.gdb:
        print(f"QEMU waits for gdb: gdb {kernel} -ex 'target remote :1234'")
    show(command)
    return subprocess.run(command, cwd=ROOT).returncode


def cmd_bench(args) -> int:
    import bench  # bench/bench.py

    require_rust()
    require_qemu()
    require_gcc()
    return bench.run(sys.modules[__name__], args.rounds, args.runs)


#: The kernel's report of its longest interrupts-off stretch, written to
#: its log at power-off (kernel-shim/src/irq_off.rs).
IRQ_OFF_PREFIX = "[kernel] irq-off: "


def irq_off_report(log: Path) -> str | None:
    """The kernel's last interrupts-off line in `log` ("longest N ns (C
    cycles), cause ...; boot N ns"), or None."""
    if not log.exists():
        return None
    lines = [line for line in log.read_text(errors="replace").splitlines()
             if line.startswith(IRQ_OFF_PREFIX)]
    return ("longest interrupts-off stretch: "
            + lines[-1].removeprefix(IRQ_OFF_PREFIX).removeprefix("longest ")
            if lines else None)


def fuzz_guest(calls: int, seed: int, exhaust: bool = False) -> int:
    """`x.py fuzz guest`: boots once and runs the system-call fuzzer with
    `calls` calls from `seed` (with `exhaust`, each batch runs with the
    kernel heap and process table full); exits 0 iff it reported no
    finding and the kernel neither faulted nor hung. Prints the kernel's
    longest interrupts-off stretch."""
    import guest
    import guest_c

    require_rust()
    require_qemu()
    require_gcc()
    files, _ = guest_c.build(ROOT, guest_spawn_library(), VERBOSE)
    kernel = build_guest(files)
    cmdline = (f"cwd={RUN_CWD} run t_syscall_fuzz --calls {calls} "
               f"--seed {seed}" + (" --exhaust" if exhaust else ""))
    command = qemu_command(kernel, cmdline)
    show(command)
    started = time.monotonic()
    # Streamed: a long run reports progress as it goes.
    transcript: list[str] = []
    with subprocess.Popen(command, cwd=ROOT, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, text=True,
                          errors="replace") as qemu:
        assert qemu.stdout is not None
        for line in qemu.stdout:
            transcript.append(line)
            if line.startswith(("fuzz:", "init:", "t_syscall_fuzz:")):
                print(line, end="", flush=True)
    returncode = qemu.returncode
    print(f"x.py fuzz guest: QEMU exited with {returncode} after "
          f"{time.monotonic() - started:.1f} s")
    irq_off = irq_off_report(KERNEL_LOG)
    if irq_off:
        print(f"x.py fuzz guest: {irq_off}")
    outcome = guest.parse_run_result("".join(transcript))
    if returncode == QEMU_EXIT_KERNEL_FAULT:
        print(f"x.py fuzz guest: the kernel faulted; see {KERNEL_LOG}")
        return 1
    return 0 if outcome and outcome[1:] == ("exited", 0) else 1


def cmd_fuzz(args) -> int:
    if args.target == "guest":
        return fuzz_guest(args.calls, args.seed, args.exhaust)
    import fuzzing  # tests/fuzzing.py

    try:
        return fuzzing.run_host(ROOT, args.seconds, VERBOSE)
    except fuzzing.FuzzError as error:
        raise StepFailed(str(error), error.code) from error


def main(argv: list[str]) -> int:
    global VERBOSE
    parser = argparse.ArgumentParser(prog="x.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="do not echo the commands x.py runs")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build", help="build everything").set_defaults(func=cmd_build)
    sub.add_parser("check", help="rustfmt and clippy").set_defaults(func=cmd_check)
    test = sub.add_parser("test", help="run every test")
    test.add_argument("--miri", action="store_true",
                      help="also run the libspawn host tests under Miri")
    test.add_argument("-v", "--verbose", action="store_true",
                      help="show the whole output on the console too (it "
                      "always goes to build/test.log)")
    test.set_defaults(func=cmd_test)
    run_p = sub.add_parser("run", help="boot the demo, or a C program")
    run_p.add_argument("--timeout", type=float, metavar="SECONDS",
                       help="with FILE.c: stop QEMU after SECONDS and exit "
                       f"{RUN_TIMEOUT_STATUS} (default: no limit)")
    run_p.add_argument("file", nargs="?", help="a C source file to run")
    run_p.add_argument("args", nargs=argparse.REMAINDER)
    run_p.set_defaults(func=cmd_run)
    qemu = sub.add_parser("qemu", help="boot the demo by hand")
    qemu.add_argument("--gdb", action="store_true", help="wait for gdb on :1234")
    qemu.set_defaults(func=cmd_qemu)
    bench_p = sub.add_parser("bench", help="spawn benchmarks, kernel-shim "
                             "and Linux side by side")
    bench_p.add_argument("--rounds", type=int, default=100,
                         help="timed rounds per case and run (default 100)")
    bench_p.add_argument("--runs", type=int, default=2,
                         help="boots of each system, alternating (default 2)")
    bench_p.set_defaults(func=cmd_bench)
    fuzz_p = sub.add_parser("fuzz", help="fuzzing: host (libspawn) or guest "
                            "(system calls)")
    fuzz_p.add_argument("target", choices=["host", "guest"])
    fuzz_p.add_argument("--calls", type=int, default=1_000_000,
                        help="guest: system calls to make (default 1000000)")
    fuzz_p.add_argument("--seed", type=int, default=1,
                        help="guest: the generator's seed (default 1)")
    fuzz_p.add_argument("--exhaust", action="store_true",
                        help="guest: fill the kernel heap and the process "
                        "table before each batch's calls (off by default: "
                        "a full heap can still panic the kernel, issue 13)")
    fuzz_p.add_argument("--seconds", type=int, default=60,
                        help="host: total fuzzing time, shared by the "
                        "targets (default 60)")
    fuzz_p.set_defaults(func=cmd_fuzz)
    args = parser.parse_args(argv)
    VERBOSE = not args.quiet
    reset_inherited_signal_state()
    try:
        return args.func(args)
    except StepFailed as failure:
        print(f"x.py: {failure}", file=sys.stderr)
        return failure.code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
