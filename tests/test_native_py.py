"""Unit tests for the native-run helpers of tests/native.py."""

import os
import tempfile
import unittest
from pathlib import Path

from tests import native


class NativeScratchTest(unittest.TestCase):
    def setUp(self):
        self.saved = tempfile.tempdir
        # Mode 0700, as mkdtemp makes it, on a file system that runs programs.
        self.private = tempfile.mkdtemp(dir=native.scratch_base())

    def tearDown(self):
        tempfile.tempdir = self.saved
        os.rmdir(self.private)

    def test_a_private_tmpdir_is_not_used_for_scratch(self):
        tempfile.tempdir = self.private
        with native.native_scratch("t-") as scratch:
            self.assertFalse(scratch.startswith(self.private))
            self.assertEqual(os.stat(scratch).st_mode & 0o777, 0o755)

    def test_a_noexec_tmpdir_is_not_used_for_scratch(self):
        from unittest import mock

        os.chmod(self.private, 0o755)
        tempfile.tempdir = self.private
        real_statvfs = os.statvfs
        private = Path(self.private).resolve()

        def statvfs(path):
            result = real_statvfs(path)
            if Path(path) != private:
                return result
            return mock.Mock(f_flag=result.f_flag | os.ST_NOEXEC)

        with mock.patch.object(native.os, "statvfs", statvfs):
            with native.native_scratch("t-") as scratch:
                self.assertNotEqual(Path(scratch).parent, private)

    def test_a_searchable_tmpdir_is_used(self):
        os.chmod(self.private, 0o755)
        tempfile.tempdir = self.private
        with native.native_scratch("t-") as scratch:
            self.assertEqual(Path(scratch).parent, Path(self.private).resolve())


class RunNativeTest(unittest.TestCase):
    def test_no_standard_input_and_the_scratch_is_cwd_and_tmpdir(self):
        with native.native_scratch("t-") as scratch:
            result = native.run_native(
                ["sh", "-c", 'read x; echo "$? $PWD $TMPDIR ${GONE-unset}"'],
                scratch, 10, unset=("GONE",))
        self.assertEqual(result.stdout.split(), ["1", scratch, scratch, "unset"])


if __name__ == "__main__":
    unittest.main()
