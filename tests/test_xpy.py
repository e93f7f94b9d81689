"""Unit tests for the pure helpers of x.py."""

import importlib.util
import tempfile
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("xpy", ROOT / "x.py")
xpy = importlib.util.module_from_spec(spec)
spec.loader.exec_module(xpy)


class QemuCommandTest(unittest.TestCase):
    def setUp(self):
        self.saved = xpy.QEMU_ARGS_FILE
        self.dir = tempfile.TemporaryDirectory()
        xpy.QEMU_ARGS_FILE = Path(self.dir.name) / "args"

    def tearDown(self):
        xpy.QEMU_ARGS_FILE = self.saved
        self.dir.cleanup()

    def test_args_file_lines_become_flags_and_values(self):
        xpy.QEMU_ARGS_FILE.write_text(
            "# comment\n-machine q35\n\n-nodefaults\n-debugcon file:x.log\n")
        cmd = xpy.qemu_command(Path("/k"), "test a b")
        self.assertEqual(cmd[:5], ["qemu-system-x86_64", "-machine", "q35",
                                   "-nodefaults", "-debugcon"])
        self.assertEqual(cmd[5], f"file:{xpy.KERNEL_LOG}")
        self.assertEqual(cmd[-6:], ["-kernel", "/k", "-initrd",
                                    str(xpy.INITRD), "-append", "test a b"])

    def test_gdb_adds_wait_flags(self):
        xpy.QEMU_ARGS_FILE.write_text("-nodefaults\n")
        self.assertEqual(xpy.qemu_command(Path("/k"), "demo", gdb=True)[-2:],
                         ["-s", "-S"])


class CargoResultTest(unittest.TestCase):
    def test_counts_every_result_line(self):
        out = ("test result: ok. 12 passed; 0 failed; 0 ignored\n"
               "test result: FAILED. 3 passed; 2 failed; 1 ignored\n")
        self.assertEqual(xpy.CARGO_RESULT.findall(out),
                         [("12", "0"), ("3", "2")])



class EncodeArgTest(unittest.TestCase):
    def test_plain_arguments_pass_unchanged(self):
        self.assertEqual(xpy.encode_arg("a-b_c.d/e=f"), "a-b_c.d/e=f")

    def test_spaces_percent_and_utf8_are_escaped(self):
        self.assertEqual(xpy.encode_arg("a b"), "a%20b")
        self.assertEqual(xpy.encode_arg("100%"), "100%25")
        self.assertEqual(xpy.encode_arg("é"), "%C3%A9")

    def test_empty_argument_is_a_lone_percent(self):
        self.assertEqual(xpy.encode_arg(""), "%")


if __name__ == "__main__":
    unittest.main()


class TestRunnerTest(unittest.TestCase):
    def test_a_stage_that_raises_counts_one_failure_and_the_next_runs(self):
        import contextlib
        import io

        def broken():
            raise RuntimeError("no compiler")

        totals = {}
        with contextlib.redirect_stdout(io.StringIO()) as shown:
            xpy.run_stage("first", totals, broken)
            xpy.run_stage("second", totals, lambda: (3, 0))
            xpy.run_stage("many", totals, lambda: {"x": (1, 0), "y": (2, 1)})
        self.assertEqual(totals, {"first": (0, 1), "second": (3, 0),
                                  "x": (1, 0), "y": (2, 1)})
        self.assertIn("stage first FAILED with an error: no compiler",
                      shown.getvalue())
        self.assertIn("x.py test: second           3 passed, 0 failed",
                      shown.getvalue())

    def test_a_failed_guest_tests_output_is_repeated_for_the_console(self):
        import contextlib
        import io

        transcript = ("test t_a ... ok\nnoise of t_b\nt_b: wrong status\n"
                      "test t_b ... FAILED: exit status 1\ntest t_c ... ok\n")
        with contextlib.redirect_stdout(io.StringIO()) as shown:
            xpy.show_failed_test_output(transcript)
        self.assertEqual(shown.getvalue().splitlines(), [
            "x.py test: output of the failed t_b:",
            "x.py test:   | noise of t_b",
            "x.py test:   | t_b: wrong status"])


class SignalStateTest(unittest.TestCase):
    def test_inherited_ignored_signals_and_mask_are_reset(self):
        import signal

        saved = signal.getsignal(signal.SIGUSR1)
        saved_mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR2})
        try:
            signal.signal(signal.SIGUSR1, signal.SIG_IGN)
            xpy.reset_inherited_signal_state()
            self.assertEqual(signal.getsignal(signal.SIGUSR1), signal.SIG_DFL)
            self.assertNotIn(signal.SIGUSR2,
                             signal.pthread_sigmask(signal.SIG_BLOCK, set()))
        finally:
            signal.signal(signal.SIGUSR1, saved)
            signal.pthread_sigmask(signal.SIG_SETMASK, saved_mask)
