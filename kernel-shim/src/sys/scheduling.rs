//! Scheduling of the process table on one CPU: the switch, blocking, and
//! the scheduling system calls.
//!
//! The scheduler ([`run`]) runs on the boot stack in the kernel's own
//! address space. [`shim_core::System::pick_next`] chooses the next
//! process (real-time policies first, then round robin; see
//! `shim_core::system` for the rules, including when a timer tick
//! preempts); the scheduler loads its address space, kernel stack and FS
//! base, and switches to it: a new process starts with the first-run entry
//! `main.rs` passes to [`run`] (`spawn_child::child_entry`, through
//! `context::start_slot`), any other resumes where it left the CPU. The
//! process switches back when it is preempted by the timer ([`preempt`]),
//! yields, blocks ([`block_current`]: [`shim_core::System::block`], woken
//! by the `wake` methods there) or exits. With nothing runnable the CPU
//! halts until the next interrupt. The kernel runs with interrupts
//! disabled except in that halt, so no lock is ever taken by an interrupt
//! handler while held.
//!
//! ## The scheduling system calls
//!
//! sched_setparam, sched_getparam, sched_setscheduler, sched_getscheduler,
//! sched_get_priority_min/max, sched_rr_get_interval, sched_getaffinity,
//! getpriority and setpriority (the nice value: stored, inherited and
//! reported, not used by the scheduler).
//!
//! `struct sched_param` is one `int` (the priority). pid 0 is the caller.
//! Validation and privilege (EINVAL, EPERM, ESRCH) are
//! [`shim_core::System`]'s; the scheduler (above) reads the
//! result on its next pick, and a change yields the CPU so that a process
//! that lost priority gives way at once.
#![forbid(unsafe_code)]

use crate::arch::{boot, context, irq_off, profile, time, trap};
use crate::mm::usercopy;
use crate::sys::process::{self, Block, Table};
use libspawn::Errno;
use shim_abi::{Phase, Timespec};
use shim_core::process::MAX_PROCESSES;
use spin::MutexGuard;
use x86_64::instructions::interrupts;
use x86_64::registers::model_specific::FsBase;
use x86_64::VirtAddr;

/// The timer ticked while the running process was in user mode: gives up
/// the CPU if its policy says so.
pub fn tick() {
    let should_yield = {
        let mut table = process::table();
        let now = time::now_ns();
        match table.current {
            Some(_) => {
                let pid = table.current_mut().pid;
                table.system().tick(pid, now)
            }
            None => false,
        }
    };
    if should_yield {
        preempt();
    }
}

/// The scheduler loop: runs the processes, starting each new one with
/// `entry` (the child side of spawn, which `main.rs` passes) on its own
/// kernel stack. Never returns.
pub fn run(entry: context::FirstRun) -> ! {
    let mut idle = IdleWatch::default();
    loop {
        interrupts::disable();
        let (picked, due_before_tick) = {
            let mut table = process::table();
            let now = time::now_ns();
            let picked = table.system().pick_next(now).and_then(|pick| {
                let machine = table.slot_mut(pick.slot)?;
                // A spawned child runs its first part in the kernel's map.
                let pml4 = machine
                    .space
                    .as_ref()
                    .map_or_else(boot::kernel_pml4_address, |space| space.pml4_address());
                let fs_base = machine.fs_base;
                table.current = Some(pick.slot);
                profile::running(pick.pid);
                Some((pick, pml4, fs_base))
            });
            let due = if picked.is_none() {
                let deadline = table.system().next_deadline();
                idle.nothing_runnable(&mut table, now, deadline);
                deadline.filter(|&deadline| deadline.saturating_sub(now) < time::TICK_NS)
            } else {
                idle.ran();
                None
            };
            (picked, due)
        };
        let Some((pick, pml4, fs_base)) = picked else {
            match due_before_tick {
                // A sleeper or an alarm is due before the next tick, which
                // would see it up to a tick late (a 100 µs nanosleep would
                // take a millisecond): wait for the deadline itself,
                // letting interrupts in between two looks at the clock.
                Some(deadline) => {
                    while time::now_ns() < deadline {
                        irq_off::window();
                    }
                }
                // Nothing to run: sleep until the next interrupt (the timer
                // wakes sleepers at least every tick).
                None => irq_off::halt(),
            }
            continue;
        };
        let stack_top = context::kernel_stack_top(pick.slot);
        trap::set_kernel_stack(stack_top);
        FsBase::write(VirtAddr::new_truncate(fs_base));
        context::load_address_space(pml4);
        if pick.first_run {
            context::start_slot(pick.slot, entry);
        } else {
            context::run_slot(pick.slot);
        }
        context::load_kernel_address_space();
        let now = time::now_ns();
        let mut table = process::table();
        table.current = None;
        table.system().end_turn(pick.pid, now);
    }
}

/// How long nothing may have been runnable before the scheduler describes
/// every process in the kernel log: 10 s.
const STALL_REPORT_NS: u64 = 10_000_000_000;
/// Nanoseconds in a second, for the report.
const NS_PER_S: u64 = 1_000_000_000;

