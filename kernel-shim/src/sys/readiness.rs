//! Waiting until descriptors are ready: poll, ppoll, select, pselect6.
//!
//! All four are one wait ([`wait_ready`]): each descriptor's state comes
//! from [`System::poll_events`](shim_core::System::poll_events) (a pipe
//! reports its state, every other file is ready both ways); with none
//! ready the caller sleeps ([`Block::Poll`]) until a pipe changes, the
//! deadline passes or a signal arrives (EINTR). `select` and `pselect6`
//! turn their descriptor bit sets into such entries and the result back
//! into bit sets. `ppoll` and `pselect6` can give the wait a signal mask:
//! it replaces the caller's mask as `rt_sigsuspend`'s does, and the old
//! mask comes back on the return to user mode (saved in the frame of a
//! handler that runs then). A wait interrupted by a signal is EINTR, never
//! restarted, as on Linux for a handled signal.
#![forbid(unsafe_code)]

use crate::arch::time;
use crate::mm::usercopy;
use crate::sys::process::{self, Block, Caller};
use crate::sys::scheduling;
use alloc::vec::Vec;
use libspawn::{Errno, SigSet};
use shim_abi::poll::{
    POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT, POLLPRI, POLLRDNORM, POLLWRNORM,
};
use shim_abi::sigaction::SIGSET_SIZE;
use shim_abi::{Pollfd, SigmaskArgument, Timespec, Timeval, OPEN_MAX};

/// Nanoseconds in a millisecond, `poll`'s timeout unit.
const NANOS_PER_MILLI: u64 = 1_000_000;
/// Bits in one word of a descriptor set (`fd_set` is an array of longs).
const SET_WORD_BITS: usize = u64::BITS as usize;
/// What makes a descriptor of `select`'s read set ready (Linux's rule).
const SELECT_READ: i16 = POLLIN | POLLRDNORM | POLLHUP | POLLERR;
/// What makes a descriptor of `select`'s write set ready.
const SELECT_WRITE: i16 = POLLOUT | POLLWRNORM | POLLERR;
/// What makes a descriptor of `select`'s exception set ready.
const SELECT_EXCEPT: i16 = POLLPRI;

/// When a wait ends.
#[derive(Clone, Copy)]
enum Deadline {
    /// At once: only look.
    Now,
    /// At this monotonic time (nanoseconds).
    At(u64),
    /// Never: until something is ready or a signal arrives.
    Never,
}

impl Deadline {
    /// The deadline `ns` nanoseconds from now.
    fn after_ns(ns: u64) -> Deadline {
        if ns == 0 {
            Deadline::Now
        } else {
            Deadline::At(time::now_ns().saturating_add(ns))
        }
    }

    /// Nanoseconds left (0 once passed or for [`Deadline::Now`]).
    fn left_ns(self) -> u64 {
        match self {
            Deadline::Now => 0,
            Deadline::At(at) => at.saturating_sub(time::now_ns()),
            Deadline::Never => u64::MAX,
        }
    }
}

/// Fills each entry's `revents` until one is nonzero or `deadline` passes;
/// returns how many are nonzero. With `mask`, the wait runs with it as the
/// signal mask (restored on the return to user mode).
fn wait_ready(
    entries: &mut [Pollfd],
    deadline: Deadline,
    mask: Option<SigSet>,
) -> Result<usize, Errno> {
    if let Some(mask) = mask {
        let mut table = process::table();
        let pid = table.caller()?.pid;
        table.system().process_mut(pid)?.signals.suspend(mask);
    }
    loop {
        let mut table = process::table();
        let Caller { pid, system, .. } = table.caller()?;
        let mut ready = 0;
        for entry in entries.iter_mut() {
            entry.revents = if entry.fd < 0 {
                0
            } else {
                system.poll_events(pid, entry.fd, entry.events)
            };
            ready += usize::from(entry.revents != 0);
        }
        let until_ns = match deadline {
            _ if ready > 0 => return Ok(ready),
            Deadline::Now => return Ok(0),
            Deadline::At(at) if time::now_ns() >= at => return Ok(0),
            Deadline::At(at) => at,
            Deadline::Never => u64::MAX,
        };
        scheduling::block_current(table, Block::Poll { until_ns })?;
    }
}

/// Reads the signal mask of `ppoll`/`pselect6` at `address` (none for 0).
fn read_mask(address: u64, size: u64) -> Result<Option<SigSet>, Errno> {
    if address == 0 {
        return Ok(None);
    }
    if size != SIGSET_SIZE as u64 {
        return Err(Errno::EINVAL);
    }
    let mut table = process::table();
    let bits: u64 = usercopy::read_value(table.caller()?.space, address)?;
    Ok(Some(SigSet::from_bits(bits)))
}

/// A caller's `struct timespec` timeout as a deadline (none for 0).
fn timespec_deadline(address: u64) -> Result<Deadline, Errno> {
    if address == 0 {
        return Ok(Deadline::Never);
    }
    let timeout: Timespec = usercopy::read_value(process::table().caller()?.space, address)?;
    Ok(Deadline::after_ns(timeout.to_ns().ok_or(Errno::EINVAL)?))
}

