//! Signal delivery: posting signals and acting on them before user mode resumes.
//!
//! Posting a signal (marking it pending with the sender's details for
//! `siginfo_t`, waking the target) is [`System::post_signal`]'s, and which
//! signal to act on and how is [`System::deliver_next`]'s. Every return to user mode (after a system call, an
//! interrupt or an exception, and a new process's first entry) calls
//! [`deliver_pending`], which takes the pending unblocked signals one by
//! one: a default action of terminating ends the process; a handler gets a
//! frame on the user stack ([`shim_core::sigframe`]) and the interrupted
//! registers are redirected to it. Handlers nest when several signals are
//! deliverable at once. A process whose stack cannot hold a frame is killed
//! with SIGSEGV. A handler or restorer that is not a canonical user address
//! is never returned to: the signal becomes SIGSEGV (as on Linux, where the
//! return faults), which kills if SIGSEGV's own handler is the bad one.
//!
//! Restarting: a blocking `read`, `write`, `wait4` or `waitid` interrupted by a
//! signal returns EINTR and marks itself restartable; if the handler has
//! SA_RESTART (or no handler runs), the call is restarted by rewinding the
//! user `rip` over the `syscall` instruction. Every other blocking call
//! (`nanosleep`, `clock_nanosleep`, `pause`, `rt_sigsuspend`,
//! `rt_sigtimedwait`, `poll` and the other readiness waits) returns EINTR.
//!
//! ## The signal system calls
//!
//! rt_sigaction, rt_sigprocmask, rt_sigpending, rt_sigsuspend,
//! rt_sigtimedwait, pause, kill, tkill, tgkill, sigaltstack.
//!
//! A handler installed with SA_ONSTACK runs on the alternate signal stack
//! when one is set ([`sigaltstack`]) and the process is not on it already;
//! a frame that does not fit on the alternate stack kills the process with
//! SIGSEGV, as on Linux.
//!
//! Signal sets are one 64-bit word (bit `n - 1` is signal `n`), and every
//! call taking a set size wants exactly 8 (EINVAL otherwise), as Linux.
//! Signals these calls make deliverable to the caller (a `kill` of itself,
//! an unblocking `rt_sigprocmask`) are delivered before the call returns
//! to user mode, by the common return path
//! ([`crate::sys::signals::deliver_pending`]). `rt_sigreturn` is in
//! [`crate::sys::signals`].
#![forbid(unsafe_code)]

use crate::arch::context::{self, FxArea, FXSAVE_SIZE};
use crate::arch::gdt::{USER_CODE_SELECTOR, USER_DATA_SELECTOR};
use crate::arch::time;
use crate::arch::trap::{self, TrapFrame};
use crate::mm::user_layout::is_return_address;
use crate::mm::usercopy;
use crate::sys::process::{self, Block, Caller};
use crate::sys::scheduling;
use libspawn::{Errno, SigSet};
use shim_abi::sigaction::SA_RESTART;
use shim_abi::sigaction::{SIGSET_SIZE, SIG_DFL, SIG_IGN};
use shim_abi::signal::SIGSEGV;
use shim_abi::{Sigaction, StackT, Timespec};
use shim_core::sigframe::{self, Info, Registers};
use shim_core::signal::{Disposition, Handler};
use shim_core::system::{Delivery, SigWait};
use shim_core::wait_status::{signal_for_exception, Termination};

#[cfg(doc)]
use shim_core::System;

/// Who sent a pending signal and why: its `siginfo_t` details.
pub type Sender = Info;

/// Length of the `syscall` instruction, stepped back over to restart.
const SYSCALL_INSTRUCTION_LEN: u64 = 2;
/// RFLAGS bits cleared on handler entry: TF and DF (the ABI wants DF
/// clear at function entry).
const HANDLER_CLEARED_RFLAGS: u64 = 0x100 | 0x400;

/// The `-EINTR` a system call leaves in `rax`.
fn eintr_result() -> u64 {
    (-i64::from(Errno::EINTR.raw())) as u64
}

