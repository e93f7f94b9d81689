"""guest.py: the host side of the kernel-shim guest programs.

Helpers x.py imports to run the guest suite (standard library only):

- build_initrd(files, out): writes a cpio "newc" archive of `bin/NAME`
  entries, the format the kernel reads from `-initrd`;
- extra_initrd_files(progs_dir): the fixtures the guest tests spawn besides
  the real programs (a text file and two truncated ELF images);
- guest_test_names(programs): the guest tests among the programs (`t_*`);
- parse_transcript(text): the results in init's test protocol;
- parse_run_result(text): how the program of `init run` / `init demo`
  ended.

The protocol, printed by /bin/init on the serial console (see
userland/progs/src/bin/init.rs):

    test NAME ... ok
    test NAME ... FAILED: REASON
    guest: N passed, N failed

Other lines (program output, a failing test's own `NAME: reason` line) are
ignored by the parser. In `run PROG ARGS...` and `demo` mode init's last
line is one of

    init: PROG exited with status N
    init: PROG killed by signal N (SIGNAME)
    init: PROG failed to start: ERRNO
    init: PROG could not be waited for: ERRNO
"""

from __future__ import annotations

import re
import struct
from pathlib import Path
from typing import NamedTuple

# --- cpio newc ---------------------------------------------------------------

#: Magic of the "new ASCII" cpio format, the one Linux initramfs uses.
CPIO_NEWC_MAGIC = b"070701"
#: The thirteen 8-hex-digit fields after the magic, in header order.
CPIO_FIELDS = ("ino", "mode", "uid", "gid", "nlink", "mtime", "filesize",
               "devmajor", "devminor", "rdevmajor", "rdevminor", "namesize",
               "check")
#: Header, name and data each start on a 4-byte boundary.
CPIO_ALIGN = 4
#: The name of the entry that ends the archive.
CPIO_TRAILER = "TRAILER!!!"
#: Mode of every program: a regular file, rwxr-xr-x.
PROGRAM_MODE = 0o100755
#: Directory the kernel looks programs up in (archive names have no "/").
BIN_PREFIX = "bin/"

# --- ELF fixtures --------------------------------------------------------------

#: The real program the truncated fixtures are cut from.
FIXTURE_SOURCE = "hello"
#: Length of bin/truncated_elf: past the 64-byte ELF header, inside the
#: first 56-byte program header.
TRUNCATED_ELF_BYTES = 100
#: Contents of bin/not_elf: a script, which this kernel does not run.
NOT_ELF_TEXT = b"#!/bin/sh\necho this is a shell script, not an ELF image\n"

ELF_MAGIC = b"\x7fELF"
#: e_phoff, e_phentsize and e_phnum in an ELF64 header, and their formats.
ELF64_PHOFF = (0x20, "<Q")
ELF64_PHENTSIZE = (0x36, "<H")
ELF64_PHNUM = (0x38, "<H")
#: p_type, p_offset and p_filesz in an ELF64 program header.
PHDR_TYPE = (0x00, "<I")
PHDR_OFFSET = (0x08, "<Q")
PHDR_FILESZ = (0x20, "<Q")
PT_LOAD = 1

# --- the test protocol ---------------------------------------------------------

#: Guest tests are the programs with this prefix.
TEST_PREFIX = "t_"
TEST_LINE = re.compile(r"^test (\S+) \.\.\. (?:(ok)|FAILED: (.*))$")
#: init's last line in `run` (and `demo`) mode.
RUN_LINE = re.compile(
    r"^init: (\S+) (?:exited with status (\d+)"
    r"|killed by signal (\d+)(?: \(\w+\))?"
    r"|failed to start: (\w+)"
    r"|could not be waited for: (\w+))$")


def _pad(length: int) -> bytes:
    """Zero bytes that bring `length` up to a multiple of CPIO_ALIGN."""
    return b"\0" * (-length % CPIO_ALIGN)


class InitrdFile(NamedTuple):
    """An initrd entry with its own mode bits and owner (for set-user-ID
    fixtures and files owned by other users)."""

    content: bytes | Path
    mode: int = PROGRAM_MODE
    uid: int = 0
    gid: int = 0


def _cpio_entry(name: str, mode: int, data: bytes, ino: int,
                uid: int = 0, gid: int = 0) -> bytes:
    encoded = name.encode() + b"\0"
    fields = {field: 0 for field in CPIO_FIELDS}
    fields.update(ino=ino, mode=mode, uid=uid, gid=gid, nlink=1,
                  filesize=len(data), namesize=len(encoded))
    header = CPIO_NEWC_MAGIC + b"".join(
        b"%08X" % fields[field] for field in CPIO_FIELDS)
    head = header + encoded
    return head + _pad(len(head)) + data + _pad(len(data))


def build_initrd(files: dict[str, bytes | Path | InitrdFile],
                 out: Path) -> None:
    """Writes a cpio newc archive to `out`.

    `files` maps archive names (`bin/NAME`, relative, no leading "/") to
    contents, to a file to read them from, or to an `InitrdFile` with its
    own mode and owner. Other entries are regular files with mode 0o100755
    owned by root; entries are sorted by name and carry mtime 0, so the
    same inputs give the same bytes.
    """
    archive = bytearray()
    for ino, name in enumerate(sorted(files), start=1):
        if not name or name.startswith("/") or "\0" in name:
            raise ValueError(f"bad initrd entry name: {name!r}")
        entry = files[name]
        if not isinstance(entry, InitrdFile):
            entry = InitrdFile(entry)
        content = entry.content
        data = content.read_bytes() if isinstance(content, Path) else content
        archive += _cpio_entry(name, entry.mode, bytes(data), ino,
                               entry.uid, entry.gid)
    archive += _cpio_entry(CPIO_TRAILER, 0, b"", 0)
    Path(out).write_bytes(bytes(archive))


