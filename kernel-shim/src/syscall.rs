//! The `syscall` entry point and the system-call table.
//!
//! Linux x86_64 conventions: number in rax; arguments in rdi, rsi, rdx,
//! r10, r8, r9; result or `-errno` in rax; rcx and r11 hold the return
//! address and flags. The entry code switches to the process's kernel
//! stack, saves a full [`TrapFrame`] and returns through `trap_return`.
//! Interrupts stay masked for the whole call (SFMASK clears IF).

use crate::qemu_exit::{exit_qemu, ExitCode};
use crate::trap::{TrapFrame, SYSCALL_VECTOR};
use crate::usercopy;
use crate::wait_status::Termination;
use crate::{heap, memory, process, scheduler, serial, spawn, time, vm};
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
mod extra_sysno {
    pub const MMAP: usize = 9;
    pub const MUNMAP: usize = 11;
    pub const BRK: usize = 12;
    pub const ARCH_PRCTL: usize = 158;
    pub const SET_TID_ADDRESS: usize = 218;
}

/// Clock ids `clock_gettime` accepts; all read the monotonic clock (there
/// is no wall clock: CLOCK_REALTIME counts from boot).
const CLOCK_REALTIME: u64 = 0;
const CLOCK_MONOTONIC: u64 = clock::CLOCK_MONOTONIC as u64;
const CLOCK_MONOTONIC_RAW: u64 = 4;
const CLOCK_REALTIME_COARSE: u64 = 5;
const CLOCK_MONOTONIC_COARSE: u64 = 6;
const CLOCK_BOOTTIME: u64 = 7;

/// File descriptors wired to the console.
const STDIN: u64 = 0;
const STDOUT: u64 = 1;
const STDERR: u64 = 2;

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
    // A process killed before it ever entered the kernel must not start a
    // (possibly blocking) call.
    process::exit_if_killed();
    let args = [
        frame.rdi, frame.rsi, frame.rdx, frame.r10, frame.r8, frame.r9,
    ];
    let result = dispatch(frame.rax as usize, args);
    frame.rax = match result {
        Ok(value) => value,
        Err(errno) => (-i64::from(errno.raw())) as u64,
    };
    process::exit_if_killed();
}

fn dispatch(number: usize, args: [u64; 6]) -> Result<u64, Errno> {
    match number {
        sysno::READ => read(args[0], args[1], args[2]),
        sysno::WRITE => write(args[0], args[1], args[2]),
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
        sysno::KILL => process::kill(args[0] as i32, args[1] as i32).map(|()| 0),
        sysno::CLOCK_GETTIME => clock_gettime(args[0], args[1]),
        sysno::SHIM_SPAWN => spawn::spawn(args[0], args[1]).map(|()| 0),
        sysno::SHIM_KSTATS => kstats(args[0]),
        sysno::SHIM_POWEROFF => poweroff(args[0]),
        extra_sysno::BRK => Ok(vm::brk(args[0])),
        extra_sysno::MMAP => vm::mmap(args[0], args[1], args[2], args[3], args[4], args[5]),
        extra_sysno::MUNMAP => vm::munmap(args[0], args[1]).map(|()| 0),
        extra_sysno::ARCH_PRCTL => vm::arch_prctl(args[0], args[1]),
        extra_sysno::SET_TID_ADDRESS => Ok(process::table().current_mut().pid as u64),
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

/// `read`: the console has no input yet, so stdin is always at end of file
/// (after checking the buffer, so a bad one is still EFAULT).
fn read(fd: u64, buffer: u64, len: u64) -> Result<u64, Errno> {
    if fd != STDIN {
        return Err(Errno::EBADF);
    }
    if len > 0 {
        with_space(|space| usercopy::copy_to_user(space, buffer, &[0]))?;
    }
    Ok(0)
}

/// `write` to the console: all or nothing (the buffer is checked first).
fn write(fd: u64, buffer: u64, len: u64) -> Result<u64, Errno> {
    if !matches!(fd, STDIN | STDOUT | STDERR) {
        return Err(Errno::EBADF);
    }
    let len = usize::try_from(len).map_err(|_| Errno::EINVAL)?;
    with_space(|space| {
        usercopy::read_chunks(space, buffer, len, |_| {})?;
        usercopy::read_chunks(space, buffer, len, serial::write)
    })?;
    Ok(len as u64)
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
    process::table().current_mut().state = process::State::Sleeping { until_ns };
    scheduler::block();
    Ok(0)
}

fn clock_gettime(clock: u64, out: u64) -> Result<u64, Errno> {
    match clock {
        CLOCK_REALTIME
        | CLOCK_MONOTONIC
        | CLOCK_MONOTONIC_RAW
        | CLOCK_REALTIME_COARSE
        | CLOCK_MONOTONIC_COARSE
        | CLOCK_BOOTTIME => {}
        _ => return Err(Errno::EINVAL),
    }
    let now = time::now_ns();
    let value = Timespec {
        tv_sec: (now / time::NANOS_PER_SECOND) as i64,
        tv_nsec: (now % time::NANOS_PER_SECOND) as i64,
    };
    with_space(|space| usercopy::write_value(space, out, &value))?;
    Ok(0)
}

fn kstats(out: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let stats = KernelStats {
        free_frames: memory::free_frames() as u64,
        free_process_slots: table.free_slots() as u64,
        open_files: 0,
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
