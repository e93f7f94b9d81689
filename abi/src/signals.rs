//! Signals: numbers, `sigaction` values and layout, wait statuses.

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

/// Signal numbers (Linux x86_64 numbering). SIGKILL and SIGSTOP, which no
/// process can catch or block, are libspawn's: its executor depends on them.
pub mod signal {
    pub use libspawn::abi::signal::{SIGKILL, SIGSTOP};

    /// Illegal instruction: a user `#UD` (invalid opcode).
    pub const SIGILL: i32 = 4;
    /// Arithmetic error: a user `#DE` (divide error).
    pub const SIGFPE: i32 = 8;
    /// Invalid memory reference: a user page fault or general protection
    /// fault.
    pub const SIGSEGV: i32 = 11;
    /// Termination request.
    pub const SIGTERM: i32 = 15;
    /// Hangup.
    pub const SIGHUP: i32 = 1;
    /// Interrupt from the keyboard.
    pub const SIGINT: i32 = 2;
    /// Quit from the keyboard.
    pub const SIGQUIT: i32 = 3;
    /// Trace or breakpoint trap.
    pub const SIGTRAP: i32 = 5;
    /// Abort (`abort()`).
    pub const SIGABRT: i32 = 6;
    /// Bus error.
    pub const SIGBUS: i32 = 7;
    /// User-defined signal 1.
    pub const SIGUSR1: i32 = 10;
    /// User-defined signal 2.
    pub const SIGUSR2: i32 = 12;
    /// Write to a pipe with no reader.
    pub const SIGPIPE: i32 = 13;
    /// Timer expired (`alarm`).
    pub const SIGALRM: i32 = 14;
    /// Coprocessor stack fault (unused on x86_64).
    pub const SIGSTKFLT: i32 = 16;
    /// A child stopped or terminated.
    pub const SIGCHLD: i32 = 17;
    /// Continue if stopped.
    pub const SIGCONT: i32 = 18;
    /// Stop typed at a terminal.
    pub const SIGTSTP: i32 = 20;
    /// Terminal input for a background process.
    pub const SIGTTIN: i32 = 21;
    /// Terminal output for a background process.
    pub const SIGTTOU: i32 = 22;
    /// Urgent condition on a socket.
    pub const SIGURG: i32 = 23;
    /// CPU time limit exceeded.
    pub const SIGXCPU: i32 = 24;
    /// File size limit exceeded.
    pub const SIGXFSZ: i32 = 25;
    /// Virtual alarm clock.
    pub const SIGVTALRM: i32 = 26;
    /// Profiling timer expired.
    pub const SIGPROF: i32 = 27;
    /// Window size change.
    pub const SIGWINCH: i32 = 28;
    /// I/O now possible.
    pub const SIGIO: i32 = 29;
    /// Power failure.
    pub const SIGPWR: i32 = 30;
    /// Bad system call.
    pub const SIGSYS: i32 = 31;
    /// First real-time signal as the kernel numbers them (C libraries
    /// reserve a few and report a higher `SIGRTMIN`).
    pub const SIGRTMIN: i32 = 32;
    /// Last real-time signal.
    pub const SIGRTMAX: i32 = 64;
}

/// `sigprocmask` and `sigaction` values (Linux x86_64).
pub mod sigaction {
    /// `sigprocmask` how: add the set to the mask.
    pub const SIG_BLOCK: i32 = 0;
    /// `sigprocmask` how: remove the set from the mask.
    pub const SIG_UNBLOCK: i32 = 1;
    /// `sigprocmask` how: the mask becomes the set.
    pub const SIG_SETMASK: i32 = 2;
    /// The size in bytes of a signal set in the signal calls (one 64-bit
    /// word, bit `n - 1` for signal `n`); the only size the kernel accepts.
    pub const SIGSET_SIZE: usize = 8;
    /// Handler value: the default action.
    pub const SIG_DFL: u64 = 0;
    /// Handler value: ignore the signal.
    pub const SIG_IGN: u64 = 1;
    /// SIGCHLD is not generated when children stop.
    pub const SA_NOCLDSTOP: u64 = 0x0000_0001;
    /// Children do not become zombies.
    pub const SA_NOCLDWAIT: u64 = 0x0000_0002;
    /// The handler takes three arguments (`siginfo_t`, context).
    pub const SA_SIGINFO: u64 = 0x0000_0004;
    /// `sa_restorer` is valid (set by the C library).
    pub const SA_RESTORER: u64 = 0x0400_0000;
    /// Run the handler on the alternate signal stack.
    pub const SA_ONSTACK: u64 = 0x0800_0000;
    /// Restart interrupted system calls.
    pub const SA_RESTART: u64 = 0x1000_0000;
    /// Do not block the signal while its handler runs.
    pub const SA_NODEFER: u64 = 0x4000_0000;
    /// Reset the disposition to SIG_DFL when the handler is entered.
    pub const SA_RESETHAND: u64 = 0x8000_0000;
}