/// Watches for a stall: no process runnable, for [`STALL_REPORT_NS`] or
/// more. The scheduler then logs each process and what it waits for, and
/// the next timer, once per stall: what a hung `x.py run` or test boot
/// needs explained (`build/kernel.log`). A long sleep is reported too;
/// the report is a description, not an error.
#[derive(Default)]
struct IdleWatch {
    /// When the current stretch with nothing runnable began.
    since_ns: Option<u64>,
    /// Whether this stretch has been reported.
    reported: bool,
}

impl IdleWatch {
    /// A process was picked: any stall is over.
    fn ran(&mut self) {
        self.since_ns = None;
        self.reported = false;
    }

    /// Nothing was runnable at `now`; `deadline` is the next sleeper's or
    /// alarm's, if any.
    fn nothing_runnable(&mut self, table: &mut Table, now: u64, deadline: Option<u64>) {
        let since = *self.since_ns.get_or_insert(now);
        if self.reported || now.saturating_sub(since) < STALL_REPORT_NS {
            return;
        }
        self.reported = true;
        match deadline {
            Some(deadline) => crate::klog!(
                "scheduler: {} s after boot, nothing runnable for {} s; the next timer is due in {} s",
                now / NS_PER_S,
                STALL_REPORT_NS / NS_PER_S,
                deadline.saturating_sub(now) / NS_PER_S
            ),
            None => crate::klog!(
                "scheduler: {} s after boot, nothing runnable for {} s and no timer set",
                now / NS_PER_S,
                STALL_REPORT_NS / NS_PER_S
            ),
        }
        let mut slots = [(0, 0); MAX_PROCESSES];
        for (entry, process) in slots.iter_mut().zip(table.system().processes()) {
            *entry = (process.pid(), process.slot());
        }
        for (pid, slot) in slots.into_iter().filter(|&(pid, _)| pid != 0) {
            let syscall = table.slot_mut(slot).map_or(0, |machine| machine.syscall);
            let Ok(process) = table.system().process(pid) else {
                continue;
            };
            crate::klog!(
                "scheduler:   pid {} parent {} group {}: {:?} (last system call {}), alarm {:?} ns, signals pending {:?} blocked {:?}",
                process.pid(),
                process.ppid(),
                process.pgid(),
                process.state(),
                syscall,
                process.alarm_ns(),
                process.signals.pending(),
                process.signals.mask()
            );
        }
    }
}

/// Gives up the rest of the time slice (timer preemption, `sched_yield`);
/// returns when the process runs again.
pub fn preempt() {
    let slot = process::table().current.expect("preempt outside a process");
    profile::mark(Phase::Switch);
    context::leave_slot(slot);
    profile::resumed_in_kernel();
}

/// Blocks the running process for `block` until woken. Returns `Err(EINTR)`
/// if it was woken (or is about to block) with a signal to deliver and the
/// wait is interruptible.
pub fn block_current(mut table: MutexGuard<'static, Table>, block: Block) -> Result<(), Errno> {
    let pid = table.current_mut().pid;
    table.system().block(pid, block)?;
    let slot = table.current.expect("block outside a process");
    drop(table);
    profile::mark(Phase::Switch);
    context::leave_slot(slot);
    profile::mark(Phase::Wake);
    process::table().system().check_interrupted(pid, block)
}

/// A pid argument: `pid_t` is an `int`.
fn pid_arg(value: u64) -> i32 {
    value as i32
}

/// Reads `struct sched_param` (EINVAL for NULL, EFAULT for a bad pointer).
fn read_param(param: u64) -> Result<i32, Errno> {
    if param == 0 {
        return Err(Errno::EINVAL);
    }
    let mut table = process::table();
    let space = table.caller()?.space;
    usercopy::read_value::<i32>(space, param)
}

/// `sched_setscheduler(pid, policy, param)`.
///
/// # Errors
///
/// `EINVAL`, `EPERM`, `ESRCH`, `EFAULT`.
pub fn sched_setscheduler(pid: u64, policy: u64, param: u64) -> Result<u64, Errno> {
    let priority = read_param(param)?;
    {
        let mut table = process::table();
        let caller = table.current_mut().pid;
        table
            .system()
            .sched_setscheduler(caller, pid_arg(pid), policy as i32, priority)?;
    }
    preempt();
    Ok(0)
}

/// `sched_setparam(pid, param)`.
///
/// # Errors
///
/// `EINVAL`, `EPERM`, `ESRCH`, `EFAULT`.
pub fn sched_setparam(pid: u64, param: u64) -> Result<u64, Errno> {
    let priority = read_param(param)?;
    {
        let mut table = process::table();
        let caller = table.current_mut().pid;
        table
            .system()
            .sched_setparam(caller, pid_arg(pid), priority)?;
    }
    preempt();
    Ok(0)
}

/// `sched_getscheduler(pid)`.
///
/// # Errors
///
/// `EINVAL` (negative pid), `ESRCH`.
pub fn sched_getscheduler(pid: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let caller = table.current_mut().pid;
    Ok(table.system().sched_getscheduler(caller, pid_arg(pid))? as u64)
}

