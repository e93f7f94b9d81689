"""QEMU: the one command line (qemu/args plus kernel, initrd and command
line) and the one launcher, with a timeout, that every boot goes through:
`x.py run`, `x.py qemu`, the guest test stage, `x.py bench` and
`x.py fuzz guest`."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from tools.command import echo
from tools.paths import INITRD, KERNEL_LOG, QEMU_ARGS_FILE, ROOT

QEMU = "qemu-system-x86_64"
#: The flag whose `file:PATH` value is the kernel log (qemu/README.md).
DEBUGCON_FLAG = "-debugcon"
FILE_BACKEND = "file:"
#: Waits for gdb on :1234 before the first instruction.
GDB_FLAGS = ["-s", "-S"]
#: The bound of a boot whose caller sets none of its own (`x.py run`,
#: `x.py qemu` without --gdb): a boot that outlives it is stopped.
DEFAULT_TIMEOUT_SECONDS = 3600
#: Bytes read from QEMU's output at a time.
CHUNK_BYTES = 65536


def args_lines(args_file: Path = QEMU_ARGS_FILE) -> list[str]:
    """The lines of qemu/args that hold a flag (comments and blanks out)."""
    return [line.strip() for line in Path(args_file).read_text().splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def command(kernel: Path, cmdline: str, *, initrd: Path | None = INITRD,
            log: Path = KERNEL_LOG, gdb: bool = False,
            args_file: Path = QEMU_ARGS_FILE) -> list[str]:
    """The one QEMU command line: the flags of qemu/args (the debugcon log
    sent to `log`), then the kernel, the initrd (none: no -initrd) and the
    command line."""
    flat: list[str] = []
    for line in args_lines(args_file):
        flat.extend(line.split(None, 1) if line.startswith("-") else [line])
    for index, part in enumerate(flat):
        if (index > 0 and flat[index - 1] == DEBUGCON_FLAG
                and part.startswith(FILE_BACKEND)):
            flat[index] = f"{FILE_BACKEND}{log}"
    result = [QEMU, *flat, "-kernel", str(kernel)]
    if initrd is not None:
        result += ["-initrd", str(initrd)]
    result += ["-append", cmdline]
    return result + (GDB_FLAGS if gdb else [])


@dataclass
class Boot:
    """How one QEMU run went."""

    #: QEMU's exit status; None when the timeout stopped it.
    code: int | None
    #: Its standard output, line by line, each with its "\n" (the last one
    #: may lack it); carriage returns before "\n" are dropped.
    lines: list[str]
    #: Seconds from the start to the arrival of each line.
    times: list[float]
    #: Seconds from the start to QEMU's exit.
    seconds: float

    @property
    def timed_out(self) -> bool:
        return self.code is None

    @property
    def text(self) -> str:
        return "".join(self.lines)

    def first_time(self, prefix: str) -> float | None:
        """Seconds to the first line that starts with `prefix`, or None."""
        return next((when for line, when in zip(self.lines, self.times)
                     if line.startswith(prefix)), None)


def launch(cmd: list[str], *, timeout: float | None,
           on_line: Callable[[str], None] | None = None,
           interactive: bool = False,
           pass_fds: tuple[int, ...] = ()) -> Boot:
    """Runs QEMU (echoing the command) and stops it after `timeout`
    seconds. Its standard output is read line by line, each line handed to
    `on_line` as it arrives and kept in the result; standard input is
    empty. `interactive` leaves both standard input and output to the
    terminal instead (`x.py qemu`). A timeout of None, no bound, is for a
    session that waits on a debugger (`x.py qemu --gdb`) or a program
    allowed to run for ever (`x.py run` without --timeout). `pass_fds` are
    descriptors QEMU inherits (`x.py run`'s host streams). However the
    launch ends, an exception (x.py's SIGINT or SIGTERM) included, QEMU is
    not left running.
    """
    echo(cmd)
    lines: list[str] = []
    times: list[float] = []
    stopped = threading.Event()
    started = time.monotonic()

    def keep(raw: bytes) -> None:
        line = raw.decode(errors="replace").replace("\r\n", "\n")
        lines.append(line)
        times.append(time.monotonic() - started)
        if on_line is not None:
            on_line(line)

    with subprocess.Popen([str(part) for part in cmd], cwd=ROOT,
                          stdin=None if interactive else subprocess.DEVNULL,
                          stdout=None if interactive else subprocess.PIPE,
                          pass_fds=pass_fds) as qemu:
        def stop() -> None:
            if qemu.poll() is None:
                stopped.set()
                qemu.kill()

        watchdog = None if timeout is None else threading.Timer(timeout, stop)
        if watchdog is not None:
            watchdog.daemon = True
            watchdog.start()
        try:
            if qemu.stdout is not None:
                pending = b""
                while chunk := os.read(qemu.stdout.fileno(), CHUNK_BYTES):
                    *complete, pending = (pending + chunk).split(b"\n")
                    for raw in complete:
                        keep(raw + b"\n")
                if pending:
                    keep(pending)
            qemu.wait()
        finally:
            if watchdog is not None:
                watchdog.cancel()
            if qemu.poll() is None:  # interrupted: stop QEMU with x.py
                qemu.kill()
                qemu.wait()
    code = None if stopped.is_set() else qemu.returncode
    return Boot(code, lines, times, time.monotonic() - started)


#: The kernel's report of its longest interrupts-off stretch, written to
#: its log at power-off (kernel-shim/src/arch/irq_off.rs).
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


#: The kernel's report of its allocation-failure injection, written to its
#: log at power-off (kernel-shim/src/failslab.rs).
FAILSLAB_PREFIX = "[kernel] failslab: "


def failslab_report(log: Path) -> str | None:
    """The kernel's last failslab line in `log` ("N allocations, N failed
    on purpose, N sites reached, N sites failed"), or None."""
    if not log.exists():
        return None
    lines = [line for line in log.read_text(errors="replace").splitlines()
             if line.startswith(FAILSLAB_PREFIX)]
    return lines[-1].removeprefix(FAILSLAB_PREFIX) if lines else None
