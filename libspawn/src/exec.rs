//! The in-child executor: applies attributes and file actions in POSIX order.
//!
//! This is the child side. It runs inside the new process, after the process
//! exists and before its image is loaded, and it touches the process only
//! through [`ChildOps`], the small trait a host OS implements. It must work in
//! the most constrained context a kernel has, so this module:
//! - does not allocate (no `alloc`, no buffers beyond the stack frame),
//! - does not lock (no `spin`, no shared state),
//! - does not format or print,
//! - does not panic (no indexing, no `unwrap`; every failure is an `Errno`).
//!
//! # Order
//! POSIX fixes only part of the order ("The signal mask, signal default
//! actions, and the effective user and group IDs for the child process shall
//! be changed as specified in the attributes object ... The file actions ...
//! shall be performed in the order in which they were added ... Any file
//! descriptor that has its FD_CLOEXEC flag set ... shall be closed"). Where it
//! leaves the order open, we choose:
//! 1. SETSIGDEF: each signal in spawn-sigdefault gets SIG_DFL;
//! 2. SETSIGMASK: the mask becomes spawn-sigmask;
//! 3. SETSCHEDULER (policy and priority) or else SETSCHEDPARAM (priority);
//! 4. SETSID, then SETPGROUP (the order glibc and musl use, so SETSID with
//!    SETPGROUP fails with EPERM exactly as there);
//! 5. RESETIDS, after scheduling so that a privileged parent can still give
//!    a child a real-time policy before the child drops its ids;
//! 6. each file action, in the order added.
//!
//! Closing FD_CLOEXEC descriptors and loading the image come after this and
//! belong to the host.
#![forbid(unsafe_code)]

use crate::abi::OPEN_MAX;
use crate::actions::{ActionList, FileAction};
use crate::attr::{SchedPolicy, SpawnAttr, SpawnFlags};
use crate::errno::{Errno, Result};
use crate::sigset::SigSet;

/// What the executor needs from the host OS, acting on the new child.
///
/// Each method behaves like the POSIX function of the same name applied to
/// the child, and returns that function's error numbers. None may allocate
/// in a way that can fail silently: report ENOMEM instead.
pub trait ChildOps {
    /// Sets the disposition of `signal` to SIG_DFL (`sigaction`). For
    /// SIGKILL and SIGSTOP, whose disposition is always SIG_DFL, report
    /// success (Linux's `sigaction` says EINVAL there): otherwise a
    /// spawn-sigdefault filled with `sigfillset` could never spawn.
    fn set_signal_default(&mut self, signal: i32) -> Result<()>;

    /// Replaces the signal mask (`sigprocmask(SIG_SETMASK)`).
    fn set_signal_mask(&mut self, mask: SigSet) -> Result<()>;

    /// Sets the priority, keeping the policy (`sched_setparam(0, ...)`).
    fn set_sched_param(&mut self, priority: i32) -> Result<()>;

    /// Sets policy and priority (`sched_setscheduler(0, ...)`).
    fn set_scheduler(&mut self, policy: SchedPolicy, priority: i32) -> Result<()>;

    /// Makes the child a session and group leader (`setsid()`).
    fn setsid(&mut self) -> Result<()>;

    /// Moves the child into process group `pgroup`, or into a new group led
    /// by itself when `pgroup` is 0 (`setpgid(0, pgroup)`).
    fn setpgid(&mut self, pgroup: i32) -> Result<()>;

    /// Sets the effective user and group ids to the real ones
    /// (`seteuid(getuid())`, `setegid(getgid())`).
    fn reset_ids(&mut self) -> Result<()>;

    /// Opens `path` relative to the child's working directory and returns
    /// the lowest free descriptor (`open`).
    fn open(&mut self, path: &[u8], oflag: i32, mode: u32) -> Result<i32>;

    /// Closes `fd` (`close`): EBADF if it is not open.
    fn close(&mut self, fd: i32) -> Result<()>;

    /// Makes `new_fd` refer to `fd`'s open file description, without
    /// FD_CLOEXEC (`dup2`); `fd != new_fd` always.
    fn dup2(&mut self, fd: i32, new_fd: i32) -> Result<()>;

    /// Clears FD_CLOEXEC on `fd` (`fcntl(fd, F_SETFD, 0)`): EBADF if it is
    /// not open.
    fn clear_cloexec(&mut self, fd: i32) -> Result<()>;

    /// Changes the working directory (`chdir`).
    fn chdir(&mut self, path: &[u8]) -> Result<()>;

    /// Changes the working directory to the directory open on `fd`
    /// (`fchdir`).
    fn fchdir(&mut self, fd: i32) -> Result<()>;

