"""`x.py run [FILE [ARG...]]` and `x.py qemu [--gdb]`: booting by hand."""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import struct
import sys
from pathlib import Path

from tools import initrd, musl, prereq, qemu
from tools.abi import KERNEL_CMDLINE_MAX, QEMU_EXIT_SUCCESS
from tools.build import build_guest, compile_guest_c, guest_up_to_date
from tools.command import StepFailed
from tools.initrd import InitrdFile
from tools.relay import Relay
from tools.paths import BUILD_DIR, KERNEL_LOG, KERNEL_PACKAGE, bare_dir
from tools.transcript import parse_run_result

#: The initrd of `x.py run FILE`: RUN_BASE plus the program (and input).
RUN_INITRD = BUILD_DIR / "run-initrd.cpio"
#: What every `x.py run FILE` boot has; rebuilt only when stale.
RUN_BASE = BUILD_DIR / "run-base.cpio"
#: The kernel every boot runs.
KERNEL = bare_dir() / KERNEL_PACKAGE
#: Mode of the standard-input file: a regular file, rw-r--r--.
INPUT_MODE = 0o100644
#: The program `x.py run` (and `init demo`) shows.
DEMO_PROGRAM = "demo"
#: Where `x.py run FILE.c` starts the program (the issue's contract).
RUN_CWD = "/tmp"
#: `x.py run`'s exit status when the program ran out of time (the value
#: timeout(1) uses).
RUN_TIMEOUT_STATUS = 124
#: The exit status for a program killed by signal N is this plus N.
SIGNAL_STATUS_BASE = 128
PROGRAM_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
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


def run_cmdline(name: str, args: list[str], cwd: str = RUN_CWD) -> str:
    """The kernel command line of `init run NAME ARGS...` in `cwd`; raises
    StepFailed (status 2) when it does not fit the kernel's limit."""
    cmdline = " ".join([f"cwd={cwd}", "run", name, *map(encode_arg, args)])
    if len(cmdline.encode()) >= KERNEL_CMDLINE_MAX:
        raise StepFailed(f"the arguments take {len(cmdline.encode())} bytes "
                         "on the kernel command line once encoded; the "
                         f"kernel keeps {KERNEL_CMDLINE_MAX - 1}", 2)
    return cmdline


#: Where `x.py run FILE` installs the user's program: a directory of its
#: own, so any name works (/bin holds the system's programs).
USER_BIN = "/usr/local/bin/"
#: The initrd file init gives the program as standard input
#: (userland/progs/src/bin/init.rs, `RUN_STDIN`).
STDIN_FILE = "run/stdin"
#: Most standard input `x.py run` forwards: the file lives in the kernel's
#: 64 MiB heap with everything else in the ramfs.
MAX_STDIN_BYTES = 16 << 20
#: Where compiled programs are kept, by the hash of what made them.
CACHE_DIR = BUILD_DIR / "run"
#: The start of an ELF file, and the header fields a static x86_64
#: executable has (ELFCLASS64, little-endian, ET_EXEC, EM_X86_64).
ELF_MAGIC = b"\x7fELF"
ELFCLASS64 = 2
ELFDATA2LSB = 1
ET_EXEC = 2
EM_X86_64 = 62
PT_INTERP = 3
#: The host stream that travels over a UART (COM3, `/dev/hosterr`): the
#: chardev's id and the host descriptor it writes.
ERR_STREAM = ("hosterr", 2)
#: COM3's index among QEMU's ISA serial ports (0x3e8).
ERR_SERIAL_INDEX = 2
#: x.py's standard output, where the relay copies the guest's.
OUT_FD = 1
#: The chardev of the guest's standard output (`/dev/hostout`).
OUT_CHARDEV = "hostout"
#: A virtio console for the guest's standard output: a virtio-serial device
#: on the first free virtio-mmio transport of microvm, its port 0 a
#: console; microvm does not add `virtio_mmio.device=...` to the kernel
#: command line (init takes every word of it as an argument).
VIRTIO_CONSOLE_FLAGS = ["-machine", "auto-kernel-cmdline=off",
                        "-device", "virtio-serial-device",
                        "-device", f"virtconsole,chardev={OUT_CHARDEV}"]


