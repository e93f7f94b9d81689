//! `SHIM_SPAWN`: posix_spawn and posix_spawnp, with the executor run by the child itself.
//!
//! The parent's call copies and checks everything it was given (request,
//! path, argv, envp, attributes, file actions, PATH list), then creates
//! the child: a process-table slot, an empty address space (none at all
//! until the image loads), and the [`System`](shim_core::System) state
//! copied from the parent (descriptor table sharing the open file
//! descriptions, working directory, ids, signal mask and dispositions,
//! process group, session, scheduling). No parent memory is copied.
//!
//! The rest happens in the child, on its own kernel stack, when it first
//! runs ([`child_entry`]): libspawn's executor applies the attributes and
//! file actions through [`shim_core::spawn_child::SpawnChild`], FD_CLOEXEC
//! descriptors are closed, the image is looked up (after the actions, so
//! relative paths follow their `chdir`; `posix_spawnp` searches the
//! caller's PATH here) and loaded, set-id bits take effect, and the child
//! enters user mode.
//!
//! By default the parent sleeps until the child reports: success (the
//! parent stores the pid and returns 0) or an error (the child is ended
//! without telling anyone, the parent reaps it, frees everything and
//! returns the error; `*pid` is untouched and `wait4` never sees it).
//! With `POSIX_SPAWN_NOWAIT_NP` the parent returns 0 and the pid as soon
//! as the child exists; a failure is then the child's exit status 127.
//!
//! Kernel limits: [`MAX_SPAWN_ACTIONS`] action records and
//! [`MAX_SPAWN_PATH_BYTES`] bytes of action paths (EINVAL beyond, like any
//! malformed object); argv and envp together [`MAX_ARGUMENT_BYTES`]
//! (E2BIG); the PATH list [`MAX_SEARCH_PATH_BYTES`] (ENAMETOOLONG).

use crate::context;
use crate::process::{self, Block, Process};
use crate::trap::TrapFrame;
use crate::usercopy::{self, StringError};
use crate::{loader, scheduler};
use alloc::boxed::Box;
use alloc::vec::Vec;
use libspawn::abi::{ActionRecord, RawAttr, SpawnRequest, SPAWN_FAILURE_STATUS};
use libspawn::{ActionList, Errno, SpawnAttr, SpawnFlags};
use shim_core::vfs::Ino;
use shim_core::wait_status::Termination;
use shim_core::System;

/// Most bytes argv and envp may take together, strings (with NULs) and
/// pointers counted.
pub const MAX_ARGUMENT_BYTES: usize = shim_core::user_stack::MAX_STACK_IMAGE / 2;
/// Most file-action records one spawn accepts.
pub const MAX_SPAWN_ACTIONS: usize = 4096;
/// Most bytes of file-action path storage one spawn accepts.
pub const MAX_SPAWN_PATH_BYTES: usize = 64 * 1024;
/// Longest PATH list `posix_spawnp` accepts, without its NUL.
pub const MAX_SEARCH_PATH_BYTES: usize = 16 * 1024;
/// Bytes one pointer of an argument array costs.
const POINTER_SIZE: usize = 8;

/// What a spawned child does on its first run, copied from the parent.
pub struct ChildStart {
    path: Vec<u8>,
    argv: Vec<Vec<u8>>,
    envp: Vec<Vec<u8>>,
    attr: Option<SpawnAttr>,
    records: Vec<ActionRecord>,
    paths: Vec<u8>,
    /// `posix_spawnp`: the caller's PATH.
    search: Option<Vec<u8>>,
}

/// Reads a NULL-terminated array of strings, charging `budget`.
fn read_string_array(
    space: &mut crate::memory::paging::AddressSpace,
    array: u64,
    budget: &mut usize,
) -> Result<Vec<Vec<u8>>, Errno> {
    let mut strings = Vec::new();
    if array == 0 {
        return Ok(strings);
    }
    for index in 0u64.. {
        *budget = budget.checked_sub(POINTER_SIZE).ok_or(Errno::E2BIG)?;
        let slot = array
            .checked_add(index * POINTER_SIZE as u64)
            .ok_or(Errno::EFAULT)?;
        let pointer: u64 = usercopy::read_value(space, slot)?;
        if pointer == 0 {
            break;
        }
        let string =
            usercopy::read_cstring(space, pointer, *budget).map_err(|error| match error {
                StringError::Fault => Errno::EFAULT,
                StringError::TooLong => Errno::E2BIG,
            })?;
        *budget = budget.checked_sub(string.len() + 1).ok_or(Errno::E2BIG)?;
        strings.push(string);
    }
    Ok(strings)
}

