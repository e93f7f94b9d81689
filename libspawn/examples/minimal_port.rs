//! A minimal port of libspawn to a toy OS, written the way `docs/porting.md`
//! tells a porter to write one: implement [`ChildOps`] for the new child,
//! then call [`libspawn::apply`] after the child exists and before its image
//! loads, close the FD_CLOEXEC descriptors, and end the child with status
//! 127 when `apply` fails.
//!
//! The toy OS has a fixed table of files (no directories beyond `/` and
//! `/tmp`) and a fixed descriptor table: no allocation, like a kernel.
//! `main` spawns twice, once with actions that succeed and once with an
//! action that fails, checks what the child ended up with, prints it and
//! exits 0. Run it with `cargo run -p libspawn --example minimal_port`.

use std::process::ExitCode;

use libspawn::abi::fcntl::{O_CLOEXEC, O_CREAT, O_WRONLY};
use libspawn::abi::NSIG;
use libspawn::{ChildOps, Errno, FileActions, Result, SchedPolicy, SigSet, SpawnAttr, SpawnFlags};

/// Descriptors a toy process can have open.
const TOY_OPEN_MAX: usize = 8;
/// The files the toy OS knows, by index.
const FILES: [&[u8]; 3] = [b"/dev/console", b"/tmp/log", b"/tmp/data"];
/// Which of them exist when the system starts (O_CREAT makes the others).
const EXIST_AT_BOOT: [bool; 3] = [true, false, true];
/// Signal numbers used below.
const SIGINT: i32 = 2;
const SIGTERM: i32 = 15;
/// The status a child that failed before its image ran exits with.
const SPAWN_FAILURE_STATUS: i32 = 127;

/// One slot of the descriptor table: which file, and FD_CLOEXEC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Descriptor {
    file: usize,
    cloexec: bool,
}

/// The new child, as the toy kernel holds it right after creating it: a
/// copy of the parent's descriptors, ids, signal state and groups.
#[derive(Clone, Debug)]
struct ToyChild {
    pid: i32,
    pgid: i32,
    sid: i32,
    ruid: u32,
    euid: u32,
    sigmask: SigSet,
    caught: SigSet,
    priority: i32,
    cwd_is_tmp: bool,
    fds: [Option<Descriptor>; TOY_OPEN_MAX],
    exists: [bool; 3],
}

impl ToyChild {
    /// The descriptor slot for `fd`, or EBADF outside the table.
    fn slot(&mut self, fd: i32) -> Result<&mut Option<Descriptor>> {
        usize::try_from(fd)
            .ok()
            .and_then(|index| self.fds.get_mut(index))
            .ok_or(Errno::EBADF)
    }

    /// The file a path names, relative to the working directory.
    fn lookup(&self, path: &[u8]) -> Result<usize> {
        let mut absolute = [0u8; 64];
        let full: &[u8] = if path.starts_with(b"/") {
            path
        } else {
            let prefix: &[u8] = if self.cwd_is_tmp { b"/tmp/" } else { b"/" };
            let total = prefix.len() + path.len();
            let buffer = absolute.get_mut(..total).ok_or(Errno::ENAMETOOLONG)?;
            buffer[..prefix.len()].copy_from_slice(prefix);
            buffer[prefix.len()..].copy_from_slice(path);
            buffer
        };
        FILES
            .iter()
            .position(|name| *name == full)
            .ok_or(Errno::ENOENT)
    }

    /// The host's step after `apply`: close every FD_CLOEXEC descriptor.
    fn close_on_exec(&mut self) {
        for slot in &mut self.fds {
            if slot.is_some_and(|d| d.cloexec) {
                *slot = None;
            }
        }
    }

    /// The file open on `fd`, by name, for printing.
    fn name_of(&self, fd: usize) -> &'static str {
        match self.fds[fd] {
            Some(d) => core::str::from_utf8(FILES[d.file]).unwrap_or("?"),
            None => "-",
        }
    }
}

impl ChildOps for ToyChild {
    fn set_signal_default(&mut self, signal: i32) -> Result<()> {
        // SIGKILL and SIGSTOP are always SIG_DFL: succeed for them too.
        if !(1..=NSIG).contains(&signal) {
            return Err(Errno::EINVAL);
        }
        self.caught.remove(signal)
    }

