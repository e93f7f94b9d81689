//! The `syscall` entry point and the system-call table.
//!
//! Linux x86_64 conventions: number in rax; arguments in rdi, rsi, rdx,
//! r10, r8, r9; result or `-errno` in rax; rcx and r11 hold the return
//! address and flags. The entry code switches to the process's kernel
//! stack, saves a full [`TrapFrame`] and returns through `trap_return`.
//! Interrupts stay masked for the call (SFMASK clears IF), except in the
//! windows long loops open ([`crate::irq_off`]).

use crate::process::Block;
use crate::qemu_exit::{exit_qemu, ExitCode};
use crate::trap::{TrapFrame, SYSCALL_VECTOR};
use crate::usercopy;
use crate::wait_status::Termination;
use crate::{
    alarm, fd_syscalls, fs_syscalls, heap, ids, memory, process, sched_syscalls, scheduler,
    session_syscalls, signal_delivery, signal_syscalls, spawn, time, vm,
};
use core::arch::global_asm;
use core::sync::atomic::{AtomicU64, Ordering};
use libspawn::abi::{clock, sysno, KernelStats, Timespec, NANOS_PER_SEC};
use libspawn::Errno;
use x86_64::registers::model_specific::{Efer, EferFlags, LStar, SFMask, Star};
use x86_64::registers::rflags::RFlags;
use x86_64::VirtAddr;

/// Selector of the ring-3 data segment (GDT index 3, RPL 3).
pub const USER_DATA_SELECTOR: u16 = 0x1b;
/// Selector of the ring-3 code segment (GDT index 4, RPL 3).
pub const USER_CODE_SELECTOR: u16 = 0x23;

/// Linux system calls served here that `libspawn::abi::sysno` does not
/// list (the project does not use them; C libraries do).
#[allow(missing_docs)]
mod extra_sysno {
    pub const STAT: usize = 4;
    pub const FSTAT: usize = 5;
    pub const LSTAT: usize = 6;
    pub const LSEEK: usize = 8;
    pub const MMAP: usize = 9;
    pub const MUNMAP: usize = 11;
    pub const BRK: usize = 12;
    pub const RT_SIGACTION: usize = 13;
    pub const RT_SIGPROCMASK: usize = 14;
    pub const RT_SIGRETURN: usize = 15;
    pub const IOCTL: usize = 16;
    pub const ACCESS: usize = 21;
    pub const PIPE: usize = 22;
    pub const DUP: usize = 32;
    pub const DUP2: usize = 33;
    pub const PAUSE: usize = 34;
    pub const ALARM: usize = 37;
    pub const FCNTL: usize = 72;
    pub const FSYNC: usize = 74;
    pub const FDATASYNC: usize = 75;
    pub const TRUNCATE: usize = 76;
    pub const FTRUNCATE: usize = 77;
    pub const GETCWD: usize = 79;
    pub const CHDIR: usize = 80;
    pub const FCHDIR: usize = 81;
    pub const RENAME: usize = 82;
    pub const MKDIR: usize = 83;
    pub const RMDIR: usize = 84;
    pub const UNLINK: usize = 87;
    pub const CHMOD: usize = 90;
    pub const FCHMOD: usize = 91;
    pub const CHOWN: usize = 92;
    pub const FCHOWN: usize = 93;
    pub const LCHOWN: usize = 94;
    pub const UMASK: usize = 95;
    pub const GETUID: usize = 102;
    pub const GETGID: usize = 104;
    pub const SETUID: usize = 105;
    pub const SETGID: usize = 106;
    pub const GETEUID: usize = 107;
    pub const GETEGID: usize = 108;
    pub const SETPGID: usize = 109;
    pub const GETPGRP: usize = 111;
    pub const SETSID: usize = 112;
    pub const SETREUID: usize = 113;
    pub const SETREGID: usize = 114;
    pub const SETRESUID: usize = 117;
    pub const GETRESUID: usize = 118;
    pub const SETRESGID: usize = 119;
    pub const GETRESGID: usize = 120;
    pub const GETPGID: usize = 121;
    pub const GETSID: usize = 124;
    pub const RT_SIGPENDING: usize = 127;
    pub const RT_SIGSUSPEND: usize = 130;
    pub const SCHED_SETPARAM: usize = 142;
    pub const SCHED_GETPARAM: usize = 143;
    pub const SCHED_SETSCHEDULER: usize = 144;
    pub const SCHED_GETSCHEDULER: usize = 145;
    pub const SCHED_GET_PRIORITY_MAX: usize = 146;
    pub const SCHED_GET_PRIORITY_MIN: usize = 147;
    pub const ARCH_PRCTL: usize = 158;
    pub const SET_TID_ADDRESS: usize = 218;
    pub const PIPE2: usize = 293;
}