/// Copies and checks the request at `request`; checks that `pid_out`
/// (if not NULL) is writable without writing it.
fn copy_request(
    space: &mut crate::memory::paging::AddressSpace,
    pid_out: u64,
    request: u64,
) -> Result<ChildStart, Errno> {
    let request: SpawnRequest = usercopy::read_value(space, request)?;
    if pid_out != 0 {
        usercopy::check_range(space, pid_out, core::mem::size_of::<i32>(), true)?;
    }
    let path = usercopy::read_path(space, request.path)?;
    let mut budget = MAX_ARGUMENT_BYTES;
    let argv = read_string_array(space, request.argv, &mut budget)?;
    let envp = read_string_array(space, request.envp, &mut budget)?;
    let attr = match request.attr {
        0 => None,
        address => {
            let raw: RawAttr = usercopy::read_value(space, address)?;
            Some(SpawnAttr::from_raw(raw)?)
        }
    };
    let count = usize::try_from(request.action_count).map_err(|_| Errno::EINVAL)?;
    let paths_len = usize::try_from(request.paths_len).map_err(|_| Errno::EINVAL)?;
    if count > MAX_SPAWN_ACTIONS || paths_len > MAX_SPAWN_PATH_BYTES {
        return Err(Errno::EINVAL);
    }
    let records = if count == 0 {
        Vec::new()
    } else {
        usercopy::read_array::<ActionRecord>(space, request.actions, count)?
    };
    let paths = if paths_len == 0 {
        Vec::new()
    } else {
        usercopy::read_bytes(space, request.paths, paths_len)?
    };
    ActionList::new(&records, &paths)?;
    let search = match request.search_path {
        0 => None,
        address => Some(
            usercopy::read_cstring(space, address, MAX_SEARCH_PATH_BYTES).map_err(|error| {
                match error {
                    StringError::Fault => Errno::EFAULT,
                    StringError::TooLong => Errno::ENAMETOOLONG,
                }
            })?,
        ),
    };
    if search.is_some() && path.is_empty() {
        return Err(Errno::ENOENT);
    }
    Ok(ChildStart {
        path,
        argv,
        envp,
        attr,
        records,
        paths,
        search,
    })
}

/// `SHIM_SPAWN(pid_out, request)`.
///
/// # Errors
///
/// Before the child exists: `EFAULT` bad pointers, `ENAMETOOLONG`, `E2BIG`
/// arguments too big, `EINVAL` malformed attributes or actions (or over
/// the kernel limits), `EAGAIN` process table full, `ENOMEM`. In the
/// default mode, also whatever the child's actions or image load failed
/// with (`ENOENT`, `EACCES`, `ENOEXEC`, `EBADF`, `EPERM`, ...).
pub fn spawn(pid_out: u64, request: u64) -> Result<(), Errno> {
    let mut table = process::table();
    let parent = table.current_mut();
    let parent_pid = parent.pid;
    let space = parent.space.as_mut().ok_or(Errno::EFAULT)?;
    let start = copy_request(space, pid_out, request)?;
    let wait = !start
        .attr
        .is_some_and(|attr| attr.flags().contains(SpawnFlags::NOWAIT_NP));
    let slot = table.free_slot()?;
    let child = table.allocate_pid();
    table.system().create_child(parent_pid, child)?;
    let mut process = Process::new(child, parent_pid);
    process.start = Some(Box::new(start));
    process.spawner_waiting = wait;
    context::prepare_kernel_entry(slot, child_entry);
    table.place(slot, process);
    if !wait {
        return store_pid(table, pid_out, child);
    }
    table.current_mut().spawn_outcome = None;
    let outcome = loop {
        // Not interruptible: the child reports once its image is loaded.
        let _ = process::block_current(table, Block::Spawn);
        table = process::table();
        if let Some(outcome) = table.current_mut().spawn_outcome.take() {
            break outcome;
        }
    };
    match outcome {
        Ok(()) => store_pid(table, pid_out, child),
        Err(errno) => {
            reap_failed(&mut table, child);
            Err(errno)
        }
    }
}
/// Writes the child's pid for the caller.
fn store_pid(
    mut table: spin::MutexGuard<'static, process::Table>,
    pid_out: u64,
    child: i32,
) -> Result<(), Errno> {
    if pid_out != 0 {
        let space = table.current_mut().space.as_mut().ok_or(Errno::EFAULT)?;
        usercopy::write_value(space, pid_out, &child)?;
    }
    Ok(())
}

/// Frees the slot and OS state of a child whose spawn failed.
fn reap_failed(table: &mut process::Table, child: i32) {
    if let Some(slot) = table.slot_of(child) {
        table.clear_slot(slot);
    }
    let _ = table.system().reap(child);
    table.wake_all(Block::Pipe);
}

