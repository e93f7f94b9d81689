//! The process table: slots, pids, parents, blocking, exit and wait.
//!
//! A fixed array of [`MAX_PROCESSES`] slots behind one lock, which also
//! guards the OS state shared between processes (the file system, open
//! files, pipes). A process keeps its slot from spawn until its parent reaps
//! it; its memory and descriptors are released as soon as it exits, so a
//! zombie costs only its slot. Orphans are handed to init (pid 1), which
//! also reaps them.

use crate::memory::paging::AddressSpace;
use crate::signal_delivery::Sender;
use crate::{context, scheduler};
use alloc::boxed::Box;
use libspawn::abi::signal::SIGCHLD;
use libspawn::abi::wait::WNOHANG;
use libspawn::{Errno, SchedPolicy, SigSet};
use shim_core::wait_status::Termination;
use shim_core::System;
use spin::{Mutex, MutexGuard};

/// Slots in the process table.
pub const MAX_PROCESSES: usize = 64;
/// The pid of init, which adopts orphans.
pub const INIT_PID: i32 = 1;
/// `wait4` options accepted and ignored (no stopped or continued children
/// exist here): WUNTRACED, WCONTINUED, __WALL, __WCLONE.
const WAIT_IGNORED_OPTIONS: i32 = 2 | 8 | 0x4000_0000 | i32::MIN;
/// Size of Linux's `struct rusage`, zero-filled by `wait4`.
const RUSAGE_SIZE: usize = 144;

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
    /// In `pause` or `rt_sigsuspend`, until a signal arrives.
    Signal,
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

/// One process, the kernel's side: CPU, memory, scheduling and signal
/// delivery. The OS side (ids, groups, signals, descriptors, working
/// directory) is the [`System`]'s, under the same pid.
pub struct Process {
    /// Process id (never reused while the kernel runs).
    pub pid: i32,
    /// Parent's pid (0 for init).
    pub parent: i32,
    /// Scheduling state.
    pub state: State,
    /// The address space; `None` before a spawned child's image is loaded
    /// and once the process has exited.
    pub space: Option<AddressSpace>,
    /// Start of the program break region (end of the image).
    pub brk_start: u64,
    /// Current program break.
    pub brk: u64,
    /// Next address anonymous `mmap` hands out.
    pub mmap_next: u64,
    /// The FS segment base (thread pointer), restored on every switch.
    pub fs_base: u64,
    /// Who sent each pending signal (index `signal - 1`), for `siginfo_t`.
    pub senders: [Sender; libspawn::abi::NSIG as usize],
    /// The mask to restore after a signal interrupts `rt_sigsuspend`.
    pub suspend_mask: Option<SigSet>,
    /// Number of the system call in progress, to restart it after a
    /// handler with SA_RESTART.
    pub syscall: u64,
    /// Whether the call in progress may restart after SA_RESTART handlers
    /// (set when a blocking `read`, `write` or `wait4` is interrupted).
    pub restartable: bool,
    /// Work a spawned child does on its first run, in its own context.
    pub start: Option<Box<crate::spawn::ChildStart>>,
    /// The parent blocked in `posix_spawn` on this child (default mode).
    pub spawner_waiting: bool,
    /// For a parent blocked in `posix_spawn`: the child's report.
    pub spawn_outcome: Option<Result<(), Errno>>,
    /// A failed spawn's child that the spawning parent reaps itself: never
    /// seen by `wait4`.
    pub hidden: bool,
    /// Ticks left in a SCHED_RR time slice.
    pub slice_left: u32,
    /// When SIGALRM is due (monotonic nanoseconds), if an alarm is set.
    pub alarm_ns: Option<u64>,
    /// Processor time used in earlier turns on the CPU (user and kernel
    /// mode alike), in nanoseconds.
    pub cpu_ns: u64,
    /// When the current turn on the CPU began (monotonic nanoseconds);
    /// meaningful while the process is running.
    pub turn_started_ns: u64,
}

