"""Building guest C programs: musl, static, with libspawn as posix_spawn.

Guest C programs are ordinary static musl programs (Debian's musl-tools
and musl-dev; tools.prereq installs them), built with `musl-gcc -static`.
Three things make them guest programs:

- libspawn's `spawn.h` comes before musl's own (`-I`, searched before the
  specs file's `-isystem`), and libspawn's guest library (the spawn-c
  crate: every `posix_spawn*` function, `posix_spawn` itself over the
  kernel's spawn call; made one object that defines nothing else, see
  spawn_library) is linked before musl's libc.a, so libspawn provides
  every `posix_spawn*` symbol;
- the support library (userland/support: `system`, `popen`, `pclose`
  over libspawn's objects, the `sched_*` calls musl leaves ENOSYS, and
  <shim/syscall.h> with the project's own call numbers) is
  linked before both;
- no object of musl's libc.a that uses musl's spawn objects is linked:
  every link writes a map (`-Wl,-Map=OUT.map`) and `check_link_map`
  reads it (docs/porting.md: why the objects' sizes make that matter).

    compile_program(sources, out, extra_cflags, quiet)
    check_link_map(map_path)                -> problems (empty when clean)
    build_utilities()                       -> {name: executable}
    build_shell()                           -> /bin/sh's executable
"""

from __future__ import annotations

import fnmatch
import re
import subprocess
from functools import cache
from pathlib import Path

from tools import prereq
from tools.cargo import cargo
from tools.command import StepFailed, run
from tools.paths import BARE_TARGET, BUILD_DIR, ROOT, bare_dir

#: The compiler driver: gcc with musl's headers, start files and libc.a.
CC = "musl-gcc"
#: libspawn's C header (spawn.h).
SPAWN_INCLUDE = ROOT / "libspawn" / "include"
#: The support library's sources and headers.
SUPPORT_DIR = ROOT / "userland" / "support"
SUPPORT_BUILD_DIR = BUILD_DIR / "support"
#: The support library's archive, in SUPPORT_BUILD_DIR.
SUPPORT_ARCHIVE = "libshim_support.a"
#: The guest utilities (userland/utils/*.c), installed in /bin of every boot.
UTILS_DIR = ROOT / "userland" / "utils"
UTILS_BUILD_DIR = BUILD_DIR / "utils"
#: The shell (userland/sh/*.c, one program), installed as /bin/sh.
SHELL_DIR = ROOT / "userland" / "sh"
SHELL_BUILD = BUILD_DIR / "sh" / "sh"
#: Warnings the utilities, the shell and the support library are held to.
WARNING_FLAGS = ["-std=gnu11", "-Wall", "-Wextra", "-Werror"]
#: Flags of every guest link. --gc-sections drops the unused parts of
#: libspawn's archive; the map is what check_link_map reads.
LINK_FLAGS = ["-static", "-Wl,--gc-sections", "-Wl,--build-id=none",
              "-Wl,-z,noexecstack"]
#: Where libspawn's guest library goes as one object (spawn_library).
SPAWN_OBJECT = SUPPORT_BUILD_DIR / "libspawn-guest.o"
#: The only symbols the guest object may define for the program.
SPAWN_EXPORT = "posix_spawn*"


