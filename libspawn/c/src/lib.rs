//! `libspawn.a`: libspawn's POSIX C entry points for host C programs.
//!
//! The C functions (`posix_spawnattr_init`, ...) are defined in
//! `libspawn::capi` with `#[unsafe(no_mangle)]`. A `staticlib` bundles the
//! object code of every crate it depends on, and those definitions are
//! global symbols there, so they end up in the archive as long as libspawn
//! is linked in at all; the `use` below makes sure of that. The header is
//! `libspawn/include/spawn.h`.
//!
//! This crate uses `std` (it is for the host), so a C program linking the
//! archive also needs the libraries Rust's standard library uses, for
//! example `-lpthread -ldl -lm` with glibc.

pub use libspawn::capi::*;
