//! Replacing a process's image, shared by `posix_spawn`'s child side
//! ([`System::spawn_apply`]) and `execve`: [`System::resolve_image`]
//! follows `#!` interpreters ([`crate::script`]) from the looked-up file
//! to the executable that really loads, and [`System::execve`] and
//! [`System::execveat`] are the whole call on an existing process, with
//! Linux's point of no return.

use alloc::vec::Vec;

use libspawn::{Errno, Result};
use shim_abi::at::{AT_EMPTY_PATH, AT_FDCWD, AT_SYMLINK_NOFOLLOW};

use crate::fallible;
use crate::fdtable::Fd;
use crate::process::Pid;
use crate::script::{self, MAX_SCRIPT_DEPTH};
use crate::spawn_request::Image;
use crate::strings::Strings;
use crate::vfs::Ino;
use crate::System;

/// The flags `execveat` accepts.
const EXECVEAT_FLAGS: i32 = AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW;
/// Where Linux names a file reached through a descriptor.
const DESCRIPTOR_DIR: &[u8] = b"/dev/fd/";
/// Most decimal digits of a descriptor number.
const FD_DIGITS: usize = 10;

/// `/dev/fd/N` for an empty `path`, else `/dev/fd/N/path`: the name Linux
/// gives an image `execveat` finds through descriptor `fd` (ENOMEM).
fn descriptor_name(fd: Fd, path: &[u8]) -> Result<Vec<u8>> {
    let mut name = fallible::with_capacity(DESCRIPTOR_DIR.len() + FD_DIGITS + 1 + path.len())?;
    name.extend_from_slice(DESCRIPTOR_DIR);
    let mut digits = [0u8; FD_DIGITS];
    let mut rest = fd.unsigned_abs();
    let mut start = FD_DIGITS;
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    name.extend_from_slice(&digits[start..]);
    if !path.is_empty() {
        name.push(b'/');
        name.extend_from_slice(path);
    }
    Ok(name)
}

/// The executable a lookup ends at, once every `#!` line is followed.
#[derive(Debug, PartialEq, Eq)]
pub struct ResolvedImage {
    /// The file that loads (never a script).
    pub ino: Ino,
    /// The argument list, when scripts changed it (`None`: the caller's).
    pub argv: Option<Strings>,
}

/// How an `execve` failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExecError {
    /// Before the point of no return: the old image is intact and the call
    /// returns this error number.
    Refused(Errno),
    /// After it: the old image is gone and the process must die (Linux
    /// kills it with SIGSEGV or SIGKILL; the kernel uses SIGKILL). Nothing
    /// after the point is expected to fail (the memory closing FD_CLOEXEC
    /// descriptors could need is had before it); this is the case of a
    /// process that vanished (ESRCH).
    Fatal(Errno),
}

impl System {
    /// Follows `#!` lines from `ino` (found for `path`) as `pid`: while the
    /// file is a script, its interpreter (looked up from `pid`'s working
    /// directory, with the same permission checks) runs it with the
    /// argument list of [`script::interpreter_argv`], the script's path
    /// being the one it was reached by. The script's set-user-ID and
    /// set-group-ID bits play no part: the caller takes the ids from the
    /// returned file.
    ///
    /// # Errors
    ///
    /// ENOEXEC for a bad `#!` line, ENOENT for a missing interpreter,
    /// EACCES for one that may not be executed, ELOOP for more than
    /// [`MAX_SCRIPT_DEPTH`] scripts in a chain, ENOMEM.
    pub fn resolve_image(
        &self,
        pid: Pid,
        ino: Ino,
        path: &[u8],
        argv: &Strings,
    ) -> Result<ResolvedImage> {
        let mut ino = ino;
        let mut new_argv: Option<Strings> = None;
        // The path of the script in hand: `path` until a `#!` line names
        // an interpreter (copied only then; most images are no script).
        let mut interpreter_path: Option<Vec<u8>> = None;
        let mut depth = 0;
        while script::is_script(self.file_bytes(ino)?) {
            depth += 1;
            if depth > MAX_SCRIPT_DEPTH {
                return Err(Errno::ELOOP);
            }
            let interpreter = script::parse(self.file_bytes(ino)?)?;
            let current = new_argv.as_ref().unwrap_or(argv);
            let script_path = interpreter_path.as_deref().unwrap_or(path);
            let next_argv = script::interpreter_argv(&interpreter, script_path, current)?;
            let next_ino = self.exec_lookup(pid, interpreter.path)?;
            interpreter_path = Some(fallible::copy_of(interpreter.path)?);
            new_argv = Some(next_argv);
            ino = next_ino;
        }
        Ok(ResolvedImage {
            ino,
            argv: new_argv,
        })
    }

