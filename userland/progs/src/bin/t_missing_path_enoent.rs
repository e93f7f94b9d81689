//! Guest test: spawning a path that does not exist fails with ENOENT.
#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use shim_progs::paths::MISSING;
use shim_progs::testing::expect_spawn_error;
use shim_rt::{Args, Errno};

shim_rt::entry!(main);

fn main(_args: Args) -> i32 {
    expect_spawn_error(MISSING, Errno::ENOENT);
    0
}