/// Writes the time left of `deadline` back to the caller's timeout at
/// `address`, as Linux does for `select`, `pselect6` and `ppoll`. A
/// failure is ignored (Linux's rule: the call already succeeded).
fn write_time_left(address: u64, deadline: Deadline, as_timeval: bool) {
    if address == 0 || matches!(deadline, Deadline::Never) {
        return;
    }
    let left = deadline.left_ns();
    let mut table = process::table();
    let Ok(caller) = table.caller() else {
        return;
    };
    let _ = if as_timeval {
        usercopy::write_value(caller.space, address, &Timeval::from_ns(left))
    } else {
        usercopy::write_value(caller.space, address, &Timespec::from_ns(left))
    };
}

/// Reads `poll`'s array of `nfds` entries.
fn read_entries(fds: u64, nfds: u64) -> Result<Vec<Pollfd>, Errno> {
    let count = usize::try_from(nfds)
        .ok()
        .filter(|&count| count <= OPEN_MAX as usize)
        .ok_or(Errno::EINVAL)?;
    if count == 0 {
        // No array to read: `poll(NULL, 0, ms)` is a sleep.
        return Ok(Vec::new());
    }
    let mut table = process::table();
    usercopy::read_array(table.caller()?.space, fds, count)
}

/// Writes `entries` back over `poll`'s array.
fn write_entries(fds: u64, entries: &[Pollfd]) -> Result<(), Errno> {
    let mut table = process::table();
    let space = table.caller()?.space;
    for (index, entry) in entries.iter().enumerate() {
        let at = fds + (index * core::mem::size_of::<Pollfd>()) as u64;
        usercopy::write_value(space, at, entry)?;
    }
    Ok(())
}

/// `poll(fds, nfds, timeout)` (poll(2)): fills each entry's `revents` (a
/// negative `fd` gets 0) and returns how many entries have a nonzero
/// `revents`. With none ready it waits: not at all for a timeout of 0,
/// for ever for a negative one, else `timeout` milliseconds. The array is
/// read once and written back when the call returns.
///
/// # Errors
///
/// `EINVAL` when `nfds` exceeds the descriptor table's size
/// ([`OPEN_MAX`], what RLIMIT_NOFILE can reach); `EFAULT` for a bad array;
/// `ENOMEM` when the kernel cannot hold its copy; `EINTR` when a signal
/// arrives while waiting.
pub fn poll(fds: u64, nfds: u64, timeout: u64) -> Result<u64, Errno> {
    let mut entries = read_entries(fds, nfds)?;
    let deadline = match u64::try_from(timeout as i32) {
        Ok(millis) => Deadline::after_ns(millis.saturating_mul(NANOS_PER_MILLI)),
        Err(_) => Deadline::Never,
    };
    let ready = wait_ready(&mut entries, deadline, None)?;
    write_entries(fds, &entries)?;
    Ok(ready as u64)
}

/// `ppoll(fds, nfds, timeout, sigmask, sigsetsize)` (ppoll(2)): `poll`
/// with a `struct timespec` timeout (null: for ever), written back with
/// the time left, and `sigmask` (unless null) as the signal mask while it
/// waits.
///
/// # Errors
///
/// As `poll`; also `EINVAL` for a bad timeout or a `sigsetsize` other
/// than 8 with a mask, `EFAULT` for a bad timeout or mask.
pub fn ppoll(fds: u64, nfds: u64, timeout: u64, mask: u64, mask_size: u64) -> Result<u64, Errno> {
    let mut entries = read_entries(fds, nfds)?;
    let deadline = timespec_deadline(timeout)?;
    let mask = read_mask(mask, mask_size)?;
    let result = wait_ready(&mut entries, deadline, mask);
    write_time_left(timeout, deadline, false);
    let ready = result?;
    write_entries(fds, &entries)?;
    Ok(ready as u64)
}

/// `select`'s three descriptor sets, as words read from the caller (an
/// absent set reads as empty and is not written back).
struct Sets {
    /// User addresses of the read, write and exception sets (0: none).
    addresses: [u64; 3],
    /// Their words, `nfds` bits each.
    words: [Vec<u64>; 3],
}

/// The events each of `select`'s sets waits for, in [`Sets`] order.
const SET_EVENTS: [i16; 3] = [SELECT_READ, SELECT_WRITE, SELECT_EXCEPT];

impl Sets {
    /// Reads the sets for descriptors `0..nfds`.
    fn read(addresses: [u64; 3], nfds: usize) -> Result<Sets, Errno> {
        let word_count = nfds.div_ceil(SET_WORD_BITS);
        let mut table = process::table();
        let space = table.caller()?.space;
        let mut words: [Vec<u64>; 3] = Default::default();
        for (set, &address) in words.iter_mut().zip(&addresses) {
            if address != 0 && word_count != 0 {
                *set = usercopy::read_array(space, address, word_count)?;
            }
        }
        Ok(Sets { addresses, words })
    }

    /// Whether descriptor `fd` is in set `set`.
    fn has(&self, set: usize, fd: usize) -> bool {
        self.words[set]
            .get(fd / SET_WORD_BITS)
            .is_some_and(|word| word & (1 << (fd % SET_WORD_BITS)) != 0)
    }

