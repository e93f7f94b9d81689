"""The output of `x.py test`: everything to a log file, the essentials to
the console.

A whole run prints over a thousand lines (every command, every check, the
guest's transcript). Inside `TestLog`, file descriptors 1 and 2 of x.py
(and so of every program it starts) point into a pipe that a thread reads:
every byte goes to the log file, and the console gets only the lines that
matter, which are

- lines that start with CONSOLE_PREFIX (stage results, where the log is);
- lines that say FAIL (every failure report in the project says FAIL or
  FAILED), which are also kept in `failures` for the summary.

With `show_all`, the console gets everything, as before. If the console
goes away mid-run (a reader that stops reading closes the pipe), the run
carries on into the log and still ends with the right exit status.
Standard library only.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

#: Lines that start with this always reach the console.
CONSOLE_PREFIX = "x.py test:"
#: Bytes read from the pipe at a time.
CHUNK_BYTES = 65536
#: How long to wait for the reader once the run is over; a program that
#: outlived the run and still holds the pipe must not hang x.py.
READER_JOIN_SECONDS = 10


def wanted_on_console(line: str) -> bool:
    """Whether a line of output reaches the console without `show_all`."""
    return line.startswith(CONSOLE_PREFIX) or "FAIL" in line


class TestLog:
    """Context manager: see the module documentation."""

    def __init__(self, log_path: Path, show_all: bool):
        self.log_path = Path(log_path)
        self.show_all = show_all
        self.failures: list[str] = []
        self._console: int | None = None
        self._saved: tuple[int, int] | None = None
        self._reader: threading.Thread | None = None
        self._log = None

    # -- the pipe's reader ----------------------------------------------

    def _pump(self, read_end: int) -> None:
        partial = b""
        while True:
            chunk = os.read(read_end, CHUNK_BYTES)
            if not chunk:
                break
            self._log.write(chunk)
            self._log.flush()
            partial += chunk
            *lines, partial = partial.split(b"\n")
            for line in lines:
                self._line(line)
        if partial:
            self._line(partial)
        os.close(read_end)

    def _line(self, raw: bytes) -> None:
        text = raw.decode(errors="replace").rstrip("\r")
        if "FAIL" in text:
            self.failures.append(text)
        if self.show_all or wanted_on_console(text):
            self.to_console(raw + b"\n")

    def to_console(self, data: bytes) -> None:
        """Writes to the real console; a console that has gone is dropped."""
        while data and self._console is not None:
            try:
                written = os.write(self._console, data)
            except InterruptedError:
                continue
            except OSError:
                self._console = None  # nobody reads any more: keep testing
                return
            data = data[written:]

    # -- entering and leaving ---------------------------------------------

    def __enter__(self) -> "TestLog":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "wb")
        sys.stdout.flush()
        sys.stderr.flush()
        self._console = os.dup(1)
        self._saved = (os.dup(1), os.dup(2))
        read_end, write_end = os.pipe()
        os.dup2(write_end, 1)
        os.dup2(write_end, 2)
        os.close(write_end)
        # Python's own output interleaves with its children's line by line.
        sys.stdout.reconfigure(line_buffering=True)
        self._reader = threading.Thread(target=self._pump, args=(read_end,),
                                        name="test-log", daemon=True)
        self._reader.start()
        return self

    def __exit__(self, *exc_info) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        saved_out, saved_err = self._saved
        # Putting the saved descriptors back closes the pipe's last write
        # ends in this process: the reader sees end of file.
        os.dup2(saved_out, 1)
        os.dup2(saved_err, 2)
        os.close(saved_out)
        os.close(saved_err)
        self._reader.join(READER_JOIN_SECONDS)
        self._log.close()
        if self._console is not None:
            os.close(self._console)
            self._console = None

    def append_to_log(self, text: str) -> None:
        """Adds text to the log after the run (the closing lines)."""
        with open(self.log_path, "a", encoding="utf-8") as log:
            log.write(text)
