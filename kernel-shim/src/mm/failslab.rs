//! Allocation-failure injection, like Linux's failslab: a boot option makes
//! kernel heap allocations fail on purpose, to show that every allocation
//! a system call, an interrupt or a spawn makes is fallible (issue 13).
//!
//! The option is a leading word of the kernel command line (taken by the
//! kernel, not passed to init):
//!
//! - `failslab=every:N`: every Nth allocation fails;
//! - `failslab=prob:P,seed:S`: each allocation fails with probability P
//!   percent (1 to 100), drawn from a generator seeded with S.
//!
//! Injection starts with the first trap from user mode ([`arm`]), so the
//! boot itself and the start of init are never failed on purpose, and it
//! spares init (pid 1, the harness that runs and reports the tests), as
//! Linux's failslab can be limited to some tasks: an allocation made on
//! init's kernel stack (process slot [`INIT_SLOT`], the first created) is
//! neither failed nor counted. The
//! kernel heap ([`crate::heap`]) asks [`should_fail`] before each
//! allocation; a `true` makes the allocation return null, exactly as when
//! the heap is full.
//!
//! # Sites
//!
//! `GlobalAlloc` is not told who allocates, so a site is identified by its
//! call stack: the return addresses of the innermost [`SITE_DEPTH`]
//! frames, found by walking the frame-pointer chain (the bare-metal target
//! is built with `-C force-frame-pointers=yes`, see `.cargo/config.toml`),
//! hashed into one number. The walk reads only 8-aligned words of the
//! current kernel stack, each frame strictly above the one before and at
//! most [`STACK_SPAN`] above the first, in the kernel half.
//! The number of distinct call stacks seen while armed ("sites reached")
//! and of those at which a failure was injected ("sites failed") go into
//! the report at power-off ([`report`]), with the counts of allocations and
//! injected failures. Distinct stacks over-count distinct source lines a
//! little (one line reached from two callers is two stacks), which is what
//! a fault-injection run wants to cover.

use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// The command-line word prefix.
const WORD: &[u8] = b"failslab=";
/// Mode values of [`MODE`].
const OFF: u64 = 0;
const EVERY: u64 = 1;
const PROBABILITY: u64 = 2;
/// Largest probability, in percent.
const PERCENT: u64 = 100;

/// Frames of a call stack that make up a site.
pub const SITE_DEPTH: usize = 12;
/// How far above the first frame the walk may go (the largest kernel
/// stack, the boot stack).
const STACK_SPAN: u64 = crate::arch::boot::BOOT_STACK_SIZE as u64;
/// The start of the kernel half: kernel stacks (in the kernel image or
/// the heap) lie above it.
const KERNEL_HALF_START: u64 = crate::arch::boot::DIRECT_MAP_BASE;
/// Slots of each site table (a power of two); sites beyond it are not
/// counted.
const SITE_SLOTS: usize = 4096;

/// The process slot of init, the first process created.
pub const INIT_SLOT: usize = 0;

static MODE: AtomicU64 = AtomicU64::new(OFF);
/// N of `every:N`, or P of `prob:P`.
static PARAMETER: AtomicU64 = AtomicU64::new(0);
/// The generator's state (xorshift64).
static STATE: AtomicU64 = AtomicU64::new(1);
static ARMED: AtomicBool = AtomicBool::new(false);
/// Allocations seen while armed, and those failed on purpose.
static ATTEMPTS: AtomicU64 = AtomicU64::new(0);
static INJECTED: AtomicU64 = AtomicU64::new(0);
/// Distinct sites reached and failed (open addressing, 0 = empty).
static REACHED: [AtomicU64; SITE_SLOTS] = [const { AtomicU64::new(0) }; SITE_SLOTS];
static FAILED: [AtomicU64; SITE_SLOTS] = [const { AtomicU64::new(0) }; SITE_SLOTS];
static REACHED_COUNT: AtomicU64 = AtomicU64::new(0);
static FAILED_COUNT: AtomicU64 = AtomicU64::new(0);

/// Parses a decimal number.
fn number(text: &[u8]) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    text.iter().try_fold(0u64, |value, &digit| {
        let digit = (digit as char).to_digit(10)?;
        value.checked_mul(10)?.checked_add(u64::from(digit))
    })
}

/// Takes a `failslab=` command-line word; returns whether `word` was one
/// (a malformed one is reported on the kernel log and leaves injection
/// off).
pub fn parse_word(word: &[u8]) -> bool {
    let Some(option) = word.strip_prefix(WORD) else {
        return false;
    };
    let parsed = if let Some(n) = option.strip_prefix(b"every:") {
        number(n).filter(|&n| n > 0).map(|n| (EVERY, n, 1))
    } else if let Some(rest) = option.strip_prefix(b"prob:") {
        let mut parts = rest.splitn(2, |&b| b == b',');
        let percent = parts.next().and_then(number);
        let seed = parts
            .next()
            .and_then(|part| part.strip_prefix(b"seed:"))
            .and_then(number);
        match (percent, seed) {
            (Some(p), Some(s)) if (1..=PERCENT).contains(&p) => Some((PROBABILITY, p, s)),
            _ => None,
        }
    } else {
        None
    };
    match parsed {
        Some((mode, parameter, seed)) => {
            PARAMETER.store(parameter, Ordering::Relaxed);
            // xorshift must not start at 0.
            STATE.store(seed | 1, Ordering::Relaxed);
            MODE.store(mode, Ordering::Relaxed);
        }
        None => klog!("failslab: ignoring malformed option (every:N or prob:P,seed:S)"),
    }
    true
}

