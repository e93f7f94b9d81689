//! `wait4`: a parent waits for, and reaps, its children.
//!
//! Which child is reported, and the status word, are
//! [`shim_core::System`]'s (`wait_child`); this file copies the results out
//! and blocks the caller while it must wait.
#![forbid(unsafe_code)]

use crate::arch::profile;
use crate::mm::usercopy;
use crate::sys::process::{table, table_mark_restartable, Block};
use crate::sys::scheduling::block_current;
use libspawn::Errno;
use shim_abi::Phase;
use shim_core::system::ChildWait;

/// Size of Linux's `struct rusage`, zero-filled by `wait4`.
const RUSAGE_SIZE: usize = 144;

/// `wait4(pid, status, options, rusage)` (man 2 wait4): waits for a child
/// matching `wanted` (Linux's pid rules), stores its status word at
/// `status` and a zeroed `struct rusage` at `rusage` (either may be NULL),
/// reaps it and returns its pid; 0 with `WNOHANG` while none has changed.
///
/// # Errors
///
/// `ECHILD` with no matching child, `EINVAL` for unknown options, `EFAULT`
/// for a bad `status` or `rusage` pointer (the child is not reaped then),
/// `EINTR` when a signal arrives while it waits.
pub fn wait4(wanted: i32, status: u64, options: i32, rusage: u64) -> Result<i32, Errno> {
    loop {
        profile::mark(Phase::Wait4);
        let mut table = table();
        let caller = table.caller()?;
        match caller.system.wait_child(caller.pid, wanted, options)? {
            ChildWait::Exited { pid, status: word } => {
                let space = caller.space;
                if status != 0 {
                    usercopy::write_value(space, status, &word)?;
                }
                if rusage != 0 {
                    usercopy::copy_to_user(space, rusage, &[0; RUSAGE_SIZE])?;
                }
                table.reap(pid);
                return Ok(pid);
            }
            ChildWait::NoneYet => return Ok(0),
            ChildWait::Wait => {
                if let Err(errno) = block_current(table, Block::Child) {
                    table_mark_restartable();
                    return Err(errno);
                }
            }
        }
    }
}
