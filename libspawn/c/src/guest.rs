//! `posix_spawn` and `posix_spawnp` for guest programs, over `SHIM_SPAWN`.
//!
//! The parent side only: these functions check the objects, describe the
//! spawn in an [`SpawnRequest`] that points straight into the objects
//! (no copy), and make one system call. The kernel copies everything it
//! needs before it returns, so the caller may change or destroy the objects
//! afterwards without affecting the child (POSIX: "shall not affect").
//! The kernel runs libspawn's executor in the child, searches PATH for
//! `posix_spawnp`, and by default waits until the image has loaded, so
//! errors come back as return values (unless `POSIX_SPAWN_NOWAIT_NP`).

use core::ffi::{c_char, c_int};

use libspawn::capi::{posix_spawn_file_actions_t, posix_spawnattr_t, spawn_objects};
use libspawn::Errno;
use shim_abi::{spawn_request, SpawnRequest, Sysno};

unsafe extern "C" {
    /// musl's `getenv`.
    fn getenv(name: *const c_char) -> *const c_char;
}

/// Directories searched by `posix_spawnp` when PATH is unset.
const DEFAULT_PATH: &[u8] = b"/bin:/usr/bin\0";

/// Makes the spawn system call.
///
/// # Safety
/// `request` must describe valid user memory as [`SpawnRequest`] documents;
/// `pid` must be NULL or writable. The kernel checks every pointer anyway
/// (EFAULT), so a bad one cannot corrupt anything but the caller's own data.
unsafe fn spawn_syscall(pid: *mut c_int, request: &SpawnRequest) -> c_int {
    let ret: isize;
    // SAFETY: the `syscall` instruction with Linux's convention: number in
    // rax, arguments in rdi and rsi; it clobbers rcx and r11 and returns in
    // rax. It reads `request` (alive for the call) and writes `*pid`.
    unsafe {
        core::arch::asm!(
            "syscall",
            inlateout("rax") Sysno::ShimSpawn.number() => ret,
            in("rdi") pid,
            in("rsi") core::ptr::from_ref(request),
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack),
        );
    }
    match Errno::from_syscall_ret(ret) {
        Ok(_) => 0,
        Err(errno) => errno.raw(),
    }
}

/// Builds the request and spawns; shared by both entry points.
///
/// # Safety
/// As for [`posix_spawn`]; `search_path` is NULL or a NUL-terminated string.
unsafe fn spawn(
    pid: *mut c_int,
    path: *const c_char,
    file_actions: *const posix_spawn_file_actions_t,
    attrp: *const posix_spawnattr_t,
    argv: *const *mut c_char,
    envp: *const *mut c_char,
    search_path: *const c_char,
) -> c_int {
    if path.is_null() {
        return Errno::EINVAL.raw();
    }
    // SAFETY: the objects are NULL or valid for reads (the caller's
    // contract), and stay unchanged until the system call returns.
    let (attr, actions) = match unsafe { spawn_objects(attrp, file_actions) } {
        Ok(objects) => objects,
        Err(errno) => return errno.raw(),
    };
    let request = spawn_request(
        path as u64,
        argv as u64,
        envp as u64,
        attr,
        actions,
        search_path as u64,
    );
    // SAFETY: every pointer in `request` comes from the caller's arguments
    // or from objects borrowed for this call.
    unsafe { spawn_syscall(pid, &request) }
}

/// See <https://pubs.opengroup.org/onlinepubs/9799919799/functions/posix_spawn.html>.
///
/// Creates a child process running the image at `path`, with arguments
/// `argv` and environment `envp`, after applying `attrp` (NULL: defaults)
/// and `file_actions` (NULL: none) in the child. On success stores the
/// child's pid in `*pid` (if `pid` is not NULL) and returns 0. On failure
/// returns the error number, leaves `*pid` untouched, and leaves no child
/// behind. With `POSIX_SPAWN_NOWAIT_NP` it returns once the child exists;
/// errors after that point make the child exit with status 127.
///
/// # Errors
/// - EINVAL: `path` is NULL, or an object is not initialized.
/// - EFAULT: a pointer the kernel had to read is bad.
/// - EAGAIN, ENOMEM, E2BIG: no process slot, no memory, arguments too big.
/// - Any error of `open`, `close`, `dup2`, `chdir`, `fchdir`, `setpgid`,
///   `setsid`, `sched_setparam`, `sched_setscheduler` raised by an action or
///   attribute, and any error of loading the image (ENOENT, EACCES, ENOEXEC,
///   ENOTDIR, ENAMETOOLONG, ...).
///
/// # Safety
/// `path` is a NUL-terminated string; `argv` and `envp` are NULL-terminated
/// arrays of NUL-terminated strings; `pid` is NULL or writable; the objects
/// are NULL or initialized.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn posix_spawn(
    pid: *mut c_int,
    path: *const c_char,
    file_actions: *const posix_spawn_file_actions_t,
    attrp: *const posix_spawnattr_t,
    argv: *const *mut c_char,
    envp: *const *mut c_char,
) -> c_int {
    // SAFETY: forwarded caller contract; no PATH search.
    unsafe {
        spawn(
            pid,
            path,
            file_actions,
            attrp,
            argv,
            envp,
            core::ptr::null(),
        )
    }
}

/// See <https://pubs.opengroup.org/onlinepubs/9799919799/functions/posix_spawnp.html>.
///
/// As [`posix_spawn`], but a `file` without a `/` is looked up in the
/// directories of the caller's PATH (not `envp`'s); when PATH is unset the
/// list is `/bin:/usr/bin`. A `file` containing `/` is used as a path. The
/// search happens in the child, after the file actions, so relative PATH
/// entries follow `addchdir` actions.
///
/// # Errors
/// As [`posix_spawn`]; ENOENT for an empty `file`; when no directory holds
/// the file, ENOENT, or EACCES if a candidate existed but could not be
/// executed.
///
/// # Safety
/// As [`posix_spawn`], with `file` a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn posix_spawnp(
    pid: *mut c_int,
    file: *const c_char,
    file_actions: *const posix_spawn_file_actions_t,
    attrp: *const posix_spawnattr_t,
    argv: *const *mut c_char,
    envp: *const *mut c_char,
) -> c_int {
    if file.is_null() {
        return Errno::EINVAL.raw();
    }
    // SAFETY: `file` is a NUL-terminated string (caller); the scan stops at
    // its NUL.
    let has_slash = unsafe { core::ffi::CStr::from_ptr(file) }
        .to_bytes()
        .contains(&b'/');
    let search_path = if has_slash {
        core::ptr::null()
    } else {
        // SAFETY: `getenv` takes a NUL-terminated name and returns NULL or
        // a NUL-terminated string owned by the environment.
        let path = unsafe { getenv(c"PATH".as_ptr()) };
        if path.is_null() {
            DEFAULT_PATH.as_ptr().cast()
        } else {
            path
        }
    };
    // SAFETY: forwarded caller contract; `search_path` is NULL or a
    // NUL-terminated string that outlives the call.
    unsafe { spawn(pid, file, file_actions, attrp, argv, envp, search_path) }
}
