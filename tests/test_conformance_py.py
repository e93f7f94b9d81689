"""Unit tests for tests/conformance.py: parse, compare, load_deviations."""

import sys
import tempfile
import unittest
from pathlib import Path

from tests import conformance, conformance_matrix, conformance_native

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

    def test_native_failure_leaves_the_guest_without_an_oracle(self):
        # glibc's own failures are its deviation list's business
        # (checklist_problems); the guest only has to pass.
        native = dict(self.native)
        native["A1"] = ("FAIL", "attr-init-flags-zero: broken oracle")
        self.assertEqual(conformance.compare(native, self.guest(), {"B18"}),
                         [])
        guest = self.guest(A1=("FAIL", "attr-init-flags-zero: flags 4"))
        problems = conformance.compare(native, guest, {"B18"})
        self.assertEqual(len(problems), 1)
        self.assertIn("A1: FAIL in the guest", problems[0])

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

    def test_the_library_lists_parse_and_every_entry_is_justified(self):
        root = Path(__file__).resolve().parent.parent
        musl = conformance.load_deviations(
            conformance.library_deviations_path(root, "musl"))
        self.assertIn("B15", musl)
        glibc = conformance.load_deviations(
            conformance.library_deviations_path(root, "glibc"))
        self.assertEqual(glibc, {})
        for check_id, cells in musl.items():
            self.assertEqual(len(cells), 2, check_id)
            self.assertTrue(all(cell for cell in cells), check_id)


class ChecklistTest(unittest.TestCase):
    CHECKS = {"A1": ("ok", "x"), "B15": ("FAIL", "addopen: returned 0"),
              "E80": ("skip", "sched: the library lacks scheduling")}

    def test_listed_failure_passes(self):
        self.assertEqual(
            conformance.checklist_problems(self.CHECKS, {"B15"}, "musl"), [])

    def test_unlisted_failure_is_a_problem(self):
        problems = conformance.checklist_problems(self.CHECKS, set(), "musl")
        self.assertEqual(len(problems), 1)
        self.assertIn("B15: FAIL with musl", problems[0])

    def test_listed_check_that_passes_or_is_gone_is_stale(self):
        problems = conformance.checklist_problems(
            self.CHECKS, {"B15", "A1", "Z9"}, "musl")
        self.assertEqual(len(problems), 2)
        self.assertIn("A1: listed as a musl deviation but the run says ok "
                      "(stale entry)", problems)
        self.assertIn("Z9: listed as a musl deviation but the run says "
                      "missing (stale entry)", problems)


class FeatureProbeTest(unittest.TestCase):
    def test_every_feature_gets_a_define_from_its_probe(self):
        seen = []

        def compile_probe(source, exe):
            seen.append(source.read_text())
            return "addclosefrom" not in source.name

        with tempfile.TemporaryDirectory() as tmp:
            defines = conformance.probe_features(compile_probe, Path(tmp))
        self.assertEqual(len(defines), len(conformance.FEATURES))
        self.assertIn("-DCF_HAVE_ADDCLOSEFROM_NP=0", defines)
        self.assertIn("-DCF_HAVE_ADDCHDIR_NP=1", defines)
        self.assertIn("posix_spawn_file_actions_addclosefrom_np(&fa, 3)",
                      seen[0])
        self.assertEqual(conformance.lacking(defines),
                         ["posix_spawn_file_actions_addclosefrom_np"])


