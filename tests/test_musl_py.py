"""Unit tests for the link-map reading of tools/musl.py."""

import unittest

from tools import musl

MAP = """Archive member included to satisfy reference by file (symbol)

/usr/lib/x86_64-linux-musl/libc.a(__libc_start_main.lo)
                              /usr/lib/x86_64-linux-musl/Scrt1.o (__libc_start_main)
/usr/lib/x86_64-linux-musl/libc.a(system.lo)
                              /tmp/cc.o (system)

Discarded input sections

 .text          0x0000000000000000        0x0 /usr/lib/x86_64-linux-musl/libc.a(popen.lo)
"""


class LinkedMembersTest(unittest.TestCase):
    def test_reads_the_members_of_the_first_section_only(self):
        self.assertEqual(musl.linked_members(MAP), [
            ("/usr/lib/x86_64-linux-musl/libc.a", "__libc_start_main.lo"),
            ("/usr/lib/x86_64-linux-musl/libc.a", "system.lo"),
        ])

    def test_a_map_without_archive_members_has_none(self):
        self.assertEqual(musl.linked_members("Memory Configuration\n"), [])


if __name__ == "__main__":
    unittest.main()
