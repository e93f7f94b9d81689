//! System call numbers: every call the kernel serves, each number written
//! once.
//!
//! Linux's number where Linux has the call; the project's own calls start
//! at [`SHIM_BASE`], far from Linux's range. The kernel decodes `rax` with
//! [`Sysno::try_from`] and matches on the variant, so a number it does not
//! list is ENOSYS and a listed one it does not serve is a compile error.

/// Declares [`Sysno`] with its table and conversions from one list of
/// `Variant = number` lines.
macro_rules! system_calls {
    ($($(#[doc = $doc:literal])* $name:ident = $number:literal,)*) => {
        /// A system call number the kernel serves.
        #[repr(u64)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Sysno {
            $($(#[doc = $doc])* $name = $number,)*
        }

        impl Sysno {
            /// Every system call, in number order.
            pub const ALL: &'static [Sysno] = &[$(Sysno::$name,)*];

            /// The variant's name as written here (`RtSigaction`); the C
            /// name is its snake case (`rt_sigaction`).
            pub const fn variant_name(self) -> &'static str {
                match self {
                    $(Sysno::$name => stringify!($name),)*
                }
            }
        }

        impl TryFrom<u64> for Sysno {
            type Error = UnknownSysno;

            fn try_from(number: u64) -> Result<Self, UnknownSysno> {
                match number {
                    $($number => Ok(Sysno::$name),)*
                    _ => Err(UnknownSysno(number)),
                }
            }
        }
    };
}

system_calls! {
    /// read(fd, buf, len)
    Read = 0,
    /// write(fd, buf, len)
    Write = 1,
    /// open(path, oflag, mode)
    Open = 2,
    /// close(fd)
    Close = 3,
    /// stat(path, statbuf)
    Stat = 4,
    /// fstat(fd, statbuf)
    Fstat = 5,
    /// lstat(path, statbuf); there are no symbolic links, so it is stat.
    Lstat = 6,
    /// poll(fds, nfds, timeout_ms), with [`crate::Pollfd`].
    Poll = 7,
    /// lseek(fd, offset, whence)
    Lseek = 8,
    /// mmap(addr, len, prot, flags, fd, offset): anonymous mappings
    /// (reserved, committed on first touch) and private copies of files.
    Mmap = 9,
    /// mprotect(addr, len, prot)
    Mprotect = 10,
    /// munmap(addr, len)
    Munmap = 11,
    /// brk(addr)
    Brk = 12,
    /// rt_sigaction(sig, act, oldact, sigsetsize), with [`crate::Sigaction`].
    RtSigaction = 13,
    /// rt_sigprocmask(how, set, oldset, sigsetsize)
    RtSigprocmask = 14,
    /// rt_sigreturn(): ends a signal handler.
    RtSigreturn = 15,
    /// ioctl(fd, request, arg)
    Ioctl = 16,
    /// pread64(fd, buf, len, offset): reads at `offset`, leaving the file offset alone.
    Pread64 = 17,
    /// pwrite64(fd, buf, len, offset): writes at `offset`, leaving the file offset alone.
    Pwrite64 = 18,
    /// readv(fd, iov, iovcnt)
    Readv = 19,
    /// writev(fd, iov, iovcnt)
    Writev = 20,
    /// access(path, mode)
    Access = 21,
    /// pipe(fds)
    Pipe = 22,
    /// select(nfds, readfds, writefds, exceptfds, timeout): `poll` with
    /// descriptor bit sets and a `struct timeval`.
    Select = 23,
    /// sched_yield()
    SchedYield = 24,
    /// mremap(old, old_len, new_len, flags, new_addr): never moves or
    /// resizes (EINVAL or ENOMEM, which C libraries fall back from).
    Mremap = 25,
    /// madvise(addr, len, advice): validated; advice changes nothing.
    Madvise = 28,
    /// dup(fd)
    Dup = 32,
    /// dup2(fd, new_fd)
    Dup2 = 33,
    /// pause()
    Pause = 34,
    /// nanosleep(req, rem), with [`crate::Timespec`].
    Nanosleep = 35,
    /// getitimer(which, value), with [`crate::Itimerval`]: ITIMER_REAL only.
    Getitimer = 36,
    /// alarm(seconds)
    Alarm = 37,
    /// setitimer(which, new, old), with [`crate::Itimerval`]: ITIMER_REAL
    /// only (musl's `alarm` is built on it).
    Setitimer = 38,
    /// getpid()
    Getpid = 39,
    /// clone(flags, stack, ...): always ENOSYS. No threads and no fork, by
    /// design: new processes come from posix_spawn ([`Sysno::ShimSpawn`]).
    Clone = 56,
    /// fork(): always ENOSYS, by design (see [`Sysno::Clone`]).
    Fork = 57,
    /// vfork(): always ENOSYS, by design (see [`Sysno::Clone`]).
    Vfork = 58,
    /// execve(path, argv, envp): replaces the calling process's image.
    Execve = 59,
    /// exit(status): ends the calling process.
    Exit = 60,
    /// wait4(pid, status, options, rusage)
    Wait4 = 61,
    /// kill(pid, sig)
    Kill = 62,
    /// uname(buf): [`crate::UTSNAME_FIELDS`] strings.
    Uname = 63,
    /// fcntl(fd, cmd, arg)
    Fcntl = 72,
    /// fsync(fd)
    Fsync = 74,
    /// fdatasync(fd)
    Fdatasync = 75,
    /// truncate(path, length)
    Truncate = 76,
    /// ftruncate(fd, length)
    Ftruncate = 77,
    /// getcwd(buf, size)
    Getcwd = 79,
    /// chdir(path)
    Chdir = 80,
    /// fchdir(fd)
    Fchdir = 81,
    /// rename(old, new)
    Rename = 82,
    /// mkdir(path, mode)
    Mkdir = 83,
    /// rmdir(path)
    Rmdir = 84,
    /// link(old, new): a new name for an existing file.
    Link = 86,
    /// unlink(path)
    Unlink = 87,
    /// readlink(path, buf, size): there are no symbolic links, so EINVAL or ENOENT.
    Readlink = 89,
    /// chmod(path, mode)
    Chmod = 90,
    /// fchmod(fd, mode)
    Fchmod = 91,
    /// chown(path, uid, gid)
    Chown = 92,
    /// fchown(fd, uid, gid)
    Fchown = 93,
    /// lchown(path, uid, gid)
    Lchown = 94,
    /// umask(mask)
    Umask = 95,
    /// getrlimit(resource, rlim), with [`crate::Rlimit`].
    Getrlimit = 97,
    /// getrusage(who, usage)
    Getrusage = 98,
    /// sysinfo(info), with [`crate::Sysinfo`].
    Sysinfo = 99,
    /// times(buf), with [`crate::Tms`].
    Times = 100,
    /// getuid()
    Getuid = 102,
    /// getgid()
    Getgid = 104,
    /// setuid(uid)
    Setuid = 105,
    /// setgid(gid)
    Setgid = 106,
    /// geteuid()
    Geteuid = 107,
    /// getegid()
    Getegid = 108,
    /// setpgid(pid, pgid)
    Setpgid = 109,
    /// getppid()
    Getppid = 110,
    /// getpgrp()
    Getpgrp = 111,
    /// setsid()
    Setsid = 112,
    /// setreuid(ruid, euid)
    Setreuid = 113,
    /// setregid(rgid, egid)
    Setregid = 114,
    /// getgroups(size, list): no supplementary groups, so always 0.
    Getgroups = 115,
    /// setresuid(ruid, euid, suid)
    Setresuid = 117,
    /// getresuid(ruid, euid, suid)
    Getresuid = 118,
    /// setresgid(rgid, egid, sgid)
    Setresgid = 119,
    /// getresgid(rgid, egid, sgid)
    Getresgid = 120,
    /// getpgid(pid)
    Getpgid = 121,
    /// getsid(pid)
    Getsid = 124,
    /// rt_sigpending(set, sigsetsize)
    RtSigpending = 127,
    /// rt_sigtimedwait(set, info, timeout, sigsetsize): takes a pending
    /// signal of `set`, with [`crate::Timespec`].
    RtSigtimedwait = 128,
    /// rt_sigsuspend(mask, sigsetsize)
    RtSigsuspend = 130,
    /// sigaltstack(ss, old_ss), with [`crate::StackT`].
    Sigaltstack = 131,
    /// statfs(path, buf), with [`crate::Statfs`].
    Statfs = 137,
    /// fstatfs(fd, buf), with [`crate::Statfs`].
    Fstatfs = 138,
    /// getpriority(which, who): 20 - nice.
    Getpriority = 140,
    /// setpriority(which, who, nice)
    Setpriority = 141,
    /// sched_setparam(pid, param)
    SchedSetparam = 142,
    /// sched_getparam(pid, param)
    SchedGetparam = 143,
    /// sched_setscheduler(pid, policy, param)
    SchedSetscheduler = 144,
    /// sched_getscheduler(pid)
    SchedGetscheduler = 145,
    /// sched_get_priority_max(policy)
    SchedGetPriorityMax = 146,
    /// sched_get_priority_min(policy)
    SchedGetPriorityMin = 147,
    /// sched_rr_get_interval(pid, ts), with [`crate::Timespec`].
    SchedRrGetInterval = 148,
    /// arch_prctl(code, addr)
    ArchPrctl = 158,
    /// setrlimit(resource, rlim)
    Setrlimit = 160,
    /// sync(): nothing to write back (every file lives in memory).
    Sync = 162,
    /// gettid(): the pid (one thread per process).
    Gettid = 186,
    /// tkill(tid, sig)
    Tkill = 200,
    /// futex(uaddr, op, ...): always ENOSYS (no threads, by design).
    Futex = 202,
    /// sched_getaffinity(pid, size, mask): one CPU.
    SchedGetaffinity = 204,
    /// getdents64(fd, buf, len): directory entries as [`crate::dirent`] records.
    Getdents64 = 217,
    /// set_tid_address(tidptr): returns the caller's pid.
    SetTidAddress = 218,
    /// clock_gettime(clock, ts), with [`crate::Timespec`].
    ClockGettime = 228,
    /// clock_getres(clock, res), with [`crate::Timespec`].
    ClockGetres = 229,
    /// clock_nanosleep(clock, flags, req, rem), with [`crate::Timespec`].
    ClockNanosleep = 230,
    /// exit_group(status)
    ExitGroup = 231,
    /// tgkill(tgid, tid, sig)
    Tgkill = 234,
    /// waitid(idtype, id, infop, options, rusage): wait4 with a `siginfo_t`.
    Waitid = 247,
    /// openat(dirfd, path, flags, mode)
    Openat = 257,
    /// mkdirat(dirfd, path, mode)
    Mkdirat = 258,
    /// newfstatat(dirfd, path, statbuf, flags)
    Newfstatat = 262,
    /// unlinkat(dirfd, path, flags)
    Unlinkat = 263,
    /// renameat(olddirfd, old, newdirfd, new)
    Renameat = 264,
    /// linkat(olddirfd, old, newdirfd, new, flags)
    Linkat = 265,
    /// readlinkat(dirfd, path, buf, size)
    Readlinkat = 267,
    /// fchmodat(dirfd, path, mode)
    Fchmodat = 268,
    /// faccessat(dirfd, path, mode): with the real ids.
    Faccessat = 269,
    /// pselect6(nfds, readfds, writefds, exceptfds, timeout, sigmask):
    /// `select` with a [`crate::Timespec`] and a mask for the wait.
    Pselect6 = 270,
    /// ppoll(fds, nfds, timeout, sigmask, sigsetsize): `poll` with a
    /// [`crate::Timespec`] and a mask for the wait.
    Ppoll = 271,
    /// utimensat(dirfd, path, times, flags), with two [`crate::Timespec`]s.
    Utimensat = 280,
    /// dup3(fd, new_fd, flags)
    Dup3 = 292,
    /// pipe2(fds, flags)
    Pipe2 = 293,
    /// prlimit64(pid, resource, new, old)
    Prlimit64 = 302,
    /// getrandom(buf, len, flags)
    Getrandom = 318,
    /// execveat(dirfd, path, argv, envp, flags): [`Sysno::Execve`] from a
    /// directory descriptor, or of an open file (`fexecve`).
    Execveat = 322,
    /// faccessat2(dirfd, path, mode, flags)
    Faccessat2 = 439,
    /// The project's spawn: spawn(pid_out: *mut i32, request: *const
    /// [`crate::SpawnRequest`]). The first of the project's own calls
    /// ([`SHIM_BASE`]).
    ShimSpawn = 1000,
    /// kstats(out: *mut [`crate::KernelStats`]): resource counters for
    /// leak tests.
    ShimKstats = 1001,
    /// poweroff(how: one of [`crate::poweroff`]): ends the QEMU run (init
    /// only).
    ShimPoweroff = 1002,
    /// profile(out: *mut [`crate::SpawnProfile`]): the spawn profile's
    /// counters (read-only; the caller becomes the profile's parent).
    ShimProfile = 1003,
}

/// First number of the project's own calls.
pub const SHIM_BASE: u64 = Sysno::ShimSpawn.number();

impl Sysno {
    /// The number that goes in `rax`.
    pub const fn number(self) -> u64 {
        self as u64
    }
}

impl From<Sysno> for u64 {
    fn from(call: Sysno) -> u64 {
        call.number()
    }
}

/// A number no [`Sysno`] has: the kernel answers ENOSYS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnknownSysno(pub u64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_number_converts_back_to_its_call() {
        for &call in Sysno::ALL {
            assert_eq!(Sysno::try_from(call.number()), Ok(call));
        }
    }

    #[test]
    fn numbers_are_listed_in_increasing_order_without_repeats() {
        for pair in Sysno::ALL.windows(2) {
            assert!(pair[0].number() < pair[1].number(), "{pair:?}");
        }
    }

    #[test]
    fn unlisted_numbers_are_unknown() {
        for number in [27, 26, 500, 999, 1004, u64::MAX] {
            assert_eq!(Sysno::try_from(number), Err(UnknownSysno(number)));
        }
    }

    #[test]
    fn exactly_the_project_calls_lie_at_or_above_shim_base() {
        for &call in Sysno::ALL {
            let own = call.variant_name().starts_with("Shim");
            assert_eq!(call.number() >= SHIM_BASE, own, "{call:?}");
        }
    }
}