def elf_problem(data: bytes) -> str | None:
    """None when `data` is a static x86_64 executable the kernel can run
    as is (qemu/README.md, "What guest programs must look like"); else
    what it is instead."""
    if len(data) < 64 or not data.startswith(ELF_MAGIC):
        return "not an ELF file"
    if data[4] != ELFCLASS64 or data[5] != ELFDATA2LSB:
        return "not a 64-bit little-endian ELF file"
    e_type, e_machine = struct.unpack_from("<HH", data, 16)
    if e_machine != EM_X86_64:
        return f"an ELF file for machine {e_machine}, not x86_64"
    if e_type != ET_EXEC:
        return ("a position-independent or shared object (ELF type "
                f"{e_type}); link it with -static -no-pie")
    phoff, = struct.unpack_from("<Q", data, 32)
    phentsize, phnum = struct.unpack_from("<HH", data, 54)
    for index in range(phnum):
        at = phoff + index * phentsize
        if at + 4 <= len(data) and struct.unpack_from("<I", data, at)[0] == PT_INTERP:
            return "a dynamically linked executable; link it with -static"
    return None


def guest_base() -> Path:
    """The initrd of every `x.py run` boot without the program
    (build/run-base.cpio), and libspawn's guest library, built only when
    an input is newer than them."""
    if not guest_up_to_date(RUN_BASE):
        prereq.require_rust()
        musl.spawn_library()
        musl.support_library()
        build_guest(out=RUN_BASE)
    return RUN_BASE


def compiled(source: Path) -> Path:
    """The guest executable of the C file `source`, compiled once per
    content: the cache key is the hash of the source, the support library
    and libspawn's guest object (tools.musl; both built by guest_base)."""
    guest_base()
    libraries = [musl.SPAWN_OBJECT, musl.SUPPORT_BUILD_DIR / musl.SUPPORT_ARCHIVE]
    if not all(library.exists() for library in libraries):
        libraries = [musl.spawn_library(), musl.support_library()]
    digest = hashlib.sha256(source.read_bytes())
    for library in libraries:
        digest.update(library.read_bytes())
    out = CACHE_DIR / f"{source.stem}-{digest.hexdigest()[:16]}"
    if out.exists():
        return out
    partial = out.with_suffix(".partial")
    try:
        compile_guest_c([source], partial)
    except RuntimeError as error:  # gcc said why, above
        raise StepFailed(f"{source}: the compiler or linker failed (its "
                         "messages are above). Guest programs are static musl "
                         "programs with libspawn's spawn.h: userland/README.md."
                         ) from error
    partial.replace(out)
    return out


def host_input() -> bytes | None:
    """The host's standard input, in full, when it is a file or a pipe;
    None for a terminal or no standard input (the program reads
    /dev/null)."""
    try:
        if os.isatty(0):
            return None
        data = bytearray()
        while chunk := os.read(0, 1 << 20):
            data += chunk
            if len(data) > MAX_STDIN_BYTES:
                raise StepFailed("standard input is larger than "
                                 f"{MAX_STDIN_BYTES >> 20} MiB, the most "
                                 "x.py run forwards", 2)
        return bytes(data)
    except OSError:  # closed or unreadable: no input
        return None


