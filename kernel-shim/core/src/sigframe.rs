//! Sigframe: the Linux x86_64 signal frame a handler runs on, built and read back.
//!
//! Seen from the handler, the frame is what Linux builds (`rt_sigframe`):
//!
//! | Offset from the handler's `rsp` | Contents |
//! |---|---|
//! | 0 | return address: the `sa_restorer` (calls `rt_sigreturn`) |
//! | 8 | `ucontext`: flags, link, `stack_t`, `sigcontext` (the interrupted registers), signal mask |
//! | 8 + [`UCONTEXT_SIZE`] | `siginfo_t` (128 bytes) |
//!
//! and above it, 64-byte aligned, the 512-byte `fxsave` image of the x87
//! and SSE state, which the `sigcontext`'s `fpstate` field points to. The
//! frame starts below the interrupted stack pointer's 128-byte red zone,
//! and the handler's `rsp` is 8 modulo 16, as right after a `call`.
//!
//! `rt_sigreturn` finds the `ucontext` at its caller's `rsp` (the handler's
//! `ret` popped the return address) and reads the registers back; what it
//! returns is sanitised by [`Registers::sanitize`] so a forged frame cannot
//! reach ring 0 segments, privileged flags or kernel addresses.
#![forbid(unsafe_code)]

use shim_abi::altstack::SS_DISABLE;
use shim_abi::{layout, StackT};

/// Bytes below the interrupted `rsp` that leaf functions may use (SysV).
pub const RED_ZONE: u64 = 128;
/// Size of the `fxsave` image.
pub const FXSAVE_SIZE: usize = 512;
/// Alignment of the `fxsave` image in the frame.
const FXSAVE_ALIGN: u64 = 64;
/// Size of `struct sigcontext` (x86_64).
pub const SIGCONTEXT_SIZE: usize = 256;
/// Size of the kernel's `struct ucontext`: flags, link, `stack_t` (24),
/// `sigcontext`, a 64-bit signal mask.
pub const UCONTEXT_SIZE: usize = 8 + 8 + 24 + SIGCONTEXT_SIZE + 8;
/// Size of `siginfo_t`.
pub const SIGINFO_SIZE: usize = 128;
/// Size of the frame below the `fxsave` image: return address, ucontext,
/// siginfo.
pub const FRAME_SIZE: usize = 8 + UCONTEXT_SIZE + SIGINFO_SIZE;
/// Offset of the `sigcontext` in the `ucontext`.
const MCONTEXT_OFFSET: usize = 40;
/// Offset of the signal mask in the `ucontext`.
const SIGMASK_OFFSET: usize = MCONTEXT_OFFSET + SIGCONTEXT_SIZE;
/// Offset of the `fpstate` pointer (sigcontext word 23) in the `ucontext`.
const FPSTATE_OFFSET: usize = MCONTEXT_OFFSET + 23 * 8;
/// `uc_flags`: the `sigcontext` holds `ss`, and `rt_sigreturn` restores it
/// (Linux's `UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS`).
const UC_FLAGS: u64 = 0x2 | 0x4;

/// RFLAGS bits user code may set through `rt_sigreturn`: CF, PF, AF, ZF,
/// SF, TF, DF, OF, RF, AC.
pub const USER_RFLAGS_MASK: u64 =
    0x1 | 0x4 | 0x10 | 0x40 | 0x80 | 0x100 | 0x400 | 0x800 | 0x1_0000 | 0x4_0000;
/// RFLAGS bits always set in user mode: IF and the reserved bit 1.
pub const USER_RFLAGS_FIXED: u64 = 0x200 | 0x2;

/// The user registers a frame saves, in `sigcontext` order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct Registers {
    pub r8: u64,
    pub r9: u64,
    pub r10: u64,
    pub r11: u64,
    pub r12: u64,
    pub r13: u64,
    pub r14: u64,
    pub r15: u64,
    pub rdi: u64,
    pub rsi: u64,
    pub rbp: u64,
    pub rbx: u64,
    pub rdx: u64,
    pub rax: u64,
    pub rcx: u64,
    pub rsp: u64,
    pub rip: u64,
    pub rflags: u64,
    pub cs: u16,
    pub ss: u16,
}

