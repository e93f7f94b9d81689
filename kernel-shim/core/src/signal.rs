//! Signals: mask, pending set, dispositions, default actions and the
//! delivery decision.
//!
//! Signal `n` is bit `n - 1` of a [`SigSet`]. SIGKILL and SIGSTOP can be
//! neither caught, ignored nor blocked: `sigaction` on them is EINVAL, and
//! masks silently leave them out.
//!
//! Default actions follow POSIX: terminate (most signals, and every
//! real-time signal), terminate with a core (SIGQUIT, SIGILL, ...; no core
//! file is written, so wait statuses never carry the core flag), ignore
//! (SIGCHLD, SIGURG, SIGWINCH), continue (SIGCONT) and stop (SIGSTOP,
//! SIGTSTP, SIGTTIN, SIGTTOU). **This kernel has no stopped state**: a
//! stop signal acting by default is discarded, as if the process were
//! stopped and at once continued, and SIGCONT's default is to do nothing.
//!
//! The kernel delivers: after a system call or interrupt, before returning
//! to user mode, it asks [`SignalState::next_deliverable`] and either ends
//! the process or builds a handler frame (saving the mask
//! [`SignalState::enter_handler`] returns, restored by `rt_sigreturn`).

use libspawn::{Errno, Result, SigSet};
use shim_abi::altstack::{MINSIGSTKSZ, SS_DISABLE, SS_ONSTACK};
use shim_abi::sigaction::SA_ONSTACK;
use shim_abi::sigaction::{SA_NODEFER, SA_RESETHAND, SIG_BLOCK, SIG_SETMASK, SIG_UNBLOCK};
use shim_abi::signal::{
    SIGABRT, SIGBUS, SIGCHLD, SIGCONT, SIGFPE, SIGILL, SIGKILL, SIGQUIT, SIGSEGV, SIGSTOP, SIGSYS,
    SIGTRAP, SIGTSTP, SIGTTIN, SIGTTOU, SIGURG, SIGWINCH, SIGXCPU, SIGXFSZ,
};
use shim_abi::{StackT, NSIG};

use alloc::vec::Vec;

use crate::fallible;
use crate::sigframe::{FramePlace, Info};

/// A user handler, as `sigaction` installed it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Handler {
    /// Address of the handler in the process image.
    pub handler: u64,
    /// `sa_flags` (`SA_*`).
    pub flags: u64,
    /// `sa_restorer`: where the handler returns to (calls `rt_sigreturn`).
    pub restorer: u64,
    /// Signals blocked while the handler runs (never SIGKILL or SIGSTOP).
    pub mask: SigSet,
}

/// What a process does with a signal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Disposition {
    /// SIG_DFL: the default action.
    #[default]
    Default,
    /// SIG_IGN.
    Ignore,
    /// Run a handler in user mode.
    Handler(Handler),
}

/// The POSIX default action of a signal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DefaultAction {
    /// End the process.
    Terminate,
    /// End the process "with a core" (no core is written here).
    CoreDump,
    /// Discard the signal.
    Ignore,
    /// Stop the process (discarded here: see the module documentation).
    Stop,
    /// Continue a stopped process (nothing to do here).
    Continue,
}

/// The default action of `signal` (1..=64).
pub fn default_action(signal: i32) -> DefaultAction {
    match signal {
        SIGCHLD | SIGURG | SIGWINCH => DefaultAction::Ignore,
        SIGCONT => DefaultAction::Continue,
        SIGSTOP | SIGTSTP | SIGTTIN | SIGTTOU => DefaultAction::Stop,
        SIGQUIT | SIGILL | SIGTRAP | SIGABRT | SIGBUS | SIGFPE | SIGSEGV | SIGXCPU | SIGXFSZ
        | SIGSYS => DefaultAction::CoreDump,
        _ => DefaultAction::Terminate,
    }
}

/// What the kernel must do with a signal taken off the pending set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// End the process; its wait status says it was killed by the signal.
    Terminate,
    /// Run this handler (the kernel builds the frame, then calls
    /// [`SignalState::enter_handler`]).
    Handle(Handler),
}

