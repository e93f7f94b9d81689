"""The conformance part of the guest stage: three libraries, their lists,
the table.

After the guest boot, `differential(transcript)`:

- runs the suite natively against glibc (gcc) and musl (musl-gcc), and
  measures each against the checklist: every FAIL must be listed and
  justified in that library's list (tests/conformance/DEVIATIONS-glibc.md,
  DEVIATIONS-musl.md), and a listed check that passes is a stale entry;
- compares the guest's checks with glibc's (conformance.compare and
  tests/conformance/DEVIATIONS.md);
- renders the cross-library table into build/conformance/matrix.md and
  compares it with the committed docs/conformance-matrix.md.

    differential(transcript) -> {part: (passed, failed)}

Standard library only.
"""

from __future__ import annotations

import re

from tests import conformance, conformance_matrix
from tests.conformance_native import Library, Run, run_library
from tools.paths import ROOT

#: The native oracles of `x.py test`: (deviation list name, compiler).
ORACLES = [("glibc", "gcc"), ("musl", "musl-gcc")]
#: The guest column's heading in the table.
GUEST_COLUMN = "libspawn {version} in kernel-shim"


def libspawn_version() -> str:
    """The workspace's version, which libspawn's manifest inherits."""
    manifest = (ROOT / "Cargo.toml").read_text()
    found = re.search(r'^version\s*=\s*"([^"]+)"', manifest, re.M)
    return found.group(1) if found else "(version unknown)"


def oracle_totals(list_name: str, run: Run) -> tuple[int, int]:
    """A native library against the checklist and its deviation list."""
    deviations = conformance.load_deviations(
        conformance.library_deviations_path(ROOT, list_name))
    problems = conformance.checklist_problems(run.checks, deviations,
                                              run.label)
    ok, fail, skip = conformance.totals(run.checks)
    for problem in problems:
        print(f"conformance [{run.label}]: {problem}")
    print(f"conformance [{run.label}]: {ok} ok, {fail} failed "
          f"({len(deviations)} listed in DEVIATIONS-{list_name}.md), "
          f"{skip} skipped; {len(problems)} problems")
    return max(ok + fail - len(problems), 0), len(problems)


def guest_totals(glibc: Run, guest: dict[str, tuple[str, str]]
                 ) -> tuple[int, int]:
    """The guest against glibc, as it always was."""
    deviations = conformance.load_deviations(conformance.deviations_path(ROOT))
    problems = conformance.compare(glibc.checks, guest, deviations)
    ok, fail, skip = conformance.totals(guest)
    for problem in problems:
        print(f"conformance: {problem}")
    print(f"conformance: guest {ok} ok, {fail} failed, {skip} skipped; "
          f"against {glibc.label}: {len(deviations)} documented deviations; "
          f"{len(problems)} problems")
    # Every guest check that ran and matched counts as passed; each problem
    # (a failure, or an undocumented disagreement with glibc) as failed.
    return max(ok - len(problems), 0), len(problems)


def matrix_totals(columns: list[tuple[str, dict[str, tuple[str, str]]]]
                  ) -> tuple[int, int]:
    """Writes the fresh table and compares it with the committed one."""
    fresh = conformance_matrix.render(columns)
    path = conformance_matrix.FRESH_MATRIX_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(fresh)
    committed_path = conformance_matrix.MATRIX_PATH
    committed = committed_path.read_text() if committed_path.exists() else ""
    problems, notes = conformance_matrix.compare_tables(committed, fresh)
    for note in notes:
        print(f"conformance matrix: note: {note}")
    for problem in problems:
        print(f"conformance matrix: {problem}")
    rows = len(conformance_matrix.parse_table(fresh)[1])
    print(f"conformance matrix: {rows} checks, {len(problems)} differ from "
          f"docs/conformance-matrix.md (a fresh table is in {path})")
    return max(rows - len(problems), 0), len(problems)


def differential(transcript: str) -> dict[str, tuple[int, int]]:
    """The native oracles, the guest compared with glibc, and the table."""
    runs = {name: run_library(Library(cc)) for name, cc in ORACLES}
    guest = conformance.parse(transcript)
    totals = {f"conf-{name}": oracle_totals(name, run)
              for name, run in runs.items()}
    totals["conformance"] = guest_totals(runs["glibc"], guest)
    columns = [(run.label, run.checks) for run in runs.values()]
    columns.append((GUEST_COLUMN.format(version=libspawn_version()), guest))
    totals["conf-matrix"] = matrix_totals(columns)
    return totals
