"""Unit tests for tools/transcript.py: what /bin/init reports."""

import tempfile
import unittest
from pathlib import Path

from tools import transcript

class TestNamesTest(unittest.TestCase):
    def test_names_from_a_list(self):
        names = ["init", "t_b", "hello", "t_a", "demo"]
        self.assertEqual(transcript.guest_test_names(names), ["t_a", "t_b"])

    def test_names_from_a_directory_skip_non_executables(self):
        with tempfile.TemporaryDirectory() as tmp:
            for name, mode in [("t_one", 0o755), ("t_one.d", 0o644),
                               ("init", 0o755), ("t_two", 0o755)]:
                path = Path(tmp) / name
                path.write_bytes(b"")
                path.chmod(mode)
            self.assertEqual(transcript.guest_test_names(Path(tmp)),
                             ["t_one", "t_two"])


class TranscriptTest(unittest.TestCase):
    def test_ok_and_failed_lines_in_order(self):
        text = ("hello: pid 3, parent 2, exiting with 7\n"
                "test t_a ... ok\r\n"
                "t_b: free frames: expected 10, got 9\n"
                "test t_b ... FAILED: exit status 1\n"
                "test t_c ... FAILED: killed by signal 11 (SIGSEGV)\n"
                "test t_d ... ok\n"
                "guest: 2 passed, 2 failed\n")
        passed, failed = transcript.parse_transcript(text)
        self.assertEqual(passed, ["t_a", "t_d"])
        self.assertEqual(failed, [("t_b", "exit status 1"),
                                  ("t_c", "killed by signal 11 (SIGSEGV)")])

    def test_partial_and_foreign_lines_do_not_count(self):
        text = ("test t_a ... \n"            # cut off by a hang
                "test t_b ... okay\n"
                "  test t_c ... ok\n"
                "running test t_d ... ok\n"
                "test t_e ... FAILED:\n")
        self.assertEqual(transcript.parse_transcript(text), ([], []))

    def test_empty_transcript(self):
        self.assertEqual(transcript.parse_transcript(""), ([], []))


class RunResultTest(unittest.TestCase):
    def test_last_report_line_wins(self):
        text = ("init: hello exited with status 3\n"
                "demo: spawning\n"
                "init: demo killed by signal 11 (SIGSEGV)\r\n")
        self.assertEqual(transcript.parse_run_result(text),
                         ("demo", "signaled", 11))

    def test_each_kind(self):
        cases = {
            "init: hello exited with status 42": ("hello", "exited", 42),
            "init: x killed by signal 9 (SIGKILL)": ("x", "signaled", 9),
            "init: x killed by signal 33": ("x", "signaled", 33),
            "init: nope failed to start: ENOENT":
                ("nope", "spawn-failed", "ENOENT"),
            "init: x could not be waited for: ECHILD":
                ("x", "wait-failed", "ECHILD"),
        }
        for line, expected in cases.items():
            self.assertEqual(transcript.parse_run_result(line + "\n"), expected)

    def test_no_report_line(self):
        self.assertIsNone(transcript.parse_run_result("demo: spawning\n"))


if __name__ == "__main__":
    unittest.main()