def read_initrd(data: bytes) -> dict[str, tuple[int, bytes]]:
    """Parses a cpio newc archive into {name: (mode, contents)}.

    The inverse of build_initrd, used by the tests; raises ValueError on
    anything malformed.
    """
    entries: dict[str, tuple[int, bytes]] = {}
    header_len = len(CPIO_NEWC_MAGIC) + 8 * len(CPIO_FIELDS)
    offset = 0
    while True:
        header = data[offset:offset + header_len]
        if len(header) < header_len or not header.startswith(CPIO_NEWC_MAGIC):
            raise ValueError(f"no cpio newc header at offset {offset}")
        raw = header[len(CPIO_NEWC_MAGIC):]
        fields = {field: int(raw[8 * i:8 * i + 8], 16)
                  for i, field in enumerate(CPIO_FIELDS)}
        name_start = offset + header_len
        name_end = name_start + fields["namesize"]
        if data[name_end - 1:name_end] != b"\0":
            raise ValueError(f"cpio name at offset {name_start} lacks its NUL")
        name = data[name_start:name_end - 1].decode()
        data_start = name_end + (-name_end % CPIO_ALIGN)
        data_end = data_start + fields["filesize"]
        if data_end > len(data):
            raise ValueError(f"cpio entry {name!r} runs past the archive")
        if name == CPIO_TRAILER:
            return entries
        entries[name] = (fields["mode"], data[data_start:data_end])
        offset = data_end + (-data_end % CPIO_ALIGN)


def _field(data: bytes, base: int, spec: tuple[int, str]) -> int:
    offset, fmt = spec
    return struct.unpack_from(fmt, data, base + offset)[0]


def first_load_segment(elf: bytes) -> tuple[int, int]:
    """(file offset, file size) of the first PT_LOAD segment with file data."""
    if not elf.startswith(ELF_MAGIC):
        raise ValueError("not an ELF image")
    phoff = _field(elf, 0, ELF64_PHOFF)
    phentsize = _field(elf, 0, ELF64_PHENTSIZE)
    for index in range(_field(elf, 0, ELF64_PHNUM)):
        base = phoff + index * phentsize
        if (_field(elf, base, PHDR_TYPE) == PT_LOAD
                and _field(elf, base, PHDR_FILESZ) > 0):
            return (_field(elf, base, PHDR_OFFSET),
                    _field(elf, base, PHDR_FILESZ))
    raise ValueError("ELF image has no loadable segment with file data")


def extra_initrd_files(progs_dir: Path) -> dict[str, bytes]:
    """The fixtures the ENOEXEC tests spawn, made from `progs_dir/hello`.

    - bin/not_elf: a shell script;
    - bin/truncated_elf: the first TRUNCATED_ELF_BYTES bytes of hello, cut
      inside its program headers;
    - bin/truncated_segment: hello cut halfway through the file data of its
      first loadable segment (headers intact).
    """
    elf = (Path(progs_dir) / FIXTURE_SOURCE).read_bytes()
    offset, size = first_load_segment(elf)
    return {
        BIN_PREFIX + "not_elf": NOT_ELF_TEXT,
        BIN_PREFIX + "truncated_elf": elf[:TRUNCATED_ELF_BYTES],
        BIN_PREFIX + "truncated_segment": elf[:offset + size // 2],
    }


def guest_test_names(programs) -> list[str]:
    """The guest tests, sorted: programs named `t_*`.

    `programs` is either a list of program names or the directory holding
    the built programs (names of executable files there).
    """
    if isinstance(programs, (str, Path)):
        directory = Path(programs)
        programs = [path.name for path in directory.iterdir()
                    if path.is_file() and path.stat().st_mode & 0o111]
    return sorted(name for name in programs
                  if name.startswith(TEST_PREFIX) and "." not in name)


def parse_transcript(text: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The test results in `text`: (passed names, [(failed name, reason)]).

    Only whole `test NAME ... ok` / `test NAME ... FAILED: REASON` lines
    count, in the order they appear; carriage returns from the serial line
    are ignored.
    """
    passed: list[str] = []
    failed: list[tuple[str, str]] = []
    for line in text.splitlines():
        match = TEST_LINE.match(line.rstrip("\r"))
        if not match:
            continue
        name, ok, reason = match.groups()
        if ok:
            passed.append(name)
        else:
            failed.append((name, reason.strip()))
    return passed, failed


def parse_run_result(text: str) -> tuple[str, str, int | str] | None:
    """How the program of `init run PROG` (or `init demo`) ended.

    Returns (program, kind, value) from init's last report line: kind
    "exited" with the exit status, "signaled" with the signal number,
    "spawn-failed" or "wait-failed" with the errno name; None when the
    transcript has no such line (the guest hung or the kernel died).
    """
    result = None
    for line in text.splitlines():
        match = RUN_LINE.match(line.rstrip("\r"))
        if not match:
            continue
        program, status, signal, spawn_errno, wait_errno = match.groups()
        if status is not None:
            result = (program, "exited", int(status))
        elif signal is not None:
            result = (program, "signaled", int(signal))
        elif spawn_errno is not None:
            result = (program, "spawn-failed", spawn_errno)
        else:
            result = (program, "wait-failed", wait_errno)
    return result
