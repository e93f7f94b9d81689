//! Device memory (MMIO) in the kernel half: [`map`] makes a physical
//! register range reachable, uncached, in every address space.
//!
//! Devices are mapped at the same place as RAM would be, direct-map base +
//! physical address, with 2 MiB pages that bypass the cache (PCD and PWT),
//! in page directories added to the direct map's PDPT. That PDPT is linked
//! into every address space, so a mapping made once is seen by all, and
//! stays for the kernel's life. Boot code calls this (the local APIC;
//! virtio-mmio devices at 0xfeb00000 may follow).

use super::allocate_zeroed_frame;
use crate::arch::boot;
use libspawn::Errno;
use spin::Mutex;
use x86_64::structures::paging::PageTableFlags as Flags;

/// Bytes of one page-directory page.
const HUGE_PAGE: u64 = 2 << 20;
/// Bits of a physical address that index the PDPT and a page directory.
const PDPT_SHIFT: u32 = 30;
const PD_SHIFT: u32 = 21;
const INDEX_MASK: u64 = 0x1ff;
/// Mask of the frame address in an entry.
const ENTRY_ADDRESS_MASK: u64 = 0x000f_ffff_ffff_f000;
/// The direct map covers 512 GiB of physical addresses.
const DIRECT_MAP_SPAN: u64 = 512 << 30;

/// Serialises edits of the direct map's PDPT.
static LOCK: Mutex<()> = Mutex::new(());

/// Maps the device registers at physical `[address, address + len)`
/// uncached and returns their virtual address. Mapping a range again, or
/// one sharing its 2 MiB pages, is allowed.
///
/// # Errors
///
/// `EINVAL` for an empty range, one beyond the direct map, or one that
/// overlaps the RAM the direct map covers (cached); `ENOMEM` when a page
/// directory cannot be had (the pages mapped before stay mapped).
pub fn map(address: u64, len: u64) -> Result<u64, Errno> {
    let end = address.checked_add(len).ok_or(Errno::EINVAL)?;
    if len == 0 || end > DIRECT_MAP_SPAN || address < super::phys::RAM_END {
        return Err(Errno::EINVAL);
    }
    let _guard = LOCK.lock();
    let pdpt = boot::direct_map_pdpt();
    let page_flags = Flags::PRESENT
        | Flags::WRITABLE
        | Flags::HUGE_PAGE
        | Flags::NO_CACHE
        | Flags::WRITE_THROUGH
        | Flags::NO_EXECUTE;
    let table_flags = Flags::PRESENT | Flags::WRITABLE;
    let mut page = address & !(HUGE_PAGE - 1);
    while page < end {
        let pdpt_index = ((page >> PDPT_SHIFT) & INDEX_MASK) as usize;
        let pd_index = ((page >> PD_SHIFT) & INDEX_MASK) as usize;
        // SAFETY: the direct map's PDPT is the kernel's own table, edited
        // only here under LOCK; the slots for the RAM below RAM_END are
        // never touched (checked above). Volatile: only the MMU reads it.
        let mut directory = unsafe { pdpt.cast::<u64>().add(pdpt_index).read_volatile() };
        if directory == 0 {
            let frame = allocate_zeroed_frame()?;
            directory = frame | table_flags.bits();
            // SAFETY: as above; the new directory is zeroed (nothing mapped).
            unsafe { pdpt.cast::<u64>().add(pdpt_index).write_volatile(directory) };
        }
        let entry = super::phys::pointer::<u64>(directory & ENTRY_ADDRESS_MASK);
        // SAFETY: `directory` is a page directory this module allocated for
        // device memory, in the direct map, edited only under LOCK. A
        // previously absent entry needs no TLB flush.
        unsafe {
            let slot = entry.add(pd_index);
            if slot.read_volatile() == 0 {
                slot.write_volatile(page | page_flags.bits());
            }
        }
        page += HUGE_PAGE;
    }
    Ok(boot::direct_map(address))
}
