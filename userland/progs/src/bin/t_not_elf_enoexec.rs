//! Guest test: spawning a file that is not an ELF image fails with ENOEXEC.
#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use shim_progs::paths::NOT_ELF;
use shim_progs::testing::expect_spawn_error;
use shim_rt::{Args, Errno};

shim_rt::entry!(main);

fn main(_args: Args) -> i32 {
    expect_spawn_error(NOT_ELF, Errno::ENOEXEC);
    0
}
