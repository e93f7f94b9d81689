//! A process's map of memory regions: the address ranges `mmap` reserved,
//! with their protection and backing, as mmap(2), munmap(2) and
//! mprotect(2) describe them.
//!
//! A region is a reservation, not memory: the kernel gives a page a frame
//! when it is first touched (or at once for `MAP_POPULATE` and file
//! copies), and asks [`RegionMap::find`] on every page fault whether the
//! access is allowed. So a `PROT_NONE` reservation of any size costs only
//! its entry here.
//!
//! Regions are kept sorted and never overlap. Every change splits at most
//! two regions, so it reserves room for two more entries before it
//! changes anything: a full heap is ENOMEM with the map as it was, and so
//! is a map that would pass [`MAX_REGIONS`] (Linux's `vm.max_map_count`).
//! Neighbouring anonymous regions with the same protection are merged, as
//! Linux does, which keeps the count low for programs that map many small
//! pieces one below the other.
//!
//! Only what `mmap` made is here: the image, the program break and the
//! stack are mapped by the loader and `brk` directly; the kernel reports
//! such pages through the `occupied` callback of [`RegionMap::find_free`],
//! so a new region never lands on them.

use alloc::vec::Vec;
use core::ops::Range;

use libspawn::Errno;
use shim_abi::prot::{PROT_EXEC, PROT_READ, PROT_WRITE};

use crate::frames::FRAME_SIZE;

/// Most regions one process may have (Linux's default
/// `vm.max_map_count`): one more is ENOMEM.
pub const MAX_REGIONS: usize = 65530;
/// Entries a change may add: a split at each end of its range.
const MAX_GROWTH: usize = 2;
/// Candidate places [`RegionMap::find_free`] tries before it gives up
/// (each one failed because the kernel found pages mapped outside any
/// region there).
const MAX_PLACEMENT_TRIES: usize = 64;

/// What a region's pages may be used for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Prot {
    /// Readable (on x86-64, writable or executable pages are readable too).
    pub read: bool,
    /// Writable.
    pub write: bool,
    /// Executable.
    pub exec: bool,
}

impl Prot {
    /// No access at all.
    pub const NONE: Prot = Prot {
        read: false,
        write: false,
        exec: false,
    };

    /// The protection `PROT_*` bits ask for (other bits are the caller's
    /// to check).
    pub const fn from_bits(bits: u64) -> Prot {
        Prot {
            read: bits & PROT_READ != 0,
            write: bits & PROT_WRITE != 0,
            exec: bits & PROT_EXEC != 0,
        }
    }

    /// Whether no access is allowed: every touch is SIGSEGV.
    pub const fn is_none(self) -> bool {
        !self.read && !self.write && !self.exec
    }

    /// Whether an access (a read unless `write`, an instruction fetch if
    /// `exec`) is allowed.
    pub const fn allows(self, write: bool, exec: bool) -> bool {
        !self.is_none() && (!write || self.write) && (!exec || self.exec)
    }
}

/// What is behind a region's pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backing {
    /// Zero-filled on first touch.
    Anonymous,
    /// A copy of a file's bytes, made when the region was mapped.
    File {
        /// One past the last page holding file bytes: touching a page at
        /// or above it is SIGBUS, as on Linux for pages wholly past the
        /// end of the file.
        data_end: u64,
        /// Mapped `MAP_SHARED` (read-only here: the copy cannot follow
        /// later writes to the file, so write access is refused).
        shared: bool,
    },
}

/// One region: `[start, end)`, page-aligned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    /// First address.
    pub start: u64,
    /// One past the last address.
    pub end: u64,
    /// The access its pages allow.
    pub prot: Prot,
    /// What fills its pages.
    pub backing: Backing,
}

impl Region {
    /// An anonymous region.
    pub const fn anonymous(start: u64, end: u64, prot: Prot) -> Region {
        Region {
            start,
            end,
            prot,
            backing: Backing::Anonymous,
        }
    }

    /// Whether `address` lies in it.
    pub const fn contains(&self, address: u64) -> bool {
        self.start <= address && address < self.end
    }

    /// Whether touching `address` (which lies in it) is a bus error:
    /// a page wholly past the end of its file.
    pub const fn past_file_end(&self, address: u64) -> bool {
        match self.backing {
            Backing::File { data_end, .. } => address >= data_end,
            Backing::Anonymous => false,
        }
    }

