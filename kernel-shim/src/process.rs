//! The process table: slots, pids, parents, exit, wait and kill.
//!
//! A fixed array of [`MAX_PROCESSES`] slots behind one lock. A process keeps
//! its slot from spawn until its parent reaps it; its memory is released as
//! soon as it exits, so a zombie costs only its slot. Orphans are handed to
//! init (pid 1), which also reaps them.

use crate::memory::paging::AddressSpace;
use crate::wait_status::{default_action_keeps_running, Termination};
use crate::{context, scheduler};
use libspawn::Errno;
use spin::{Mutex, MutexGuard};

/// Slots in the process table.
pub const MAX_PROCESSES: usize = 64;
/// The pid of init, which adopts orphans.
pub const INIT_PID: i32 = 1;
use libspawn::abi::wait::WNOHANG;
/// `wait4` options accepted and ignored (no stopped or continued children
/// exist here): WUNTRACED, WCONTINUED, __WALL, __WCLONE.
const WAIT_IGNORED_OPTIONS: i32 = 2 | 8 | 0x4000_0000 | i32::MIN;
/// Size of Linux's `struct rusage`, zero-filled by `wait4`.
const RUSAGE_SIZE: usize = 144;
/// Highest signal number.
const MAX_SIGNAL: i32 = libspawn::abi::NSIG;

/// What a process is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Ready to run.
    Runnable,
    /// On the CPU.
    Running,
    /// Blocked in `wait4` until a child changes state.
    Waiting,
    /// Blocked in `nanosleep` until the monotonic clock reaches this.
    Sleeping {
        /// Deadline in nanoseconds of the monotonic clock.
        until_ns: u64,
    },
    /// Exited, waiting to be reaped.
    Zombie(Termination),
}

/// One process.
pub struct Process {
    /// Process id (never reused while the kernel runs).
    pub pid: i32,
    /// Parent's pid (0 for init).
    pub parent: i32,
    /// Scheduling state.
    pub state: State,
    /// The address space; `None` once the process has exited.
    pub space: Option<AddressSpace>,
    /// A pending fatal signal, acted on before the process returns to user
    /// mode.
    pub killed: Option<i32>,
    /// Start of the program break region (end of the image).
    pub brk_start: u64,
    /// Current program break.
    pub brk: u64,
    /// Next address anonymous `mmap` hands out.
    pub mmap_next: u64,
    /// The FS segment base (thread pointer), restored on every switch.
    pub fs_base: u64,
}

/// The table and the scheduler's cursor.
pub struct Table {
    slots: [Option<Process>; MAX_PROCESSES],
    next_pid: i32,
    /// Slot of the running process.
    pub current: Option<usize>,
    /// Slot most recently picked (round-robin cursor).
    last_picked: usize,
}

static TABLE: Mutex<Table> = Mutex::new(Table {
    slots: [const { None }; MAX_PROCESSES],
    next_pid: INIT_PID,
    current: None,
    last_picked: MAX_PROCESSES - 1,
});

/// Locks the process table. Never hold the guard across a context switch.
pub fn table() -> MutexGuard<'static, Table> {
    TABLE.lock()
}

impl Table {
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

    fn slot_of(&self, pid: i32) -> Option<usize> {
        self.slots
            .iter()
            .position(|slot| slot.as_ref().is_some_and(|p| p.pid == pid))
    }

    /// Puts a new runnable process in `slot` and returns its pid.
    pub fn insert(&mut self, slot: usize, parent: i32, image: crate::loader::LoadedImage) -> i32 {
        let pid = self.next_pid;
        self.next_pid += 1;
        context::prepare_user_entry(slot, image.entry, image.stack_pointer);
        self.slots[slot] = Some(Process {
            pid,
            parent,
            state: State::Runnable,
            space: Some(image.space),
            killed: None,
            brk_start: image.brk_start,
            brk: image.brk_start,
            mmap_next: crate::memory::user_layout::MMAP_BASE,
            fs_base: 0,
        });
        pid
    }

    /// Wakes sleepers whose deadline passed, then picks the next runnable
    /// slot after the last one picked, marking it running.
    pub fn pick_next(&mut self, now_ns: u64) -> Option<usize> {
        for process in self.slots.iter_mut().flatten() {
            if let State::Sleeping { until_ns } = process.state {
                if now_ns >= until_ns {
                    process.state = State::Runnable;
                }
            }
        }
        let slot = (1..=MAX_PROCESSES)
            .map(|step| (self.last_picked + step) % MAX_PROCESSES)
            .find(|&slot| matches!(&self.slots[slot], Some(p) if p.state == State::Runnable))?;
        self.last_picked = slot;
        self.current = Some(slot);
        self.slots[slot].as_mut()?.state = State::Running;
        Some(slot)
    }

