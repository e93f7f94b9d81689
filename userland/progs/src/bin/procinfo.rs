//! `/bin/procinfo`: prints what a spawn's attributes and actions changed.
//!
//! One line: pid, parent, process group, session and working directory,
//! so the demo can show SETSID, SETPGROUP and chdir actions at work.
#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use shim_progs::testing::PATH_CAPACITY;
use shim_rt::process::{getpid, getppid};
use shim_rt::sys::{getcwd, getpgrp, getsid};
use shim_rt::{println, Args, Errno};

shim_rt::entry!(main);

/// Exit status when a query fails.
const QUERY_FAILED: i32 = 1;

/// Process group, session and working directory (written into `cwd`).
fn query(cwd: &mut [u8]) -> Result<(i32, i32, &[u8]), Errno> {
    Ok((getpgrp()?, getsid()?, getcwd(cwd)?))
}

fn main(_args: Args) -> i32 {
    let mut cwd = [0u8; PATH_CAPACITY];
    match query(&mut cwd) {
        Ok((pgid, sid, cwd)) => {
            let cwd = core::str::from_utf8(cwd).unwrap_or("<non-UTF-8>");
            println!(
                "procinfo: pid {} parent {} group {pgid} session {sid} cwd {cwd}",
                getpid(),
                getppid()
            );
            0
        }
        Err(errno) => {
            println!("procinfo: query failed: {errno:?}");
            QUERY_FAILED
        }
    }
}
