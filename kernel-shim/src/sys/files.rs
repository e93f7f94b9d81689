//! Descriptor system calls: read, write, open, close, lseek, dup, dup2, fcntl, pipe, fstat, ioctl,
//! ftruncate, fchmod, fchown, fsync.
//!
//! Each call copies its arguments in, calls the [`System`](shim_core::System)
//! method of the same name under the table lock with the caller's pid, and
//! copies results out. Reads and writes move at most [`MAX_IO_BYTES`] per
//! call (a short count, as POSIX allows). A pipe that cannot proceed puts
//! the caller to sleep ([`Block::Pipe`]); every pipe change wakes the
//! sleepers, which retry. A blocked read or write interrupted by a signal
//! returns EINTR (or the count already written), restarted after an
//! SA_RESTART handler. Writing to a pipe with no reader is EPIPE and sends
//! the caller SIGPIPE.
#![forbid(unsafe_code)]

use crate::arch::serial;
use crate::mm::usercopy;
use crate::sys::process::{self, Block, Caller};
use libspawn::Errno;
use shim_abi::fcntl::{FD_CLOEXEC, F_DUPFD, F_SETFD};
use shim_abi::mode::{S_IFCHR, S_IFMT};
use shim_abi::signal::SIGPIPE;
use shim_core::io::{HostStream, Io};
use shim_core::sigframe::{Info, SI_USER};
use shim_core::vfs::Device;

/// Most bytes one `read` or `write` moves.
pub const MAX_IO_BYTES: usize = 1 << 20;
/// `fcntl`: duplicate like F_DUPFD, with FD_CLOEXEC set (Linux value).
const F_DUPFD_CLOEXEC: i32 = 1030;
/// `ioctl` request: get the terminal attributes.
const TCGETS: u64 = 0x5401;
/// Size of the kernel's `struct termios` (what TCGETS writes).
const TERMIOS_SIZE: usize = 36;
/// The devices that are terminals: the console and the host streams
/// (what `x.py run` connects them to is the host's terminal, as often as
/// not, so programs line-buffer them as they would there).
const TERMINALS: [Device; 3] = [
    Device::Console,
    Device::Host(HostStream::Stdout),
    Device::Host(HostStream::Stderr),
];

/// The serial line that carries a host stream.
fn host_line(stream: HostStream) -> serial::Line {
    match stream {
        HostStream::Stdout => serial::Line::HostOut,
        HostStream::Stderr => serial::Line::HostErr,
    }
}

/// A descriptor argument: the low 32 bits, as Linux reads an `int`.
pub fn fd_arg(value: u64) -> i32 {
    value as i32
}

/// `read(fd, buffer, len)`.
///
/// # Errors
///
/// `EBADF`, `EFAULT`, `EISDIR`, `EAGAIN` (non-blocking), `EINTR`.
pub fn read(fd: u64, buffer: u64, len: u64) -> Result<u64, Errno> {
    let fd = fd_arg(fd);
    let len = usize::try_from(len).unwrap_or(usize::MAX).min(MAX_IO_BYTES);
    let mut bytes = usercopy::zeroed_buffer(len)?;
    loop {
        let mut table = process::table();
        let Caller { pid, space, system } = table.caller()?;
        usercopy::check_range(space, buffer, len, true)?;
        match system.read(pid, fd, &mut bytes)? {
            Io::Done(count) => {
                usercopy::copy_to_user(space, buffer, &bytes[..count])?;
                table.system().wake_all(Block::Pipe);
                return Ok(count as u64);
            }
            // The console and the host streams have no input: end of file.
            Io::Console | Io::Host(_) => return Ok(0),
            Io::Blocked(_) => {
                if let Err(errno) = process::block_current(table, Block::Pipe) {
                    process::table_mark_restartable();
                    return Err(errno);
                }
            }
        }
    }
}

