//! Pipes: bounded byte buffers with reader and writer counts.
//!
//! Reading an empty pipe gives end of file (0) once no writer remains, and
//! otherwise blocks (EAGAIN with O_NONBLOCK). Writing with no reader is
//! EPIPE (the caller also raises SIGPIPE). Writes of at most `PIPE_BUF`
//! bytes are all-or-nothing; longer ones take what fits.

use alloc::collections::VecDeque;
use libspawn::{Errno, Result};
use shim_abi::poll::{POLLERR, POLLHUP, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM};
use shim_abi::PIPE_BUF;

pub use crate::io::PipeId;
use crate::io::{Io, WaitChannel};
use crate::slab::Slab;

/// Bytes a pipe holds (Linux's default, 64 KiB).
pub const PIPE_CAPACITY: usize = 64 * 1024;
/// Most pipes alive at once (ENFILE beyond).
pub const MAX_PIPES: usize = 1024;

/// One pipe.
#[derive(Clone, Debug, Default)]
struct Pipe {
    data: VecDeque<u8>,
    readers: u32,
    writers: u32,
}

impl Pipe {
    fn room(&self) -> usize {
        PIPE_CAPACITY - self.data.len()
    }
}

/// Every pipe in the system.
#[derive(Clone, Debug)]
pub struct PipeTable {
    pipes: Slab<Pipe>,
}

impl Default for PipeTable {
    fn default() -> Self {
        PipeTable::new()
    }
}

impl PipeTable {
    /// No pipes.
    pub const fn new() -> PipeTable {
        PipeTable {
            pipes: Slab::new(MAX_PIPES),
        }
    }

    /// A new empty pipe with one reader and one writer. ENFILE when the
    /// table is full.
    pub fn create(&mut self) -> Result<PipeId> {
        let pipe = Pipe {
            data: VecDeque::new(),
            readers: 1,
            writers: 1,
        };
        Ok(PipeId(self.pipes.insert(pipe, Errno::ENFILE)?))
    }

    /// Number of pipes alive.
    pub fn len(&self) -> usize {
        self.pipes.len()
    }

    /// Whether no pipe is alive.
    pub fn is_empty(&self) -> bool {
        self.pipes.is_empty()
    }

    /// Bytes waiting in the pipe (0 if it is gone).
    pub fn buffered(&self, id: PipeId) -> usize {
        self.pipes.get(id.0).map_or(0, |pipe| pipe.data.len())
    }

    /// Reads up to `buf.len()` bytes. See the module documentation.
    pub fn read(&mut self, id: PipeId, buf: &mut [u8], nonblocking: bool) -> Result<Io> {
        let pipe = self.pipes.get_mut(id.0).ok_or(Errno::EBADF)?;
        if buf.is_empty() {
            return Ok(Io::Done(0));
        }
        if pipe.data.is_empty() {
            return if pipe.writers == 0 {
                Ok(Io::Done(0))
            } else if nonblocking {
                Err(Errno::EAGAIN)
            } else {
                Ok(Io::Blocked(WaitChannel::PipeReadable(id)))
            };
        }
        let count = buf.len().min(pipe.data.len());
        for (slot, byte) in buf.iter_mut().zip(pipe.data.drain(..count)) {
            *slot = byte;
        }
        Ok(Io::Done(count))
    }

    /// Writes `bytes`. EPIPE with no reader (the caller raises SIGPIPE).
    /// See the module documentation.
    pub fn write(&mut self, id: PipeId, bytes: &[u8], nonblocking: bool) -> Result<Io> {
        let pipe = self.pipes.get_mut(id.0).ok_or(Errno::EBADF)?;
        if pipe.readers == 0 {
            return Err(Errno::EPIPE);
        }
        if bytes.is_empty() {
            return Ok(Io::Done(0));
        }
        let room = pipe.room();
        let atomic = bytes.len() <= PIPE_BUF;
        if (atomic && room < bytes.len()) || room == 0 {
            return if nonblocking {
                Err(Errno::EAGAIN)
            } else {
                Ok(Io::Blocked(WaitChannel::PipeWritable(id)))
            };
        }
        let count = bytes.len().min(room);
        pipe.data.try_reserve(count).map_err(|_| Errno::ENOMEM)?;
        pipe.data.extend(&bytes[..count]);
        Ok(Io::Done(count))
    }

    /// One read end fewer; the pipe goes when no end is left.
    pub fn drop_reader(&mut self, id: PipeId) {
        if let Some(pipe) = self.pipes.get_mut(id.0) {
            pipe.readers = pipe.readers.saturating_sub(1);
            self.free_if_unused(id);
        }
    }

    /// One write end fewer; the pipe goes when no end is left.
    pub fn drop_writer(&mut self, id: PipeId) {
        if let Some(pipe) = self.pipes.get_mut(id.0) {
            pipe.writers = pipe.writers.saturating_sub(1);
            self.free_if_unused(id);
        }
    }

    fn free_if_unused(&mut self, id: PipeId) {
        if self
            .pipes
            .get(id.0)
            .is_some_and(|p| p.readers == 0 && p.writers == 0)
        {
            self.pipes.remove(id.0);
        }
    }

