//! Entries from user mode: the system-call table and the user-trap
//! handler, the two handlers `main.rs` registers with
//! [`trap::set_handlers`] (the entry code and the register conventions
//! are [`trap`]'s).
#![forbid(unsafe_code)]

use crate::arch::pic::TIMER_VECTOR;
use crate::arch::profile;
use crate::arch::qemu_exit::{exit_qemu, ExitCode};
use crate::arch::trap::{self, TrapFrame};
use crate::mm::demand::Refusal;
use crate::mm::usercopy;
use crate::mm::{self as mm, failslab, heap};
use crate::sys::{
    exec, files, ids, limits, memory, paths, process, readiness, scheduling, sessions, signals,
    spawn, system_info, time, wait,
};
use libspawn::Errno;
use shim_abi::{poweroff, KernelStats, Sysno};
use shim_core::wait_status::Termination;

/// The system call in `frame` (registered with [`trap::set_handlers`]):
/// runs it, leaves the result or `-errno` in `rax`, and acts on pending
/// signals before the return to user mode.
pub fn syscall(frame: &mut TrapFrame) {
    // Injection starts with the first entry from user mode.
    failslab::arm();
    {
        let mut table = process::table();
        let process = table.current_mut();
        process.syscall = frame.rax;
        process.restartable = false;
    }
    frame.rax = match dispatch(frame) {
        Ok(value) => value,
        Err(errno) => (-i64::from(errno.raw())) as u64,
    };
    signals::deliver_pending(frame);
}

/// An exception or interrupt from user mode, after the machine's part
/// (registered with [`trap::set_handlers`]): a timer tick may preempt; a
/// page fault on a page of an `mmap` region or of the stack's growth area
/// maps it ([`memory::page_fault`]), or forces SIGSEGV or SIGBUS; any other
/// exception forces its signal. Pending signals are acted on before the return to user mode.
pub fn user_trap(frame: &mut TrapFrame) {
    failslab::arm();
    let vector = frame.vector;
    if vector == TIMER_VECTOR {
        scheduling::tick();
    } else if vector == trap::PAGE_FAULT_VECTOR {
        match memory::page_fault(frame, trap::fault_address()) {
            Ok(()) => {}
            Err(Refusal::Segv) => signals::fault(frame),
            Err(Refusal::Bus) => signals::bus_error(frame),
        }
    } else if trap::is_exception(vector) {
        signals::fault(frame);
    }
    signals::deliver_pending(frame);
}

