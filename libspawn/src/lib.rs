//! libspawn: an allocation-free `posix_spawn` for hobby operating systems.
//!
//! (module map filled in below)
#![cfg_attr(not(test), no_std)]

pub mod abi;
pub mod errno;

pub use errno::{Errno, Result};
