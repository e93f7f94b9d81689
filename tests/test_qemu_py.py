"""Unit tests for tools/qemu.py: the command line and the one launcher."""

import sys
import tempfile
import unittest
from pathlib import Path

from tools import qemu
from tools.command import set_echo
from tools.paths import INITRD, KERNEL_LOG


class CommandTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.args = Path(self.dir.name) / "args"

    def tearDown(self):
        self.dir.cleanup()

    def command(self, text, *args, **kwargs):
        self.args.write_text(text)
        return qemu.command(*args, args_file=self.args, **kwargs)

    def test_args_file_lines_become_flags_and_values(self):
        cmd = self.command("# comment\n-machine q35\n\n-nodefaults\n"
                           "-debugcon file:x.log\n", Path("/k"), "test a b")
        self.assertEqual(cmd[:5], ["qemu-system-x86_64", "-machine", "q35",
                                   "-nodefaults", "-debugcon"])
        self.assertEqual(cmd[5], f"file:{KERNEL_LOG}")
        self.assertEqual(cmd[-6:], ["-kernel", "/k", "-initrd",
                                    str(INITRD), "-append", "test a b"])

    def test_only_the_debugcon_log_is_redirected(self):
        cmd = self.command("-debugcon file:x.log\n-serial file:serial.out\n"
                           "-drive file:disk.img\n", Path("/k"), "demo",
                           log=Path("/logs/own.log"))
        self.assertEqual(cmd[1:7], ["-debugcon", "file:/logs/own.log",
                                    "-serial", "file:serial.out",
                                    "-drive", "file:disk.img"])

    def test_own_initrd_or_none(self):
        cmd = self.command("-nodefaults\n", Path("/k"), "x",
                           initrd=Path("/i.cpio"))
        self.assertEqual(cmd[cmd.index("-initrd") + 1], "/i.cpio")
        self.assertNotIn("-initrd",
                         self.command("-nodefaults\n", Path("/k"), "x",
                                      initrd=None))

    def test_gdb_adds_wait_flags(self):
        self.assertEqual(self.command("-nodefaults\n", Path("/k"), "demo",
                                      gdb=True)[-2:], ["-s", "-S"])

    def test_the_real_args_file_keeps_the_kernel_log_flag(self):
        cmd = qemu.command(Path("/k"), "demo")
        self.assertEqual(cmd[cmd.index(qemu.DEBUGCON_FLAG) + 1],
                         f"file:{KERNEL_LOG}")


def python(code: str) -> list[str]:
    """A stand-in for QEMU: a Python program."""
    return [sys.executable, "-c", code]


class LaunchTest(unittest.TestCase):
    def setUp(self):
        set_echo(False)

    def tearDown(self):
        set_echo(True)

    def test_lines_arrive_in_order_and_the_status_passes_through(self):
        seen = []
        boot = qemu.launch(python(
            "import sys; sys.stdout.write('a\\r\\nb\\nlast'); sys.exit(33)"),
            timeout=30, on_line=seen.append)
        self.assertEqual(boot.code, 33)
        self.assertEqual(boot.lines, ["a\n", "b\n", "last"])
        self.assertEqual(seen, boot.lines)
        self.assertEqual(boot.text, "a\nb\nlast")
        self.assertEqual(len(boot.times), 3)
        self.assertFalse(boot.timed_out)

    def test_a_boot_past_its_timeout_is_stopped(self):
        boot = qemu.launch(python(
            "import time; print('started', flush=True); time.sleep(60)"),
            timeout=0.5)
        self.assertTrue(boot.timed_out)
        self.assertIsNone(boot.code)
        self.assertEqual(boot.lines, ["started\n"])
        self.assertLess(boot.seconds, 30)

    def test_first_time_finds_the_first_matching_line(self):
        boot = qemu.launch(python("print('x'); print('bench start')"),
                           timeout=30)
        self.assertIsNotNone(boot.first_time("bench"))
        self.assertIsNone(boot.first_time("never"))

    def test_standard_input_is_empty(self):
        boot = qemu.launch(python(
            "import sys; print(repr(sys.stdin.read()))"), timeout=30)
        self.assertEqual(boot.lines, ["''\n"])


if __name__ == "__main__":
    unittest.main()