/// Decodes the call in `frame.rax` and runs it; a number no [`Sysno`]
/// has is ENOSYS.
fn dispatch(frame: &mut TrapFrame) -> Result<u64, Errno> {
    let Ok(call) = Sysno::try_from(frame.rax) else {
        return Err(Errno::ENOSYS);
    };
    let args = [
        frame.rdi, frame.rsi, frame.rdx, frame.r10, frame.r8, frame.r9,
    ];
    match call {
        Sysno::RtSigreturn => Ok(signals::sigreturn(frame)),
        Sysno::Read => files::read(args[0], args[1], args[2]),
        Sysno::Write => files::write(args[0], args[1], args[2]),
        Sysno::Open => files::open(args[0], args[1], args[2]),
        Sysno::Close => files::close(args[0]),
        Sysno::Stat | Sysno::Lstat => paths::stat(args[0], args[1]),
        Sysno::Fstat => files::fstat(args[0], args[1]),
        Sysno::Poll => readiness::poll(args[0], args[1], args[2]),
        Sysno::Ppoll => readiness::ppoll(args[0], args[1], args[2], args[3], args[4]),
        Sysno::Select => readiness::select(args[0], args[1], args[2], args[3], args[4]),
        Sysno::Pselect6 => {
            readiness::pselect6(args[0], args[1], args[2], args[3], args[4], args[5])
        }
        Sysno::Lseek => files::lseek(args[0], args[1], args[2]),
        Sysno::RtSigaction => signals::rt_sigaction(args[0], args[1], args[2], args[3]),
        Sysno::RtSigprocmask => signals::rt_sigprocmask(args[0], args[1], args[2], args[3]),
        Sysno::Ioctl => files::ioctl(args[0], args[1], args[2]),
        Sysno::Pread64 => files::pread64(args[0], args[1], args[2], args[3]),
        Sysno::Pwrite64 => files::pwrite64(args[0], args[1], args[2], args[3]),
        Sysno::Readv => files::readv(args[0], args[1], args[2]),
        Sysno::Writev => files::writev(args[0], args[1], args[2]),
        Sysno::Access => paths::access(args[0], args[1]),
        Sysno::Pipe => files::pipe2(args[0], 0),
        Sysno::Pipe2 => files::pipe2(args[0], args[1]),
        Sysno::Madvise => memory::madvise(args[0], args[1], args[2]),
        Sysno::Dup => files::dup(args[0]),
        Sysno::Dup2 => files::dup2(args[0], args[1]),
        Sysno::Pause => signals::pause(),
        Sysno::Alarm => time::alarm(args[0]),
        Sysno::Getitimer => time::getitimer(args[0], args[1]),
        Sysno::Setitimer => time::setitimer(args[0], args[1], args[2]),
        Sysno::Fcntl => files::fcntl(args[0], args[1], args[2]),
        Sysno::Fsync | Sysno::Fdatasync => files::fsync(args[0]),
        // Every file lives in memory: nothing to write back.
        Sysno::Sync => Ok(0),
        Sysno::Truncate => paths::truncate(args[0], args[1]),
        Sysno::Ftruncate => files::ftruncate(args[0], args[1]),
        Sysno::Rename => paths::rename(args[0], args[1]),
        Sysno::Fchmod => files::fchmod(args[0], args[1]),
        Sysno::Chown | Sysno::Lchown => paths::chown(args[0], args[1], args[2]),
        Sysno::Fchown => files::fchown(args[0], args[1], args[2]),
        Sysno::Getcwd => paths::getcwd(args[0], args[1]),
        Sysno::Chdir => paths::chdir(args[0]),
        Sysno::Fchdir => paths::fchdir(args[0]),
        Sysno::Mkdir => paths::mkdir(args[0], args[1]),
        Sysno::Rmdir => paths::rmdir(args[0]),
        Sysno::Link => paths::link(args[0], args[1]),
        Sysno::Unlink => paths::unlink(args[0]),
        Sysno::Readlink => paths::readlink(args[0], args[1], args[2]),
        Sysno::Chmod => paths::chmod(args[0], args[1]),
        Sysno::Umask => paths::umask(args[0]),
        Sysno::Getrlimit => limits::getrlimit(args[0], args[1]),
        Sysno::Getrusage => limits::getrusage(args[0], args[1]),
        Sysno::Sysinfo => system_info::sysinfo(args[0]),
        Sysno::Times => time::times(args[0]),
        Sysno::Getuid => ids::getuid(),
        Sysno::Getgid => ids::getgid(),
        Sysno::Setuid => ids::setuid(args[0]),
        Sysno::Setgid => ids::setgid(args[0]),
        Sysno::Geteuid => ids::geteuid(),
        Sysno::Getegid => ids::getegid(),
        Sysno::Setreuid => ids::setreuid(args[0], args[1]),
        Sysno::Setregid => ids::setregid(args[0], args[1]),
        Sysno::Setresuid => ids::setresuid(args[0], args[1], args[2]),
        Sysno::Getresuid => ids::getresuid(args[0], args[1], args[2]),
        Sysno::Setresgid => ids::setresgid(args[0], args[1], args[2]),
        Sysno::Getresgid => ids::getresgid(args[0], args[1], args[2]),
        Sysno::Getgroups => ids::getgroups(args[0]),
        Sysno::Setpgid => sessions::setpgid(args[0], args[1]),
        Sysno::Getpgrp => sessions::getpgid(0),
        Sysno::Setsid => sessions::setsid(),
        Sysno::Getpgid => sessions::getpgid(args[0]),
        Sysno::Getsid => sessions::getsid(args[0]),
        Sysno::RtSigpending => signals::rt_sigpending(args[0], args[1]),
        Sysno::RtSigtimedwait => signals::rt_sigtimedwait(args[0], args[1], args[2], args[3]),
        Sysno::RtSigsuspend => signals::rt_sigsuspend(args[0], args[1]),
        Sysno::Statfs => paths::statfs(args[0], args[1]),
        Sysno::Fstatfs => files::fstatfs(args[0], args[1]),
        Sysno::Sigaltstack => signals::sigaltstack(args[0], args[1], frame.rsp),
        Sysno::Getpriority => scheduling::getpriority(args[0], args[1]),
        Sysno::Setpriority => scheduling::setpriority(args[0], args[1], args[2]),
        Sysno::SchedSetparam => scheduling::sched_setparam(args[0], args[1]),
        Sysno::SchedGetparam => scheduling::sched_getparam(args[0], args[1]),
        Sysno::SchedSetscheduler => scheduling::sched_setscheduler(args[0], args[1], args[2]),
        Sysno::SchedGetscheduler => scheduling::sched_getscheduler(args[0]),
        Sysno::SchedGetPriorityMax => scheduling::sched_get_priority_max(args[0]),
        Sysno::SchedGetPriorityMin => scheduling::sched_get_priority_min(args[0]),
        Sysno::SchedRrGetInterval => scheduling::sched_rr_get_interval(args[0], args[1]),
        Sysno::Setrlimit => limits::setrlimit(args[0], args[1]),
        Sysno::Gettid => process::gettid(),
        Sysno::Tkill => signals::tkill(args[0], args[1]),
        Sysno::Futex => process::futex(),
        Sysno::SchedGetaffinity => scheduling::sched_getaffinity(args[0], args[1], args[2]),
        Sysno::Tgkill => signals::tgkill(args[0], args[1], args[2]),
        Sysno::Prlimit64 => limits::prlimit64(args[0], args[1], args[2], args[3]),
        Sysno::Getrandom => system_info::getrandom(args[0], args[1], args[2]),
        Sysno::Execveat => exec::execveat(frame, args[0], args[1], args[2], args[3], args[4]),
        Sysno::SchedYield => {
            scheduling::preempt();
            Ok(0)
        }
        Sysno::Nanosleep => time::nanosleep(args[0], args[1]),
        Sysno::ClockNanosleep => time::clock_nanosleep(args[0], args[1], args[2], args[3]),
        Sysno::Getpid => Ok(process::table().current_mut().pid as u64),
        Sysno::Getppid => process::getppid(),
        Sysno::Clone | Sysno::Fork | Sysno::Vfork => process::no_fork(),
        Sysno::Execve => exec::execve(frame, args[0], args[1], args[2]),
        Sysno::Uname => system_info::uname(args[0]),
        Sysno::Exit | Sysno::ExitGroup => {
            process::exit_current(Termination::Exited(args[0] as i32))
        }
        Sysno::Wait4 => {
            wait::wait4(args[0] as i32, args[1], args[2] as i32, args[3]).map(|pid| pid as u64)
        }
        Sysno::Waitid => wait::waitid(args[0], args[1], args[2], args[3], args[4]),
        Sysno::Kill => signals::kill(args[0], args[1]),
        Sysno::ClockGettime => time::clock_gettime(args[0], args[1]),
        Sysno::ClockGetres => time::clock_getres(args[0], args[1]),
        Sysno::ShimSpawn => spawn::spawn(args[0], args[1]).map(|()| 0),
        Sysno::ShimKstats => kstats(args[0]),
        Sysno::ShimPoweroff => poweroff(args[0]),
        Sysno::ShimProfile => read_profile(args[0]),
        Sysno::Brk => Ok(memory::brk(args[0])),
        Sysno::Mmap => memory::mmap(args[0], args[1], args[2], args[3], args[4], args[5]),
        Sysno::Mprotect => memory::mprotect(args[0], args[1], args[2]),
        Sysno::Munmap => memory::munmap(args[0], args[1]).map(|()| 0),
        Sysno::Mremap => memory::mremap(args[0], args[1], args[2], args[3]),
        Sysno::ArchPrctl => memory::arch_prctl(args[0], args[1]),
        Sysno::Getdents64 => files::getdents64(args[0], args[1], args[2]),
        Sysno::SetTidAddress => Ok(process::table().current_mut().pid as u64),
        Sysno::Openat => paths::openat(args[0], args[1], args[2], args[3]),
        Sysno::Mkdirat => paths::mkdirat(args[0], args[1], args[2]),
        Sysno::Newfstatat => paths::newfstatat(args[0], args[1], args[2], args[3]),
        Sysno::Unlinkat => paths::unlinkat(args[0], args[1], args[2]),
        Sysno::Renameat => paths::renameat(args[0], args[1], args[2], args[3]),
        Sysno::Linkat => paths::linkat(args[0], args[1], args[2], args[3], args[4]),
        Sysno::Readlinkat => paths::readlinkat(args[0], args[1], args[2], args[3]),
        Sysno::Fchmodat => paths::fchmodat(args[0], args[1], args[2]),
        Sysno::Faccessat => paths::faccessat(args[0], args[1], args[2], 0),
        Sysno::Utimensat => paths::utimensat(args[0], args[1], args[2], args[3]),
        Sysno::Dup3 => files::dup3(args[0], args[1], args[2]),
        Sysno::Faccessat2 => paths::faccessat(args[0], args[1], args[2], args[3]),
    }
}

