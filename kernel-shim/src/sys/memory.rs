//! User memory system calls: `brk`, anonymous `mmap`/`munmap`, `arch_prctl`;
//! and stack growth on a page fault below the stack.
//!
//! Pages are mapped eagerly and zero-filled. The break grows above the
//! image; `mmap` hands out fresh addresses upwards from
//! [`user_layout::MMAP_BASE`] (never reusing them: the address space is
//! vast), with an unmapped guard page between mappings.
#![forbid(unsafe_code)]

use crate::arch::irq_off;
use crate::mm::paging::{Access, AddressSpace};
use crate::mm::user_layout;
use crate::mm::usercopy;
use crate::sys::process;
use libspawn::Errno;
use shim_core::frames::FRAME_SIZE;
use x86_64::instructions::tlb;
use x86_64::registers::model_specific::FsBase;
use x86_64::VirtAddr;

/// `mmap` protection bits.
const PROT_WRITE: u64 = 2;
const PROT_EXEC: u64 = 4;
/// `mmap` flags.
const MAP_SHARED: u64 = 0x01;
const MAP_PRIVATE: u64 = 0x02;
const MAP_FIXED: u64 = 0x10;
const MAP_ANONYMOUS: u64 = 0x20;
/// `arch_prctl` codes.
const ARCH_SET_FS: u64 = 0x1002;
const ARCH_GET_FS: u64 = 0x1003;

fn page_ceil(value: u64) -> Option<u64> {
    Some(value.checked_add(FRAME_SIZE - 1)? & !(FRAME_SIZE - 1))
}

/// Unmaps `[start, end)` (page-aligned) from the live address space. The
/// work is bounded by the pages and tables that exist in the range, not by
/// its length ([`AddressSpace::unmap_range`]); interrupts get a window
/// after each page.
fn unmap_range(space: &mut AddressSpace, start: u64, end: u64) {
    space.unmap_range(start, end, &mut |page| {
        tlb::flush(VirtAddr::new(page));
        irq_off::window();
    });
}

/// Maps `[start, end)` zero-filled, or nothing at all on failure. The
/// work is bounded by free memory: the first page that finds none ends it.
fn map_range(space: &mut AddressSpace, start: u64, end: u64, access: Access) -> Result<(), Errno> {
    let mut page = start;
    while page < end {
        if let Err(error) = space.map(page, access) {
            unmap_range(space, start, page);
            return Err(error);
        }
        irq_off::window();
        page += FRAME_SIZE;
    }
    Ok(())
}

/// `brk(address)`: moves the break and returns the new one, or returns the
/// current one if `address` is 0, out of range or memory is short (Linux
/// semantics; C libraries compare the result with what they asked for).
pub fn brk(address: u64) -> u64 {
    let mut table = process::table();
    let process = table.current_mut();
    let current = process.brk;
    let start = process.brk_start;
    let in_range = address >= start && address - start <= user_layout::BRK_MAX_BYTES;
    let Some(space) = process.space.as_mut() else {
        return current;
    };
    if address == 0 || !in_range {
        return current;
    }
    let (Some(old_end), Some(new_end)) = (page_ceil(current), page_ceil(address)) else {
        return current;
    };
    let access = Access {
        writable: true,
        executable: false,
    };
    if new_end > old_end {
        if map_range(space, old_end, new_end, access).is_err() {
            return current;
        }
    } else {
        unmap_range(space, new_end, old_end);
    }
    process.brk = address;
    address
}

/// `mmap(address, len, prot, flags, fd, offset)`: anonymous private or
/// shared (same thing without fork) mappings only.
///
/// # Errors
///
/// `EINVAL` for a zero length, `MAP_FIXED` or missing sharing type;
/// `EBADF` for file mappings (there are no mappable files); `ENOMEM` when out of memory or addresses.
pub fn mmap(
    _hint: u64,
    len: u64,
    prot: u64,
    flags: u64,
    _fd: u64,
    _offset: u64,
) -> Result<u64, Errno> {
    if len == 0 || flags & MAP_FIXED != 0 || flags & (MAP_PRIVATE | MAP_SHARED) == 0 {
        return Err(Errno::EINVAL);
    }
    if flags & MAP_ANONYMOUS == 0 {
        return Err(Errno::EBADF);
    }
    let len = page_ceil(len).ok_or(Errno::ENOMEM)?;
    let mut table = process::table();
    let process = table.current_mut();
    let start = process.mmap_next;
    let end = start.checked_add(len).ok_or(Errno::ENOMEM)?;
    if end > user_layout::MMAP_END {
        return Err(Errno::ENOMEM);
    }
    let access = Access {
        writable: prot & PROT_WRITE != 0,
        executable: prot & PROT_EXEC != 0,
    };
    let space = process.space.as_mut().ok_or(Errno::ENOMEM)?;
    map_range(space, start, end, access)?;
    // Leave one unmapped guard page before the next mapping.
    process.mmap_next = end + FRAME_SIZE;
    Ok(start)
}

