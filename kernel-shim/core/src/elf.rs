//! Validation of static ELF64 x86_64 executables into a load plan.
//!
//! Two kinds are accepted, as Linux runs them without an interpreter: a
//! static executable (`ET_EXEC`), mapped where it was linked, and a static
//! PIE (`ET_DYN` without `PT_INTERP`), mapped at [`Limits::pie_base`] plus
//! its own addresses; it relocates itself, the kernel applies nothing.
//! `PT_TLS`, `PT_GNU_STACK` and other headers need nothing from the loader.
//!
//! The loader never reads an image directly: it asks [`parse`] for an
//! [`ImagePlan`], which exists only if every header field is in bounds and
//! consistent. Anything else is `ENOEXEC` (or `ENOMEM` for an image larger
//! than a process may be), never a fault.
#![forbid(unsafe_code)]

use crate::frames::FRAME_SIZE;
use alloc::vec::Vec;
use libspawn::Errno;
use shim_abi::layout;

/// `\x7fELF`.
const ELF_MAGIC: [u8; 4] = [0x7f, b'E', b'L', b'F'];
/// `EI_CLASS` value of a 64-bit image.
const ELFCLASS64: u8 = 2;
/// `EI_DATA` value of a little-endian image.
const ELFDATA2LSB: u8 = 1;
/// The only ELF version.
const EV_CURRENT: u8 = 1;
/// `e_type` of a non-PIE executable.
pub const ET_EXEC: u16 = 2;
/// `e_type` of a shared object or position-independent executable.
pub const ET_DYN: u16 = 3;
/// `e_machine` of x86_64.
const EM_X86_64: u16 = 62;
/// Size of the ELF64 file header.
const EHDR_SIZE: usize = 64;
/// Size of one ELF64 program header.
const PHDR_SIZE: usize = 56;
/// Most program headers an image may have.
pub const MAX_PHDRS: usize = 64;

/// Loadable segment.
pub const PT_LOAD: u32 = 1;
/// Request for a program interpreter: dynamic linking, unsupported.
pub const PT_INTERP: u32 = 3;
/// Location of the program headers themselves.
const PT_PHDR: u32 = 6;

/// Segment flag: executable.
pub const PF_X: u32 = 1;
/// Segment flag: writable.
pub const PF_W: u32 = 2;

/// One region to map: `memsz` bytes at `vaddr`, the first `file_size` of
/// them copied from the image at `file_offset`, the rest zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    /// First virtual address.
    pub vaddr: u64,
    /// Bytes in memory (`>= file_size`, `> 0`).
    pub mem_size: u64,
    /// Offset of the initialised bytes in the image.
    pub file_offset: usize,
    /// Bytes copied from the image.
    pub file_size: usize,
    /// Mapped writable.
    pub writable: bool,
    /// Mapped executable.
    pub executable: bool,
}

impl Segment {
    /// One past the last virtual address.
    pub fn end(&self) -> u64 {
        self.vaddr + self.mem_size
    }
}

/// A validated image: what to map and where to start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImagePlan {
    /// Entry point, inside an executable segment.
    pub entry: u64,
    /// Loadable segments, sorted by address, non-overlapping.
    pub segments: Vec<Segment>,
    /// Address of the program headers in memory, if they are loaded.
    pub phdr_vaddr: Option<u64>,
    /// Number of program headers.
    pub phdr_count: usize,
    /// What was added to the image's own addresses: 0 for `ET_EXEC`,
    /// [`Limits::pie_base`] for a static PIE.
    pub load_bias: u64,
}

/// One page an image occupies, with the access its segments need.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImagePage {
    /// Page-aligned virtual address.
    pub vaddr: u64,
    /// Some segment on this page is writable: the page must be private to
    /// its process. A page no writable segment touches can be shared.
    pub writable: bool,
    /// Some segment on this page is executable.
    pub executable: bool,
}

impl ImagePlan {
    /// One past the highest address of any segment.
    pub fn end(&self) -> u64 {
        self.segments.iter().map(Segment::end).max().unwrap_or(0)
    }

