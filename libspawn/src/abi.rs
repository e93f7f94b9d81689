//! The ABI shared by libspawn, the kernel and guest programs, defined once.
//!
//! Everything here is a plain integer, a constant or a `#[repr(C)]` struct of
//! integers, so any bit pattern is a valid value: the kernel may copy these
//! structures from user memory byte for byte and validate them afterwards.
//! Numbers follow Linux x86_64 wherever Linux has the same concept.
#![forbid(unsafe_code)]

/// Size of a process's descriptor table: descriptors are `0..OPEN_MAX`.
/// `addopen`, `adddup2`, `addclose` and `addfchdir` reject a descriptor
/// `>= OPEN_MAX` with EBADF (`addclosefrom_np` takes any bound >= 0).
pub const OPEN_MAX: i32 = 1024;

/// Longest path, counting its terminating NUL. A path of `PATH_MAX` bytes or
/// more (not counting the NUL) is ENAMETOOLONG.
pub const PATH_MAX: usize = 4096;

/// Number of signals: signals are numbered `1..=NSIG`.
pub const NSIG: i32 = 64;

/// Default action capacity of the C `posix_spawn_file_actions_t`.
pub const DEFAULT_MAX_ACTIONS: usize = 64;

/// Default path-storage capacity, in bytes, of the C
/// `posix_spawn_file_actions_t` (paths are stored without their NUL).
pub const DEFAULT_PATH_BYTES: usize = 16 * 1024;

/// Size in bytes of the opaque C `posix_spawnattr_t` (`spawn.h`). It holds
/// the whole attribute object plus room to grow without an ABI break.
pub const SPAWNATTR_SIZE: usize = 64;

/// Alignment in bytes of the opaque C `posix_spawnattr_t`.
pub const SPAWNATTR_ALIGN: usize = 8;

/// Size in bytes of the opaque C `posix_spawn_file_actions_t` (`spawn.h`).
/// It holds [`DEFAULT_MAX_ACTIONS`] actions and [`DEFAULT_PATH_BYTES`] bytes
/// of paths in place, with no heap.
pub const FILE_ACTIONS_SIZE: usize = 18 * 1024;

/// Alignment in bytes of the opaque C `posix_spawn_file_actions_t`.
pub const FILE_ACTIONS_ALIGN: usize = 8;

/// `posix_spawnattr_t` flag values (Linux/musl numbering).
pub mod flags {
    /// Child's effective ids become the parent's real ids.
    pub const POSIX_SPAWN_RESETIDS: u32 = 0x01;
    /// Child's process group is set from the spawn-pgroup attribute.
    pub const POSIX_SPAWN_SETPGROUP: u32 = 0x02;
    /// Signals in spawn-sigdefault are reset to SIG_DFL.
    pub const POSIX_SPAWN_SETSIGDEF: u32 = 0x04;
    /// Child's signal mask is set from spawn-sigmask.
    pub const POSIX_SPAWN_SETSIGMASK: u32 = 0x08;
    /// Child's scheduling priority is set from spawn-schedparam.
    pub const POSIX_SPAWN_SETSCHEDPARAM: u32 = 0x10;
    /// Child's policy and priority are set from the attribute.
    pub const POSIX_SPAWN_SETSCHEDULER: u32 = 0x20;
    /// Accepted and ignored, as glibc and musl do.
    pub const POSIX_SPAWN_USEVFORK: u32 = 0x40;
    /// Child becomes a session leader (POSIX.1-2024).
    pub const POSIX_SPAWN_SETSID: u32 = 0x80;
    /// Extension: `posix_spawn` returns as soon as the child exists, without
    /// waiting for its image to load; a failure after that point is seen
    /// only as the child's exit status 127 (the SerenityOS behaviour).
    /// 0x100 is left free because glibc uses it for SETCGROUP.
    pub const POSIX_SPAWN_NOWAIT_NP: u32 = 0x200;
}

