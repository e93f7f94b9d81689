//! Builds a new process image: ELF segments and the initial stack.
//!
//! The image is validated by [`shim_core::elf`] (or its checked layout
//! comes from [`crate::mm::image_cache`], when the same content was
//! loaded before) and the stack laid out by [`shim_core::user_stack`]
//! before any user memory is allocated; the segments and
//! stack pages are then mapped in a fresh address space and filled through
//! [`crate::mm::phys`]. Pages no writable segment touches (code and
//! read-only data) come from [`crate::mm::image_cache`], shared with every
//! other process running the same file content; the others are private
//! copies. On any error the half-built address space is dropped, which
//! frees everything it holds.

use crate::arch::{irq_off, profile};
use crate::mm::image_cache::{self, ImageLayout};
use crate::mm::paging::{Access, AddressSpace};
use crate::mm::phys;
use crate::mm::shared::SharedPages;
use crate::mm::user_layout;
use core::sync::atomic::{AtomicU64, Ordering};
use libspawn::Errno;
use shim_abi::Phase;
use shim_core::elf::{self, ImagePage, Limits, Segment};
use shim_core::frames::FRAME_SIZE;
use shim_core::shared::TryArc;
use shim_core::spawn_request::Image;
use shim_core::user_stack::{self, ProgramInfo, StackImage, RANDOM_BYTES};

/// A loaded image, ready to become a process.
pub struct LoadedImage {
    /// The populated address space.
    pub space: AddressSpace,
    /// Entry point.
    pub entry: u64,
    /// Initial stack pointer (address of `argc`).
    pub stack_pointer: u64,
    /// First address above the image: the initial program break.
    pub brk_start: u64,
}

fn page_floor(address: u64) -> u64 {
    address & !(FRAME_SIZE - 1)
}

fn page_ceil(address: u64) -> u64 {
    page_floor(address + FRAME_SIZE - 1)
}

/// Maps the pages of `stack` (from its stack pointer up to the stack top)
/// writable and copies its pieces in: the strings go from their lists
/// straight into the new process's frames. A page the image covers whole
/// gets a frame that is not zero-filled first ([`AddressSpace::map_filled`]),
/// since every byte of it is written; the lowest page, partly below the
/// stack pointer, gets a zeroed one.
fn map_stack(space: &mut AddressSpace, stack: &StackImage<'_>) -> Result<(), Errno> {
    let access = Access {
        writable: true,
        executable: false,
    };
    let (start, end) = (
        stack.stack_pointer,
        stack.stack_pointer + stack.len() as u64,
    );
    let mut pieces = StackBytes {
        pieces: stack.pieces(),
        current: (start, &[]),
    };
    let mut page = page_floor(start);
    while page < end {
        let (from, to) = (page.max(start), (page + FRAME_SIZE).min(end));
        if from == page && to == page + FRAME_SIZE {
            space.map_filled(page, access, |frame| pieces.copy(frame, page, from, to))?;
        } else {
            let frame = space.map(page, access)?;
            pieces.copy(frame, page, from, to);
        }
        irq_off::window();
        page += FRAME_SIZE;
    }
    Ok(())
}

/// Bytes of zeros [`StackBytes::copy`] writes at a time where the image
/// would leave a page short (it never does).
const ZEROS_CHUNK: usize = 64;

/// The bytes of a stack image in order, copied out a page at a time.
struct StackBytes<'a, I: Iterator<Item = (u64, &'a [u8])>> {
    /// The pieces not reached yet.
    pieces: I,
    /// The rest of the current piece and its address.
    current: (u64, &'a [u8]),
}

impl<'a, I: Iterator<Item = (u64, &'a [u8])>> StackBytes<'a, I> {
    /// Copies the image's bytes for `[from, to)` (within the page at
    /// `page`, whose frame is `frame`), the next ones in order; zeroes
    /// what the image does not cover (nothing, when the pieces are as
    /// [`StackImage::pieces`] gives them).
    fn copy(&mut self, frame: u64, page: u64, from: u64, to: u64) {
        let mut at = from;
        while at < to {
            let (address, rest) = self.current;
            if rest.is_empty() {
                match self.pieces.next() {
                    Some(piece) => self.current = piece,
                    None => break,
                }
                continue;
            }
            debug_assert_eq!(address, at);
            let len = ((to - at) as usize).min(rest.len());
            let (now, later) = rest.split_at(len);
            // SAFETY: `at .. at + len` lies in `[from, to)`, within the
            // page at `page`, so the target lies in `frame`, the frame
            // being mapped for that page in a new address space that
            // nothing else uses yet.
            unsafe { phys::write(frame + (at - page), now) };
            self.current = (address + len as u64, later);
            at += len as u64;
        }
        if at < to {
            let zeros = [0u8; ZEROS_CHUNK];
            while at < to {
                let len = ((to - at) as usize).min(zeros.len());
                // SAFETY: as above.
                unsafe { phys::write(frame + (at - page), &zeros[..len]) };
                at += len as u64;
            }
        }
    }
}

