"""`x.py run [FILE.c [ARG...]]` and `x.py qemu [--gdb]`: booting by hand."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from tools import qemu
from tools.abi import KERNEL_CMDLINE_MAX, QEMU_EXIT_SUCCESS
from tools.build import build_guest, compile_guest_c
from tools.cargo import guest_binaries
from tools.command import StepFailed
from tools.initrd import BIN_PREFIX
from tools.musl import utility_names
from tools.paths import BUILD_DIR, KERNEL_LOG
from tools.transcript import parse_run_result

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


def run_c_file(source: Path, program_args: list[str],
               timeout: float | None = None) -> int:
    """`x.py run FILE.c`: runs the program in the guest, with its status."""
    if not source.is_file():
        raise StepFailed(f"{source}: no such file", 2)
    name = source.stem
    if not PROGRAM_NAME.match(name):
        raise StepFailed(f"{source}: the program name {name!r} must be "
                         "letters, digits, '_', '.' or '-'", 2)
    if name in guest_binaries() or name in utility_names():
        raise StepFailed(f"{source}: /bin/{name} is one of the system's own "
                         "programs; rename the file", 2)
    out = BUILD_DIR / "run" / name
    try:
        compile_guest_c([source], out)
    except RuntimeError as error:  # gcc said why, above
        raise StepFailed(f"{source}: the compiler or linker failed (its "
                         "messages are above). Guest programs are static musl "
                         "programs with libspawn's spawn.h: userland/README.md."
                         ) from error
    kernel = build_guest({BIN_PREFIX + name: out.read_bytes()})
    cmdline = run_cmdline(name, program_args)
    limit = qemu.DEFAULT_TIMEOUT_SECONDS if timeout is None else timeout

    def show(line: str) -> None:
        if parse_run_result(line) is None:
            sys.stdout.write(line)
            sys.stdout.flush()

    boot = qemu.launch(qemu.command(kernel, cmdline), timeout=limit,
                       on_line=show)
    result = parse_run_result(boot.text)
    if result is None and boot.timed_out:
        print(f"x.py: {name} did not finish within {limit:g} s; QEMU was "
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