    /// Closes every open descriptor `>= low_fd` (`closefrom`). The default
    /// closes them one by one; a host with a faster way may override it.
    fn close_from(&mut self, low_fd: i32) -> Result<()> {
        for fd in low_fd.max(0)..OPEN_MAX {
            close_if_open(self, fd)?;
        }
        Ok(())
    }
}

/// Closes `fd`; a descriptor that is not open is not an error (Austin Group
/// 370: "shall not fail because a file descriptor to be closed is not open").
fn close_if_open<O: ChildOps + ?Sized>(ops: &mut O, fd: i32) -> Result<()> {
    match ops.close(fd) {
        Err(Errno::EBADF) => Ok(()),
        other => other,
    }
}

/// Applies `attr` (if any) and then `actions` (if any) to the child, in the
/// order described in the module documentation. Returns the first error;
/// the host then ends the child with status 127 and reports the error to
/// the parent. `None` means "defaults" and "no actions".
pub fn apply<O: ChildOps + ?Sized>(
    attr: Option<&SpawnAttr>,
    actions: Option<ActionList<'_>>,
    ops: &mut O,
) -> Result<()> {
    if let Some(attr) = attr {
        apply_attr(attr, ops)?;
    }
    if let Some(actions) = actions {
        for action in actions.iter() {
            apply_action(action, ops)?;
        }
    }
    Ok(())
}

/// Steps 1 to 5: the attributes.
fn apply_attr<O: ChildOps + ?Sized>(attr: &SpawnAttr, ops: &mut O) -> Result<()> {
    let flags = attr.flags();
    if flags.contains(SpawnFlags::SETSIGDEF) {
        for signal in attr.sigdefault().iter() {
            ops.set_signal_default(signal)?;
        }
    }
    if flags.contains(SpawnFlags::SETSIGMASK) {
        ops.set_signal_mask(attr.sigmask())?;
    }
    // POSIX: with SETSCHEDULER the policy and the parameters are both set,
    // "regardless of the setting of the POSIX_SPAWN_SETSCHEDPARAM flag".
    if flags.contains(SpawnFlags::SETSCHEDULER) {
        ops.set_scheduler(attr.sched_policy(), attr.sched_priority())?;
    } else if flags.contains(SpawnFlags::SETSCHEDPARAM) {
        ops.set_sched_param(attr.sched_priority())?;
    }
    if flags.contains(SpawnFlags::SETSID) {
        ops.setsid()?;
    }
    if flags.contains(SpawnFlags::SETPGROUP) {
        ops.setpgid(attr.pgroup())?;
    }
    if flags.contains(SpawnFlags::RESETIDS) {
        ops.reset_ids()?;
    }
    Ok(())
}

/// Step 6 for one file action: what [`apply`] does with each action of
/// its list, in order. For a host that keeps checked actions in its own
/// form (a kernel that checked the records when the spawn was asked for
/// need not check them again in the child, as [`ActionList::new`] would):
/// it calls [`apply`] without actions, then this for each action in the
/// order added, stopping at the first error.
#[inline]
pub fn apply_action<O: ChildOps + ?Sized>(action: FileAction<'_>, ops: &mut O) -> Result<()> {
    match action {
        FileAction::Open {
            fd,
            path,
            oflag,
            mode,
        } => open_onto(ops, fd, path, oflag, mode),
        FileAction::Close { fd } => close_if_open(ops, fd),
        // Austin Group 411: "dup2(fd, fd)" as a file action clears
        // FD_CLOEXEC, so the descriptor survives into the new image.
        FileAction::Dup2 { fd, new_fd } if fd == new_fd => ops.clear_cloexec(fd),
        FileAction::Dup2 { fd, new_fd } => ops.dup2(fd, new_fd),
        FileAction::Chdir { path } => ops.chdir(path),
        FileAction::Fchdir { fd } => ops.fchdir(fd),
        FileAction::CloseFrom { low_fd } => ops.close_from(low_fd),
    }
}

/// The open action: "If fildes was already an open file descriptor, it shall
/// be closed before the new file is opened", then the result is moved onto
/// `fd`.
///
/// O_CLOEXEC: the action exists to give the new image a descriptor, so the
/// target always ends up without FD_CLOEXEC, whether `open` returned `fd`
/// itself or another number that was then moved (FreeBSD does the same; glibc
/// keeps the flag only in the first case).
fn open_onto<O: ChildOps + ?Sized>(
    ops: &mut O,
    fd: i32,
    path: &[u8],
    oflag: i32,
    mode: u32,
) -> Result<()> {
    close_if_open(ops, fd)?;
    let opened = ops.open(path, oflag, mode)?;
    if opened == fd {
        return ops.clear_cloexec(fd);
    }
    let moved = ops.dup2(opened, fd);
    // The temporary descriptor goes whether or not the move worked, so a
    // failed action leaves nothing extra open.
    let closed = ops.close(opened);
    moved.and(closed)
}

#[cfg(test)]
mod tests;
