//! shim-core: the OS logic of kernel-shim, written to be tested on the host.
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod slab;
pub mod stat;
pub mod vfs;
pub mod creds;
pub mod sched;
pub mod signal;
pub mod fdtable;
pub mod file;
pub mod io;
pub mod pipe;
