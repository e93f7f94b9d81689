"""Unit tests for tests/guest.py, the guest stage of `x.py test`."""

import contextlib
import io
import unittest

from tests import guest
from tools.abi import (QEMU_EXIT_FAILURE, QEMU_EXIT_KERNEL_FAULT,
                       QEMU_EXIT_SUCCESS)
from tools.qemu import Boot


class FailedOutputTest(unittest.TestCase):
    def test_a_failed_guest_tests_output_is_repeated_for_the_console(self):
        transcript = ("test t_a ... ok\nnoise of t_b\nt_b: wrong status\n"
                      "test t_b ... FAILED: exit status 1\ntest t_c ... ok\n")
        with contextlib.redirect_stdout(io.StringIO()) as shown:
            guest.show_failed_test_output(transcript)
        self.assertEqual(shown.getvalue().splitlines(), [
            "x.py test: output of the failed t_b:",
            "x.py test:   | noise of t_b",
            "x.py test:   | t_b: wrong status"])

    def test_passing_tests_repeat_nothing(self):
        with contextlib.redirect_stdout(io.StringIO()) as shown:
            guest.show_failed_test_output("noise\ntest t_a ... ok\n")
        self.assertEqual(shown.getvalue(), "")


class BootProblemsTest(unittest.TestCase):
    def test_a_successful_boot_has_no_problem(self):
        self.assertEqual(guest.boot_problems(
            Boot(QEMU_EXIT_SUCCESS, [], [], 1.0)), [])

    def test_a_timeout_and_a_failure_status_are_named(self):
        self.assertEqual(guest.boot_problems(Boot(None, [], [], 300.0)),
                         [f"QEMU timed out after "
                          f"{guest.GUEST_TIMEOUT_SECONDS} s"])
        self.assertEqual(guest.boot_problems(
            Boot(QEMU_EXIT_FAILURE, [], [], 1.0)),
            [f"QEMU exited with {QEMU_EXIT_FAILURE} (a guest test failed)"])
        self.assertEqual(guest.boot_problems(Boot(1, [], [], 1.0)),
                         ["QEMU exited with 1 (not the success code 33)"])


if __name__ == "__main__":
    unittest.main()


class FailslabProblemsTest(unittest.TestCase):
    TRANSCRIPT = ["test t_a ... ok\n", "test t_b ... FAILED: exit status 1\n",
                  guest.COUNTERS_BACK + "\n"]

    def test_failed_programs_are_allowed_under_injection(self):
        boot = Boot(QEMU_EXIT_FAILURE, self.TRANSCRIPT, [], 1.0)
        self.assertEqual(guest.failslab_problems(boot, ["t_a", "t_b"],
                                                 "1 allocations"), [])

    def test_a_kernel_fault_a_missing_program_and_a_leak_are_problems(self):
        boot = Boot(QEMU_EXIT_KERNEL_FAULT, self.TRANSCRIPT[:1], [], 1.0)
        problems = guest.failslab_problems(boot, ["t_a", "t_b"], None)
        self.assertEqual(len(problems), 4)
        self.assertIn("the kernel faulted", problems[0])
        self.assertIn("1 of 2 programs reported", problems[1])
