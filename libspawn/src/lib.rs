//! libspawn: an allocation-free `posix_spawn` for hobby operating systems.
//!
//! The crate has two sides, kept apart:
//! - **Parent side** (builds and validates, never touches a process):
//!   [`attr`] (`SpawnAttr`, the `posix_spawnattr_t` object), [`actions`]
//!   (`FileActions`, the `posix_spawn_file_actions_t` object), [`sigset`],
//!   [`command`] (a safe builder in the style of `std::process::Command`)
//!   and [`capi`] (the C entry points declared in `include/spawn.h`).
//! - **Child side**: [`exec`], the executor that applies a validated
//!   attribute object and action list inside the new child through
//!   [`ChildOps`], the trait a host OS implements. It does not allocate,
//!   lock, format or panic.
//!
//! [`abi`] holds every number and `#[repr(C)]` layout shared with the kernel
//! and guest programs, defined once; [`errno`] the typed error numbers.
//! [`model`] (feature `model`, and in tests) is an in-memory host OS that
//! implements `ChildOps`; it is what the executor tests run on, and a
//! worked example for porters.
//!
//! Nothing here uses `alloc`: objects live in fixed-capacity storage
//! (`heapless`), with the capacities published in [`abi`]. Every fallible
//! call returns `Result<T, Errno>`; a failed call changes nothing.
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