/// Posts a fault signal to the running process so that it cannot be
/// ignored or blocked away ([`System::force_signal`]).
pub fn force_current(signal: i32, info: Info) {
    let mut table = process::table();
    let (machine, system) = table.current_and_system();
    let _ = system.force_signal(machine.pid, signal, info);
}

fn registers_of(frame: &TrapFrame) -> Registers {
    Registers {
        r8: frame.r8,
        r9: frame.r9,
        r10: frame.r10,
        r11: frame.r11,
        r12: frame.r12,
        r13: frame.r13,
        r14: frame.r14,
        r15: frame.r15,
        rdi: frame.rdi,
        rsi: frame.rsi,
        rbp: frame.rbp,
        rbx: frame.rbx,
        rdx: frame.rdx,
        rax: frame.rax,
        rcx: frame.rcx,
        rsp: frame.rsp,
        rip: frame.rip,
        rflags: frame.rflags,
        cs: frame.cs as u16,
        ss: frame.ss as u16,
    }
}

fn load_registers(frame: &mut TrapFrame, regs: &Registers) {
    frame.r8 = regs.r8;
    frame.r9 = regs.r9;
    frame.r10 = regs.r10;
    frame.r11 = regs.r11;
    frame.r12 = regs.r12;
    frame.r13 = regs.r13;
    frame.r14 = regs.r14;
    frame.r15 = regs.r15;
    frame.rdi = regs.rdi;
    frame.rsi = regs.rsi;
    frame.rbp = regs.rbp;
    frame.rbx = regs.rbx;
    frame.rdx = regs.rdx;
    frame.rax = regs.rax;
    frame.rcx = regs.rcx;
    frame.rsp = regs.rsp;
    frame.rip = regs.rip;
    frame.rflags = regs.rflags;
    frame.cs = u64::from(regs.cs);
    frame.ss = u64::from(regs.ss);
}

/// Steps back over the `syscall` instruction so the call runs again.
fn rewind(frame: &mut TrapFrame, number: u64) {
    frame.rip = frame.rip.wrapping_sub(SYSCALL_INSTRUCTION_LEN);
    frame.rax = number;
}

/// Acts on every pending unblocked signal of the running process before it
/// returns to user mode through `frame` ([`System::deliver_next`] decides).
/// May not return (the process is killed).
pub fn deliver_pending(frame: &mut TrapFrame) {
    loop {
        let mut table = process::table();
        let (machine, system) = table.current_and_system();
        let pid = machine.pid;
        let Some(delivery) = system.deliver_next(pid) else {
            // Nothing (more) to deliver. If no handler ran for the
            // interrupted call (a handler's delivery takes `restartable`
            // and the suspended mask), restart it, and end an
            // `rt_sigsuspend`'s temporary mask; under the same lock.
            if core::mem::take(&mut machine.restartable) && frame.rax == eintr_result() {
                rewind(frame, machine.syscall);
            }
            system.end_suspension(pid);
            return;
        };
        let (signal, handler, old_mask, info) = match delivery {
            Delivery::Terminate(signal) => {
                drop(table);
                process::exit_current(Termination::Killed(signal));
            }
            Delivery::Handle {
                signal,
                handler,
                old_mask,
                info,
            } => (signal, handler, old_mask, info),
        };
        if !is_return_address(handler.handler) || !is_return_address(handler.restorer) {
            // Never resume user code there: SIGSEGV instead (killing, if
            // SIGSEGV's own handler is the bad one).
            drop(table);
            klog!(
                "pid {pid}: signal {signal} handler {:#x} or restorer {:#x} is not a user address: SIGSEGV",
                handler.handler,
                handler.restorer
            );
            if signal == SIGSEGV {
                process::exit_current(Termination::Killed(SIGSEGV));
            }
            force_current(SIGSEGV, Info::default());
            continue;
        }
        if core::mem::take(&mut machine.restartable)
            && frame.rax == eintr_result()
            && handler.flags & SA_RESTART != 0
        {
            rewind(frame, machine.syscall);
        }
        let fpu = context::save_fpu();
        let place = match system.process(pid) {
            Ok(process) => process.signals.frame_place(&handler, frame.rsp),
            Err(_) => sigframe::FramePlace::CURRENT,
        };
        let delivery = sigframe::Delivery {
            regs: registers_of(frame),
            signal,
            info,
            old_mask: old_mask.bits(),
            restorer: handler.restorer,
            fpu: &fpu.0,
            place,
        };
        let built = sigframe::build(&delivery).filter(|built| {
            machine.space.as_mut().is_some_and(|space| {
                usercopy::copy_to_user(space, built.address, &built.bytes).is_ok()
            })
        });
        let Some(built) = built else {
            drop(table);
            klog!("pid {pid}: no room for a signal {signal} frame: SIGSEGV");
            process::exit_current(Termination::Killed(SIGSEGV));
        };
        frame.rsp = built.address;
        frame.rip = handler.handler;
        frame.rdi = signal as u64;
        frame.rsi = built.siginfo;
        frame.rdx = built.ucontext;
        frame.rax = 0;
        frame.rflags &= !HANDLER_CLEARED_RFLAGS;
        context::restore_fpu(FxArea::default_state());
    }
}

