//! The read-only pages of recently loaded images, shared by every process
//! that runs the same file content.
//!
//! Spawning a program maps its code and read-only data from here instead
//! of copying them into fresh frames: the spawn writes fewer pages, and
//! under QEMU's software emulation the code keeps its physical frames, so
//! the code QEMU translated for the last process that ran it is used again
//! (copying it into new frames made QEMU translate it afresh every spawn).
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
use libspawn::Errno;
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

    fn find(&mut self, version: u64) -> Option<TryArc<SharedPages>> {
        let now = self.tick();
        let entry = self
            .entries
            .iter_mut()
            .flatten()
            .find(|entry| entry.version == version)?;
        entry.last_used = now;
        Some(entry.pages.clone())
    }

    /// Keeps `pages` in an empty slot or in place of the least recently
    /// used image no process maps; if every slot is in use, keeps nothing.
    fn insert(&mut self, version: u64, pages: &TryArc<SharedPages>) {
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
                last_used,
            });
        }
    }
}

/// The shared pages of the image with content `version`: from the cache,
/// or made by `build` and then kept.
///
/// `build` runs without the cache lock held, so the frames it allocates
/// can come from the cache's own unused entries.
///
/// # Errors
///
/// Whatever `build` returns; ENOMEM if the shared handle cannot be had.
pub fn pages_for(
    version: u64,
    build: impl FnOnce() -> Result<SharedPages, Errno>,
) -> Result<TryArc<SharedPages>, Errno> {
    if let Some(pages) = CACHE.lock().find(version) {
        return Ok(pages);
    }
    let pages = TryArc::try_new(build()?)?;
    CACHE.lock().insert(version, &pages);
    Ok(pages)
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