    /// Whether `self` followed by `next` can be one region.
    fn merges_with(&self, next: &Region) -> bool {
        self.end == next.start
            && self.prot == next.prot
            && self.backing == Backing::Anonymous
            && next.backing == Backing::Anonymous
    }
}

/// The sorted, non-overlapping regions of one address space.
#[derive(Debug, Default)]
pub struct RegionMap {
    regions: Vec<Region>,
}

/// Rounds `value` up to a page boundary (`None` on overflow).
pub const fn page_ceil(value: u64) -> Option<u64> {
    match value.checked_add(FRAME_SIZE - 1) {
        Some(sum) => Some(sum & !(FRAME_SIZE - 1)),
        None => None,
    }
}

/// Rounds `value` down to a page boundary.
pub const fn page_floor(value: u64) -> u64 {
    value & !(FRAME_SIZE - 1)
}

impl RegionMap {
    /// An empty map.
    pub const fn new() -> RegionMap {
        RegionMap {
            regions: Vec::new(),
        }
    }

    /// The regions, lowest first.
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// The region holding `address`, if any.
    pub fn find(&self, address: u64) -> Option<&Region> {
        let index = self.regions.partition_point(|r| r.end <= address);
        self.regions.get(index).filter(|r| r.contains(address))
    }

    /// The indexes of the regions overlapping `[start, end)`.
    fn overlapping(&self, start: u64, end: u64) -> Range<usize> {
        let first = self.regions.partition_point(|r| r.end <= start);
        let last = self.regions.partition_point(|r| r.start < end);
        first..last.max(first)
    }

    /// Whether any region overlaps `[start, end)`.
    pub fn overlaps(&self, start: u64, end: u64) -> bool {
        !self.overlapping(start, end).is_empty()
    }

    /// Calls `each` with every part of `[start, end)` that no region
    /// covers, lowest first, and stops at its first error.
    pub fn for_each_gap(
        &self,
        start: u64,
        end: u64,
        each: &mut dyn FnMut(u64, u64) -> Result<(), Errno>,
    ) -> Result<(), Errno> {
        let mut at = start;
        for region in &self.regions[self.overlapping(start, end)] {
            if region.start > at {
                each(at, region.start)?;
            }
            at = region.end;
        }
        if at < end {
            each(at, end)?;
        }
        Ok(())
    }

    /// A free place for `len` bytes (page-aligned, non-zero): `hint` if it
    /// is page-aligned, lies in `user` and is free, else the highest free
    /// place in `area` (top-down, as Linux's default layout places
    /// mappings below the stack). Free means no region there and no page
    /// `occupied` reports: it returns the lowest mapped address in the
    /// range it is given, if any (the kernel's image, break and stack).
    ///
    /// # Errors
    ///
    /// `ENOMEM` when no place is found.
    pub fn find_free(
        &self,
        len: u64,
        hint: Option<u64>,
        user: Range<u64>,
        area: Range<u64>,
        occupied: &mut dyn FnMut(u64, u64) -> Option<u64>,
    ) -> Result<u64, Errno> {
        if let Some(hint) = hint.filter(|hint| hint % FRAME_SIZE == 0) {
            let fits = hint >= user.start
                && hint
                    .checked_add(len)
                    .is_some_and(|end| end <= user.end && !self.overlaps(hint, end));
            if fits && occupied(hint, hint + len).is_none() {
                return Ok(hint);
            }
        }
        let mut tries = 0;
        let mut gap_end = area.end;
        // Gaps from the top: below each region (highest first), then
        // above the area's start.
        for index in (0..=self.regions.len()).rev() {
            let gap_start = match index {
                0 => area.start,
                _ => self.regions[index - 1].end.max(area.start),
            };
            let mut end = gap_end.min(area.end);
            while end >= gap_start && end - gap_start >= len {
                let candidate = end - len;
                match occupied(candidate, end) {
                    None => return Ok(candidate),
                    Some(mapped) => {
                        tries += 1;
                        if tries >= MAX_PLACEMENT_TRIES {
                            return Err(Errno::ENOMEM);
                        }
                        end = page_floor(mapped);
                    }
                }
            }
            if index > 0 {
                gap_end = self.regions[index - 1].start;
                if gap_end <= area.start {
                    break;
                }
            }
        }
        Err(Errno::ENOMEM)
    }

