"""The fixtures the guest's ENOEXEC and script tests spawn, in every
initrd: a text file, two ELF images cut short (made from the real program
`hello`), and `#!` scripts."""

from __future__ import annotations

import struct
from pathlib import Path

from tools.initrd import BIN_PREFIX

#: The real program the truncated fixtures are cut from.
FIXTURE_SOURCE = "hello"
#: Length of bin/truncated_elf: past the 64-byte ELF header, inside the
#: first 56-byte program header.
TRUNCATED_ELF_BYTES = 100
#: Contents of bin/not_elf: text in no format the kernel knows (neither
#: ELF nor a `#!` script).
NOT_ELF_TEXT = b"echo this is text without a #! line, not a program\n"
#: Scripts, by name in /bin. script_argv runs the guest test
#: t_script_spawn_argv as its interpreter, with an optional argument that
#: has a blank inside and blanks around it (kept, trimmed); the interpreter
#: of script_no_interpreter does not exist; script_chain is run by
#: script_argv; script_execve runs t_musl_execve_static.
SCRIPTS = {
    "script_argv": b"#!/bin/t_script_spawn_argv \t--as interpreter \t\necho\n",
    "script_no_interpreter": b"#!/bin/no_such_interpreter\n",
    "script_chain": b"#!/bin/script_argv\n",
    "script_execve": b"#!/bin/t_musl_execve_static --from-script\n",
}

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
      first loadable segment (headers intact);
    - the scripts of SCRIPTS.
    """
    elf = (Path(progs_dir) / FIXTURE_SOURCE).read_bytes()
    offset, size = first_load_segment(elf)
    return {
        BIN_PREFIX + "not_elf": NOT_ELF_TEXT,
        BIN_PREFIX + "truncated_elf": elf[:TRUNCATED_ELF_BYTES],
        BIN_PREFIX + "truncated_segment": elf[:offset + size // 2],
        **{BIN_PREFIX + name: text for name, text in SCRIPTS.items()},
    }