/// Scheduling policies (Linux numbering).
pub mod sched {
    /// The default time-sharing policy (priority 0 only).
    pub const SCHED_OTHER: i32 = 0;
    /// First-in, first-out real-time policy (priorities 1..=99).
    pub const SCHED_FIFO: i32 = 1;
    /// Round-robin real-time policy (priorities 1..=99).
    pub const SCHED_RR: i32 = 2;
    /// Lowest real-time priority.
    pub const REALTIME_PRIORITY_MIN: i32 = 1;
    /// Highest real-time priority.
    pub const REALTIME_PRIORITY_MAX: i32 = 99;
}

/// `open` flags and `fcntl` values (Linux x86_64 numbering).
pub mod fcntl {
    /// Open for reading only.
    pub const O_RDONLY: i32 = 0o0;
    /// Open for writing only.
    pub const O_WRONLY: i32 = 0o1;
    /// Open for reading and writing.
    pub const O_RDWR: i32 = 0o2;
    /// Mask of the access-mode bits.
    pub const O_ACCMODE: i32 = 0o3;
    /// Create the file if it does not exist.
    pub const O_CREAT: i32 = 0o100;
    /// With O_CREAT: fail with EEXIST if the file exists.
    pub const O_EXCL: i32 = 0o200;
    /// Do not make the file the controlling terminal.
    pub const O_NOCTTY: i32 = 0o400;
    /// Truncate a regular file to length 0.
    pub const O_TRUNC: i32 = 0o1000;
    /// Every write appends.
    pub const O_APPEND: i32 = 0o2000;
    /// Non-blocking I/O.
    pub const O_NONBLOCK: i32 = 0o4000;
    /// Fail with ENOTDIR unless the path is a directory.
    pub const O_DIRECTORY: i32 = 0o200000;
    /// Do not follow a final symbolic link.
    pub const O_NOFOLLOW: i32 = 0o400000;
    /// Set FD_CLOEXEC on the new descriptor.
    pub const O_CLOEXEC: i32 = 0o2000000;
    /// The close-on-exec descriptor flag.
    pub const FD_CLOEXEC: i32 = 1;
    /// `fcntl`: duplicate to the lowest free descriptor >= arg.
    pub const F_DUPFD: i32 = 0;
    /// `fcntl`: get descriptor flags.
    pub const F_GETFD: i32 = 1;
    /// `fcntl`: set descriptor flags.
    pub const F_SETFD: i32 = 2;
    /// `fcntl`: get status flags.
    pub const F_GETFL: i32 = 3;
    /// `fcntl`: set status flags.
    pub const F_SETFL: i32 = 4;
}

/// The kind of a file action record.
pub mod action_kind {
    /// `addopen(fd, path, oflag, mode)`.
    pub const OPEN: u32 = 1;
    /// `addclose(fd)`.
    pub const CLOSE: u32 = 2;
    /// `adddup2(fd, arg)`.
    pub const DUP2: u32 = 3;
    /// `addchdir(path)`.
    pub const CHDIR: u32 = 4;
    /// `addfchdir(fd)`.
    pub const FCHDIR: u32 = 5;
    /// `addclosefrom_np(fd)`.
    pub const CLOSEFROM: u32 = 6;
}

/// One file action as stored in a `FileActions` object and as passed to the
/// kernel. Paths live in the object's separate path storage and are named by
/// offset and length (no NUL).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ActionRecord {
    /// One of the [`action_kind`] values.
    pub kind: u32,
    /// The descriptor the action acts on (OPEN target, CLOSE, DUP2 source,
    /// FCHDIR, CLOSEFROM low bound).
    pub fd: i32,
    /// DUP2: the target descriptor. Otherwise 0.
    pub arg: i32,
    /// OPEN: the `oflag` argument. Otherwise 0.
    pub oflag: i32,
    /// OPEN: the `mode` argument. Otherwise 0.
    pub mode: u32,
    /// OPEN and CHDIR: offset of the path in the path storage.
    pub path_offset: u32,
    /// OPEN and CHDIR: length of the path in bytes, without NUL.
    pub path_len: u32,
}