@cache
def spawn_library() -> Path:
    """libspawn's C entry points plus posix_spawn, built for the guest
    (once per x.py run), as one relocatable object that defines nothing
    but the posix_spawn* functions.

    The Rust archive (spawn-c) also carries Rust's compiler_builtins,
    which define C names of their own (memcpy, strlen, exp, atan2, ...)
    built for the kernel's soft-float target: linked before musl's
    libc.a, they would take the place of musl's and return garbage for
    floating-point calls. So the archive is merged (`ld -r`) and every
    symbol but SPAWN_EXPORT made local (`objcopy`); its debug information
    is dropped. Raises StepFailed if anything else stays global."""
    cargo("build", "--release", "--target", BARE_TARGET, "-p", "spawn-c")
    archive = bare_dir() / "libspawn.a"
    if stale(SPAWN_OBJECT, [archive, Path(__file__)]):
        SUPPORT_BUILD_DIR.mkdir(parents=True, exist_ok=True)
        merged = SUPPORT_BUILD_DIR / "libspawn-merged.o"
        run(["ld", "-r", "--whole-archive", archive, "-o", merged])
        run(["objcopy", "--strip-debug", "--wildcard",
             f"--keep-global-symbol={SPAWN_EXPORT}", merged, SPAWN_OBJECT])
        merged.unlink()
    extra = [name for name in exported_symbols(SPAWN_OBJECT)
             if not fnmatch.fnmatchcase(name, SPAWN_EXPORT)]
    if extra:
        SPAWN_OBJECT.unlink()
        raise StepFailed(f"{SPAWN_OBJECT} would define C names besides "
                         f"{SPAWN_EXPORT}: {' '.join(extra)}")
    return SPAWN_OBJECT


def exported_symbols(obj: Path) -> list[str]:
    """The global and weak symbols `obj` defines (readelf: GNU nm cannot
    read the Rust objects' LLVM sections)."""
    table = subprocess.run(["readelf", "-sW", obj], capture_output=True,
                           text=True, check=True).stdout
    names = []
    for line in table.splitlines():
        fields = line.split()
        # Num: Value Size Type Bind Vis Ndx Name
        if (len(fields) >= 8 and fields[4] in ("GLOBAL", "WEAK")
                and fields[6] != "UND"):
            names.append(fields[7])
    return sorted(set(names))


def stale(out: Path, inputs: list[Path]) -> bool:
    """True when `out` is missing or older than any of `inputs`."""
    if not out.exists():
        return True
    built = out.stat().st_mtime
    return any(Path(path).stat().st_mtime > built for path in inputs)


@cache
def support_library() -> Path:
    """Compiles userland/support into build/support/libshim_support.a
    (when a source is newer); returns its path. Once per x.py run."""
    prereq.require_musl()
    archive = SUPPORT_BUILD_DIR / SUPPORT_ARCHIVE
    sources = sorted((SUPPORT_DIR / "src").glob("*.c"))
    headers = sorted((SUPPORT_DIR / "include").rglob("*.h"))
    if not stale(archive, [*sources, *headers, Path(__file__)]):
        return archive
    SUPPORT_BUILD_DIR.mkdir(parents=True, exist_ok=True)
    objects = []
    for source in sources:
        obj = SUPPORT_BUILD_DIR / (source.stem + ".o")
        run([CC, *WARNING_FLAGS, "-O2", *include_flags(), "-c", source,
             "-o", obj])
        objects.append(obj)
    archive.unlink(missing_ok=True)
    run(["ar", "rcs", archive, *objects])
    return archive


def include_flags() -> list[str]:
    """libspawn's spawn.h and the support headers, before musl's."""
    return ["-I", str(SPAWN_INCLUDE), "-I", str(SUPPORT_DIR / "include")]


def compile_program(sources: list[Path], out: Path,
                    extra_cflags: list[str] | None = None,
                    quiet: bool = False) -> None:
    """Compiles and links a guest C program, then checks its link map;
    raises StepFailed (a RuntimeError) when musl-gcc fails (after its
    messages; none when `quiet`, for a probe that may fail) or when a musl
    spawn object was linked.

    Link order: the program, the support library, libspawn's library, then
    (added by musl-gcc) musl's libc.a.
    """
    support = support_library()
    spawn = spawn_library()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    link_map = out.with_name(out.name + ".map")
    run([CC, "-O2", *(extra_cflags or []), *include_flags(), *LINK_FLAGS,
         f"-Wl,-Map={link_map}", "-o", out,
         *sources, support, spawn], capture_output=quiet)
    problems = check_link_map(link_map)
    if problems:
        out.unlink(missing_ok=True)
        raise StepFailed(f"{out}: musl's spawn objects were linked "
                         f"({link_map}):\n  " + "\n  ".join(problems))