/// SIGKILL and SIGSTOP, which no mask may hold.
fn unblockable() -> SigSet {
    SigSet::from_bits(bit(SIGKILL) | bit(SIGSTOP))
}

fn bit(signal: i32) -> u64 {
    1 << (signal - 1)
}

fn without_unblockable(set: SigSet) -> SigSet {
    SigSet::from_bits(set.bits() & !unblockable().bits())
}

fn check_signal(signal: i32) -> Result<usize> {
    if (1..=NSIG).contains(&signal) {
        Ok((signal - 1) as usize)
    } else {
        Err(Errno::EINVAL)
    }
}

/// An alternate signal stack (`sigaltstack`): `size` bytes from `base`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AltStack {
    /// Lowest address.
    pub base: u64,
    /// Size in bytes (at least MINSIGSTKSZ).
    pub size: u64,
}

impl AltStack {
    /// Whether the stack pointer `sp` is on this stack (Linux's test: the
    /// stack grows down from `base + size`, which is on it, to just above
    /// `base`).
    pub fn contains(&self, sp: u64) -> bool {
        sp > self.base && sp - self.base <= self.size
    }

    /// The first address above the stack, where frames start.
    pub fn top(&self) -> u64 {
        self.base.saturating_add(self.size)
    }
}

/// A process's signal state.
#[derive(Debug)]
pub struct SignalState {
    mask: SigSet,
    pending: SigSet,
    /// The dispositions (index `signal - 1`), held only once one is not
    /// SIG_DFL: empty means every signal is SIG_DFL, so a process that
    /// never changes one (most children) has no table to copy on spawn,
    /// and its record is 2.5 KiB smaller.
    dispositions: Vec<Disposition>,
    /// Who last sent each signal that has had a sender recorded, for
    /// `siginfo_t`: at most one entry per signal, in the order first
    /// recorded; a signal without an entry has an all-zero sender. Its
    /// room for every signal (3.5 KiB) is had with the process
    /// ([`SignalState::for_process`], [`SignalState::for_child`]), apart
    /// from the process record (which is moved when a process is made)
    /// and not written until a sender is recorded, so recording one never
    /// allocates. Without room only in a state made by
    /// [`SignalState::new`].
    senders: Vec<(i32, Info)>,
    /// The mask to restore once a signal ends an `rt_sigsuspend`.
    suspended: Option<SigSet>,
    /// The alternate signal stack, if one is set.
    altstack: Option<AltStack>,
}

/// No sender recorded, with room for one per signal. ENOMEM if the room
/// cannot be had.
fn no_senders() -> Result<Vec<(i32, Info)>> {
    fallible::with_capacity(NSIG as usize)
}

impl PartialEq for SignalState {
    /// Equal states, whether or not either holds its table of dispositions.
    fn eq(&self, other: &SignalState) -> bool {
        self.mask == other.mask
            && self.pending == other.pending
            && (1..=NSIG).all(|signal| self.disposition(signal) == other.disposition(signal))
            && (1..=NSIG).all(|signal| self.sender(signal) == other.sender(signal))
            && self.suspended == other.suspended
            && self.altstack == other.altstack
    }
}

impl Eq for SignalState {}

impl Default for SignalState {
    fn default() -> Self {
        SignalState::new()
    }
}

impl SignalState {
    /// Nothing blocked, nothing pending, every disposition SIG_DFL.
    pub const fn new() -> SignalState {
        SignalState {
            mask: SigSet::EMPTY,
            pending: SigSet::EMPTY,
            dispositions: Vec::new(),
            senders: Vec::new(),
            suspended: None,
            altstack: None,
        }
    }

    /// The state a new child starts with: the parent's mask and
    /// dispositions, nothing pending, no alternate stack (POSIX: the new
    /// image has none). ENOMEM if the parent's dispositions cannot be
    /// copied.
    pub fn for_child(&self) -> Result<SignalState> {
        Ok(SignalState {
            mask: self.mask,
            pending: SigSet::EMPTY,
            dispositions: fallible::copy_of(&self.dispositions)?,
            senders: no_senders()?,
            suspended: None,
            altstack: None,
        })
    }

