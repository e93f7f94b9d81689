//! The memory calls' numbers: `mmap`, `mprotect` and `mremap` protection
//! and flag bits (Linux x86_64 values, from mmap(2), mprotect(2) and
//! mremap(2)).

/// Protection bits (`prot` of `mmap` and `mprotect`).
pub mod prot {
    /// Pages may not be accessed.
    pub const PROT_NONE: u64 = 0;
    /// Pages may be read.
    pub const PROT_READ: u64 = 0x1;
    /// Pages may be written.
    pub const PROT_WRITE: u64 = 0x2;
    /// Pages may be executed.
    pub const PROT_EXEC: u64 = 0x4;
    /// `mprotect`: extend the change down to the start of a grows-down
    /// mapping.
    pub const PROT_GROWSDOWN: u64 = 0x0100_0000;
    /// `mprotect`: extend the change up to the end of a grows-up mapping.
    pub const PROT_GROWSUP: u64 = 0x0200_0000;
}

/// `mmap` flags.
pub mod map {
    /// Share the mapping with every other mapping of the same object.
    pub const MAP_SHARED: u64 = 0x01;
    /// A private copy-on-write mapping.
    pub const MAP_PRIVATE: u64 = 0x02;
    /// `MAP_SHARED`, but unknown flags are an error (EOPNOTSUPP).
    pub const MAP_SHARED_VALIDATE: u64 = 0x03;
    /// Mask of the mapping type (`MAP_SHARED`, `MAP_PRIVATE`,
    /// `MAP_SHARED_VALIDATE`).
    pub const MAP_TYPE: u64 = 0x0f;
    /// Place the mapping exactly at the address, replacing what was there.
    pub const MAP_FIXED: u64 = 0x10;
    /// Not backed by a file: zero-filled.
    pub const MAP_ANONYMOUS: u64 = 0x20;
    /// Stack-like segment that grows down (accepted, a plain mapping here).
    pub const MAP_GROWSDOWN: u64 = 0x0100;
    /// Ignored by Linux.
    pub const MAP_DENYWRITE: u64 = 0x0800;
    /// Ignored by Linux.
    pub const MAP_EXECUTABLE: u64 = 0x1000;
    /// Lock the pages in memory (accepted; nothing is ever swapped out).
    pub const MAP_LOCKED: u64 = 0x2000;
    /// Do not reserve swap space (accepted; every mapping is reserved only).
    pub const MAP_NORESERVE: u64 = 0x4000;
    /// Commit the pages at once.
    pub const MAP_POPULATE: u64 = 0x8000;
    /// Do not block on I/O while populating (accepted).
    pub const MAP_NONBLOCK: u64 = 0x1_0000;
    /// A thread stack (accepted, a plain mapping).
    pub const MAP_STACK: u64 = 0x2_0000;
    /// Huge pages (there are none reserved: ENOMEM, as Linux without them).
    pub const MAP_HUGETLB: u64 = 0x4_0000;
    /// Synchronous page faults for DAX files (only with
    /// `MAP_SHARED_VALIDATE`; no file here supports it).
    pub const MAP_SYNC: u64 = 0x8_0000;
    /// Like `MAP_FIXED`, but EEXIST instead of replacing a mapping.
    pub const MAP_FIXED_NOREPLACE: u64 = 0x10_0000;
    /// Leave the pages uninitialised (only honoured by kernels built for it;
    /// accepted and ignored).
    pub const MAP_UNINITIALIZED: u64 = 0x400_0000;
    /// The flags this kernel knows, which `MAP_SHARED_VALIDATE` accepts.
    pub const KNOWN: u64 = MAP_TYPE
        | MAP_FIXED
        | MAP_ANONYMOUS
        | MAP_GROWSDOWN
        | MAP_DENYWRITE
        | MAP_EXECUTABLE
        | MAP_LOCKED
        | MAP_NORESERVE
        | MAP_POPULATE
        | MAP_NONBLOCK
        | MAP_STACK
        | MAP_HUGETLB
        | MAP_FIXED_NOREPLACE
        | MAP_UNINITIALIZED;
}