    /// What `poll` sees at the read end of `id`: POLLIN while bytes are
    /// buffered, POLLHUP once no writer remains (both when bytes are left).
    pub fn poll_read_end(&self, id: PipeId) -> i16 {
        let Some(pipe) = self.pipes.get(id.0) else {
            return 0;
        };
        let data = if pipe.data.is_empty() {
            0
        } else {
            POLLIN | POLLRDNORM
        };
        let hangup = if pipe.writers == 0 { POLLHUP } else { 0 };
        data | hangup
    }

    /// What `poll` sees at the write end of `id`: POLLOUT while an atomic
    /// write (`PIPE_BUF` bytes) fits, POLLERR once no reader remains.
    pub fn poll_write_end(&self, id: PipeId) -> i16 {
        let Some(pipe) = self.pipes.get(id.0) else {
            return 0;
        };
        if pipe.readers == 0 {
            POLLERR
        } else if pipe.room() >= PIPE_BUF {
            POLLOUT | POLLWRNORM
        } else {
            0
        }
    }

    /// Whether a call blocked on `channel` may now make progress (or fail):
    /// the kernel retries it then.
    pub fn ready(&self, channel: WaitChannel) -> bool {
        match channel {
            WaitChannel::PipeReadable(id) => self
                .pipes
                .get(id.0)
                .is_none_or(|p| !p.data.is_empty() || p.writers == 0),
            WaitChannel::PipeWritable(id) => self
                .pipes
                .get(id.0)
                .is_none_or(|p| p.room() > 0 || p.readers == 0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn data_written_is_read_back_in_order() {
        let mut pipes = PipeTable::new();
        let id = pipes.create().unwrap();
        assert_eq!(pipes.write(id, b"hello", false), Ok(Io::Done(5)));
        let mut buf = [0; 3];
        assert_eq!(pipes.read(id, &mut buf, false), Ok(Io::Done(3)));
        assert_eq!(&buf, b"hel");
        assert_eq!(pipes.read(id, &mut buf, false), Ok(Io::Done(2)));
        assert_eq!(&buf[..2], b"lo");
    }

    #[test]
    fn empty_pipe_blocks_readers_while_a_writer_exists_then_gives_eof() {
        let mut pipes = PipeTable::new();
        let id = pipes.create().unwrap();
        let mut buf = [0; 4];
        let blocked = Io::Blocked(WaitChannel::PipeReadable(id));
        assert_eq!(pipes.read(id, &mut buf, false), Ok(blocked));
        assert!(!pipes.ready(WaitChannel::PipeReadable(id)));
        assert_eq!(pipes.read(id, &mut buf, true), Err(Errno::EAGAIN));
        pipes.drop_writer(id);
        assert!(pipes.ready(WaitChannel::PipeReadable(id)));
        assert_eq!(pipes.read(id, &mut buf, false), Ok(Io::Done(0)));
    }

    #[test]
    fn data_left_is_still_read_after_the_last_writer_closes() {
        let mut pipes = PipeTable::new();
        let id = pipes.create().unwrap();
        pipes.write(id, b"ab", false).unwrap();
        pipes.drop_writer(id);
        let mut buf = [0; 4];
        assert_eq!(pipes.read(id, &mut buf, false), Ok(Io::Done(2)));
        assert_eq!(pipes.read(id, &mut buf, false), Ok(Io::Done(0)));
    }

    #[test]
    fn write_without_a_reader_is_epipe() {
        let mut pipes = PipeTable::new();
        let id = pipes.create().unwrap();
        pipes.drop_reader(id);
        assert_eq!(pipes.write(id, b"x", false), Err(Errno::EPIPE));
        assert!(pipes.ready(WaitChannel::PipeWritable(id)));
    }

    #[test]
    fn a_full_pipe_blocks_or_is_eagain_and_big_writes_are_partial() {
        let mut pipes = PipeTable::new();
        let id = pipes.create().unwrap();
        let big = vec![7u8; PIPE_CAPACITY + 100];
        assert_eq!(pipes.write(id, &big, false), Ok(Io::Done(PIPE_CAPACITY)));
        let blocked = Io::Blocked(WaitChannel::PipeWritable(id));
        assert_eq!(pipes.write(id, b"x", false), Ok(blocked));
        assert_eq!(pipes.write(id, b"x", true), Err(Errno::EAGAIN));
        assert!(!pipes.ready(WaitChannel::PipeWritable(id)));
        let mut buf = [0; 10];
        pipes.read(id, &mut buf, false).unwrap();
        assert!(pipes.ready(WaitChannel::PipeWritable(id)));
    }

    #[test]
    fn small_writes_are_all_or_nothing() {
        let mut pipes = PipeTable::new();
        let id = pipes.create().unwrap();
        let fill = vec![0u8; PIPE_CAPACITY - 10];
        pipes.write(id, &fill, false).unwrap();
        let blocked = Io::Blocked(WaitChannel::PipeWritable(id));
        assert_eq!(pipes.write(id, &[1u8; 11], false), Ok(blocked));
        assert_eq!(pipes.buffered(id), PIPE_CAPACITY - 10);
        assert_eq!(pipes.write(id, &[1u8; 10], false), Ok(Io::Done(10)));
    }

    #[test]
    fn the_pipe_is_freed_when_both_ends_are_gone() {
        let mut pipes = PipeTable::new();
        let id = pipes.create().unwrap();
        pipes.drop_reader(id);
        assert_eq!(pipes.len(), 1);
        pipes.drop_writer(id);
        assert!(pipes.is_empty());
    }
}