#: The name of musl's C library archive, as the link map shows it.
MUSL_ARCHIVE = "libc.a"
#: Objects of musl's libc.a that may never be linked whatever they
#: reference: they replace what the support library provides.
FORBIDDEN_MEMBERS = {"system", "popen", "pclose"}
#: A spawn symbol: musl's objects that define or use one work on musl's
#: 80-byte objects.
SPAWN_SYMBOL = re.compile(r"^(__)?posix_spawn")


@cache
def forbidden_members(archive: Path) -> frozenset[str]:
    """The members of musl's libc.a that must not be linked: those that
    define or reference a posix_spawn* symbol, and FORBIDDEN_MEMBERS."""
    listing = subprocess.run(["nm", "-A", archive], capture_output=True,
                             text=True, check=True).stdout
    members = set()
    for line in listing.splitlines():
        # "/path/libc.a:member.lo:0000000000000000 T name" or "... U name"
        location, _, symbol = line.rpartition(" ")
        if not SPAWN_SYMBOL.match(symbol):
            continue
        member = location.split(":")[1] if location.count(":") >= 2 else ""
        if member:
            members.add(member)
    for stem in FORBIDDEN_MEMBERS:
        members.update({stem + ".lo", stem + ".o"})
    return frozenset(members)


#: A line of the map's archive section: "/path/libc.a(member.lo)".
MAP_MEMBER = re.compile(r"^(\S+\.a)\(([^)]+)\)")


#: The map's section after the list of archive members.
MAP_NEXT_SECTIONS = ("Discarded input sections", "Allocating common symbols",
                     "Memory Configuration")


def linked_members(map_text: str) -> list[tuple[str, str]]:
    """(archive, member) for every archive member the map says was linked:
    the lines of its first section ("Archive member included to satisfy
    reference by file") that start with "ARCHIVE.a(MEMBER)"."""
    members = []
    for line in map_text.splitlines():
        if line.startswith(MAP_NEXT_SECTIONS):
            break
        match = MAP_MEMBER.match(line)
        if match:
            members.append((match.group(1), match.group(2)))
    return members


def check_link_map(link_map: Path) -> list[str]:
    """Problems of a guest link: every object of musl's libc.a (the
    archive named libc.a in the map) that uses musl's spawn objects (see
    forbidden_members). Empty when the link is clean."""
    problems = []
    for archive, member in linked_members(link_map.read_text()):
        path = Path(archive)
        if path.name == MUSL_ARCHIVE and member in forbidden_members(path):
            problems.append(f"{archive}({member}) is musl's, not libspawn's")
    return problems


def utility_names() -> set[str]:
    """The programs of userland/utils, which every boot has in /bin."""
    return {path.stem for path in UTILS_DIR.glob("*.c")}


def build_utilities() -> dict[str, Path]:
    """Builds the guest utilities; returns {program name: executable}."""
    built = {}
    inputs = [support_library(), spawn_library(), Path(__file__)]
    for source in sorted(UTILS_DIR.glob("*.c")):
        out = UTILS_BUILD_DIR / source.stem
        if stale(out, [source, *inputs]):
            compile_program([source], out, WARNING_FLAGS)
        built[source.stem] = out
    return built


def build_shell() -> Path:
    """Builds /bin/sh from userland/sh (when a source is newer); returns
    the executable."""
    sources = sorted(SHELL_DIR.glob("*.c"))
    inputs = [*sources, *SHELL_DIR.glob("*.h"), support_library(),
              spawn_library(), Path(__file__)]
    if stale(SHELL_BUILD, inputs):
        compile_program(sources, SHELL_BUILD, WARNING_FLAGS)
    return SHELL_BUILD
