//! Per-process address spaces: 4-level page tables over the shared kernel map.
//!
//! Every address space has its own PML4, whose kernel half (entries
//! 256..512) links the kernel's own tables (the image, the direct map and
//! device memory, supervisor-only), shared by all. Everything in the lower
//! half belongs to the process and is freed, tables included, when the
//! address space is dropped, except the read-only frames it maps from a
//! [`SharedPages`] set: their entries carry [`SHARED`], and the set frees
//! them once nobody holds it.
//!
//! Walks are bounded by what is mapped: every entry that links a table
//! records in bits the CPU ignores there the [`Span`] of its table's slots
//! that may be used, and the address space keeps the span of its PML4's
//! user half. Teardown, `munmap` and `mprotect` visit those slots only,
//! not all 512 of every table (a spawn's child has six tables below its
//! PML4, each with a handful of entries).

use super::shared::SharedPages;
use super::user_layout;
use super::{allocate_zeroed_frame, copy_frame, free_frame, free_zeroed_frame};
use core::ops::{ControlFlow, Range};
use libspawn::Errno;
use shim_core::frames::FRAME_SIZE;
use shim_core::regions::RegionMap;
use shim_core::shared::TryArc;
use spin::Once;
use x86_64::structures::paging::page_table::PageTableEntry;
use x86_64::structures::paging::{PageTable, PageTableFlags as Flags};
use x86_64::PhysAddr;

/// PML4 entries that cover the user half of the address space.
const USER_PML4_ENTRIES: usize = 256;
/// Bits of address translated by each level, lowest first.
const LEVEL_SHIFTS: [u32; 4] = [12, 21, 30, 39];
/// Mask of the frame address in a page-table entry.
const ENTRY_ADDRESS_MASK: u64 = 0x000f_ffff_ffff_f000;
/// Mask of a 9-bit table index.
const INDEX_MASK: u64 = 0x1ff;
/// A leaf entry whose frame belongs to a [`SharedPages`] set, not to this
/// address space: never freed with the entry. (Bit 9 is free for the OS.)
pub const SHARED: Flags = Flags::BIT_9;

/// Slots per group of a [`Span`]: 32 groups make a table.
const SPAN_GROUP: usize = 16;
/// The span's first group sits at bit 52 of an entry that links a table,
/// its last group at bit 57 (bits 52 to 62 are ignored by the CPU in such
/// an entry: Intel SDM vol. 3A, tables 4-15 to 4-19).
const SPAN_LOW_SHIFT: u32 = 52;
/// See [`SPAN_LOW_SHIFT`].
const SPAN_HIGH_SHIFT: u32 = 57;
/// Mask of one group number (five bits: groups 0 to 31).
const SPAN_GROUP_MASK: u64 = 0x1f;

/// The slots of a page table that may be in use: groups `low..=high` of
/// [`SPAN_GROUP`] slots. A span only widens while its table lives, so every
/// used entry of the table lies in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Span {
    low: usize,
    high: usize,
}

impl Span {
    /// The span of the one slot `slot`.
    fn of(slot: usize) -> Span {
        let group = slot / SPAN_GROUP;
        Span {
            low: group,
            high: group,
        }
    }

    /// This span widened to cover `slot`.
    fn with(self, slot: usize) -> Span {
        let group = slot / SPAN_GROUP;
        Span {
            low: self.low.min(group),
            high: self.high.max(group),
        }
    }

    /// The slots the span covers.
    fn slots(self) -> Range<usize> {
        self.low * SPAN_GROUP..(self.high + 1) * SPAN_GROUP
    }

    /// The span `entry` (which links a table) records for its table.
    fn read(entry: &PageTableEntry) -> Span {
        let raw = entry.flags().bits();
        Span {
            low: ((raw >> SPAN_LOW_SHIFT) & SPAN_GROUP_MASK) as usize,
            high: ((raw >> SPAN_HIGH_SHIFT) & SPAN_GROUP_MASK) as usize,
        }
    }

    /// The span as entry bits.
    fn flags(self) -> Flags {
        Flags::from_bits_truncate(
            ((self.low as u64) << SPAN_LOW_SHIFT) | ((self.high as u64) << SPAN_HIGH_SHIFT),
        )
    }