    /// Every page the segments touch, in address order, once each, with the
    /// union of the access of the segments on it. ENOMEM if the list
    /// cannot be had.
    pub fn pages(&self) -> Result<Vec<ImagePage>, Errno> {
        let mut pages: Vec<ImagePage> = Vec::new();
        for segment in &self.segments {
            let mut vaddr = segment.vaddr & !(FRAME_SIZE - 1);
            while vaddr < segment.end() {
                match pages.last_mut() {
                    // Segments are sorted: only the last page can be shared
                    // with the previous segment.
                    Some(last) if last.vaddr == vaddr => {
                        last.writable |= segment.writable;
                        last.executable |= segment.executable;
                    }
                    _ => crate::fallible::push(
                        &mut pages,
                        ImagePage {
                            vaddr,
                            writable: segment.writable,
                            executable: segment.executable,
                        },
                    )?,
                }
                vaddr += FRAME_SIZE;
            }
        }
        Ok(pages)
    }
}

/// Where an image may be mapped, and how big it may be.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Lowest address a segment may use.
    pub base: u64,
    /// Where a static PIE's address 0 is placed (page-aligned).
    pub pie_base: u64,
    /// One past the highest address a segment may use.
    pub end: u64,
    /// Most bytes of memory all segments together may take.
    pub max_bytes: u64,
}

fn u16_at(bytes: &[u8], offset: usize) -> Result<u16, Errno> {
    let field = bytes.get(offset..offset + 2).ok_or(Errno::ENOEXEC)?;
    Ok(u16::from_le_bytes([field[0], field[1]]))
}

fn u32_at(bytes: &[u8], offset: usize) -> Result<u32, Errno> {
    let field = bytes.get(offset..offset + 4).ok_or(Errno::ENOEXEC)?;
    let mut raw = [0; 4];
    raw.copy_from_slice(field);
    Ok(u32::from_le_bytes(raw))
}

fn u64_at(bytes: &[u8], offset: usize) -> Result<u64, Errno> {
    let field = bytes.get(offset..offset + 8).ok_or(Errno::ENOEXEC)?;
    let mut raw = [0; 8];
    raw.copy_from_slice(field);
    Ok(u64::from_le_bytes(raw))
}

/// Checks the file header; returns `e_type` (`ET_EXEC` or `ET_DYN`).
fn check_header(image: &[u8]) -> Result<u16, Errno> {
    let ident = image.get(..16).ok_or(Errno::ENOEXEC)?;
    let kind = u16_at(image, 16)?;
    let valid = ident[..4] == ELF_MAGIC
        && ident[4] == ELFCLASS64
        && ident[5] == ELFDATA2LSB
        && ident[6] == EV_CURRENT
        && image.len() >= EHDR_SIZE
        && (kind == ET_EXEC || kind == ET_DYN)
        && u16_at(image, 18)? == EM_X86_64
        && u16_at(image, 54)? as usize == PHDR_SIZE;
    if valid {
        Ok(kind)
    } else {
        Err(Errno::ENOEXEC)
    }
}

