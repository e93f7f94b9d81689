//! `SHIM_SPAWN`: a first `posix_spawn` taking a path, argv and envp.
//!
//! Everything is copied out of the caller's memory and checked before the
//! child exists, so the only outcomes are "child created, pid stored" or an
//! error with nothing created. Attributes and file actions arrive with the
//! next stage (libspawn's executor); for now they are `ENOSYS`.

use crate::usercopy::{self, StringError};
use crate::{initrd, loader, process};
use alloc::vec::Vec;
use libspawn::abi::{SpawnRequest, PATH_MAX};
use libspawn::Errno;

/// Most bytes argv and envp may take together, strings (with NULs) and
/// pointers counted.
pub const MAX_ARGUMENT_BYTES: usize = crate::user_stack::MAX_STACK_IMAGE / 2;
/// Bytes one pointer of an argument array costs.
const POINTER_SIZE: usize = 8;

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

/// What the child is made of, copied from the caller.
struct Arguments {
    path: Vec<u8>,
    argv: Vec<Vec<u8>>,
    envp: Vec<Vec<u8>>,
    parent: i32,
}

fn copy_arguments(pid_out: u64, request: u64) -> Result<Arguments, Errno> {
    let mut table = process::table();
    let caller = table.current_mut();
    let parent = caller.pid;
    let space = caller.space.as_mut().ok_or(Errno::EFAULT)?;
    let request: SpawnRequest = usercopy::read_value(space, request)?;
    if request.attr != 0 || request.action_count != 0 {
        return Err(Errno::ENOSYS);
    }
    if pid_out != 0 {
        // Fail before creating anything if the pid cannot be stored.
        usercopy::write_value(space, pid_out, &0i32)?;
    }
    let path =
        usercopy::read_cstring(space, request.path, PATH_MAX - 1).map_err(|error| match error {
            StringError::Fault => Errno::EFAULT,
            StringError::TooLong => Errno::ENAMETOOLONG,
        })?;
    let mut budget = MAX_ARGUMENT_BYTES;
    let argv = read_string_array(space, request.argv, &mut budget)?;
    let envp = read_string_array(space, request.envp, &mut budget)?;
    Ok(Arguments {
        path,
        argv,
        envp,
        parent,
    })
}

/// `SHIM_SPAWN(pid_out, request)`.
///
/// # Errors
///
/// `EFAULT` bad pointers, `ENAMETOOLONG` path too long, `E2BIG` arguments
/// too big, `ENOSYS` attributes or file actions, `EAGAIN` process table
/// full, `ENOENT`/`EACCES` no such file, `ENOEXEC` bad image, `ENOMEM` out
/// of memory.
pub fn spawn(pid_out: u64, request: u64) -> Result<(), Errno> {
    let arguments = copy_arguments(pid_out, request)?;
    process::table().free_slot()?;
    let image = initrd::files().read_file(&arguments.path)?;
    let loaded = loader::load(image, &arguments.argv, &arguments.envp)?;
    let mut table = process::table();
    let slot = table.free_slot()?;
    let pid = table.insert(slot, arguments.parent, loaded);
    if pid_out != 0 {
        let space = table.current_mut().space.as_mut().ok_or(Errno::EFAULT)?;
        usercopy::write_value(space, pid_out, &pid)?;
    }
    Ok(())
}

/// Starts `/bin/init` with `argv` (kernel command-line words) as the first
/// process.
///
/// # Errors
///
/// As [`spawn`], for the kernel's own request.
pub fn spawn_init(path: &[u8], argv: Vec<Vec<u8>>, envp: Vec<Vec<u8>>) -> Result<i32, Errno> {
    let image = initrd::files().read_file(path)?;
    let loaded = loader::load(image, &argv, &envp)?;
    let mut table = process::table();
    let slot = table.free_slot()?;
    Ok(table.insert(slot, 0, loaded))
}
