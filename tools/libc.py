"""Building the guest C library and C programs against it.

The guest C library (userland/libc) is a small static libc over the Linux
x86_64 system-call ABI, which kernel-shim implements. Because the ABI is
Linux's, every program built here also runs natively on a Linux x86_64
host (tests/libc_native.py runs the library's own tests that way).

    build_libc()                                  -> build/libc/libc.a (+ crt0.o)
    compile_program(sources, out, extra_objects, extra_cflags)
    build_utilities()                             -> {name: executable}

Guest programs are static, non-PIE ELF64 executables whose image starts at
GUEST_LINK_ADDRESS (tools.abi.guest_link_address, read from the Rust source),
entered at _start.

Header search order for a guest program: userland/libc/include, then
libspawn/include (spawn.h), then the compiler's own freestanding headers
(float.h, stdalign.h, ...; the library provides its own stddef.h, stdint.h,
stdarg.h, stdbool.h and limits.h, which come first).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tools.abi import guest_link_address
from tools.command import run
from tools.paths import BUILD_DIR, ROOT

LIBC_SOURCE_DIR = ROOT / "userland" / "libc"
#: Where the library (libc.a, crt0.o) is built.
LIBC_BUILD_DIR = BUILD_DIR / "libc"
#: The guest utilities (userland/utils/*.c), installed in /bin of every boot.
UTILS_DIR = ROOT / "userland" / "utils"
UTILS_BUILD_DIR = BUILD_DIR / "utils"

# Flags for compiling a guest C program (include paths come from
# include_flags): ordinary gcc code generation, with no stack-protector
# canary (it would read %fs, and guests have no TLS) and no PIE.
LIBC_CFLAGS = ["-O2", "-fno-stack-protector", "-fno-pie", "-nostdinc"]

# Flags for linking a guest program; the link address is added by
# link_flags from the Rust side's GUEST_LINK_ADDRESS.
LIBC_LDFLAGS = ["-static", "-nostdlib", "-no-pie", "-Wl,-z,noexecstack",
                "-Wl,--build-id=none", "-Wl,--gc-sections"]

# Flags for compiling the library itself: warnings are errors, and the
# compiler must not turn the mem*/str* loops into calls to themselves.
LIBRARY_CFLAGS = ["-std=c11", "-O2", "-Wall", "-Wextra", "-Werror",
                  "-ffreestanding", "-fno-builtin", "-fno-stack-protector",
                  "-fno-pie", "-fno-tree-loop-distribute-patterns",
                  "-nostdinc"]

# Warnings the library's tests and the utilities are held to.
TEST_WARNING_FLAGS = ["-std=c11", "-Wall", "-Wextra", "-Werror"]

CC = os.environ.get("CC", "gcc")


def compiler_include_dir() -> str:
    """The compiler's freestanding header directory (float.h and friends)."""
    out = subprocess.run([CC, "-print-file-name=include"],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def include_flags() -> list[str]:
    """Header search path for guest programs, in order."""
    return ["-isystem", str(LIBC_SOURCE_DIR / "include"),
            "-isystem", str(ROOT / "libspawn" / "include"),
            "-isystem", compiler_include_dir()]


def link_flags() -> list[str]:
    return LIBC_LDFLAGS + [f"-Wl,-Ttext-segment={guest_link_address():#x}"]


def _newest_input() -> float:
    files = [p for p in LIBC_SOURCE_DIR.rglob("*") if p.is_file()]
    files.append(Path(__file__))
    return max(p.stat().st_mtime for p in files)


def build_libc() -> Path:
    """Compiles the library into build/libc/libc.a and crt0.o.

    Does nothing when both are newer than every library source and header.
    Returns the path of libc.a.
    """
    archive = LIBC_BUILD_DIR / "libc.a"
    crt0 = LIBC_BUILD_DIR / "crt0.o"
    if (archive.exists() and crt0.exists()
            and min(archive.stat().st_mtime, crt0.stat().st_mtime)
            > _newest_input()):
        return archive

    obj_dir = LIBC_BUILD_DIR / "obj"
    obj_dir.mkdir(parents=True, exist_ok=True)
    include = ["-isystem", str(LIBC_SOURCE_DIR / "include")]
    run([CC, *LIBRARY_CFLAGS, *include, "-c",
         LIBC_SOURCE_DIR / "src" / "crt0.S", "-o", crt0])
    objects = []
    for source in sorted((LIBC_SOURCE_DIR / "src").glob("*.c")):
        obj = obj_dir / (source.stem + ".o")
        run([CC, *LIBRARY_CFLAGS, *include, "-c", source, "-o", obj])
        objects.append(obj)
    if archive.exists():
        archive.unlink()
    run(["ar", "rcs", archive, *objects])
    return archive


def compile_program(sources: list[Path], out: Path,
                    extra_objects: list[Path],
                    extra_cflags: list[str] | None = None,
                    quiet: bool = False) -> None:
    """Compiles and links a guest C program against the library; raises
    StepFailed (a RuntimeError) when gcc fails, after its messages (none
    when `quiet`: a probe that is expected to fail sometimes).

    extra_cflags (such as warning flags) go after LIBC_CFLAGS.

    Link order: crt0.o, the program, then libc.a and extra_objects (such as
    libspawn's static library) in one group so they may call each other,
    then libgcc for the compiler's helper routines.
    """
    archive = build_libc()
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    run([CC, *LIBC_CFLAGS, *(extra_cflags or []), *include_flags(),
         *link_flags(),
         "-o", out, LIBC_BUILD_DIR / "crt0.o", *sources,
         "-Wl,--start-group", archive, *extra_objects, "-Wl,--end-group",
         "-lgcc"], capture_output=quiet)


def stale(out: Path, inputs: list[Path]) -> bool:
    """True when `out` is missing or older than any of `inputs`."""
    if not out.exists():
        return True
    built = out.stat().st_mtime
    return any(Path(path).stat().st_mtime > built for path in inputs)


def utility_names() -> set[str]:
    """The programs of userland/utils, which every boot has in /bin."""
    return {path.stem for path in UTILS_DIR.glob("*.c")}


def build_utilities() -> dict[str, Path]:
    """Builds the guest utilities; returns {program name: executable}."""
    libc = build_libc()
    built = {}
    for source in sorted(UTILS_DIR.glob("*.c")):
        out = UTILS_BUILD_DIR / source.stem
        if stale(out, [source, libc, Path(__file__)]):
            compile_program([source], out, [], TEST_WARNING_FLAGS)
        built[source.stem] = out
    return built