/// `munmap(address, len)`: unmaps whole pages; unmapped holes are fine.
///
/// # Errors
///
/// `EINVAL` for an unaligned address, a zero length or a range outside the
/// user half.
pub fn munmap(address: u64, len: u64) -> Result<(), Errno> {
    let len = page_ceil(len).ok_or(Errno::EINVAL)?;
    if !address.is_multiple_of(FRAME_SIZE) || len == 0 || !user_layout::is_user_range(address, len)
    {
        return Err(Errno::EINVAL);
    }
    let mut table = process::table();
    let space = table.current_mut().space.as_mut().ok_or(Errno::EINVAL)?;
    unmap_range(space, address, address + len);
    Ok(())
}

/// `arch_prctl(code, address)`: the FS base, for thread-local storage.
///
/// # Errors
///
/// `EPERM` for an FS base outside the user half, `EFAULT` for a bad
/// output pointer, `EINVAL` for other codes.
pub fn arch_prctl(code: u64, address: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let process = table.current_mut();
    match code {
        ARCH_SET_FS => {
            if !user_layout::is_return_address(address) {
                return Err(Errno::EPERM);
            }
            process.fs_base = address;
            FsBase::write(VirtAddr::new(address));
            Ok(0)
        }
        ARCH_GET_FS => {
            let base = process.fs_base;
            let space = process.space.as_mut().ok_or(Errno::EFAULT)?;
            usercopy::write_value(space, address, &base)?;
            Ok(0)
        }
        _ => Err(Errno::EINVAL),
    }
}

/// Handles a user page fault at `address` in the stack region by mapping a
/// zeroed page. Returns false if the fault is a real error.
pub fn grow_stack(address: u64) -> bool {
    use user_layout::{STACK_BOTTOM, STACK_TOP};
    if !(STACK_BOTTOM..STACK_TOP).contains(&address) {
        return false;
    }
    let mut table = process::table();
    let Some(space) = table.current_mut().space.as_mut() else {
        return false;
    };
    let page = address & !(FRAME_SIZE - 1);
    if space.translate(page).is_some() {
        return false; // present: a protection fault, not growth
    }
    let access = Access {
        writable: true,
        executable: false,
    };
    space.map(page, access).is_ok()
}

/// `madvise` advice values (Linux's numbers).
mod advice {
    pub const MADV_NORMAL: u64 = 0;
    pub const MADV_RANDOM: u64 = 1;
    pub const MADV_SEQUENTIAL: u64 = 2;
    pub const MADV_WILLNEED: u64 = 3;
    pub const MADV_FREE: u64 = 8;
    pub const MADV_DONTFORK: u64 = 10;
    pub const MADV_DOFORK: u64 = 11;
    pub const MADV_MERGEABLE: u64 = 12;
    pub const MADV_UNMERGEABLE: u64 = 13;
    pub const MADV_HUGEPAGE: u64 = 14;
    pub const MADV_NOHUGEPAGE: u64 = 15;
    pub const MADV_DONTDUMP: u64 = 16;
    pub const MADV_DODUMP: u64 = 17;
    pub const MADV_KEEPONFORK: u64 = 19;
    pub const MADV_COLD: u64 = 20;
    pub const MADV_PAGEOUT: u64 = 21;
    pub const MADV_POPULATE_READ: u64 = 22;
    pub const MADV_POPULATE_WRITE: u64 = 23;
}

/// `madvise(address, len, advice)` (madvise(2)): checks the arguments and
/// changes nothing. Every advice accepted is one whose effect a kernel may
/// leave undone without changing what the program sees: hints on access
/// patterns, fork, merging, huge pages and core dumps; MADV_FREE (the pages
/// may keep their contents); MADV_COLD and MADV_PAGEOUT; MADV_POPULATE_*
/// (pages are present once touched). Advice that would change memory
/// contents (MADV_DONTNEED and MADV_REMOVE zero the pages, MADV_WIPEONFORK)
/// is EINVAL here, as Linux answers advice it does not support, rather
/// than a success that leaves stale data.
///
/// # Errors
///
/// `EINVAL` for an unaligned address, a length that wraps, or advice not
/// accepted; `ENOMEM` for a range outside the user half.
pub fn madvise(address: u64, len: u64, advice: u64) -> Result<u64, Errno> {
    use advice::*;
    if !address.is_multiple_of(FRAME_SIZE) {
        return Err(Errno::EINVAL);
    }
    let len = page_ceil(len).ok_or(Errno::EINVAL)?;
    let supported = matches!(
        advice,
        MADV_NORMAL
            | MADV_RANDOM
            | MADV_SEQUENTIAL
            | MADV_WILLNEED
            | MADV_FREE
            | MADV_DONTFORK
            | MADV_DOFORK
            | MADV_MERGEABLE
            | MADV_UNMERGEABLE
            | MADV_HUGEPAGE
            | MADV_NOHUGEPAGE
            | MADV_DONTDUMP
            | MADV_DODUMP
            | MADV_KEEPONFORK
            | MADV_COLD
            | MADV_PAGEOUT
            | MADV_POPULATE_READ
            | MADV_POPULATE_WRITE
    );
    if !supported {
        return Err(Errno::EINVAL);
    }
    if len != 0 && !user_layout::is_user_range(address, len) {
        return Err(Errno::ENOMEM);
    }
    Ok(0)
}
