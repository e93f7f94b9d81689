//! Shared pieces of the kernel-shim guest programs: program paths and test
//! helpers.
//!
//! Every program in `src/bin` is a separate guest executable, installed in
//! the initrd as `/bin/NAME`. Programs named `t_*` are guest tests: each
//! exits 0 when the behaviour it checks holds, and otherwise prints one line
//! `NAME: reason` on standard error and exits with
//! [`testing::FAILURE_STATUS`]. `init` runs them and reports
//! `test NAME ... ok` or `test NAME ... FAILED: reason`.
#![no_std]
#![forbid(unsafe_code)]

pub mod cmdline;
pub mod faults;
pub mod paths;
pub mod testing;
