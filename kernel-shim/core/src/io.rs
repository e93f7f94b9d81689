//! Io: the outcome of a read or write that may have to wait, and what it
//! waits for.
//!
//! [`PipeId`] is defined here, not in [`crate::pipe`], so that the wait
//! vocabulary depends on nothing and `pipe` imports it (never the other
//! way round).

/// The id of a pipe (a slot of the [`PipeTable`](crate::pipe::PipeTable)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PipeId(pub(crate) usize);

impl PipeId {
    /// A number identifying the pipe (its `st_ino`).
    pub const fn number(self) -> u64 {
        self.0 as u64
    }
}

/// What a `read` or `write` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Io {
    /// Transferred this many bytes (0 on a read is end of file). A write to
    /// a pipe may transfer fewer bytes than asked when the pipe fills; a
    /// blocking writer should go on with the rest (waiting as needed) and
    /// report the total, as POSIX wants of blocking pipe writes.
    Done(usize),
    /// Nothing could be transferred yet, and the descriptor is blocking:
    /// the kernel puts the process to sleep on the channel and retries the
    /// call when [`System::ready`](crate::System::ready) says so (or when a
    /// signal arrives: then the call fails with EINTR).
    Blocked(WaitChannel),
    /// The descriptor is the console: the kernel's console driver does the
    /// transfer.
    Console,
    /// The descriptor is one of the host's streams: the kernel's driver
    /// for that stream does the transfer (a read sees end of file).
    Host(HostStream),
}

/// An output stream of the host that runs the machine, each on a channel
/// of its own (`/dev/hostout`, `/dev/hosterr`): what `x.py run` gives a
/// program as its standard output and standard error, kept apart from the
/// console that carries init's reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HostStream {
    /// The host's standard output.
    Stdout,
    /// The host's standard error.
    Stderr,
}

/// Something a blocked process waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WaitChannel {
    /// Data (or end of file) in a pipe.
    PipeReadable(PipeId),
    /// Room (or no reader left) in a pipe.
    PipeWritable(PipeId),
}
