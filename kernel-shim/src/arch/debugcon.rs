//! Kernel log: QEMU's debugcon device on port 0xe9, never the console.
//!
//! Each byte written to the port lands in the file or character device
//! named by QEMU's `-debugcon` flag. The test protocol owns COM1, so every
//! kernel diagnostic goes here instead.

use core::fmt::{self, Write};
use x86_64::instructions::port::PortWriteOnly;

/// I/O port of QEMU's debugcon device.
pub const DEBUGCON_PORT: u16 = 0xe9;

/// A `fmt::Write` sink for the debugcon port. It holds no state, so every
/// context (including fault handlers) may make its own.
pub struct DebugCon;

impl Write for DebugCon {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        let mut port = PortWriteOnly::<u8>::new(DEBUGCON_PORT);
        for byte in text.bytes() {
            // SAFETY: port 0xe9 is QEMU's debugcon, a write-only sink with
            // no side effect on guest memory.
            unsafe { port.write(byte) };
        }
        Ok(())
    }
}

/// Writes formatted text to the kernel log. Used by [`klog!`].
pub fn write_fmt(args: fmt::Arguments<'_>) {
    // Writing to the port cannot fail.
    let _ = DebugCon.write_fmt(args);
}

/// Logs one line to the kernel log (debugcon), `println!`-style.
#[macro_export]
macro_rules! klog {
    ($($arg:tt)*) => {
        $crate::arch::debugcon::write_fmt(format_args!("[kernel] {}\n", format_args!($($arg)*)))
    };
}