impl Registers {
    /// The words before `cs` in `sigcontext` order.
    fn words(&self) -> [u64; 18] {
        [
            self.r8,
            self.r9,
            self.r10,
            self.r11,
            self.r12,
            self.r13,
            self.r14,
            self.r15,
            self.rdi,
            self.rsi,
            self.rbp,
            self.rbx,
            self.rdx,
            self.rax,
            self.rcx,
            self.rsp,
            self.rip,
            self.rflags,
        ]
    }

    fn from_words(words: &[u64; 18], cs: u16, ss: u16) -> Registers {
        let [r8, r9, r10, r11, r12, r13, r14, r15, rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, rflags] =
            *words;
        Registers {
            r8,
            r9,
            r10,
            r11,
            r12,
            r13,
            r14,
            r15,
            rdi,
            rsi,
            rbp,
            rbx,
            rdx,
            rax,
            rcx,
            rsp,
            rip,
            rflags,
            cs,
            ss,
        }
    }

    /// Makes registers read from user memory safe to return to: user code
    /// and stack segments, only user-settable flags (interrupts on).
    /// Returns `None` when `rip` or `rsp` is not a canonical user address
    /// ([`layout::is_return_address`]).
    pub fn sanitize(mut self, user_cs: u16, user_ss: u16) -> Option<Registers> {
        if !layout::is_return_address(self.rip) || !layout::is_return_address(self.rsp) {
            return None;
        }
        self.cs = user_cs;
        self.ss = user_ss;
        self.rflags = (self.rflags & USER_RFLAGS_MASK) | USER_RFLAGS_FIXED;
        Some(self)
    }
}

/// The fault details a `sigcontext` and `siginfo_t` carry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Info {
    /// `si_code` (SI_USER 0 for `kill`, a fault code for exceptions).
    pub code: i32,
    /// `si_pid` of the sender (`kill`) or the child (SIGCHLD).
    pub pid: i32,
    /// `si_uid` of the sender.
    pub uid: u32,
    /// `si_addr` for faults (faulting address or instruction).
    pub addr: u64,
    /// Whether this is a fault (`si_addr` is set instead of pid and uid).
    pub fault: bool,
    /// `sigcontext.err`: the exception's error code.
    pub error_code: u64,
    /// `sigcontext.trapno`: the exception vector.
    pub trapno: u64,
    /// `sigcontext.cr2`: the page-fault address.
    pub cr2: u64,
}

impl Info {
    /// No details: a signal nobody described (all fields zero).
    pub const NONE: Info = Info {
        code: 0,
        pid: 0,
        uid: 0,
        addr: 0,
        fault: false,
        error_code: 0,
        trapno: 0,
        cr2: 0,
    };
}

/// `si_code` of a signal sent by `kill`.
pub const SI_USER: i32 = 0;
/// `si_code` of a signal the kernel raised on its own (SIGALRM).
pub const SI_KERNEL: i32 = 0x80;
/// `si_code` of SIGCHLD for a child that exited.
pub const CLD_EXITED: i32 = 1;
/// `si_code` of SIGCHLD for a child killed by a signal.
pub const CLD_KILLED: i32 = 2;

/// Where a handler's frame goes and what its `uc_stack` says (decided by
/// [`SignalState::frame_place`](crate::signal::SignalState::frame_place)).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FramePlace {
    /// Build below this address (the top of the alternate stack being
    /// entered); `None`: below the interrupted `rsp` and its red zone.
    pub top: Option<u64>,
    /// The frame's lowest address must lie above this (the alternate
    /// stack's base); 0 for no bound.
    pub floor: u64,
    /// The alternate stack as the interrupted code had it (`uc_stack`).
    pub uc_stack: StackT,
}

impl FramePlace {
    /// On the current stack, no alternate stack set.
    pub const CURRENT: FramePlace = FramePlace {
        top: None,
        floor: 0,
        uc_stack: StackT {
            sp: 0,
            flags: SS_DISABLE,
            pad: 0,
            size: 0,
        },
    };
}

