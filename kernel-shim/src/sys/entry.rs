//! Entries from user mode: the system-call table and the user-trap
//! handler, the two handlers `main.rs` registers with
//! [`trap::set_handlers`] (the entry code and the register conventions
//! are [`trap`]'s).
#![forbid(unsafe_code)]

use crate::arch::pic::TIMER_VECTOR;
use crate::arch::qemu_exit::{exit_qemu, ExitCode};
use crate::arch::time;
use crate::arch::trap::{self, TrapFrame};
use crate::mm::usercopy;
use crate::mm::{self as memory, failslab, heap};
use crate::sys::process::Block;
use crate::sys::{
    files as fd_syscalls, fs_syscalls, ids, memory as vm, process, sched_syscalls, scheduling,
    session_syscalls, signal_syscalls, signals, spawn, time as alarm,
};
use libspawn::Errno;
use shim_abi::clock::{
    CLOCK_BOOTTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC_COARSE, CLOCK_MONOTONIC_RAW,
    CLOCK_PROCESS_CPUTIME_ID, CLOCK_REALTIME, CLOCK_REALTIME_COARSE, CLOCK_THREAD_CPUTIME_ID,
};
use shim_abi::{poweroff, KernelStats, Sysno, Timespec, NANOS_PER_SEC};
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
/// page fault below the stack grows it; any other exception forces its
/// signal. Pending signals are acted on before the return to user mode.
pub fn user_trap(frame: &mut TrapFrame) {
    failslab::arm();
    let vector = frame.vector;
    if vector == TIMER_VECTOR {
        scheduling::tick();
    } else if trap::is_exception(vector) {
        let grown = vector == trap::PAGE_FAULT_VECTOR && vm::grow_stack(trap::fault_address());
        if !grown {
            signals::fault(frame);
        }
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
        Sysno::Read => fd_syscalls::read(args[0], args[1], args[2]),
        Sysno::Write => fd_syscalls::write(args[0], args[1], args[2]),
        Sysno::Open => fd_syscalls::open(args[0], args[1], args[2]),
        Sysno::Close => fd_syscalls::close(args[0]),
        Sysno::Stat | Sysno::Lstat => fs_syscalls::stat(args[0], args[1]),
        Sysno::Fstat => fd_syscalls::fstat(args[0], args[1]),
        Sysno::Lseek => fd_syscalls::lseek(args[0], args[1], args[2]),
        Sysno::RtSigaction => signal_syscalls::rt_sigaction(args[0], args[1], args[2], args[3]),
        Sysno::RtSigprocmask => signal_syscalls::rt_sigprocmask(args[0], args[1], args[2], args[3]),
        Sysno::Ioctl => fd_syscalls::ioctl(args[0], args[1], args[2]),
        Sysno::Access => fs_syscalls::access(args[0], args[1]),
        Sysno::Pipe => fd_syscalls::pipe2(args[0], 0),
        Sysno::Pipe2 => fd_syscalls::pipe2(args[0], args[1]),
        Sysno::Dup => fd_syscalls::dup(args[0]),
        Sysno::Dup2 => fd_syscalls::dup2(args[0], args[1]),
        Sysno::Pause => signal_syscalls::pause(),
        Sysno::Alarm => alarm::alarm(args[0]),
        Sysno::Fcntl => fd_syscalls::fcntl(args[0], args[1], args[2]),
        Sysno::Fsync | Sysno::Fdatasync => fd_syscalls::fsync(args[0]),
        Sysno::Truncate => fs_syscalls::truncate(args[0], args[1]),
        Sysno::Ftruncate => fd_syscalls::ftruncate(args[0], args[1]),
        Sysno::Rename => fs_syscalls::rename(args[0], args[1]),
        Sysno::Fchmod => fd_syscalls::fchmod(args[0], args[1]),
        Sysno::Chown | Sysno::Lchown => fs_syscalls::chown(args[0], args[1], args[2]),
        Sysno::Fchown => fd_syscalls::fchown(args[0], args[1], args[2]),
        Sysno::Getcwd => fs_syscalls::getcwd(args[0], args[1]),
        Sysno::Chdir => fs_syscalls::chdir(args[0]),
        Sysno::Fchdir => fs_syscalls::fchdir(args[0]),
        Sysno::Mkdir => fs_syscalls::mkdir(args[0], args[1]),
        Sysno::Rmdir => fs_syscalls::rmdir(args[0]),
        Sysno::Unlink => fs_syscalls::unlink(args[0]),
        Sysno::Chmod => fs_syscalls::chmod(args[0], args[1]),
        Sysno::Umask => fs_syscalls::umask(args[0]),
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
        Sysno::Setpgid => session_syscalls::setpgid(args[0], args[1]),
        Sysno::Getpgrp => session_syscalls::getpgid(0),
        Sysno::Setsid => session_syscalls::setsid(),
        Sysno::Getpgid => session_syscalls::getpgid(args[0]),
        Sysno::Getsid => session_syscalls::getsid(args[0]),
        Sysno::RtSigpending => signal_syscalls::rt_sigpending(args[0], args[1]),
        Sysno::RtSigsuspend => signal_syscalls::rt_sigsuspend(args[0], args[1]),
        Sysno::SchedSetparam => sched_syscalls::sched_setparam(args[0], args[1]),
        Sysno::SchedGetparam => sched_syscalls::sched_getparam(args[0], args[1]),
        Sysno::SchedSetscheduler => sched_syscalls::sched_setscheduler(args[0], args[1], args[2]),
        Sysno::SchedGetscheduler => sched_syscalls::sched_getscheduler(args[0]),
        Sysno::SchedGetPriorityMax => sched_syscalls::sched_get_priority_max(args[0]),
        Sysno::SchedGetPriorityMin => sched_syscalls::sched_get_priority_min(args[0]),
        Sysno::SchedYield => {
            scheduling::preempt();
            Ok(0)
        }
        Sysno::Nanosleep => nanosleep(args[0]),
        Sysno::Getpid => Ok(process::table().current_mut().pid as u64),
        Sysno::Getppid => getppid(),
        Sysno::Exit | Sysno::ExitGroup => {
            process::exit_current(Termination::Exited(args[0] as i32))
        }
        Sysno::Wait4 => {
            process::wait4(args[0] as i32, args[1], args[2] as i32, args[3]).map(|pid| pid as u64)
        }
        Sysno::Kill => signal_syscalls::kill(args[0], args[1]),
        Sysno::ClockGettime => clock_gettime(args[0], args[1]),
        Sysno::ShimSpawn => spawn::spawn(args[0], args[1]).map(|()| 0),
        Sysno::ShimKstats => kstats(args[0]),
        Sysno::ShimPoweroff => poweroff(args[0]),
        Sysno::Brk => Ok(vm::brk(args[0])),
        Sysno::Mmap => vm::mmap(args[0], args[1], args[2], args[3], args[4], args[5]),
        Sysno::Munmap => vm::munmap(args[0], args[1]).map(|()| 0),
        Sysno::ArchPrctl => vm::arch_prctl(args[0], args[1]),
        Sysno::SetTidAddress => Ok(process::table().current_mut().pid as u64),
    }
}

