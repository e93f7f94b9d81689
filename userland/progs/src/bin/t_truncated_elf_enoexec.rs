//! Guest test: spawning a truncated ELF image fails with ENOEXEC.
//!
//! Two cuts: inside the program header table, and inside the file data of
//! the first loadable segment (headers intact, data missing).
#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use shim_progs::paths::{TRUNCATED_ELF, TRUNCATED_SEGMENT};
use shim_progs::testing::expect_spawn_error;
use shim_rt::{Args, Errno};

shim_rt::entry!(main);

fn main(_args: Args) -> i32 {
    expect_spawn_error(TRUNCATED_ELF, Errno::ENOEXEC);
    expect_spawn_error(TRUNCATED_SEGMENT, Errno::ENOEXEC);
    0
}