/// Clock ids `clock_gettime` accepts. The CPU-time ids read the caller's
/// processor time, the realtime ids the wall clock ([`time::realtime_ns`]),
/// all others the monotonic clock.
const CLOCK_REALTIME: u64 = 0;
const CLOCK_MONOTONIC: u64 = clock::CLOCK_MONOTONIC as u64;
const CLOCK_PROCESS_CPUTIME_ID: u64 = 2;
const CLOCK_THREAD_CPUTIME_ID: u64 = 3;
const CLOCK_MONOTONIC_RAW: u64 = 4;
const CLOCK_REALTIME_COARSE: u64 = 5;
const CLOCK_MONOTONIC_COARSE: u64 = 6;
const CLOCK_BOOTTIME: u64 = 7;

/// `SHIM_POWEROFF` arguments.
const POWEROFF_FAILURE: u64 = 0;
const POWEROFF_SUCCESS: u64 = 1;

/// Stack pointer `syscall_entry` switches to: the running process's kernel
/// stack top.
#[no_mangle]
static SYSCALL_KERNEL_RSP: AtomicU64 = AtomicU64::new(0);
/// Scratch slot for the user stack pointer during entry.
#[no_mangle]
static SYSCALL_USER_RSP: AtomicU64 = AtomicU64::new(0);

global_asm!(
    r#"
    .section .text.syscall, "ax"
    .global syscall_entry
syscall_entry:
    mov [rip + {user_rsp}], rsp
    mov rsp, [rip + {kernel_rsp}]
    push {user_ss}
    push qword ptr [rip + {user_rsp}]
    push r11
    push {user_cs}
    push rcx
    push 0
    push {vector}
    push rax
    push rbx
    push rcx
    push rdx
    push rsi
    push rdi
    push rbp
    push r8
    push r9
    push r10
    push r11
    push r12
    push r13
    push r14
    push r15
    cld
    mov rdi, rsp
    call {dispatch}
    jmp trap_return
"#,
    user_rsp = sym SYSCALL_USER_RSP,
    kernel_rsp = sym SYSCALL_KERNEL_RSP,
    user_ss = const USER_DATA_SELECTOR,
    user_cs = const USER_CODE_SELECTOR,
    vector = const SYSCALL_VECTOR,
    dispatch = sym syscall_dispatch,
);

extern "C" {
    fn syscall_entry();
}

/// Enables `syscall` and points it at the entry code (after `gdt::init`).
pub fn init() {
    let selectors = crate::gdt::selectors();
    assert_eq!(selectors.user_data.0, USER_DATA_SELECTOR);
    assert_eq!(selectors.user_code.0, USER_CODE_SELECTOR);
    Star::write(
        selectors.user_code,
        selectors.user_data,
        selectors.kernel_code,
        selectors.kernel_data,
    )
    .expect("GDT layout suits syscall/sysret");
    LStar::write(VirtAddr::new(syscall_entry as *const () as u64));
    SFMask::write(
        RFlags::INTERRUPT_FLAG
            | RFlags::TRAP_FLAG
            | RFlags::DIRECTION_FLAG
            | RFlags::ALIGNMENT_CHECK
            | RFlags::NESTED_TASK
            | RFlags::IOPL_HIGH
            | RFlags::IOPL_LOW,
    );
    // SAFETY: enabling the syscall extension; the MSRs it uses were just
    // set up.
    unsafe { Efer::update(|flags| flags.insert(EferFlags::SYSTEM_CALL_EXTENSIONS)) };
}

/// Sets the stack `syscall_entry` switches to.
pub fn set_kernel_stack(top: u64) {
    SYSCALL_KERNEL_RSP.store(top, Ordering::Relaxed);
}

