"""Unit tests for tools/testing.py, the stages of `x.py test`."""

import contextlib
import io
import unittest

from tools import cargo, testing


class CargoResultTest(unittest.TestCase):
    def test_counts_every_result_line(self):
        out = ("test result: ok. 12 passed; 0 failed; 0 ignored\n"
               "test result: FAILED. 3 passed; 2 failed; 1 ignored\n")
        self.assertEqual(cargo.CARGO_RESULT.findall(out),
                         [("12", "0"), ("3", "2")])


class UnittestCountsTest(unittest.TestCase):
    def test_skipped_tests_are_not_passed(self):
        report = "....s\nRan 5 tests in 0.1s\n\nOK (skipped=1)\n"
        self.assertEqual(testing.unittest_counts(0, report), (4, 0))

    def test_failures_and_errors_are_failed(self):
        report = "Ran 7 tests in 0.1s\n\nFAILED (failures=1, errors=2)\n"
        self.assertEqual(testing.unittest_counts(1, report), (4, 3))

    def test_a_run_that_failed_without_a_report_is_one_failure(self):
        self.assertEqual(testing.unittest_counts(1, "ImportError\n"), (0, 1))


class StagesTest(unittest.TestCase):
    def test_the_stages_and_their_order(self):
        self.assertEqual([name for name, _ in testing.STAGES],
                         ["host", "hosted", "package", "kernel", "c-abi", "python",
                          "guest", "run-c", "bench"])
        self.assertEqual(testing.MIRI_STAGE[0], "miri")

    def test_a_stage_that_raises_counts_one_failure_and_the_next_runs(self):
        def broken():
            raise RuntimeError("no compiler")

        totals = {}
        with contextlib.redirect_stdout(io.StringIO()) as shown:
            testing.run_stage("first", totals, broken)
            testing.run_stage("second", totals, lambda: (3, 0))
            testing.run_stage("many", totals,
                              lambda: {"x": (1, 0), "y": (2, 1)})
        self.assertEqual(totals, {"first": (0, 1), "second": (3, 0),
                                  "x": (1, 0), "y": (2, 1)})
        self.assertIn("stage first FAILED with an error: no compiler",
                      shown.getvalue())
        self.assertIn("x.py test: second           3 passed, 0 failed",
                      shown.getvalue())


if __name__ == "__main__":
    unittest.main()