/// Starts injecting (called on every trap from user mode; only the first
/// call changes anything).
pub fn arm() {
    if MODE.load(Ordering::Relaxed) != OFF && !ARMED.load(Ordering::Relaxed) {
        ARMED.store(true, Ordering::Relaxed);
    }
}

/// The next number of the generator.
fn next_random() -> u64 {
    let mut x = STATE.load(Ordering::Relaxed);
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    STATE.store(x, Ordering::Relaxed);
    x
}

/// Whether the allocation being made should fail on purpose. Records its
/// site. Called by the heap with interrupts off (one CPU).
pub fn should_fail() -> bool {
    if !ARMED.load(Ordering::Relaxed) || on_init_stack() {
        return false;
    }
    let attempt = ATTEMPTS.fetch_add(1, Ordering::Relaxed) + 1;
    let fail = match MODE.load(Ordering::Relaxed) {
        EVERY => attempt.is_multiple_of(PARAMETER.load(Ordering::Relaxed)),
        PROBABILITY => next_random() % PERCENT < PARAMETER.load(Ordering::Relaxed),
        _ => false,
    };
    let site = site();
    record(&REACHED, &REACHED_COUNT, site);
    if fail {
        INJECTED.fetch_add(1, Ordering::Relaxed);
        record(&FAILED, &FAILED_COUNT, site);
    }
    fail
}

/// Whether the kernel runs on init's kernel stack (for init).
fn on_init_stack() -> bool {
    let stack: u64;
    // SAFETY: reads the stack-pointer register; no memory is touched.
    unsafe { core::arch::asm!("mov {}, rsp", out(reg) stack, options(nomem, nostack)) };
    let top = crate::arch::context::kernel_stack_top(INIT_SLOT);
    (top - crate::arch::context::KERNEL_STACK_SIZE as u64..top).contains(&stack)
}

/// Adds `site` to `table` if it is new there, counting it in `count`.
fn record(table: &[AtomicU64; SITE_SLOTS], count: &AtomicU64, site: u64) {
    let mut index = (site as usize) & (SITE_SLOTS - 1);
    for _ in 0..SITE_SLOTS {
        match table[index].load(Ordering::Relaxed) {
            0 => {
                table[index].store(site, Ordering::Relaxed);
                count.fetch_add(1, Ordering::Relaxed);
                return;
            }
            known if known == site => return,
            _ => index = (index + 1) & (SITE_SLOTS - 1),
        }
    }
}

/// The hash of the caller's call stack ([`SITE_DEPTH`] return addresses);
/// never 0.
fn site() -> u64 {
    // FNV-1a over the return addresses.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    return_addresses(SITE_DEPTH, |address| {
        hash = (hash ^ address).wrapping_mul(0x0100_0000_01b3);
    });
    hash.max(1)
}

/// Gives `each` the return addresses of the innermost `depth` frames of
/// the caller's stack, innermost first, by the frame-pointer chain.
#[inline(never)]
fn return_addresses(depth: usize, mut each: impl FnMut(u64)) {
    let mut frame: u64;
    // SAFETY: reads the frame-pointer register; no memory is touched.
    unsafe { core::arch::asm!("mov {}, rbp", out(reg) frame, options(nomem, nostack)) };
    let first = frame;
    for _ in 0..depth {
        let plausible = frame != 0
            && frame.is_multiple_of(8)
            && frame >= first
            && frame - first <= STACK_SPAN
            && frame >= KERNEL_HALF_START
            && frame.checked_add(16).is_some();
        if !plausible {
            return;
        }
        // SAFETY: `frame` is 8-aligned and within STACK_SPAN above the
        // walk's first frame on the current kernel stack, in the kernel
        // half, which maps all of it: both words are readable
        // kernel memory (a stale link gives a wrong site, not a fault).
        let (saved, returned) = unsafe {
            let words = frame as *const u64;
            (words.read_volatile(), words.add(1).read_volatile())
        };
        each(returned);
        if saved <= frame {
            return;
        }
        frame = saved;
    }
}

/// Frames the panic handler's backtrace shows at most.
const BACKTRACE_DEPTH: usize = 24;

/// Writes the return addresses of the current call stack to the kernel
/// log (`backtrace: 0x... 0x...`), for the panic handler: resolve them
/// with `addr2line -e target/x86_64-unknown-none/release/kernel-shim`.
pub fn log_backtrace() {
    klog!("backtrace (innermost first):");
    return_addresses(BACKTRACE_DEPTH, |address| klog!("  {address:#x}"));
}

/// Writes the injection's figures to the kernel log at power-off, one line
/// that `x.py fuzz guest` and the guest stage of `x.py test` read:
/// `failslab: N allocations, N failed on purpose, N sites reached, N sites
/// failed` (nothing when injection is off).
pub fn report() {
    if MODE.load(Ordering::Relaxed) == OFF {
        return;
    }
    klog!(
        "failslab: {} allocations, {} failed on purpose, {} sites reached, {} sites failed",
        ATTEMPTS.load(Ordering::Relaxed),
        INJECTED.load(Ordering::Relaxed),
        REACHED_COUNT.load(Ordering::Relaxed),
        FAILED_COUNT.load(Ordering::Relaxed)
    );
}
