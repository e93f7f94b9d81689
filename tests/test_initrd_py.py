"""Unit tests for tools/initrd.py and tools/fixtures.py: the cpio initrd
and the ENOEXEC fixtures."""

import shutil
import struct
import subprocess
import tempfile
import unittest
from pathlib import Path

from tools import fixtures, initrd

#: Sizes of the ELF64 file header and of one program header.
ELF64_HEADER_SIZE = 64
ELF64_PHDR_SIZE = 56
PAGE = 4096


def fake_elf(segment_offset: int = PAGE, segment_size: int = 300) -> bytes:
    """A minimal ELF64 image: header, one PT_LOAD header, segment data."""
    header = bytearray(ELF64_HEADER_SIZE)
    header[:4] = fixtures.ELF_MAGIC
    struct.pack_into("<Q", header, 0x20, ELF64_HEADER_SIZE)   # e_phoff
    struct.pack_into("<H", header, 0x36, ELF64_PHDR_SIZE)     # e_phentsize
    struct.pack_into("<H", header, 0x38, 2)                   # e_phnum
    empty = bytearray(ELF64_PHDR_SIZE)                        # PT_NULL
    load = bytearray(ELF64_PHDR_SIZE)
    struct.pack_into("<I", load, 0x00, fixtures.PT_LOAD)
    struct.pack_into("<Q", load, 0x08, segment_offset)
    struct.pack_into("<Q", load, 0x20, segment_size)
    image = bytes(header + empty + load)
    image += b"\0" * (segment_offset - len(image))
    return image + bytes(range(256)) * (segment_size // 256 + 1)


class InitrdTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.tmp = Path(self.dir.name)

    def tearDown(self):
        self.dir.cleanup()

    def build(self, files):
        out = self.tmp / "initrd.cpio"
        initrd.build_initrd(files, out)
        return out

    def test_round_trip_keeps_names_modes_and_contents(self):
        on_disk = self.tmp / "prog"
        on_disk.write_bytes(b"\x7fELF from a file")
        files = {"bin/a": b"", "bin/bb": b"x" * 5, "bin/prog": on_disk,
                 "bin/ccc": bytes(range(256)) * 3}
        archive = self.build(files).read_bytes()
        entries = initrd.read_initrd(archive)
        expected = {name: (initrd.PROGRAM_MODE,
                           data.read_bytes() if isinstance(data, Path)
                           else data)
                    for name, data in files.items()}
        self.assertEqual(entries, expected)

    def test_initrd_file_carries_its_mode_and_owner(self):
        suid = initrd.InitrdFile(b"image", mode=0o104755, uid=1000, gid=1001)
        archive = self.build({"bin/suid": suid, "bin/plain": b"p"})
        entries = initrd.read_initrd(archive.read_bytes())
        self.assertEqual(entries["bin/suid"], (0o104755, b"image"))
        self.assertEqual(entries["bin/plain"], (initrd.PROGRAM_MODE, b"p"))
        # newc header: magic, then 8-hex-digit ino, mode, uid, gid.
        data = archive.read_bytes()
        start = data.index(b"bin/suid") - 110
        self.assertEqual(int(data[start + 22:start + 30], 16), 1000)
        self.assertEqual(int(data[start + 30:start + 38], 16), 1001)

    def test_every_entry_and_the_end_are_four_byte_aligned(self):
        archive = self.build({"bin/a": b"1", "bin/abc": b"12345"}).read_bytes()
        self.assertEqual(len(archive) % initrd.CPIO_ALIGN, 0)
        start = 0
        while (found := archive.find(initrd.CPIO_NEWC_MAGIC, start)) >= 0:
            self.assertEqual(found % initrd.CPIO_ALIGN, 0)
            start = found + 1

    def test_archive_ends_with_trailer_and_is_deterministic(self):
        first = self.build({"bin/z": b"z", "bin/a": b"a"}).read_bytes()
        self.assertIn(initrd.CPIO_TRAILER.encode() + b"\0", first[-128:])
        second = self.build({"bin/a": b"a", "bin/z": b"z"}).read_bytes()
        self.assertEqual(first, second)

    def test_bad_names_are_refused(self):
        for name in ["", "/bin/a", "bin/a\0b"]:
            with self.assertRaises(ValueError):
                self.build({name: b""})

    def test_truncated_archive_is_detected(self):
        archive = self.build({"bin/a": b"x" * 100}).read_bytes()
        with self.assertRaises(ValueError):
            initrd.read_initrd(archive[:150])

    @unittest.skipUnless(shutil.which("cpio"), "cpio tool not installed")
    def test_cpio_tool_extracts_the_archive(self):
        files = {"bin/hello": b"hello\n", "bin/odd": b"123"}
        archive = self.build(files)
        out = self.tmp / "extract"
        out.mkdir()
        with archive.open("rb") as stdin:
            subprocess.run(["cpio", "-i", "-d", "--quiet", "-H", "newc"],
                           stdin=stdin, cwd=out, check=True)
        for name, data in files.items():
            extracted = out / name
            self.assertEqual(extracted.read_bytes(), data)
            self.assertEqual(extracted.stat().st_mode & 0o777, 0o755)


class FixtureTest(unittest.TestCase):
    def test_fixtures_are_cut_from_hello(self):
        with tempfile.TemporaryDirectory() as tmp:
            elf = fake_elf(segment_offset=PAGE, segment_size=300)
            (Path(tmp) / fixtures.FIXTURE_SOURCE).write_bytes(elf)
            files = fixtures.extra_initrd_files(Path(tmp))
        self.assertEqual(set(files), {"bin/not_elf", "bin/truncated_elf",
                                      "bin/truncated_segment"}
                         | {"bin/" + name for name in fixtures.SCRIPTS})
        self.assertFalse(files["bin/not_elf"].startswith(fixtures.ELF_MAGIC))
        self.assertFalse(files["bin/not_elf"].startswith(b"#!"))
        for name in fixtures.SCRIPTS:
            self.assertTrue(files["bin/" + name].startswith(b"#!/bin/"))
        self.assertEqual(files["bin/truncated_elf"],
                         elf[:fixtures.TRUNCATED_ELF_BYTES])
        # Inside the program headers, past the file header.
        self.assertGreater(fixtures.TRUNCATED_ELF_BYTES, ELF64_HEADER_SIZE)
        self.assertLess(fixtures.TRUNCATED_ELF_BYTES,
                        ELF64_HEADER_SIZE + ELF64_PHDR_SIZE)
        self.assertEqual(files["bin/truncated_segment"], elf[:PAGE + 150])

    def test_first_load_segment_skips_other_headers(self):
        self.assertEqual(fixtures.first_load_segment(fake_elf(2 * PAGE, 77)),
                         (2 * PAGE, 77))

    def test_non_elf_source_is_refused(self):
        with self.assertRaises(ValueError):
            fixtures.first_load_segment(b"#!/bin/sh\n")



class InitrdDeviceTest(unittest.TestCase):
    def test_a_device_entry_carries_its_major_and_minor_number(self):
        data = initrd.archive({"dev/console": initrd.InitrdFile(
            b"", mode=0o020600, rdev=(5, 1))})
        start = data.index(b"dev/console") - 110
        header = data[start + 6:start + 110]
        fields = {name: int(header[8 * i:8 * i + 8], 16)
                  for i, name in enumerate(initrd.CPIO_FIELDS)}
        self.assertEqual((fields["rdevmajor"], fields["rdevminor"]), (5, 1))
        self.assertEqual(fields["mode"], 0o020600)

    def test_a_directory_comes_before_what_it_holds(self):
        data = initrd.archive({"bin/x": b"x", "bin": initrd.InitrdFile(
            b"", mode=0o040755), "a": b""})
        self.assertEqual(list(initrd.read_initrd(data)), ["a", "bin", "bin/x"])


if __name__ == "__main__":
    unittest.main()


class ExtendTest(unittest.TestCase):
    def test_extend_adds_files_to_a_packed_archive(self):
        base = initrd.archive({"bin/a": b"A"})
        extended = initrd.extend(base, {"usr/local/bin/a": b"B"})
        self.assertEqual(initrd.read_initrd(extended),
                         {"bin/a": (0o100755, b"A"),
                          "usr/local/bin/a": (0o100755, b"B")})
        with self.assertRaises(ValueError):
            initrd.extend(b"junk", {})