/// The attribute object as stored in `posix_spawnattr_t` and passed to the
/// kernel.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RawAttr {
    /// `POSIX_SPAWN_*` flags (see [`flags`]).
    pub flags: u32,
    /// spawn-pgroup (>= 0).
    pub pgroup: i32,
    /// spawn-sigmask: bit `n - 1` is signal `n`.
    pub sigmask: u64,
    /// spawn-sigdefault: bit `n - 1` is signal `n`.
    pub sigdefault: u64,
    /// spawn-schedpolicy (see [`sched`]).
    pub schedpolicy: i32,
    /// spawn-schedparam's `sched_priority`.
    pub schedpriority: i32,
}

/// System call numbers. Linux's where Linux has the call; the project's own
/// calls live at [`sysno::SHIM_BASE`] and above, far from Linux's range.
pub mod sysno {
    /// read(fd, buf, len)
    pub const READ: usize = 0;
    /// write(fd, buf, len)
    pub const WRITE: usize = 1;
    /// open(path, oflag, mode)
    pub const OPEN: usize = 2;
    /// close(fd)
    pub const CLOSE: usize = 3;
    /// sched_yield()
    pub const SCHED_YIELD: usize = 24;
    /// nanosleep(req, rem)
    pub const NANOSLEEP: usize = 35;
    /// getpid()
    pub const GETPID: usize = 39;
    /// exit(status): ends the calling process.
    pub const EXIT: usize = 60;
    /// wait4(pid, status, options, rusage)
    pub const WAIT4: usize = 61;
    /// kill(pid, sig)
    pub const KILL: usize = 62;
    /// getcwd(buf, size)
    pub const GETCWD: usize = 79;
    /// getppid()
    pub const GETPPID: usize = 110;
    /// getpgid(pid)
    pub const GETPGID: usize = 121;
    /// getsid(pid)
    pub const GETSID: usize = 124;
    /// clock_gettime(clock, ts)
    pub const CLOCK_GETTIME: usize = 228;
    /// exit_group(status)
    pub const EXIT_GROUP: usize = 231;
    /// First number of the project's own calls.
    pub const SHIM_BASE: usize = 1000;
    /// posix_spawn(pid_out: *mut i32, request: *const SpawnRequest)
    pub const SHIM_SPAWN: usize = SHIM_BASE;
    /// kstats(out: *mut KernelStats): resource counters for leak tests.
    pub const SHIM_KSTATS: usize = SHIM_BASE + 1;
    /// poweroff(success: usize): ends the QEMU run (init only).
    pub const SHIM_POWEROFF: usize = SHIM_BASE + 2;
}

/// Argument block of the `SHIM_SPAWN` system call. Pointers are carried as
/// `u64` so the kernel's copy of this struct holds no pointer values.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SpawnRequest {
    /// NUL-terminated path of the image.
    pub path: u64,
    /// NULL-terminated array of NUL-terminated strings.
    pub argv: u64,
    /// NULL-terminated array of NUL-terminated strings.
    pub envp: u64,
    /// `*const RawAttr`, or 0 for default attributes.
    pub attr: u64,
    /// `*const ActionRecord`, `action_count` records (0 when count is 0).
    pub actions: u64,
    /// Number of action records.
    pub action_count: u64,
    /// Path storage the records point into.
    pub paths: u64,
    /// Bytes of path storage.
    pub paths_len: u64,
    /// `posix_spawnp`: a NUL-terminated, colon-separated directory list (the
    /// caller's PATH), or 0 for `posix_spawn`. When set, `path` is a bare
    /// file name that the kernel looks up in each directory in turn, after
    /// the file actions have run once (so relative entries follow chdir
    /// actions): ENOENT and ENOTDIR move on to the next directory, EACCES is
    /// remembered and returned if nothing else is found, any other error
    /// stops the search. An empty entry means the working directory.
    pub search_path: u64,
}