    fn wake_if_waiting(&mut self, pid: i32) {
        if let Some(slot) = self.slot_of(pid) {
            if let Some(process) = self.slots[slot].as_mut() {
                if process.state == State::Waiting {
                    process.state = State::Runnable;
                }
            }
        }
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

/// Ends the running process with `how`: frees its memory, hands its
/// children to init, wakes its parent, and never returns.
pub fn exit_current(how: Termination) -> ! {
    let mut table = table();
    let slot = table.current.expect("exit outside process context");
    let process = table.current_mut();
    let pid = process.pid;
    let parent = process.parent;
    process.state = State::Zombie(how);
    let space = process.space.take();
    // The address space is live: leave it before freeing it. The kernel
    // stack and code are in the shared kernel map.
    scheduler::load_kernel_address_space();
    drop(space);
    if pid == INIT_PID {
        klog!("init exited ({how:?}): powering off with failure");
        crate::qemu_exit::exit_qemu(crate::qemu_exit::ExitCode::Failure);
    }
    let mut orphan_zombie = false;
    for child in table.slots.iter_mut().flatten() {
        if child.parent == pid {
            child.parent = INIT_PID;
            orphan_zombie |= matches!(child.state, State::Zombie(_));
        }
    }
    if orphan_zombie {
        table.wake_if_waiting(INIT_PID);
    }
    table.wake_if_waiting(parent);
    drop(table);
    context::leave_slot(slot);
    unreachable!("a zombie was scheduled");
}

/// Exits the running process if a fatal signal is pending for it.
pub fn exit_if_killed() {
    let killed = table().current_mut().killed;
    if let Some(signal) = killed {
        exit_current(Termination::Killed(signal));
    }
}

/// Which children `wait4` accepts.
fn matches_child(wanted: i32, child: &Process) -> bool {
    // pid 0 and pid < -1 name process groups; every process is in one
    // group here, so they mean "any child", like -1.
    wanted <= 0 || child.pid == wanted
}

/// `wait4(pid, status, options, rusage)`.
///
/// # Errors
///
/// `ECHILD` with no matching child, `EINVAL` for unknown options, `EFAULT`
/// for a bad `status` or `rusage` pointer (the child is not reaped then).
pub fn wait4(wanted: i32, status: u64, options: i32, rusage: u64) -> Result<i32, Errno> {
    if options & !(WNOHANG | WAIT_IGNORED_OPTIONS) != 0 {
        return Err(Errno::EINVAL);
    }
    loop {
        let mut table = table();
        let me = table.current_mut().pid;
        let mut any_child = false;
        let mut zombie = None;
        for (slot, child) in table.slots.iter().enumerate() {
            let Some(child) = child else { continue };
            if child.parent != me || !matches_child(wanted, child) {
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
            return Ok(pid);
        }
        if options & WNOHANG != 0 {
            return Ok(0);
        }
        table.current_mut().state = State::Waiting;
        drop(table);
        scheduler::block();
        exit_if_killed();
    }
}

/// `kill(pid, signal)`: every other signal terminates its target, as the
/// default action does (there are no handlers yet).
///
/// # Errors
///
/// `EINVAL` for a bad signal or a process-group target (`pid <= 0`),
/// `ESRCH` for no such process.
pub fn kill(pid: i32, sig: i32) -> Result<(), Errno> {
    if !(0..=MAX_SIGNAL).contains(&sig) || pid <= 0 {
        return Err(Errno::EINVAL);
    }
    let mut table = table();
    let slot = table.slot_of(pid).ok_or(Errno::ESRCH)?;
    let target = table.slots[slot].as_mut().ok_or(Errno::ESRCH)?;
    if sig == 0 || default_action_keeps_running(sig) || matches!(target.state, State::Zombie(_)) {
        return Ok(());
    }
    if target.killed.is_none() {
        target.killed = Some(sig);
    }
    if matches!(target.state, State::Waiting | State::Sleeping { .. }) {
        target.state = State::Runnable;
    }
    Ok(())
}

/// Handles a user page fault at `address` in the stack region by mapping a
/// zeroed page. Returns false if the fault is a real error.
pub fn grow_stack(address: u64) -> bool {
    use crate::memory::frames::FRAME_SIZE;
    use crate::memory::user_layout::{STACK_BOTTOM, STACK_TOP};
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