    /// Records in `entry` (which links a table) that its table uses
    /// `slot` too.
    fn widen(entry: &mut PageTableEntry, slot: usize) {
        let span = Span::read(entry).with(slot);
        let mask = Flags::from_bits_truncate(
            (SPAN_GROUP_MASK << SPAN_LOW_SHIFT) | (SPAN_GROUP_MASK << SPAN_HIGH_SHIFT),
        );
        entry.set_flags((entry.flags() - mask) | span.flags());
    }
}

/// The kernel's present PML4 entries, as (slot, entry) pairs: what every
/// address space links into its PML4's kernel half.
struct KernelEntries {
    entries: [(usize, u64); USER_PML4_ENTRIES],
    len: usize,
}

/// [`KernelEntries`], gathered from the boot PML4 on first use (its
/// kernel half never changes after boot: `arch::boot::kernel_half`).
fn kernel_entries() -> &'static [(usize, u64)] {
    static ENTRIES: Once<KernelEntries> = Once::new();
    let gathered = ENTRIES.call_once(|| {
        let mut gathered = KernelEntries {
            entries: [(0, 0); USER_PML4_ENTRIES],
            len: 0,
        };
        let kernel_half = crate::arch::boot::kernel_half();
        for (offset, &kernel) in kernel_half.iter().enumerate() {
            if kernel != 0 {
                gathered.entries[gathered.len] = (USER_PML4_ENTRIES + offset, kernel);
                gathered.len += 1;
            }
        }
        gathered
    });
    &gathered.entries[..gathered.len]
}

/// A set of the PML4's user slots (0 to 255), one bit each.
#[derive(Clone, Copy, Debug, Default)]
struct UserSlots([u64; USER_PML4_ENTRIES / 64]);

impl UserSlots {
    fn insert(&mut self, slot: usize) {
        self.0[slot / 64] |= 1 << (slot % 64);
    }

    /// From the lowest slot in the set to just past the highest.
    fn range(&self) -> Option<Range<usize>> {
        let first = self.iter().next()?;
        let last = self.iter().last()?;
        Some(first..last + 1)
    }

    /// The slots in the set, lowest first.
    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(word, &bits)| {
            let mut rest = bits;
            core::iter::from_fn(move || {
                let bit = rest.trailing_zeros();
                (rest != 0).then(|| {
                    rest &= rest - 1;
                    word * 64 + bit as usize
                })
            })
        })
    }
}

/// Access a user page is mapped with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Access {
    /// The page may be written.
    pub writable: bool,
    /// Code may run from the page.
    pub executable: bool,
}

/// A present user page: its frame and the access it allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mapping {
    /// Physical address of the frame.
    pub frame: u64,
    /// Whether the page is writable.
    pub writable: bool,
}

/// One process's page tables.
pub struct AddressSpace {
    pml4: u64,
    /// The shared read-only pages mapped here, kept alive while mapped.
    shared: Option<TryArc<SharedPages>>,
    /// The PML4's user slots that may be in use, a bit each.
    user_slots: UserSlots,
    /// The regions `mmap` reserved: what a fault on a page not mapped yet
    /// may map ([`crate::mm::demand`]).
    pub regions: RegionMap,
}

/// Views the page table in the frame at `address`.
///
/// # Safety
///
/// 1. `address` is a frame holding a page table owned by an address space
///    (or the boot tables), reachable through the direct map.
/// 2. No other reference to that table is live for `'a`.
unsafe fn table<'a>(address: u64) -> &'a mut PageTable {
    // SAFETY: by the contract, the frame holds a page table (`PageTable` is
    // 4 KiB, page-aligned, any bit pattern valid) and is not aliased.
    unsafe { &mut *super::phys::pointer::<PageTable>(address) }
}

fn index(vaddr: u64, level: usize) -> usize {
    ((vaddr >> LEVEL_SHIFTS[level]) & INDEX_MASK) as usize
}

