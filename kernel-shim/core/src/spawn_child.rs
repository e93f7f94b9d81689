//! The child's side of `posix_spawn`: [`System::spawn_apply`], in the new
//! child's own context when it first runs (the parent's side is
//! `system/spawn.rs`), and [`SpawnChild`], libspawn's `ChildOps` over the
//! child, which it runs `libspawn::exec::apply` on. `spawn_apply`:
//! the executor applies the attributes and file actions through
//! `SpawnChild`, FD_CLOEXEC descriptors are closed, the image is looked up
//! (after the actions, so relative paths follow their `chdir`;
//! `posix_spawnp` searches the caller's PATH here), `#!` lines are followed
//! to the interpreter ([`System::resolve_image`]) and the image handed to
//! the kernel's loader, and on success the exec is committed (caught signals
//! reset, set-id bits). The outcome goes to a parent waiting in
//! `posix_spawn`.
//!
//! Every method acts on the child as the POSIX call of the same name would
//! if the child made it, with the system's rules (permission checks, path
//! resolution from the child's working directory, the process-group rules
//! against the other processes). [`System::spawn_apply`], the child's step
//! of `posix_spawn`, runs the executor over it.

use alloc::vec::Vec;

use libspawn::exec::ChildOps;
use libspawn::{Errno, FileAction, Result, SchedPolicy, SigSet};
use shim_abi::Phase;

use crate::fallible;
use crate::process::{Block, Pid};
use crate::spawn_request::{Image, SpawnStart};
use crate::vfs::Ino;
use crate::System;

/// A new child process, seen through `ChildOps`.
#[derive(Debug)]
pub struct SpawnChild<'a> {
    system: &'a mut System,
    pid: Pid,
}

impl<'a> SpawnChild<'a> {
    /// The child `pid` of `system` (which must exist: calls on a missing
    /// process fail with ESRCH).
    pub fn new(system: &'a mut System, pid: Pid) -> SpawnChild<'a> {
        SpawnChild { system, pid }
    }

    /// The child's pid.
    pub fn pid(&self) -> Pid {
        self.pid
    }
}

impl ChildOps for SpawnChild<'_> {
    /// SIG_DFL; SIGKILL and SIGSTOP succeed; EINVAL outside 1..=64.
    fn set_signal_default(&mut self, signal: i32) -> Result<()> {
        self.system
            .process_mut(self.pid)?
            .signals
            .set_default(signal)
    }

    /// The mask, without SIGKILL and SIGSTOP.
    fn set_signal_mask(&mut self, mask: SigSet) -> Result<()> {
        self.system.process_mut(self.pid)?.signals.set_mask(mask);
        Ok(())
    }

    /// `sched_setparam(0, priority)`.
    fn set_sched_param(&mut self, priority: i32) -> Result<()> {
        self.system.sched_setparam(self.pid, 0, priority)
    }

    /// `sched_setscheduler(0, policy, priority)`.
    fn set_scheduler(&mut self, policy: SchedPolicy, priority: i32) -> Result<()> {
        self.system
            .sched_setscheduler(self.pid, 0, policy.raw(), priority)
    }

    /// `setsid()`.
    fn setsid(&mut self) -> Result<()> {
        self.system.setsid(self.pid).map(drop)
    }

    /// `setpgid(0, pgroup)`.
    fn setpgid(&mut self, pgroup: i32) -> Result<()> {
        self.system.setpgid(self.pid, 0, pgroup)
    }

    /// Effective ids become the real ones.
    fn reset_ids(&mut self) -> Result<()> {
        self.system.process_mut(self.pid)?.creds.reset_ids();
        Ok(())
    }

    /// `open(path, oflag, mode)` from the child's working directory.
    fn open(&mut self, path: &[u8], oflag: i32, mode: u32) -> Result<i32> {
        self.system.open(self.pid, path, oflag, mode)
    }

    /// `close(fd)`.
    #[inline]
    fn close(&mut self, fd: i32) -> Result<()> {
        self.system.close(self.pid, fd)
    }

    /// `dup2(fd, new_fd)`.
    #[inline]
    fn dup2(&mut self, fd: i32, new_fd: i32) -> Result<()> {
        self.system.dup2(self.pid, fd, new_fd).map(drop)
    }

    /// `fcntl(fd, F_SETFD, 0)`.
    fn clear_cloexec(&mut self, fd: i32) -> Result<()> {
        self.system.clear_cloexec(self.pid, fd)
    }

    /// `chdir(path)`.
    fn chdir(&mut self, path: &[u8]) -> Result<()> {
        self.system.chdir(self.pid, path)
    }

    /// `fchdir(fd)`.
    fn fchdir(&mut self, fd: i32) -> Result<()> {
        self.system.fchdir(self.pid, fd)
    }

    /// `closefrom(low_fd)`, in one pass over the table.
    fn close_from(&mut self, low_fd: i32) -> Result<()> {
        self.system.close_from(self.pid, low_fd)
    }
}