/// Kernel resource counters, for tests that check nothing leaks.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KernelStats {
    /// Free physical frames.
    pub free_frames: u64,
    /// Free process-table slots.
    pub free_process_slots: u64,
    /// Open file descriptions, system-wide.
    pub open_files: u64,
    /// Bytes in use in the kernel heap.
    pub heap_used: u64,
}

/// Exit status a spawned child reports when the spawn fails after the child
/// exists (POSIX: "the child process shall exit with exit status 127").
pub const SPAWN_FAILURE_STATUS: i32 = 127;

const _: () = assert!(core::mem::size_of::<ActionRecord>() == 28);
const _: () = assert!(core::mem::size_of::<RawAttr>() == 32);
const _: () = assert!(core::mem::size_of::<SpawnRequest>() == 72);
const _: () = assert!(core::mem::size_of::<KernelStats>() == 32);

/// Guest memory layout shared by the kernel's ELF loader and the guest
/// linker scripts.
pub mod layout {
    /// Lowest address a user image may occupy. User images are non-PIC,
    /// linked with the small code model, so they must lie below 2 GiB; the
    /// kernel's supervisor-only identity map of physical memory lies below
    /// this address.
    pub const USER_IMAGE_BASE: u64 = 0x4000_0000;
    /// One past the highest user address (exclusive end of the lower half).
    pub const USER_END: u64 = 0x0000_8000_0000_0000;
    /// Top of the initial user stack.
    pub const USER_STACK_TOP: u64 = 0x0000_7fff_ffff_0000;
}

/// Codes written to QEMU's `isa-debug-exit` device (port 0xf4). QEMU exits
/// with `(code << 1) | 1`.
pub mod qemu_exit {
    /// I/O port of the `isa-debug-exit` device.
    pub const PORT: u16 = 0xf4;
    /// Every guest test passed: QEMU exits with 33.
    pub const SUCCESS: u32 = 0x10;
    /// A guest test failed: QEMU exits with 35.
    pub const FAILURE: u32 = 0x11;
    /// The kernel faulted or panicked: QEMU exits with 37.
    pub const KERNEL_FAULT: u32 = 0x12;
}

