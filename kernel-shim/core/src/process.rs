//! Process: every piece of per-process state that is OS logic (ids,
//! parent, groups, signals, scheduling, run state, alarm, CPU time, the
//! spawn handshake, descriptors and working directory).
//!
//! [`System`](crate::System) keeps one of these per pid, from creation
//! until the parent reaps the process. The kernel keeps only what needs
//! the machine, per [`slot`](Process::slot): saved registers, kernel
//! stack, address space.

use libspawn::Errno;

use crate::creds::Creds;
use crate::fdtable::FdTable;
use crate::rlimit::Limits;
use crate::sched::Sched;
use crate::signal::SignalState;
use crate::spawn_request::SpawnStart;
use crate::vfs::Ino;
use crate::wait_status::Termination;

/// A process id.
pub type Pid = i32;

/// The pid of init, which adopts orphans.
pub const INIT_PID: Pid = 1;

/// Slots in the process table: processes alive or not yet reaped (EAGAIN
/// beyond). The kernel keeps one kernel stack per slot.
pub const MAX_PROCESSES: usize = 64;

/// Why a process is blocked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Block {
    /// In `wait4`, until a child changes state.
    Child,
    /// In `nanosleep`, until the monotonic clock reaches this (ns).
    Sleep {
        /// Deadline in nanoseconds of the monotonic clock.
        until_ns: u64,
    },
    /// In a pipe read or write, until the pipe changes.
    Pipe,
    /// In `poll`, until a pipe changes or the monotonic clock reaches
    /// `until_ns` (`u64::MAX`: no deadline).
    Poll {
        /// Deadline in nanoseconds of the monotonic clock.
        until_ns: u64,
    },
    /// In `pause` or `rt_sigsuspend`, until a signal arrives.
    Signal,
    /// In `rt_sigtimedwait`, until a signal of `set` is pending (blocked
    /// or not), a signal is deliverable, or the monotonic clock reaches
    /// `until_ns` (`u64::MAX`: no deadline).
    SigWait {
        /// The signals waited for (bit `n - 1` for signal `n`).
        set: u64,
        /// Deadline in nanoseconds of the monotonic clock.
        until_ns: u64,
    },
    /// In `fcntl(F_SETLKW)`, until a record lock is released.
    Lock,
    /// In `posix_spawn`, until the child reports its image loaded or not.
    /// Not interrupted by signals (the child reports promptly).
    Spawn,
}

impl Block {
    /// Whether a deliverable signal ends the wait (with EINTR).
    pub fn interruptible(self) -> bool {
        self != Block::Spawn
    }
}

/// What a process is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Ready to run.
    Runnable,
    /// On the CPU.
    Running,
    /// Waiting for an event.
    Blocked(Block),
    /// Exited, waiting to be reaped.
    Zombie(Termination),
}

/// Processor time accounting (CLOCK_PROCESS_CPUTIME_ID).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct CpuTime {
    /// Time used in earlier turns on the CPU (user and kernel mode alike),
    /// in nanoseconds.
    pub(crate) used_ns: u64,
    /// When the current turn began (monotonic nanoseconds); meaningful
    /// while the process is running.
    pub(crate) turn_started_ns: u64,
}

/// The `posix_spawn` handshake between a new child and its parent.
#[derive(Debug, Default)]
pub(crate) struct SpawnLink {
    /// What the child does on its first run (`System::spawn_apply`),
    /// until it has done it.
    pub(crate) start: Option<SpawnStart>,
    /// The child: its parent sleeps in `posix_spawn` until it reports.
    pub(crate) parent_waits: bool,
    /// The parent, sleeping in `posix_spawn`: the child's report.
    pub(crate) outcome: Option<Result<(), Errno>>,
    /// A failed spawn's child that the spawning parent reaps itself: its
    /// exit tells no one and `wait4` never sees it.
    pub(crate) hidden: bool,
}

/// What a new process starts with: its parent's, or init's own.
#[derive(Debug)]
pub(crate) struct Inherited {
    pub(crate) pgid: Pid,
    pub(crate) sid: Pid,
    pub(crate) fds: FdTable,
    pub(crate) cwd: Ino,
    pub(crate) umask: u32,
    pub(crate) creds: Creds,
    pub(crate) signals: SignalState,
    pub(crate) sched: Sched,
    pub(crate) limits: Limits,
}