/// `rt_sigreturn()`: restores the registers, FPU state and mask saved in
/// the frame at the caller's stack pointer. A bad or forged frame gets
/// SIGSEGV (delivered on the way out); the registers are sanitised so no
/// frame can reach kernel segments or addresses.
pub fn sigreturn(frame: &mut TrapFrame) -> u64 {
    match restore_frame(frame) {
        Ok(rax) => rax,
        Err(()) => {
            let pid = process::current_pid();
            klog!("pid {pid}: bad signal frame at {:#x}: SIGSEGV", frame.rsp);
            force_current(SIGSEGV, Info::default());
            frame.rax
        }
    }
}

fn restore_frame(frame: &mut TrapFrame) -> Result<u64, ()> {
    let mut table = process::table();
    let (process, system) = table.current_and_system();
    let pid = process.pid;
    let space = process.space.as_mut().ok_or(())?;
    let mut ucontext = [0u8; sigframe::UCONTEXT_SIZE];
    usercopy::copy_from_user(space, frame.rsp, &mut ucontext).map_err(|_| ())?;
    let restored = sigframe::parse(&ucontext);
    let regs = restored
        .regs
        .sanitize(USER_CODE_SELECTOR, USER_DATA_SELECTOR)
        .ok_or(())?;
    let fpu = if restored.fpstate == 0 {
        FxArea::default_state()
    } else {
        let mut area = FxArea([0; FXSAVE_SIZE]);
        usercopy::copy_from_user(space, restored.fpstate, &mut area.0).map_err(|_| ())?;
        area
    };
    system
        .process_mut(pid)
        .map_err(|_| ())?
        .signals
        .set_mask(SigSet::from_bits(restored.mask));
    context::restore_fpu(fpu);
    load_registers(frame, &regs);
    process.restartable = false;
    Ok(regs.rax)
}

/// `si_code` values for fault signals.
mod si_code {
    /// SIGSEGV: address not mapped.
    pub const SEGV_MAPERR: i32 = 1;
    /// SIGSEGV: no permission for a mapped address.
    pub const SEGV_ACCERR: i32 = 2;
    /// SIGILL: illegal opcode.
    pub const ILL_ILLOPN: i32 = 2;
    /// SIGFPE: integer divide by zero.
    pub const FPE_INTDIV: i32 = 1;
    /// SIGBUS: invalid address alignment.
    pub const BUS_ADRALN: i32 = 1;
    /// SIGBUS: no object behind the address (a page past the end of a
    /// mapped file, or no memory for the page).
    pub const BUS_ADRERR: i32 = 2;
    /// SIGTRAP: breakpoint.
    pub const TRAP_BRKPT: i32 = 1;
    /// Sent by the kernel (a general-protection fault has no address).
    pub use shim_core::sigframe::SI_KERNEL;
}

/// Page-fault error-code bit: the page was present (a protection fault).
const PF_PRESENT: u64 = 1;

