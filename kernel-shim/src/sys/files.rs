//! Descriptor system calls: read, write, readv, writev, pread64, pwrite64, open, openat,
//! close, lseek, dup, dup2, dup3, fcntl (with record locks), pipe, fstat, fstatfs, getdents64,
//! ioctl, ftruncate, fchmod, fchown, fsync. Waiting for readiness (`poll`, `select`) is
//! `readiness.rs`'s.
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
use crate::sys::scheduling;
use alloc::vec::Vec;
use libspawn::Errno;
use shim_abi::fcntl::{FD_CLOEXEC, F_DUPFD, F_DUPFD_CLOEXEC, F_GETLK, F_SETFD, F_SETLK, F_SETLKW};
use shim_abi::mode::{S_IFCHR, S_IFMT};
use shim_abi::signal::SIGPIPE;
use shim_abi::Flock;
use shim_core::io::{HostStream, Io};
use shim_core::iovec;
use shim_core::sigframe::{Info, SI_USER};
use shim_core::system::LockOutcome;
use shim_core::vfs::Device;

/// Most bytes one `read` or `write` moves.
pub const MAX_IO_BYTES: usize = 1 << 20;
/// Most bytes one `getdents64` fills (a short listing, as Linux allows).
const MAX_DIRENT_BYTES: usize = 64 * 1024;
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

/// `read(fd, buffer, len)`: see read(2). At most [`MAX_IO_BYTES`].
///
/// # Errors
///
/// `EBADF`, `EFAULT`, `EISDIR`, `EAGAIN` (non-blocking), `EINTR`.
pub fn read(fd: u64, buffer: u64, len: u64) -> Result<u64, Errno> {
    read_pieces(fd_arg(fd), &[buffer, len])
}

/// `readv(fd, iov, iovcnt)`: see readv(2). Reads as one `read` of the
/// lengths' sum (at most [`MAX_IO_BYTES`]) and scatters the bytes over the
/// entries in array order; returns the count read, which may be short.
/// Every buffer is checked before anything is read, so a bad one loses no
/// input.
///
/// # Errors
///
/// `EINVAL` if `iovcnt` is negative or above `IOV_MAX` (1024) or the
/// lengths' sum overflows an `ssize_t`; `EFAULT` if the array or a
/// non-empty buffer is not writable user memory; otherwise as `read`.
pub fn readv(fd: u64, iov: u64, iovcnt: u64) -> Result<u64, Errno> {
    let words = iovec_words(iov, iovcnt)?;
    read_pieces(fd_arg(fd), &words)
}

/// `writev(fd, iov, iovcnt)`: see writev(2). Gathers the entries, in array
/// order, into one `write` (at most [`MAX_IO_BYTES`]): a pipe write of at
/// most `PIPE_BUF` bytes stays atomic. Returns the count written, which
/// may be short.
///
/// # Errors
///
/// `EINVAL` if `iovcnt` is negative or above `IOV_MAX` (1024) or the
/// lengths' sum overflows an `ssize_t`; `EFAULT` if the array or a
/// non-empty buffer is not readable user memory (nothing is written);
/// otherwise as `write`.
pub fn writev(fd: u64, iov: u64, iovcnt: u64) -> Result<u64, Errno> {
    let words = iovec_words(iov, iovcnt)?;
    write_pieces(fd_arg(fd), &words)
}

/// Copies in the caller's `iovec` array (`iovcnt` entries at `iov`) as
/// words and checks it.
fn iovec_words(iov: u64, iovcnt: u64) -> Result<Vec<u64>, Errno> {
    let count = iovec::entry_count(iovcnt)?;
    let words = {
        let mut table = process::table();
        let space = table.caller()?.space;
        usercopy::read_array::<u64>(space, iov, count * iovec::WORDS_PER_IOVEC)?
    };
    iovec::checked_total(&words)?;
    Ok(words)
}

