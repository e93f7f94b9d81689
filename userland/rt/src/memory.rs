//! Memory mappings: `mmap`, `munmap`, `mprotect`, for programs (and the
//! kernel's tests) that manage address space themselves.
//!
//! The calls take and return plain addresses: a mapping is not Rust
//! memory until the caller makes it so. `munmap`, `mprotect` and
//! `MAP_FIXED` can take memory away from under live Rust references, so
//! they are `unsafe`.

use libspawn::Result;
use shim_abi::Sysno;

pub use shim_abi::{map, prot};

use crate::arch::{syscall2, syscall3, syscall6};
use crate::sys::{check, Fd};

/// `mmap(address, len, prot, flags, fd, offset)`: the mapping's address.
///
/// # Safety
///
/// With `MAP_FIXED`, `[address, address + len)` must hold no memory the
/// program still uses (it is replaced).
pub unsafe fn mmap(
    address: usize,
    len: usize,
    prot: u64,
    flags: u64,
    fd: Fd,
    offset: u64,
) -> Result<usize> {
    // SAFETY: the kernel reads no memory of ours for this call; the caller
    // vouches for a MAP_FIXED range.
    check(unsafe {
        syscall6(
            Sysno::Mmap,
            address,
            len,
            prot as usize,
            flags as usize,
            fd as isize as usize,
            offset as usize,
        )
    })
}

/// An anonymous private mapping of `len` bytes with protection `prot`,
/// placed by the kernel (which never places it over memory in use).
pub fn map_anonymous(len: usize, prot: u64) -> Result<usize> {
    // SAFETY: no MAP_FIXED: nothing in use is replaced.
    unsafe { mmap(0, len, prot, map::MAP_PRIVATE | map::MAP_ANONYMOUS, -1, 0) }
}

/// `munmap(address, len)`.
///
/// # Safety
///
/// `[address, address + len)` must hold no memory the program still uses.
pub unsafe fn munmap(address: usize, len: usize) -> Result<()> {
    // SAFETY: the caller vouches for the range.
    check(unsafe { syscall2(Sysno::Munmap, address, len) }).map(drop)
}

/// `mprotect(address, len, prot)`.
///
/// # Safety
///
/// Memory the program still uses in the range must keep the access it is
/// used with.
pub unsafe fn mprotect(address: usize, len: usize, prot: u64) -> Result<()> {
    // SAFETY: the caller vouches for the range.
    check(unsafe { syscall3(Sysno::Mprotect, address, len, prot as usize) }).map(drop)
}