/// What to put in a new frame.
pub struct Delivery<'a> {
    /// The interrupted registers.
    pub regs: Registers,
    /// The signal.
    pub signal: i32,
    /// Its details.
    pub info: Info,
    /// The mask to restore when the handler returns.
    pub old_mask: u64,
    /// `sa_restorer`.
    pub restorer: u64,
    /// The interrupted `fxsave` image.
    pub fpu: &'a [u8; FXSAVE_SIZE],
    /// Which stack, and `uc_stack`.
    pub place: FramePlace,
}

/// A built frame: copy `bytes` to `address`, then enter the handler with
/// `rsp = handler_rsp`, `rdi = signal`, `rsi = siginfo`, `rdx = ucontext`.
#[derive(Debug, PartialEq, Eq)]
pub struct Built {
    /// Lowest address of the frame (the handler's `rsp`).
    pub address: u64,
    /// The frame's bytes, from `address` up to the end of the fxsave image.
    pub bytes: FrameBytes,
    /// Address of the `siginfo_t`.
    pub siginfo: u64,
    /// Address of the `ucontext`.
    pub ucontext: u64,
}

/// Most bytes a frame takes: the frame, its alignment below the fxsave
/// image (16 bytes, then 8 for the return address slot), the fxsave image.
pub const MAX_FRAME_BYTES: usize = FRAME_SIZE + 16 + 8 + FXSAVE_SIZE;

/// A built frame's bytes, kept in place (building a frame allocates
/// nothing, so delivering a signal cannot fail for lack of kernel memory).
#[derive(Clone, PartialEq, Eq)]
pub struct FrameBytes {
    buffer: [u8; MAX_FRAME_BYTES],
    len: usize,
}

impl FrameBytes {
    /// `len` zero bytes (at most [`MAX_FRAME_BYTES`]).
    fn zeroed(len: usize) -> Option<FrameBytes> {
        (len <= MAX_FRAME_BYTES).then_some(FrameBytes {
            buffer: [0; MAX_FRAME_BYTES],
            len,
        })
    }
}

impl core::ops::Deref for FrameBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.buffer[..self.len]
    }
}

impl core::ops::DerefMut for FrameBytes {
    fn deref_mut(&mut self) -> &mut [u8] {
        &mut self.buffer[..self.len]
    }
}

impl core::fmt::Debug for FrameBytes {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "FrameBytes({} bytes)", self.len)
    }
}

fn put(bytes: &mut [u8], offset: usize, value: &[u8]) {
    bytes[offset..offset + value.len()].copy_from_slice(value);
}

/// Offset of `si_code` in `siginfo_t` (after `si_signo` and `si_errno`).
const SI_CODE_OFFSET: usize = 8;
/// Offset of the union in `siginfo_t`: `si_pid` or `si_addr`.
const SI_PID_OFFSET: usize = 16;
/// Offset of `si_uid` in `siginfo_t`.
const SI_UID_OFFSET: usize = 20;
/// Offset of `si_status` in a SIGCHLD `siginfo_t`.
const SI_STATUS_OFFSET: usize = 24;

/// The `siginfo_t` of `signal` sent with `info`, as a handler's frame and
/// `rt_sigtimedwait` give it: `si_signo`, `si_errno` 0, `si_code`, then
/// `si_addr` for a fault, else `si_pid` and `si_uid`; the rest zero.
pub fn siginfo_bytes(signal: i32, info: &Info) -> [u8; SIGINFO_SIZE] {
    let mut bytes = [0; SIGINFO_SIZE];
    put(&mut bytes, 0, &signal.to_le_bytes());
    put(&mut bytes, SI_CODE_OFFSET, &info.code.to_le_bytes());
    if info.fault {
        put(&mut bytes, SI_PID_OFFSET, &info.addr.to_le_bytes());
    } else {
        put(&mut bytes, SI_PID_OFFSET, &info.pid.to_le_bytes());
        put(&mut bytes, SI_UID_OFFSET, &info.uid.to_le_bytes());
    }
    bytes
}

