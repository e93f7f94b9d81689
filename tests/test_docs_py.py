"""The documentation names only files that exist in the repository.

A reader follows `docs/porting.md` and the READMEs literally, so every
repository path they give in backticks (`libspawn/src/exec.rs`,
`kernel-shim/...`) must exist, and every markdown file they name must be
in the repository (a user's clone has nothing else). Paths with a pattern
(`spawn*.rs`, `{a,b}.rs`) and guest paths (`/bin/echo`) are not checked.
"""

from __future__ import annotations

import re
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The documents a user reads.
DOCUMENTS = [
    "README.md",
    "docs/porting.md",
    "libspawn/README.md",
    "qemu/README.md",
    "userland/README.md",
    "userland/support/README.md",
    "userland/utils/README.md",
    "userland/sh/README.md",
    "tests/sh/DIFFERENCES.md",
    "tests/conformance/DEVIATIONS.md",
    "tests/conformance/DEVIATIONS-glibc.md",
    "tests/conformance/DEVIATIONS-musl.md",
    "docs/conformance-matrix.md",
]

PATTERN_CHARACTERS = set("*{}<>$")


def top_level_folders(root: Path) -> list[str]:
    """The repository's top-level folders, as path prefixes."""
    return sorted(
        entry.name + "/"
        for entry in root.iterdir()
        if entry.is_dir() and not entry.name.startswith(".")
        and entry.name not in ("target", "build")
    )


def cited_names(text: str) -> list[str]:
    """Every backticked word without spaces, with a trailing `:line` or
    punctuation removed."""
    names = []
    for token in re.findall(r"`([^`\s]+)`", text):
        names.append(token.split(":")[0].rstrip(".,;"))
    return names


def missing_citations(root: Path, document: str) -> list[str]:
    """The repository paths and markdown files `document` cites that do not
    exist under `root`."""
    text = (root / document).read_text()
    prefixes = top_level_folders(root)
    markdown_files = {path.name for path in root.rglob("*.md")
                      if "target" not in path.parts}
    missing = []
    for name in cited_names(text):
        if PATTERN_CHARACTERS & set(name):
            continue
        if any(name.startswith(prefix) for prefix in prefixes):
            if not (root / name).exists():
                missing.append(name)
        elif name.endswith(".md") and "/" not in name:
            if Path(name).name not in markdown_files:
                missing.append(name)
    return missing


class DocumentsCiteExistingFiles(unittest.TestCase):
    def test_every_cited_repository_path_exists(self):
        for document in DOCUMENTS:
            if not (ROOT / document).exists():
                continue
            with self.subTest(document=document):
                self.assertEqual(missing_citations(ROOT, document), [])

    def test_the_check_finds_a_missing_path_and_a_foreign_markdown_file(self):
        text = ("see `libspawn/src/exec.rs`, `libspawn/src/nope.rs`, "
                "`spawn*.rs`, `/bin/echo` and `posix-spawn-semantics.md`")
        scratch = ROOT / "build" / "test_docs_scratch.md"
        scratch.parent.mkdir(exist_ok=True)
        scratch.write_text(text)
        try:
            found = missing_citations(ROOT, "build/test_docs_scratch.md")
        finally:
            scratch.unlink()
        self.assertEqual(found, ["libspawn/src/nope.rs",
                                 "posix-spawn-semantics.md"])


if __name__ == "__main__":
    unittest.main()