extern "C" fn syscall_dispatch(frame: &mut TrapFrame) {
    crate::irq_off::entered(frame.rax);
    {
        let mut table = process::table();
        let process = table.current_mut();
        process.syscall = frame.rax;
        process.restartable = false;
    }
    let result = if frame.rax == extra_sysno::RT_SIGRETURN as u64 {
        Ok(signal_delivery::sigreturn(frame))
    } else {
        let args = [
            frame.rdi, frame.rsi, frame.rdx, frame.r10, frame.r8, frame.r9,
        ];
        dispatch(frame.rax as usize, args)
    };
    frame.rax = match result {
        Ok(value) => value,
        Err(errno) => (-i64::from(errno.raw())) as u64,
    };
    signal_delivery::deliver_pending(frame);
    crate::irq_off::leaving();
}

fn dispatch(number: usize, args: [u64; 6]) -> Result<u64, Errno> {
    use extra_sysno as x;
    match number {
        sysno::READ => fd_syscalls::read(args[0], args[1], args[2]),
        sysno::WRITE => fd_syscalls::write(args[0], args[1], args[2]),
        sysno::OPEN => fd_syscalls::open(args[0], args[1], args[2]),
        sysno::CLOSE => fd_syscalls::close(args[0]),
        x::STAT | x::LSTAT => fs_syscalls::stat(args[0], args[1]),
        x::FSTAT => fd_syscalls::fstat(args[0], args[1]),
        x::LSEEK => fd_syscalls::lseek(args[0], args[1], args[2]),
        x::RT_SIGACTION => signal_syscalls::rt_sigaction(args[0], args[1], args[2], args[3]),
        x::RT_SIGPROCMASK => signal_syscalls::rt_sigprocmask(args[0], args[1], args[2], args[3]),
        x::IOCTL => fd_syscalls::ioctl(args[0], args[1], args[2]),
        x::ACCESS => fs_syscalls::access(args[0], args[1]),
        x::PIPE => fd_syscalls::pipe2(args[0], 0),
        x::PIPE2 => fd_syscalls::pipe2(args[0], args[1]),
        x::DUP => fd_syscalls::dup(args[0]),
        x::DUP2 => fd_syscalls::dup2(args[0], args[1]),
        x::PAUSE => signal_syscalls::pause(),
        x::ALARM => alarm::alarm(args[0]),
        x::FCNTL => fd_syscalls::fcntl(args[0], args[1], args[2]),
        x::FSYNC | x::FDATASYNC => fd_syscalls::fsync(args[0]),
        x::TRUNCATE => fs_syscalls::truncate(args[0], args[1]),
        x::FTRUNCATE => fd_syscalls::ftruncate(args[0], args[1]),
        x::RENAME => fs_syscalls::rename(args[0], args[1]),
        x::FCHMOD => fd_syscalls::fchmod(args[0], args[1]),
        x::CHOWN | x::LCHOWN => fs_syscalls::chown(args[0], args[1], args[2]),
        x::FCHOWN => fd_syscalls::fchown(args[0], args[1], args[2]),
        x::GETCWD => fs_syscalls::getcwd(args[0], args[1]),
        x::CHDIR => fs_syscalls::chdir(args[0]),
        x::FCHDIR => fs_syscalls::fchdir(args[0]),
        x::MKDIR => fs_syscalls::mkdir(args[0], args[1]),
        x::RMDIR => fs_syscalls::rmdir(args[0]),
        x::UNLINK => fs_syscalls::unlink(args[0]),
        x::CHMOD => fs_syscalls::chmod(args[0], args[1]),
        x::UMASK => fs_syscalls::umask(args[0]),
        x::GETUID => ids::getuid(),
        x::GETGID => ids::getgid(),
        x::SETUID => ids::setuid(args[0]),
        x::SETGID => ids::setgid(args[0]),
        x::GETEUID => ids::geteuid(),
        x::GETEGID => ids::getegid(),
        x::SETREUID => ids::setreuid(args[0], args[1]),
        x::SETREGID => ids::setregid(args[0], args[1]),
        x::SETRESUID => ids::setresuid(args[0], args[1], args[2]),
        x::GETRESUID => ids::getresuid(args[0], args[1], args[2]),
        x::SETRESGID => ids::setresgid(args[0], args[1], args[2]),
        x::GETRESGID => ids::getresgid(args[0], args[1], args[2]),
        x::SETPGID => session_syscalls::setpgid(args[0], args[1]),
        x::GETPGRP => session_syscalls::getpgid(0),
        x::SETSID => session_syscalls::setsid(),
        x::GETPGID => session_syscalls::getpgid(args[0]),
        x::GETSID => session_syscalls::getsid(args[0]),
        x::RT_SIGPENDING => signal_syscalls::rt_sigpending(args[0], args[1]),
        x::RT_SIGSUSPEND => signal_syscalls::rt_sigsuspend(args[0], args[1]),
        x::SCHED_SETPARAM => sched_syscalls::sched_setparam(args[0], args[1]),
        x::SCHED_GETPARAM => sched_syscalls::sched_getparam(args[0], args[1]),
        x::SCHED_SETSCHEDULER => sched_syscalls::sched_setscheduler(args[0], args[1], args[2]),
        x::SCHED_GETSCHEDULER => sched_syscalls::sched_getscheduler(args[0]),
        x::SCHED_GET_PRIORITY_MAX => sched_syscalls::sched_get_priority_max(args[0]),
        x::SCHED_GET_PRIORITY_MIN => sched_syscalls::sched_get_priority_min(args[0]),
        sysno::SCHED_YIELD => {
            scheduler::preempt();
            Ok(0)
        }
        sysno::NANOSLEEP => nanosleep(args[0]),
        sysno::GETPID => Ok(process::table().current_mut().pid as u64),
        sysno::GETPPID => Ok(process::table().current_mut().parent as u64),
        sysno::EXIT | sysno::EXIT_GROUP => {
            process::exit_current(Termination::Exited(args[0] as i32))
        }
        sysno::WAIT4 => {
            process::wait4(args[0] as i32, args[1], args[2] as i32, args[3]).map(|pid| pid as u64)
        }
        sysno::KILL => signal_syscalls::kill(args[0], args[1]),
        sysno::CLOCK_GETTIME => clock_gettime(args[0], args[1]),
        sysno::SHIM_SPAWN => spawn::spawn(args[0], args[1]).map(|()| 0),
        sysno::SHIM_KSTATS => kstats(args[0]),
        sysno::SHIM_POWEROFF => poweroff(args[0]),
        x::BRK => Ok(vm::brk(args[0])),
        x::MMAP => vm::mmap(args[0], args[1], args[2], args[3], args[4], args[5]),
        x::MUNMAP => vm::munmap(args[0], args[1]).map(|()| 0),
        x::ARCH_PRCTL => vm::arch_prctl(args[0], args[1]),
        x::SET_TID_ADDRESS => Ok(process::table().current_mut().pid as u64),
        _ => Err(Errno::ENOSYS),
    }
}