    /// `execve(path, argv, envp)` by `pid` (Linux execve(2)): looks up
    /// `path`, follows `#!` lines, and calls `load` with the image (the
    /// kernel's loader builds the new address space; the old one is not
    /// touched). Every check that can fail comes before the point of no
    /// return, so a failure there leaves the process exactly as it was.
    /// Then the FD_CLOEXEC descriptors are closed (their record locks with
    /// them), caught signals go back to SIG_DFL (ignored ones stay
    /// ignored; the mask and pending signals are kept; the alternate
    /// signal stack is gone), the image's set-user-ID and set-group-ID
    /// bits take effect, and the process counts as exec'd; pid, parent,
    /// process group, session, working directory, limits and the other
    /// descriptors stay.
    ///
    /// # Errors
    ///
    /// [`ExecError::Refused`] with ENOENT, ENOTDIR, ENAMETOOLONG, ELOOP,
    /// EACCES (lookup, a non-executable file or interpreter), ENOEXEC (no
    /// known format), E2BIG, ENOMEM (from `load`, or for the descriptor
    /// table's own copy that closing FD_CLOEXEC descriptors needs when it
    /// shares its storage), ESRCH if `pid` is missing.
    /// [`ExecError::Fatal`] only if the process vanishes past the point of
    /// no return.
    pub fn execve<T>(
        &mut self,
        pid: Pid,
        path: &[u8],
        argv: &Strings,
        envp: &Strings,
        load: impl FnOnce(Image<'_>) -> Result<T>,
    ) -> core::result::Result<T, ExecError> {
        let found = self.exec_lookup(pid, path).map_err(ExecError::Refused)?;
        self.exec_found(pid, found, path, argv, envp, load)
    }

    /// `execveat(dirfd, path, argv, envp, flags)` by `pid` (Linux
    /// execveat(2)): [`System::execve`] of `path` resolved from `dirfd`
    /// (`AT_FDCWD`: the working directory; an absolute path ignores it),
    /// or with `AT_EMPTY_PATH` and an empty path, of the file `dirfd` is
    /// open on (`fexecve`). `AT_SYMLINK_NOFOLLOW` is accepted (no symbolic
    /// links here). As on Linux, an image reached through a descriptor is
    /// named `/dev/fd/N` or `/dev/fd/N/path` (`AT_EXECFN`, and the path a
    /// script's interpreter gets), and a script reached through a
    /// descriptor with FD_CLOEXEC is ENOENT: that name is gone once the
    /// exec closes the descriptor.
    ///
    /// # Errors
    ///
    /// As [`System::execve`], and [`ExecError::Refused`] with EINVAL for
    /// an unknown flag, EBADF for a `dirfd` that is not open, ENOTDIR for
    /// one not open on a directory (with a relative path), ENOENT for an
    /// empty path without `AT_EMPTY_PATH`.
    #[allow(clippy::too_many_arguments)]
    pub fn execveat<T>(
        &mut self,
        pid: Pid,
        dirfd: Fd,
        path: &[u8],
        flags: i32,
        argv: &Strings,
        envp: &Strings,
        load: impl FnOnce(Image<'_>) -> Result<T>,
    ) -> core::result::Result<T, ExecError> {
        let (found, name) = self
            .execveat_lookup(pid, dirfd, path, flags)
            .map_err(ExecError::Refused)?;
        self.exec_found(pid, found, &name, argv, envp, load)
    }

    /// The file `execveat` runs and the name it runs under.
    fn execveat_lookup(
        &self,
        pid: Pid,
        dirfd: Fd,
        path: &[u8],
        flags: i32,
    ) -> Result<(Ino, Vec<u8>)> {
        if flags & !EXECVEAT_FLAGS != 0 {
            return Err(Errno::EINVAL);
        }
        let process = self.process(pid)?;
        let who = process.creds.identity();
        let found = if path.is_empty() {
            if flags & AT_EMPTY_PATH == 0 {
                return Err(Errno::ENOENT);
            }
            let ino = if dirfd == AT_FDCWD {
                process.cwd
            } else {
                self.inode_of_fd(pid, dirfd)?
            };
            self.vfs.check_exec(ino, who)?;
            ino
        } else {
            let base = self.base(pid, dirfd, path)?;
            self.vfs.exec_target(base, path, who)?
        };
        if path.starts_with(b"/") || dirfd == AT_FDCWD {
            return Ok((found, fallible::copy_of(path)?));
        }
        if script::is_script(self.file_bytes(found)?) && process.fds.get(dirfd)?.cloexec {
            return Err(Errno::ENOENT);
        }
        Ok((found, descriptor_name(dirfd, path)?))
    }

    /// [`System::execve`] from the looked-up file `found`, named `path`.
    fn exec_found<T>(
        &mut self,
        pid: Pid,
        found: Ino,
        path: &[u8],
        argv: &Strings,
        envp: &Strings,
        load: impl FnOnce(Image<'_>) -> Result<T>,
    ) -> core::result::Result<T, ExecError> {
        let prepared = (|| {
            let resolved = self.resolve_image(pid, found, path, argv)?;
            let creds = self.exec_creds(pid, resolved.ino)?;
            self.prepare_close_on_exec(pid)?;
            let loaded = load(Image {
                bytes: self.file_bytes(resolved.ino)?,
                version: self.content_version(resolved.ino)?,
                argv: resolved.argv.as_ref().unwrap_or(argv),
                envp,
                path,
                creds,
            })?;
            Ok((loaded, resolved.ino))
        })();
        let (loaded, ino) = prepared.map_err(ExecError::Refused)?;
        // The point of no return. The descriptor table owns its storage
        // (`prepare_close_on_exec`), so closing allocates nothing.
        self.close_on_exec(pid).map_err(ExecError::Fatal)?;
        self.commit_exec(pid, ino).map_err(ExecError::Fatal)?;
        Ok(loaded)
    }

    /// Gets `pid`'s descriptor table ready for a [`System::close_on_exec`]
    /// that cannot fail (see [`crate::fdtable::FdTable::prepare_close_on_exec`]).
    /// ENOMEM, with nothing changed.
    fn prepare_close_on_exec(&mut self, pid: Pid) -> Result<()> {
        let process = self.procs.get_mut(&pid).ok_or(Errno::ESRCH)?;
        let files = &mut self.files;
        process.fds.prepare_close_on_exec(|id| files.retain(id))
    }
}