impl Process {
    /// Processor time used so far, counting the turn in progress if the
    /// process is running (CLOCK_PROCESS_CPUTIME_ID).
    pub fn cpu_time_ns(&self, now_ns: u64) -> u64 {
        let turn = if self.state == State::Running {
            now_ns.saturating_sub(self.turn_started_ns)
        } else {
            0
        };
        self.cpu_ns.saturating_add(turn)
    }

    /// A process with nothing loaded (no address space).
    pub fn new(pid: i32, parent: i32) -> Process {
        Process {
            pid,
            parent,
            state: State::Runnable,
            space: None,
            brk_start: 0,
            brk: 0,
            mmap_next: crate::memory::user_layout::MMAP_BASE,
            fs_base: 0,
            senders: [Sender::default(); libspawn::abi::NSIG as usize],
            suspend_mask: None,
            syscall: 0,
            restartable: false,
            start: None,
            spawner_waiting: false,
            spawn_outcome: None,
            hidden: false,
            cpu_ns: 0,
            turn_started_ns: 0,
            slice_left: 0,
            alarm_ns: None,
        }
    }

    /// Installs a loaded image: its address space, break and entry state.
    pub fn install_image(&mut self, image: crate::loader::LoadedImage) -> Option<AddressSpace> {
        self.brk_start = image.brk_start;
        self.brk = image.brk_start;
        self.mmap_next = crate::memory::user_layout::MMAP_BASE;
        self.fs_base = 0;
        self.space.replace(image.space)
    }

    /// Whether the process is blocked in a wait a signal interrupts.
    fn interruptibly_blocked(&self) -> bool {
        matches!(self.state, State::Blocked(block) if block.interruptible())
    }
}

/// The table, the scheduler's cursor and the shared OS state.
pub struct Table {
    slots: [Option<Process>; MAX_PROCESSES],
    next_pid: i32,
    /// Slot of the running process.
    pub current: Option<usize>,
    /// Slot most recently picked (round-robin cursor).
    pub(crate) last_picked: usize,
    /// File system, open file descriptions, pipes and descriptor tables
    /// (created at boot).
    system: Option<System>,
}

static TABLE: Mutex<Table> = Mutex::new(Table {
    slots: [const { None }; MAX_PROCESSES],
    next_pid: INIT_PID,
    current: None,
    last_picked: MAX_PROCESSES - 1,
    system: None,
});

/// Locks the process table. Never hold the guard across a context switch.
pub fn table() -> MutexGuard<'static, Table> {
    TABLE.lock()
}

impl Table {
    /// Installs the OS state (boot).
    pub fn set_system(&mut self, system: System) {
        self.system = Some(system);
    }

    /// The OS state.
    ///
    /// # Panics
    ///
    /// Before boot installed it (a kernel bug).
    pub fn system(&mut self) -> &mut System {
        self.system.as_mut().expect("system not initialised")
    }

    /// The running process and the OS state together.
    pub fn current_and_system(&mut self) -> (&mut Process, &mut System) {
        let slot = self.current.expect("no current process");
        let process = self.slots[slot].as_mut().expect("current slot is empty");
        let system = self.system.as_mut().expect("system not initialised");
        (process, system)
    }

    /// The running process.
    ///
    /// # Panics
    ///
    /// Outside process context (a kernel bug).
    pub fn current_mut(&mut self) -> &mut Process {
        let slot = self.current.expect("no current process");
        self.slots[slot].as_mut().expect("current slot is empty")
    }

    /// The process in `slot`, if any.
    pub fn slot_mut(&mut self, slot: usize) -> Option<&mut Process> {
        self.slots[slot].as_mut()
    }

    /// Every live process (zombies included).
    pub fn processes(&mut self) -> impl Iterator<Item = &mut Process> {
        self.slots.iter_mut().flatten()
    }

    /// Every live process, read-only.
    pub fn processes_ref(&self) -> impl Iterator<Item = &Process> {
        self.slots.iter().flatten()
    }

    /// Number of free slots.
    pub fn free_slots(&self) -> usize {
        self.slots.iter().filter(|slot| slot.is_none()).count()
    }

    /// A free slot, or `EAGAIN`.
    pub fn free_slot(&self) -> Result<usize, Errno> {
        self.slots
            .iter()
            .position(Option::is_none)
            .ok_or(Errno::EAGAIN)
    }

