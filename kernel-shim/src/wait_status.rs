//! Linux `wait4` status words and the signals that produce them.
//!
//! A child that exited has status `(code & 0xff) << 8`; one killed by a
//! signal has the signal number in the low seven bits.
#![forbid(unsafe_code)]

/// Termination signals the kernel delivers (Linux x86_64 numbering).
pub mod signal {
    /// Illegal instruction (#UD).
    pub const SIGILL: i32 = 4;
    /// Trace/breakpoint trap (#BP, #DB).
    pub const SIGTRAP: i32 = 5;
    /// Bus error (#AC, #SS, #NP).
    pub const SIGBUS: i32 = 7;
    /// Arithmetic error (#DE, x87 and SIMD floating-point errors).
    pub const SIGFPE: i32 = 8;
    /// Kill, cannot be caught.
    pub const SIGKILL: i32 = 9;
    /// Invalid memory reference (#PF, #GP).
    pub const SIGSEGV: i32 = 11;
    /// Termination request.
    pub const SIGTERM: i32 = 15;
}

/// Mask of the exit code stored in a status word.
const EXIT_CODE_MASK: i32 = 0xff;
/// Position of the exit code in a status word.
const EXIT_CODE_SHIFT: u32 = 8;
/// Mask of the terminating signal stored in a status word.
const SIGNAL_MASK: i32 = 0x7f;

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

/// The signal a user-mode CPU exception delivers, by exception vector.
pub fn signal_for_exception(vector: u64) -> i32 {
    use signal::*;
    match vector {
        0 | 16 | 19 => SIGFPE,  // #DE, #MF, #XM
        1 | 3 => SIGTRAP,       // #DB, #BP
        6 => SIGILL,            // #UD
        7 => SIGILL,            // #NM: the FPU is always on, so this is a bug
        11 | 12 | 17 => SIGBUS, // #NP, #SS, #AC
        _ => SIGSEGV,           // #PF, #GP and everything else
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
