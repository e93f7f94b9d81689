//! Console output: `print!`-style macros over a small line buffer.
//!
//! Each macro call formats into a buffer on the stack and hands it to the
//! kernel in as few `write` calls as possible (one, for anything shorter
//! than [`LINE_BUFFER`] bytes), so lines from different processes sharing
//! the serial port do not interleave mid-line.

use core::fmt;

use libspawn::{Errno, Result};

use crate::sys::{write_all, Fd};

/// Bytes formatted before the buffer is flushed early.
pub const LINE_BUFFER: usize = 256;

/// A formatting sink that batches output for one descriptor.
pub struct Console {
    fd: Fd,
    buffer: [u8; LINE_BUFFER],
    len: usize,
    error: Option<Errno>,
}

impl Console {
    /// An empty buffer in front of `fd`.
    pub const fn new(fd: Fd) -> Console {
        Console {
            fd,
            buffer: [0; LINE_BUFFER],
            len: 0,
            error: None,
        }
    }

    /// Writes out whatever is buffered; reports the first error seen since
    /// the console was made.
    pub fn flush(&mut self) -> Result<()> {
        if self.error.is_none() && self.len > 0 {
            if let Err(errno) = write_all(self.fd, &self.buffer[..self.len]) {
                self.error = Some(errno);
            }
        }
        self.len = 0;
        self.error.map_or(Ok(()), Err)
    }
}

impl fmt::Write for Console {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        for chunk in text.as_bytes().chunks(LINE_BUFFER) {
            if self.len + chunk.len() > LINE_BUFFER {
                self.flush().map_err(|_| fmt::Error)?;
            }
            self.buffer[self.len..self.len + chunk.len()].copy_from_slice(chunk);
            self.len += chunk.len();
        }
        Ok(())
    }
}

/// Formats `args` to `fd` through a fresh [`Console`].
pub fn write_fmt(fd: Fd, args: fmt::Arguments<'_>) -> Result<()> {
    let mut console = Console::new(fd);
    let formatted = fmt::Write::write_fmt(&mut console, args);
    let flushed = console.flush();
    match (formatted, flushed) {
        (_, Err(errno)) => Err(errno),
        // Formatting failed without an I/O error: a Display impl refused.
        (Err(fmt::Error), Ok(())) => Err(Errno::EINVAL),
        (Ok(()), Ok(())) => Ok(()),
    }
}

/// Backend of the print macros: like [`write_fmt`], but a console that
/// cannot be written is fatal, as it is for `std`'s `print!`.
#[doc(hidden)]
pub fn print_to(fd: Fd, args: fmt::Arguments<'_>) {
    if let Err(errno) = write_fmt(fd, args) {
        panic!("writing to fd {fd} failed: {errno}");
    }
}

/// Prints to standard output.
#[macro_export]
macro_rules! print {
    ($($arg:tt)*) => {
        $crate::io::print_to($crate::sys::STDOUT, format_args!($($arg)*))
    };
}

/// Prints to standard output, with a newline.
#[macro_export]
macro_rules! println {
    () => {
        $crate::print!("\n")
    };
    ($($arg:tt)*) => {
        $crate::io::print_to(
            $crate::sys::STDOUT,
            format_args!("{}\n", format_args!($($arg)*)),
        )
    };
}

/// Prints to standard error.
#[macro_export]
macro_rules! eprint {
    ($($arg:tt)*) => {
        $crate::io::print_to($crate::sys::STDERR, format_args!($($arg)*))
    };
}

/// Prints to standard error, with a newline.
#[macro_export]
macro_rules! eprintln {
    () => {
        $crate::eprint!("\n")
    };
    ($($arg:tt)*) => {
        $crate::io::print_to(
            $crate::sys::STDERR,
            format_args!("{}\n", format_args!($($arg)*)),
        )
    };
}