/// `write(fd, buffer, len)`: all of it for files and the console; for a
/// pipe, waits for room until everything is written (or a signal comes).
///
/// # Errors
///
/// `EBADF`, `EFAULT`, `EPIPE` (and SIGPIPE), `EAGAIN`, `EINTR`, `EFBIG`,
/// `ENOSPC`.
pub fn write(fd: u64, buffer: u64, len: u64) -> Result<u64, Errno> {
    let fd = fd_arg(fd);
    let len = usize::try_from(len).unwrap_or(usize::MAX).min(MAX_IO_BYTES);
    let bytes = {
        let mut table = process::table();
        let space = table.caller()?.space;
        usercopy::read_bytes(space, buffer, len)?
    };
    let mut done = 0usize;
    loop {
        let mut table = process::table();
        let (process, system) = table.current_and_system();
        let pid = process.pid;
        let outcome = system.write(pid, fd, &bytes[done..]);
        match outcome {
            Ok(Io::Done(count)) => {
                done += count;
                table.system().wake_all(Block::Pipe);
                if done >= len || count == 0 {
                    return Ok(done as u64);
                }
            }
            Ok(Io::Console) => {
                serial::write(&bytes[done..]);
                return Ok(len as u64);
            }
            Ok(Io::Host(stream)) => {
                serial::write_line(host_line(stream), &bytes[done..]);
                return Ok(len as u64);
            }
            Ok(Io::Blocked(_)) => {
                if let Err(errno) = process::block_current(table, Block::Pipe) {
                    if done > 0 {
                        return Ok(done as u64);
                    }
                    process::table_mark_restartable();
                    return Err(errno);
                }
            }
            Err(Errno::EPIPE) => {
                let info = Info {
                    code: SI_USER,
                    pid,
                    ..Info::NONE
                };
                let _ = table.system().post_signal(pid, SIGPIPE, info);
                return if done > 0 {
                    Ok(done as u64)
                } else {
                    Err(Errno::EPIPE)
                };
            }
            Err(errno) if done > 0 => {
                let _ = errno;
                return Ok(done as u64);
            }
            Err(errno) => return Err(errno),
        }
    }
}

/// `open(path, flags, mode)`: the mode is masked by the umask (in the
/// [`System`](shim_core::System), which the spawn executor's opens share).
///
/// # Errors
///
/// As [`shim_core::System::open`], and `EFAULT`/`ENAMETOOLONG` for the
/// path.
pub fn open(path: u64, flags: u64, mode: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let Caller { pid, space, system } = table.caller()?;
    let path = usercopy::read_path(space, path)?;
    let flags = flags as i32;
    let mode = mode as u32;
    let fd = system.open(pid, &path, flags, mode)?;
    Ok(fd as u64)
}

/// `close(fd)`.
///
/// # Errors
///
/// `EBADF`.
pub fn close(fd: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let (process, system) = table.current_and_system();
    system.close(process.pid, fd_arg(fd))?;
    table.system().wake_all(Block::Pipe);
    Ok(0)
}

/// `lseek(fd, offset, whence)`.
///
/// # Errors
///
/// `EBADF`, `ESPIPE`, `EINVAL`.
pub fn lseek(fd: u64, offset: u64, whence: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let (process, system) = table.current_and_system();
    system.lseek(process.pid, fd_arg(fd), offset as i64, whence as i32)
}

/// `dup(fd)`.
///
/// # Errors
///
/// `EBADF`, `EMFILE`.
pub fn dup(fd: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let (process, system) = table.current_and_system();
    Ok(system.dup(process.pid, fd_arg(fd))? as u64)
}

/// `dup2(fd, new_fd)`.
///
/// # Errors
///
/// `EBADF`.
pub fn dup2(fd: u64, new_fd: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let (process, system) = table.current_and_system();
    let result = system.dup2(process.pid, fd_arg(fd), fd_arg(new_fd))?;
    table.system().wake_all(Block::Pipe);
    Ok(result as u64)
}