    /// The slot of process `pid`.
    pub fn slot_of(&self, pid: i32) -> Option<usize> {
        self.slots
            .iter()
            .position(|slot| slot.as_ref().is_some_and(|p| p.pid == pid))
    }

    /// The process `pid`, zombies included.
    pub fn by_pid(&mut self, pid: i32) -> Option<&mut Process> {
        let slot = self.slot_of(pid)?;
        self.slots[slot].as_mut()
    }

    /// Allocates the next pid.
    pub fn allocate_pid(&mut self) -> i32 {
        let pid = self.next_pid;
        self.next_pid += 1;
        pid
    }

    /// Puts `process` in `slot`.
    pub fn place(&mut self, slot: usize, process: Process) {
        self.slots[slot] = Some(process);
    }

    /// Frees `slot` (a reaped zombie).
    pub fn clear_slot(&mut self, slot: usize) {
        self.slots[slot] = None;
    }

    /// The scheduling rank of `pid`: its real-time priority (1..=99), or
    /// 0 for SCHED_OTHER.
    fn rank(&self, pid: i32) -> i32 {
        self.system
            .as_ref()
            .and_then(|system| system.process(pid).ok())
            .map_or(0, |p| {
                if p.sched.is_realtime() {
                    p.sched.priority
                } else {
                    0
                }
            })
    }

    /// Makes sleepers whose deadline passed runnable.
    fn wake_sleepers(&mut self, now_ns: u64) {
        for process in self.slots.iter_mut().flatten() {
            if let State::Blocked(Block::Sleep { until_ns }) = process.state {
                if now_ns >= until_ns {
                    process.state = State::Runnable;
                }
            }
        }
    }

    /// The earliest deadline a sleeper or an alarm waits for, if any.
    pub fn next_deadline(&self) -> Option<u64> {
        self.slots
            .iter()
            .flatten()
            .flat_map(|process| {
                let sleep = match process.state {
                    State::Blocked(Block::Sleep { until_ns }) => Some(until_ns),
                    _ => None,
                };
                sleep.into_iter().chain(process.alarm_ns)
            })
            .min()
    }

    /// The highest rank among runnable processes.
    fn best_runnable_rank(&self) -> Option<i32> {
        self.slots
            .iter()
            .flatten()
            .filter(|p| p.state == State::Runnable)
            .map(|p| self.rank(p.pid))
            .max()
    }

    /// Wakes sleepers whose deadline passed, then picks the next runnable
    /// slot of the highest rank, round robin after the last one picked,
    /// marking it running.
    pub fn pick_next(&mut self, now_ns: u64) -> Option<usize> {
        crate::alarm::fire_due(self, now_ns);
        self.wake_sleepers(now_ns);
        let best = self.best_runnable_rank()?;
        let slot = (1..=MAX_PROCESSES)
            .map(|step| (self.last_picked + step) % MAX_PROCESSES)
            .find(|&slot| {
                matches!(&self.slots[slot], Some(p)
                    if p.state == State::Runnable && self.rank(p.pid) == best)
            })?;
        self.last_picked = slot;
        self.current = Some(slot);
        self.slots[slot].as_mut()?.state = State::Running;
        Some(slot)
    }

    /// At a timer tick: whether the running process should give up the
    /// CPU (SCHED_OTHER always; SCHED_RR at the end of its slice; either
    /// real-time policy when a higher rank is runnable).
    pub fn tick_wants_switch(&mut self, now_ns: u64) -> bool {
        crate::alarm::fire_due(self, now_ns);
        self.wake_sleepers(now_ns);
        let Some(slot) = self.current else {
            return false;
        };
        let Some(pid) = self.slots[slot].as_ref().map(|p| p.pid) else {
            return false;
        };
        let policy = self
            .system
            .as_ref()
            .and_then(|system| system.process(pid).ok())
            .map_or(SchedPolicy::Other, |p| p.sched.policy);
        let mine = self.rank(pid);
        let higher = self.best_runnable_rank().is_some_and(|best| best > mine);
        match policy {
            SchedPolicy::Other => true,
            SchedPolicy::Fifo => higher,
            SchedPolicy::RoundRobin => {
                let Some(process) = self.slots[slot].as_mut() else {
                    return false;
                };
                process.slice_left = process.slice_left.saturating_sub(1);
                if process.slice_left == 0 {
                    process.slice_left = scheduler::RR_SLICE_TICKS;
                    true
                } else {
                    higher
                }
            }
        }
    }