/// Linux x86_64's kernel `struct sigaction`, as `rt_sigaction` reads and
/// writes it (not the C library's `struct sigaction`, whose layout differs).
#[repr(C)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, Immutable, KnownLayout,
)]
pub struct Sigaction {
    /// Handler address, or [`sigaction::SIG_DFL`] / [`sigaction::SIG_IGN`].
    pub handler: u64,
    /// `SA_*` flags (see [`sigaction`]).
    pub flags: u64,
    /// Where the handler returns to (with `SA_RESTORER`): code that makes
    /// the `rt_sigreturn` call.
    pub restorer: u64,
    /// Signals blocked while the handler runs: bit `n - 1` is signal `n`.
    pub mask: u64,
}

const _: () = assert!(core::mem::size_of::<Sigaction>() == 32);

/// `sigaltstack` flags and sizes.
pub mod altstack {
    /// `ss_flags` reported while the process runs on its alternate stack
    /// (accepted and ignored when setting, as Linux does).
    pub const SS_ONSTACK: i32 = 1;
    /// `ss_flags`: no alternate stack (set: remove it).
    pub const SS_DISABLE: i32 = 2;
    /// `ss_flags`: clear the stack when a handler runs on it (Linux 4.7);
    /// not supported here (EINVAL).
    pub const SS_AUTODISARM: i32 = 1 << 31;
    /// The smallest alternate stack (Linux x86_64's value); smaller is
    /// ENOMEM.
    pub const MINSIGSTKSZ: u64 = 2048;
}

/// `stack_t` of `sigaltstack` and `uc_stack` (24 bytes).
#[repr(C)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, Immutable, KnownLayout,
)]
pub struct StackT {
    /// Lowest address of the stack.
    pub sp: u64,
    /// `SS_*` flags.
    pub flags: i32,
    /// Padding.
    pub pad: u32,
    /// Size in bytes.
    pub size: u64,
}

const _: () = assert!(core::mem::size_of::<StackT>() == 24);

/// `wait4` options and the Linux wait-status encoding.
pub mod wait {
    /// Option: return 0 at once instead of blocking when no child has
    /// changed state yet.
    pub const WNOHANG: i32 = 1;
    /// `waitid` option: report stopped children (none exist here).
    pub const WSTOPPED: i32 = 2;
    /// `waitid` option: report children that exited or were killed.
    pub const WEXITED: i32 = 4;
    /// `waitid` option: report continued children (none exist here).
    pub const WCONTINUED: i32 = 8;
    /// `waitid` option: leave the child waitable (do not reap it).
    pub const WNOWAIT: i32 = 0x0100_0000;
    /// `waitid` idtype: any child.
    pub const P_ALL: i32 = 0;
    /// `waitid` idtype: the child whose pid is `id`.
    pub const P_PID: i32 = 1;
    /// `waitid` idtype: any child in process group `id` (0: the caller's).
    pub const P_PGID: i32 = 2;
    /// Mask of the signal number in a status (0 means "exited").
    pub const SIGNAL_MASK: i32 = 0x7f;
    /// Shift of the exit code in an "exited" status.
    pub const EXIT_CODE_SHIFT: u32 = 8;
    /// Mask of the exit code, after the shift.
    pub const EXIT_CODE_MASK: i32 = 0xff;
    /// Low-7-bit value marking a stopped child (not a signal number).
    pub const STOPPED_MARK: i32 = 0x7f;
    /// Bit set in a "killed by signal" status when a core was dumped.
    pub const CORE_DUMP_FLAG: i32 = 0x80;
}
