"""Unit tests for tools/testlog.py, the output of `x.py test`."""

import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from tools import testlog


class TestLogTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.console_path = Path(self.dir.name) / "console"
        self.log_path = Path(self.dir.name) / "build" / "test.log"

    def tearDown(self):
        self.dir.cleanup()

    def run_with_console_file(self, show_all, body):
        """Runs body() inside a TestLog whose console is a file."""
        sys.stdout.flush()
        saved = os.dup(1)
        with open(self.console_path, "wb") as console:
            os.dup2(console.fileno(), 1)
        try:
            with testlog.TestLog(self.log_path, show_all) as log:
                body()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        return log

    @staticmethod
    def child_and_python_output():
        print("python says hello")
        print("x.py test: host 3 passed, 0 failed")
        subprocess.run(["sh", "-c", "echo child line; echo 'child FAIL x' >&2"],
                       check=True)

    def test_everything_is_logged_and_the_console_gets_results_and_failures(self):
        log = self.run_with_console_file(False, self.child_and_python_output)
        logged = self.log_path.read_text().splitlines()
        self.assertEqual(logged, ["python says hello",
                                  "x.py test: host 3 passed, 0 failed",
                                  "child line", "child FAIL x"])
        self.assertEqual(self.console_path.read_text().splitlines(),
                         ["x.py test: host 3 passed, 0 failed", "child FAIL x"])
        self.assertEqual(log.failures, ["child FAIL x"])

    def test_show_all_puts_everything_on_the_console(self):
        self.run_with_console_file(True, self.child_and_python_output)
        self.assertEqual(self.console_path.read_text().splitlines(),
                         self.log_path.read_text().splitlines())

    def test_a_console_nobody_reads_does_not_stop_the_run(self):
        read_end, write_end = os.pipe()
        os.close(read_end)  # the reader has gone
        log = testlog.TestLog(self.log_path, False)
        log._console = write_end
        log.to_console(b"x.py test: lost\n")  # EPIPE, not an exception
        self.assertIsNone(log._console)
        os.close(write_end)


if __name__ == "__main__":
    unittest.main()