/// Reads into the user buffers `words` describes (base, length pairs).
fn read_pieces(fd: i32, words: &[u64]) -> Result<u64, Errno> {
    let len = iovec::clipped_len(words, MAX_IO_BYTES);
    let mut bytes = usercopy::zeroed_buffer(len)?;
    loop {
        let mut table = process::table();
        let Caller { pid, space, system } = table.caller()?;
        for (address, piece) in iovec::pieces(words, len) {
            usercopy::check_range(space, address, piece, true)?;
        }
        match system.read(pid, fd, &mut bytes)? {
            Io::Done(count) => {
                let mut at = 0;
                for (address, piece) in iovec::pieces(words, count) {
                    usercopy::copy_to_user(space, address, &bytes[at..at + piece])?;
                    at += piece;
                }
                table.system().wake_all(Block::Pipe);
                return Ok(count as u64);
            }
            // The console and the host streams have no input: end of file.
            Io::Console | Io::Host(_) => return Ok(0),
            Io::Blocked(_) => {
                if let Err(errno) = scheduling::block_current(table, Block::Pipe) {
                    process::table_mark_restartable();
                    return Err(errno);
                }
            }
        }
    }
}

/// `write(fd, buffer, len)`: see write(2). All of it for files and the
/// console; for a pipe, waits for room until everything is written (or a
/// signal comes). At most [`MAX_IO_BYTES`].
///
/// # Errors
///
/// `EBADF`, `EFAULT`, `EPIPE` (and SIGPIPE), `EAGAIN`, `EINTR`, `EFBIG`,
/// `ENOSPC`.
pub fn write(fd: u64, buffer: u64, len: u64) -> Result<u64, Errno> {
    write_pieces(fd_arg(fd), &[buffer, len])
}

