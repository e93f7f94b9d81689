//! The model's `ChildOps`: the rules each method follows, for porters.

extern crate std;

use std::string::String;

use super::fs::{NodeId, NodeKind, READ, SEARCH, WRITE};
use super::{Call, Disposition, FdSlot, Model, SIGSTOP};
use crate::abi::fcntl::{
    O_ACCMODE, O_CLOEXEC, O_CREAT, O_DIRECTORY, O_EXCL, O_RDONLY, O_TRUNC, O_WRONLY,
};
use crate::abi::signal::SIGKILL;
use crate::abi::{NSIG, OPEN_MAX};
use crate::attr::SchedPolicy;
use crate::errno::{Errno, Result};
use crate::exec::ChildOps;
use crate::sigset::SigSet;

/// The model's `ChildOps`. Each method documents the rules a host follows.
impl ChildOps for Model {
    /// EINVAL outside `1..=NSIG`. SIGKILL and SIGSTOP always have SIG_DFL,
    /// so asking for it succeeds (Linux's `sigaction` would say EINVAL; a
    /// host must not, or a sigdefault made with `sigfillset` could never
    /// spawn).
    fn set_signal_default(&mut self, signal: i32) -> Result<()> {
        self.call(Call::SetSignalDefault(signal), |m| {
            if !(1..=NSIG).contains(&signal) {
                return Err(Errno::EINVAL);
            }
            m.process.set_disposition(signal, Disposition::Default);
            Ok(0)
        })
        .map(drop)
    }

    /// Never fails; SIGKILL and SIGSTOP are silently left unblocked.
    fn set_signal_mask(&mut self, mask: SigSet) -> Result<()> {
        self.call(Call::SetSignalMask(mask), |m| {
            let mut mask = mask;
            let _ = mask.remove(SIGKILL);
            let _ = mask.remove(SIGSTOP);
            m.process.sigmask = mask;
            Ok(0)
        })
        .map(drop)
    }

    /// EINVAL if `priority` is outside the current policy's range; EPERM
    /// for a real-time priority when not privileged (euid != 0).
    fn set_sched_param(&mut self, priority: i32) -> Result<()> {
        self.call(Call::SetSchedParam(priority), |m| {
            let policy = m.process.policy;
            check_sched(policy, priority, m.process.euid)?;
            m.process.priority = priority;
            Ok(0)
        })
        .map(drop)
    }

    /// EINVAL if `priority` is outside `policy`'s range; EPERM for FIFO or
    /// RR when not privileged (euid != 0).
    fn set_scheduler(&mut self, policy: SchedPolicy, priority: i32) -> Result<()> {
        self.call(Call::SetScheduler(policy, priority), |m| {
            check_sched(policy, priority, m.process.euid)?;
            m.process.policy = policy;
            m.process.priority = priority;
            Ok(0)
        })
        .map(drop)
    }

    /// EPERM if the process already leads a process group; otherwise it
    /// leads a new session and a new group, both with its pid.
    fn setsid(&mut self) -> Result<()> {
        self.call(Call::Setsid, |m| {
            let pid = m.process.pid;
            if m.process.pgid == pid || m.groups.contains_key(&pid) {
                return Err(Errno::EPERM);
            }
            m.process.sid = pid;
            m.process.pgid = pid;
            m.groups.insert(pid, pid);
            Ok(0)
        })
        .map(drop)
    }

    /// EINVAL for a negative `pgroup`; EPERM for a session leader, and for
    /// a group that is not in the caller's session (or does not exist);
    /// 0 or the pid itself make a new group led by the process.
    fn setpgid(&mut self, pgroup: i32) -> Result<()> {
        self.call(Call::Setpgid(pgroup), |m| {
            let pid = m.process.pid;
            if pgroup < 0 {
                return Err(Errno::EINVAL);
            }
            if m.process.sid == pid {
                return Err(Errno::EPERM);
            }
            let target = if pgroup == 0 { pid } else { pgroup };
            if target != pid && m.groups.get(&target) != Some(&m.process.sid) {
                return Err(Errno::EPERM);
            }
            m.groups.insert(target, m.process.sid);
            m.process.pgid = target;
            Ok(0)
        })
        .map(drop)
    }