/// The `siginfo_t` `waitid` fills for a child (`si_signo` SIGCHLD): its
/// pid, real uid, `si_code` (CLD_EXITED or CLD_KILLED) and `si_status`
/// (the exit code or the signal).
pub fn child_siginfo_bytes(
    sigchld: i32,
    code: i32,
    pid: i32,
    uid: u32,
    status: i32,
) -> [u8; SIGINFO_SIZE] {
    let info = Info {
        code,
        pid,
        uid,
        ..Info::NONE
    };
    let mut bytes = siginfo_bytes(sigchld, &info);
    put(&mut bytes, SI_STATUS_OFFSET, &status.to_le_bytes());
    bytes
}

/// Lays out the frame for `delivery` below `delivery.regs.rsp`, or below
/// the top of the alternate stack it enters ([`FramePlace`]). `None` when
/// the stack pointer is too low to hold it, or the frame would overflow
/// the alternate stack.
pub fn build(delivery: &Delivery<'_>) -> Option<Built> {
    let place = &delivery.place;
    let below_red_zone = match place.top {
        Some(top) => top,
        None => delivery.regs.rsp.checked_sub(RED_ZONE)?,
    };
    let fpu_address = below_red_zone.checked_sub(FXSAVE_SIZE as u64)? & !(FXSAVE_ALIGN - 1);
    let address = (fpu_address.checked_sub(FRAME_SIZE as u64)? & !15).checked_sub(8)?;
    if address <= place.floor {
        return None;
    }
    let total = (fpu_address - address) as usize + FXSAVE_SIZE;
    let mut bytes = FrameBytes::zeroed(total)?;
    let ucontext = 8usize;
    let siginfo = ucontext + UCONTEXT_SIZE;
    put(&mut bytes, 0, &delivery.restorer.to_le_bytes());
    put(&mut bytes, ucontext, &UC_FLAGS.to_le_bytes());
    // uc_link 0; uc_stack: ss_sp, ss_flags (and padding), ss_size.
    let stack = &place.uc_stack;
    put(&mut bytes, ucontext + 16, &stack.sp.to_le_bytes());
    put(&mut bytes, ucontext + 24, &stack.flags.to_le_bytes());
    put(&mut bytes, ucontext + 32, &stack.size.to_le_bytes());
    let mc = ucontext + MCONTEXT_OFFSET;
    for (index, word) in delivery.regs.words().iter().enumerate() {
        put(&mut bytes, mc + index * 8, &word.to_le_bytes());
    }
    // cs, gs, fs, ss as four u16 in one word.
    put(&mut bytes, mc + 18 * 8, &delivery.regs.cs.to_le_bytes());
    put(&mut bytes, mc + 18 * 8 + 6, &delivery.regs.ss.to_le_bytes());
    put(
        &mut bytes,
        mc + 19 * 8,
        &delivery.info.error_code.to_le_bytes(),
    );
    put(&mut bytes, mc + 20 * 8, &delivery.info.trapno.to_le_bytes());
    put(&mut bytes, mc + 21 * 8, &delivery.old_mask.to_le_bytes());
    put(&mut bytes, mc + 22 * 8, &delivery.info.cr2.to_le_bytes());
    put(
        &mut bytes,
        ucontext + FPSTATE_OFFSET,
        &fpu_address.to_le_bytes(),
    );
    put(
        &mut bytes,
        ucontext + SIGMASK_OFFSET,
        &delivery.old_mask.to_le_bytes(),
    );
    put(
        &mut bytes,
        siginfo,
        &siginfo_bytes(delivery.signal, &delivery.info),
    );
    put(&mut bytes, (fpu_address - address) as usize, delivery.fpu);
    Some(Built {
        address,
        bytes,
        siginfo: address + siginfo as u64,
        ucontext: address + ucontext as u64,
    })
}

/// What `rt_sigreturn` reads from a `ucontext` (not yet sanitised).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Restored {
    /// The registers to return with.
    pub regs: Registers,
    /// The signal mask to restore.
    pub mask: u64,
    /// Address of the `fxsave` image to restore, or 0 for a clean state.
    pub fpstate: u64,
}

