//! Error numbers: a typed `Errno` with Linux x86_64 values.
//!
//! Every fallible function in libspawn returns `Result<T, Errno>`. The values
//! are Linux's, so the same numbers mean the same thing to a C program built
//! against glibc on Linux and to one built against musl (the guest build).
#![forbid(unsafe_code)]

use core::fmt;

/// An error number, as returned by POSIX functions. Always non-zero.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(transparent)]
pub struct Errno(i32);

/// Shorthand for the result type used throughout the crate.
pub type Result<T> = core::result::Result<T, Errno>;

macro_rules! errnos {
    ($($(#[$doc:meta])* $name:ident = $value:literal,)*) => {
        impl Errno {
            $($(#[$doc])* pub const $name: Errno = Errno($value);)*

            /// The symbolic name (`"EINVAL"`), or `None` for a number this
            /// table does not know.
            pub const fn name(self) -> Option<&'static str> {
                match self.0 {
                    $($value => Some(stringify!($name)),)*
                    _ => None,
                }
            }
        }
    };
}

errnos! {
    /// Operation not permitted.
    EPERM = 1,
    /// No such file or directory.
    ENOENT = 2,
    /// No such process.
    ESRCH = 3,
    /// Interrupted system call.
    EINTR = 4,
    /// Input/output error.
    EIO = 5,
    /// Argument list too long.
    E2BIG = 7,
    /// Exec format error.
    ENOEXEC = 8,
    /// Bad file descriptor.
    EBADF = 9,
    /// No child processes.
    ECHILD = 10,
    /// Resource temporarily unavailable (for example: process table full).
    EAGAIN = 11,
    /// Cannot allocate memory (for example: action storage full).
    ENOMEM = 12,
    /// Permission denied.
    EACCES = 13,
    /// Bad address.
    EFAULT = 14,
    /// Device or resource busy.
    EBUSY = 16,
    /// File exists.
    EEXIST = 17,
    /// No such device (for example: a file that cannot be memory-mapped).
    ENODEV = 19,
    /// Not a directory.
    ENOTDIR = 20,
    /// Is a directory.
    EISDIR = 21,
    /// Invalid argument.
    EINVAL = 22,
    /// Too many open files in the system.
    ENFILE = 23,
    /// Too many open files in this process.
    EMFILE = 24,
    /// Not a terminal.
    ENOTTY = 25,
    /// Text file busy.
    ETXTBSY = 26,
    /// File too large.
    EFBIG = 27,
    /// No space left on device.
    ENOSPC = 28,
    /// Illegal seek.
    ESPIPE = 29,
    /// Read-only file system.
    EROFS = 30,
    /// Too many links.
    EMLINK = 31,
    /// Broken pipe.
    EPIPE = 32,
    /// Numerical result out of range.
    ERANGE = 34,
    /// Resource deadlock avoided.
    EDEADLK = 35,
    /// File name too long.
    ENAMETOOLONG = 36,
    /// No locks available.
    ENOLCK = 37,
    /// Function not implemented.
    ENOSYS = 38,
    /// Directory not empty.
    ENOTEMPTY = 39,
    /// Too many levels of symbolic links.
    ELOOP = 40,
    /// Value too large for defined data type.
    EOVERFLOW = 75,
    /// Operation not supported.
    ENOTSUP = 95,
}

impl Errno {
    /// Wraps a raw error number. Returns `None` for zero or a negative value,
    /// which are not error numbers.
    pub const fn new(raw: i32) -> Option<Errno> {
        if raw > 0 {
            Some(Errno(raw))
        } else {
            None
        }
    }

    /// The raw number, as C code sees it (always > 0).
    pub const fn raw(self) -> i32 {
        self.0
    }

    /// Decodes a Linux-style system call return value: a value in
    /// `-4095..=-1` is `-errno`, anything else is a success value.
    pub const fn from_syscall_ret(ret: isize) -> Result<usize> {
        if ret < 0 && ret >= -4095 {
            Err(Errno(-ret as i32))
        } else {
            Ok(ret as usize)
        }
    }

    /// Encodes a result as a Linux-style system call return value.
    pub const fn to_syscall_ret(result: Result<usize>) -> isize {
        match result {
            Ok(value) => value as isize,
            Err(errno) => -(errno.0 as isize),
        }
    }
}

impl fmt::Debug for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "Errno({})", self.0),
        }
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl core::error::Error for Errno {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_match_linux_x86_64() {
        assert_eq!(Errno::EBADF.raw(), 9);
        assert_eq!(Errno::ENOMEM.raw(), 12);
        assert_eq!(Errno::EINVAL.raw(), 22);
        assert_eq!(Errno::ENAMETOOLONG.raw(), 36);
    }

    #[test]
    fn new_rejects_zero_and_negative() {
        assert_eq!(Errno::new(0), None);
        assert_eq!(Errno::new(-9), None);
        assert_eq!(Errno::new(9), Some(Errno::EBADF));
    }

    #[test]
    fn syscall_return_round_trips() {
        assert_eq!(Errno::from_syscall_ret(-22), Err(Errno::EINVAL));
        assert_eq!(Errno::from_syscall_ret(5), Ok(5));
        assert_eq!(Errno::to_syscall_ret(Err(Errno::EBADF)), -9);
        assert_eq!(Errno::to_syscall_ret(Ok(3)), 3);
    }

    #[test]
    fn debug_prints_symbolic_name() {
        assert_eq!(format!("{:?}", Errno::EBADF), "EBADF");
        assert_eq!(format!("{:?}", Errno(1000)), "Errno(1000)");
    }
}