fn kstats(out: u64) -> Result<u64, Errno> {
    // Images no process maps are a cache, not a leak: count their frames free.
    crate::mm::image_cache::release_unused();
    let mut table = process::table();
    let stats = KernelStats {
        free_frames: mm::free_frames() as u64,
        free_process_slots: table.system().free_slots() as u64,
        open_files: table.system().open_files() as u64,
        heap_used: heap::used_bytes() as u64,
        spawns: spawn::children_created(),
    };
    let space = table.caller()?.space;
    usercopy::write_value(space, out, &stats)?;
    Ok(0)
}

/// `SHIM_PROFILE(out)`: writes the spawn profile's counters
/// ([`shim_abi::SpawnProfile`], all zero unless the kernel command line
/// asked for `profile`) to `out`; the caller becomes the profile's parent.
/// Reads only: no counter is reset.
///
/// # Errors
///
/// `EFAULT` for a bad `out`.
fn read_profile(out: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let caller = table.caller()?;
    let snapshot = profile::snapshot(caller.pid);
    usercopy::write_value(caller.space, out, &snapshot)?;
    Ok(0)
}

fn poweroff(how: u64) -> Result<u64, Errno> {
    if process::table().current_mut().pid != process::INIT_PID {
        return Err(Errno::EPERM);
    }
    match how {
        poweroff::SUCCESS => exit_qemu(ExitCode::Success),
        poweroff::FAILURE => exit_qemu(ExitCode::Failure),
        _ => Err(Errno::EINVAL),
    }
}