/// `Ok` if `vaddr` starts a page of the user range, else `EFAULT`.
fn check_user_page(vaddr: u64) -> Result<(), Errno> {
    if user_layout::is_user_range(vaddr, FRAME_SIZE) && vaddr.is_multiple_of(FRAME_SIZE) {
        Ok(())
    } else {
        Err(Errno::EFAULT)
    }
}

fn table_flags() -> Flags {
    Flags::PRESENT | Flags::WRITABLE | Flags::USER_ACCESSIBLE
}

impl AddressSpace {
    /// A fresh address space with only the kernel map.
    ///
    /// # Errors
    ///
    /// `ENOMEM` when the frames for the top tables are missing.
    pub fn new() -> Result<AddressSpace, Errno> {
        let pml4 = allocate_zeroed_frame()?;
        // SAFETY: the frame was just allocated for this table.
        let pml4_table = unsafe { table(pml4) };
        // The frame is zeroed: only the kernel's present entries (two)
        // need writing.
        for &(slot, kernel) in kernel_entries() {
            pml4_table[slot].set_addr(
                PhysAddr::new(kernel & ENTRY_ADDRESS_MASK),
                Flags::from_bits_truncate(kernel),
            );
        }
        Ok(AddressSpace {
            pml4,
            shared: None,
            user_slots: UserSlots::default(),
            regions: RegionMap::new(),
        })
    }

    /// Physical address of the PML4, for CR3.
    pub fn pml4_address(&self) -> u64 {
        self.pml4
    }

    /// The leaf entry for `vaddr`, creating missing tables if `create`.
    fn leaf(&mut self, vaddr: u64, create: bool) -> Result<Option<&mut PageTableEntry>, Errno> {
        let mut current = self.pml4;
        for level in (1..4).rev() {
            // SAFETY: `current` is this address space's table at `level`;
            // `&mut self` excludes other references.
            let entries = unsafe { table(current) };
            let slot = index(vaddr, level);
            let child_slot = index(vaddr, level - 1);
            let entry = &mut entries[slot];
            if entry.is_unused() {
                if !create {
                    return Ok(None);
                }
                let frame = allocate_zeroed_frame()?;
                entry.set_addr(
                    PhysAddr::new(frame),
                    table_flags() | Span::of(child_slot).flags(),
                );
            } else if entry.flags().contains(Flags::HUGE_PAGE) {
                return Ok(None);
            } else if create {
                Span::widen(entry, child_slot);
            }
            if create && level == LEVEL_SHIFTS.len() - 1 {
                self.user_slots.insert(slot);
            }
            current = entry.addr().as_u64();
        }
        // SAFETY: as above, for the level-1 table.
        let entries = unsafe { table(current) };
        Ok(Some(&mut entries[index(vaddr, 0)]))
    }

    /// Maps a zeroed page at `vaddr` (page-aligned, user range) with
    /// `access`. An already-mapped page keeps its frame and contents and
    /// gains `access` on top of what it had; a shared page never gains
    /// any. Returns the frame.
    ///
    /// # Errors
    ///
    /// `EFAULT` outside the user range or for access a shared page lacks,
    /// `ENOMEM` when out of frames.
    pub fn map(&mut self, vaddr: u64, access: Access) -> Result<u64, Errno> {
        check_user_page(vaddr)?;
        let entry = self.leaf(vaddr, true)?.ok_or(Errno::EFAULT)?;
        let mut flags = Flags::PRESENT | Flags::USER_ACCESSIBLE;
        if entry.flags().contains(SHARED) {
            // Other processes map this frame: it never gains access.
            let gains_exec = access.executable && entry.flags().contains(Flags::NO_EXECUTE);
            if access.writable || gains_exec {
                return Err(Errno::EFAULT);
            }
            return Ok(entry.addr().as_u64());
        }
        if entry.is_unused() {
            let frame = allocate_zeroed_frame()?;
            entry.set_addr(PhysAddr::new(frame), flags | Flags::NO_EXECUTE);
        }
        let old = entry.flags();
        if access.writable || old.contains(Flags::WRITABLE) {
            flags |= Flags::WRITABLE;
        }
        if !access.executable && old.contains(Flags::NO_EXECUTE) {
            flags |= Flags::NO_EXECUTE;
        }
        let frame = entry.addr();
        entry.set_addr(frame, flags);
        Ok(frame.as_u64())
    }

