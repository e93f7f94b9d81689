"""Unit tests for tests/conformance.py: parse, compare, load_deviations."""

import tempfile
import unittest
from pathlib import Path

from tests import conformance

NATIVE_OUTPUT = """\
ok A1 attr-init-flags-zero
ok C26 spawn-missing-path: returned ENOENT
skip X-nowait-2 nowait-missing-image-exit-127: POSIX_SPAWN_NOWAIT_NP is this project's extension
ok B18 addfchdir-minus-1: returned 0
conformance attr_objects: 3 passed, 0 failed, 1 skipped
"""


class ParseTest(unittest.TestCase):
    def test_statuses_and_texts(self):
        checks = conformance.parse(NATIVE_OUTPUT)
        self.assertEqual(checks["A1"], ("ok", "attr-init-flags-zero"))
        self.assertEqual(checks["C26"],
                         ("ok", "spawn-missing-path: returned ENOENT"))
        self.assertEqual(checks["X-nowait-2"][0], "skip")
        self.assertEqual(len(checks), 4)

    def test_other_lines_are_ignored(self):
        text = ("note: something\nFAIL\nok\nconformance x: 1 passed, 0 "
                "failed, 0 skipped\n  ok A1 indented\nokay A2 x\n")
        self.assertEqual(conformance.parse(text), {})

    def test_fail_line(self):
        checks = conformance.parse("FAIL D41 addclose-of-unopened-fd: "
                                   "returned EBADF (Austin Group 370)\n")
        self.assertEqual(checks["D41"],
                         ("FAIL", "addclose-of-unopened-fd: returned EBADF "
                          "(Austin Group 370)"))

    def test_carriage_returns_from_a_serial_console(self):
        checks = conformance.parse("ok A1 attr-init-flags-zero\r\n")
        self.assertEqual(checks["A1"], ("ok", "attr-init-flags-zero"))

    def test_duplicate_keeps_first_unless_fail(self):
        checks = conformance.parse("ok A1 x\nok A1 y\n")
        self.assertEqual(checks["A1"], ("ok", "x"))
        checks = conformance.parse("ok A1 x\nFAIL A1 y: z\n")
        self.assertEqual(checks["A1"], ("FAIL", "y: z"))

    def test_completed_programs(self):
        done = conformance.completed_programs(
            NATIVE_OUTPUT + "conformance big_parent: 6 passed, 1 failed, "
            "0 skipped\r\n")
        self.assertEqual(done, {"attr_objects": (3, 0, 1),
                                "big_parent": (6, 1, 0)})

    def test_totals(self):
        self.assertEqual(conformance.totals(conformance.parse(NATIVE_OUTPUT)),
                         (3, 0, 1))


class CompareTest(unittest.TestCase):
    def setUp(self):
        self.native = conformance.parse(NATIVE_OUTPUT)

    def guest(self, **changes):
        checks = dict(self.native)
        checks["X-nowait-2"] = ("ok", "nowait-missing-image-exit-127")
        checks["B18"] = ("ok", "addfchdir-minus-1: returned EBADF")
        for key, value in changes.items():
            key = key.replace("_", "-")
            if value is None:
                checks.pop(key, None)
            else:
                checks[key] = value
        return checks

    def test_identical_outcomes_and_listed_deviation_pass(self):
        self.assertEqual(
            conformance.compare(self.native, self.guest(), {"B18"}), [])

    def test_unlisted_difference_is_a_problem(self):
        problems = conformance.compare(self.native, self.guest(), set())
        self.assertEqual(len(problems), 1)
        self.assertIn("B18", problems[0])
        self.assertIn("returned 0", problems[0])
        self.assertIn("returned EBADF", problems[0])

    def test_guest_failure_is_a_problem_even_if_listed(self):
        guest = self.guest(A1=("FAIL", "attr-init-flags-zero: flags 4"))
        problems = conformance.compare(self.native, guest, {"B18", "A1"})
        self.assertEqual(len(problems), 1)
        self.assertIn("A1: FAIL in the guest", problems[0])

    def test_native_failure_is_a_problem(self):
        native = dict(self.native)
        native["A1"] = ("FAIL", "attr-init-flags-zero: broken oracle")
        problems = conformance.compare(native, self.guest(), {"B18"})
        self.assertEqual(problems,
                         ["A1: FAIL natively (glibc): attr-init-flags-zero: "
                          "broken oracle"])

    def test_missing_on_either_side(self):
        problems = conformance.compare(self.native, self.guest(C26=None),
                                       {"B18"})
        self.assertEqual(problems, ["C26: missing in the guest run"])
        guest = self.guest(E99=("ok", "new-check"))
        problems = conformance.compare(self.native, guest, {"B18"})
        self.assertEqual(problems, ["E99: missing in the native run"])

    def test_native_skip_has_no_oracle(self):
        guest = self.guest(X_nowait_2=("ok", "a different text entirely"))
        self.assertEqual(conformance.compare(self.native, guest, {"B18"}), [])
        guest = self.guest(X_nowait_2=("skip", "reason"))
        self.assertEqual(conformance.compare(self.native, guest, {"B18"}), [])

    def test_guest_skip_of_a_native_check(self):
        guest = self.guest(C26=("skip", "spawn-missing-path: no reason"))
        problems = conformance.compare(self.native, guest, {"B18"})
        self.assertEqual(len(problems), 1)
        self.assertIn("C26: skipped in the guest", problems[0])
        self.assertEqual(
            conformance.compare(self.native, guest, {"B18", "C26"}), [])

    def test_stale_deviation(self):
        problems = conformance.compare(self.native, self.guest(),
                                       {"B18", "C26"})
        self.assertEqual(len(problems), 1)
        self.assertIn("C26: listed in DEVIATIONS.md", problems[0])
        self.assertIn("stale", problems[0])

    def test_deviations_may_be_a_dict(self):
        self.assertEqual(conformance.compare(
            self.native, self.guest(), {"B18": ["0", "EBADF", "POSIX"]}), [])


DEVIATIONS_TEXT = """\
# Deviations

Some prose | with a pipe that is not a table row.

| Check | glibc | this project | why |
|---|---|---|---|
| `B18` | `returned 0` | `returned EBADF` | POSIX.1-2024 addfchdir |
| D63b | closed | open | deliberate |
|:---:|---|---|---|
| `not an id!` | x | y | z |

- `A7` is only mentioned in a list.

| Check id | a | b |
|---|---|---|
| `X-capacity` | all | ENOMEM |
"""


class LoadDeviationsTest(unittest.TestCase):
    def load(self, text):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "DEVIATIONS.md"
            path.write_text(text)
            return conformance.load_deviations(path)

    def test_table_rows(self):
        entries = self.load(DEVIATIONS_TEXT)
        self.assertEqual(sorted(entries), ["B18", "D63b", "X-capacity"])
        self.assertEqual(entries["B18"], ["`returned 0`", "`returned EBADF`",
                                          "POSIX.1-2024 addfchdir"])

    def test_missing_file_is_empty(self):
        self.assertEqual(
            conformance.load_deviations(Path("/nonexistent/DEVIATIONS.md")),
            {})

    def test_the_real_list_parses_and_every_entry_is_justified(self):
        path = conformance.deviations_path(Path(__file__).resolve().parent.parent)
        entries = conformance.load_deviations(path)
        self.assertIn("B18", entries)
        for check_id, cells in entries.items():
            self.assertEqual(len(cells), 3, check_id)
            self.assertTrue(all(cell for cell in cells), check_id)
            self.assertNotIn("not implemented", cells[2].lower(), check_id)


if __name__ == "__main__":
    unittest.main()