    /// The state of a new process with no parent to inherit from (init):
    /// [`SignalState::new`], with its table of senders. ENOMEM if that
    /// cannot be had.
    pub fn for_process() -> Result<SignalState> {
        Ok(SignalState {
            senders: no_senders()?,
            ..SignalState::new()
        })
    }

    /// The table of dispositions, made (every signal SIG_DFL) if the
    /// process has none yet. ENOMEM if it cannot be.
    fn dispositions_mut(&mut self) -> Result<&mut [Disposition]> {
        if self.dispositions.is_empty() {
            let mut table = fallible::with_capacity(NSIG as usize)?;
            table.resize(NSIG as usize, Disposition::Default);
            self.dispositions = table;
        }
        Ok(&mut self.dispositions)
    }

    /// The alternate stack as `sigaltstack` reports it to a process whose
    /// stack pointer is `sp`: SS_DISABLE if none, SS_ONSTACK while `sp` is
    /// on it, else flags 0.
    pub fn altstack(&self, sp: u64) -> StackT {
        match self.altstack {
            None => StackT {
                flags: SS_DISABLE,
                ..StackT::default()
            },
            Some(stack) => StackT {
                sp: stack.base,
                flags: if stack.contains(sp) { SS_ONSTACK } else { 0 },
                pad: 0,
                size: stack.size,
            },
        }
    }

    /// `sigaltstack(new, ..)` for a process whose stack pointer is `sp`:
    /// `new.flags` SS_DISABLE removes the stack (address and size are not
    /// looked at), 0 or SS_ONSTACK sets it. EPERM while `sp` is on the
    /// current one; EINVAL for other flags (SS_AUTODISARM is not
    /// supported); ENOMEM for a size below MINSIGSTKSZ. Nothing changes on
    /// error.
    pub fn set_altstack(&mut self, new: StackT, sp: u64) -> Result<()> {
        if self.altstack.is_some_and(|stack| stack.contains(sp)) {
            return Err(Errno::EPERM);
        }
        match new.flags {
            SS_DISABLE => self.altstack = None,
            0 | SS_ONSTACK => {
                if new.size < MINSIGSTKSZ {
                    return Err(Errno::ENOMEM);
                }
                self.altstack = Some(AltStack {
                    base: new.sp,
                    size: new.size,
                });
            }
            _ => return Err(Errno::EINVAL),
        }
        Ok(())
    }

    /// Where `handler`'s frame goes when the process is interrupted at
    /// `sp` ([`FramePlace`]): on the alternate stack, below its top, if
    /// the handler has SA_ONSTACK, a stack is set and `sp` is not on it
    /// yet; below `sp` otherwise. A frame on the alternate stack (entered
    /// or nested) must fit above its base.
    pub fn frame_place(&self, handler: &Handler, sp: u64) -> FramePlace {
        let uc_stack = self.altstack(sp);
        match self.altstack {
            Some(stack) if stack.contains(sp) => FramePlace {
                top: None,
                floor: stack.base,
                uc_stack,
            },
            Some(stack) if handler.flags & SA_ONSTACK != 0 => FramePlace {
                top: Some(stack.top()),
                floor: stack.base,
                uc_stack,
            },
            _ => FramePlace {
                top: None,
                floor: 0,
                uc_stack,
            },
        }
    }

    /// The blocked signals.
    pub fn mask(&self) -> SigSet {
        self.mask
    }

    /// The pending signals (`sigpending` reports those also blocked).
    pub fn pending(&self) -> SigSet {
        self.pending
    }

    /// The disposition of `signal`; EINVAL outside 1..=64.
    pub fn disposition(&self, signal: i32) -> Result<Disposition> {
        let index = check_signal(signal)?;
        Ok(self.dispositions.get(index).copied().unwrap_or_default())
    }

    /// Whether `signal` would be discarded if delivered now: SIG_IGN, or
    /// SIG_DFL with a default action that does nothing here.
    fn ignored(&self, signal: i32) -> bool {
        match self.disposition(signal) {
            Ok(Disposition::Ignore) => true,
            Ok(Disposition::Default) => matches!(
                default_action(signal),
                DefaultAction::Ignore | DefaultAction::Stop | DefaultAction::Continue
            ),
            _ => false,
        }
    }