    /// Maps a fresh page at `vaddr` (page-aligned, user range, not mapped
    /// yet) with `access`, on a frame that `fill` is given first and must
    /// write whole: the frame is not cleared before
    /// ([`super::allocate_frame_to_overwrite`]), which spares pages about
    /// to be overwritten (an initial stack's) a zero-fill.
    ///
    /// # Errors
    ///
    /// `EFAULT` outside the user range, `EEXIST` if the page is mapped,
    /// `ENOMEM` when out of frames.
    pub fn map_filled(
        &mut self,
        vaddr: u64,
        access: Access,
        fill: impl FnOnce(u64),
    ) -> Result<(), Errno> {
        check_user_page(vaddr)?;
        let entry = self.leaf(vaddr, true)?.ok_or(Errno::EFAULT)?;
        if !entry.is_unused() {
            return Err(Errno::EEXIST);
        }
        let frame = super::allocate_frame_to_overwrite()?;
        fill(frame);
        let mut flags = Flags::PRESENT | Flags::USER_ACCESSIBLE;
        if access.writable {
            flags |= Flags::WRITABLE;
        }
        if !access.executable {
            flags |= Flags::NO_EXECUTE;
        }
        entry.set_addr(PhysAddr::new(frame), flags);
        Ok(())
    }

    /// Maps every page of `pages` read-only (executable where the page
    /// says so) and keeps the set alive as long as this address space. An
    /// address space takes one set, into pages not mapped yet.
    ///
    /// # Errors
    ///
    /// `EEXIST` for a second set or a page already mapped, `EFAULT` outside
    /// the user range, `ENOMEM` when page tables cannot be allocated. The
    /// pages mapped before the error stay mapped until the space is dropped.
    pub fn map_shared(&mut self, pages: TryArc<SharedPages>) -> Result<(), Errno> {
        if self.shared.is_some() {
            return Err(Errno::EEXIST);
        }
        for page in pages.pages() {
            check_user_page(page.vaddr)?;
        }
        let set = self.shared.insert(pages).clone();
        for page in set.pages() {
            let entry = self.leaf(page.vaddr, true)?.ok_or(Errno::EFAULT)?;
            if !entry.is_unused() {
                return Err(Errno::EEXIST);
            }
            let mut flags = Flags::PRESENT | Flags::USER_ACCESSIBLE | SHARED;
            if !page.executable {
                flags |= Flags::NO_EXECUTE;
            }
            entry.set_addr(PhysAddr::new(page.frame), flags);
        }
        Ok(())
    }

    /// The user mapping of the page holding `vaddr`, if present.
    pub fn translate(&self, vaddr: u64) -> Option<Mapping> {
        if !user_layout::is_user_range(vaddr, 1) {
            return None;
        }
        let mut current = self.pml4;
        for level in (0..4).rev() {
            // SAFETY: `current` is one of this address space's tables; the
            // shared reference only reads it while `&self` is held.
            let entry = unsafe { &table(current)[index(vaddr, level)] };
            let flags = entry.flags();
            if !flags.contains(Flags::PRESENT | Flags::USER_ACCESSIBLE) {
                return None;
            }
            if level == 0 {
                return Some(Mapping {
                    frame: entry.addr().as_u64(),
                    writable: flags.contains(Flags::WRITABLE),
                });
            }
            if flags.contains(Flags::HUGE_PAGE) {
                return None;
            }
            current = entry.addr().as_u64();
        }
        None
    }

