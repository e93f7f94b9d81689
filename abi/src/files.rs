//! The file system calls' numbers and structure: `fcntl` commands, mode
//! bits, `lseek` and `access` values, name and pipe limits, `struct stat`.

/// `open` flags and `fcntl` values (Linux x86_64 numbering). The open flags
/// and `FD_CLOEXEC` are libspawn's (`addopen` records carry them); the
/// `fcntl` commands are the kernel's.
pub mod fcntl {
    pub use libspawn::abi::fcntl::*;

    /// `fcntl`: duplicate to the lowest free descriptor >= arg.
    pub const F_DUPFD: i32 = 0;
    /// `fcntl`: get descriptor flags.
    pub const F_GETFD: i32 = 1;
    /// `fcntl`: set descriptor flags.
    pub const F_SETFD: i32 = 2;
    /// `fcntl`: get status flags.
    pub const F_GETFL: i32 = 3;
    /// `fcntl`: set status flags.
    pub const F_SETFL: i32 = 4;
}

/// Longest file name component, in bytes (without NUL). A longer component
/// is ENAMETOOLONG.
pub const NAME_MAX: usize = 255;

/// Most entries of one `readv` or `writev` array (Linux's `UIO_MAXIOV`);
/// more is EINVAL.
pub const IOV_MAX: usize = 1024;

/// Writes to a pipe of at most this many bytes are atomic (never
/// interleaved with other writers, never partial).
pub const PIPE_BUF: usize = 4096;

/// File type and permission bits of `st_mode` and of `open`/`mkdir`/`chmod`
/// modes (Linux values).
pub mod mode {
    /// Mask of the file type bits.
    pub const S_IFMT: u32 = 0o170000;
    /// Regular file.
    pub const S_IFREG: u32 = 0o100000;
    /// Directory.
    pub const S_IFDIR: u32 = 0o040000;
    /// Character device.
    pub const S_IFCHR: u32 = 0o020000;
    /// FIFO (pipe).
    pub const S_IFIFO: u32 = 0o010000;
    /// Set-user-ID on execution.
    pub const S_ISUID: u32 = 0o4000;
    /// Set-group-ID on execution.
    pub const S_ISGID: u32 = 0o2000;
    /// Sticky bit: in a directory, only a file's owner, the directory's
    /// owner or root may remove or rename it.
    pub const S_ISVTX: u32 = 0o1000;
    /// Owner read, write, execute/search.
    pub const S_IRWXU: u32 = 0o700;
    /// Owner read.
    pub const S_IRUSR: u32 = 0o400;
    /// Owner write.
    pub const S_IWUSR: u32 = 0o200;
    /// Owner execute/search.
    pub const S_IXUSR: u32 = 0o100;
    /// Group read, write, execute/search.
    pub const S_IRWXG: u32 = 0o070;
    /// Group read.
    pub const S_IRGRP: u32 = 0o040;
    /// Group write.
    pub const S_IWGRP: u32 = 0o020;
    /// Group execute/search.
    pub const S_IXGRP: u32 = 0o010;
    /// Others read, write, execute/search.
    pub const S_IRWXO: u32 = 0o007;
    /// Others read.
    pub const S_IROTH: u32 = 0o004;
    /// Others write.
    pub const S_IWOTH: u32 = 0o002;
    /// Others execute/search.
    pub const S_IXOTH: u32 = 0o001;
    /// Every bit `chmod` may set: permissions plus set-id and sticky bits.
    pub const S_IALLUGO: u32 = 0o7777;
}

/// `lseek` whence values.
pub mod seek {
    /// The offset is set to `offset`.
    pub const SEEK_SET: i32 = 0;
    /// The offset is set to the current offset plus `offset`.
    pub const SEEK_CUR: i32 = 1;
    /// The offset is set to the file size plus `offset`.
    pub const SEEK_END: i32 = 2;
}

/// `access` mode bits.
pub mod access {
    /// Test for existence.
    pub const F_OK: i32 = 0;
    /// Test for execute (search) permission.
    pub const X_OK: i32 = 1;
    /// Test for write permission.
    pub const W_OK: i32 = 2;
    /// Test for read permission.
    pub const R_OK: i32 = 4;
}

/// Linux x86_64's `struct stat` (144 bytes), as `stat` and `fstat` write
/// it. Times are always 0: the kernel keeps no clock in its file system.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stat {
    /// Device holding the file.
    pub st_dev: u64,
    /// Inode number.
    pub st_ino: u64,
    /// Number of hard links.
    pub st_nlink: u64,
    /// File type and mode bits.
    pub st_mode: u32,
    /// Owner's user id.
    pub st_uid: u32,
    /// Owner's group id.
    pub st_gid: u32,
    /// Padding (always 0).
    pub pad0: u32,
    /// Device number, for a device special file.
    pub st_rdev: u64,
    /// Size in bytes.
    pub st_size: i64,
    /// Preferred I/O block size.
    pub st_blksize: i64,
    /// Number of 512-byte blocks allocated.
    pub st_blocks: i64,
    /// Last access time, seconds.
    pub st_atime: i64,
    /// Last access time, nanoseconds.
    pub st_atime_nsec: i64,
    /// Last modification time, seconds.
    pub st_mtime: i64,
    /// Last modification time, nanoseconds.
    pub st_mtime_nsec: i64,
    /// Last status change time, seconds.
    pub st_ctime: i64,
    /// Last status change time, nanoseconds.
    pub st_ctime_nsec: i64,
    /// Reserved (always 0).
    pub unused: [i64; 3],
}

/// Size of [`Stat`] in bytes, as Linux x86_64 defines `struct stat`.
pub const STAT_SIZE: usize = 144;

const _: () = assert!(core::mem::size_of::<Stat>() == STAT_SIZE);