/// Signal numbers (Linux x86_64 numbering) that this stage delivers or
/// reports in wait statuses.
pub mod signal {
    /// Illegal instruction: a user `#UD` (invalid opcode).
    pub const SIGILL: i32 = 4;
    /// Arithmetic error: a user `#DE` (divide error).
    pub const SIGFPE: i32 = 8;
    /// Kill, cannot be caught or ignored.
    pub const SIGKILL: i32 = 9;
    /// Invalid memory reference: a user page fault or general protection
    /// fault.
    pub const SIGSEGV: i32 = 11;
    /// Termination request.
    pub const SIGTERM: i32 = 15;
    /// Hangup.
    pub const SIGHUP: i32 = 1;
    /// Interrupt from the keyboard.
    pub const SIGINT: i32 = 2;
    /// Quit from the keyboard.
    pub const SIGQUIT: i32 = 3;
    /// Trace or breakpoint trap.
    pub const SIGTRAP: i32 = 5;
    /// Abort (`abort()`).
    pub const SIGABRT: i32 = 6;
    /// Bus error.
    pub const SIGBUS: i32 = 7;
    /// User-defined signal 1.
    pub const SIGUSR1: i32 = 10;
    /// User-defined signal 2.
    pub const SIGUSR2: i32 = 12;
    /// Write to a pipe with no reader.
    pub const SIGPIPE: i32 = 13;
    /// Timer expired (`alarm`).
    pub const SIGALRM: i32 = 14;
    /// Coprocessor stack fault (unused on x86_64).
    pub const SIGSTKFLT: i32 = 16;
    /// A child stopped or terminated.
    pub const SIGCHLD: i32 = 17;
    /// Continue if stopped.
    pub const SIGCONT: i32 = 18;
    /// Stop, cannot be caught, ignored or blocked.
    pub const SIGSTOP: i32 = 19;
    /// Stop typed at a terminal.
    pub const SIGTSTP: i32 = 20;
    /// Terminal input for a background process.
    pub const SIGTTIN: i32 = 21;
    /// Terminal output for a background process.
    pub const SIGTTOU: i32 = 22;
    /// Urgent condition on a socket.
    pub const SIGURG: i32 = 23;
    /// CPU time limit exceeded.
    pub const SIGXCPU: i32 = 24;
    /// File size limit exceeded.
    pub const SIGXFSZ: i32 = 25;
    /// Virtual alarm clock.
    pub const SIGVTALRM: i32 = 26;
    /// Profiling timer expired.
    pub const SIGPROF: i32 = 27;
    /// Window size change.
    pub const SIGWINCH: i32 = 28;
    /// I/O now possible.
    pub const SIGIO: i32 = 29;
    /// Power failure.
    pub const SIGPWR: i32 = 30;
    /// Bad system call.
    pub const SIGSYS: i32 = 31;
    /// First real-time signal as the kernel numbers them (C libraries
    /// reserve a few and report a higher `SIGRTMIN`).
    pub const SIGRTMIN: i32 = 32;
    /// Last real-time signal.
    pub const SIGRTMAX: i32 = 64;
}

/// `wait4` options and the Linux wait-status encoding.
pub mod wait {
    /// Option: return 0 at once instead of blocking when no child has
    /// changed state yet.
    pub const WNOHANG: i32 = 1;
    /// Mask of the signal number in a status (0 means "exited").
    pub const SIGNAL_MASK: i32 = 0x7f;
    /// Shift of the exit code in an "exited" status.
    pub const EXIT_CODE_SHIFT: u32 = 8;
    /// Mask of the exit code, after the shift.
    pub const EXIT_CODE_MASK: i32 = 0xff;
    /// Low-7-bit value marking a stopped child (not a signal number).
    pub const STOPPED_MARK: i32 = 0x7f;
    /// Bit set in a "killed by signal" status when a core was dumped.
    pub const CORE_DUMP_FLAG: i32 = 0x80;
}

/// Clock ids for `clock_gettime` (Linux numbering).
pub mod clock {
    /// Time since boot, never set back.
    pub const CLOCK_MONOTONIC: i32 = 1;
}

/// `struct timespec` as `clock_gettime` and `nanosleep` pass it (Linux
/// x86_64 layout).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Timespec {
    /// Whole seconds.
    pub tv_sec: i64,
    /// Nanoseconds, `0..NANOS_PER_SEC`.
    pub tv_nsec: i64,
}

/// Nanoseconds in one second: the exclusive bound of `Timespec::tv_nsec`.
pub const NANOS_PER_SEC: i64 = 1_000_000_000;

const _: () = assert!(core::mem::size_of::<Timespec>() == 16);

/// Longest file name component, in bytes (without NUL). A longer component
/// is ENAMETOOLONG.
pub const NAME_MAX: usize = 255;

/// Writes to a pipe of at most this many bytes are atomic (never
/// interleaved with other writers, never partial).
pub const PIPE_BUF: usize = 4096;