/// One process.
#[derive(Debug)]
pub struct Process {
    pub(crate) pid: Pid,
    pub(crate) ppid: Pid,
    pub(crate) pgid: Pid,
    pub(crate) sid: Pid,
    pub(crate) fds: FdTable,
    pub(crate) cwd: Ino,
    /// File creation mask: permission bits cleared from the mode of every
    /// file or directory the process creates (`open`, `mkdir`).
    pub(crate) umask: u32,
    pub(crate) execed: bool,
    /// Its slot in the process table (`0..MAX_PROCESSES`), which the kernel
    /// uses to find its machine state.
    pub(crate) slot: usize,
    pub(crate) state: State,
    /// When SIGALRM is due (monotonic nanoseconds), if an alarm is set
    /// (`alarm`, or `setitimer`'s ITIMER_REAL: the same timer).
    pub(crate) alarm_ns: Option<u64>,
    /// The period the alarm is reloaded with when it fires (`setitimer`'s
    /// `it_interval`), in nanoseconds; 0 for a one-shot alarm.
    pub(crate) alarm_interval_ns: u64,
    pub(crate) cpu: CpuTime,
    /// Processor time of its reaped children and, through them, of their
    /// reaped descendants, in nanoseconds (`RUSAGE_CHILDREN`, `times`).
    pub(crate) children_cpu_ns: u64,
    /// Ticks left in a SCHED_RR time slice.
    pub(crate) slice_left: u32,
    pub(crate) spawn: SpawnLink,
    /// User and group ids (the kernel's `set*id` handlers call the
    /// [`Creds`] methods directly).
    pub creds: Creds,
    /// Signal mask, pending set and dispositions.
    pub signals: SignalState,
    /// Scheduling policy and priority (change it through
    /// [`System::sched_setscheduler`](crate::System::sched_setscheduler),
    /// which checks permissions).
    pub sched: Sched,
    /// Resource limits (change them through
    /// [`System::prlimit`](crate::System::prlimit), which checks
    /// permissions and applies RLIMIT_NOFILE to the descriptor table).
    pub(crate) limits: Limits,
}

impl Process {
    /// A new process `pid`, child of `ppid`, starting with `start`:
    /// runnable, not exec'd, no alarm, no processor time, no spawn in
    /// progress (its slot is set when the table takes it).
    pub(crate) fn new(pid: Pid, ppid: Pid, start: Inherited) -> Process {
        let Inherited {
            pgid,
            sid,
            fds,
            cwd,
            umask,
            creds,
            signals,
            sched,
            limits,
        } = start;
        Process {
            pid,
            ppid,
            pgid,
            sid,
            fds,
            cwd,
            umask,
            execed: false,
            slot: 0,
            state: State::Runnable,
            alarm_ns: None,
            alarm_interval_ns: 0,
            cpu: CpuTime::default(),
            children_cpu_ns: 0,
            slice_left: 0,
            spawn: SpawnLink::default(),
            creds,
            signals,
            sched,
            limits,
        }
    }

    /// Its pid.
    pub fn pid(&self) -> Pid {
        self.pid
    }

    /// Its parent's pid (0 for a process without one, like init).
    pub fn ppid(&self) -> Pid {
        self.ppid
    }

    /// Its process group id.
    pub fn pgid(&self) -> Pid {
        self.pgid
    }

    /// Its session id.
    pub fn sid(&self) -> Pid {
        self.sid
    }

    /// Its descriptor table (read-only: changes go through `System`, which
    /// keeps the reference counts).
    pub fn fds(&self) -> &FdTable {
        &self.fds
    }

    /// Its working directory.
    pub fn cwd(&self) -> Ino {
        self.cwd
    }

    /// Whether it has loaded an image since it was created (`setpgid` on
    /// it by its parent is then EACCES).
    pub fn has_execed(&self) -> bool {
        self.execed
    }

    /// Whether it has exited (a zombie, waiting to be reaped).
    pub fn has_exited(&self) -> bool {
        matches!(self.state, State::Zombie(_))
    }

    /// Its resource limits.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Its slot in the process table.
    pub fn slot(&self) -> usize {
        self.slot
    }

    /// What it is doing.
    pub fn state(&self) -> State {
        self.state
    }

    /// When its SIGALRM is due (monotonic nanoseconds), if an alarm is set.
    pub fn alarm_ns(&self) -> Option<u64> {
        self.alarm_ns
    }

    /// Whether it is blocked in a wait a signal interrupts.
    pub(crate) fn interruptibly_blocked(&self) -> bool {
        matches!(self.state, State::Blocked(block) if block.interruptible())
    }

    /// Whether it leads its session.
    pub fn is_session_leader(&self) -> bool {
        self.sid == self.pid
    }
}
