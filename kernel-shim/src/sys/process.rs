//! The process table's machine side, and the one lock over all process
//! state.
//!
//! Everything about a process that is OS logic (ids, parent, groups,
//! signals, descriptors, run state, alarm, CPU time, the spawn handshake)
//! and the table's rules (which process runs next, blocking and waking,
//! exit, `wait4`, orphans) are [`shim_core::System`]'s. The kernel keeps
//! here only what needs the machine, one [`Machine`] per table slot: the
//! address space and its program break, the FS base, and the system call
//! in progress (for restarts); the slot also indexes the kernel stack and
//! saved registers in [`crate::arch::context`]. One lock guards both, so a
//! handler sees them consistent.
#![forbid(unsafe_code)]

use crate::arch::{context, profile};
use crate::mm::paging::AddressSpace;
use libspawn::Errno;
use shim_abi::Phase;
use shim_core::process::MAX_PROCESSES;
use shim_core::wait_status::Termination;
use shim_core::System;
use spin::{Mutex, MutexGuard};

pub use shim_core::process::{Block, INIT_PID};

/// One process, the machine's side: its memory and CPU state. The OS side
/// is the [`System`]'s, under the same pid.
pub struct Machine {
    /// Process id (the key into the [`System`]).
    pub pid: i32,
    /// The address space; `None` before a spawned child's image is loaded
    /// and once the process has exited.
    pub space: Option<AddressSpace>,
    /// Start of the program break region (end of the image).
    pub brk_start: u64,
    /// Current program break.
    pub brk: u64,
    /// The FS segment base (thread pointer), restored on every switch.
    pub fs_base: u64,
    /// Number of the system call in progress, to restart it after a
    /// handler with SA_RESTART.
    pub syscall: u64,
    /// Whether the call in progress may restart after SA_RESTART handlers
    /// (set when a blocking `read`, `write` or `wait4` is interrupted).
    pub restartable: bool,
}

impl Machine {
    /// A process with nothing loaded (no address space).
    fn new(pid: i32) -> Machine {
        Machine {
            pid,
            space: None,
            brk_start: 0,
            brk: 0,
            fs_base: 0,
            syscall: 0,
            restartable: false,
        }
    }

    /// Installs a loaded image: its address space, break and entry state.
    pub fn install_image(&mut self, image: crate::mm::loader::LoadedImage) -> Option<AddressSpace> {
        self.brk_start = image.brk_start;
        self.brk = image.brk_start;
        self.fs_base = 0;
        self.space.replace(image.space)
    }
}

/// The machine state of every slot, the slot on the CPU, and the OS state.
pub struct Table {
    machines: [Option<Machine>; MAX_PROCESSES],
    /// Slot of the running process.
    pub current: Option<usize>,
    /// File system, open file descriptions, pipes, and every process's OS
    /// state and the table's rules (created at boot).
    system: Option<System>,
}

static TABLE: Mutex<Table> = Mutex::new(Table {
    machines: [const { None }; MAX_PROCESSES],
    current: None,
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

    /// The running process's machine state and the OS state together.
    pub fn current_and_system(&mut self) -> (&mut Machine, &mut System) {
        let slot = self.current.expect("no current process");
        let machine = self.machines[slot].as_mut().expect("current slot is empty");
        let system = self.system.as_mut().expect("system not initialised");
        (machine, system)
    }

    /// The running process's machine state.
    ///
    /// # Panics
    ///
    /// Outside process context (a kernel bug).
    pub fn current_mut(&mut self) -> &mut Machine {
        let slot = self.current.expect("no current process");
        self.machines[slot].as_mut().expect("current slot is empty")
    }

    /// The machine state in `slot`, if any.
    pub fn slot_mut(&mut self, slot: usize) -> Option<&mut Machine> {
        self.machines[slot].as_mut()
    }

    /// Gives the process `pid`, just created in the [`System`], its empty
    /// machine state (no address space) in its slot.
    pub fn add_machine(&mut self, pid: i32) -> Result<(), Errno> {
        let slot = self.system().process(pid)?.slot();
        self.machines[slot] = Some(Machine::new(pid));
        Ok(())
    }

    /// Removes the exited process `pid` for good: its OS state and its
    /// slot.
    pub fn reap(&mut self, pid: i32) {
        if let Ok(process) = self.system().process(pid) {
            let slot = process.slot();
            self.machines[slot] = None;
        }
        let _ = self.system().reap(pid);
    }
}

/// The process that made the system call, as a handler needs it: its
/// pid, its address space and the OS state, with the table locked.
pub struct Caller<'table> {
    /// The caller's pid.
    pub pid: i32,
    /// The caller's address space, to copy arguments in and results out.
    pub space: &'table mut AddressSpace,
    /// The OS state, for the shim-core operation the call is.
    pub system: &'table mut System,
}

