//! shim-abi: the ABI between kernel-shim and its guest programs, defined
//! once.
//!
//! Everything the kernel and a guest must agree on lives here: the system
//! call numbers ([`Sysno`], with a checked conversion from the number in
//! `rax`), the `#[repr(C)]` structures passed through those calls
//! ([`SpawnRequest`], [`KernelStats`], [`Timespec`], [`Sigaction`],
//! [`Stat`]), the
//! numbers the calls take (signals, wait statuses, clocks, modes, seek and
//! access values, `fcntl` commands), the guest memory layout, the kernel
//! command-line limit and the QEMU exit codes.
//!
//! It is a crate of its own because the kernel's ABI is not libspawn's
//! business: libspawn is a portable `posix_spawn` that any OS can use, so it
//! keeps only what `posix_spawn` itself needs (its objects, limits and
//! flags). Where the two must agree (the spawn call carries libspawn's
//! [`RawAttr`] and [`ActionRecord`]; [`OPEN_MAX`], [`PATH_MAX`], [`NSIG`],
//! the open flags, SIGKILL and SIGSTOP) libspawn is the source and this
//! crate re-exports its definition, so every number is written once.
//!
//! The other languages get the numbers from here too: the guest C
//! programs' `userland/support/include/shim/syscall.h` (the project's own
//! calls) and musl's `<sys/syscall.h>` (Linux's) are checked against
//! [`Sysno`] by this crate's tests, and the Python driver's copies of the QEMU exit codes
//! and the command-line limit are checked against [`qemu_exit`] and
//! [`KERNEL_CMDLINE_MAX`] by its own tests.
//!
//! Everything here is a plain integer, a constant or a `#[repr(C)]` struct
//! of integers, so any bit pattern is a valid value: the kernel may copy
//! these structures from user memory byte for byte and validate them
//! afterwards. The structures derive the `zerocopy` crate's `FromBytes`,
//! `IntoBytes`, `Immutable` and `KnownLayout`, whose derives prove that at
//! compile time (no padding, every bit pattern valid), so the kernel's
//! user-memory copies need no `unsafe impl` and this crate stays free of
//! `unsafe`; each size that is part of the ABI is also asserted next to its
//! type. Numbers follow Linux x86_64 wherever Linux has the same concept.
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

mod files;
mod memory;
mod profile;
mod resource;
mod signals;
mod spawn;
mod sysno;
mod system_info;
mod time;

pub use files::{
    access, at, dirent, fcntl, mode, poll, seek, statfs, Flock, Pollfd, SigmaskArgument, Stat,
    Statfs, IOV_MAX, NAME_MAX, PIPE_BUF, STAT_SIZE,
};
pub use libspawn::abi::{NSIG, OPEN_MAX, PATH_MAX};
pub use memory::{map, prot};
pub use profile::{Phase, SpawnProfile, PHASE_COUNT};
pub use resource::{priority, rlimit, rusage, Rlimit, Rusage, Tms, CLOCK_TICKS_PER_SECOND};
pub use signals::{altstack, sigaction, signal, wait, Sigaction, StackT};
pub use spawn::{
    action_kind, flags, sched, spawn_request, ActionRecord, RawAttr, SpawnRequest,
    SPAWN_FAILURE_STATUS,
};
pub use sysno::{Sysno, UnknownSysno, SHIM_BASE};
pub use system_info::{getrandom, Sysinfo, UTSNAME_FIELDS, UTSNAME_FIELD_LEN};
pub use time::{clock, itimer, Itimerval, Timespec, Timeval, MICROS_PER_SEC, NANOS_PER_SEC};

/// Kernel resource counters, for tests that check nothing leaks
/// ([`Sysno::ShimKstats`]).
#[repr(C)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, Immutable, KnownLayout,
)]
pub struct KernelStats {
    /// Free physical frames.
    pub free_frames: u64,
    /// Free process-table slots.
    pub free_process_slots: u64,
    /// Open file descriptions, system-wide.
    pub open_files: u64,
    /// Bytes in use in the kernel heap.
    pub heap_used: u64,
    /// Children created by the spawn call ([`Sysno::ShimSpawn`]) since
    /// boot, counted when each child exists (a child whose load then
    /// fails counts too): what a test counts to check that a pipeline of
    /// N commands costs N spawns.
    pub spawns: u64,
}

const _: () = assert!(core::mem::size_of::<KernelStats>() == 40);

/// Arguments of [`Sysno::ShimPoweroff`].
pub mod poweroff {
    /// End the run reporting failure ([`super::qemu_exit::FAILURE`]).
    pub const FAILURE: u64 = 0;
    /// End the run reporting success ([`super::qemu_exit::SUCCESS`]).
    pub const SUCCESS: u64 = 1;
}

/// Longest kernel command line, in bytes without its NUL: the kernel keeps
/// this many bytes of the command line QEMU passes and drops the rest.
pub const KERNEL_CMDLINE_MAX: usize = 1024;

/// Guest memory layout shared by the kernel's ELF loader and the guest
/// linker scripts.
///
/// The lower half, `[USER_MIN_ADDRESS, USER_END)`, is user space's: the
/// kernel lives in the higher half (its image at -2 GiB, physical memory
/// in a direct map). An image may be linked anywhere in it (the kernel's
/// loader says where exactly, `kernel-shim/src/mm/mod.rs`).
pub mod layout {
    /// Lowest address user space may map: the pages below stay unmapped so
    /// that a null pointer with a small offset faults (Linux's default
    /// `vm.mmap_min_addr`, 64 KiB).
    pub const USER_MIN_ADDRESS: u64 = 0x1_0000;
    /// Where the project's own guest programs (the Rust runtime's linker
    /// script and the guest C library) are linked: the x86_64 linkers'
    /// default for a static executable, where `musl-gcc -static` puts
    /// programs too.
    pub const GUEST_LINK_ADDRESS: u64 = 0x40_0000;
    /// One past the highest user address (exclusive end of the lower half).
    pub const USER_END: u64 = 0x0000_8000_0000_0000;
    /// Top of the initial user stack.
    pub const USER_STACK_TOP: u64 = 0x0000_7fff_ffff_0000;

    /// Whether the kernel may return to user mode at `address` (as the
    /// instruction or stack pointer): canonical and in the user half, that
    /// is below [`USER_END`]. Every address the kernel resumes user code
    /// at, or loads for it, is checked with this before use: a signal
    /// handler and its restorer, the `rip` and `rsp` of an `rt_sigreturn`
    /// frame, an image's entry point, the FS base (`arch_prctl`).
    /// Returning to a non-canonical address faults in the kernel's own
    /// `iretq` (with `sysret`, in ring 0 on a user stack: CVE-2012-0217),
    /// so such a process gets SIGSEGV (an image, ENOEXEC) instead.
    pub const fn is_return_address(address: u64) -> bool {
        address < USER_END
    }
}

/// Codes written to QEMU's `isa-debug-exit` device (port 0xf4). QEMU exits
/// with `(code << 1) | 1`.
pub mod qemu_exit {
    /// I/O port of the `isa-debug-exit` device.
    pub const PORT: u16 = 0xf4;
    /// Every guest test passed: QEMU exits with 33.
    pub const SUCCESS: u32 = 0x10;
    /// A guest test failed: QEMU exits with 35.
    pub const FAILURE: u32 = 0x11;
    /// The kernel faulted or panicked: QEMU exits with 37.
    pub const KERNEL_FAULT: u32 = 0x12;
}