/// A user exception: the matching signal is forced on the process (a
/// handler may catch it; blocked or ignored, it kills).
pub fn fault(frame: &TrapFrame) {
    let vector = frame.vector;
    let signal = signal_for_exception(vector);
    let cr2 = trap::fault_address();
    klog!(
        "pid {}: exception {} (error {:#x}) at rip {:#x}, cr2 {:#x}: signal {}",
        process::current_pid(),
        vector,
        frame.error_code,
        frame.rip,
        cr2,
        signal
    );
    use shim_abi::signal::{SIGBUS, SIGFPE, SIGILL, SIGSEGV, SIGTRAP};
    let (code, addr) = match signal {
        SIGSEGV if vector == trap::PAGE_FAULT_VECTOR => (
            if frame.error_code & PF_PRESENT != 0 {
                si_code::SEGV_ACCERR
            } else {
                si_code::SEGV_MAPERR
            },
            cr2,
        ),
        SIGSEGV => (si_code::SI_KERNEL, 0),
        SIGILL => (si_code::ILL_ILLOPN, frame.rip),
        SIGFPE => (si_code::FPE_INTDIV, frame.rip),
        SIGBUS => (si_code::BUS_ADRALN, frame.rip),
        SIGTRAP => (si_code::TRAP_BRKPT, frame.rip),
        _ => (si_code::SI_KERNEL, 0),
    };
    let info = Info {
        code,
        addr,
        fault: true,
        error_code: frame.error_code,
        trapno: vector,
        cr2: if vector == trap::PAGE_FAULT_VECTOR {
            cr2
        } else {
            0
        },
        ..Info::NONE
    };
    force_current(signal, info);
}

/// A user page fault that touched a page the kernel cannot provide (a
/// page past the end of a mapped file, or no frame left for it): SIGBUS
/// with `BUS_ADRERR` is forced on the process, as on Linux.
pub fn bus_error(frame: &TrapFrame) {
    let cr2 = trap::fault_address();
    klog!(
        "pid {}: page fault at rip {:#x}, cr2 {:#x}: no page to map: signal {}",
        process::current_pid(),
        frame.rip,
        cr2,
        shim_abi::signal::SIGBUS
    );
    let info = Info {
        code: si_code::BUS_ADRERR,
        addr: cr2,
        fault: true,
        error_code: frame.error_code,
        trapno: frame.vector,
        cr2,
        ..Info::NONE
    };
    force_current(shim_abi::signal::SIGBUS, info);
}

fn check_size(size: u64) -> Result<(), Errno> {
    if size == SIGSET_SIZE as u64 {
        Ok(())
    } else {
        Err(Errno::EINVAL)
    }
}

fn to_disposition(action: &Sigaction) -> Disposition {
    match action.handler {
        SIG_DFL => Disposition::Default,
        SIG_IGN => Disposition::Ignore,
        handler => Disposition::Handler(Handler {
            handler,
            flags: action.flags,
            restorer: action.restorer,
            mask: SigSet::from_bits(action.mask),
        }),
    }
}

fn from_disposition(disposition: Disposition) -> Sigaction {
    match disposition {
        Disposition::Default => Sigaction::default(),
        Disposition::Ignore => Sigaction {
            handler: SIG_IGN,
            ..Sigaction::default()
        },
        Disposition::Handler(handler) => Sigaction {
            handler: handler.handler,
            flags: handler.flags,
            restorer: handler.restorer,
            mask: handler.mask.bits(),
        },
    }
}

/// `rt_sigaction(signal, act, oldact, sigsetsize)`.
///
/// # Errors
///
/// `EINVAL` (bad signal or size, changing SIGKILL/SIGSTOP), `EFAULT`.
pub fn rt_sigaction(signal: u64, act: u64, old: u64, size: u64) -> Result<u64, Errno> {
    check_size(size)?;
    let signal = signal as i32;
    let mut table = process::table();
    let Caller { pid, space, system } = table.caller()?;
    let new = if act == 0 {
        None
    } else {
        Some(to_disposition(&usercopy::read_value::<Sigaction>(
            space, act,
        )?))
    };
    if old != 0 {
        usercopy::check_range(space, old, core::mem::size_of::<Sigaction>(), true)?;
    }
    let previous = system.sigaction(pid, signal, new)?;
    if old != 0 {
        usercopy::write_value(space, old, &from_disposition(previous))?;
    }
    Ok(0)
}

