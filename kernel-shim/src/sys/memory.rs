//! User memory system calls: `brk`, `mmap`, `mprotect`, `munmap`,
//! `mremap`, `arch_prctl`; and the user page-fault handler.
//!
//! `mmap` reserves: it records a region in the address space's
//! [`RegionMap`](shim_core::regions::RegionMap) and maps nothing, so a
//! reservation of any size costs no frame, and the first touch of each
//! page gives it a zero-filled frame ([`demand`]). The total reserved is
//! limited only by the user address range, as with Linux's
//! `vm.overcommit_memory = 1`: a process that touches more than there is
//! gets SIGBUS on the page that finds no frame (Linux's OOM killer would
//! send SIGKILL). `MAP_POPULATE` commits at once and is ENOMEM when memory
//! runs out; file mappings are private copies made at once. Mappings are
//! placed top-down below the stack ([`user_layout::MMAP_END`]), reusing
//! freed ranges. The image, the stack and the program break are mapped
//! directly (eagerly), outside the region map.
#![forbid(unsafe_code)]

use crate::arch::irq_off;
use crate::arch::trap::TrapFrame;
use crate::mm::demand::{self, Refusal};
use crate::mm::paging::{Access, AddressSpace};
use crate::mm::user_layout;
use crate::mm::usercopy;
use crate::sys::process;
use libspawn::Errno;
use shim_abi::map::{
    KNOWN, MAP_ANONYMOUS, MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_HUGETLB, MAP_POPULATE, MAP_PRIVATE,
    MAP_SHARED, MAP_SHARED_VALIDATE, MAP_TYPE,
};
use shim_abi::prot::{PROT_EXEC, PROT_READ, PROT_WRITE};
use shim_core::frames::FRAME_SIZE;
use shim_core::regions::{page_ceil, Backing, Prot, Region};
use x86_64::instructions::tlb;
use x86_64::registers::model_specific::FsBase;
use x86_64::VirtAddr;

/// `arch_prctl` codes.
const ARCH_SET_FS: u64 = 0x1002;
const ARCH_GET_FS: u64 = 0x1003;
/// `mremap` flags.
const MREMAP_MAYMOVE: u64 = 1;
const MREMAP_FIXED: u64 = 2;
const MREMAP_DONTUNMAP: u64 = 4;
/// The protection bits `mprotect` knows.
const PROT_KNOWN: u64 = PROT_READ | PROT_WRITE | PROT_EXEC;
/// Page-fault error-code bits: the page was present (a protection
/// fault), the access was a write, it was an instruction fetch.
const PF_PRESENT: u64 = 1 << 0;
const PF_WRITE: u64 = 1 << 1;
const PF_INSTRUCTION: u64 = 1 << 4;

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

/// The user address range, for hints and `MAP_FIXED`.
fn user_range() -> core::ops::Range<u64> {
    user_layout::USER_MIN_ADDRESS..user_layout::USER_END
}

/// `brk(address)`: moves the break and returns the new one, or returns the
/// current one if `address` is 0, out of range, the growth would run into
/// a mapping, or memory is short (Linux semantics; C libraries compare the
/// result with what they asked for). The break's pages are committed at
/// once.
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
        if space.regions.overlaps(old_end, new_end) {
            return current;
        }
        if demand::commit_zeroed(space, old_end, new_end, access, &mut unmap_range).is_err() {
            return current;
        }
    } else {
        if space.regions.unmap(new_end, old_end).is_err() {
            return current;
        }
        unmap_range(space, new_end, old_end);
    }
    process.brk = address;
    address
}

