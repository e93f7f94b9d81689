"""Unit tests for tests/fuzzing.py (x.py fuzz host): its doctests."""

import doctest
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fuzzing  # noqa: E402  (needs the path above)


def load_tests(loader, tests, ignore):
    tests.addTests(doctest.DocTestSuite(fuzzing))
    return tests
