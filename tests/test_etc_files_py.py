"""Unit tests for tools/etc_files.py: the guest's /etc/passwd and
/etc/group."""

import unittest

from tools import etc_files, initrd


class EtcFilesTest(unittest.TestCase):
    def test_passwd_lines_have_seven_fields_and_name_root_and_user_1000(self):
        lines = etc_files.PASSWD.splitlines()
        self.assertTrue(all(len(line.split(":")) == 7 for line in lines))
        ids = {line.split(":")[0]: line.split(":")[2:4] for line in lines}
        self.assertEqual(ids["root"], ["0", "0"])
        self.assertEqual(ids["user"], ["1000", "1000"])

    def test_group_lines_have_four_fields_and_name_gids_0_and_1000(self):
        lines = etc_files.GROUP.splitlines()
        self.assertTrue(all(len(line.split(":")) == 4 for line in lines))
        gids = {line.split(":")[2] for line in lines}
        self.assertLessEqual({"0", "1000"}, gids)

    def test_both_files_go_into_the_initrd_readable_by_all(self):
        listing = initrd.read_initrd(initrd.archive(etc_files.etc_files()))
        self.assertEqual(set(listing), {"etc/passwd", "etc/group"})
        for mode, _ in listing.values():
            self.assertEqual(mode, 0o100644)


if __name__ == "__main__":
    unittest.main()
