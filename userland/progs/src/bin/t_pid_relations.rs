//! Guest test: getpid and getppid agree with the pids spawn and wait4 see.
//!
//! The child's getppid must be this process's getpid, the pid spawn
//! returned must be the one wait4 reports, and two live children must have
//! different pids, all different from ours and our parent's.
#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use shim_progs::paths::{EXIT_WITH, PIDCHECK};
use shim_progs::testing::{decimal, spawn_or_fail, wait_or_fail};
use shim_progs::{check_eq, fail};
use shim_rt::process::{getpid, getppid, wait_any};
use shim_rt::{Args, WaitStatus};

shim_rt::entry!(main);

fn main(_args: Args) -> i32 {
    let me = getpid();
    let parent = getppid();
    if me.raw() <= 0 || parent.raw() <= 0 || me == parent {
        fail!("getpid() is {me}, getppid() is {parent}");
    }

    let checker = spawn_or_fail(PIDCHECK, &[decimal(me.raw()).as_cstr()]);
    match wait_any() {
        Ok((reaped, status)) => {
            check_eq!("pid reported by wait4", reaped, checker);
            check_eq!("pidcheck's status", status, WaitStatus::Exited(0));
        }
        Err(errno) => fail!("wait4(-1) failed: {errno}"),
    }

    let first = spawn_or_fail(EXIT_WITH, &[c"0"]);
    let second = spawn_or_fail(EXIT_WITH, &[c"0"]);
    for (what, pid) in [("first", first), ("second", second)] {
        if pid == me || pid == parent {
            fail!("{what} child got pid {pid}; we are {me}, parent {parent}");
        }
    }
    if first == second {
        fail!("two live children share pid {first}");
    }
    check_eq!(
        "first child's status",
        wait_or_fail(first),
        WaitStatus::Exited(0)
    );
    check_eq!(
        "second child's status",
        wait_or_fail(second),
        WaitStatus::Exited(0)
    );
    check_eq!("getpid() later", getpid(), me);
    0
}
