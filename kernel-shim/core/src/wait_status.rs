//! Linux `wait4` status words and the signals that produce them.
//!
//! A child that exited has status `(code & 0xff) << 8`; one killed by a
//! signal has the signal number in the low seven bits.
#![forbid(unsafe_code)]

use shim_abi::signal;
use shim_abi::wait::{EXIT_CODE_MASK, EXIT_CODE_SHIFT, SIGNAL_MASK};

/// CPU exception vectors that user code can raise.
pub mod vector {
    /// #DE, divide error.
    pub const DIVIDE_ERROR: u64 = 0;
    /// #DB, debug.
    pub const DEBUG: u64 = 1;
    /// #BP, breakpoint (`int3`).
    pub const BREAKPOINT: u64 = 3;
    /// #UD, invalid opcode.
    pub const INVALID_OPCODE: u64 = 6;
    /// #NM, device not available.
    pub const DEVICE_NOT_AVAILABLE: u64 = 7;
    /// #NP, segment not present.
    pub const SEGMENT_NOT_PRESENT: u64 = 11;
    /// #SS, stack-segment fault.
    pub const STACK_SEGMENT: u64 = 12;
    /// #MF, x87 floating-point error.
    pub const X87_FLOATING_POINT: u64 = 16;
    /// #AC, alignment check.
    pub const ALIGNMENT_CHECK: u64 = 17;
    /// #XM, SIMD floating-point error.
    pub const SIMD_FLOATING_POINT: u64 = 19;
}

/// How a process ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Termination {
    /// It called `exit(code)` or `exit_group(code)`.
    Exited(i32),
    /// It was killed by this signal.
    Killed(i32),
}

impl Termination {
    /// The status word `wait4` stores for this termination.
    pub fn wait_status(self) -> i32 {
        match self {
            Termination::Exited(code) => (code & EXIT_CODE_MASK) << EXIT_CODE_SHIFT,
            Termination::Killed(signal) => signal & SIGNAL_MASK,
        }
    }
}

/// The signal a user-mode CPU exception delivers, by exception vector
/// (as Linux chooses them).
pub fn signal_for_exception(exception: u64) -> i32 {
    use signal::*;
    use vector::*;
    match exception {
        DIVIDE_ERROR | X87_FLOATING_POINT | SIMD_FLOATING_POINT => SIGFPE,
        DEBUG | BREAKPOINT => SIGTRAP,
        // #NM cannot happen (the FPU is always enabled): treat it as #UD.
        INVALID_OPCODE | DEVICE_NOT_AVAILABLE => SIGILL,
        SEGMENT_NOT_PRESENT | STACK_SEGMENT | ALIGNMENT_CHECK => SIGBUS,
        // #PF, #GP and anything else.
        _ => SIGSEGV,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_go_in_the_second_byte() {
        assert_eq!(Termination::Exited(7).wait_status(), 7 << 8);
        assert_eq!(Termination::Exited(0x1ff).wait_status(), 0xff << 8);
        assert_eq!(Termination::Exited(-1).wait_status(), 0xff << 8);
    }

    #[test]
    fn signals_go_in_the_low_bits() {
        assert_eq!(Termination::Killed(signal::SIGSEGV).wait_status(), 11);
        assert_eq!(Termination::Killed(signal::SIGKILL).wait_status(), 9);
    }

    #[test]
    fn exceptions_map_to_linux_signals() {
        assert_eq!(signal_for_exception(0), signal::SIGFPE);
        assert_eq!(signal_for_exception(6), signal::SIGILL);
        assert_eq!(signal_for_exception(13), signal::SIGSEGV);
        assert_eq!(signal_for_exception(14), signal::SIGSEGV);
    }
}