/// `mmap(address, len, prot, flags, fd, offset)` (mmap(2)): a new region
/// of `len` bytes rounded up to pages, at `address` with `MAP_FIXED`
/// (replacing what was there) or `MAP_FIXED_NOREPLACE`, else at `address`
/// if it is free (a hint), else top-down below the stack. Anonymous
/// mappings (`fd` ignored, as Linux does) are reserved only; their pages
/// get zero-filled frames on first touch, or at once with `MAP_POPULATE`.
/// A file mapping is a copy of the regular file's bytes from `offset`,
/// made now; touching a page wholly past the end of the file is SIGBUS.
/// `MAP_SHARED` of a file is served as such a copy when read-only (later
/// writes to the file do not show). Unknown flags are ignored, as Linux
/// does, except with `MAP_SHARED_VALIDATE`; `MAP_STACK`,
/// `MAP_NORESERVE`, `MAP_GROWSDOWN`, `MAP_LOCKED` are accepted and change
/// nothing.
///
/// # Errors
///
/// `EINVAL` for an unaligned `offset`, a zero `len`, no or an unknown
/// mapping type, or an unaligned `MAP_FIXED` address; `EOPNOTSUPP` for an
/// unknown flag with `MAP_SHARED_VALIDATE`; `EOVERFLOW` when `offset +
/// len` overflows; `EPERM` for a `MAP_FIXED` address below the user range;
/// `ENOMEM` when no room is left (or a `MAP_FIXED` range passes the user
/// range), for `MAP_HUGETLB` (no huge pages are reserved), when
/// `MAP_POPULATE` or a file copy runs out of frames, or when the process
/// has [`shim_core::regions::MAX_REGIONS`] regions; `EEXIST` when a
/// `MAP_FIXED_NOREPLACE` range is in use; `EBADF`, `EACCES`, `ENODEV`
/// for a descriptor that is not open, not open for reading (or for a
/// shared writable mapping not open for writing), or not a regular file;
/// `ENODEV` also for a shared writable file mapping, which this kernel
/// cannot keep in step with the file.
pub fn mmap(
    hint: u64,
    len: u64,
    prot: u64,
    flags: u64,
    fd: u64,
    offset: u64,
) -> Result<u64, Errno> {
    if !offset.is_multiple_of(FRAME_SIZE) || len == 0 {
        return Err(Errno::EINVAL);
    }
    let shared = match flags & MAP_TYPE {
        MAP_PRIVATE => false,
        MAP_SHARED => true,
        MAP_SHARED_VALIDATE if flags & !KNOWN != 0 => return Err(Errno::ENOTSUP),
        MAP_SHARED_VALIDATE => true,
        _ => return Err(Errno::EINVAL),
    };
    let len = page_ceil(len).ok_or(Errno::ENOMEM)?;
    offset.checked_add(len).ok_or(Errno::EOVERFLOW)?;
    let fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE) != 0;
    if fixed {
        check_fixed_range(hint, len)?;
    }
    if flags & MAP_HUGETLB != 0 {
        return Err(Errno::ENOMEM);
    }
    let prot = Prot::from_bits(prot);
    let mut table = process::table();
    let (machine, system) = table.current_and_system();
    let pid = machine.pid;
    let space = machine.space.as_mut().ok_or(Errno::ENOMEM)?;
    let file = if flags & MAP_ANONYMOUS != 0 {
        None
    } else {
        let fd = i32::try_from(fd as i64).map_err(|_| Errno::EBADF)?;
        let bytes = system.mappable_file(pid, fd, shared, prot.write)?;
        if shared && prot.write {
            return Err(Errno::ENODEV);
        }
        // The file's bytes from `offset`, as far as the mapping reaches.
        let from = usize::try_from(offset).map_or(bytes.len(), |o| o.min(bytes.len()));
        let count = (bytes.len() - from).min(len as usize);
        Some(&bytes[from..from + count])
    };

    let start = if fixed {
        if flags & MAP_FIXED == 0 {
            let end = hint + len;
            if space.regions.overlaps(hint, end) || space.first_present(hint, end).is_some() {
                return Err(Errno::EEXIST);
            }
        }
        hint
    } else {
        let hint = page_ceil(hint).filter(|&hint| hint != 0);
        let area = user_layout::MMAP_BASE..user_layout::MMAP_END;
        // The map is taken out while the callback looks at the page tables.
        let regions = core::mem::take(&mut space.regions);
        let placed = regions.find_free(len, hint, user_range(), area, &mut |from, to| {
            occupied(space, from, to)
        });
        space.regions = regions;
        placed?
    };
    let end = start + len;
    let backing = match file {
        None => Backing::Anonymous,
        Some(bytes) => Backing::File {
            data_end: start + page_ceil(bytes.len() as u64).unwrap_or(len),
            shared,
        },
    };
    space.regions.map(Region {
        start,
        end,
        prot,
        backing,
    })?;
    // What was mapped there before (MAP_FIXED) goes.
    unmap_range(space, start, end);

    let access = demand::access_for(prot).unwrap_or(Access {
        writable: false,
        executable: false,
    });
    let committed = match file {
        Some(bytes) => demand::commit_copy(space, start, bytes, access, &mut unmap_range),
        None if flags & MAP_POPULATE != 0 && !prot.is_none() => {
            demand::commit_zeroed(space, start, end, access, &mut unmap_range)
        }
        None => Ok(()),
    };
    if let Err(error) = committed {
        // The reservation goes too; if even that fails, it stays, unused.
        let _ = space.regions.unmap(start, end);
        return Err(error);
    }
    if prot.is_none() {
        // A copied file page of a PROT_NONE mapping keeps its frame but is
        // inaccessible until mprotect.
        space.protect_range(start, end, None, &mut flush)?;
    }
    Ok(start)
}