    /// One poll entry per descriptor in any set, asking for the events of
    /// every set it is in. EBADF for a descriptor that is not open.
    fn entries(&self, nfds: usize) -> Result<Vec<Pollfd>, Errno> {
        let mut entries = Vec::new();
        for fd in 0..nfds {
            let events = (0..SET_EVENTS.len())
                .filter(|&set| self.has(set, fd))
                .fold(0, |events, set| events | SET_EVENTS[set]);
            if events != 0 {
                entries.try_reserve(1).map_err(|_| Errno::ENOMEM)?;
                entries.push(Pollfd {
                    fd: fd as i32,
                    events,
                    revents: 0,
                });
            }
        }
        let mut table = process::table();
        let Caller { pid, system, .. } = table.caller()?;
        if entries
            .iter()
            .any(|entry| system.poll_events(pid, entry.fd, 0) & POLLNVAL != 0)
        {
            return Err(Errno::EBADF);
        }
        Ok(entries)
    }

    /// Keeps in each set only its descriptors that `entries` found ready
    /// for it, writes the sets back and returns how many bits remain.
    fn write_ready(&self, entries: &[Pollfd]) -> Result<u64, Errno> {
        let mut ready: [Vec<u64>; 3] = Default::default();
        for (words, asked) in ready.iter_mut().zip(&self.words) {
            words
                .try_reserve_exact(asked.len())
                .map_err(|_| Errno::ENOMEM)?;
            words.resize(asked.len(), 0);
        }
        let mut count = 0;
        for entry in entries {
            let fd = entry.fd as usize;
            for (set, &events) in SET_EVENTS.iter().enumerate() {
                if self.has(set, fd) && events & entry.revents != 0 {
                    ready[set][fd / SET_WORD_BITS] |= 1 << (fd % SET_WORD_BITS);
                    count += 1;
                }
            }
        }
        let mut table = process::table();
        let space = table.caller()?.space;
        for (words, &address) in ready.iter().zip(&self.addresses) {
            for (index, word) in words.iter().enumerate() {
                let at = address + (index * core::mem::size_of::<u64>()) as u64;
                usercopy::write_value(space, at, word)?;
            }
        }
        Ok(count)
    }
}

/// The common part of `select` and `pselect6`.
fn select_sets(
    nfds: u64,
    addresses: [u64; 3],
    deadline: Deadline,
    mask: Option<SigSet>,
) -> Result<u64, Errno> {
    // As Linux: a count past the descriptor table is cut to its size.
    let nfds = usize::try_from(nfds as i32)
        .map_err(|_| Errno::EINVAL)?
        .min(OPEN_MAX as usize);
    let sets = Sets::read(addresses, nfds)?;
    let mut entries = sets.entries(nfds)?;
    wait_ready(&mut entries, deadline, mask)?;
    sets.write_ready(&entries)
}

/// `select(nfds, readfds, writefds, exceptfds, timeout)` (select(2)):
/// waits until a descriptor below `nfds` in one of the sets is ready (read
/// set: data or end of file; write set: room or a broken pipe; exception
/// set: never, no file has urgent data), then leaves in each set only its
/// ready descriptors and returns how many bits are set. The `struct
/// timeval` timeout (null: for ever) is written back with the time left.
///
/// # Errors
///
/// `EINVAL` for a negative `nfds` or a bad timeout; `EBADF` for a
/// descriptor in a set that is not open; `EFAULT`; `ENOMEM`; `EINTR`.
pub fn select(
    nfds: u64,
    readfds: u64,
    writefds: u64,
    exceptfds: u64,
    timeout: u64,
) -> Result<u64, Errno> {
    let deadline = if timeout == 0 {
        Deadline::Never
    } else {
        let value: Timeval = usercopy::read_value(process::table().caller()?.space, timeout)?;
        Deadline::after_ns(value.to_ns().ok_or(Errno::EINVAL)?)
    };
    let result = select_sets(nfds, [readfds, writefds, exceptfds], deadline, None);
    write_time_left(timeout, deadline, true);
    result
}

/// `pselect6(nfds, readfds, writefds, exceptfds, timeout, sigmask)`
/// (pselect(2), the raw call): `select` with a `struct timespec` timeout
/// and, when `sigmask` points to a mask, that mask while it waits.
///
/// # Errors
///
/// As `select`; also `EINVAL` for a mask size other than 8.
pub fn pselect6(
    nfds: u64,
    readfds: u64,
    writefds: u64,
    exceptfds: u64,
    timeout: u64,
    sigmask: u64,
) -> Result<u64, Errno> {
    let deadline = timespec_deadline(timeout)?;
    let mask = match sigmask {
        0 => None,
        address => {
            let argument: SigmaskArgument =
                usercopy::read_value(process::table().caller()?.space, address)?;
            read_mask(argument.mask, argument.size)?
        }
    };
    let result = select_sets(nfds, [readfds, writefds, exceptfds], deadline, mask);
    write_time_left(timeout, deadline, false);
    result
}
