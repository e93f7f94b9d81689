//! Scheduling of the process table on one CPU: real-time policies first, then round robin.
//!
//! The scheduler runs on the boot stack in the kernel's own address space.
//! It picks the next runnable slot ([`crate::process::Table::pick_next`]:
//! the highest rank wins, SCHED_FIFO and SCHED_RR ranking by priority
//! 1..=99 above SCHED_OTHER's 0, round robin among equals), loads its
//! address space, kernel stack and FS base, and switches to it; the
//! process switches back when it is preempted by the timer, yields,
//! blocks or exits. At a timer tick a SCHED_OTHER process always yields,
//! a SCHED_RR one when its [`RR_SLICE_TICKS`] slice is used up, and a
//! SCHED_FIFO one never (only to a higher rank). With nothing runnable
//! the CPU halts until the next interrupt. The kernel runs with interrupts
//! disabled except in that halt, so no lock is ever taken by an interrupt
//! handler while held.

use crate::{boot, context, gdt, irq_off, process, syscall, time};
use x86_64::instructions::interrupts;
use x86_64::registers::control::{Cr3, Cr3Flags};
use x86_64::registers::model_specific::FsBase;
use x86_64::structures::paging::PhysFrame;
use x86_64::{PhysAddr, VirtAddr};

fn load_cr3(pml4: u64) {
    let frame = PhysFrame::containing_address(PhysAddr::new(pml4));
    // SAFETY: `pml4` is either the kernel's PML4 or a process's, and every
    // PML4 maps the kernel (code, data, stacks) identically.
    unsafe { Cr3::write(frame, Cr3Flags::empty()) };
}

/// Switches to the page tables at `pml4` (a process's new image).
pub fn load_address_space(pml4: u64) {
    load_cr3(pml4);
}

/// Ticks a SCHED_RR process runs before others of its priority get a turn.
pub const RR_SLICE_TICKS: u32 = 10;

/// The timer ticked while the running process was in user mode: gives up
/// the CPU if its policy says so.
pub fn tick() {
    let should_yield = {
        let mut table = process::table();
        let now = time::now_ns();
        table.tick_wants_switch(now)
    };
    if should_yield {
        preempt();
    }
}

/// Switches to the kernel's own page tables.
pub fn load_kernel_address_space() {
    load_cr3(boot::kernel_pml4_address());
}

/// The scheduler loop. Never returns.
pub fn run() -> ! {
    loop {
        interrupts::disable();
        let (picked, due_before_tick) = {
            let mut table = process::table();
            let now = time::now_ns();
            let picked = table.pick_next(now).and_then(|slot| {
                let process = table.slot_mut(slot)?;
                process.turn_started_ns = now;
                // A spawned child runs its first part in the kernel's map.
                let pml4 = process
                    .space
                    .as_ref()
                    .map_or_else(boot::kernel_pml4_address, |space| space.pml4_address());
                Some((slot, pml4, process.fs_base))
            });
            let due = if picked.is_none() {
                table
                    .next_deadline()
                    .filter(|&deadline| deadline.saturating_sub(now) < time::TICK_NS)
            } else {
                None
            };
            (picked, due)
        };
        let Some((slot, pml4, fs_base)) = picked else {
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
        let stack_top = context::kernel_stack_top(slot);
        gdt::set_kernel_stack(stack_top);
        syscall::set_kernel_stack(stack_top);
        FsBase::write(VirtAddr::new_truncate(fs_base));
        load_cr3(pml4);
        context::run_slot(slot);
        load_kernel_address_space();
        let now = time::now_ns();
        let mut table = process::table();
        table.current = None;
        if let Some(process) = table.slot_mut(slot) {
            let turn = now.saturating_sub(process.turn_started_ns);
            process.cpu_ns = process.cpu_ns.saturating_add(turn);
            if process.state == process::State::Running {
                process.state = process::State::Runnable;
            }
        }
    }
}

/// Gives up the CPU from process context after the caller has set the
/// process's state (blocked or runnable). Returns when it runs again.
pub fn block() {
    let slot = process::table().current.expect("block outside a process");
    context::leave_slot(slot);
}

/// Gives up the rest of the time slice (timer preemption, `sched_yield`).
pub fn preempt() {
    block();
}
