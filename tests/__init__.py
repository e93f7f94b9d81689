"""The tests and the test runners (the build lives in tools/).

A package so that runners and unit tests import `tools.*` and one another
without touching sys.path; `x.py test` discovers the unit tests with the
repository root as the top level.
"""
