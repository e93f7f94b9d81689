//! The child's side of `posix_spawn` (the parent's is [`super::spawn`]):
//! every new process starts in [`child_entry`] on its own kernel stack,
//! where [`System::spawn_apply`] runs the executor, close-on-exec and the
//! image lookup with the kernel's [`loader`]; the child then enters user
//! mode, or ends with status 127.
#![forbid(unsafe_code)]

use crate::arch::context;
use crate::arch::trap::TrapFrame;
use crate::mm::loader;
use crate::sys::process::{self, INIT_PID};
use crate::sys::signals;
use libspawn::Errno;
use shim_abi::SPAWN_FAILURE_STATUS;
use shim_core::wait_status::Termination;
#[cfg(doc)]
use shim_core::System;

/// Step 2 in the running new process: [`System::spawn_apply`] with the
/// kernel's loader; on success installs the image, switches to its
/// address space and sets the user registers; returns them.
fn start_image() -> Result<&'static mut TrapFrame, Errno> {
    let mut table = process::table();
    let slot = table.current.ok_or(Errno::ESRCH)?;
    let (machine, system) = table.current_and_system();
    let loaded = system.spawn_apply(machine.pid, loader::load)?;
    let (entry, stack_pointer) = (loaded.entry, loaded.stack_pointer);
    drop(machine.install_image(loaded));
    if let Some(space) = machine.space.as_ref() {
        context::load_address_space(space.pml4_address());
    }
    Ok(context::set_user_entry(slot, entry, stack_pointer))
}

/// Where every new process starts, on its own kernel stack (the scheduler
/// calls it on the process's first turn): step 2 of `posix_spawn`, then
/// user mode, or exit status 127 if the spawn failed.
pub extern "C" fn child_entry() -> ! {
    match start_image() {
        Ok(frame) => {
            signals::deliver_pending(frame);
            context::enter_user(frame)
        }
        Err(errno) => {
            if process::current_pid() == INIT_PID {
                klog!("cannot start init: {errno:?}");
            }
            process::exit_current(Termination::Exited(SPAWN_FAILURE_STATUS))
        }
    }
}