    /// Makes a process blocked for `block` runnable again.
    pub fn wake(&mut self, pid: i32, block: Block) {
        if let Some(process) = self.by_pid(pid) {
            if process.state == State::Blocked(block) {
                process.state = State::Runnable;
            }
        }
    }

    /// Makes every process blocked for `block` runnable (they recheck
    /// their condition).
    pub fn wake_all(&mut self, block: Block) {
        for process in self.processes() {
            if process.state == State::Blocked(block) {
                process.state = State::Runnable;
            }
        }
    }

    /// Wakes `pid` if a signal is now deliverable to it and it is in an
    /// interruptible wait.
    pub fn wake_for_signal(&mut self, pid: i32) {
        let deliverable = self.has_deliverable(pid);
        if let Some(process) = self.by_pid(pid) {
            if deliverable && process.interruptibly_blocked() {
                process.state = State::Runnable;
            }
        }
    }

    /// Whether `pid` has a pending signal it does not block.
    pub fn has_deliverable(&mut self, pid: i32) -> bool {
        self.system()
            .process(pid)
            .is_ok_and(|p| p.signals.has_deliverable())
    }

    /// The process group of `pid` (0 if unknown).
    pub fn pgid_of(&mut self, pid: i32) -> i32 {
        self.system().process(pid).map_or(0, |p| p.pgid())
    }
}

/// Pid of the running process (0 outside process context).
pub fn current_pid() -> i32 {
    let mut table = table();
    match table.current {
        Some(_) => table.current_mut().pid,
        None => 0,
    }
}

/// Whether the running process has a signal to act on (a blocking call
/// then gives up with EINTR).
pub fn signal_interrupts(table: &mut Table) -> bool {
    let pid = table.current_mut().pid;
    table.has_deliverable(pid)
}

/// Blocks the running process for `block` until woken. Returns `Err(EINTR)`
/// if it was woken (or is about to block) with a signal to deliver and the
/// wait is interruptible.
pub fn block_current(mut table: MutexGuard<'static, Table>, block: Block) -> Result<(), Errno> {
    if block.interruptible() && signal_interrupts(&mut table) {
        return Err(Errno::EINTR);
    }
    table.current_mut().state = State::Blocked(block);
    drop(table);
    scheduler::block();
    let mut table = crate::process::table();
    if block.interruptible() && signal_interrupts(&mut table) {
        return Err(Errno::EINTR);
    }
    Ok(())
}

/// Ends the running process with `how`: closes its descriptors, frees its
/// memory, hands its children to init, tells its parent, and never
/// returns. `notify` false (a failed default-mode spawn) sends no SIGCHLD
/// and hides the zombie from `wait4`: the spawning parent reaps it.
pub fn exit_current(how: Termination) -> ! {
    exit_current_with(how, true)
}

/// [`exit_current`], choosing whether the parent is told.
pub fn exit_current_with(how: Termination, notify: bool) -> ! {
    let mut table = table();
    let slot = table.current.expect("exit outside process context");
    let (process, system) = table.current_and_system();
    let pid = process.pid;
    let parent = process.parent;
    process.state = State::Zombie(how);
    process.hidden = !notify;
    process.start = None;
    let space = process.space.take();
    let _ = system.exit(pid);
    // The address space is live: leave it before freeing it. The kernel
    // stack and code are in the shared kernel map.
    scheduler::load_kernel_address_space();
    drop(space);
    if pid == INIT_PID {
        klog!("init exited ({how:?}): powering off with failure");
        crate::qemu_exit::exit_qemu(crate::qemu_exit::ExitCode::Failure);
    }
    let mut orphan_zombie = false;
    for child in table.processes() {
        if child.parent == pid {
            child.parent = INIT_PID;
            orphan_zombie |= matches!(child.state, State::Zombie(_)) && !child.hidden;
        }
    }
    if orphan_zombie {
        table.wake(INIT_PID, Block::Child);
    }
    if notify {
        table.wake(parent, Block::Child);
        crate::signal_delivery::send_from_kernel(&mut table, parent, SIGCHLD, pid, how);
    }
    // Wakes pipe ends this process held (its descriptors just closed).
    table.wake_all(Block::Pipe);
    drop(table);
    context::leave_slot(slot);
    unreachable!("a zombie was scheduled");
}

