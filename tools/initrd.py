"""The initrd: a cpio "newc" archive, the format the kernel reads from
`-initrd` (and Linux from its initramfs).

    archive(files) -> bytes      build_initrd(files, out)
    read_initrd(data) -> {name: (mode, contents)}

Standard library only.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

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


def _pad(length: int) -> bytes:
    """Zero bytes that bring `length` up to a multiple of CPIO_ALIGN."""
    return b"\0" * (-length % CPIO_ALIGN)


class InitrdFile(NamedTuple):
    """An initrd entry with its own mode bits and owner (for set-user-ID
    fixtures and files owned by other users), or a directory or device
    node (`rdev`: its major and minor number)."""

    content: bytes | Path
    mode: int = PROGRAM_MODE
    uid: int = 0
    gid: int = 0
    rdev: tuple[int, int] = (0, 0)


def _cpio_entry(name: str, entry: InitrdFile, data: bytes, ino: int) -> bytes:
    encoded = name.encode() + b"\0"
    fields = {field: 0 for field in CPIO_FIELDS}
    fields.update(ino=ino, mode=entry.mode, uid=entry.uid, gid=entry.gid,
                  nlink=1, filesize=len(data), namesize=len(encoded),
                  rdevmajor=entry.rdev[0], rdevminor=entry.rdev[1])
    header = CPIO_NEWC_MAGIC + b"".join(
        b"%08X" % fields[field] for field in CPIO_FIELDS)
    head = header + encoded
    return head + _pad(len(head)) + data + _pad(len(data))


def archive(files: dict[str, bytes | Path | InitrdFile]) -> bytes:
    """A cpio newc archive of `files`.

    `files` maps archive names (`bin/NAME`, relative, no leading "/") to
    contents, to a file to read them from, or to an `InitrdFile` with its
    own mode and owner. Other entries are regular files with mode 0o100755
    owned by root; entries are sorted by name (so a directory comes before
    what it holds) and carry mtime 0, so the same inputs give the same bytes.
    """
    out = bytearray()
    for ino, name in enumerate(sorted(files), start=1):
        if not name or name.startswith("/") or "\0" in name:
            raise ValueError(f"bad initrd entry name: {name!r}")
        entry = files[name]
        if not isinstance(entry, InitrdFile):
            entry = InitrdFile(entry)
        content = entry.content
        data = content.read_bytes() if isinstance(content, Path) else content
        out += _cpio_entry(name, entry, bytes(data), ino)
    out += _cpio_entry(CPIO_TRAILER, InitrdFile(b"", mode=0), b"", 0)
    return bytes(out)


def trailer() -> bytes:
    """The entry that ends every archive (its last bytes)."""
    return _cpio_entry(CPIO_TRAILER, InitrdFile(b"", mode=0), b"", 0)


def extend(base: bytes, files: dict[str, bytes | Path | InitrdFile]) -> bytes:
    """`base`, an archive() result, with `files` added after its entries
    (the names must be new to it): how `x.py run` adds its program to the
    initrd of every boot without packing that again."""
    end = trailer()
    if not base.endswith(end):
        raise ValueError("the base archive does not end with the trailer")
    return base[:-len(end)] + archive(files)


def build_initrd(files: dict[str, bytes | Path | InitrdFile],
                 out: Path) -> None:
    """Writes archive(files) to `out`."""
    Path(out).write_bytes(archive(files))


def read_initrd(data: bytes) -> dict[str, tuple[int, bytes]]:
    """Parses a cpio newc archive into {name: (mode, contents)}.

    The inverse of archive(), used by the tests; raises ValueError on
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