    /// Room for [`MAX_GROWTH`] more entries, or ENOMEM with nothing
    /// changed.
    fn reserve_growth(&mut self) -> Result<(), Errno> {
        if self.regions.len() + MAX_GROWTH > MAX_REGIONS {
            return Err(Errno::ENOMEM);
        }
        self.regions
            .try_reserve(MAX_GROWTH)
            .map_err(|_| Errno::ENOMEM)
    }

    /// Splits the region strictly containing `address` in two there.
    /// Needs room for one entry (reserved by the caller).
    fn split_at(&mut self, address: u64) {
        let index = self.regions.partition_point(|r| r.end <= address);
        if let Some(region) = self.regions.get_mut(index) {
            if region.start < address && address < region.end {
                let mut upper = *region;
                region.end = address;
                upper.start = address;
                self.regions.insert(index + 1, upper);
            }
        }
    }

    /// Merges mergeable neighbours among the regions at `range` and the
    /// ones just outside it.
    fn merge_around(&mut self, range: Range<usize>) {
        let low = range.start.saturating_sub(1);
        let mut index = (range.end + 1).min(self.regions.len());
        while index > low + 1 {
            index -= 1;
            if self.regions[index - 1].merges_with(&self.regions[index]) {
                self.regions[index - 1].end = self.regions[index].end;
                self.regions.remove(index);
            }
        }
    }

    /// Removes `[start, end)` from the map (`munmap`): regions inside go,
    /// regions across its ends are cut.
    ///
    /// # Errors
    ///
    /// `ENOMEM` when the entries for a split cannot be had (nothing
    /// changes).
    pub fn unmap(&mut self, start: u64, end: u64) -> Result<(), Errno> {
        if !self.overlaps(start, end) {
            return Ok(());
        }
        self.reserve_growth()?;
        self.split_at(start);
        self.split_at(end);
        let inside = self.overlapping(start, end);
        self.regions.drain(inside);
        if self.regions.is_empty() {
            // Give the storage back (no allocation): a process that
            // unmapped everything holds no kernel heap for it.
            self.regions = Vec::new();
        }
        Ok(())
    }

    /// Adds `region`, replacing whatever it overlaps (`MAP_FIXED`
    /// semantics; callers that must not replace check
    /// [`RegionMap::overlaps`] first).
    ///
    /// # Errors
    ///
    /// `ENOMEM` when the entries cannot be had or [`MAX_REGIONS`] would be
    /// passed (nothing changes).
    pub fn map(&mut self, region: Region) -> Result<(), Errno> {
        self.reserve_growth()?;
        self.split_at(region.start);
        self.split_at(region.end);
        let inside = self.overlapping(region.start, region.end);
        let at = inside.start;
        self.regions.drain(inside);
        self.regions.insert(at, region);
        self.merge_around(at..at + 1);
        Ok(())
    }

