"""Building the guest C library and C programs against it; its native tests.

The guest C library (userland/libc) is a small static libc over the Linux
x86_64 system-call ABI, which kernel-shim implements. Because the ABI is
Linux's, every program built here also runs natively on a Linux x86_64
host, which is how the library's own tests (tests/libc/*.c) are run.

    build_libc(root, out_dir, verbose)       -> out_dir/libc.a (+ crt0.o)
    compile_program(root, sources, out, extra_objects, verbose)
    run_native_libc_tests(root, verbose)     -> (passed, failed)

Guest programs are static, non-PIE ELF64 executables whose image starts at
USER_IMAGE_BASE (read from abi/src/lib.rs), entered at _start.

Header search order for a guest program: userland/libc/include, then
libspawn/include (spawn.h), then the compiler's own freestanding headers
(float.h, stdalign.h, ...; the library provides its own stddef.h, stdint.h,
stdarg.h, stdbool.h and limits.h, which come first). Standard library only.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path

# Flags for compiling a guest C program (include paths come from
# include_flags): ordinary gcc code generation, with no stack-protector
# canary (it would read %fs, and guests have no TLS) and no PIE.
LIBC_CFLAGS = ["-O2", "-fno-stack-protector", "-fno-pie", "-nostdinc"]

# Flags for linking a guest program; the image base is added by
# link_flags from shim-abi's layout::USER_IMAGE_BASE.
LIBC_LDFLAGS = ["-static", "-nostdlib", "-no-pie", "-Wl,-z,noexecstack",
                "-Wl,--build-id=none", "-Wl,--gc-sections"]

# Flags for compiling the library itself: warnings are errors, and the
# compiler must not turn the mem*/str* loops into calls to themselves.
LIBRARY_CFLAGS = ["-std=c11", "-O2", "-Wall", "-Wextra", "-Werror",
                  "-ffreestanding", "-fno-builtin", "-fno-stack-protector",
                  "-fno-pie", "-fno-tree-loop-distribute-patterns",
                  "-nostdinc"]

# Warnings the library's tests are held to, under both libraries.
TEST_WARNING_FLAGS = ["-std=c11", "-Wall", "-Wextra", "-Werror"]

# Flags for building the same test sources against the host's glibc.
HOST_CFLAGS = [*TEST_WARNING_FLAGS, "-O2"]

CC = os.environ.get("CC", "gcc")
NATIVE_TEST_TIMEOUT_SECONDS = 60
SUMMARY = re.compile(r"^libc-test: (\d+) passed, (\d+) failed$", re.M)


def _show(cmd: list, verbose: bool) -> None:
    if verbose:
        print("+ " + " ".join(str(part) for part in cmd), flush=True)


def _run(cmd: list, verbose: bool) -> None:
    _show(cmd, verbose)
    result = subprocess.run([str(part) for part in cmd])
    if result.returncode != 0:
        raise RuntimeError("command failed with exit code "
                           f"{result.returncode}: " + " ".join(map(str, cmd)))


def image_base(root: Path) -> int:
    """USER_IMAGE_BASE from abi/src/lib.rs, the one definition."""
    text = (root / "abi" / "src" / "lib.rs").read_text()
    match = re.search(r"USER_IMAGE_BASE\s*:\s*u64\s*=\s*(0x[0-9a-fA-F_]+)",
                      text)
    if match is None:
        raise RuntimeError("USER_IMAGE_BASE not found in abi/src/lib.rs")
    return int(match.group(1).replace("_", ""), 16)


def compiler_include_dir() -> str:
    """The compiler's freestanding header directory (float.h and friends)."""
    out = subprocess.run([CC, "-print-file-name=include"],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def include_flags(root: Path) -> list[str]:
    """Header search path for guest programs, in order."""
    return ["-isystem", str(root / "userland" / "libc" / "include"),
            "-isystem", str(root / "libspawn" / "include"),
            "-isystem", compiler_include_dir()]


def link_flags(root: Path) -> list[str]:
    return LIBC_LDFLAGS + [f"-Wl,-Ttext-segment={image_base(root):#x}"]


def _library_sources(root: Path) -> list[Path]:
    src = root / "userland" / "libc" / "src"
    return sorted(src.glob("*.c"))


def _newest_input(root: Path) -> float:
    libc = root / "userland" / "libc"
    files = [p for p in libc.rglob("*") if p.is_file()]
    files.append(Path(__file__))
    return max(p.stat().st_mtime for p in files)


def build_libc(root: Path, out_dir: Path, verbose: bool) -> Path:
    """Compiles the library into out_dir/libc.a and out_dir/crt0.o.

    Does nothing when both are newer than every library source and header.
    Returns the path of libc.a.
    """
    root = Path(root)
    out_dir = Path(out_dir)
    archive = out_dir / "libc.a"
    crt0 = out_dir / "crt0.o"
    if (archive.exists() and crt0.exists()
            and min(archive.stat().st_mtime, crt0.stat().st_mtime)
            > _newest_input(root)):
        return archive

    obj_dir = out_dir / "obj"
    obj_dir.mkdir(parents=True, exist_ok=True)
    include = ["-isystem", str(root / "userland" / "libc" / "include")]
    _run([CC, *LIBRARY_CFLAGS, *include, "-c",
          root / "userland" / "libc" / "src" / "crt0.S", "-o", crt0], verbose)
    objects = []
    for source in _library_sources(root):
        obj = obj_dir / (source.stem + ".o")
        _run([CC, *LIBRARY_CFLAGS, *include, "-c", source, "-o", obj],
             verbose)
        objects.append(obj)
    if archive.exists():
        archive.unlink()
    _run(["ar", "rcs", archive, *objects], verbose)
    return archive


def compile_program(root: Path, sources: list[Path], out: Path,
                    extra_objects: list[Path], verbose: bool,
                    extra_cflags: list[str] | None = None) -> None:
    """Compiles and links a guest C program against the library.

    extra_cflags (such as warning flags) go after LIBC_CFLAGS.

    Link order: crt0.o, the program, then libc.a and extra_objects (such as
    libspawn's static library) in one group so they may call each other,
    then libgcc for the compiler's helper routines.
    """
    root = Path(root)
    lib_dir = root / "build" / "libc"
    archive = build_libc(root, lib_dir, verbose)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    _run([CC, *LIBC_CFLAGS, *(extra_cflags or []), *include_flags(root),
          *link_flags(root),
          "-o", out, lib_dir / "crt0.o", *sources,
          "-Wl,--start-group", archive, *extra_objects, "-Wl,--end-group",
          "-lgcc"], verbose)


def _usable_scratch_base(path: Path) -> bool:
    """Every user can reach `path`, and programs stored there can run."""
    try:
        path = path.resolve(strict=True)
        reachable = all(os.stat(part).st_mode & 0o001
                        for part in [path, *path.parents])
        return reachable and not os.statvfs(path).f_flag & os.ST_NOEXEC
    except OSError:
        return False


def scratch_base() -> Path:
    """Where native scratch directories go (see native_scratch)."""
    candidates = [Path(tempfile.gettempdir()), Path("/tmp"), Path("/var/tmp")]
    base = next((path for path in candidates if _usable_scratch_base(path)),
                None)
    if base is None:
        raise RuntimeError("no scratch directory for the native tests: "
                           "$TMPDIR, /tmp and /var/tmp are each unreachable "
                           "for other users or mounted noexec")
    return base


def native_scratch(prefix: str) -> tempfile.TemporaryDirectory:
    """A fresh scratch directory for one native test run, mode 0755.

    Some checks run as a non-root user, and some copy programs into the
    scratch directory and run them, so it goes under the first of $TMPDIR,
    /tmp and /var/tmp that every user can reach and that is not mounted
    noexec: a harness's private or noexec $TMPDIR would otherwise fail
    those checks for reasons outside the project."""
    scratch = tempfile.TemporaryDirectory(prefix=prefix,
                                          dir=str(scratch_base()))
    os.chmod(scratch.name, 0o755)
    return scratch


def run_native(cmd: list, tmpdir: str, timeout: float, unset: tuple = (),
               **env_extra: str) -> subprocess.CompletedProcess:
    """Runs a native test program in `tmpdir` (its cwd and TMPDIR), with
    no standard input, capturing its output as text; the variables in
    `unset` are removed from its environment and `env_extra` added. Raises
    subprocess.TimeoutExpired past `timeout` seconds."""
    env = dict(os.environ, TMPDIR=tmpdir, **env_extra)
    for name in unset:
        env.pop(name, None)
    return subprocess.run([str(part) for part in cmd], capture_output=True,
                          text=True, errors="replace", env=env, cwd=tmpdir,
                          stdin=subprocess.DEVNULL, timeout=timeout)


def stale(out: Path, inputs: list[Path]) -> bool:
    """True when `out` is missing or older than any of `inputs`."""
    if not out.exists():
        return True
    built = out.stat().st_mtime
    return any(Path(path).stat().st_mtime > built for path in inputs)


#: The guest utilities (userland/utils/*.c), installed in /bin of every boot.
UTILS_DIR = Path("userland") / "utils"


def build_utilities(root: Path, verbose: bool) -> dict[str, Path]:
    """Builds the guest utilities; returns {program name: executable}."""
    root = Path(root)
    out_dir = root / "build" / "utils"
    libc = build_libc(root, root / "build" / "libc", verbose)
    built = {}
    for source in sorted((root / UTILS_DIR).glob("*.c")):
        out = out_dir / source.stem
        if stale(out, [source, libc, Path(__file__)]):
            compile_program(root, [source], out, [], verbose,
                            TEST_WARNING_FLAGS)
        built[source.stem] = out
    return built


def _run_test_binary(exe: Path, tmpdir: str,
                     args: tuple[str, ...] = ()) -> tuple[int, str]:
    """Runs one test; returns (status, output). status is the exit code,
    or -N when the process was killed by signal N."""
    try:
        result = run_native([exe, *args], tmpdir,
                            NATIVE_TEST_TIMEOUT_SECONDS,
                            LIBC_TEST_ENV="present")
    except subprocess.TimeoutExpired:
        return -1000, "timed out"
    return result.returncode, result.stdout + result.stderr


MODE = re.compile(r"^mode (\S+) (exit|signal) (\d+)(?: (.*))?$", re.M)


def _run_modes(name: str, target: str, exe: Path, listing: str,
               verbose: bool) -> tuple[int, int]:
    """Runs every "mode NAME exit|signal N [STDOUT]" a test listed, each as
    its own process, and checks how it ended (and its exact stdout, when
    given)."""
    passed = failed = 0
    for mode, kind, number, stdout in MODE.findall(listing):
        with native_scratch("libc-test-") as tmp:
            _show([exe, mode], verbose)
            result = run_native([exe, mode], tmp,
                                NATIVE_TEST_TIMEOUT_SECONDS)
        want = int(number) if kind == "exit" else -int(number)
        ok = result.returncode == want and (
            not stdout or result.stdout == stdout)
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"    [{target}] {name}: FAIL {mode}: status "
                  f"{result.returncode} (want {want}), stdout "
                  f"{result.stdout!r}" + (f" (want {stdout!r})"
                                          if stdout else ""))
    return passed, failed