/// Runs `f` on the running process's address space, table locked.
fn with_space<T>(
    f: impl FnOnce(&mut memory::paging::AddressSpace) -> Result<T, Errno>,
) -> Result<T, Errno> {
    let mut table = process::table();
    let space = table.caller()?.space;
    f(space)
}

fn getppid() -> Result<u64, Errno> {
    let mut table = process::table();
    let (machine, system) = table.current_and_system();
    Ok(system.process(machine.pid)?.ppid() as u64)
}

fn nanosleep(request: u64) -> Result<u64, Errno> {
    let duration: Timespec = with_space(|space| usercopy::read_value(space, request))?;
    if duration.tv_sec < 0 || !(0..NANOS_PER_SEC).contains(&duration.tv_nsec) {
        return Err(Errno::EINVAL);
    }
    let nanos = (duration.tv_sec as u64)
        .saturating_mul(time::NANOS_PER_SECOND)
        .saturating_add(duration.tv_nsec as u64);
    let until_ns = time::now_ns().saturating_add(nanos);
    process::block_current(process::table(), Block::Sleep { until_ns })?;
    Ok(0)
}

/// The CPU-time clocks read the caller's processor time, the realtime ones
/// the wall clock ([`time::realtime_ns`]), all others the monotonic clock.
fn clock_gettime(clock: u64, out: u64) -> Result<u64, Errno> {
    let now = time::now_ns();
    let clock = i32::try_from(clock).map_err(|_| Errno::EINVAL)?;
    let now = match clock {
        CLOCK_REALTIME | CLOCK_REALTIME_COARSE => time::realtime_ns(),
        CLOCK_MONOTONIC | CLOCK_MONOTONIC_RAW | CLOCK_MONOTONIC_COARSE | CLOCK_BOOTTIME => now,
        // One thread per process: both are the process's processor time.
        CLOCK_PROCESS_CPUTIME_ID | CLOCK_THREAD_CPUTIME_ID => {
            let mut table = process::table();
            let (machine, system) = table.current_and_system();
            system.cpu_time_ns(machine.pid, now)?
        }
        _ => return Err(Errno::EINVAL),
    };
    let value = Timespec {
        tv_sec: (now / time::NANOS_PER_SECOND) as i64,
        tv_nsec: (now % time::NANOS_PER_SECOND) as i64,
    };
    with_space(|space| usercopy::write_value(space, out, &value))?;
    Ok(0)
}

fn kstats(out: u64) -> Result<u64, Errno> {
    // Images no process maps are a cache, not a leak: count their frames free.
    crate::mm::image_cache::release_unused();
    let mut table = process::table();
    let stats = KernelStats {
        free_frames: memory::free_frames() as u64,
        free_process_slots: table.system().free_slots() as u64,
        open_files: table.system().open_files() as u64,
        heap_used: heap::used_bytes() as u64,
    };
    let space = table.caller()?.space;
    usercopy::write_value(space, out, &stats)?;
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
