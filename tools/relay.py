"""A relay from a growing in-memory file to a descriptor: how `x.py run`
passes the guest's standard output (the virtio console) to its own.

Why not hand QEMU x.py's descriptor, as for standard error: QEMU makes a
character device's descriptor non-blocking, and its virtio console drops
whatever a write does not take at once (a full pipe or terminal; QEMU's
`hw/char/virtio-console.c` says so: the UART waits and retries instead).
A regular file always takes everything, so QEMU appends to a memfd, and
this relay copies what arrives to the real destination, waiting for it as
long as it needs. What has been copied is punched out of the file, so it
holds only what is not yet passed on. The guest is not held back: what
a slow reader has not taken waits in memory.

    relay = Relay(out_fd)          # relay.path: what QEMU appends to
    relay.start()
    ... QEMU runs (inheriting relay.fd) ...
    relay.finish()                 # copies the rest, closes the file
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import select
import threading
import time

#: Most bytes copied per read.
CHUNK_BYTES = 1 << 20
#: Seconds between looks at the file while nothing new is in it.
IDLE_SECONDS = 0.002
#: fallocate(2) flags: free a range, keep the file's size.
FALLOC_FL_KEEP_SIZE = 0x01
FALLOC_FL_PUNCH_HOLE = 0x02
#: Holes are punched in whole pages.
PAGE_BYTES = 4096


def _fallocate():
    """libc's fallocate(2), or None where it cannot be had."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None,
                           use_errno=True)
        function = libc.fallocate
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_long,
                         ctypes.c_long]
    function.restype = ctypes.c_int
    return function


def write_all(fd: int, data: bytes) -> bool:
    """Writes all of `data` to `fd`, waiting while it is full (it may be
    non-blocking); False when the reader has gone (EPIPE) or it failed."""
    view = memoryview(data)
    while view:
        try:
            view = view[os.write(fd, view):]
        except BlockingIOError:
            select.select([], [fd], [])
        except OSError:  # EPIPE, or EIO from a terminal that hung up
            return False
    return True


class Relay:
    """Copies what is appended to an in-memory file to `out_fd`, on a
    thread of its own, until `finish`."""

    def __init__(self, out_fd: int) -> None:
        self.out_fd = out_fd
        self.fd = os.memfd_create("x.py-run-stdout", os.MFD_CLOEXEC)
        os.set_inheritable(self.fd, True)
        #: The file's name for QEMU, in QEMU's process (it inherits `fd`).
        self.path = f"/proc/self/fd/{self.fd}"
        self.copied = 0
        self._done = threading.Event()
        self._reader_gone = False
        self._abandoned = False
        self._punch = _fallocate()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def finish(self) -> None:
        """Copies what is left (after QEMU has exited) and closes the file."""
        self._done.set()
        self._thread.join()
        os.close(self.fd)

    def abandon(self) -> None:
        """Stops copying without waiting for the reader (x.py is being
        stopped: a reader that takes nothing must not hold it)."""
        self._abandoned = True
        self._reader_gone = True
        self._done.set()

    def _copy_available(self) -> bool:
        """Copies what the file holds beyond what was copied; whether there
        was anything."""
        size = os.fstat(self.fd).st_size
        if size <= self.copied:
            return False
        while self.copied < size:
            data = os.pread(self.fd, min(size - self.copied, CHUNK_BYTES),
                            self.copied)
            if not data:
                break
            if not self._reader_gone and not write_all(self.out_fd, data):
                self._reader_gone = True  # the rest is dropped, as a pipe would
            self.copied += len(data)
            self._release()
        return True

    def _release(self) -> None:
        """Frees the pages already copied (best effort)."""
        end = self.copied - self.copied % PAGE_BYTES
        if self._punch is not None and end > 0:
            if self._punch(self.fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                           0, end) != 0 and ctypes.get_errno() == errno.EOPNOTSUPP:
                self._punch = None

    def _run(self) -> None:
        while not self._abandoned:
            finishing = self._done.is_set()
            if not self._copy_available():
                if finishing:
                    return
                time.sleep(IDLE_SECONDS)
