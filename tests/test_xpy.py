"""Unit tests for x.py, the trampoline: its command line and its size."""

import contextlib
import importlib.util
import io
import unittest

from tools.paths import ROOT

XPY_PATH = ROOT / "x.py"
spec = importlib.util.spec_from_file_location("xpy", XPY_PATH)
xpy = importlib.util.module_from_spec(spec)
spec.loader.exec_module(xpy)

#: x.py parses the command line and dispatches; the work is in tools/.
XPY_MAX_LINES = 300


class CommandLineTest(unittest.TestCase):
    def parse(self, *argv):
        return xpy.parser().parse_args(list(argv))

    def test_every_command_dispatches_to_its_function(self):
        cases = {("build",): xpy.cmd_build, ("check",): xpy.cmd_check,
                 ("test",): xpy.cmd_test, ("run",): xpy.cmd_run,
                 ("qemu",): xpy.cmd_qemu, ("bench",): xpy.cmd_bench,
                 ("fuzz", "host"): xpy.cmd_fuzz,
                 ("fuzz", "guest"): xpy.cmd_fuzz}
        for argv, func in cases.items():
            self.assertIs(self.parse(*argv).func, func, argv)

    def test_run_takes_a_timeout_a_file_and_its_arguments(self):
        ours, program_args = xpy.split_program_arguments(
            ["run", "--timeout", "2", "f.c", "a", "--b"])
        args = self.parse(*ours)
        self.assertEqual((args.timeout, args.file, program_args),
                         (2.0, "f.c", ["a", "--b"]))
        self.assertIsNone(self.parse("run").file)

    def test_everything_after_file_is_the_programs(self):
        split = xpy.split_program_arguments
        self.assertEqual(split(["run", "f.c", "--timeout", "3"]),
                         (["run", "f.c"], ["--timeout", "3"]))
        self.assertEqual(split(["-q", "run", "--timeout", "3", "f.c", "--",
                                "x"]),
                         (["-q", "run", "--timeout", "3", "f.c"], ["--", "x"]))
        self.assertEqual(split(["run", "--", "-f.c", "-x"]),
                         (["run", "--", "-f.c"], ["-x"]))
        self.assertEqual(split(["run"]), (["run"], []))
        self.assertEqual(split(["test", "--miri"]), (["test", "--miri"], []))

    def test_test_options_and_quiet(self):
        args = self.parse("-q", "test", "--miri", "--verbose")
        self.assertTrue(args.quiet and args.miri and args.verbose)
        args = self.parse("test")
        self.assertFalse(args.quiet or args.miri or args.verbose)

    def test_defaults_of_bench_fuzz_and_qemu(self):
        bench = self.parse("bench")
        self.assertEqual((bench.rounds, bench.runs), (100, 2))
        fuzz = self.parse("fuzz", "guest")
        self.assertEqual((fuzz.calls, fuzz.seed, fuzz.seconds),
                         (1_000_000, 1, 60))
        self.assertFalse(self.parse("qemu").gdb)
        self.assertTrue(self.parse("qemu", "--gdb").gdb)

    def test_an_unknown_command_is_refused(self):
        with contextlib.redirect_stderr(io.StringIO()) as said:
            with self.assertRaises(SystemExit):
                self.parse("frobnicate")
        self.assertIn("invalid choice: 'frobnicate'", said.getvalue())


class TrampolineTest(unittest.TestCase):
    def test_x_py_stays_a_trampoline(self):
        lines = XPY_PATH.read_text().count("\n")
        self.assertLessEqual(lines, XPY_MAX_LINES)


if __name__ == "__main__":
    unittest.main()