def _count(name: str, target: str, status: int,
           output: str) -> tuple[int, int]:
    """Checks passed and failed in one run; a bad exit is one failure.
    Failures are printed; passes only counted."""
    for line in output.splitlines():
        if line.startswith("FAIL"):
            print(f"    [{target}] {name}: {line}")
    match = SUMMARY.search(output)
    if match is None or status != 0:
        print(f"    [{target}] {name}: FAIL: exit status {status}, "
              f"{'no' if match is None else 'with'} summary line")
        print("      " + output[-2000:].replace("\n", "\n      "))
        passed = int(match.group(1)) if match else 0
        failed = int(match.group(2)) if match else 0
        return passed, failed + 1
    return int(match.group(1)), int(match.group(2))


def _compared_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("= ")]


def run_native_libc_tests(root: Path, verbose: bool) -> tuple[int, int]:
    """Builds each tests/libc/*.c against the guest library and against
    the host's glibc, runs both natively, and totals their checks.

    Each test prints "ok NAME" or "FAIL NAME: detail" per check and ends
    with "libc-test: N passed, M failed". A line "mode NAME exit|signal N
    [STDOUT]" asks for the test to be run again with argument NAME and to
    end that way (one check each). Lines starting with "= " are
    values that must be identical under both libraries (constants, struct
    layouts, formatted output); each such line counts as one check.
    Returns (passed, failed) over both targets.
    """
    root = Path(root)
    out_dir = root / "build" / "libc" / "tests"
    out_dir.mkdir(parents=True, exist_ok=True)
    tests = sorted((root / "tests" / "libc").glob("*.c"))
    totals = {"guest-libc": [0, 0], "glibc": [0, 0]}
    for source in tests:
        name = source.stem
        guest_exe = out_dir / name
        host_exe = out_dir / (name + ".glibc")
        try:
            compile_program(root, [source], guest_exe, [], verbose,
                            TEST_WARNING_FLAGS)
        except RuntimeError as err:
            print(f"    [guest-libc] {name}: FAIL: {err}")
            totals["guest-libc"][1] += 1
            continue
        try:
            _run([CC, *HOST_CFLAGS, "-o", host_exe, source], verbose)
        except RuntimeError as err:
            print(f"    [glibc] {name}: FAIL: {err}")
            totals["glibc"][1] += 1
            continue
        outputs = {}
        for target, exe in (("guest-libc", guest_exe), ("glibc", host_exe)):
            with native_scratch("libc-test-") as tmp:
                _show([exe], verbose)
                status, output = _run_test_binary(exe, tmp)
            outputs[target] = output
            passed, failed = _count(name, target, status, output)
            more_passed, more_failed = _run_modes(name, target, exe, output,
                                                  verbose)
            totals[target][0] += passed + more_passed
            totals[target][1] += failed + more_failed
        ours = _compared_lines(outputs["guest-libc"])
        theirs = _compared_lines(outputs["glibc"])
        same = sum(1 for a, b in zip(ours, theirs) if a == b)
        different = max(len(ours), len(theirs)) - same
        for a, b in zip(ours, theirs):
            if a != b:
                print(f"    [compare] {name}: FAIL: guest-libc {a!r} "
                      f"vs glibc {b!r}")
        if len(ours) != len(theirs):
            print(f"    [compare] {name}: FAIL: {len(ours)} compared lines "
                  f"vs {len(theirs)} under glibc")
        totals["guest-libc"][0] += same
        totals["guest-libc"][1] += different
    for target, (passed, failed) in totals.items():
        print(f"libc tests [{target}]: {passed} passed, {failed} failed")
    return (sum(t[0] for t in totals.values()),
            sum(t[1] for t in totals.values()))


if __name__ == "__main__":
    import sys
    here = Path(__file__).resolve().parent.parent
    p, f = run_native_libc_tests(here, "-q" not in sys.argv)
    print(f"{p} passed, {f} failed")
    sys.exit(1 if f else 0)
