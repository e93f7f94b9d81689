"""Unit tests of the script suite's reading (tests/shell_suite.py): each
wrapper's section of the transcript, its status and standard error lines,
and the list of intended differences."""

import unittest

from tests import shell_suite

TRANSCRIPT = """test t_other ... ok
hello
  indented
sh-status: 3
sh-stderr: sh: oops
test sh_first ... ok
sh-status: 0
test sh_second ... ok
no status line
test sh_third ... FAILED: exit status 2
"""


class GuestResultsTest(unittest.TestCase):
    def test_each_wrapper_gets_its_output_status_and_stderr(self):
        results = shell_suite.guest_results(TRANSCRIPT)
        self.assertEqual(results["first"], ("hello\n  indented\n", 3,
                                            ["sh: oops"]))
        self.assertEqual(results["second"], ("", 0, []))

    def test_a_missing_status_line_is_none(self):
        results = shell_suite.guest_results(TRANSCRIPT)
        self.assertEqual(results["third"], ("no status line\n", None, []))

    def test_other_programs_are_not_scripts(self):
        self.assertNotIn("t_other", shell_suite.guest_results(TRANSCRIPT))


class GuestProgramsTest(unittest.TestCase):
    def test_every_script_has_a_wrapper_that_runs_it_with_sh(self):
        files, names = shell_suite.guest_programs()
        self.assertEqual(len(names), len(shell_suite.scripts()))
        for script in shell_suite.scripts():
            wrapper = files["bin/" + shell_suite.GUEST_PREFIX + script.stem]
            self.assertTrue(wrapper.startswith(b"#!/bin/sh\n"))
            self.assertIn(f"sh /etc/sh-scripts/{script.name}".encode(),
                          wrapper)


class DifferencesTest(unittest.TestCase):
    def test_only_dash_lines_naming_a_script_count(self):
        listed = shell_suite.intended_differences()
        for name in listed:
            self.assertTrue((shell_suite.SCRIPT_DIR / f"{name}.sh").exists(),
                            f"{name} is listed but is no script")


if __name__ == "__main__":
    unittest.main()
