"""Guest tests built with musl's own toolchain: unmodified static musl
programs, to check that the kernel runs what `musl-gcc -static` and
`musl-gcc -static-pie` produce where they put it (the address-space
layout, the auxiliary vector, TLS).

    build() -> (initrd files, test names)

Each tests/guest_musl/t_musl_NAME.c is built twice: /bin/t_musl_NAME_static
(a static executable at the linkers' default address 0x400000) and
/bin/t_musl_NAME_static_pie (a static PIE, compiled with -DPIE). musl-gcc comes
from Debian's musl-tools (tools.prereq.require_musl installs it).
"""

from __future__ import annotations

from pathlib import Path

from tools import prereq
from tools.command import run
from tools.initrd import BIN_PREFIX
from tools.musl import stale
from tools.paths import BUILD_DIR, ROOT

#: Where the programs are built.
OUT_DIR = BUILD_DIR / "guest_musl"
#: Their sources.
SOURCE_DIR = ROOT / "tests" / "guest_musl"
#: Where Debian's musl keeps its start files.
MUSL_LIB_DIR = Path("/usr/lib/x86_64-linux-musl")
#: Program name suffixes: a static executable and a static PIE.
STATIC, STATIC_PIE = "_static", "_static_pie"


def command(source: Path, out: Path, suffix: str) -> list[str | Path]:
    """The musl-gcc command that builds `source` as variant `suffix`.

    A static executable is plain `musl-gcc -static`. Debian's musl-gcc
    specs do not know `-static-pie` (they start with Scrt1.o, link libc.so
    and name ld-musl as interpreter), so a static PIE is linked as musl's
    own build does it: rcrt1.o (which relocates the program itself),
    `-static -pie --no-dynamic-linker`, and no interpreter.
    """
    if suffix == STATIC:
        return ["musl-gcc", *CFLAGS, "-static", "-o", out, source]

    def gcc_file(name: str) -> str:
        found = run(["musl-gcc", f"-print-file-name={name}"],
                    capture_output=True, text=True)
        return found.stdout.strip()

    return ["musl-gcc", *CFLAGS, "-fPIE", "-DPIE", "-static-pie",
            "-nostartfiles", "-Wl,-static,--no-dynamic-linker,-z,text",
            "-o", out, MUSL_LIB_DIR / "rcrt1.o", MUSL_LIB_DIR / "crti.o",
            gcc_file("crtbeginS.o"), source, gcc_file("crtendS.o"),
            MUSL_LIB_DIR / "crtn.o"]
#: Warnings the tests are held to.
CFLAGS = ["-std=gnu11", "-Wall", "-Wextra", "-Werror", "-O2"]
#: The prefix of every source name (and so of every program name).
SOURCE_PREFIX = "t_musl_"


def sources() -> list[Path]:
    """The test sources."""
    return sorted(SOURCE_DIR.glob(f"{SOURCE_PREFIX}*.c"))


def build() -> tuple[dict[str, Path], list[str]]:
    """Builds every musl guest test; returns their initrd entries and
    their names, sorted."""
    prereq.require_musl()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    for source in sources():
        for suffix in (STATIC, STATIC_PIE):
            name = f"{source.stem}{suffix}"
            out = OUT_DIR / name
            if stale(out, [source, Path(__file__)]):
                run(command(source, out, suffix))
            files[BIN_PREFIX + name] = out
    names = sorted(name.removeprefix(BIN_PREFIX) for name in files)
    return files, names