/// Looks up the image for `start` in the child's context: the path as
/// given, or for `posix_spawnp` each PATH directory in turn (ENOENT and
/// ENOTDIR go on, EACCES is remembered, anything else stops).
fn find_image(system: &System, pid: i32, start: &ChildStart) -> Result<Ino, Errno> {
    let Some(search) = start
        .search
        .as_ref()
        .filter(|_| !start.path.contains(&b'/'))
    else {
        return system.exec_lookup(pid, &start.path);
    };
    let mut denied = false;
    for dir in search.split(|&b| b == b':') {
        let mut candidate = Vec::with_capacity(dir.len() + 1 + start.path.len());
        if !dir.is_empty() {
            candidate.extend_from_slice(dir);
            candidate.push(b'/');
        }
        candidate.extend_from_slice(&start.path);
        match system.exec_lookup(pid, &candidate) {
            Ok(ino) => return Ok(ino),
            Err(Errno::ENOENT | Errno::ENOTDIR | Errno::ENAMETOOLONG) => {}
            Err(Errno::EACCES) => denied = true,
            Err(errno) => return Err(errno),
        }
    }
    Err(if denied { Errno::EACCES } else { Errno::ENOENT })
}

/// The child's own part of the spawn, under the table lock: executor,
/// close-on-exec, image lookup and load. On success the process has its
/// image and its user registers are set; returns them.
fn run_start() -> Result<&'static mut TrapFrame, Errno> {
    let mut table = process::table();
    let slot = table.current.ok_or(Errno::ESRCH)?;
    let process = table.current_mut();
    let pid = process.pid;
    let start = process.start.take().ok_or(Errno::EINVAL)?;
    let system = table.system();
    let actions = ActionList::new(&start.records, &start.paths)?;
    libspawn::exec::apply(
        start.attr.as_ref(),
        Some(actions),
        &mut system.spawn_child(pid),
    )?;
    system.close_on_exec(pid)?;
    let ino = find_image(system, pid, &start)?;
    let version = system.content_version(ino)?;
    let loaded = loader::load(system.file_bytes(ino)?, version, &start.argv, &start.envp)?;
    system.commit_exec(pid, ino)?;
    let (entry, stack_pointer) = (loaded.entry, loaded.stack_pointer);
    let process = table.current_mut();
    drop(process.install_image(loaded));
    if let Some(space) = process.space.as_ref() {
        scheduler::load_address_space(space.pml4_address());
    }
    Ok(context::set_user_entry(slot, entry, stack_pointer))
}

/// Where a spawned child starts, on its own kernel stack.
extern "C" fn child_entry() -> ! {
    let result = run_start();
    let mut table = process::table();
    // The actions and close-on-exec may have closed pipe ends others wait on.
    table.wake_all(Block::Pipe);
    let process = table.current_mut();
    let (pid, parent, waiting) = (process.pid, process.parent, process.spawner_waiting);
    process.spawner_waiting = false;
    if waiting {
        if let Some(spawner) = table.by_pid(parent) {
            spawner.spawn_outcome = Some(result.as_ref().map(|_| ()).map_err(|&errno| errno));
        }
        table.wake(parent, Block::Spawn);
    }
    drop(table);
    match result {
        Ok(frame) => {
            crate::signal_delivery::deliver_pending(frame);
            context::enter_user(frame)
        }
        Err(errno) => {
            if pid == process::INIT_PID {
                klog!("cannot start init: {errno:?}");
            }
            process::exit_current_with(Termination::Exited(SPAWN_FAILURE_STATUS), !waiting)
        }
    }
}

/// Creates init (pid 1): root, its own group and session, descriptors 0, 1
/// and 2 open on `/dev/console`, working directory `cwd`; it loads `path`
/// when it first runs.
///
/// # Errors
///
/// `EAGAIN` if the table is full; `ENOENT` and others if the console or
/// `cwd` cannot be opened or entered.
pub fn spawn_init(
    path: &[u8],
    argv: Vec<Vec<u8>>,
    envp: Vec<Vec<u8>>,
    cwd: &[u8],
) -> Result<i32, Errno> {
    const CONSOLE: &[u8] = b"/dev/console";
    let mut table = process::table();
    let slot = table.free_slot()?;
    let pid = table.allocate_pid();
    let system = table.system();
    system.create_init(pid)?;
    for flags in [
        libspawn::abi::fcntl::O_RDONLY,
        libspawn::abi::fcntl::O_WRONLY,
        libspawn::abi::fcntl::O_WRONLY,
    ] {
        system.open(pid, CONSOLE, flags, 0)?;
    }
    system.chdir(pid, cwd)?;
    let mut process = Process::new(pid, 0);
    process.start = Some(Box::new(ChildStart {
        path: path.to_vec(),
        argv,
        envp,
        attr: None,
        records: Vec::new(),
        paths: Vec::new(),
        search: None,
    }));
    context::prepare_kernel_entry(slot, child_entry);
    table.place(slot, process);
    Ok(pid)
}