    /// Always succeeds: going back to the real ids is always allowed.
    fn reset_ids(&mut self) -> Result<()> {
        self.call(Call::ResetIds, |m| {
            m.process.euid = m.process.ruid;
            m.process.egid = m.process.rgid;
            Ok(0)
        })
        .map(drop)
    }

    /// The lowest free descriptor, with FD_CLOEXEC if `oflag` has
    /// O_CLOEXEC. Errors: EINVAL for access mode 3; EMFILE when the table
    /// is full (checked first, as Linux does); ENOENT, ENOTDIR or EACCES
    /// from the lookup; EEXIST for O_CREAT|O_EXCL on an existing name;
    /// ENOENT for a missing name without O_CREAT; EACCES to create without
    /// write and search permission on the directory; EISDIR to open a
    /// directory for writing or with O_CREAT, or to create with
    /// O_DIRECTORY; ENOTDIR for O_DIRECTORY on a file; EACCES without read
    /// or write permission as the access mode asks. A created file gets
    /// `mode & !umask` and the effective ids, and the open that creates it
    /// succeeds even if that mode denies the access asked for; O_TRUNC empties a file opened
    /// for writing; O_APPEND makes every write append.
    fn open(&mut self, path: &[u8], oflag: i32, mode: u32) -> Result<i32> {
        self.call(Call::Open(lossy(path), oflag, mode), |m| {
            m.do_open(path, oflag, mode)
        })
    }

    /// EBADF if `fd` is not open. The open file description goes when its
    /// last descriptor does.
    fn close(&mut self, fd: i32) -> Result<()> {
        self.call(Call::Close(fd), |m| {
            if m.drop_fd(fd) {
                Ok(0)
            } else {
                Err(Errno::EBADF)
            }
        })
        .map(drop)
    }

    /// EBADF if `fd` is not open or `new_fd` is outside the table.
    /// Otherwise `new_fd` is closed silently if open and then refers to
    /// `fd`'s open file description (shared offset and status flags),
    /// without FD_CLOEXEC. `dup2(fd, fd)` changes nothing (POSIX), which is
    /// why the executor never asks for it.
    fn dup2(&mut self, fd: i32, new_fd: i32) -> Result<()> {
        self.call(Call::Dup2(fd, new_fd), |m| {
            let slot = m.slot(fd).ok_or(Errno::EBADF)?;
            if !(0..OPEN_MAX).contains(&new_fd) {
                return Err(Errno::EBADF);
            }
            if fd != new_fd {
                m.drop_fd(new_fd);
                m.fds[new_fd as usize] = Some(FdSlot {
                    file: slot.file,
                    cloexec: false,
                });
            }
            Ok(0)
        })
        .map(drop)
    }

    /// EBADF if `fd` is not open.
    fn clear_cloexec(&mut self, fd: i32) -> Result<()> {
        self.call(Call::ClearCloexec(fd), |m| {
            let index = usize::try_from(fd).map_err(|_| Errno::EBADF)?;
            let slot = m.fds.get_mut(index).and_then(Option::as_mut);
            slot.ok_or(Errno::EBADF)?.cloexec = false;
            Ok(0)
        })
        .map(drop)
    }

    /// ENOENT, ENOTDIR or EACCES from the lookup; ENOTDIR if `path` is not
    /// a directory; EACCES without search permission on it.
    fn chdir(&mut self, path: &[u8]) -> Result<()> {
        self.call(Call::Chdir(lossy(path)), |m| {
            let node = m.fs.resolve(m.cwd, path, m.cred())?;
            m.enter(node)
        })
        .map(drop)
    }

    /// EBADF if `fd` is not open; ENOTDIR if it is not a directory; EACCES
    /// without search permission on it.
    fn fchdir(&mut self, fd: i32) -> Result<()> {
        self.call(Call::Fchdir(fd), |m| {
            let slot = m.slot(fd).ok_or(Errno::EBADF)?;
            let node = m.files[&slot.file].node;
            m.enter(node)
        })
        .map(drop)
    }