/// Writes the user buffers `words` describes (base, length pairs),
/// gathered into one kernel buffer first.
fn write_pieces(fd: i32, words: &[u64]) -> Result<u64, Errno> {
    let len = iovec::clipped_len(words, MAX_IO_BYTES);
    let mut bytes = Vec::new();
    bytes.try_reserve_exact(len).map_err(|_| Errno::ENOMEM)?;
    {
        let mut table = process::table();
        let space = table.caller()?.space;
        for (address, piece) in iovec::pieces(words, len) {
            // Within the capacity reserved: no allocation.
            usercopy::read_chunks(space, address, piece, |chunk| {
                bytes.extend_from_slice(chunk);
            })?;
        }
    }
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
                if let Err(errno) = scheduling::block_current(table, Block::Pipe) {
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

/// `fcntl(fd, cmd, arg)` (fcntl(2)): F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD,
/// F_SETFD, F_GETFL, F_SETFL, and the record locks F_GETLK, F_SETLK and
/// F_SETLKW (`arg` a `struct flock`; see [`shim_core::locks`]). F_SETLK
/// is EAGAIN when another process's lock is in the way; F_SETLKW sleeps
/// until it goes (EINTR on a signal, restarted after SA_RESTART) or is
/// EDEADLK when waiting would close a cycle.
///
/// # Errors
///
/// `EBADF`, `EINVAL`, `EMFILE`, `EFAULT`, `EAGAIN`, `EDEADLK`, `EINTR`,
/// `ENOLCK`, `EOVERFLOW`.
pub fn fcntl(fd: u64, cmd: u64, arg: u64) -> Result<u64, Errno> {
    match cmd as i32 {
        F_GETLK => return getlk(fd_arg(fd), arg),
        F_SETLK => return setlk(fd_arg(fd), arg, false),
        F_SETLKW => return setlk(fd_arg(fd), arg, true),
        _ => {}
    }
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
    use crate::sys::paths::owner_arg;
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

/// `fcntl(fd, F_GETLK, flock)`.
fn getlk(fd: i32, arg: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let Caller { pid, space, system } = table.caller()?;
    let flock: Flock = usercopy::read_value(space, arg)?;
    let answer = system.getlk(pid, fd, flock)?;
    usercopy::write_value(space, arg, &answer)?;
    Ok(0)
}

/// `fcntl(fd, F_SETLK or F_SETLKW, flock)`.
fn setlk(fd: i32, arg: u64, wait: bool) -> Result<u64, Errno> {
    loop {
        let mut table = process::table();
        let Caller { pid, space, system } = table.caller()?;
        let flock: Flock = usercopy::read_value(space, arg)?;
        match system.setlk(pid, fd, flock, wait)? {
            LockOutcome::Done => return Ok(0),
            LockOutcome::Blocked if !wait => return Err(Errno::EAGAIN),
            LockOutcome::Blocked => {
                if let Err(errno) = scheduling::block_current(table, Block::Lock) {
                    process::table().system().cancel_lock_wait(pid);
                    process::table_mark_restartable();
                    return Err(errno);
                }
            }
        }
    }
}

/// `pread64(fd, buffer, len, offset)` (pread(2)): at most
/// [`MAX_IO_BYTES`]; the file offset does not move.
///
/// # Errors
///
/// `EINVAL` (negative offset), `EBADF`, `ESPIPE` (pipe, console),
/// `EISDIR`, `EFAULT`.
pub fn pread64(fd: u64, buffer: u64, len: u64, offset: u64) -> Result<u64, Errno> {
    let len = usize::try_from(len).unwrap_or(usize::MAX).min(MAX_IO_BYTES);
    let mut bytes = usercopy::zeroed_buffer(len)?;
    let mut table = process::table();
    let Caller { pid, space, system } = table.caller()?;
    usercopy::check_range(space, buffer, len, true)?;
    let count = system.pread(pid, fd_arg(fd), &mut bytes, offset as i64)?;
    usercopy::copy_to_user(space, buffer, &bytes[..count])?;
    Ok(count as u64)
}

/// `pwrite64(fd, buffer, len, offset)` (pwrite(2)): at most
/// [`MAX_IO_BYTES`]; the file offset does not move (with O_APPEND the
/// data goes at the end, as on Linux).
///
/// # Errors
///
/// `EINVAL` (negative offset), `EBADF`, `ESPIPE` (pipe, console),
/// `EISDIR`, `EFBIG`, `ENOSPC`, `EFAULT`.
pub fn pwrite64(fd: u64, buffer: u64, len: u64, offset: u64) -> Result<u64, Errno> {
    let len = usize::try_from(len).unwrap_or(usize::MAX).min(MAX_IO_BYTES);
    let mut table = process::table();
    let Caller { pid, space, system } = table.caller()?;
    let bytes = usercopy::read_bytes(space, buffer, len)?;
    let count = system.pwrite(pid, fd_arg(fd), &bytes, offset as i64)?;
    Ok(count as u64)
}

/// `dup3(fd, new_fd, flags)` (dup(2)).
///
/// # Errors
///
/// `EINVAL` (a flag other than O_CLOEXEC, or `fd == new_fd`), `EBADF`.
pub fn dup3(fd: u64, new_fd: u64, flags: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let (process, system) = table.current_and_system();
    let result = system.dup3(process.pid, fd_arg(fd), fd_arg(new_fd), flags as i32)?;
    table.system().wake_all(Block::Pipe);
    Ok(result as u64)
}

/// `getdents64(fd, buffer, len)` (getdents(2)): directory entries as
/// `linux_dirent64` records, at most [`MAX_DIRENT_BYTES`] per call;
/// returns the bytes filled, 0 at the end of the directory.
///
/// # Errors
///
/// `EBADF`, `ENOTDIR`, `EINVAL` (the buffer cannot hold the next record),
/// `EFAULT`.
pub fn getdents64(fd: u64, buffer: u64, len: u64) -> Result<u64, Errno> {
    let len = usize::try_from(len)
        .unwrap_or(usize::MAX)
        .min(MAX_DIRENT_BYTES);
    let mut bytes = usercopy::zeroed_buffer(len)?;
    let mut table = process::table();
    let Caller { pid, space, system } = table.caller()?;
    usercopy::check_range(space, buffer, len, true)?;
    let count = system.getdents(pid, fd_arg(fd), &mut bytes)?;
    usercopy::copy_to_user(space, buffer, &bytes[..count])?;
    Ok(count as u64)
}

/// `fstatfs(fd, buf)` (statfs(2)).
///
/// # Errors
///
/// `EBADF`, `EFAULT`.
pub fn fstatfs(fd: u64, out: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let Caller { pid, space, system } = table.caller()?;
    let answer = system.fstatfs(pid, fd_arg(fd))?;
    usercopy::write_value(space, out, &answer)?;
    Ok(0)
}