impl Table {
    /// The calling process ([`Caller`]).
    ///
    /// # Errors
    ///
    /// `EFAULT` when it has no address space (no user memory to copy
    /// from or to).
    pub fn caller(&mut self) -> Result<Caller<'_>, Errno> {
        let (machine, system) = self.current_and_system();
        let space = machine.space.as_mut().ok_or(Errno::EFAULT)?;
        Ok(Caller {
            pid: machine.pid,
            space,
            system,
        })
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

/// Ends the running process with `how` ([`System::exit`]: descriptors
/// closed, children to init, parent told), frees its memory, and never
/// returns.
pub fn exit_current(how: Termination) -> ! {
    profile::mark(Phase::Exit);
    let mut table = table();
    let slot = table.current.expect("exit outside process context");
    let (machine, system) = table.current_and_system();
    let pid = machine.pid;
    let space = machine.space.take();
    let _ = system.exit(pid, how);
    // The address space is live: leave it before freeing it. The kernel
    // stack and code are in the shared kernel map.
    context::load_kernel_address_space();
    drop(space);
    if pid == INIT_PID {
        klog!("init exited ({how:?}): powering off with failure");
        crate::arch::qemu_exit::exit_qemu(crate::arch::qemu_exit::ExitCode::Failure);
    }
    drop(table);
    profile::mark(Phase::Switch);
    context::leave_slot(slot);
    unreachable!("a zombie was scheduled");
}

/// Marks the running call as restartable after an SA_RESTART handler.
pub fn table_mark_restartable() {
    table().current_mut().restartable = true;
}

/// `getppid()`.
///
/// # Errors
///
/// None in practice (the caller exists); `ESRCH` if it does not.
pub fn getppid() -> Result<u64, Errno> {
    let mut table = table();
    let (machine, system) = table.current_and_system();
    Ok(system.process(machine.pid)?.ppid() as u64)
}

/// `gettid()` (gettid(2)): the caller's thread id. Every process is one
/// thread, so it is the pid. Never fails.
pub fn gettid() -> Result<u64, Errno> {
    Ok(current_pid() as u64)
}

/// `clone`, `fork` and `vfork` (clone(2), fork(2), vfork(2)): not
/// provided, by design. This kernel creates processes only with
/// `posix_spawn` (an empty address space, no copy of the parent's) and
/// runs one thread per process, so there is nothing to fork or share.
/// C libraries see ENOSYS: musl's `fork` then returns -1 with errno
/// ENOSYS, and its `pthread_create` fails with EAGAIN.
///
/// # Errors
///
/// Always `ENOSYS`.
pub fn no_fork() -> Result<u64, Errno> {
    Err(Errno::ENOSYS)
}

/// `futex(uaddr, op, ...)` (futex(2)): not provided, by design: with one
/// thread per process and no shared memory there is no one to wait for or
/// wake. musl calls it only with threads.
///
/// # Errors
///
/// Always `ENOSYS`.
pub fn futex() -> Result<u64, Errno> {
    Err(Errno::ENOSYS)
}
