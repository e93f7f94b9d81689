"""Unit tests for tools/fuzz.py (x.py fuzz host and guest): its doctests."""

import doctest

from tools import fuzz


def load_tests(loader, tests, ignore):
    tests.addTests(doctest.DocTestSuite(fuzz))
    return tests
