//! Stat: filling Linux x86_64's `struct stat` ([`Stat`], from shim-abi),
//! as `stat` and `fstat` copy it out.

use shim_abi::mode::{S_IFCHR, S_IFDIR, S_IFIFO, S_IFMT, S_IFREG};

/// The structure itself is part of the kernel ABI.
pub use shim_abi::{Stat, STAT_SIZE};

/// `st_blksize` of every file.
pub const BLOCK_SIZE: i64 = 4096;
/// Unit of `st_blocks`.
pub const STAT_BLOCK_UNIT: i64 = 512;
/// `st_dev` of the ramfs.
pub const RAMFS_DEV: u64 = makedev(0, 1);
/// `st_dev` of pipes.
pub const PIPEFS_DEV: u64 = makedev(0, 2);
/// Bits of the minor number kept in the low byte of a device number.
const MINOR_LOW_BITS: u32 = 8;
/// Mask of the low part of the minor number.
const MINOR_LOW_MASK: u32 = 0xff;
/// Where the high part of the minor number goes.
const MINOR_HIGH_SHIFT: u32 = 12;

/// Linux's encoding of a device number from its major and minor parts, as
/// `st_rdev` and `st_dev` report it.
pub const fn makedev(major: u32, minor: u32) -> u64 {
    ((minor & MINOR_LOW_MASK)
        | (major << MINOR_LOW_BITS)
        | ((minor & !MINOR_LOW_MASK) << MINOR_HIGH_SHIFT)) as u64
}

/// Number of 512-byte blocks a file of `size` bytes occupies.
pub const fn blocks_for(size: u64) -> i64 {
    (size as i64 + STAT_BLOCK_UNIT - 1) / STAT_BLOCK_UNIT
}

/// Whether `mode` is a directory's (`S_ISDIR`).
pub const fn is_dir(mode: u32) -> bool {
    mode & S_IFMT == S_IFDIR
}

/// Whether `mode` is a regular file's (`S_ISREG`).
pub const fn is_reg(mode: u32) -> bool {
    mode & S_IFMT == S_IFREG
}

/// Whether `mode` is a character device's (`S_ISCHR`).
pub const fn is_chr(mode: u32) -> bool {
    mode & S_IFMT == S_IFCHR
}

/// Whether `mode` is a FIFO's (`S_ISFIFO`).
pub const fn is_fifo(mode: u32) -> bool {
    mode & S_IFMT == S_IFIFO
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::mem::offset_of;

    #[test]
    fn stat_fields_sit_at_linux_x86_64_offsets() {
        assert_eq!(offset_of!(Stat, st_ino), 8);
        assert_eq!(offset_of!(Stat, st_nlink), 16);
        assert_eq!(offset_of!(Stat, st_mode), 24);
        assert_eq!(offset_of!(Stat, st_uid), 28);
        assert_eq!(offset_of!(Stat, st_gid), 32);
        assert_eq!(offset_of!(Stat, st_rdev), 40);
        assert_eq!(offset_of!(Stat, st_size), 48);
        assert_eq!(offset_of!(Stat, st_blksize), 56);
        assert_eq!(offset_of!(Stat, st_blocks), 64);
        assert_eq!(offset_of!(Stat, st_atime), 72);
        assert_eq!(offset_of!(Stat, st_mtime), 88);
        assert_eq!(offset_of!(Stat, st_ctime), 104);
        assert_eq!(core::mem::size_of::<Stat>(), 144);
    }

    #[test]
    fn makedev_matches_linux_encoding() {
        assert_eq!(makedev(1, 3), 0x103);
        assert_eq!(makedev(5, 1), 0x501);
        assert_eq!(makedev(0, 0x1234), 0x120_0034);
    }

    #[test]
    fn blocks_round_up_to_512_bytes() {
        assert_eq!(blocks_for(0), 0);
        assert_eq!(blocks_for(1), 1);
        assert_eq!(blocks_for(512), 1);
        assert_eq!(blocks_for(513), 2);
    }

    #[test]
    fn type_predicates_look_only_at_the_type_bits() {
        assert!(is_dir(S_IFDIR | 0o7777));
        assert!(is_reg(S_IFREG));
        assert!(is_chr(S_IFCHR | 0o666));
        assert!(is_fifo(S_IFIFO));
        assert!(!is_reg(S_IFDIR));
    }
}
