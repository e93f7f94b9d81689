"""Numbers the Python side shares with the kernel, each defined once here.

The Rust side defines them too (it has to: the kernel writes the exit
codes, parses the command line). tests/test_abi_py.py parses the Rust
sources and fails when the two disagree, so a number changes in one
Python place and one Rust place, checked against each other.
GUEST_LINK_ADDRESS is not copied at all: guest_link_address() reads it from
the Rust source when a guest program is linked.
"""

from __future__ import annotations

import re

from tools.paths import ROOT

# --- QEMU's isa-debug-exit (Rust: libspawn::abi::qemu_exit) -------------------

#: I/O port of the isa-debug-exit device (qemu/args puts it there).
DEBUG_EXIT_PORT = 0xF4
#: Codes the guest writes to DEBUG_EXIT_PORT.
GUEST_EXIT_SUCCESS = 0x10
GUEST_EXIT_FAILURE = 0x11
GUEST_EXIT_KERNEL_FAULT = 0x12


def qemu_status(guest_code: int) -> int:
    """QEMU's exit status when the guest writes `guest_code`: 2c + 1."""
    return guest_code << 1 | 1


#: init powered off with success: every guest test passed (33).
QEMU_EXIT_SUCCESS = qemu_status(GUEST_EXIT_SUCCESS)
#: init powered off with failure, or could not start or exited (35).
QEMU_EXIT_FAILURE = qemu_status(GUEST_EXIT_FAILURE)
#: The kernel faulted or panicked (37).
QEMU_EXIT_KERNEL_FAULT = qemu_status(GUEST_EXIT_KERNEL_FAULT)
#: What each status means, for messages.
QEMU_EXIT_MEANINGS = {
    QEMU_EXIT_SUCCESS: "success",
    QEMU_EXIT_FAILURE: "a guest test failed",
    QEMU_EXIT_KERNEL_FAULT: "the kernel faulted",
}

# --- the kernel command line (Rust: shim-abi KERNEL_CMDLINE_MAX) ------

#: Bytes the kernel keeps of its command line, NUL included.
KERNEL_CMDLINE_MAX = 1024

# --- the user address-space layout (read from Rust, not copied) --------------

#: The Rust source that defines GUEST_LINK_ADDRESS.
LAYOUT_SOURCE = ROOT / "abi" / "src" / "lib.rs"
GUEST_LINK_ADDRESS = re.compile(
    r"GUEST_LINK_ADDRESS\s*:\s*u64\s*=\s*(0x[0-9a-fA-F_]+)")


def guest_link_address() -> int:
    """GUEST_LINK_ADDRESS, where the project's guest programs are linked."""
    match = GUEST_LINK_ADDRESS.search(LAYOUT_SOURCE.read_text())
    if match is None:
        raise RuntimeError(f"GUEST_LINK_ADDRESS not found in {LAYOUT_SOURCE}")
    return int(match.group(1).replace("_", ""), 16)