/// File type and permission bits of `st_mode` and of `open`/`mkdir`/`chmod`
/// modes (Linux values).
pub mod mode {
    /// Mask of the file type bits.
    pub const S_IFMT: u32 = 0o170000;
    /// Regular file.
    pub const S_IFREG: u32 = 0o100000;
    /// Directory.
    pub const S_IFDIR: u32 = 0o040000;
    /// Character device.
    pub const S_IFCHR: u32 = 0o020000;
    /// FIFO (pipe).
    pub const S_IFIFO: u32 = 0o010000;
    /// Set-user-ID on execution.
    pub const S_ISUID: u32 = 0o4000;
    /// Set-group-ID on execution.
    pub const S_ISGID: u32 = 0o2000;
    /// Sticky bit: in a directory, only a file's owner, the directory's
    /// owner or root may remove or rename it.
    pub const S_ISVTX: u32 = 0o1000;
    /// Owner read, write, execute/search.
    pub const S_IRWXU: u32 = 0o700;
    /// Owner read.
    pub const S_IRUSR: u32 = 0o400;
    /// Owner write.
    pub const S_IWUSR: u32 = 0o200;
    /// Owner execute/search.
    pub const S_IXUSR: u32 = 0o100;
    /// Group read, write, execute/search.
    pub const S_IRWXG: u32 = 0o070;
    /// Group read.
    pub const S_IRGRP: u32 = 0o040;
    /// Group write.
    pub const S_IWGRP: u32 = 0o020;
    /// Group execute/search.
    pub const S_IXGRP: u32 = 0o010;
    /// Others read, write, execute/search.
    pub const S_IRWXO: u32 = 0o007;
    /// Others read.
    pub const S_IROTH: u32 = 0o004;
    /// Others write.
    pub const S_IWOTH: u32 = 0o002;
    /// Others execute/search.
    pub const S_IXOTH: u32 = 0o001;
    /// Every bit `chmod` may set: permissions plus set-id and sticky bits.
    pub const S_IALLUGO: u32 = 0o7777;
}

/// `lseek` whence values.
pub mod seek {
    /// The offset is set to `offset`.
    pub const SEEK_SET: i32 = 0;
    /// The offset is set to the current offset plus `offset`.
    pub const SEEK_CUR: i32 = 1;
    /// The offset is set to the file size plus `offset`.
    pub const SEEK_END: i32 = 2;
}

/// `access` mode bits.
pub mod access {
    /// Test for existence.
    pub const F_OK: i32 = 0;
    /// Test for execute (search) permission.
    pub const X_OK: i32 = 1;
    /// Test for write permission.
    pub const W_OK: i32 = 2;
    /// Test for read permission.
    pub const R_OK: i32 = 4;
}

/// `sigprocmask` and `sigaction` values (Linux x86_64).
pub mod sigaction {
    /// `sigprocmask` how: add the set to the mask.
    pub const SIG_BLOCK: i32 = 0;
    /// `sigprocmask` how: remove the set from the mask.
    pub const SIG_UNBLOCK: i32 = 1;
    /// `sigprocmask` how: the mask becomes the set.
    pub const SIG_SETMASK: i32 = 2;
    /// Handler value: the default action.
    pub const SIG_DFL: u64 = 0;
    /// Handler value: ignore the signal.
    pub const SIG_IGN: u64 = 1;
    /// SIGCHLD is not generated when children stop.
    pub const SA_NOCLDSTOP: u64 = 0x0000_0001;
    /// Children do not become zombies.
    pub const SA_NOCLDWAIT: u64 = 0x0000_0002;
    /// The handler takes three arguments (`siginfo_t`, context).
    pub const SA_SIGINFO: u64 = 0x0000_0004;
    /// `sa_restorer` is valid (set by the C library).
    pub const SA_RESTORER: u64 = 0x0400_0000;
    /// Run the handler on the alternate signal stack.
    pub const SA_ONSTACK: u64 = 0x0800_0000;
    /// Restart interrupted system calls.
    pub const SA_RESTART: u64 = 0x1000_0000;
    /// Do not block the signal while its handler runs.
    pub const SA_NODEFER: u64 = 0x4000_0000;
    /// Reset the disposition to SIG_DFL when the handler is entered.
    pub const SA_RESETHAND: u64 = 0x8000_0000;
}