impl System {
    /// The `ChildOps` view of process `pid`.
    pub fn spawn_child(&mut self, pid: Pid) -> SpawnChild<'_> {
        SpawnChild::new(self, pid)
    }

    /// Looks up the image for `start` as `pid`: the path as given, or for
    /// `posix_spawnp` with a name without `/`, each PATH directory in turn
    /// (ENOENT, ENOTDIR and ENAMETOOLONG go on, EACCES is remembered,
    /// anything else stops). Returns the file and the path it was found
    /// by (what a script's interpreter is given, as `execvp` would).
    fn find_image(&self, pid: Pid, start: &SpawnStart) -> Result<(Ino, Vec<u8>)> {
        let Some(search) = start
            .search
            .as_ref()
            .filter(|_| !start.path.contains(&b'/'))
        else {
            let ino = self.exec_lookup(pid, &start.path)?;
            return Ok((ino, fallible::copy_of(&start.path)?));
        };
        let mut denied = false;
        for dir in search.split(|&b| b == b':') {
            let mut candidate = Vec::new();
            candidate
                .try_reserve(dir.len() + 1 + start.path.len())
                .map_err(|_| Errno::ENOMEM)?;
            if !dir.is_empty() {
                candidate.extend_from_slice(dir);
                candidate.push(b'/');
            }
            candidate.extend_from_slice(&start.path);
            match self.exec_lookup(pid, &candidate) {
                Ok(ino) => return Ok((ino, candidate)),
                Err(Errno::ENOENT | Errno::ENOTDIR | Errno::ENAMETOOLONG) => {}
                Err(Errno::EACCES) => denied = true,
                Err(errno) => return Err(errno),
            }
        }
        Err(if denied { Errno::EACCES } else { Errno::ENOENT })
    }

    /// The child's part of the spawn, without the report: executor,
    /// close-on-exec, lookup, `load`, commit.
    fn apply_start<T>(
        &mut self,
        child: Pid,
        start: &SpawnStart,
        load: impl FnOnce(Image<'_>) -> Result<T>,
    ) -> Result<T> {
        // The records were checked when the spawn was asked for
        // (`SpawnStart::validate`): each is decoded once more here, not
        // checked as a list again.
        let mut ops = self.spawn_child(child);
        libspawn::exec::apply(start.attr.as_ref(), None, &mut ops)?;
        for record in &start.records {
            let action = FileAction::decode(record, &start.paths)?;
            libspawn::exec::apply_action(action, &mut ops)?;
        }
        (self.profile_mark)(Phase::CloseOnExec);
        self.close_on_exec(child)?;
        (self.profile_mark)(Phase::Lookup);
        let (found, path) = self.find_image(child, start)?;
        let resolved = self.resolve_image(child, found, &path, &start.argv)?;
        let ino = resolved.ino;
        let creds = self.exec_creds(child, ino)?;
        let loaded = load(Image {
            bytes: self.file_bytes(ino)?,
            version: self.content_version(ino)?,
            argv: resolved.argv.as_ref().unwrap_or(&start.argv),
            envp: &start.envp,
            path: &path,
            creds,
        })?;
        (self.profile_mark)(Phase::ChildStart);
        self.commit_exec(child, ino)?;
        Ok(loaded)
    }

    /// Step 2 of `posix_spawn`, in the new `child`'s own context on its
    /// first run: applies the attributes and file actions, closes
    /// FD_CLOEXEC descriptors, looks up the image and calls `load` with it
    /// (the kernel's loader: building the address space is machine work),
    /// then commits the exec. Processes waiting on pipes are woken (the
    /// actions may have closed ends). A waiting parent gets the outcome
    /// and is woken; if the spawn failed, the child is then hidden: its
    /// exit tells no one and the parent reaps it.
    ///
    /// # Errors
    ///
    /// Whatever an action, the lookup or `load` failed with (ENOENT,
    /// EACCES, ENOEXEC, EBADF, EPERM, ...); EINVAL if `child` has no spawn
    /// to apply. The kernel then ends the child with status 127.
    pub fn spawn_apply<T>(
        &mut self,
        child: Pid,
        load: impl FnOnce(Image<'_>) -> Result<T>,
    ) -> Result<T> {
        let start = self
            .process_mut(child)?
            .spawn
            .start
            .take()
            .ok_or(Errno::EINVAL)?;
        let result = self.apply_start(child, &start, load);
        self.wake_all(Block::Pipe);
        let process = self.process_mut(child)?;
        let (parent, waits) = (process.ppid, process.spawn.parent_waits);
        process.spawn.parent_waits = false;
        if waits {
            process.spawn.hidden = result.is_err();
            let outcome = result.as_ref().map(drop).map_err(|&errno| errno);
            if let Ok(spawner) = self.process_mut(parent) {
                spawner.spawn.outcome = Some(outcome);
            }
            self.wake(parent, Block::Spawn);
        }
        result
    }
}

#[cfg(test)]
mod tests;