    /// Gives every region part in `[start, end)` the protection `prot`
    /// (`mprotect`); parts no region covers are the caller's.
    ///
    /// # Errors
    ///
    /// `EACCES` when write access is asked of a shared file region;
    /// `ENOMEM` when the entries for a split cannot be had. Nothing
    /// changes on an error.
    pub fn protect(&mut self, start: u64, end: u64, prot: Prot) -> Result<(), Errno> {
        let inside = self.overlapping(start, end);
        if inside.is_empty() {
            return Ok(());
        }
        let shared_file = |r: &Region| matches!(r.backing, Backing::File { shared: true, .. });
        if prot.write && self.regions[inside].iter().any(shared_file) {
            return Err(Errno::EACCES);
        }
        self.reserve_growth()?;
        self.split_at(start);
        self.split_at(end);
        let inside = self.overlapping(start, end);
        for region in &mut self.regions[inside.clone()] {
            region.prot = prot;
        }
        self.merge_around(inside);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: u64 = FRAME_SIZE;
    const RW: Prot = Prot {
        read: true,
        write: true,
        exec: false,
    };
    const RO: Prot = Prot {
        read: true,
        write: false,
        exec: false,
    };
    const USER: Range<u64> = 0x1000..0x8000_0000;
    const AREA: Range<u64> = 0x10_0000..0x100_0000;

    fn free(_start: u64, _end: u64) -> Option<u64> {
        None
    }

    fn place(map: &RegionMap, len: u64, hint: Option<u64>) -> Result<u64, Errno> {
        map.find_free(len, hint, USER, AREA, &mut free)
    }

    fn spans(map: &RegionMap) -> Vec<(u64, u64)> {
        let mut out = Vec::new();
        for region in map.regions() {
            out.push((region.start, region.end));
        }
        out
    }

    fn mapped(map: &mut RegionMap, len: u64, prot: Prot) -> u64 {
        let start = place(map, len, None).unwrap();
        map.map(Region::anonymous(start, start + len, prot))
            .unwrap();
        start
    }

    #[test]
    fn placement_is_top_down_below_the_area_end() {
        let mut map = RegionMap::new();
        let first = mapped(&mut map, 4 * PAGE, RW);
        assert_eq!(first, AREA.end - 4 * PAGE);
        let second = mapped(&mut map, PAGE, RO);
        assert_eq!(second, first - PAGE);
        assert_eq!(map.regions().len(), 2);
    }

    #[test]
    fn adjacent_anonymous_regions_with_the_same_protection_merge() {
        let mut map = RegionMap::new();
        let first = mapped(&mut map, PAGE, RW);
        let second = mapped(&mut map, 2 * PAGE, RW);
        assert_eq!(spans(&map), [(second, first + PAGE)]);
    }

    #[test]
    fn freed_ranges_are_reused() {
        let mut map = RegionMap::new();
        let a = mapped(&mut map, 2 * PAGE, RW);
        let b = mapped(&mut map, 2 * PAGE, RO);
        let _c = mapped(&mut map, 2 * PAGE, RW);
        map.unmap(b, b + 2 * PAGE).unwrap();
        assert_eq!(place(&map, 2 * PAGE, None), Ok(b));
        map.unmap(a, a + 2 * PAGE).unwrap();
        assert_eq!(place(&map, 2 * PAGE, None), Ok(a));
    }

    #[test]
    fn partial_unmap_splits_a_region() {
        let mut map = RegionMap::new();
        let start = mapped(&mut map, 4 * PAGE, RW);
        map.unmap(start + PAGE, start + 2 * PAGE).unwrap();
        assert_eq!(
            spans(&map),
            [(start, start + PAGE), (start + 2 * PAGE, start + 4 * PAGE)]
        );
        assert!(map.find(start + PAGE).is_none());
        assert!(map.find(start + 3 * PAGE).is_some());
        // Unmapping across both pieces and past them.
        map.unmap(start, start + 100 * PAGE).unwrap();
        assert!(map.regions().is_empty());
    }

    #[test]
    fn partial_mprotect_splits_and_merges_back() {
        let mut map = RegionMap::new();
        let start = mapped(&mut map, 4 * PAGE, Prot::NONE);
        map.protect(start + PAGE, start + 3 * PAGE, RW).unwrap();
        assert_eq!(map.regions().len(), 3);
        assert_eq!(map.find(start).unwrap().prot, Prot::NONE);
        assert_eq!(map.find(start + PAGE).unwrap().prot, RW);
        assert_eq!(map.find(start + 3 * PAGE).unwrap().prot, Prot::NONE);
        map.protect(start, start + 4 * PAGE, Prot::NONE).unwrap();
        assert_eq!(spans(&map), [(start, start + 4 * PAGE)]);
    }

    #[test]
    fn fixed_mapping_replaces_what_it_overlaps() {
        let mut map = RegionMap::new();
        let start = mapped(&mut map, 4 * PAGE, RW);
        map.map(Region::anonymous(start + PAGE, start + 2 * PAGE, RO))
            .unwrap();
        assert_eq!(map.regions().len(), 3);
        assert_eq!(map.find(start + PAGE).unwrap().prot, RO);
        // Replaced again by the original protection: one region again.
        map.map(Region::anonymous(start + PAGE, start + 2 * PAGE, RW))
            .unwrap();
        assert_eq!(spans(&map), [(start, start + 4 * PAGE)]);
    }

    #[test]
    fn a_free_hint_is_honoured_and_a_taken_one_is_not() {
        let mut map = RegionMap::new();
        let hint = 0x20_0000;
        assert_eq!(place(&map, PAGE, Some(hint)), Ok(hint));
        map.map(Region::anonymous(hint, hint + PAGE, RW)).unwrap();
        assert!(map.overlaps(hint, hint + PAGE));
        assert_eq!(place(&map, PAGE, Some(hint)), Ok(AREA.end - PAGE));
        // Unaligned or outside the user range: ignored.
        assert_eq!(place(&map, PAGE, Some(hint + 1)), Ok(AREA.end - PAGE));
        assert_eq!(place(&map, PAGE, Some(USER.end)), Ok(AREA.end - PAGE));
    }

    #[test]
    fn occupied_pages_are_skipped() {
        let map = RegionMap::new();
        let taken = AREA.end - 2 * PAGE;
        let mut occupied = |start: u64, end: u64| (start <= taken && taken < end).then_some(taken);
        assert_eq!(
            map.find_free(4 * PAGE, None, USER, AREA, &mut occupied),
            Ok(taken - 4 * PAGE)
        );
        assert_eq!(
            map.find_free(PAGE, Some(taken), USER, AREA, &mut occupied),
            Ok(AREA.end - PAGE)
        );
    }

    #[test]
    fn a_full_area_is_enomem() {
        let mut map = RegionMap::new();
        let len = AREA.end - AREA.start;
        assert_eq!(mapped(&mut map, len, RW), AREA.start);
        assert_eq!(place(&map, PAGE, None), Err(Errno::ENOMEM));
        assert_eq!(
            RegionMap::new().find_free(len + PAGE, None, USER, AREA, &mut free),
            Err(Errno::ENOMEM)
        );
    }

    #[test]
    fn gaps_are_the_parts_no_region_covers() {
        let mut map = RegionMap::new();
        let start = mapped(&mut map, 4 * PAGE, RW);
        map.unmap(start + PAGE, start + 2 * PAGE).unwrap();
        let mut gaps = Vec::new();
        map.for_each_gap(start - PAGE, start + 5 * PAGE, &mut |s, e| {
            gaps.push((s, e));
            Ok(())
        })
        .unwrap();
        assert_eq!(
            gaps,
            [
                (start - PAGE, start),
                (start + PAGE, start + 2 * PAGE),
                (start + 4 * PAGE, start + 5 * PAGE)
            ]
        );
    }

    #[test]
    fn write_access_to_a_shared_file_region_is_eacces() {
        let mut map = RegionMap::new();
        let region = Region {
            start: 0x20_0000,
            end: 0x20_0000 + 2 * PAGE,
            prot: RO,
            backing: Backing::File {
                data_end: 0x20_0000 + PAGE,
                shared: true,
            },
        };
        map.map(region).unwrap();
        assert_eq!(
            map.protect(region.start, region.end, RW),
            Err(Errno::EACCES)
        );
        assert_eq!(map.regions(), [region]);
        let found = map.find(region.start + PAGE).unwrap();
        assert!(found.past_file_end(region.start + PAGE));
        assert!(!found.past_file_end(region.start));
    }

    #[test]
    fn protection_bits_decide_access() {
        let none = Prot::from_bits(0);
        assert!(none.is_none() && !none.allows(false, false));
        let read = Prot::from_bits(PROT_READ);
        assert!(read.allows(false, false) && !read.allows(true, false));
        assert!(!read.allows(false, true));
        let write = Prot::from_bits(PROT_WRITE);
        assert!(write.allows(false, false) && write.allows(true, false));
        assert!(Prot::from_bits(PROT_EXEC).allows(false, true));
    }

    #[test]
    fn the_region_count_is_bounded() {
        let mut map = RegionMap::new();
        // Alternating protections never merge.
        let mut at = 0x1000_0000;
        for index in 0..MAX_REGIONS - 1 {
            let prot = if index % 2 == 0 { RW } else { RO };
            map.map(Region::anonymous(at, at + PAGE, prot)).unwrap();
            at += PAGE;
        }
        let before = map.regions().len();
        assert_eq!(
            map.map(Region::anonymous(at + PAGE, at + 2 * PAGE, RW)),
            Err(Errno::ENOMEM)
        );
        assert_eq!(map.regions().len(), before);
    }
}