    /// Unmaps every page in `[start, end)` (page-aligned, user range) and
    /// frees its frame (unless shared), calling `unmapped` with each page's
    /// address (the caller flushes the TLB if this space is live). Only
    /// tables that exist are visited: an empty PML4, PDPT or page-directory
    /// entry skips its whole 512 GiB, 1 GiB or 2 MiB, so the work is bounded
    /// by the tables mapped, not by the length of the range. Page tables,
    /// directories and PDPTs left empty are freed (the PML4 never is). Returns the number of
    /// pages unmapped.
    pub fn unmap_range(&mut self, start: u64, end: u64, unmapped: &mut dyn FnMut(u64)) -> usize {
        if start >= end || check_user_page(start).is_err() || end > user_layout::USER_END {
            return 0;
        }
        let Some(slots) = self.user_slots.range() else {
            return 0;
        };
        let mut count = 0;
        let _ = Self::visit_in(
            self.pml4,
            LEVEL_SHIFTS.len() - 1,
            slots,
            0,
            (start, end),
            true,
            &mut |page, entry| {
                let (frame, shared) = (entry.addr().as_u64(), entry.flags().contains(SHARED));
                entry.set_unused();
                if !shared {
                    free_frame(frame);
                }
                unmapped(page);
                count += 1;
                ControlFlow::Continue(())
            },
        );
        count
    }

    /// Calls `visit` with the address and entry of every used leaf in
    /// `[start, end)`, lowest first, until it breaks. Only tables that
    /// exist are visited (as in [`AddressSpace::unmap_range`]), so the work
    /// is bounded by what is mapped, not by the length of the range.
    fn visit_leaves(
        &mut self,
        start: u64,
        end: u64,
        visit: &mut dyn FnMut(u64, &mut PageTableEntry) -> ControlFlow<()>,
    ) {
        let Some(slots) = self.user_slots.range() else {
            return;
        };
        if start < end && check_user_page(start).is_ok() && end <= user_layout::USER_END {
            let top = LEVEL_SHIFTS.len() - 1;
            let _ = Self::visit_in(self.pml4, top, slots, 0, (start, end), false, visit);
        }
    }

    /// [`AddressSpace::visit_leaves`] within the slots `slots` of the table
    /// at `address`, of `level` (3 for the PML4), which translates
    /// addresses from `base`.
    /// With `prune`, a page directory, table or PDPT the visit left empty
    /// is freed (the PML4 never is): [`AddressSpace::unmap_range`]'s walk.
    fn visit_in(
        address: u64,
        level: usize,
        slots: Range<usize>,
        base: u64,
        (start, end): (u64, u64),
        prune: bool,
        visit: &mut dyn FnMut(u64, &mut PageTableEntry) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        let size = 1u64 << LEVEL_SHIFTS[level];
        // SAFETY: `address` is one of this address space's tables, which
        // the caller holds `&mut` to; the recursion visits each table once.
        let entries = unsafe { table(address) };
        let first = (start.saturating_sub(base) / size) as usize;
        for slot in first.max(slots.start)..slots.end {
            let entry = &mut entries[slot];
            let entry_base = base + slot as u64 * size;
            if entry_base >= end {
                break;
            }
            if entry.is_unused() || entry.flags().contains(Flags::HUGE_PAGE) {
                continue;
            }
            if level == 0 {
                visit(entry_base, entry)?;
            } else {
                let child = entry.addr().as_u64();
                let child_span = Span::read(entry);
                let flow = Self::visit_in(
                    child,
                    level - 1,
                    child_span.slots(),
                    entry_base,
                    (start, end),
                    prune,
                    visit,
                );
                let empty = || {
                    // SAFETY: as above, for the child table, whose walk is over.
                    let entries = unsafe { table(child) };
                    child_span.slots().all(|slot| entries[slot].is_unused())
                };
                if prune && empty() {
                    entry.set_unused();
                    // Every used entry lies in the span: the table is zero.
                    free_zeroed_frame(child);
                }
                flow?;
            }
        }
        ControlFlow::Continue(())
    }

    /// The lowest page in `[start, end)` (page-aligned) that has a frame,
    /// accessible or not.
    pub fn first_present(&mut self, start: u64, end: u64) -> Option<u64> {
        let mut found = None;
        self.visit_leaves(start, end, &mut |page, _| {
            found = Some(page);
            ControlFlow::Break(())
        });
        found
    }