/// The lowest address in `[from, to)` that a new mapping may not take
/// although no region is there: the stack's growth area, and the pages of
/// the image and break, mapped outside the region map.
fn occupied(space: &mut AddressSpace, from: u64, to: u64) -> Option<u64> {
    let stack = user_layout::STACK_BOTTOM..user_layout::STACK_TOP;
    let in_stack = (from < stack.end && to > stack.start).then_some(from.max(stack.start));
    match (space.first_present(from, to), in_stack) {
        (Some(page), Some(stack)) => Some(page.min(stack)),
        (page, stack) => page.or(stack),
    }
}

/// Flushes the TLB entry of `page` and lets interrupts in.
fn flush(page: u64) {
    tlb::flush(VirtAddr::new(page));
    irq_off::window();
}

/// `Ok` if `[address, address + len)` may be a `MAP_FIXED` range.
fn check_fixed_range(address: u64, len: u64) -> Result<(), Errno> {
    if !address.is_multiple_of(FRAME_SIZE) {
        return Err(Errno::EINVAL);
    }
    if address < user_range().start {
        return Err(Errno::EPERM);
    }
    if !user_layout::is_user_range(address, len) {
        return Err(Errno::ENOMEM);
    }
    Ok(())
}

/// `munmap(address, len)` (munmap(2)): unmaps whole pages and ends the
/// regions there; unmapped holes are fine.
///
/// # Errors
///
/// `EINVAL` for an unaligned address, a zero length or a range outside the
/// user half; `ENOMEM` when a region split needs memory the kernel heap
/// does not have (nothing changes).
pub fn munmap(address: u64, len: u64) -> Result<(), Errno> {
    let len = page_ceil(len).ok_or(Errno::EINVAL)?;
    if !address.is_multiple_of(FRAME_SIZE) || len == 0 || !user_layout::is_user_range(address, len)
    {
        return Err(Errno::EINVAL);
    }
    let mut table = process::table();
    let space = table.current_mut().space.as_mut().ok_or(Errno::EINVAL)?;
    space.regions.unmap(address, address + len)?;
    unmap_range(space, address, address + len);
    Ok(())
}

