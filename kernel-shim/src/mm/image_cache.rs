//! The read-only pages of recently loaded images, shared by every process
//! that runs the same file content.
//!
//! Spawning a program maps its code and read-only data from here instead
//! of copying them into fresh frames: the spawn writes fewer pages, and
//! under QEMU's software emulation the code keeps its physical frames, so
//! the code QEMU translated for the last process that ran it is used again
//! (copying it into new frames made QEMU translate it afresh every spawn).
//!
//! An entry also keeps the image's checked layout (its ELF plan and the
//! pages it occupies), so a spawn of a cached image neither parses nor
//! checks the headers again: the same version is the same bytes.
//!
//! Entries are keyed by the file's content version (`shim_core::Vfs`
//! gives every content a version no other content has), so a rewritten
//! file never maps stale pages. At most [`CAPACITY`] images are kept; the
//! least recently used one that no process maps makes room. Frames that no
//! process maps are given back when memory runs out
//! ([`crate::mm`]) and before the kernel counts free frames
//! ([`release_unused`]), so the leak checks see exact numbers.
#![forbid(unsafe_code)]

use crate::mm::shared::SharedPages;
use alloc::vec::Vec;
use shim_core::elf::{ImagePage, ImagePlan};
use shim_core::shared::TryArc;
use spin::Mutex;

/// Images kept at most.
pub const CAPACITY: usize = 16;

/// One cached image.
struct Entry {
    /// The file content version the pages were built from.
    version: u64,
    /// The pages; also held by every address space mapping them.
    pages: TryArc<SharedPages>,
    /// The checked layout the pages were built from.
    layout: TryArc<ImageLayout>,
    /// When it was last used, by [`Cache::clock`]: the smallest is the
    /// least recently used.
    last_used: u64,
}

impl Entry {
    /// Whether only the cache holds the pages.
    fn unused(&self) -> bool {
        TryArc::strong_count(&self.pages) == 1
    }
}

struct Cache {
    entries: [Option<Entry>; CAPACITY],
    /// Counts lookups, for `last_used`.
    clock: u64,
}

static CACHE: Mutex<Cache> = Mutex::new(Cache {
    entries: [const { None }; CAPACITY],
    clock: 0,
});

impl Cache {
    fn tick(&mut self) -> u64 {
        self.clock += 1;
        self.clock
    }

    fn find(&mut self, version: u64) -> Option<CachedImage> {
        let now = self.tick();
        let entry = self
            .entries
            .iter_mut()
            .flatten()
            .find(|entry| entry.version == version)?;
        entry.last_used = now;
        Some(CachedImage {
            layout: entry.layout.clone(),
            read_only: entry.pages.clone(),
        })
    }

    /// Keeps `pages` in an empty slot or in place of the least recently
    /// used image no process maps; if every slot is in use, keeps nothing.
    fn insert(&mut self, version: u64, layout: &TryArc<ImageLayout>, pages: &TryArc<SharedPages>) {
        let last_used = self.tick();
        let slot = self
            .entries
            .iter_mut()
            .filter(|slot| slot.as_ref().is_none_or(Entry::unused))
            .min_by_key(|slot| slot.as_ref().map_or(0, |entry| entry.last_used));
        if let Some(slot) = slot {
            *slot = Some(Entry {
                version,
                pages: pages.clone(),
                layout: layout.clone(),
                last_used,
            });
        }
    }
}

/// An image's checked layout: its ELF plan ([`shim_core::elf::parse`]
/// against the loader's limits) and the pages it occupies.
pub struct ImageLayout {
    /// The plan.
    pub plan: ImagePlan,
    /// The pages, sorted by address.
    pub pages: Vec<ImagePage>,
}

/// A cached image: its layout and its read-only pages.
pub struct CachedImage {
    /// The checked layout.
    pub layout: TryArc<ImageLayout>,
    /// The read-only pages, filled.
    pub read_only: TryArc<SharedPages>,
}

/// The cached image of content `version`, if there is one.
pub fn find(version: u64) -> Option<CachedImage> {
    CACHE.lock().find(version)
}

/// Keeps the image of content `version` (its `layout` and the
/// `read_only` pages built from it), if a slot is free or holds an image
/// no process maps.
pub fn insert(version: u64, layout: &TryArc<ImageLayout>, read_only: &TryArc<SharedPages>) {
    CACHE.lock().insert(version, layout, read_only);
}

/// Drops every cached image no process maps, freeing its frames; returns
/// how many images went. Does nothing (returns 0) if called while the cache
/// is locked, as from an allocation inside [`pages_for`]'s own lookup.
pub fn release_unused() -> usize {
    let Some(mut cache) = CACHE.try_lock() else {
        return 0;
    };
    let mut released = 0;
    for slot in cache.entries.iter_mut() {
        if slot.as_ref().is_some_and(Entry::unused) {
            *slot = None;
            released += 1;
        }
    }
    released
}