/// Which children `wait4` accepts: any (-1), one pid (> 0), the caller's
/// group (0) or group `-wanted` (< -1).
fn matches_child(wanted: i32, my_pgid: i32, child_pid: i32, child_pgid: i32) -> bool {
    match wanted {
        -1 => true,
        0 => child_pgid == my_pgid,
        w if w > 0 => child_pid == w,
        w => child_pgid == w.wrapping_neg(),
    }
}

/// `wait4(pid, status, options, rusage)`.
///
/// # Errors
///
/// `ECHILD` with no matching child, `EINVAL` for unknown options, `EFAULT`
/// for a bad `status` or `rusage` pointer (the child is not reaped then),
/// `EINTR` when a signal arrives while it waits.
pub fn wait4(wanted: i32, status: u64, options: i32, rusage: u64) -> Result<i32, Errno> {
    if options & !(WNOHANG | WAIT_IGNORED_OPTIONS) != 0 || wanted == i32::MIN {
        return Err(Errno::EINVAL);
    }
    loop {
        let mut table = table();
        let my_pid = table.current_mut().pid;
        let my_pgid = table.pgid_of(my_pid);
        let mut any_child = false;
        let mut zombie = None;
        let system = table.system.as_ref().expect("system not initialised");
        for (slot, child) in table.slots.iter().enumerate() {
            let Some(child) = child else { continue };
            let child_pgid = system.process(child.pid).map_or(0, |p| p.pgid());
            if child.parent != my_pid
                || child.hidden
                || !matches_child(wanted, my_pgid, child.pid, child_pgid)
            {
                continue;
            }
            any_child = true;
            if let State::Zombie(how) = child.state {
                zombie = Some((slot, child.pid, how));
                break;
            }
        }
        if !any_child {
            return Err(Errno::ECHILD);
        }
        if let Some((slot, pid, how)) = zombie {
            let space = table.current_mut().space.as_mut().ok_or(Errno::EFAULT)?;
            if status != 0 {
                crate::usercopy::write_value(space, status, &how.wait_status())?;
            }
            if rusage != 0 {
                crate::usercopy::copy_to_user(space, rusage, &[0; RUSAGE_SIZE])?;
            }
            table.slots[slot] = None;
            let _ = table.system().reap(pid);
            return Ok(pid);
        }
        if options & WNOHANG != 0 {
            return Ok(0);
        }
        if let Err(errno) = block_current(table, Block::Child) {
            table_mark_restartable();
            return Err(errno);
        }
    }
}

/// Marks the running call as restartable after an SA_RESTART handler.
pub fn table_mark_restartable() {
    table().current_mut().restartable = true;
}

/// Handles a user page fault at `address` in the stack region by mapping a
/// zeroed page. Returns false if the fault is a real error.
pub fn grow_stack(address: u64) -> bool {
    use crate::memory::user_layout::{STACK_BOTTOM, STACK_TOP};
    use shim_core::frames::FRAME_SIZE;
    if !(STACK_BOTTOM..STACK_TOP).contains(&address) {
        return false;
    }
    let mut table = table();
    let Some(space) = table.current_mut().space.as_mut() else {
        return false;
    };
    let page = address & !(FRAME_SIZE - 1);
    if space.translate(page).is_some() {
        return false; // present: a protection fault, not growth
    }
    let access = crate::memory::paging::Access {
        writable: true,
        executable: false,
    };
    space.map(page, access).is_ok()
}