    fn set_signal_mask(&mut self, mask: SigSet) -> Result<()> {
        self.sigmask = mask;
        Ok(())
    }

    fn set_sched_param(&mut self, priority: i32) -> Result<()> {
        // The toy OS has only SCHED_OTHER, whose only priority is 0.
        if priority != 0 {
            return Err(Errno::EINVAL);
        }
        self.priority = priority;
        Ok(())
    }

    fn set_scheduler(&mut self, policy: SchedPolicy, priority: i32) -> Result<()> {
        if policy != SchedPolicy::Other {
            return Err(Errno::EPERM);
        }
        self.set_sched_param(priority)
    }

    fn setsid(&mut self) -> Result<()> {
        if self.pgid == self.pid {
            return Err(Errno::EPERM);
        }
        self.sid = self.pid;
        self.pgid = self.pid;
        Ok(())
    }

    fn setpgid(&mut self, pgroup: i32) -> Result<()> {
        match pgroup {
            0 => self.pgid = self.pid,
            p if p < 0 => return Err(Errno::EINVAL),
            // Only the child's own group exists in its session here.
            p if p == self.pgid => {}
            _ => return Err(Errno::EPERM),
        }
        Ok(())
    }

    fn reset_ids(&mut self) -> Result<()> {
        self.euid = self.ruid;
        Ok(())
    }

    fn open(&mut self, path: &[u8], oflag: i32, _mode: u32) -> Result<i32> {
        let file = self.lookup(path)?;
        if !self.exists[file] {
            if oflag & O_CREAT == 0 {
                return Err(Errno::ENOENT);
            }
            self.exists[file] = true;
        }
        // The lowest free descriptor, as POSIX's open returns.
        let fd = self
            .fds
            .iter()
            .position(Option::is_none)
            .ok_or(Errno::EMFILE)?;
        self.fds[fd] = Some(Descriptor {
            file,
            cloexec: oflag & O_CLOEXEC != 0,
        });
        i32::try_from(fd).map_err(|_| Errno::EMFILE)
    }

    fn close(&mut self, fd: i32) -> Result<()> {
        self.slot(fd)?.take().map(|_| ()).ok_or(Errno::EBADF)
    }

    fn dup2(&mut self, fd: i32, new_fd: i32) -> Result<()> {
        let source = (*self.slot(fd)?).ok_or(Errno::EBADF)?;
        *self.slot(new_fd)? = Some(Descriptor {
            cloexec: false,
            ..source
        });
        Ok(())
    }

    fn clear_cloexec(&mut self, fd: i32) -> Result<()> {
        let descriptor = self.slot(fd)?.as_mut().ok_or(Errno::EBADF)?;
        descriptor.cloexec = false;
        Ok(())
    }

    fn chdir(&mut self, path: &[u8]) -> Result<()> {
        match path {
            b"/tmp" | b"/tmp/" => self.cwd_is_tmp = true,
            b"/" => self.cwd_is_tmp = false,
            _ if self.lookup(path).is_ok() => return Err(Errno::ENOTDIR),
            _ => return Err(Errno::ENOENT),
        }
        Ok(())
    }

    fn fchdir(&mut self, fd: i32) -> Result<()> {
        // No descriptor of the toy OS is a directory.
        match *self.slot(fd)? {
            Some(_) => Err(Errno::ENOTDIR),
            None => Err(Errno::EBADF),
        }
    }
}

/// The toy kernel's spawn, from the point where the child exists: the
/// executor, then close-on-exec, then (not modelled) the image. Returns the
/// child as it would start running, or the errno the parent gets; the
/// child then exits with status 127 and runs no user code.
fn spawn_in_child(
    mut child: ToyChild,
    attr: &SpawnAttr,
    actions: &FileActions<8, 256>,
) -> core::result::Result<ToyChild, (Errno, i32)> {
    match libspawn::apply(Some(attr), Some(actions.as_list()), &mut child) {
        Ok(()) => {
            child.close_on_exec();
            Ok(child)
        }
        Err(errno) => Err((errno, SPAWN_FAILURE_STATUS)),
    }
}

