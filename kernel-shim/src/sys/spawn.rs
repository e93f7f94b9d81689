//! `SHIM_SPAWN`: posix_spawn and posix_spawnp, with the executor run by the child itself.
//!
//! The sequence is shim-core's two steps (the parent's,
//! `core/src/system/spawn.rs`, and the child's, `core/src/spawn_child.rs`);
//! this file copies the request in and calls the first:
//!
//! 1. [`spawn`], the parent's call: copies the request, path, argv, envp,
//!    attributes, file actions and PATH list from user memory (bounded by
//!    shim-core's limits), then [`System::spawn_create`] validates it and
//!    creates the child; the kernel gives it an empty machine slot (no
//!    address space until the image loads). By default the parent then
//!    sleeps until the child reports
//!    ([`scheduling::block_current`]); a failed child is reaped here.
//! 2. the child's side, [`spawn_child`](super::spawn_child): where the
//!    scheduler starts every new process (`context::start_slot`),
//!    [`System::spawn_apply`] runs the executor, close-on-exec and the
//!    image lookup with the kernel's loader; the child's entry then returns
//!    and the process leaves for user mode through `trap_return`, or ends
//!    with status 127.
#![forbid(unsafe_code)]

use crate::arch::profile;
use crate::mm::usercopy::{self, StringError, UserPages};
use crate::sys::process::{self, Caller};
use crate::sys::scheduling;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU64, Ordering};
use libspawn::Errno;
use shim_abi::{ActionRecord, Phase, RawAttr};
use shim_core::process::Block;
use shim_core::spawn_request::{
    SpawnRequest, MAX_ARGUMENT_BYTES, MAX_SEARCH_PATH_BYTES, MAX_SPAWN_ACTIONS,
    MAX_SPAWN_PATH_BYTES,
};
use shim_core::strings::Strings;
use shim_core::user_strings;
#[cfg(doc)]
use shim_core::System;

/// Reads a NULL-terminated array of strings, charging `budget` (also
/// `execve`'s, [`super::exec`]): shim-core's
/// [`user_strings::read_string_array`] over the caller's pages.
pub(super) fn read_string_array(
    space: &mut crate::mm::paging::AddressSpace,
    array: u64,
    budget: &mut usize,
) -> Result<Strings, Errno> {
    user_strings::read_string_array(&mut UserPages::new(space), array, budget)
}

/// Copies the request at `request` from user memory, within shim-core's
/// size limits; checks that `pid_out` (if not NULL) is writable without
/// writing it. The objects' contents are checked by
/// [`System::spawn_create`].
fn copy_request(
    space: &mut crate::mm::paging::AddressSpace,
    pid_out: u64,
    request: u64,
) -> Result<SpawnRequest, Errno> {
    let request: shim_abi::SpawnRequest = usercopy::read_value(space, request)?;
    if pid_out != 0 {
        usercopy::check_range(space, pid_out, core::mem::size_of::<i32>(), true)?;
    }
    let path = usercopy::read_path(space, request.path)?;
    let mut budget = MAX_ARGUMENT_BYTES;
    let argv = read_string_array(space, request.argv, &mut budget)?;
    let envp = read_string_array(space, request.envp, &mut budget)?;
    let attr = match request.attr {
        0 => None,
        address => Some(usercopy::read_value::<RawAttr>(space, address)?),
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
    let search = match request.search_path {
        0 => None,
        address => Some(
            usercopy::read_cstring(space, address, MAX_SEARCH_PATH_BYTES).map_err(|error| {
                match error {
                    StringError::Fault => Errno::EFAULT,
                    StringError::TooLong => Errno::ENAMETOOLONG,
                    StringError::NoMemory => Errno::ENOMEM,
                }
            })?,
        ),
    };
    Ok(SpawnRequest {
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
    profile::mark(Phase::CopyIn);
    let mut table = process::table();
    let Caller {
        pid: parent_pid,
        space,
        system,
    } = table.caller()?;
    let request = copy_request(space, pid_out, request)?;
    profile::mark(Phase::Create);
    let spawned = system.spawn_create(parent_pid, request)?;
    table.add_machine(spawned.pid)?;
    CHILDREN_CREATED.fetch_add(1, Ordering::Relaxed);
    if !spawned.parent_waits {
        return store_pid(table, pid_out, spawned.pid);
    }
    let outcome = loop {
        // Not interruptible: the child reports once its image is loaded.
        let _ = scheduling::block_current(table, Block::Spawn);
        table = process::table();
        if let Some(outcome) = table.system().take_spawn_outcome(parent_pid) {
            break outcome;
        }
    };
    match outcome {
        Ok(()) => store_pid(table, pid_out, spawned.pid),
        Err(errno) => {
            table.reap(spawned.pid);
            Err(errno)
        }
    }
}

/// Children the spawn call has created since boot
/// ([`shim_abi::KernelStats::spawns`]): counted when the child exists,
/// before it runs, so the count never lags behind a child the caller
/// could already have waited for.
static CHILDREN_CREATED: AtomicU64 = AtomicU64::new(0);

/// How many children the spawn call has created since boot.
pub fn children_created() -> u64 {
    CHILDREN_CREATED.load(Ordering::Relaxed)
}

/// Writes the child's pid for the caller.
fn store_pid(
    mut table: spin::MutexGuard<'static, process::Table>,
    pid_out: u64,
    child: i32,
) -> Result<(), Errno> {
    if pid_out != 0 {
        let space = table.caller()?.space;
        usercopy::write_value(space, pid_out, &child)?;
    }
    Ok(())
}

/// Creates init (pid 1) with [`System::start_init`]; it loads `path` when
/// it first runs.
///
/// # Errors
///
/// `EAGAIN` if the table is full; `ENOENT` and others if the console or
/// `cwd` cannot be opened or entered.
pub fn spawn_init(path: &[u8], argv: Strings, envp: Strings, cwd: &[u8]) -> Result<i32, Errno> {
    let mut table = process::table();
    let pid = table.system().start_init(path, argv, envp, cwd)?;
    table.add_machine(pid)?;
    Ok(pid)
}
