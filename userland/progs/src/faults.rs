//! The CPU faults `/bin/fault` can commit, and the signal each must raise.

use core::ffi::CStr;

use shim_rt::abi::signal::{SIGFPE, SIGILL, SIGSEGV};

/// One fault `/bin/fault` knows, selected by its argv[1].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Load a byte from a supervisor-only kernel page: page fault.
    ReadKernel,
    /// Store a byte to a supervisor-only kernel page: page fault.
    WriteKernel,
    /// Store a byte to a non-canonical address: general protection.
    WriteNonCanonical,
    /// Execute `hlt` in ring 3: general protection.
    Privileged,
    /// Execute `ud2`: invalid opcode.
    InvalidOpcode,
    /// Divide by zero with `div`: divide error.
    DivideByZero,
}

impl Fault {
    /// Every fault, in the order the usage message lists them.
    pub const ALL: [Fault; 6] = [
        Fault::ReadKernel,
        Fault::WriteKernel,
        Fault::WriteNonCanonical,
        Fault::Privileged,
        Fault::InvalidOpcode,
        Fault::DivideByZero,
    ];

    /// The argv[1] that selects this fault.
    pub const fn arg(self) -> &'static CStr {
        match self {
            Fault::ReadKernel => c"read-kernel",
            Fault::WriteKernel => c"write-kernel",
            Fault::WriteNonCanonical => c"write-non-canonical",
            Fault::Privileged => c"privileged",
            Fault::InvalidOpcode => c"invalid-opcode",
            Fault::DivideByZero => c"divide-by-zero",
        }
    }

    /// The fault selected by `arg`, if any.
    pub fn from_arg(arg: &CStr) -> Option<Fault> {
        Fault::ALL.into_iter().find(|fault| fault.arg() == arg)
    }

    /// The signal the parent must see the faulting child killed by.
    pub const fn signal(self) -> i32 {
        match self {
            Fault::ReadKernel
            | Fault::WriteKernel
            | Fault::WriteNonCanonical
            | Fault::Privileged => SIGSEGV,
            Fault::InvalidOpcode => SIGILL,
            Fault::DivideByZero => SIGFPE,
        }
    }
}
