"""Unit tests for bench/profile.py: the spawn profile's lines, sums,
determinism comparison and per-round figures."""

import unittest

from bench import profile

LINE = ("profile spawn rounds=4 total=100 marks=8 mark_cost=22 "
        "parent_user=10 copy_in=30 exit=60")


class ParseTest(unittest.TestCase):
    def test_a_profile_line_gives_its_totals_and_phases(self):
        name, figures = profile.parse_line(LINE)
        self.assertEqual(name, "spawn")
        self.assertEqual(figures["rounds"], 4)
        self.assertEqual(figures["total"], 100)
        self.assertEqual(figures["mark_cost"], 22)
        self.assertEqual(figures["phases"],
                         {"parent_user": 10, "copy_in": 30, "exit": 60})

    def test_other_lines_are_not_profile_lines(self):
        self.assertIsNone(profile.parse_line(
            "case spawn median_us=1.0 p90_us=1.0 min_us=1.0 max_us=1.0 "
            "rounds=4"))
        self.assertEqual(profile.parse(["bench start", LINE + "\r"]).keys(),
                         {"spawn"})


class SumTest(unittest.TestCase):
    def test_phases_summing_to_the_total_pass(self):
        self.assertEqual(profile.sum_problems(profile.parse([LINE])), [])

    def test_a_phase_missing_from_the_sum_is_reported(self):
        broken = LINE.replace("exit=60", "exit=59")
        problems = profile.sum_problems(profile.parse([broken]))
        self.assertEqual(len(problems), 1)
        self.assertIn("sum to 99", problems[0])


class DeterminismTest(unittest.TestCase):
    def test_identical_boots_have_no_differences(self):
        first = profile.parse([LINE])
        self.assertEqual(profile.differences(first, profile.parse([LINE])),
                         [])

    def test_the_differing_phase_is_named(self):
        first = profile.parse([LINE])
        second = profile.parse([LINE.replace("copy_in=30", "copy_in=31")
                                .replace("total=100", "total=101")])
        found = profile.differences(first, second)
        self.assertIn("spawn copy_in: 30 != 31", found)
        self.assertIn("spawn total: 100 != 101", found)

    def test_a_case_one_boot_lacks_is_a_difference(self):
        self.assertEqual(profile.differences(profile.parse([LINE]), {}),
                         ["spawn: only in boot 1"])


class PerRoundTest(unittest.TestCase):
    def test_figures_are_divided_by_the_rounds(self):
        figures = profile.per_round(profile.parse([LINE])["spawn"])
        self.assertEqual(figures["total"], 25.0)
        self.assertEqual(figures["phases"]["exit"], 15.0)
        self.assertEqual(figures["marks"], 2.0)
        self.assertEqual(figures["mark_overhead"], 44.0)

    def test_the_table_has_a_row_per_phase_and_the_total(self):
        cases = {"spawn": profile.per_round(profile.parse([LINE])["spawn"])}
        table = profile.table_lines(cases)
        self.assertEqual(len(table), 2 + 3 + 2)
        self.assertIn("| exit | 15 |", table)
        self.assertIn("| **total** | **25** |", table)


if __name__ == "__main__":
    unittest.main()