/// Runs `f` on the running process's address space, table locked.
fn with_space<T>(
    f: impl FnOnce(&mut memory::paging::AddressSpace) -> Result<T, Errno>,
) -> Result<T, Errno> {
    let mut table = process::table();
    let space = table.current_mut().space.as_mut().ok_or(Errno::EFAULT)?;
    f(space)
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

fn clock_gettime(clock: u64, out: u64) -> Result<u64, Errno> {
    let now = time::now_ns();
    let now = match clock {
        CLOCK_REALTIME | CLOCK_REALTIME_COARSE => time::realtime_ns(),
        CLOCK_MONOTONIC | CLOCK_MONOTONIC_RAW | CLOCK_MONOTONIC_COARSE | CLOCK_BOOTTIME => now,
        // One thread per process: both are the process's processor time.
        CLOCK_PROCESS_CPUTIME_ID | CLOCK_THREAD_CPUTIME_ID => {
            process::table().current_mut().cpu_time_ns(now)
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
    crate::image_cache::release_unused();
    let mut table = process::table();
    let stats = KernelStats {
        free_frames: memory::free_frames() as u64,
        free_process_slots: table.free_slots() as u64,
        open_files: table.system().open_files() as u64,
        heap_used: heap::used_bytes() as u64,
    };
    let space = table.current_mut().space.as_mut().ok_or(Errno::EFAULT)?;
    usercopy::write_value(space, out, &stats)?;
    Ok(0)
}

fn poweroff(how: u64) -> Result<u64, Errno> {
    if process::table().current_mut().pid != process::INIT_PID {
        return Err(Errno::EPERM);
    }
    match how {
        POWEROFF_SUCCESS => exit_qemu(ExitCode::Success),
        POWEROFF_FAILURE => exit_qemu(ExitCode::Failure),
        _ => Err(Errno::EINVAL),
    }
}
