//! What the system says about itself: `struct utsname`'s layout (`uname`),
//! `struct sysinfo`, `getrandom`'s flags (Linux x86_64 layouts).

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

/// Bytes of each `struct utsname` field, NUL included.
pub const UTSNAME_FIELD_LEN: usize = 65;

/// Fields of `struct utsname`, each [`UTSNAME_FIELD_LEN`] bytes and
/// NUL-terminated, in this order: sysname, nodename, release, version,
/// machine, domainname.
pub const UTSNAME_FIELDS: usize = 6;

/// `struct sysinfo` (112 bytes on x86_64).
#[repr(C)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, Immutable, KnownLayout,
)]
pub struct Sysinfo {
    /// Seconds since boot.
    pub uptime: i64,
    /// Load averages over 1, 5 and 15 minutes, scaled by 65536.
    pub loads: [u64; 3],
    /// Total usable memory, in `mem_unit` units.
    pub totalram: u64,
    /// Free memory.
    pub freeram: u64,
    /// Shared memory.
    pub sharedram: u64,
    /// Buffer memory.
    pub bufferram: u64,
    /// Swap space (none).
    pub totalswap: u64,
    /// Free swap.
    pub freeswap: u64,
    /// Number of processes.
    pub procs: u16,
    /// Padding.
    pub pad: u16,
    /// Padding to the next word.
    pub pad2: u32,
    /// High memory (none on x86_64).
    pub totalhigh: u64,
    /// Free high memory.
    pub freehigh: u64,
    /// Bytes per memory unit.
    pub mem_unit: u32,
    /// Padding to the struct's alignment.
    pub pad3: u32,
}

/// `getrandom` flags.
pub mod getrandom {
    /// Fail with EAGAIN rather than block (this kernel never blocks).
    pub const GRND_NONBLOCK: u32 = 0x1;
    /// Draw from the "random" source (the same source here).
    pub const GRND_RANDOM: u32 = 0x2;
    /// Insecure bytes are fine (Linux 5.6).
    pub const GRND_INSECURE: u32 = 0x4;
}

const _: () = assert!(core::mem::size_of::<Sysinfo>() == 112);