/// Reads a `ucontext` (its first [`UCONTEXT_SIZE`] bytes).
pub fn parse(ucontext: &[u8; UCONTEXT_SIZE]) -> Restored {
    let word = |offset: usize| {
        let mut raw = [0u8; 8];
        raw.copy_from_slice(&ucontext[offset..offset + 8]);
        u64::from_le_bytes(raw)
    };
    let half = |offset: usize| u16::from_le_bytes([ucontext[offset], ucontext[offset + 1]]);
    let mut words = [0u64; 18];
    for (index, slot) in words.iter_mut().enumerate() {
        *slot = word(MCONTEXT_OFFSET + index * 8);
    }
    let cs = half(MCONTEXT_OFFSET + 18 * 8);
    let ss = half(MCONTEXT_OFFSET + 18 * 8 + 6);
    Restored {
        regs: Registers::from_words(&words, cs, ss),
        mask: word(SIGMASK_OFFSET),
        fpstate: word(FPSTATE_OFFSET),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Registers {
        Registers {
            r8: 8,
            rdi: 0xd1,
            rax: 0xa,
            rsp: 0x7fff_0000_1008,
            rip: 0x4000_1234,
            rflags: 0x246,
            cs: 0x23,
            ss: 0x1b,
            ..Registers::default()
        }
    }

    #[test]
    fn handler_stack_is_aligned_and_below_the_red_zone() {
        let fpu = [0x5a; FXSAVE_SIZE];
        let delivery = Delivery {
            regs: sample(),
            signal: 10,
            info: Info {
                code: 0,
                pid: 7,
                uid: 1000,
                ..Info::default()
            },
            old_mask: 0x4,
            restorer: 0x4000_9000,
            fpu: &fpu,
            place: FramePlace::CURRENT,
        };
        let built = build(&delivery).unwrap();
        assert_eq!(built.address % 16, 8);
        let end = built.address + built.bytes.len() as u64;
        assert!(end <= sample().rsp - RED_ZONE);
        assert_eq!(&built.bytes[..8], &0x4000_9000u64.to_le_bytes());
        let si = (built.siginfo - built.address) as usize;
        assert_eq!(&built.bytes[si..si + 4], &10i32.to_le_bytes());
        assert_eq!(&built.bytes[si + 16..si + 20], &7i32.to_le_bytes());
        assert_eq!(&built.bytes[si + 20..si + 24], &1000u32.to_le_bytes());
        let uc = (built.ucontext - built.address) as usize;
        let mut context = [0u8; UCONTEXT_SIZE];
        context.copy_from_slice(&built.bytes[uc..uc + UCONTEXT_SIZE]);
        let restored = parse(&context);
        assert_eq!(restored.regs, sample());
        assert_eq!(restored.mask, 0x4);
        assert_eq!(restored.fpstate % FXSAVE_ALIGN, 0);
        let fp = (restored.fpstate - built.address) as usize;
        assert_eq!(&built.bytes[fp..fp + FXSAVE_SIZE], &fpu[..]);
        // glibc's view: uc_mcontext.gregs[REG_RIP] is at ucontext + 40 + 16 * 8.
        assert_eq!(&context[40 + 128..40 + 136], &0x4000_1234u64.to_le_bytes());
    }

    #[test]
    fn sanitize_forces_user_segments_and_flags() {
        let forged = Registers {
            cs: 0x08,
            ss: 0x10,
            rflags: 0x3000 | 0x4000 | 0x246,
            ..sample()
        };
        let clean = forged.sanitize(0x23, 0x1b).unwrap();
        assert_eq!((clean.cs, clean.ss), (0x23, 0x1b));
        assert_eq!(clean.rflags, 0x246);
        let kernel_rip = Registers {
            rip: 0xffff_8000_0000_0000,
            ..sample()
        };
        assert_eq!(kernel_rip.sanitize(0x23, 0x1b), None);
    }

    #[test]
    fn sanitize_refuses_non_canonical_and_kernel_half_rip_and_rsp() {
        for bad in [
            0x0000_8000_0000_0000,
            0x7fff_ffff_ffff_ffff_u64 + 1,
            0xdead_beef_0000_0000,
            0xffff_ffff_ffff_f000,
            u64::MAX,
        ] {
            let rip = Registers {
                rip: bad,
                ..sample()
            };
            assert_eq!(rip.sanitize(0x23, 0x1b), None, "rip {bad:#x}");
            let rsp = Registers {
                rsp: bad,
                ..sample()
            };
            assert_eq!(rsp.sanitize(0x23, 0x1b), None, "rsp {bad:#x}");
        }
        let last = Registers {
            rip: 0x7fff_ffff_fff0,
            rsp: 0x7fff_ffff_fff8,
            ..sample()
        };
        assert!(last.sanitize(0x23, 0x1b).is_some());
    }

    #[test]
    fn a_stack_at_the_bottom_of_memory_has_no_room() {
        let fpu = [0; FXSAVE_SIZE];
        let delivery = Delivery {
            regs: Registers {
                rsp: 100,
                ..sample()
            },
            signal: 1,
            info: Info::default(),
            old_mask: 0,
            restorer: 0,
            fpu: &fpu,
            place: FramePlace::CURRENT,
        };
        assert_eq!(build(&delivery), None);
    }

    fn delivery_at(rsp: u64, place: FramePlace, fpu: &[u8; FXSAVE_SIZE]) -> Delivery<'_> {
        Delivery {
            regs: Registers { rsp, ..sample() },
            signal: 10,
            info: Info::default(),
            old_mask: 0,
            restorer: 0x4000_9000,
            fpu,
            place,
        }
    }

    const ALT_BASE: u64 = 0x5000_0000;
    const ALT_SIZE: u64 = 0x4000;

    fn alt_stack(flags: i32) -> StackT {
        StackT {
            sp: ALT_BASE,
            flags,
            pad: 0,
            size: ALT_SIZE,
        }
    }

    #[test]
    fn a_frame_entering_the_alternate_stack_starts_at_its_top_and_records_it() {
        let fpu = [0; FXSAVE_SIZE];
        let place = FramePlace {
            top: Some(ALT_BASE + ALT_SIZE),
            floor: ALT_BASE,
            uc_stack: alt_stack(0),
        };
        let built = build(&delivery_at(sample().rsp, place, &fpu)).unwrap();
        let end = built.address + built.bytes.len() as u64;
        assert!(built.address > ALT_BASE && end <= ALT_BASE + ALT_SIZE);
        assert_eq!(built.address % 16, 8);
        let uc = (built.ucontext - built.address) as usize;
        assert_eq!(&built.bytes[uc + 16..uc + 24], &ALT_BASE.to_le_bytes());
        assert_eq!(&built.bytes[uc + 24..uc + 28], &0i32.to_le_bytes());
        assert_eq!(&built.bytes[uc + 32..uc + 40], &ALT_SIZE.to_le_bytes());
        // The interrupted registers are kept, rsp included.
        let mut context = [0u8; UCONTEXT_SIZE];
        context.copy_from_slice(&built.bytes[uc..uc + UCONTEXT_SIZE]);
        assert_eq!(parse(&context).regs.rsp, sample().rsp);
    }

    #[test]
    fn a_frame_that_would_overflow_the_alternate_stack_is_refused() {
        let fpu = [0; FXSAVE_SIZE];
        let small = FramePlace {
            top: Some(ALT_BASE + 512),
            floor: ALT_BASE,
            uc_stack: alt_stack(0),
        };
        assert_eq!(build(&delivery_at(sample().rsp, small, &fpu)), None);
        // Nested: already on it, too close to its base.
        let nested = FramePlace {
            top: None,
            floor: ALT_BASE,
            uc_stack: alt_stack(1),
        };
        assert_eq!(build(&delivery_at(ALT_BASE + 900, nested, &fpu)), None);
        assert!(build(&delivery_at(ALT_BASE + ALT_SIZE, nested, &fpu)).is_some());
    }

    #[test]
    fn without_an_alternate_stack_uc_stack_says_ss_disable() {
        let fpu = [0; FXSAVE_SIZE];
        let built = build(&delivery_at(sample().rsp, FramePlace::CURRENT, &fpu)).unwrap();
        let uc = (built.ucontext - built.address) as usize;
        assert_eq!(&built.bytes[uc + 24..uc + 28], &SS_DISABLE.to_le_bytes());
    }
}