class NativeTest(unittest.TestCase):
    def test_first_error_prefers_the_real_error_to_the_linker_summary(self):
        messages = ("big.c: In function 'main':\n"
                    "big.c:(.text+0x1): undefined reference to `f_np'\n"
                    "collect2: error: ld returned 1 exit status\n")
        self.assertEqual(conformance_native.first_error(messages),
                         "big.c:(.text+0x1): undefined reference to `f_np'")
        self.assertEqual(conformance_native.first_error(
            "x.c:3:5: warning: w\nx.c:4:1: error: e\n"), "x.c:4:1: error: e")
        self.assertEqual(conformance_native.first_error(""), "(no message)")

    def test_build_directories_differ_by_compiler_and_flags(self):
        gcc = conformance_native.Library("gcc")
        musl = conformance_native.Library("musl-gcc")
        flagged = conformance_native.Library("gcc", ("-O0",))
        dirs = {conformance_native.build_dir(lib, "x", [])
                for lib in (gcc, musl, flagged)}
        self.assertEqual(len(dirs), 3)
        self.assertNotEqual(conformance_native.build_dir(gcc, "x", ["-DA=1"]),
                            conformance_native.build_dir(gcc, "x", ["-DA=0"]))

    def test_elf_interpreter_of_a_dynamic_program(self):
        interpreter = conformance_native.elf_interpreter(Path(sys.executable)
                                                         .resolve())
        self.assertTrue(interpreter is None or interpreter.startswith("/"))
        with tempfile.TemporaryDirectory() as tmp:
            text = Path(tmp) / "text"
            text.write_text("#!/bin/sh\n")
            self.assertIsNone(conformance_native.elf_interpreter(text))


class MatrixTest(unittest.TestCase):
    COLUMNS = [("glibc 2.36", {"A1": ("ok", "init"),
                               "B15": ("ok", "addopen: returned EBADF")}),
               ("musl 1.2.3", {"A1": ("ok", "init"),
                               "B15": ("FAIL", "addopen: returned 0 | x")}),
               ("libspawn 0.1 in kernel-shim", {"A1": ("ok", "init")})]

    def test_render_and_parse_round_trip(self):
        text = conformance_matrix.render(self.COLUMNS)
        headings, rows = conformance_matrix.parse_table(text)
        self.assertEqual(headings, [h for h, _ in self.COLUMNS])
        self.assertEqual(rows["A1"], ["ok", "ok", "ok"])
        self.assertEqual(rows["B15"], ["ok: returned EBADF",
                                       "FAIL: returned 0 \\| x", "-"])

    def test_a_changed_outcome_differs_and_a_version_is_a_note(self):
        committed = conformance_matrix.render(self.COLUMNS)
        columns = [("glibc 2.41", self.COLUMNS[0][1])] + self.COLUMNS[1:]
        problems, notes = conformance_matrix.compare_tables(
            committed, conformance_matrix.render(columns))
        self.assertEqual(problems, [])
        self.assertEqual(len(notes), 1)
        self.assertIn("glibc 2.41", notes[0])
        changed = [self.COLUMNS[0],
                   ("musl 1.2.3", {"A1": ("ok", "init"),
                                   "B15": ("ok", "addopen: returned EBADF")}),
                   self.COLUMNS[2]]
        problems, _ = conformance_matrix.compare_tables(
            committed, conformance_matrix.render(changed))
        self.assertEqual(len(problems), 1)
        self.assertIn("B15", problems[0])

    def test_a_check_on_one_side_only_differs(self):
        committed = conformance_matrix.render(self.COLUMNS)
        fewer = [(h, {"A1": c["A1"]}) for h, c in self.COLUMNS]
        problems, _ = conformance_matrix.compare_tables(
            committed, conformance_matrix.render(fewer))
        self.assertEqual(problems, ["B15: in the committed table but not in "
                                    "this run"])
        problems, _ = conformance_matrix.compare_tables("", committed)
        self.assertIn("A1: not in the committed table", problems)

    def test_the_committed_table_parses(self):
        text = conformance_matrix.MATRIX_PATH.read_text()
        headings, rows = conformance_matrix.parse_table(text)
        self.assertEqual(len(headings), 3)
        self.assertIn("B15", rows)
        self.assertTrue(all(len(cells) == 3 for cells in rows.values()))


if __name__ == "__main__":
    unittest.main()