/// `mprotect(address, len, prot)` (mprotect(2)): gives the pages of
/// `[address, address + len)` (rounded up to pages) the protection
/// `prot`. `PROT_NONE` keeps them reserved (and their contents) but
/// inaccessible. Works on `mmap` regions and on the pages of the image,
/// break and stack alike; a shared read-only image page made writable
/// gets a private copy first.
///
/// # Errors
///
/// `EINVAL` for an unaligned address, unknown `prot` bits (among them
/// `PROT_GROWSDOWN` and `PROT_GROWSUP`: no mapping here grows); `ENOMEM` when
/// part of the range is not mapped or lies outside the user range, or
/// when the kernel runs out of memory for a region split or a page copy;
/// `EACCES` for write access to a shared file mapping. Nothing changes on
/// an error, except that pages before a failed page copy keep their new
/// protection (Linux may also leave a range half changed).
pub fn mprotect(address: u64, len: u64, prot: u64) -> Result<u64, Errno> {
    // PROT_GROWSDOWN and PROT_GROWSUP are unknown bits too: no mapping
    // here grows, which Linux answers with EINVAL as well.
    if !address.is_multiple_of(FRAME_SIZE) || prot & !PROT_KNOWN != 0 {
        return Err(Errno::EINVAL);
    }
    let len = page_ceil(len).ok_or(Errno::ENOMEM)?;
    if len == 0 {
        return Ok(0);
    }
    if !user_layout::is_user_range(address, len) {
        return Err(Errno::ENOMEM);
    }
    let end = address + len;
    let prot = Prot::from_bits(prot);
    let mut table = process::table();
    let space = table.current_mut().space.as_mut().ok_or(Errno::ENOMEM)?;
    // Every page no region covers must be mapped (image, break, stack).
    let regions = core::mem::take(&mut space.regions);
    let covered = regions.for_each_gap(address, end, &mut |from, to| match space
        .first_absent(from, to)
    {
        Some(_) => Err(Errno::ENOMEM),
        None => Ok(()),
    });
    space.regions = regions;
    covered?;
    space.regions.protect(address, end, prot)?;
    space.protect_range(address, end, demand::access_for(prot), &mut flush)?;
    Ok(0)
}

/// `mremap(old, old_len, new_len, flags, new_address)` (mremap(2)):
/// shrinking in place is served (the tail is unmapped); growing or moving
/// is ENOMEM, which C libraries answer by allocating anew and copying.
///
/// # Errors
///
/// `EINVAL` for an unaligned `old`, unknown flags, `MREMAP_FIXED` or
/// `MREMAP_DONTUNMAP` without `MREMAP_MAYMOVE`, or a zero `new_len`;
/// `ENOMEM` for growth, and as [`munmap`] for the shrink.
pub fn mremap(old: u64, old_len: u64, new_len: u64, flags: u64) -> Result<u64, Errno> {
    let known = MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP;
    let needs_move = flags & (MREMAP_FIXED | MREMAP_DONTUNMAP) != 0;
    if !old.is_multiple_of(FRAME_SIZE)
        || flags & !known != 0
        || (needs_move && flags & MREMAP_MAYMOVE == 0)
        || new_len == 0
    {
        return Err(Errno::EINVAL);
    }
    let (Some(old_len), Some(new_len)) = (page_ceil(old_len), page_ceil(new_len)) else {
        return Err(Errno::EINVAL);
    };
    if needs_move || new_len > old_len {
        return Err(Errno::ENOMEM);
    }
    if new_len < old_len {
        munmap(old + new_len, old_len - new_len)?;
    }
    Ok(old)
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

/// A user page fault at `address` (`frame` holds the error code): a page
/// of a region or of the stack's growth area gets its frame if the access
/// is allowed ([`demand::fault_in`]). Returns what the fault must turn
/// into, if anything.
pub fn page_fault(frame: &TrapFrame, address: u64) -> Result<(), Refusal> {
    if frame.error_code & PF_PRESENT != 0 {
        return Err(Refusal::Segv);
    }
    let write = frame.error_code & PF_WRITE != 0;
    let exec = frame.error_code & PF_INSTRUCTION != 0;
    let mut table = process::table();
    let space = table.current_mut().space.as_mut().ok_or(Refusal::Segv)?;
    demand::fault_in(space, address, write, exec)
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