/// `rt_sigprocmask(how, set, oldset, sigsetsize)`.
///
/// # Errors
///
/// `EINVAL` (bad `how` with a set, bad size), `EFAULT`.
pub fn rt_sigprocmask(how: u64, set: u64, old: u64, size: u64) -> Result<u64, Errno> {
    check_size(size)?;
    let mut table = process::table();
    let Caller { pid, space, system } = table.caller()?;
    let new = if set == 0 {
        None
    } else {
        Some(SigSet::from_bits(usercopy::read_value::<u64>(space, set)?))
    };
    if old != 0 {
        usercopy::check_range(space, old, core::mem::size_of::<u64>(), true)?;
    }
    let previous = system.sigprocmask(pid, how as i32, new)?;
    if old != 0 {
        usercopy::write_value(space, old, &previous.bits())?;
    }
    Ok(0)
}

/// `rt_sigpending(set, sigsetsize)`: the pending signals that are blocked.
///
/// # Errors
///
/// `EINVAL` (bad size), `EFAULT`.
pub fn rt_sigpending(set: u64, size: u64) -> Result<u64, Errno> {
    check_size(size)?;
    let mut table = process::table();
    let Caller { pid, space, system } = table.caller()?;
    let signals = &system.process(pid)?.signals;
    let pending = signals.pending().bits() & signals.mask().bits();
    usercopy::write_value(space, set, &pending)?;
    Ok(0)
}

/// Sleeps until a signal is deliverable; always `EINTR`.
fn wait_for_signal() -> Result<u64, Errno> {
    loop {
        let table = process::table();
        scheduling::block_current(table, Block::Signal)?;
    }
}

/// `rt_sigsuspend(set, sigsetsize)`: waits with `set` as the mask; the old
/// mask comes back when the handler returns (it is the mask saved in the
/// handler's frame).
///
/// # Errors
///
/// Always `EINTR` once a signal is handled; `EINVAL`, `EFAULT`.
pub fn rt_sigsuspend(set: u64, size: u64) -> Result<u64, Errno> {
    check_size(size)?;
    {
        let mut table = process::table();
        let Caller { pid, space, system } = table.caller()?;
        let mask = SigSet::from_bits(usercopy::read_value::<u64>(space, set)?);
        system.process_mut(pid)?.signals.suspend(mask);
    }
    wait_for_signal()
}

/// `rt_sigtimedwait(set, info, timeout, sigsetsize)` (sigtimedwait(2);
/// musl's `sigwait`, `sigwaitinfo` and `sigtimedwait`): waits until a
/// signal of `set` is pending, takes it off the pending set without
/// running its handler, writes its `siginfo_t` (as a handler would get it:
/// [`sigframe::siginfo_bytes`]) to `info` unless null, and returns its
/// number, the lowest first. The signals of `set` are normally blocked by
/// the caller; while it waits they wake it all the same
/// ([`Block::SigWait`]), and the mask is not changed. `timeout` null waits
/// for ever; a zero timeout only looks. SIGKILL and SIGSTOP cannot be
/// waited for. The rules are [`shim_core::System::sigtimedwait_step`]'s.
///
/// # Errors
///
/// `EAGAIN` when the timeout passes first; `EINTR` when another signal,
/// not blocked, arrives (its handler runs; never restarted, as on Linux);
/// `EINVAL` for a `sigsetsize` other than 8, or a timeout with a negative
/// second count or nanoseconds outside 0..1e9; `EFAULT` for a bad `set`,
/// `info` or `timeout` (checked before any signal is taken).
pub fn rt_sigtimedwait(set: u64, info: u64, timeout: u64, size: u64) -> Result<u64, Errno> {
    check_size(size)?;
    let (wanted, until_ns) = {
        let mut table = process::table();
        let Caller { space, .. } = table.caller()?;
        let wanted = SigSet::from_bits(usercopy::read_value::<u64>(space, set)?);
        if info != 0 {
            usercopy::check_range(space, info, sigframe::SIGINFO_SIZE, true)?;
        }
        let until_ns = match timeout {
            0 => u64::MAX,
            address => {
                let timeout: Timespec = usercopy::read_value(space, address)?;
                time::now_ns().saturating_add(timeout.to_ns().ok_or(Errno::EINVAL)?)
            }
        };
        (wanted, until_ns)
    };
    loop {
        let mut table = process::table();
        let Caller { pid, space, system } = table.caller()?;
        match system.sigtimedwait_step(pid, wanted, until_ns, time::now_ns())? {
            SigWait::Taken {
                signal,
                info: sender,
            } => {
                if info != 0 {
                    let bytes = sigframe::siginfo_bytes(signal, &sender);
                    usercopy::copy_to_user(space, info, &bytes)?;
                }
                return Ok(signal as u64);
            }
            SigWait::Wait => {
                let block = Block::SigWait {
                    set: wanted.bits(),
                    until_ns,
                };
                // EINTR here means "look again": a signal of the set wins
                // over the one that interrupted.
                match scheduling::block_current(table, block) {
                    Ok(()) | Err(Errno::EINTR) => {}
                    Err(errno) => return Err(errno),
                }
            }
        }
    }
}

