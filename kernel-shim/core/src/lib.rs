//! shim-core: the OS logic of kernel-shim, written to be tested on the host.
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod creds;
pub mod fdtable;
pub mod file;
pub mod io;
pub mod pgrp;
pub mod pipe;
pub mod process;
pub mod sched;
pub mod signal;
pub mod slab;
pub mod spawn_child;
pub mod stat;
pub mod system;
pub mod vfs;

#[cfg(test)]
mod testutil;

pub use spawn_child::SpawnChild;
pub use system::System;
