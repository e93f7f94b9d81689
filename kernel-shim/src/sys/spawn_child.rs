//! The child's side of `posix_spawn` (the parent's is [`super::spawn`]):
//! every new process starts in [`child_entry`] on its own kernel stack
//! (the scheduler passes it to `context::start_slot`), where
//! [`System::spawn_apply`] runs the executor, close-on-exec and the image
//! lookup with the kernel's [`loader`]; `child_entry` then acts on pending
//! signals and returns, and the process enters user mode through the frame
//! it filled, or it ends with status 127.
#![forbid(unsafe_code)]

use crate::arch::profile;
use crate::arch::trap::TrapFrame;
use crate::mm::loader;
use crate::sys::process::{self, INIT_PID};
use crate::sys::signals;
use libspawn::Errno;
use shim_abi::{Phase, SPAWN_FAILURE_STATUS};
use shim_core::wait_status::Termination;
#[cfg(doc)]
use shim_core::System;

/// Step 2 in the running new process: [`System::spawn_apply`] with the
/// kernel's loader; on success installs the image and sets the entry point
/// and stack pointer in `frame`. Returns the image's PML4 address.
fn start_image(frame: &mut TrapFrame) -> Result<u64, Errno> {
    profile::mark(Phase::Executor);
    let mut table = process::table();
    let (machine, system) = table.current_and_system();
    let loaded = system.spawn_apply(machine.pid, loader::load)?;
    frame.rip = loaded.entry;
    frame.rsp = loaded.stack_pointer;
    drop(machine.install_image(loaded));
    machine
        .space
        .as_ref()
        .map(|space| space.pml4_address())
        .ok_or(Errno::ESRCH)
}

/// Where every new process starts, on its own kernel stack (the scheduler
/// passes it to `context::start_slot` on the process's first turn, as a
/// `context::FirstRun`): step 2 of `posix_spawn` and pending signals, then
/// returns the PML4 to enter user mode with through `frame`; ends the
/// process with exit status 127 if the spawn failed.
pub extern "C" fn child_entry(frame: &mut TrapFrame) -> u64 {
    match start_image(frame) {
        Ok(pml4) => {
            signals::deliver_pending(frame);
            pml4
        }
        Err(errno) => {
            if process::current_pid() == INIT_PID {
                klog!("cannot start init: {errno:?}");
            }
            process::exit_current(Termination::Exited(SPAWN_FAILURE_STATUS))
        }
    }
}
