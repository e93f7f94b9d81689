//! libspawn: an allocation-free `posix_spawn` for hobby operating systems.
//!
//! The crate has two sides, kept apart:
//! - **Parent side** (builds and validates, never touches a process):
//!   [`attr`] (`SpawnAttr`, the `posix_spawnattr_t` object), [`actions`]
//!   (`FileActions`, the `posix_spawn_file_actions_t` object), [`sigset`],
//!   [`command`] (a safe builder in the style of `std::process::Command`)
//!   and `capi` (the C entry points declared in `include/spawn.h`).
//! - **Child side**: [`exec`], the executor that applies a validated
//!   attribute object and action list inside the new child through
//!   [`ChildOps`], the trait a host OS implements. It does not allocate,
//!   lock, format or panic.
//!
//! [`abi`] holds the numbers and `#[repr(C)]` layouts of the objects;
//! [`errno`] the typed error numbers.
//!
//! Nothing here uses `alloc`: objects live in fixed-capacity storage
//! (`heapless`), with the capacities published in [`abi`]. Every fallible
//! call returns `Result<T, Errno>`; a failed call changes nothing.
//!
//! # Features
//! - `capi` (default): the module `capi`, the POSIX C entry points
//!   (`posix_spawnattr_init`, ...) as `extern "C"` Rust functions. They
//!   keep Rust's mangled symbol names: **libspawn never exports a C
//!   symbol**, so adding it to any program leaves the platform C library's
//!   `posix_spawn_*` functions (which `std::process::Command` uses) in
//!   place. A static library made for C exports them by calling
//!   `libspawn::export_c_abi!()` once; the repository's `libspawn.a` does.
//! - `model`: the module `model`, an in-memory host OS that implements
//!   `ChildOps`, logs every call and can inject failures. The executor's
//!   tests run on it, and porters compare their `ChildOps` with it. It uses
//!   `std`, so it is for host programs and tests only, never for a kernel.
//!   The crate's own tests always have it.
//!
//! A kernel depends on libspawn with `default-features = false`: the
//! objects, the ABI and the executor, with no C entry points.
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

/// Lets the property tests in `tests.rs` name the crate as a user does.
#[cfg(test)]
extern crate self as libspawn;
#[cfg(test)]
mod tests;

pub use actions::{ActionList, FileAction, FileActions};
pub use attr::{SchedPolicy, SpawnAttr, SpawnFlags};
pub use errno::{Errno, Result};
pub use exec::{apply, ChildOps};
pub use sigset::SigSet;
