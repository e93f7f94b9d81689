//! Reads the PVH `hvm_start_info` block: memory map, initrd and command line.
//!
//! The block, the module list, the memory map and the command line live in
//! memory the boot firmware chose, which the frame allocator may later hand
//! out. [`read`] therefore copies everything the kernel needs into a
//! [`BootInfo`] value before any frame is allocated.

use shim_abi::KERNEL_CMDLINE_MAX;

/// `hvm_start_info.magic`.
pub const START_INFO_MAGIC: u32 = 0x336e_c578;
/// First `hvm_start_info.version` with a memory map.
const VERSION_WITH_MEMMAP: u32 = 1;
/// `hvm_memmap_table_entry.type` of usable RAM.
const MEMMAP_RAM: u32 = 1;
/// Most memory-map entries kept.
pub const MAX_REGIONS: usize = 32;

/// Field offsets in `hvm_start_info` (Xen's `arch-x86/hvm/start_info.h`).
mod offsets {
    pub const MAGIC: usize = 0;
    pub const VERSION: usize = 4;
    pub const NR_MODULES: usize = 12;
    pub const MODLIST_PADDR: usize = 16;
    pub const CMDLINE_PADDR: usize = 24;
    pub const MEMMAP_PADDR: usize = 40;
    pub const MEMMAP_ENTRIES: usize = 48;
    /// Size of one `hvm_modlist_entry`: paddr, size, cmdline, reserved.
    pub const MODLIST_ENTRY_SIZE: u64 = 32;
    /// Size of one `hvm_memmap_table_entry`: addr, size, type, reserved.
    pub const MEMMAP_ENTRY_SIZE: u64 = 24;
    pub const MEMMAP_ENTRY_SIZE_FIELD: u64 = 8;
    pub const MEMMAP_ENTRY_TYPE: u64 = 16;
    pub const MODLIST_SIZE_FIELD: u64 = 8;
}

/// A physical address range `[start, end)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Range {
    /// First byte.
    pub start: u64,
    /// One past the last byte.
    pub end: u64,
}

/// What the kernel keeps from the boot protocol.
pub struct BootInfo {
    /// Usable RAM ranges.
    pub ram: [Range; MAX_REGIONS],
    /// Number of valid entries in `ram`.
    pub ram_count: usize,
    /// The first boot module (the `-initrd` file), if any.
    pub initrd: Option<Range>,
    /// The command line bytes (without NUL).
    pub cmdline: [u8; KERNEL_CMDLINE_MAX],
    /// Number of valid bytes in `cmdline`.
    pub cmdline_len: usize,
}

/// Why the start-info block could not be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartInfoError {
    /// The block is missing or lacks the PVH magic.
    BadMagic,
    /// The block predates memory maps (version 0).
    NoMemoryMap,
}

/// Reads a `T` at physical address `address`.
///
/// # Safety
///
/// `address .. address + size_of::<T>()` lies in the direct map of RAM.
unsafe fn read_phys<T: Copy>(address: u64) -> T {
    // SAFETY: the caller guarantees the range is mapped; the boot structures
    // are plain integers, so any bit pattern is valid; alignment is not
    // guaranteed, hence `read_unaligned`.
    unsafe { core::ptr::read_unaligned(super::boot::direct_map(address) as *const T) }
}

fn below_direct_map_end(address: u64, len: u64) -> bool {
    address != 0
        && address
            .checked_add(len)
            .is_some_and(|end| end <= super::boot::DIRECT_MAP_RAM_END)
}

/// Copies what the kernel needs out of the start-info block at `address`.
///
/// # Safety
///
/// `address` is the value the PVH loader passed in `ebx`, and the memory it
/// describes has not been reused yet.
pub unsafe fn read(address: u64) -> Result<BootInfo, StartInfoError> {
    const HEADER_SIZE: u64 = 56;
    if !below_direct_map_end(address, HEADER_SIZE) {
        return Err(StartInfoError::BadMagic);
    }
    let field32 = |offset: usize| {
        // SAFETY: the 56-byte header was checked against the direct map
        // end above; the PVH loader wrote it.
        unsafe { read_phys::<u32>(address + offset as u64) }
    };
    let field64 = |offset: usize| {
        // SAFETY: as for `field32`.
        unsafe { read_phys::<u64>(address + offset as u64) }
    };
    if field32(offsets::MAGIC) != START_INFO_MAGIC {
        return Err(StartInfoError::BadMagic);
    }
    if field32(offsets::VERSION) < VERSION_WITH_MEMMAP {
        return Err(StartInfoError::NoMemoryMap);
    }
    let mut info = BootInfo {
        ram: [Range::default(); MAX_REGIONS],
        ram_count: 0,
        initrd: None,
        cmdline: [0; KERNEL_CMDLINE_MAX],
        cmdline_len: 0,
    };

    let memmap = field64(offsets::MEMMAP_PADDR);
    let entries = u64::from(field32(offsets::MEMMAP_ENTRIES));
    if below_direct_map_end(memmap, entries * offsets::MEMMAP_ENTRY_SIZE) {
        for index in 0..entries {
            let entry = memmap + index * offsets::MEMMAP_ENTRY_SIZE;
            // SAFETY: inside the checked memory-map range.
            let (start, size, kind) = unsafe {
                (
                    read_phys::<u64>(entry),
                    read_phys::<u64>(entry + offsets::MEMMAP_ENTRY_SIZE_FIELD),
                    read_phys::<u32>(entry + offsets::MEMMAP_ENTRY_TYPE),
                )
            };
            if kind == MEMMAP_RAM && info.ram_count < MAX_REGIONS {
                let end = start.saturating_add(size);
                info.ram[info.ram_count] = Range { start, end };
                info.ram_count += 1;
            }
        }
    }

    let modlist = field64(offsets::MODLIST_PADDR);
    if field32(offsets::NR_MODULES) > 0
        && below_direct_map_end(modlist, offsets::MODLIST_ENTRY_SIZE)
    {
        // SAFETY: inside the checked module-list range.
        let (start, size) = unsafe {
            (
                read_phys::<u64>(modlist),
                read_phys::<u64>(modlist + offsets::MODLIST_SIZE_FIELD),
            )
        };
        if below_direct_map_end(start, size) {
            info.initrd = Some(Range {
                start,
                end: start + size,
            });
        }
    }

    let cmdline = field64(offsets::CMDLINE_PADDR);
    if below_direct_map_end(cmdline, 1) {
        while info.cmdline_len < KERNEL_CMDLINE_MAX {
            let at = cmdline + info.cmdline_len as u64;
            if !below_direct_map_end(at, 1) {
                break;
            }
            // SAFETY: checked just above.
            let byte = unsafe { read_phys::<u8>(at) };
            if byte == 0 {
                break;
            }
            info.cmdline[info.cmdline_len] = byte;
            info.cmdline_len += 1;
        }
    }
    Ok(info)
}
