//! Signal system calls: rt_sigaction, rt_sigprocmask, rt_sigpending, rt_sigsuspend, pause, kill.
//!
//! Signal sets are one 64-bit word (bit `n - 1` is signal `n`), and every
//! call taking a set size wants exactly 8 (EINVAL otherwise), as Linux.
//! Signals these calls make deliverable to the caller (a `kill` of itself,
//! an unblocking `rt_sigprocmask`) are delivered before the call returns
//! to user mode, by the common return path
//! ([`crate::sys::signals::deliver_pending`]). `rt_sigreturn` is in
//! [`crate::sys::signals`].
#![forbid(unsafe_code)]

use crate::mm::usercopy;
use crate::sys::process::{self, Block, Caller};
use libspawn::{Errno, SigSet};
use shim_abi::sigaction::{SIGSET_SIZE, SIG_DFL, SIG_IGN};
use shim_abi::Sigaction;
use shim_core::signal::{Disposition, Handler};

fn check_size(size: u64) -> Result<(), Errno> {
    if size == SIGSET_SIZE as u64 {
        Ok(())
    } else {
        Err(Errno::EINVAL)
    }
}

fn to_disposition(action: &Sigaction) -> Disposition {
    match action.handler {
        SIG_DFL => Disposition::Default,
        SIG_IGN => Disposition::Ignore,
        handler => Disposition::Handler(Handler {
            handler,
            flags: action.flags,
            restorer: action.restorer,
            mask: SigSet::from_bits(action.mask),
        }),
    }
}

fn from_disposition(disposition: Disposition) -> Sigaction {
    match disposition {
        Disposition::Default => Sigaction::default(),
        Disposition::Ignore => Sigaction {
            handler: SIG_IGN,
            ..Sigaction::default()
        },
        Disposition::Handler(handler) => Sigaction {
            handler: handler.handler,
            flags: handler.flags,
            restorer: handler.restorer,
            mask: handler.mask.bits(),
        },
    }
}

/// `rt_sigaction(signal, act, oldact, sigsetsize)`.
///
/// # Errors
///
/// `EINVAL` (bad signal or size, changing SIGKILL/SIGSTOP), `EFAULT`.
pub fn rt_sigaction(signal: u64, act: u64, old: u64, size: u64) -> Result<u64, Errno> {
    check_size(size)?;
    let signal = signal as i32;
    let mut table = process::table();
    let Caller { pid, space, system } = table.caller()?;
    let new = if act == 0 {
        None
    } else {
        Some(to_disposition(&usercopy::read_value::<Sigaction>(
            space, act,
        )?))
    };
    if old != 0 {
        usercopy::check_range(space, old, core::mem::size_of::<Sigaction>(), true)?;
    }
    let previous = system.sigaction(pid, signal, new)?;
    if old != 0 {
        usercopy::write_value(space, old, &from_disposition(previous))?;
    }
    Ok(0)
}

/// `rt_sigprocmask(how, set, oldset, sigsetsize)`.
///
/// # Errors
///
/// `EINVAL` (bad `how` with a set, bad size), `EFAULT`.
pub fn rt_sigprocmask(how: u64, set: u64, old: u64, size: u64) -> Result<u64, Errno> {
    check_size(size)?;
    let mut table = process::table();
    let Caller { pid, space, system } = table.caller()?;
    let new = if set == 0 {
        None
    } else {
        Some(SigSet::from_bits(usercopy::read_value::<u64>(space, set)?))
    };
    if old != 0 {
        usercopy::check_range(space, old, core::mem::size_of::<u64>(), true)?;
    }
    let previous = system.sigprocmask(pid, how as i32, new)?;
    if old != 0 {
        usercopy::write_value(space, old, &previous.bits())?;
    }
    Ok(0)
}

/// `rt_sigpending(set, sigsetsize)`: the pending signals that are blocked.
///
/// # Errors
///
/// `EINVAL` (bad size), `EFAULT`.
pub fn rt_sigpending(set: u64, size: u64) -> Result<u64, Errno> {
    check_size(size)?;
    let mut table = process::table();
    let Caller { pid, space, system } = table.caller()?;
    let signals = &system.process(pid)?.signals;
    let pending = signals.pending().bits() & signals.mask().bits();
    usercopy::write_value(space, set, &pending)?;
    Ok(0)
}

/// Sleeps until a signal is deliverable; always `EINTR`.
fn wait_for_signal() -> Result<u64, Errno> {
    loop {
        let table = process::table();
        process::block_current(table, Block::Signal)?;
    }
}

/// `rt_sigsuspend(set, sigsetsize)`: waits with `set` as the mask; the old
/// mask comes back when the handler returns (it is the mask saved in the
/// handler's frame).
///
/// # Errors
///
/// Always `EINTR` once a signal is handled; `EINVAL`, `EFAULT`.
pub fn rt_sigsuspend(set: u64, size: u64) -> Result<u64, Errno> {
    check_size(size)?;
    {
        let mut table = process::table();
        let Caller { pid, space, system } = table.caller()?;
        let mask = SigSet::from_bits(usercopy::read_value::<u64>(space, set)?);
        system.process_mut(pid)?.signals.suspend(mask);
    }
    wait_for_signal()
}

/// `pause()`.
///
/// # Errors
///
/// Always `EINTR` once a signal is handled.
pub fn pause() -> Result<u64, Errno> {
    wait_for_signal()
}

/// `kill(pid, signal)`: one process (`pid > 0`), the caller's group (0),
/// every process but init and the caller (-1), or group `-pid`.
///
/// # Errors
///
/// `EINVAL` (bad signal), `ESRCH` (no such process or group), `EPERM`.
pub fn kill(pid: u64, signal: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let (machine, system) = table.current_and_system();
    system.kill(machine.pid, pid as i32, signal as i32)?;
    Ok(0)
}