    /// The lowest page in `[start, end)` (page-aligned) that has no frame.
    /// The walk passes each mapped page before it (an interrupts window
    /// after each), so it is bounded by what is mapped.
    pub fn first_absent(&mut self, start: u64, end: u64) -> Option<u64> {
        let mut expected = start;
        let mut gap = false;
        self.visit_leaves(start, end, &mut |page, _| {
            if page > expected {
                gap = true;
                return ControlFlow::Break(());
            }
            expected = page + FRAME_SIZE;
            crate::arch::irq_off::window();
            ControlFlow::Continue(())
        });
        (gap || expected < end).then_some(expected)
    }

    /// Gives every page with a frame in `[start, end)` (page-aligned) the
    /// access `access`, or makes it inaccessible to user mode with `None`
    /// (`PROT_NONE`: the frame stays), calling `changed` with each page's
    /// address (the caller flushes the TLB if this space is live). A
    /// shared page that becomes writable first gets a private copy of its
    /// frame. Bounded by the pages mapped, like
    /// [`AddressSpace::unmap_range`].
    ///
    /// # Errors
    ///
    /// `ENOMEM` when a shared page's copy finds no frame; the pages before
    /// it have changed already.
    pub fn protect_range(
        &mut self,
        start: u64,
        end: u64,
        access: Option<Access>,
        changed: &mut dyn FnMut(u64),
    ) -> Result<(), Errno> {
        let mut result = Ok(());
        self.visit_leaves(start, end, &mut |page, entry| {
            let Some(access) = access else {
                let kept = entry.flags() & SHARED;
                let frame = entry.addr();
                entry.set_addr(frame, Flags::PRESENT | Flags::NO_EXECUTE | kept);
                changed(page);
                return ControlFlow::Continue(());
            };
            let mut flags = Flags::PRESENT | Flags::USER_ACCESSIBLE;
            let mut frame = entry.addr().as_u64();
            if entry.flags().contains(SHARED) {
                if access.writable {
                    match allocate_zeroed_frame() {
                        Ok(copy) => {
                            copy_frame(copy, frame);
                            frame = copy;
                        }
                        Err(error) => {
                            result = Err(error);
                            return ControlFlow::Break(());
                        }
                    }
                } else {
                    flags |= SHARED;
                }
            }
            if access.writable {
                flags |= Flags::WRITABLE;
            }
            if !access.executable {
                flags |= Flags::NO_EXECUTE;
            }
            entry.set_addr(PhysAddr::new(frame), flags);
            changed(page);
            ControlFlow::Continue(())
        });
        result
    }

    /// Frees the table at `address` and everything below it but shared
    /// frames, visiting the slots `span` only. `level` is the table's
    /// level: 2 for a PDPT, 1 for a page directory, 0 for a page table
    /// (whose entries are frames).
    fn free_tree(address: u64, level: usize, span: Span) {
        // SAFETY: `address` is a table of the address space being dropped;
        // nothing else refers to it any more.
        let entries = unsafe { table(address) };
        for slot in span.slots() {
            let entry = &mut entries[slot];
            if entry.is_unused() {
                continue;
            }
            let child = entry.addr().as_u64();
            if level == 0 {
                if !entry.flags().contains(SHARED) {
                    free_frame(child);
                }
            } else {
                Self::free_tree(child, level - 1, Span::read(entry));
            }
            entry.set_unused();
        }
        // Every used entry lay in the span and is clear now.
        free_zeroed_frame(address);
        // At most 512 frames freed since the last window.
        crate::arch::irq_off::window();
    }
}

impl Drop for AddressSpace {
    fn drop(&mut self) {
        // SAFETY: the PML4 belongs to this address space. Its kernel half
        // links the kernel's shared tables: never freed here.
        let pml4 = unsafe { table(self.pml4) };
        for slot in self.user_slots.iter() {
            let entry = &mut pml4[slot];
            if !entry.is_unused() {
                Self::free_tree(entry.addr().as_u64(), 2, Span::read(entry));
                entry.set_unused();
            }
        }
        // The kernel half holds the entries `new` wrote, no others: with
        // them cleared the PML4 is zero.
        for &(slot, _) in kernel_entries() {
            pml4[slot].set_unused();
        }
        free_zeroed_frame(self.pml4);
        // `self.shared` is dropped after this: no entry maps its frames now.
    }
}