/// Copies into `frame`, the frame of the image page at `page`, the file
/// bytes of every segment on that page (the rest of a fresh frame is
/// already zero).
fn fill_image_page(frame: u64, page: u64, image: &[u8], segments: &[Segment]) {
    for segment in segments {
        let file_end = segment.vaddr + segment.file_size as u64;
        let from = page.max(segment.vaddr);
        let to = (page + FRAME_SIZE).min(file_end);
        if from >= to {
            continue;
        }
        let offset = segment.file_offset + (from - segment.vaddr) as usize;
        let source = &image[offset..offset + (to - from) as usize];
        // SAFETY: `frame + (from - page) .. + len` lies in `frame`; the
        // caller owns the frame and nobody maps it yet.
        unsafe { phys::write(frame + (from - page), source) };
    }
}

/// The shared frames for the read-only `pages` of `image`, filled.
fn build_read_only(
    image: &[u8],
    segments: &[Segment],
    pages: &[ImagePage],
) -> Result<SharedPages, Errno> {
    let mut shared = SharedPages::new();
    for page in pages.iter().filter(|page| !page.writable) {
        let frame = shared.add(page.vaddr, page.executable)?;
        fill_image_page(frame, page.vaddr, image, segments);
        irq_off::window();
    }
    Ok(shared)
}

/// Sixteen bytes for `AT_RANDOM`: not cryptographic, but different for
/// every process (time stamp counter and a counter through splitmix64).
fn random_bytes() -> [u8; RANDOM_BYTES] {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut state =
        crate::arch::time::now_ns() ^ COUNTER.fetch_add(1, Ordering::Relaxed).rotate_left(32);
    // SAFETY: `rdtsc` only reads the time stamp counter.
    state ^= unsafe { core::arch::x86_64::_rdtsc() };
    let mut next = || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let mut out = [0; RANDOM_BYTES];
    out[..8].copy_from_slice(&next().to_le_bytes());
    out[8..].copy_from_slice(&next().to_le_bytes());
    out
}

/// Loads `request`: a static executable where it was linked, or a static
/// PIE at [`user_layout::PIE_LOAD_BASE`] (anywhere in
/// `[USER_MIN_ADDRESS, IMAGE_END)`, see [`user_layout`]), with the stack
/// and auxiliary vector Linux gives a static program
/// ([`user_stack::static_auxv`]; `AT_EXECFN` names the spawned path).
///
/// # Errors
///
/// `ENOEXEC` for a bad image, `E2BIG` for oversized arguments, `ENOMEM`
/// when memory runs out.
pub fn load(request: Image<'_>) -> Result<LoadedImage, Errno> {
    profile::mark(Phase::LoadParse);
    let image = request.bytes;
    let limits = Limits {
        base: user_layout::USER_MIN_ADDRESS,
        pie_base: user_layout::PIE_LOAD_BASE,
        end: user_layout::IMAGE_END,
        max_bytes: user_layout::IMAGE_MAX_BYTES,
    };
    let version = request.version;
    // A cached image of this content was parsed and checked when it was
    // first loaded: the same version is the same bytes.
    let cached = image_cache::find(version);
    let layout = match &cached {
        Some(cached) => cached.layout.clone(),
        None => {
            let plan = elf::parse(image, &limits)?;
            let pages = plan.pages()?;
            TryArc::try_new(ImageLayout { plan, pages })?
        }
    };
    let plan = &layout.plan;
    let (aux, aux_count) = user_stack::static_auxv(&ProgramInfo {
        phdr: plan.phdr_vaddr,
        phdr_count: plan.phdr_count as u64,
        entry: plan.entry,
        creds: request.creds,
    });
    profile::mark(Phase::LoadStack);
    let stack = user_stack::build(
        user_layout::STACK_TOP,
        request.argv,
        request.envp,
        request.path,
        &aux[..aux_count],
        random_bytes(),
    )?;

    profile::mark(Phase::LoadMapping);
    let mut space = AddressSpace::new()?;
    let pages = &layout.pages;
    let read_only = match cached {
        Some(cached) => cached.read_only,
        None => {
            // Built without the cache's lock held, so the frames can come
            // from the cache's own unused entries.
            let read_only = TryArc::try_new(build_read_only(image, &plan.segments, pages)?)?;
            image_cache::insert(version, &layout, &read_only);
            read_only
        }
    };
    space.map_shared(read_only)?;
    profile::mark(Phase::LoadPrivate);
    for page in pages.iter().filter(|page| page.writable) {
        let access = Access {
            writable: true,
            executable: page.executable,
        };
        let frame = space.map(page.vaddr, access)?;
        fill_image_page(frame, page.vaddr, image, &plan.segments);
        irq_off::window();
    }
    profile::mark(Phase::LoadStack);
    map_stack(&mut space, &stack)?;
    Ok(LoadedImage {
        space,
        entry: plan.entry,
        stack_pointer: stack.stack_pointer,
        brk_start: page_ceil(plan.end()),
    })
}
