//! `wait4` and `waitid`: a parent waits for, and reaps, its children.
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
use shim_abi::signal::SIGCHLD;
use shim_abi::Phase;
use shim_core::sigframe::{self, SIGINFO_SIZE};
use shim_core::system::{waitid_request, ChildWait};

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

/// `waitid(idtype, id, infop, options, rusage)` (waitid(2)): waits as
/// [`wait4`] for a child named by `idtype` and `id` (P_ALL, P_PID, P_PGID;
/// [`waitid_request`]), writes its `siginfo_t` to `infop` unless null
/// (`si_signo` SIGCHLD, `si_code` CLD_EXITED or CLD_KILLED, `si_pid`,
/// `si_uid` (its real uid), `si_status` the exit code or the signal) and
/// a zeroed `struct rusage` to `rusage` unless null, and reaps it unless
/// WNOWAIT is given (it stays waitable). With WNOHANG and no child exited
/// yet it returns 0 with `infop` zeroed (`si_pid` 0). Returns 0.
///
/// # Errors
///
/// `EINVAL` for a bad idtype, id or options (WEXITED is required: no child
/// ever stops or continues here), `ECHILD` with no matching child,
/// `EFAULT` for a bad `infop` or `rusage` (the child is not reaped then),
/// `EINTR` when a signal arrives while it waits (restarted under
/// SA_RESTART, as `wait4`).
pub fn waitid(idtype: u64, id: u64, infop: u64, options: u64, rusage: u64) -> Result<u64, Errno> {
    let request = waitid_request(idtype as i32, id as i32, options as i32)?;
    let wait_options = if request.no_hang {
        shim_abi::wait::WNOHANG
    } else {
        0
    };
    loop {
        let mut table = table();
        let caller = table.caller()?;
        let found = caller
            .system
            .wait_child(caller.pid, request.wanted, wait_options)?;
        match found {
            ChildWait::Exited { pid, .. } => {
                let (code, status, uid) = caller.system.exited_child_info(pid)?;
                let space = caller.space;
                if infop != 0 {
                    let bytes = sigframe::child_siginfo_bytes(SIGCHLD, code, pid, uid, status);
                    usercopy::copy_to_user(space, infop, &bytes)?;
                }
                if rusage != 0 {
                    usercopy::copy_to_user(space, rusage, &[0; RUSAGE_SIZE])?;
                }
                if !request.no_wait {
                    table.reap(pid);
                }
                return Ok(0);
            }
            ChildWait::NoneYet => {
                if infop != 0 {
                    usercopy::copy_to_user(caller.space, infop, &[0; SIGINFO_SIZE])?;
                }
                return Ok(0);
            }
            ChildWait::Wait => {
                if let Err(errno) = block_current(table, Block::Child) {
                    table_mark_restartable();
                    return Err(errno);
                }
            }
        }
    }
}
