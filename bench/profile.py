"""profile.py: the spawn profile's lines, per-round figures and table.

kernel-shim booted with the command-line word `profile` keeps one counter
per phase of the spawn round trip (abi/src/profile.rs defines the phases
and says what each covers; kernel-shim/src/arch/profile.rs counts) and
bench/spawn_bench.c prints, per case, the counters' advance over its
timed rounds:

    profile NAME rounds=N total=T marks=M mark_cost=C PHASE=X PHASE=X ...

Under QEMU's `-icount shift=0` the counters are guest instructions, exact
and the same on every boot. This module parses those lines, checks that
the phases sum to the total, turns them into per-round figures, compares
two boots (the determinism check) and formats the table. Standard library
only; no booting here (bench.py boots).
"""

from __future__ import annotations

import re

PROFILE_LINE = re.compile(r"^profile (\S+) rounds=(\d+) total=(\d+) "
                          r"marks=(\d+) mark_cost=(\d+)((?: \w+=\d+)*)$")
#: The cases the table shows (every case is in the JSON), with headers.
TABLE_CASES = [("spawn", "spawn"), ("spawn_fa_64", "64 actions"),
               ("spawn_argenv_64kib", "argv 64 KiB")]


def parse_line(line: str) -> tuple[str, dict] | None:
    """One profile line as (case, {rounds, total, marks, mark_cost,
    phases: {name: count}}) with the totals over the rounds; None if the
    line is not one."""
    match = PROFILE_LINE.match(line.strip())
    if match is None:
        return None
    phases = {}
    for word in match.group(6).split():
        name, _, value = word.partition("=")
        phases[name] = int(value)
    return match.group(1), {"rounds": int(match.group(2)),
                            "total": int(match.group(3)),
                            "marks": int(match.group(4)),
                            "mark_cost": int(match.group(5)),
                            "phases": phases}


def parse(lines: list[str]) -> dict[str, dict]:
    """Every profile line of a boot's output, by case."""
    profiles = {}
    for line in lines:
        parsed = parse_line(line)
        if parsed is not None:
            profiles[parsed[0]] = parsed[1]
    return profiles


def sum_problems(profiles: dict[str, dict]) -> list[str]:
    """Cases whose phases do not sum to their total, or that have no
    rounds or no marks (each counter cycle belongs to exactly one phase,
    so the sum is exact)."""
    problems = []
    for name, profile in sorted(profiles.items()):
        summed = sum(profile["phases"].values())
        if summed != profile["total"]:
            problems.append(f"{name}: phases sum to {summed}, total "
                            f"{profile['total']}")
        if profile["rounds"] < 1 or profile["marks"] < 1:
            problems.append(f"{name}: {profile['rounds']} rounds, "
                            f"{profile['marks']} marks")
    return problems


def differences(first: dict[str, dict], second: dict[str, dict]) -> list[str]:
    """Where two boots' profiles differ: `case phase: a != b` (and cases
    one boot lacks). Empty when the counts are identical."""
    out = []
    for name in sorted(set(first) | set(second)):
        a, b = first.get(name), second.get(name)
        if a is None or b is None:
            out.append(f"{name}: only in boot {1 if b is None else 2}")
            continue
        for key in ("rounds", "total", "marks", "mark_cost"):
            if a[key] != b[key]:
                out.append(f"{name} {key}: {a[key]} != {b[key]}")
        for phase in a["phases"].keys() | b["phases"].keys():
            x, y = a["phases"].get(phase), b["phases"].get(phase)
            if x != y:
                out.append(f"{name} {phase}: {x} != {y}")
    return out


def per_round(profile: dict) -> dict:
    """A case's figures per round (one decimal): total, phases, marks, and
    the marks' own cost (marks per round times the measured cost of one)."""
    rounds = profile["rounds"]
    marks = profile["marks"] / rounds
    return {"rounds": rounds,
            "total": round(profile["total"] / rounds, 1),
            "marks": round(marks, 1),
            "mark_cost": profile["mark_cost"],
            "mark_overhead": round(marks * profile["mark_cost"], 1),
            "phases": {name: round(value / rounds, 1)
                       for name, value in profile["phases"].items()}}


def table_lines(cases: dict[str, dict]) -> list[str]:
    """The Markdown table of per-round instructions by phase for the
    TABLE_CASES present in `cases` (per_round figures)."""
    shown = [(name, header) for name, header in TABLE_CASES if name in cases]
    if not shown:
        return ["(no profile)"]
    phases = list(cases[shown[0][0]]["phases"])
    lines = ["| Phase (instructions per round) | "
             + " | ".join(header for _, header in shown) + " |",
             "|---|" + "---:|" * len(shown)]
    for phase in phases:
        lines.append(f"| {phase} | " + " | ".join(
            f"{cases[name]['phases'].get(phase, 0):,.0f}"
            for name, _ in shown) + " |")
    lines.append("| **total** | " + " | ".join(
        f"**{cases[name]['total']:,.0f}**" for name, _ in shown) + " |")
    lines.append("| of which the marks themselves | " + " | ".join(
        f"{cases[name]['mark_overhead']:,.0f} ({cases[name]['marks']:g} "
        f"x {cases[name]['mark_cost']})" for name, _ in shown) + " |")
    return lines
