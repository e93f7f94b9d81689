"""tools/abi.py against the Rust definitions of the same numbers.

The Rust side is parsed, not run; re-point the constants below when a
definition moves.
"""

import re
import unittest

from tools import abi
from tools.paths import ROOT

#: The Rust source with `pub mod qemu_exit { PORT, SUCCESS, FAILURE,
#: KERNEL_FAULT }`.
RUST_QEMU_EXIT_SOURCE = ROOT / "abi" / "src" / "lib.rs"
#: The Rust source with `KERNEL_CMDLINE_MAX`, the kernel's command-line
#: buffer.
RUST_CMDLINE_SOURCE = ROOT / "abi" / "src" / "lib.rs"

RUST_CONST = re.compile(
    r"pub const (\w+)\s*:\s*\w+\s*=\s*(0x[0-9a-fA-F_]+|[0-9_]+)\s*;")


def rust_int(literal: str) -> int:
    return int(literal.replace("_", ""), 0)


def rust_module_consts(path, module: str) -> dict[str, int]:
    """The integer constants of `pub mod MODULE { ... }` in `path`."""
    text = path.read_text()
    match = re.search(r"pub mod " + module + r"\s*\{(.*?)\n\}", text, re.S)
    if match is None:
        raise AssertionError(f"no `pub mod {module}` in {path}")
    return {name: rust_int(value)
            for name, value in RUST_CONST.findall(match.group(1))}


class QemuExitTest(unittest.TestCase):
    def test_exit_codes_match_the_rust_definition(self):
        rust = rust_module_consts(RUST_QEMU_EXIT_SOURCE, "qemu_exit")
        self.assertEqual(rust, {
            "PORT": abi.DEBUG_EXIT_PORT,
            "SUCCESS": abi.GUEST_EXIT_SUCCESS,
            "FAILURE": abi.GUEST_EXIT_FAILURE,
            "KERNEL_FAULT": abi.GUEST_EXIT_KERNEL_FAULT,
        })

    def test_qemu_reports_twice_the_code_plus_one(self):
        self.assertEqual((abi.QEMU_EXIT_SUCCESS, abi.QEMU_EXIT_FAILURE,
                          abi.QEMU_EXIT_KERNEL_FAULT), (33, 35, 37))

    def test_the_qemu_configuration_puts_the_device_at_the_port(self):
        args = (ROOT / "qemu" / "args").read_text()
        self.assertIn(f"isa-debug-exit,iobase={abi.DEBUG_EXIT_PORT:#x}", args)


class CmdlineTest(unittest.TestCase):
    def test_the_command_line_limit_matches_the_kernel(self):
        match = re.search(r"pub const KERNEL_CMDLINE_MAX\s*:\s*usize\s*=\s*([0-9_]+)",
                          RUST_CMDLINE_SOURCE.read_text())
        self.assertIsNotNone(match, RUST_CMDLINE_SOURCE)
        self.assertEqual(rust_int(match.group(1)), abi.KERNEL_CMDLINE_MAX)


class LinkAddressTest(unittest.TestCase):
    def test_the_guest_link_address_is_read_from_the_rust_layout(self):
        self.assertEqual(abi.guest_link_address(), 0x40_0000)


if __name__ == "__main__":
    unittest.main()
