"""Unit tests for tools/run.py: `x.py run`'s arguments."""

import struct
import unittest

from tools import run
from tools.abi import KERNEL_CMDLINE_MAX
from tools.command import StepFailed


class EncodeArgTest(unittest.TestCase):
    def test_plain_arguments_pass_unchanged(self):
        self.assertEqual(run.encode_arg("a-b_c.d/e=f"), "a-b_c.d/e=f")

    def test_spaces_percent_and_utf8_are_escaped(self):
        self.assertEqual(run.encode_arg("a b"), "a%20b")
        self.assertEqual(run.encode_arg("100%"), "100%25")
        self.assertEqual(run.encode_arg("é"), "%C3%A9")

    def test_empty_argument_is_a_lone_percent(self):
        self.assertEqual(run.encode_arg(""), "%")


class RunCmdlineTest(unittest.TestCase):
    def test_the_program_runs_in_tmp_with_its_encoded_arguments(self):
        self.assertEqual(run.run_cmdline("prog", ["a b", ""]),
                         "cwd=/tmp run prog a%20b %")

    def test_arguments_that_do_not_fit_the_kernel_are_refused(self):
        fixed = len("cwd=/tmp run p ")
        fits = "x" * (KERNEL_CMDLINE_MAX - 1 - fixed)
        self.assertEqual(len(run.run_cmdline("p", [fits]).encode()),
                         KERNEL_CMDLINE_MAX - 1)
        with self.assertRaises(StepFailed) as raised:
            run.run_cmdline("p", [fits + "x"])
        self.assertEqual(raised.exception.code, 2)


if __name__ == "__main__":
    unittest.main()


class FileKindTest(unittest.TestCase):
    """What `x.py run FILE` accepts as an executable."""

    @staticmethod
    def elf(e_type=2, machine=62, interp=False) -> bytes:
        header = bytearray(64)
        header[:4] = b"\x7fELF"
        header[4], header[5] = 2, 1
        struct.pack_into("<HH", header, 16, e_type, machine)
        struct.pack_into("<Q", header, 32, 64)
        struct.pack_into("<HH", header, 54, 56, 1)
        phdr = bytearray(56)
        struct.pack_into("<I", phdr, 0, 3 if interp else 1)
        return bytes(header + phdr)

    def test_a_static_x86_64_executable_is_accepted(self):
        self.assertIsNone(run.elf_problem(self.elf()))

    def test_other_files_say_what_they_are(self):
        self.assertIn("not an ELF", run.elf_problem(b"#!/bin/sh\n" * 10))
        self.assertIn("x86_64", run.elf_problem(self.elf(machine=183)))
        self.assertIn("-no-pie", run.elf_problem(self.elf(e_type=3)))
        self.assertIn("-static", run.elf_problem(self.elf(interp=True)))