    /// `sigaction(signal, new, &old)`: returns the old disposition and
    /// installs `new` if given. EINVAL for a signal outside 1..=64, or a
    /// new disposition for SIGKILL or SIGSTOP (querying them is fine).
    /// A handler's mask loses SIGKILL and SIGSTOP. Ignoring a signal (or
    /// defaulting one whose default is to ignore) discards it if pending.
    /// ENOMEM, with nothing changed, if the first disposition other than
    /// SIG_DFL finds no memory for the process's table.
    pub fn sigaction(&mut self, signal: i32, new: Option<Disposition>) -> Result<Disposition> {
        let index = check_signal(signal)?;
        let old = self.disposition(signal)?;
        let Some(mut new) = new else {
            return Ok(old);
        };
        if signal == SIGKILL || signal == SIGSTOP {
            return Err(Errno::EINVAL);
        }
        if let Disposition::Handler(handler) = &mut new {
            handler.mask = without_unblockable(handler.mask);
        }
        if new != old {
            self.dispositions_mut()?[index] = new;
        }
        if self.ignored(signal) {
            let _ = self.pending.remove(signal);
        }
        Ok(old)
    }

    /// Sets `signal` to SIG_DFL, for POSIX_SPAWN_SETSIGDEF: unlike
    /// `sigaction`, SIGKILL and SIGSTOP succeed (they are always SIG_DFL).
    /// EINVAL outside 1..=64.
    pub fn set_default(&mut self, signal: i32) -> Result<()> {
        let index = check_signal(signal)?;
        // Without a table every disposition is SIG_DFL already.
        if let Some(disposition) = self.dispositions.get_mut(index) {
            *disposition = Disposition::Default;
        }
        if self.ignored(signal) {
            let _ = self.pending.remove(signal);
        }
        Ok(())
    }

    /// `sigprocmask(how, set, &old)`: returns the old mask. With a set,
    /// `how` is SIG_BLOCK, SIG_UNBLOCK or SIG_SETMASK (else EINVAL, and no
    /// change); without one, `how` is not looked at (Linux).
    pub fn sigprocmask(&mut self, how: i32, set: Option<SigSet>) -> Result<SigSet> {
        let old = self.mask;
        let Some(set) = set else {
            return Ok(old);
        };
        let bits = match how {
            SIG_BLOCK => old.bits() | set.bits(),
            SIG_UNBLOCK => old.bits() & !set.bits(),
            SIG_SETMASK => set.bits(),
            _ => return Err(Errno::EINVAL),
        };
        self.set_mask(SigSet::from_bits(bits));
        Ok(old)
    }

    /// Replaces the mask, leaving SIGKILL and SIGSTOP out.
    pub fn set_mask(&mut self, mask: SigSet) {
        self.mask = without_unblockable(mask);
    }

    /// Sends `signal` to this process: it becomes pending unless it would
    /// be discarded anyway (ignored and not blocked: a blocked ignored
    /// signal stays pending, since the disposition may change before it is
    /// unblocked). Returns whether it is now pending. EINVAL outside
    /// 1..=64.
    pub fn generate(&mut self, signal: i32) -> Result<bool> {
        check_signal(signal)?;
        if self.ignored(signal) && !self.mask.contains(signal) {
            return Ok(false);
        }
        self.pending.add(signal)?;
        Ok(true)
    }

    /// [`generate`](Self::generate), remembering `info` as the sender's
    /// details (`siginfo_t`) when the signal is pending afterwards.
    /// ENOMEM, with nothing changed, only for a state made by
    /// [`SignalState::new`] whose table of senders cannot be made.
    pub fn generate_from(&mut self, signal: i32, info: Info) -> Result<bool> {
        check_signal(signal)?;
        if self.senders.capacity() == 0 {
            self.senders = no_senders()?;
        }
        let pending = self.generate(signal)?;
        if pending {
            match self.senders.iter_mut().find(|(of, _)| *of == signal) {
                Some((_, sender)) => *sender = info,
                // Within the room for every signal: no allocation.
                None => fallible::push(&mut self.senders, (signal, info))?,
            }
        }
        Ok(pending)
    }