def stream_flags(out_path: str, err_fd: int) -> list[str]:
    """QEMU flags for the host streams: standard output appended to
    `out_path` (the relay's file, tools/relay.py) over the virtio console;
    standard error over COM3 to `err_fd` (a copy of 2 that QEMU inherits).
    A descriptor open for writing only is handed over as is (`-add-fd`,
    the file description x.py's own output uses); QEMU's fd sets refuse one
    open for reading too (a terminal, /dev/null), which QEMU opens again by
    its /proc/self/fd path instead."""
    flags = ["-chardev", f"file,id={OUT_CHARDEV},path={out_path},append=on",
             *VIRTIO_CONSOLE_FLAGS]
    if fcntl.fcntl(err_fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_WRONLY:
        flags += ["-add-fd", f"fd={err_fd},set={err_fd}"]
        path = f"/dev/fdset/{err_fd}"
    else:
        path = f"/proc/self/fd/{err_fd}"
    name = ERR_STREAM[0]
    return flags + ["-chardev", f"file,id={name},path={path},append=on",
                    "-device", f"isa-serial,chardev={name},"
                    f"index={ERR_SERIAL_INDEX}"]


def run_file(path: Path, program_args: list[str],
             timeout: float | None = None) -> int:
    """`x.py run FILE`: runs a C source file or a static x86_64 executable
    in the guest as /usr/local/bin/NAME, with the host's standard streams;
    returns its status (128 + N when signal N killed it, 124 on timeout)."""
    if not path.is_file():
        raise StepFailed(f"{path}: no such file", 2)
    name = path.stem if path.suffix == ".c" else path.name
    if not PROGRAM_NAME.match(name):
        raise StepFailed(f"{path}: the program name {name!r} must be "
                         "letters, digits, '_', '.' or '-'", 2)
    head = path.read_bytes()[:4]
    if head == ELF_MAGIC:
        problem = elf_problem(path.read_bytes())
        if problem is not None:
            raise StepFailed(f"{path}: {problem}; x.py run takes C source "
                             "(FILE.c) or a static x86_64 executable", 2)
        program = path
    elif path.suffix == ".c":
        program = compiled(path)
    else:
        raise StepFailed(f"{path}: neither C source (a .c file) nor an ELF "
                         "executable; x.py run takes C source or a static "
                         "x86_64 executable", 2)
    cmdline = run_cmdline(USER_BIN + name, program_args)
    files: dict[str, bytes | Path | InitrdFile] = {
        USER_BIN.lstrip("/") + name: program}
    data = host_input()
    if data is not None:
        files[STDIN_FILE] = InitrdFile(data, mode=INPUT_MODE)
    RUN_INITRD.write_bytes(initrd.extend(guest_base().read_bytes(), files))
    sys.stdout.flush()
    sys.stderr.flush()
    err_fd = os.dup(ERR_STREAM[1])
    relay = Relay(OUT_FD)
    relay.start()
    try:
        boot = qemu.launch(qemu.command(KERNEL, cmdline, initrd=RUN_INITRD)
                           + stream_flags(relay.path, err_fd),
                           timeout=timeout, pass_fds=(err_fd, relay.fd))
    except BaseException:  # SIGINT or SIGTERM: x.py stops, QEMU is gone
        relay.abandon()
        raise
    finally:
        os.close(err_fd)
    relay.finish()
    result = parse_run_result(boot.text)
    if result is None and boot.timed_out:
        print(f"x.py: {name} did not finish within {timeout:g} s; QEMU was "
              "stopped", file=sys.stderr)
        return RUN_TIMEOUT_STATUS
    if result is None:
        raise StepFailed(f"the guest ended (QEMU exit code {boot.code})"
                         f" without reporting {name}'s status; kernel log: "
                         f"{KERNEL_LOG}")
    _, kind, value = result
    if kind == "exited":
        return int(value)
    if kind == "signaled":
        print(f"x.py: {name} was killed by signal {value}", file=sys.stderr)
        return SIGNAL_STATUS_BASE + int(value)
    raise StepFailed(f"{name}: {kind} ({value})")


def run_demo() -> int:
    """`x.py run`: boots the demo; 0 when QEMU reports success."""
    kernel = build_guest()
    boot = qemu.launch(qemu.command(kernel, DEMO_PROGRAM),
                       timeout=qemu.DEFAULT_TIMEOUT_SECONDS,
                       on_line=lambda line: print(line, end="", flush=True))
    if boot.timed_out:
        print(f"QEMU was stopped after {boot.seconds:.2f} s")
        return 1
    print(f"QEMU exited with {boot.code} after {boot.seconds:.2f} s")
    return 0 if boot.code == QEMU_EXIT_SUCCESS else (boot.code or 1)


def qemu_by_hand(gdb: bool) -> int:
    """`x.py qemu [--gdb]`: the demo with the terminal attached; with gdb,
    QEMU waits for a debugger on :1234 and has no time limit."""
    kernel = build_guest()
    if gdb:
        print(f"QEMU waits for gdb: gdb {kernel} -ex 'target remote :1234'")
    boot = qemu.launch(qemu.command(kernel, DEMO_PROGRAM, gdb=gdb),
                       timeout=None if gdb else qemu.DEFAULT_TIMEOUT_SECONDS,
                       interactive=True)
    if boot.timed_out:
        print(f"QEMU was stopped after {boot.seconds:.0f} s")
        return 1
    return boot.code
