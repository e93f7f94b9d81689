//! `execve` and `execveat`: the calling process runs a new image (Linux
//! execve(2), execveat(2)).
//!
//! The OS side is [`System::execve`] (the lookup, `#!` scripts, the
//! permission checks and the state an exec changes, shared with
//! `posix_spawn`'s child side); the image is built by the same
//! [`loader`] as a spawned child's. Everything that can fail, the new
//! address space and stack included, happens before the old image is
//! touched: such a failure returns its error number to the old image,
//! unchanged. Past that point the new address space replaces the old one
//! (whose frames are freed), the FS base and the registers start afresh,
//! and the call "returns" 0 at the new entry point.
#![forbid(unsafe_code)]

use crate::arch::context;
use crate::arch::trap::TrapFrame;
use crate::mm::loader::{self, LoadedImage};
use crate::mm::usercopy;
use crate::sys::process::{self, Caller};
use crate::sys::spawn::read_string_array;
use libspawn::Errno;
use shim_abi::signal::SIGKILL;
use shim_core::spawn_request::MAX_ARGUMENT_BYTES;
use shim_core::strings::Strings;
use shim_core::system::ExecError;
use shim_core::wait_status::Termination;
use shim_core::System;
use x86_64::registers::model_specific::FsBase;
use x86_64::VirtAddr;

/// `execve(path, argv, envp)` (Linux execve(2)): replaces the calling
/// process's image with the program at `path` (or, for a `#!` script, its
/// interpreter), with the arguments `argv` and environment `envp` (NULL
/// arrays are empty). Same pid, parent, process group, session, working
/// directory and descriptors, except FD_CLOEXEC ones, which are closed;
/// caught signals go back to SIG_DFL (ignored ones stay ignored, mask and
/// pending signals stay); a set-user-ID or set-group-ID image sets the
/// effective and saved ids. On success it does not return to the old
/// image: the new one starts with `rax` 0.
///
/// # Errors
///
/// The old image carries on and gets: `EFAULT` (a bad pointer),
/// `ENAMETOOLONG`, `E2BIG` (argv and envp over the limit spawn has too,
/// [`MAX_ARGUMENT_BYTES`]), `ENOENT`, `ENOTDIR`, `ELOOP`, `EACCES` (the
/// file or a script's interpreter may not be executed), `ENOEXEC` (no
/// known format, or a bad `#!` line), `ENOMEM`. A failure after the point
/// of no return kills the process with SIGKILL.
pub fn execve(frame: &mut TrapFrame, path: u64, argv: u64, envp: u64) -> Result<u64, Errno> {
    exec_with(frame, path, argv, envp, |system, pid, path, argv, envp| {
        system.execve(pid, path, argv, envp, loader::load)
    })
}

/// `execveat(dirfd, path, argv, envp, flags)` (Linux execveat(2)):
/// [`execve`] of `path` resolved from `dirfd`, or with `AT_EMPTY_PATH`
/// and an empty path, of the file open on `dirfd` (musl's `fexecve`);
/// see [`System::execveat`].
///
/// # Errors
///
/// As [`execve`], and `EINVAL` (a flag other than `AT_EMPTY_PATH` and
/// `AT_SYMLINK_NOFOLLOW`), `EBADF` and `ENOTDIR` for `dirfd`, `ENOENT` for
/// an empty path without `AT_EMPTY_PATH` or a script reached through a
/// close-on-exec descriptor.
pub fn execveat(
    frame: &mut TrapFrame,
    dirfd: u64,
    path: u64,
    argv: u64,
    envp: u64,
    flags: u64,
) -> Result<u64, Errno> {
    exec_with(frame, path, argv, envp, |system, pid, path, argv, envp| {
        system.execveat(
            pid,
            dirfd as i32,
            path,
            flags as i32,
            argv,
            envp,
            loader::load,
        )
    })
}

/// The part both calls share: copies the path, argv and envp in, runs
/// `exec` (shim-core's call with the loader), and on success puts the
/// new image in place of the old one: its address space (the old one,
/// left first, is freed), a zero FS base, fresh registers and FPU state at
/// its entry point. A failure past the point of no return ends the
/// process with SIGKILL.
fn exec_with(
    frame: &mut TrapFrame,
    path: u64,
    argv: u64,
    envp: u64,
    exec: impl FnOnce(&mut System, i32, &[u8], &Strings, &Strings) -> Result<LoadedImage, ExecError>,
) -> Result<u64, Errno> {
    let mut table = process::table();
    let Caller { pid, space, system } = table.caller()?;
    let path = usercopy::read_path(space, path)?;
    let mut budget = MAX_ARGUMENT_BYTES;
    let argv = read_string_array(space, argv, &mut budget)?;
    let envp = read_string_array(space, envp, &mut budget)?;
    let loaded = match exec(system, pid, &path, &argv, &envp) {
        Ok(loaded) => loaded,
        Err(ExecError::Refused(errno)) => return Err(errno),
        Err(ExecError::Fatal(_)) => {
            drop(table);
            process::exit_current(Termination::Killed(SIGKILL))
        }
    };
    let (entry, stack_pointer) = (loaded.entry, loaded.stack_pointer);
    let machine = table.current_mut();
    let old_space = machine.install_image(loaded);
    let pml4 = machine
        .space
        .as_ref()
        .map(|space| space.pml4_address())
        .ok_or(Errno::ESRCH)?;
    // Leave the old address space before freeing it (the kernel is mapped
    // the same in both).
    context::load_address_space(pml4);
    FsBase::write(VirtAddr::new_truncate(0));
    drop(old_space);
    drop(table);
    context::reset_user_frame(frame, entry, stack_pointer);
    Ok(0)
}