    /// The details of the last sender of `signal` (all zero if none was
    /// recorded, or for a signal outside 1..=64).
    pub fn sender(&self, signal: i32) -> Info {
        self.senders
            .iter()
            .find(|(of, _)| *of == signal)
            .map_or(Info::NONE, |&(_, info)| info)
    }

    /// `rt_sigsuspend`: `mask` replaces the mask until a signal is
    /// delivered, then [`take_suspended_mask`](Self::take_suspended_mask)
    /// gives the old one back.
    pub fn suspend(&mut self, mask: SigSet) {
        self.suspended = Some(self.mask);
        self.set_mask(mask);
    }

    /// The mask saved by [`suspend`](Self::suspend), if a suspension is in
    /// progress; it ends here.
    pub fn take_suspended_mask(&mut self) -> Option<SigSet> {
        self.suspended.take()
    }

    /// `sigtimedwait`'s taking of a signal: removes the lowest pending
    /// signal of `set` (blocked or not; never SIGKILL or SIGSTOP, which
    /// cannot be waited for) from the pending set, without running its
    /// handler, and returns it with its sender's details. `None` if none
    /// of `set` is pending.
    pub fn take_waited(&mut self, set: SigSet) -> Option<(i32, Info)> {
        let wanted = self.pending.bits() & without_unblockable(set).bits();
        let signal = SigSet::from_bits(wanted).iter().next()?;
        let _ = self.pending.remove(signal);
        Some((signal, self.sender(signal)))
    }

    /// The pending signals not blocked.
    fn deliverable(&self) -> SigSet {
        SigSet::from_bits(self.pending.bits() & !self.mask.bits())
    }

    /// Whether a signal is pending and not blocked (it may still turn out
    /// to be discarded). The scheduler uses this to wake a blocked process.
    pub fn has_deliverable(&self) -> bool {
        !self.deliverable().is_empty()
    }

    /// Takes the lowest pending unblocked signal off the pending set and
    /// says what to do with it, skipping (and discarding) signals whose
    /// action is to do nothing. `None` when nothing is left to deliver.
    pub fn next_deliverable(&mut self) -> Option<(i32, Action)> {
        while let Some(signal) = self.deliverable().iter().next() {
            let _ = self.pending.remove(signal);
            match self.disposition(signal).unwrap_or_default() {
                Disposition::Handler(handler) => return Some((signal, Action::Handle(handler))),
                Disposition::Ignore => {}
                Disposition::Default => match default_action(signal) {
                    DefaultAction::Terminate | DefaultAction::CoreDump => {
                        return Some((signal, Action::Terminate))
                    }
                    DefaultAction::Ignore | DefaultAction::Stop | DefaultAction::Continue => {}
                },
            }
        }
        None
    }

    /// The kernel is about to run `handler` for `signal`: blocks the
    /// handler's mask and (unless SA_NODEFER) the signal itself; with
    /// SA_RESETHAND the disposition goes back to SIG_DFL. Returns the mask
    /// to restore when the handler returns.
    pub fn enter_handler(&mut self, signal: i32, handler: &Handler) -> SigSet {
        let old = self.mask;
        let mut bits = old.bits() | handler.mask.bits();
        if handler.flags & SA_NODEFER == 0 && check_signal(signal).is_ok() {
            bits |= bit(signal);
        }
        if handler.flags & SA_RESETHAND != 0 {
            let _ = self.set_default(signal);
        }
        self.set_mask(SigSet::from_bits(bits));
        old
    }

    /// Exec: caught signals go back to SIG_DFL; ignored ones stay ignored;
    /// the mask and the pending set are kept; the alternate stack is gone.
    pub fn reset_for_exec(&mut self) {
        self.altstack = None;
        for disposition in &mut self.dispositions {
            if matches!(disposition, Disposition::Handler(_)) {
                *disposition = Disposition::Default;
            }
        }
    }
}

#[cfg(test)]
mod tests;