/// `sched_getparam(pid, param)`.
///
/// # Errors
///
/// `EINVAL`, `ESRCH`, `EFAULT`.
pub fn sched_getparam(pid: u64, param: u64) -> Result<u64, Errno> {
    if param == 0 {
        return Err(Errno::EINVAL);
    }
    let mut table = process::table();
    let caller = table.current_mut().pid;
    let priority = table.system().sched_getparam(caller, pid_arg(pid))?;
    let space = table.caller()?.space;
    usercopy::write_value(space, param, &priority)?;
    Ok(0)
}

/// `sched_rr_get_interval(pid, tp)` (sched_rr_get_interval(2)): the time
/// slice of process `pid` (0: the caller): [`shim_core::system::RR_SLICE_TICKS`]
/// ticks for SCHED_RR, one tick for SCHED_OTHER, 0 for SCHED_FIFO.
///
/// # Errors
///
/// `EINVAL` for a negative pid, `ESRCH` for no such process, `EFAULT` for a
/// bad `tp`.
pub fn sched_rr_get_interval(pid: u64, out: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let caller = table.current_mut().pid;
    let ticks = table
        .system()
        .sched_rr_interval_ticks(caller, pid_arg(pid))?;
    let slice_ns = u64::from(ticks) * time::TICK_NS;
    usercopy::write_value(table.caller()?.space, out, &Timespec::from_ns(slice_ns))?;
    Ok(0)
}

/// `sched_get_priority_max(policy)`.
///
/// # Errors
///
/// `EINVAL` for an unknown policy.
pub fn sched_get_priority_max(policy: u64) -> Result<u64, Errno> {
    Ok(shim_core::sched::priority_max(policy as i32)? as u64)
}

/// `sched_get_priority_min(policy)`.
///
/// # Errors
///
/// `EINVAL` for an unknown policy.
pub fn sched_get_priority_min(policy: u64) -> Result<u64, Errno> {
    Ok(shim_core::sched::priority_min(policy as i32)? as u64)
}

/// Bytes of the CPU mask `sched_getaffinity` writes: one `unsigned long`
/// (the kernel has one CPU).
const CPU_MASK_BYTES: u64 = 8;
/// The mask: CPU 0 only.
const ONLY_CPU_ZERO: u64 = 1;

/// `sched_getaffinity(pid, size, mask)` (sched_getaffinity(2)): the CPUs
/// process `pid` (0: the caller) may run on: CPU 0, the only one. Writes
/// one 8-byte mask word and returns its size, 8 (the raw call's contract;
/// the C library clears the rest of the caller's set).
///
/// # Errors
///
/// `EINVAL` for a `size` below 8 or not a multiple of 8, `ESRCH` for no
/// such process, `EFAULT` for a bad `mask`.
pub fn sched_getaffinity(pid: u64, size: u64, mask: u64) -> Result<u64, Errno> {
    if size < CPU_MASK_BYTES || !size.is_multiple_of(CPU_MASK_BYTES) {
        return Err(Errno::EINVAL);
    }
    let pid = pid_arg(pid);
    let mut table = process::table();
    let caller = table.caller()?;
    if pid < 0 {
        return Err(Errno::ESRCH);
    }
    caller
        .system
        .process(if pid == 0 { caller.pid } else { pid })?;
    usercopy::write_value(caller.space, mask, &ONLY_CPU_ZERO)?;
    Ok(CPU_MASK_BYTES)
}

/// `getpriority(which, who)` (getpriority(2)): the nice value of the
/// process (PRIO_PROCESS), process group (PRIO_PGRP) or user's processes
/// (PRIO_USER) `who` names (0: the caller, its group, its real uid); for
/// several, the lowest. The raw call returns `20 - nice` (1..=40), Linux's
/// convention, which musl's `getpriority` turns back into the nice value.
///
/// # Errors
///
/// `EINVAL` for an unknown `which`, `ESRCH` when no process matches.
pub fn getpriority(which: u64, who: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let caller = table.current_mut().pid;
    let raw = table
        .system()
        .getpriority(caller, which as i32, pid_arg(who))?;
    Ok(raw as u64)
}

/// `setpriority(which, who, prio)` (setpriority(2)): sets the nice value,
/// clamped to -20..=19, of the processes `which` and `who` name (as
/// [`getpriority`]). The scheduler does not use it (SCHED_OTHER is round
/// robin whatever the nice value); it is kept, inherited by spawned
/// children and kept across `execve`.
///
/// # Errors
///
/// `EINVAL` for an unknown `which`; `ESRCH` when no process matches;
/// `EPERM` when the caller is not root and its effective uid is neither the
/// target's real nor effective uid; `EACCES` for a lower nice value
/// without root (RLIMIT_NICE is 0). A group or user change applies to the
/// processes allowed and reports the last refusal, as Linux does.
pub fn setpriority(which: u64, who: u64, prio: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let caller = table.current_mut().pid;
    table
        .system()
        .setpriority(caller, which as i32, pid_arg(who), prio as i32)?;
    Ok(0)
}
