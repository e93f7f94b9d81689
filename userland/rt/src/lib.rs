//! shim-rt: the `no_std` runtime every kernel-shim guest program links.
//!
//! A guest program is an ordinary `#![no_std] #![no_main]` binary built for
//! `x86_64-unknown-none`. It names its `main` with [`entry!`] and gets:
//!
//! - [`start`]: `_start`, the argument and environment vector ([`Args`]),
//!   and a panic handler that prints the message to standard error and
//!   exits with status [`PANIC_EXIT_STATUS`];
//! - [`sys`]: safe wrappers over the system calls (console I/O, exit,
//!   clocks, kernel counters, poweroff), returning `Result<_, Errno>`;
//! - [`fs`]: the file-system calls beyond console I/O (`*at` forms,
//!   `getdents64`, positioned I/O, links, times, `statfs`, record locks);
//! - [`process`]: spawn, wait, kill and the decoded [`WaitStatus`];
//! - [`memory`]: `mmap`, `munmap` and `mprotect`;
//! - [`io`]: the [`print!`], [`println!`], [`eprint!`] and [`eprintln!`]
//!   macros;
//! - [`cstr`]: [`CStrBuf`], a stack-allocated C string builder;
//! - [`arch`]: the raw `syscall` stubs, for tests that must pass the kernel
//!   bad pointers on purpose.
//!
//! The build script generates the linker script (`shim_rt.ld`, image base
//! from `shim_abi::layout`) and puts it on the link search path; a
//! program's build script passes `-Tshim_rt.ld` to its binaries.
//!
//! ```ignore
//! #![no_std]
//! #![no_main]
//! shim_rt::entry!(main);
//! fn main(args: shim_rt::Args) -> i32 {
//!     shim_rt::println!("{} arguments", args.len());
//!     0
//! }
//! ```
#![no_std]

pub mod arch;
pub mod cstr;
pub mod fs;
pub mod io;
pub mod memory;
pub mod process;
pub mod start;
pub mod sys;

pub use cstr::CStrBuf;
pub use libspawn::{Errno, Result};
pub use process::{Pid, WaitStatus};
pub use shim_abi as abi;
pub use start::{Args, PANIC_EXIT_STATUS};

/// Registers `main` (a `fn(Args) -> i32`) as the program's entry; its
/// return value becomes the exit status.
#[macro_export]
macro_rules! entry {
    ($main:path) => {
        #[unsafe(no_mangle)]
        fn __shim_rt_main(args: $crate::Args) -> i32 {
            let main: fn($crate::Args) -> i32 = $main;
            main(args)
        }
    };
}