/// `pause()`.
///
/// # Errors
///
/// Always `EINTR` once a signal is handled.
pub fn pause() -> Result<u64, Errno> {
    wait_for_signal()
}

/// `kill(pid, signal)`: one process (`pid > 0`), the caller's group (0),
/// every process but init and the caller (-1), or group `-pid`.
///
/// # Errors
///
/// `EINVAL` (bad signal), `ESRCH` (no such process or group), `EPERM`.
pub fn kill(pid: u64, signal: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let (machine, system) = table.current_and_system();
    system.kill(machine.pid, pid as i32, signal as i32)?;
    Ok(0)
}

/// `tkill(tid, signal)` (tkill(2)): sends `signal` to thread `tid`. Each
/// process is one thread, whose id is the pid: this is `kill` of one
/// process. musl's `raise` uses it.
///
/// # Errors
///
/// `EINVAL` (`tid` not positive, bad signal), `ESRCH`, `EPERM` (as `kill`).
pub fn tkill(tid: u64, signal: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let (machine, system) = table.current_and_system();
    system.tgkill(machine.pid, None, tid as i32, signal as i32)?;
    Ok(0)
}

/// `tgkill(tgid, tid, signal)` (tgkill(2)): `tkill` that also checks that
/// `tid` belongs to thread group `tgid` (here: `tgid == tid`).
///
/// # Errors
///
/// `EINVAL` (`tgid` or `tid` not positive, bad signal), `ESRCH` (no such
/// thread, or not in `tgid`), `EPERM` (as `kill`).
pub fn tgkill(tgid: u64, tid: u64, signal: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let (machine, system) = table.current_and_system();
    system.tgkill(machine.pid, Some(tgid as i32), tid as i32, signal as i32)?;
    Ok(0)
}

/// `sigaltstack(ss, old_ss)` (sigaltstack(2)), called with the user stack
/// pointer `sp`: reports the alternate signal stack in `old_ss` (if not
/// null: SS_DISABLE when there is none, SS_ONSTACK while `sp` is on it),
/// then sets it from `ss` (if not null: flags 0 or SS_ONSTACK set it,
/// SS_DISABLE removes it). A spawned child has none.
///
/// # Errors
///
/// `EPERM` for a change while on the stack, `EINVAL` for other flags
/// (SS_AUTODISARM is not supported), `ENOMEM` for a size below
/// MINSIGSTKSZ (2048), `EFAULT`. Nothing changes on error.
pub fn sigaltstack(new: u64, old: u64, sp: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let Caller { pid, space, system } = table.caller()?;
    let new = if new == 0 {
        None
    } else {
        Some(usercopy::read_value::<StackT>(space, new)?)
    };
    if old != 0 {
        usercopy::check_range(space, old, core::mem::size_of::<StackT>(), true)?;
    }
    let signals = &mut system.process_mut(pid)?.signals;
    let previous = signals.altstack(sp);
    if let Some(new) = new {
        signals.set_altstack(new, sp)?;
    }
    if old != 0 {
        usercopy::write_value(space, old, &previous)?;
    }
    Ok(0)
}
