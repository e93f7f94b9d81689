//! libspawn: an allocation-free `posix_spawn` for hobby operating systems.
//!
//! (module map filled in below)
#![cfg_attr(not(test), no_std)]

pub mod abi;
pub mod actions;
pub mod attr;
#[cfg(feature = "capi")]
pub mod capi;
pub mod command;
pub mod errno;
pub mod exec;
#[cfg(any(test, feature = "model"))]
pub mod model;
pub mod sigset;

pub use actions::{ActionList, FileAction, FileActions};
pub use attr::{SchedPolicy, SpawnAttr, SpawnFlags};
pub use errno::{Errno, Result};
pub use exec::{apply, ChildOps};
pub use sigset::SigSet;
