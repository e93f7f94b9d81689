//! shim-core: the OS logic of kernel-shim, written to be tested on the host.
//!
//! Everything a system call handler decides, apart from touching hardware
//! and user memory, lives here: the ramfs and its permission rules, open
//! file descriptions and descriptor tables, pipes, signal state, process
//! groups and sessions, credentials, scheduling parameters, and the
//! `ChildOps` implementation that lets libspawn's executor run inside a new
//! child. All numbers and error codes are Linux x86_64's.
//!
//! # How the kernel uses it
//! One [`System`] sits behind the kernel's single lock. A handler locks it,
//! calls one method with the caller's pid and copies the result out, for
//! example `system.open(pid, path, flags, mode) -> Result<Fd, Errno>` or
//! `system.read(pid, fd, buf) -> Result<Io, Errno>`, where [`io::Io`] says
//! whether the call completed, must sleep on a [`io::WaitChannel`] and be
//! retried, or belongs to the console driver. `posix_spawn` is two calls:
//! [`System::spawn_create`] in the parent's system call (validate the
//! request, create the child), and [`System::spawn_apply`] in the child
//! when it first runs (run `libspawn::exec::apply` over a [`SpawnChild`],
//! close FD_CLOEXEC descriptors, look up the image, call the kernel's
//! loader, commit the exec). The process table's rules are here too: the
//! kernel's scheduler asks [`System::pick_next`] and [`System::tick`],
//! blocking calls go through [`System::block`] and the `wake` methods,
//! before a process returns to user mode the kernel asks
//! [`System::deliver_next`]; when it exits, [`System::exit`];
//! `wait4` is [`System::wait_child`], then [`System::reap`]. The kernel
//! keeps only machine state per process slot (registers, kernel stack,
//! address space).
//!
//! # Module map
//! - [`system`]: [`System`], the process table and its rules, and the
//!   system calls (`system/spawn.rs`: the parent's side of `posix_spawn`;
//!   `system/run.rs`: scheduling, blocking, waking, sleeps, alarms, CPU
//!   time; `system/exit.rs`: exit, `wait4` and `waitid`, reaping, orphans;
//!   `system/files.rs`: descriptors; `system/paths.rs`: path calls and
//!   their `*at` forms; `system/locks.rs`: `fcntl` record locks;
//!   `system/limits.rs`: resource limits and CPU times;
//!   `system/procs.rs`: posting and delivering signals, `sigtimedwait`'s
//!   step, scheduling parameters, the nice value of `getpriority` and
//!   `setpriority`).
//! - [`vfs`]: the ramfs: inodes, path resolution, permission checks, and the
//!   checked operations (`open`, `mkdir`, `unlink`, `rmdir`, `chmod`,
//!   `access`, `stat`); [`stat`]: Linux's `struct stat`.
//! - [`file`](mod@file): open file descriptions with reference counts;
//!   [`fdtable`]: per-process descriptor slots with FD_CLOEXEC;
//!   [`pipe`]: pipe buffers; [`io`]: the outcome of a read or write;
//!   [`locks`]: record locks;
//!   [`iovec`]: the `iovec` arrays of `readv` and `writev`.
//! - [`signal`]: masks, pending sets, dispositions, default actions and
//!   the delivery decision; [`pgrp`]: process groups, sessions and `kill`.
//! - [`creds`]: real/effective/saved ids and the `set*id` rules;
//!   [`sched`]: scheduling policy and priority rules, and the nice value;
//!   [`rlimit`]: resource limits and which are enforced; [`sleep`]:
//!   `clock_nanosleep`'s deadlines on the monotonic clock.
//! - [`process`]: the per-process record (ids, parent, run state,
//!   alarm, CPU time, spawn handshake); [`spawn_request`]: a
//!   `posix_spawn` request and its checks; [`spawn_child`]: the child's
//!   side of `posix_spawn` (`System::spawn_apply`, and `ChildOps` for a new
//!   child); `system/exec.rs`: `execve` and the `#!` chain both share
//!   (`System::execve`, `System::resolve_image`); [`script`]: the `#!`
//!   line; [`slab`]: the bounded id-indexed tables everything is
//!   stored in; [`regions`]: a process's `mmap` regions (placement,
//!   splitting on `munmap` and `mprotect`, `MAP_FIXED` replacement).
//! - Pure algorithms the kernel runs on bytes: [`elf`] (executable checks
//!   into a load plan), [`user_stack`] (the initial stack image),
//!   [`strings`] (packed argument lists) and [`user_strings`] (reading
//!   them, and other C strings, from user memory a page at a time),
//!   [`cpio`] and [`initrd`] (the boot archive into the ramfs),
//!   [`sigframe`] (the signal frame's layout), [`wait_status`] (how a
//!   process ended, as `wait4` reports it), [`frames`] (the physical frame
//!   bitmap), [`random`] (the ChaCha20 generator of `getrandom`).
//!
//! # Design
//! No locks inside: the kernel holds one big lock around the whole
//! `System`. Shared objects are slots in bounded tables ([`slab::Slab`])
//! with explicit reference counts, so every limit is a named constant
//! (EMFILE, ENFILE, ENOSPC) and nothing is freed behind the caller's back.
//! Growth uses `try_reserve`, so running out of heap is an error number,
//! not an abort.
//!
//! # Every allocation may fail
//! No allocation reachable from a system call, an interrupt or a spawn
//! may abort when memory runs out: storage comes from `try_reserve` or the
//! helpers of [`fallible`] (ENOMEM, ENOSPC for file data and directory
//! entries) before the call changes anything, so a full heap leaves the
//! state as it was. So no `push`/`insert` beyond a reserved capacity, no
//! `vec!`, `to_vec`, `collect`, `Box::new`, `Arc::new` or `BTreeMap`:
//! directories are [`vfs::Entries`] (a sorted vector that reserves
//! first), shared handles are [`shared::TryArc`]. Code that runs only at
//! boot (`System::new`, [`initrd`], `start_init`) and tests are exempt.
//! The test module `allocation_rule` greps for the forbidden calls, and
//! the kernel's `failslab=` boot option fails allocations on purpose to
//! show the rule holds.
//!
//! # Dependencies
//! - `libspawn` (without its C entry points): the shared ABI numbers and
//!   layouts, `Errno`, `SigSet`, the spawn objects, and the `ChildOps`
//!   trait and executor that [`SpawnChild`] plugs into. Nothing else: the
//!   crate needs no lock (see Design) and no collections beyond `alloc`.
#![cfg_attr(not(test), no_std)]
// Denied everywhere but in `shared`, which needs the raw allocator for an
// `Arc` whose creation can fail, and `nul_mask`, whose SSE2 comparisons
// are assembly.
#![deny(unsafe_code)]

extern crate alloc;

pub mod cpio;
pub mod creds;
pub mod elf;
pub mod fallible;
pub mod fdtable;
pub mod file;
pub mod frames;
pub mod initrd;
pub mod io;
pub mod iovec;
pub mod locks;
pub mod nul_mask;
pub mod pgrp;
pub mod pipe;
pub mod process;
pub mod process_table;
pub mod random;
pub mod regions;
pub mod rlimit;
pub mod sched;
pub mod script;
pub mod shared;
pub mod sigframe;
pub mod signal;
pub mod slab;
pub mod sleep;
pub mod spawn_child;
pub mod spawn_request;
pub mod stat;
pub mod strings;
pub mod system;
pub mod user_stack;
pub mod user_strings;
pub mod vfs;
pub mod wait_status;

#[cfg(test)]
mod allocation_rule;
#[cfg(test)]
mod import_graph;
#[cfg(test)]
mod import_paths;
#[cfg(test)]
mod testutil;

pub use spawn_child::SpawnChild;
pub use system::System;