    /// Closes every open descriptor `>= low_fd` in one step (one log
    /// entry); a negative `low_fd` counts as 0, one at or above OPEN_MAX
    /// closes nothing. Never fails.
    fn close_from(&mut self, low_fd: i32) -> Result<()> {
        self.call(Call::CloseFrom(low_fd), |m| {
            for fd in low_fd.max(0)..OPEN_MAX {
                m.drop_fd(fd);
            }
            Ok(0)
        })
        .map(drop)
    }
}

/// The scheduler's checks: the priority must suit the policy (EINVAL), and
/// only a privileged process may use a real-time policy (EPERM).
fn check_sched(policy: SchedPolicy, priority: i32, euid: u32) -> Result<()> {
    if !policy.priority_range().contains(&priority) {
        return Err(Errno::EINVAL);
    }
    if policy != SchedPolicy::Other && euid != 0 {
        return Err(Errno::EPERM);
    }
    Ok(())
}

impl Model {
    /// `open(path, oflag, mode)`, see [`ChildOps::open`] on `Model`.
    pub(super) fn do_open(&mut self, path: &[u8], oflag: i32, mode: u32) -> Result<i32> {
        let access = oflag & O_ACCMODE;
        if access == O_ACCMODE {
            return Err(Errno::EINVAL);
        }
        // Like Linux, reserve the descriptor before looking at the path.
        let fd = self.lowest_free_fd().ok_or(Errno::EMFILE)?;
        let cred = self.cred();
        let (dir, name) = self.fs.resolve_parent(self.cwd, path, cred)?;
        let (node, created) = match self.fs.lookup(dir, name, cred)? {
            Some(_) if oflag & O_CREAT != 0 && oflag & O_EXCL != 0 => {
                return Err(Errno::EEXIST);
            }
            Some(node) => (node, false),
            None if oflag & O_CREAT == 0 => return Err(Errno::ENOENT),
            None if oflag & O_DIRECTORY != 0 || path.ends_with(b"/") => {
                return Err(Errno::EISDIR);
            }
            None => {
                if !self.fs.permits(dir, cred, WRITE | SEARCH) {
                    return Err(Errno::EACCES);
                }
                let mode = mode & !self.process.umask;
                (self.fs.create(dir, name, false, mode, cred), true)
            }
        };
        let is_dir = self.fs.node(node).is_dir();
        if is_dir && (access != O_RDONLY || oflag & O_CREAT != 0) {
            return Err(Errno::EISDIR);
        }
        if !is_dir && (oflag & O_DIRECTORY != 0 || path.ends_with(b"/")) {
            return Err(Errno::ENOTDIR);
        }
        let mut want = 0;
        if access != O_WRONLY {
            want |= READ;
        }
        if access != O_RDONLY {
            want |= WRITE;
        }
        // The open that creates a file succeeds whatever mode it gives it.
        if !created && !self.fs.permits(node, cred, want) {
            return Err(Errno::EACCES);
        }
        if let NodeKind::File { data } = &mut self.fs.node_mut(node).kind {
            if oflag & O_TRUNC != 0 && access != O_RDONLY {
                data.clear();
            }
        }
        let file = self.new_file(node, oflag);
        self.fds[fd as usize] = Some(FdSlot {
            file,
            cloexec: oflag & O_CLOEXEC != 0,
        });
        Ok(fd)
    }

    /// Makes `dir` the working directory: ENOTDIR unless it is a directory,
    /// EACCES without search permission on it.
    fn enter(&mut self, dir: NodeId) -> Result<i32> {
        if !self.fs.node(dir).is_dir() {
            return Err(Errno::ENOTDIR);
        }
        if !self.fs.permits(dir, self.cred(), SEARCH) {
            return Err(Errno::EACCES);
        }
        self.cwd = dir;
        Ok(0)
    }
}

fn lossy(path: &[u8]) -> String {
    String::from_utf8_lossy(path).into_owned()
}