/// Validates `image` and describes how to load it within `limits`.
///
/// # Errors
///
/// `ENOEXEC` for anything that is not a well-formed static x86_64 image
/// (`ET_EXEC`, or `ET_DYN` without `PT_INTERP`) whose segments lie in
/// `limits` (after the load bias) without overlapping and whose entry is
/// in an executable segment; `ENOMEM` if the segments exceed
/// `limits.max_bytes`.
pub fn parse(image: &[u8], limits: &Limits) -> Result<ImagePlan, Errno> {
    let load_bias = match check_header(image)? {
        ET_DYN => limits.pie_base,
        _ => 0,
    };
    let biased = |address: u64| address.checked_add(load_bias).ok_or(Errno::ENOEXEC);
    let entry = biased(u64_at(image, 24)?)?;
    let phoff = usize::try_from(u64_at(image, 32)?).map_err(|_| Errno::ENOEXEC)?;
    let phnum = u16_at(image, 56)? as usize;
    if phnum == 0 || phnum > MAX_PHDRS {
        return Err(Errno::ENOEXEC);
    }
    let table_size = phnum * PHDR_SIZE;
    let table_end = phoff.checked_add(table_size).ok_or(Errno::ENOEXEC)?;
    let table = image.get(phoff..table_end).ok_or(Errno::ENOEXEC)?;

    let mut segments = crate::fallible::with_capacity(phnum)?;
    let mut phdr_vaddr = None;
    let mut total: u64 = 0;
    for header in table.as_chunks::<PHDR_SIZE>().0 {
        let kind = u32_at(header, 0)?;
        let flags = u32_at(header, 4)?;
        let offset = u64_at(header, 8)?;
        let vaddr = biased(u64_at(header, 16)?)?;
        let file_size = u64_at(header, 32)?;
        let mem_size = u64_at(header, 40)?;
        match kind {
            PT_INTERP => return Err(Errno::ENOEXEC),
            PT_PHDR => phdr_vaddr = Some(vaddr),
            PT_LOAD => {}
            _ => continue,
        }
        if kind != PT_LOAD || mem_size == 0 {
            continue;
        }
        let file_end = offset.checked_add(file_size).ok_or(Errno::ENOEXEC)?;
        let mem_end = vaddr.checked_add(mem_size).ok_or(Errno::ENOEXEC)?;
        if file_size > mem_size
            || file_end > image.len() as u64
            || vaddr < limits.base
            || mem_end > limits.end
        {
            return Err(Errno::ENOEXEC);
        }
        total = total.saturating_add(mem_size);
        if total > limits.max_bytes {
            return Err(Errno::ENOMEM);
        }
        segments.push(Segment {
            vaddr,
            mem_size,
            file_offset: offset as usize,
            file_size: file_size as usize,
            writable: flags & PF_W != 0,
            executable: flags & PF_X != 0,
        });
    }
    segments.sort_unstable_by_key(|segment| segment.vaddr);
    if segments.is_empty() {
        return Err(Errno::ENOEXEC);
    }
    if segments
        .windows(2)
        .any(|pair| pair[0].end() > pair[1].vaddr)
    {
        return Err(Errno::ENOEXEC);
    }
    // Inside code of the image (within `limits`), and so also a canonical
    // user address: checked with the kernel's one rule all the same.
    let entry_ok = layout::is_return_address(entry)
        && segments
            .iter()
            .any(|s| s.executable && s.vaddr <= entry && entry < s.end());
    if !entry_ok {
        return Err(Errno::ENOEXEC);
    }
    if phdr_vaddr.is_none() {
        phdr_vaddr = segments.iter().find_map(|s| {
            let start = s.file_offset;
            let inside = start <= phoff && table_end <= start + s.file_size;
            inside.then(|| s.vaddr + (phoff - start) as u64)
        });
    }
    Ok(ImagePlan {
        entry,
        segments,
        phdr_vaddr,
        phdr_count: phnum,
        load_bias,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec;

    /// The kernel's user layout: 64 KiB up to the mmap area less the
    /// break's room.
    const LIMITS: Limits = Limits {
        base: 0x1_0000,
        pie_base: 0x5555_5555_5000,
        end: 0x67ff_c000_0000,
        max_bytes: 1 << 30,
    };

    /// A minimal image: one RX segment holding the headers and the code.
    fn image() -> Vec<u8> {
        let mut out = vec![0u8; 0x1000 + 16];
        out[..4].copy_from_slice(&ELF_MAGIC);
        out[4] = ELFCLASS64;
        out[5] = ELFDATA2LSB;
        out[6] = EV_CURRENT;
        out[16..18].copy_from_slice(&ET_EXEC.to_le_bytes());
        out[18..20].copy_from_slice(&EM_X86_64.to_le_bytes());
        out[20..24].copy_from_slice(&1u32.to_le_bytes());
        out[24..32].copy_from_slice(&0x4000_1000u64.to_le_bytes());
        out[32..40].copy_from_slice(&64u64.to_le_bytes());
        out[52..54].copy_from_slice(&64u16.to_le_bytes());
        out[54..56].copy_from_slice(&(PHDR_SIZE as u16).to_le_bytes());
        out[56..58].copy_from_slice(&1u16.to_le_bytes());
        let ph = &mut out[64..64 + PHDR_SIZE];
        ph[0..4].copy_from_slice(&PT_LOAD.to_le_bytes());
        ph[4..8].copy_from_slice(&(PF_X | 4).to_le_bytes());
        ph[8..16].copy_from_slice(&0u64.to_le_bytes());
        ph[16..24].copy_from_slice(&0x4000_0000u64.to_le_bytes());
        ph[32..40].copy_from_slice(&(0x1010u64).to_le_bytes());
        ph[40..48].copy_from_slice(&(0x2000u64).to_le_bytes());
        out
    }

    fn set_u64(image: &mut [u8], offset: usize, value: u64) {
        image[offset..offset + 8].copy_from_slice(&value.to_le_bytes());
    }

    fn segment(vaddr: u64, mem_size: u64, writable: bool, executable: bool) -> Segment {
        Segment {
            vaddr,
            mem_size,
            file_offset: 0,
            file_size: 0,
            writable,
            executable,
        }
    }

    #[test]
    fn pages_list_each_page_once_with_the_access_of_every_segment_on_it() {
        let plan = ImagePlan {
            entry: 0x4000_1000,
            segments: vec![
                segment(0x4000_1000, 0x1800, false, true),
                segment(0x4000_2800, 0x800, false, false),
                segment(0x4000_3ff0, 0x1020, true, false),
            ],
            phdr_vaddr: None,
            phdr_count: 0,
            load_bias: 0,
        };
        let page = |vaddr, writable, executable| ImagePage {
            vaddr,
            writable,
            executable,
        };
        assert_eq!(
            plan.pages().unwrap(),
            vec![
                page(0x4000_1000, false, true),
                page(0x4000_2000, false, true),
                page(0x4000_3000, true, false),
                page(0x4000_4000, true, false),
                page(0x4000_5000, true, false),
            ]
        );
    }

    #[test]
    fn a_read_only_page_shared_with_a_writable_segment_is_writable() {
        let plan = ImagePlan {
            entry: 0x4000_0000,
            segments: vec![
                segment(0x4000_0000, 0x1800, false, true),
                segment(0x4000_1800, 0x100, true, false),
            ],
            phdr_vaddr: None,
            phdr_count: 0,
            load_bias: 0,
        };
        let pages = plan.pages().unwrap();
        assert_eq!(pages.len(), 2);
        assert!(!pages[0].writable && pages[1].writable && pages[1].executable);
    }

    #[test]
    fn a_minimal_image_is_accepted() {
        let plan = parse(&image(), &LIMITS).unwrap();
        assert_eq!(plan.entry, 0x4000_1000);
        assert_eq!(plan.segments.len(), 1);
        assert_eq!(plan.phdr_vaddr, Some(0x4000_0040));
        assert!(!plan.segments[0].writable);
        assert_eq!(plan.end(), 0x4000_2000);
    }

    #[test]
    fn every_truncation_is_enoexec() {
        let full = image();
        for len in 0..full.len() {
            assert_eq!(parse(&full[..len], &LIMITS), Err(Errno::ENOEXEC), "{len}");
        }
    }

    #[test]
    fn non_elf_and_wrong_kinds_are_enoexec() {
        assert_eq!(parse(b"#!/bin/sh\necho hi\n", &LIMITS), Err(Errno::ENOEXEC));
        for (offset, value) in [(4, 1u8), (5, 2), (16, 1), (16, 4), (18, 3)] {
            let mut bad = image();
            bad[offset] = value;
            assert_eq!(parse(&bad, &LIMITS), Err(Errno::ENOEXEC));
        }
    }

    /// `image()` with its one segment and entry moved to `vaddr`.
    fn image_at(vaddr: u64) -> Vec<u8> {
        let mut moved = image();
        set_u64(&mut moved, 64 + 16, vaddr);
        set_u64(&mut moved, 24, vaddr + 0x1000);
        moved
    }

    /// `image()` with a second program header of type `kind`.
    fn with_header(mut image: Vec<u8>, kind: u32) -> Vec<u8> {
        image[56..58].copy_from_slice(&2u16.to_le_bytes());
        let second = &mut image[64 + PHDR_SIZE..64 + 2 * PHDR_SIZE];
        second.fill(0);
        second[0..4].copy_from_slice(&kind.to_le_bytes());
        image
    }

    #[test]
    fn an_image_at_the_linkers_default_address_is_accepted() {
        let plan = parse(&image_at(0x40_0000), &LIMITS).unwrap();
        assert_eq!(plan.segments[0].vaddr, 0x40_0000);
        assert_eq!(plan.entry, 0x40_1000);
        assert_eq!(plan.load_bias, 0);
    }

    #[test]
    fn an_image_at_the_minimum_address_is_accepted() {
        assert!(parse(&image_at(LIMITS.base), &LIMITS).is_ok());
    }

    #[test]
    fn segments_below_the_minimum_address_are_enoexec() {
        for vaddr in [0, 0x1000, LIMITS.base - 0x1000] {
            assert_eq!(
                parse(&image_at(vaddr), &LIMITS),
                Err(Errno::ENOEXEC),
                "{vaddr:#x}"
            );
        }
    }

    #[test]
    fn segments_reaching_the_stack_or_kernel_half_are_enoexec() {
        // Straddling the end, inside the stack area, in the kernel half.
        for vaddr in [LIMITS.end - 0x1000, 0x7fff_fff0_0000, 0xffff_ffff_8000_0000] {
            assert_eq!(
                parse(&image_at(vaddr), &LIMITS),
                Err(Errno::ENOEXEC),
                "{vaddr:#x}"
            );
        }
    }

    #[test]
    fn a_static_pie_is_loaded_at_the_pie_base() {
        let mut pie = image_at(0);
        pie[16..18].copy_from_slice(&ET_DYN.to_le_bytes());
        let plan = parse(&pie, &LIMITS).unwrap();
        assert_eq!(plan.load_bias, LIMITS.pie_base);
        assert_eq!(plan.segments[0].vaddr, LIMITS.pie_base);
        assert_eq!(plan.entry, LIMITS.pie_base + 0x1000);
        assert_eq!(plan.phdr_vaddr, Some(LIMITS.pie_base + 64));
    }

    #[test]
    fn an_interpreter_is_enoexec_for_both_kinds() {
        let mut pie = image_at(0);
        pie[16..18].copy_from_slice(&ET_DYN.to_le_bytes());
        assert!(parse(&with_header(pie.clone(), PT_LOAD + 1000), &LIMITS).is_ok());
        assert_eq!(
            parse(&with_header(pie, PT_INTERP), &LIMITS),
            Err(Errno::ENOEXEC)
        );
        assert_eq!(
            parse(&with_header(image(), PT_INTERP), &LIMITS),
            Err(Errno::ENOEXEC)
        );
    }

    #[test]
    fn tls_and_gnu_stack_headers_are_accepted() {
        const PT_TLS: u32 = 7;
        const PT_GNU_STACK: u32 = 0x6474_e551;
        for kind in [PT_TLS, PT_GNU_STACK] {
            assert!(
                parse(&with_header(image(), kind), &LIMITS).is_ok(),
                "{kind:#x}"
            );
        }
    }

    #[test]
    fn segments_outside_the_user_range_are_enoexec() {
        let mut low = image();
        set_u64(&mut low, 64 + 16, 0x1000);
        assert_eq!(parse(&low, &LIMITS), Err(Errno::ENOEXEC));
        let mut wrapping = image();
        set_u64(&mut wrapping, 64 + 40, u64::MAX);
        assert_eq!(parse(&wrapping, &LIMITS), Err(Errno::ENOEXEC));
    }

    #[test]
    fn entry_outside_code_is_enoexec() {
        let mut bad = image();
        set_u64(&mut bad, 24, 0x4000_3000);
        assert_eq!(parse(&bad, &LIMITS), Err(Errno::ENOEXEC));
    }

    #[test]
    fn entry_at_non_canonical_or_kernel_half_address_is_enoexec() {
        for entry in [0x0000_8000_0000_0000, 0xffff_8000_0000_0000, u64::MAX] {
            let mut bad = image();
            set_u64(&mut bad, 24, entry);
            assert_eq!(parse(&bad, &LIMITS), Err(Errno::ENOEXEC), "{entry:#x}");
        }
    }

    #[test]
    fn file_bytes_beyond_the_file_are_enoexec() {
        let mut bad = image();
        set_u64(&mut bad, 64 + 32, 0x1800);
        assert_eq!(parse(&bad, &LIMITS), Err(Errno::ENOEXEC));
    }

    #[test]
    fn overlapping_segments_are_enoexec() {
        let mut two = image();
        two[56..58].copy_from_slice(&2u16.to_le_bytes());
        let first: Vec<u8> = two[64..64 + PHDR_SIZE].to_vec();
        two[64 + PHDR_SIZE..64 + 2 * PHDR_SIZE].copy_from_slice(&first);
        assert_eq!(parse(&two, &LIMITS), Err(Errno::ENOEXEC));
        set_u64(&mut two, 64 + PHDR_SIZE + 16, 0x4000_2000);
        assert!(parse(&two, &LIMITS).is_ok());
    }

    #[test]
    fn huge_images_are_enomem() {
        let mut big = image();
        set_u64(&mut big, 64 + 40, 0x3000_0000);
        let small = Limits {
            max_bytes: 0x1000_0000,
            ..LIMITS
        };
        assert_eq!(parse(&big, &small), Err(Errno::ENOMEM));
    }
}