/// The parent: pid 10 in group and session 1, uid 1000, SIGINT caught,
/// stdin/stdout/stderr on the console and fd 3 open close-on-exec.
fn parent_image_of_child() -> ToyChild {
    let console = Some(Descriptor {
        file: 0,
        cloexec: false,
    });
    let mut fds = [None; TOY_OPEN_MAX];
    fds[..3].copy_from_slice(&[console; 3]);
    fds[3] = Some(Descriptor {
        file: 2,
        cloexec: true,
    });
    let mut caught = SigSet::EMPTY;
    caught.add(SIGINT).expect("SIGINT is a signal");
    ToyChild {
        pid: 11,
        pgid: 1,
        sid: 1,
        ruid: 1000,
        euid: 1000,
        sigmask: SigSet::EMPTY,
        caught,
        priority: 0,
        cwd_is_tmp: false,
        fds,
        exists: EXIST_AT_BOOT,
    }
}

/// Checks one condition of the run, printing it.
fn check(ok: bool, what: &str) -> bool {
    println!("{} {what}", if ok { "ok  " } else { "FAIL" });
    ok
}

fn main() -> ExitCode {
    // `cmd > log 2>&1` in a new process group, with SIGTERM blocked and
    // SIGINT back to its default, run from /tmp.
    let mut attr = SpawnAttr::new();
    let mut mask = SigSet::EMPTY;
    let mut sigdefault = SigSet::EMPTY;
    let built = attr
        .set_flags(SpawnFlags::SETPGROUP | SpawnFlags::SETSIGMASK | SpawnFlags::SETSIGDEF)
        .and_then(|()| attr.set_pgroup(0))
        .and_then(|()| mask.add(SIGTERM))
        .and_then(|()| sigdefault.add(SIGINT));
    attr.set_sigmask(mask);
    attr.set_sigdefault(sigdefault);
    let mut actions = FileActions::<8, 256>::new();
    let built = built
        .and_then(|()| actions.add_chdir(b"/tmp"))
        .and_then(|()| actions.add_open(1, b"log", O_WRONLY | O_CREAT | O_CLOEXEC, 0o644))
        .and_then(|()| actions.add_dup2(1, 2));
    if let Err(errno) = built {
        eprintln!("minimal_port: building the objects failed: {errno:?}");
        return ExitCode::FAILURE;
    }

    let mut all = true;
    match spawn_in_child(parent_image_of_child(), &attr, &actions) {
        Ok(child) => {
            println!(
                "child {}: group {}, fds 0-3 = {} {} {} {}",
                child.pid,
                child.pgid,
                child.name_of(0),
                child.name_of(1),
                child.name_of(2),
                child.name_of(3)
            );
            all &= check(child.pgid == child.pid, "SETPGROUP 0 made a new group");
            all &= check(child.sigmask.contains(SIGTERM), "SIGTERM is blocked");
            all &= check(!child.caught.contains(SIGINT), "SIGINT is back to SIG_DFL");
            all &= check(child.cwd_is_tmp, "the working directory is /tmp");
            all &= check(
                child.name_of(1) == "/tmp/log" && child.name_of(2) == "/tmp/log",
                "fds 1 and 2 are /tmp/log (a relative open after addchdir)",
            );
            all &= check(
                child.fds[1].is_some_and(|d| !d.cloexec),
                "the open action's target has no FD_CLOEXEC",
            );
            all &= check(
                child.fds[3].is_none(),
                "fd 3 (FD_CLOEXEC) is closed before the image",
            );
        }
        Err((errno, status)) => {
            all &= check(false, &format!("spawn failed: {errno:?}, status {status}"));
        }
    }

    // The same spawn with an action that fails: the parent gets ENOENT and
    // the child exits 127.
    let mut failing = FileActions::<8, 256>::new();
    if failing.add_open(0, b"/tmp/missing", 0, 0).is_err() {
        return ExitCode::FAILURE;
    }
    let outcome = spawn_in_child(parent_image_of_child(), &SpawnAttr::new(), &failing);
    all &= check(
        matches!(outcome, Err((Errno::ENOENT, SPAWN_FAILURE_STATUS))),
        "a failing open action gives the parent ENOENT and the child status 127",
    );

    if all {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