/// `fcntl(fd, cmd, arg)`: F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD,
/// F_GETFL, F_SETFL.
///
/// # Errors
///
/// `EBADF`, `EINVAL`, `EMFILE`.
pub fn fcntl(fd: u64, cmd: u64, arg: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let (process, system) = table.current_and_system();
    let pid = process.pid;
    if cmd as i32 == F_DUPFD_CLOEXEC {
        let new_fd = system.fcntl(pid, fd_arg(fd), F_DUPFD, arg as i32)?;
        system.fcntl(pid, new_fd, F_SETFD, FD_CLOEXEC)?;
        return Ok(new_fd as u64);
    }
    let result = system.fcntl(pid, fd_arg(fd), cmd as i32, arg as i32)?;
    Ok(result as u64)
}

/// `pipe2(fds, flags)` (`pipe` is `pipe2(fds, 0)`).
///
/// # Errors
///
/// `EFAULT` (nothing is left open then), `EINVAL`, `EMFILE`, `ENFILE`.
pub fn pipe2(fds: u64, flags: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let Caller { pid, space, system } = table.caller()?;
    usercopy::check_range(space, fds, core::mem::size_of::<[i32; 2]>(), true)?;
    let pair = system.pipe(pid, flags as i32)?;
    if let Err(errno) = usercopy::write_value(space, fds, &pair) {
        let _ = system.close(pid, pair[0]);
        let _ = system.close(pid, pair[1]);
        return Err(errno);
    }
    Ok(0)
}

/// `fstat(fd, buf)`.
///
/// # Errors
///
/// `EBADF`, `EFAULT`.
pub fn fstat(fd: u64, out: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let Caller { pid, space, system } = table.caller()?;
    let stat = system.fstat(pid, fd_arg(fd))?;
    usercopy::write_value(space, out, &stat)?;
    Ok(0)
}

/// `ioctl(fd, request, arg)`: only TCGETS, which succeeds on the console
/// and the host streams (a plain terminal: all flags clear) and is ENOTTY
/// elsewhere.
///
/// # Errors
///
/// `EBADF`, `ENOTTY`, `EFAULT`.
pub fn ioctl(fd: u64, request: u64, arg: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let Caller { pid, space, system } = table.caller()?;
    let stat = system.fstat(pid, fd_arg(fd))?;
    let is_terminal = stat.st_mode & S_IFMT == S_IFCHR
        && TERMINALS.iter().any(|device| device.rdev() == stat.st_rdev);
    if request as u32 as u64 != TCGETS || !is_terminal {
        return Err(Errno::ENOTTY);
    }
    usercopy::copy_to_user(space, arg, &[0; TERMIOS_SIZE])?;
    Ok(0)
}

/// `ftruncate(fd, length)`.
///
/// # Errors
///
/// `EBADF`, `EINVAL` (negative length; not a regular file open for
/// writing), `EFBIG`, `ENOSPC`.
pub fn ftruncate(fd: u64, length: u64) -> Result<u64, Errno> {
    let length = u64::try_from(length as i64).map_err(|_| Errno::EINVAL)?;
    let mut table = process::table();
    let (process, system) = table.current_and_system();
    system.ftruncate(process.pid, fd_arg(fd), length)?;
    Ok(0)
}

/// `fchmod(fd, mode)`.
///
/// # Errors
///
/// `EBADF`, `EPERM` (not the owner).
pub fn fchmod(fd: u64, mode: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let (process, system) = table.current_and_system();
    system.fchmod(process.pid, fd_arg(fd), mode as u32)?;
    Ok(0)
}

/// `fchown(fd, uid, gid)`: as `chown` on the file `fd` is open on.
///
/// # Errors
///
/// `EBADF`, `EPERM`.
pub fn fchown(fd: u64, uid: u64, gid: u64) -> Result<u64, Errno> {
    use crate::sys::fs_syscalls::owner_arg;
    let mut table = process::table();
    let (process, system) = table.current_and_system();
    system.fchown(process.pid, fd_arg(fd), owner_arg(uid), owner_arg(gid))?;
    Ok(0)
}

/// `fsync(fd)` and `fdatasync(fd)`: nothing to flush in a ramfs.
///
/// # Errors
///
/// `EBADF`, `EINVAL` (pipes and devices).
pub fn fsync(fd: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let (process, system) = table.current_and_system();
    system.fsync(process.pid, fd_arg(fd))?;
    Ok(0)
}
