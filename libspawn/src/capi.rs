//! The C ABI: `posix_spawnattr_*` and `posix_spawn_file_actions_*`.
//!
//! This module is the only place in libspawn with raw pointers. Each entry
//! point checks its pointers, turns them into references to the Rust objects
//! ([`SpawnAttr`], [`FileActions`]) and returns the error number POSIX
//! specifies, or 0. Nothing here can panic: there is no indexing, no
//! `unwrap` and no unchecked arithmetic, so no unwinding can cross
//! `extern "C"`.
//!
//! # The opaque objects
//! [`posix_spawnattr_t`] and [`posix_spawn_file_actions_t`] hold the whole
//! object in place (no heap), so a C program may put them on the stack.
//! Their size and alignment are ABI constants ([`SPAWNATTR_SIZE`],
//! [`FILE_ACTIONS_SIZE`], ...) that `spawn.h` publishes and that this module
//! checks at compile time. The first word is a state word: `init` writes a
//! magic value (a different one for each type) and `destroy` clears it, so
//! using a destroyed, zeroed or never-initialized object, or passing one type
//! for the other, is usually caught and returns EINVAL. "Usually": garbage
//! memory could hold the magic value by chance, so this is a diagnostic, not
//! a guarantee; the caller's contract is still to pass initialized objects.
//!
//! # C types
//! - Flags are `short`, as in POSIX's `posix_spawnattr_setflags(attr, short)`.
//!   Every flag fits; a negative `short` has unknown bits and is EINVAL.
//! - `sigset_t`: only its first 64-bit word is read or written, with bit
//!   `n - 1` for signal `n`. That is the Linux and glibc layout, and the one
//!   musl (the guest C library) uses. Any `sigset_t` of at least 8 bytes works; the
//!   words after the first are left untouched by the getters.
//! - `struct sched_param`: only its first member, `int sched_priority`.
//! - `pid_t` is `int` (32 bits) and `mode_t` is `unsigned int`, as on Linux.
//! - Paths are NUL-terminated. They are read with a bounded scan of at most
//!   [`PATH_MAX`] bytes (ENAMETOOLONG when there is no NUL within them), never
//!   with an unbounded `strlen`, and copied into the object.
//!
//! `posix_spawn` and `posix_spawnp` themselves are declared in `spawn.h`
//! but implemented by the C library that links libspawn, not here.
//!
//! # Symbols
//! These functions are `extern "C"` but keep Rust's mangled symbol names:
//! libspawn exports no C symbol, in any configuration, so a Rust program
//! that depends on it (with any features) keeps its platform C library's
//! `posix_spawn_*` functions, which Rust's own `std::process::Command`
//! calls. Cargo unifies features across a build, so a feature that turned
//! exporting on could be switched on for a program by any other crate in
//! its graph; an explicit macro call cannot. A build made for C calls
//! [`export_c_abi!`](crate::export_c_abi) once, which defines the unmangled
//! entry points (`libspawn.a` from `libspawn/c` does).

use core::ffi::{c_char, c_int, c_short};
use core::mem::{align_of, size_of};

use crate::abi::{
    DEFAULT_MAX_ACTIONS, DEFAULT_PATH_BYTES, FILE_ACTIONS_ALIGN, FILE_ACTIONS_SIZE, OPEN_MAX,
    PATH_MAX, SPAWNATTR_ALIGN, SPAWNATTR_SIZE,
};
use crate::actions::{ActionList, FileActions};
use crate::attr::SpawnAttr;
use crate::errno::{Errno, Result};
use crate::sigset::SigSet;

/// The file actions object the C type holds: the documented default
/// capacities.
pub type CFileActions = FileActions<DEFAULT_MAX_ACTIONS, DEFAULT_PATH_BYTES>;

/// State word of an initialized `posix_spawnattr_t` ("spwnATTR").
const ATTR_MAGIC: u64 = u64::from_le_bytes(*b"spwnATTR");

/// State word of an initialized `posix_spawn_file_actions_t` ("spwnFACT").
const ACTIONS_MAGIC: u64 = u64::from_le_bytes(*b"spwnFACT");

/// State word of a destroyed object.
const DESTROYED: u64 = 0;

/// The C spawn attributes object. Opaque to C: `spawn.h` declares it as
/// [`SPAWNATTR_SIZE`] bytes aligned to [`SPAWNATTR_ALIGN`].
#[allow(non_camel_case_types, reason = "the POSIX name of the C type")]
#[repr(C, align(8))]
pub struct posix_spawnattr_t {
    state: u64,
    attr: SpawnAttr,
    _reserved: [u8; SPAWNATTR_SIZE - size_of::<u64>() - size_of::<SpawnAttr>()],
}

/// The C spawn file actions object. Opaque to C: `spawn.h` declares it as
/// [`FILE_ACTIONS_SIZE`] bytes aligned to [`FILE_ACTIONS_ALIGN`].
#[allow(non_camel_case_types, reason = "the POSIX name of the C type")]
#[repr(C, align(8))]
pub struct posix_spawn_file_actions_t {
    state: u64,
    actions: CFileActions,
    _reserved: [u8; FILE_ACTIONS_SIZE - size_of::<u64>() - size_of::<CFileActions>()],
}

/// `struct sched_param` as far as this library is concerned: its first
/// member. The C library's own definition may have more members after it.
#[allow(non_camel_case_types, reason = "the POSIX name of the C type")]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct sched_param {
    /// The scheduling priority.
    pub sched_priority: c_int,
}

const _: () = assert!(size_of::<posix_spawnattr_t>() == SPAWNATTR_SIZE);
const _: () = assert!(align_of::<posix_spawnattr_t>() == SPAWNATTR_ALIGN);
const _: () = assert!(size_of::<posix_spawn_file_actions_t>() == FILE_ACTIONS_SIZE);
const _: () = assert!(align_of::<posix_spawn_file_actions_t>() == FILE_ACTIONS_ALIGN);
// Every flag value must survive the trip through a C `short`.
const _: () = assert!(crate::attr::SpawnFlags::all().bits() <= i16::MAX as u32);

/// The C return value: 0 or the error number.
fn to_c(result: Result<()>) -> c_int {
    match result {
        Ok(()) => 0,
        Err(errno) => errno.raw(),
    }
}

/// EINVAL unless `p` is non-NULL and aligned for `T`.
fn check_ptr<T>(p: *const T) -> Result<()> {
    if p.is_null() || !p.is_aligned() {
        Err(Errno::EINVAL)
    } else {
        Ok(())
    }
}

/// The attribute object behind `attr`. EINVAL if `attr` is NULL, misaligned,
/// or its state word is not that of an initialized attribute object.
///
/// # Safety
/// 1. `attr` is NULL or valid for reads of a `posix_spawnattr_t` for `'a`.
/// 2. Nothing writes `*attr` during `'a`.
unsafe fn attr_ref<'a>(attr: *const posix_spawnattr_t) -> Result<&'a SpawnAttr> {
    check_ptr(attr)?;
    // SAFETY: `attr` is non-NULL and aligned (checked), so readable by
    // condition 1; the state word is a plain integer.
    let state = unsafe { (&raw const (*attr).state).read() };
    if state != ATTR_MAGIC {
        return Err(Errno::EINVAL);
    }
    // SAFETY: as above, and the state word says `init` wrote `attr`; every
    // bit pattern of `SpawnAttr` (integers only) is a valid value; the
    // shared borrow for `'a` is sound by condition 2.
    Ok(unsafe { &(*attr).attr })
}

/// The attribute object behind `attr`, mutably. Errors as [`attr_ref`].
///
/// # Safety
/// 1. `attr` is NULL or valid for reads and writes of a
///    `posix_spawnattr_t` for `'a`.
/// 2. Nothing else reads or writes `*attr` during `'a`.
unsafe fn attr_mut<'a>(attr: *mut posix_spawnattr_t) -> Result<&'a mut SpawnAttr> {
    // SAFETY: conditions 1 and 2 of `attr_ref` follow from this
    // function's conditions 1 and 2 (readable; no writer but us).
    unsafe { attr_ref(attr)? };
    // SAFETY: checked by `attr_ref`; writable by condition 1, exclusive for
    // `'a` by condition 2.
    Ok(unsafe { &mut (*attr).attr })
}

/// The file actions object behind `fa`. EINVAL if `fa` is NULL, misaligned,
/// or its state word is not that of an initialized file actions object.
///
/// # Safety
/// 1. `fa` is NULL or valid for reads of a `posix_spawn_file_actions_t`
///    for `'a`.
/// 2. Nothing writes `*fa` during `'a`.
unsafe fn actions_ref<'a>(fa: *const posix_spawn_file_actions_t) -> Result<&'a CFileActions> {
    check_ptr(fa)?;
    // SAFETY: `fa` is non-NULL and aligned (checked), so readable by
    // condition 1; the state word is a plain integer.
    let state = unsafe { (&raw const (*fa).state).read() };
    if state != ACTIONS_MAGIC {
        return Err(Errno::EINVAL);
    }
    // SAFETY: as above, and the state word says `init` wrote the object;
    // the shared borrow for `'a` is sound by condition 2.
    Ok(unsafe { &(*fa).actions })
}

/// The objects a `posix_spawn` implementation hands to the kernel: the
/// attributes (`None` for a NULL `attrp`) and the action list (`None` for a
/// NULL `file_actions`). EINVAL for an object that is not initialized.
///
/// # Safety
/// 1. `attr` is NULL or valid for reads of a `posix_spawnattr_t` for `'a`,
///    and `fa` NULL or valid for reads of a `posix_spawn_file_actions_t`
///    for `'a`.
/// 2. Nothing writes either object during `'a`.
pub unsafe fn spawn_objects<'a>(
    attr: *const posix_spawnattr_t,
    fa: *const posix_spawn_file_actions_t,
) -> Result<(Option<&'a SpawnAttr>, Option<ActionList<'a>>)> {
    let attr = if attr.is_null() {
        None
    } else {
        // SAFETY: conditions 1 and 2 of `attr_ref` are this function's
        // conditions 1 and 2 for `attr`.
        Some(unsafe { attr_ref(attr)? })
    };
    let actions = if fa.is_null() {
        None
    } else {
        // SAFETY: conditions 1 and 2 of `actions_ref` are this function's
        // conditions 1 and 2 for `fa`.
        Some(unsafe { actions_ref(fa)? }.as_list())
    };
    Ok((attr, actions))
}

/// The file actions object behind `fa`, mutably. EINVAL if `fa` is NULL,
/// misaligned, or its state word is not that of an initialized file actions
/// object.
///
/// # Safety
/// 1. `fa` is NULL or valid for reads and writes of a
///    `posix_spawn_file_actions_t` for `'a`.
/// 2. Nothing else reads or writes `*fa` during `'a`.
unsafe fn actions_mut<'a>(fa: *mut posix_spawn_file_actions_t) -> Result<&'a mut CFileActions> {
    check_ptr(fa)?;
    // SAFETY: `fa` is non-NULL and aligned (checked), so readable by
    // condition 1; the state word is a plain integer.
    let state = unsafe { (&raw const (*fa).state).read() };
    if state != ACTIONS_MAGIC {
        return Err(Errno::EINVAL);
    }
    // SAFETY: as above, and the state word says `init` wrote the object,
    // which only this module's safe code has changed since; writable by
    // condition 1, exclusive for `'a` by condition 2.
    Ok(unsafe { &mut (*fa).actions })
}

/// Reads the NUL-terminated path at `path` with a bounded scan: EINVAL for
/// NULL, ENAMETOOLONG when no NUL comes within [`PATH_MAX`] bytes (so the
/// path, without its NUL, would be `PATH_MAX` bytes or more).
///
/// # Safety
/// 1. `path` is NULL or points to a NUL-terminated string, or to at least
///    `PATH_MAX` readable bytes.
/// 2. Those bytes are not modified during `'a`.
unsafe fn c_path<'a>(path: *const c_char) -> Result<&'a [u8]> {
    if path.is_null() {
        return Err(Errno::EINVAL);
    }
    let bytes = path.cast::<u8>();
    let mut len = 0;
    while len < PATH_MAX {
        // SAFETY: the scan stops at the first NUL, so byte `len` lies at or
        // before the terminator (or within the first PATH_MAX bytes), which
        // are readable by condition 1.
        if unsafe { bytes.add(len).read() } == 0 {
            // SAFETY: the `len` bytes before the NUL were just read, so they
            // are readable, and they stay unchanged for `'a` by condition 2.
            return Ok(unsafe { core::slice::from_raw_parts(bytes, len) });
        }
        len += 1;
    }
    Err(Errno::ENAMETOOLONG)
}

/// EBADF unless `fd` names a slot of the descriptor table, checked before
/// the path so that a bad descriptor reports EBADF whatever the path is, as
/// the Rust API does.
fn check_table_fd(fd: c_int) -> Result<()> {
    if (0..OPEN_MAX).contains(&fd) {
        Ok(())
    } else {
        Err(Errno::EBADF)
    }
}

/// Writes `value` to the out-parameter `out`: EINVAL if it is NULL or
/// misaligned.
///
/// # Safety
/// 1. `out` is NULL or valid for a write of a `T`.
unsafe fn put<T>(out: *mut T, value: T) -> Result<()> {
    check_ptr(out)?;
    // SAFETY: non-NULL and aligned (checked), writable by condition 1.
    unsafe { out.write(value) };
    Ok(())
}

/// Reads the first 64-bit word of the `sigset_t` at `set`: EINVAL for NULL.
///
/// # Safety
/// 1. `set` is NULL or points to at least 8 readable bytes.
unsafe fn read_sigset(set: *const u64) -> Result<SigSet> {
    if set.is_null() {
        return Err(Errno::EINVAL);
    }
    // SAFETY: non-NULL, so 8 readable bytes by condition 1; no alignment is
    // assumed.
    Ok(SigSet::from_bits(unsafe { set.read_unaligned() }))
}

/// Writes `signals` to the first 64-bit word of the `sigset_t` at `out`:
/// EINVAL for NULL.
///
/// # Safety
/// 1. `out` is NULL or points to at least 8 writable bytes.
unsafe fn write_sigset(out: *mut u64, signals: SigSet) -> Result<()> {
    if out.is_null() {
        return Err(Errno::EINVAL);
    }
    // SAFETY: non-NULL, so 8 writable bytes by condition 1; no alignment is
    // assumed.
    unsafe { out.write_unaligned(signals.bits()) };
    Ok(())
}

// ---------------------------------------------------------------------------
// posix_spawnattr_t
// ---------------------------------------------------------------------------

/// See <https://pubs.opengroup.org/onlinepubs/9799919799/functions/posix_spawnattr_init.html>.
///
/// Initializes `*attr` with every attribute at its default: no flags,
/// spawn-pgroup 0, empty spawn-sigmask and spawn-sigdefault, `SCHED_OTHER`
/// with priority 0. The object lives entirely inside `*attr`, so this cannot
/// run out of memory. Initializing an initialized object resets it.
///
/// # Errors
/// - EINVAL: `attr` is NULL or misaligned.
///
/// # Safety
/// `attr` must be NULL or valid for writes of a `posix_spawnattr_t`, with no
/// other access during the call.
pub unsafe extern "C" fn posix_spawnattr_init(attr: *mut posix_spawnattr_t) -> c_int {
    to_c(check_ptr(attr).map(|()| {
        // SAFETY: non-NULL and aligned (checked), writable (caller). Only
        // the state word and the object are written; the reserved bytes are
        // never read.
        unsafe {
            (&raw mut (*attr).attr).write(SpawnAttr::new());
            (&raw mut (*attr).state).write(ATTR_MAGIC);
        }
    }))
}

/// See <https://pubs.opengroup.org/onlinepubs/9799919799/functions/posix_spawnattr_destroy.html>.
///
/// Destroys `*attr`: it must be initialized again before any other use,
/// which would otherwise fail with EINVAL.
///
/// # Errors
/// - EINVAL: `attr` is NULL, misaligned, or not an initialized attribute
///   object (for example, already destroyed).
///
/// # Safety
/// `attr` must be NULL or valid for reads and writes of a
/// `posix_spawnattr_t`, with no other access during the call.
pub unsafe extern "C" fn posix_spawnattr_destroy(attr: *mut posix_spawnattr_t) -> c_int {
    // SAFETY: conditions 1 and 2 of `attr_mut`'s # Safety are this
    // function's own conditions on `attr`.
    to_c(unsafe { attr_mut(attr) }.map(|object| {
        *object = SpawnAttr::new();
        // SAFETY: `attr_mut` checked the pointer; the borrow above has
        // ended.
        unsafe { (&raw mut (*attr).state).write(DESTROYED) };
    }))
}

/// See <https://pubs.opengroup.org/onlinepubs/9799919799/functions/posix_spawnattr_getflags.html>.
///
/// Stores the spawn-flags attribute in `*flags`.
///
/// # Errors
/// - EINVAL: `attr` is NULL, misaligned or not initialized; `flags` is NULL
///   or misaligned.
///
/// # Safety
/// `attr` must be NULL or valid for reads of a `posix_spawnattr_t`; `flags`
/// must be NULL or valid for a write of a `short`.
pub unsafe extern "C" fn posix_spawnattr_getflags(
    attr: *const posix_spawnattr_t,
    flags: *mut c_short,
) -> c_int {
    // SAFETY: conditions 1 and 2 of `attr_ref`'s # Safety and condition 1
    // of `put`'s are this function's own conditions on its pointers.
    to_c(unsafe {
        attr_ref(attr).and_then(|object| {
            let bits = c_short::try_from(object.flags().bits()).map_err(|_| Errno::EINVAL)?;
            put(flags, bits)
        })
    })
}

/// See <https://pubs.opengroup.org/onlinepubs/9799919799/functions/posix_spawnattr_setflags.html>.
///
/// Sets the spawn-flags attribute to `flags`, a bitwise OR of
/// `POSIX_SPAWN_*` values (`POSIX_SPAWN_USEVFORK` is accepted and has no
/// effect). The object is unchanged when this fails.
///
/// # Errors
/// - EINVAL: `attr` is NULL, misaligned or not initialized; `flags` has a
///   bit that is not a `POSIX_SPAWN_*` flag (including any negative value).
///
/// # Safety
/// `attr` must be NULL or valid for reads and writes of a
/// `posix_spawnattr_t`, with no other access during the call.
pub unsafe extern "C" fn posix_spawnattr_setflags(
    attr: *mut posix_spawnattr_t,
    flags: c_short,
) -> c_int {
    // SAFETY: conditions 1 and 2 of `attr_mut`'s # Safety are this
    // function's own conditions on `attr`.
    to_c(unsafe { attr_mut(attr) }.and_then(|object| {
        // Sign-extend: a negative `short` keeps high bits, which no flag
        // uses, so it is rejected.
        let bits = i32::from(flags).cast_unsigned();
        object.set_flags_bits(bits)
    }))
}

/// See <https://pubs.opengroup.org/onlinepubs/9799919799/functions/posix_spawnattr_getpgroup.html>.
///
/// Stores the spawn-pgroup attribute in `*pgroup`.
///
/// # Errors
/// - EINVAL: `attr` is NULL, misaligned or not initialized; `pgroup` is NULL
///   or misaligned.
///
/// # Safety
/// `attr` must be NULL or valid for reads of a `posix_spawnattr_t`; `pgroup`
/// must be NULL or valid for a write of a `pid_t`.
pub unsafe extern "C" fn posix_spawnattr_getpgroup(
    attr: *const posix_spawnattr_t,
    pgroup: *mut i32,
) -> c_int {
    // SAFETY: conditions 1 and 2 of `attr_ref`'s # Safety and condition 1
    // of `put`'s are this function's own conditions on its pointers.
    to_c(unsafe { attr_ref(attr).and_then(|object| put(pgroup, object.pgroup())) })
}

/// See <https://pubs.opengroup.org/onlinepubs/9799919799/functions/posix_spawnattr_setpgroup.html>.
///
/// Sets the spawn-pgroup attribute; 0 means "a new process group led by the
/// child". It takes effect only with `POSIX_SPAWN_SETPGROUP`.
///
/// # Errors
/// - EINVAL: `attr` is NULL, misaligned or not initialized; `pgroup` is
///   negative (the object is then unchanged).
///
/// # Safety
/// `attr` must be NULL or valid for reads and writes of a
/// `posix_spawnattr_t`, with no other access during the call.
pub unsafe extern "C" fn posix_spawnattr_setpgroup(
    attr: *mut posix_spawnattr_t,
    pgroup: i32,
) -> c_int {
    // SAFETY: conditions 1 and 2 of `attr_mut`'s # Safety are this
    // function's own conditions on `attr`.
    to_c(unsafe { attr_mut(attr) }.and_then(|object| object.set_pgroup(pgroup)))
}

/// See <https://pubs.opengroup.org/onlinepubs/9799919799/functions/posix_spawnattr_getsigmask.html>.
///
/// Stores the spawn-sigmask attribute in the first 64-bit word of
/// `*sigmask` (bit `n - 1` is signal `n`); the rest of the `sigset_t` is
/// left as it was.
///
/// # Errors
/// - EINVAL: `attr` is NULL, misaligned or not initialized; `sigmask` is
///   NULL.
///
/// # Safety
/// `attr` must be NULL or valid for reads of a `posix_spawnattr_t`;
/// `sigmask` must be NULL or point to a writable `sigset_t` of at least 8
/// bytes.
pub unsafe extern "C" fn posix_spawnattr_getsigmask(
    attr: *const posix_spawnattr_t,
    sigmask: *mut u64,
) -> c_int {
    // SAFETY: conditions 1 and 2 of `attr_ref`'s # Safety and condition 1
    // of `write_sigset`'s are this function's own conditions on its
    // pointers.
    to_c(unsafe { attr_ref(attr).and_then(|object| write_sigset(sigmask, object.sigmask())) })
}

/// See <https://pubs.opengroup.org/onlinepubs/9799919799/functions/posix_spawnattr_setsigmask.html>.
///
/// Sets the spawn-sigmask attribute from the first 64-bit word of
/// `*sigmask` (signals 1 to 64). It takes effect only with
/// `POSIX_SPAWN_SETSIGMASK`.
///
/// # Errors
/// - EINVAL: `attr` is NULL, misaligned or not initialized; `sigmask` is
///   NULL.
///
/// # Safety
/// `attr` must be NULL or valid for reads and writes of a
/// `posix_spawnattr_t`, with no other access during the call; `sigmask` must
/// be NULL or point to a readable `sigset_t` of at least 8 bytes.
pub unsafe extern "C" fn posix_spawnattr_setsigmask(
    attr: *mut posix_spawnattr_t,
    sigmask: *const u64,
) -> c_int {
    // SAFETY: conditions 1 and 2 of `attr_mut`'s # Safety and condition 1
    // of `read_sigset`'s are this function's own conditions on its
    // pointers.
    to_c(unsafe {
        attr_mut(attr).and_then(|object| {
            object.set_sigmask(read_sigset(sigmask)?);
            Ok(())
        })
    })
}

/// See <https://pubs.opengroup.org/onlinepubs/9799919799/functions/posix_spawnattr_getsigdefault.html>.
///
/// Stores the spawn-sigdefault attribute in the first 64-bit word of
/// `*sigdefault` (bit `n - 1` is signal `n`); the rest of the `sigset_t` is
/// left as it was.
///
/// # Errors
/// - EINVAL: `attr` is NULL, misaligned or not initialized; `sigdefault` is
///   NULL.
///
/// # Safety
/// `attr` must be NULL or valid for reads of a `posix_spawnattr_t`;
/// `sigdefault` must be NULL or point to a writable `sigset_t` of at least
/// 8 bytes.
pub unsafe extern "C" fn posix_spawnattr_getsigdefault(
    attr: *const posix_spawnattr_t,
    sigdefault: *mut u64,
) -> c_int {
    // SAFETY: conditions 1 and 2 of `attr_ref`'s # Safety and condition 1
    // of `write_sigset`'s are this function's own conditions on its
    // pointers.
    to_c(unsafe { attr_ref(attr).and_then(|object| write_sigset(sigdefault, object.sigdefault())) })
}

/// See <https://pubs.opengroup.org/onlinepubs/9799919799/functions/posix_spawnattr_setsigdefault.html>.
///
/// Sets the spawn-sigdefault attribute from the first 64-bit word of
/// `*sigdefault` (signals 1 to 64). It takes effect only with
/// `POSIX_SPAWN_SETSIGDEF`.
///
/// # Errors
/// - EINVAL: `attr` is NULL, misaligned or not initialized; `sigdefault` is
///   NULL.
///
/// # Safety
/// `attr` must be NULL or valid for reads and writes of a
/// `posix_spawnattr_t`, with no other access during the call; `sigdefault`
/// must be NULL or point to a readable `sigset_t` of at least 8 bytes.
pub unsafe extern "C" fn posix_spawnattr_setsigdefault(
    attr: *mut posix_spawnattr_t,
    sigdefault: *const u64,
) -> c_int {
    // SAFETY: conditions 1 and 2 of `attr_mut`'s # Safety and condition 1
    // of `read_sigset`'s are this function's own conditions on its
    // pointers.
    to_c(unsafe {
        attr_mut(attr).and_then(|object| {
            object.set_sigdefault(read_sigset(sigdefault)?);
            Ok(())
        })
    })
}

/// See <https://pubs.opengroup.org/onlinepubs/9799919799/functions/posix_spawnattr_getschedpolicy.html>.
///
/// Stores the spawn-schedpolicy attribute (`SCHED_OTHER`, `SCHED_FIFO` or
/// `SCHED_RR`) in `*policy`.
///
/// # Errors
/// - EINVAL: `attr` is NULL, misaligned or not initialized; `policy` is NULL
///   or misaligned.
///
/// # Safety
/// `attr` must be NULL or valid for reads of a `posix_spawnattr_t`; `policy`
/// must be NULL or valid for a write of an `int`.
pub unsafe extern "C" fn posix_spawnattr_getschedpolicy(
    attr: *const posix_spawnattr_t,
    policy: *mut c_int,
) -> c_int {
    // SAFETY: conditions 1 and 2 of `attr_ref`'s # Safety and condition 1
    // of `put`'s are this function's own conditions on its pointers.
    to_c(unsafe { attr_ref(attr).and_then(|object| put(policy, object.sched_policy_raw())) })
}

/// See <https://pubs.opengroup.org/onlinepubs/9799919799/functions/posix_spawnattr_setschedpolicy.html>.
///
/// Sets the spawn-schedpolicy attribute. It takes effect only with
/// `POSIX_SPAWN_SETSCHEDULER`. The object is unchanged when this fails.
///
/// # Errors
/// - EINVAL: `attr` is NULL, misaligned or not initialized; `policy` is not
///   `SCHED_OTHER`, `SCHED_FIFO` or `SCHED_RR`.
///
/// # Safety
/// `attr` must be NULL or valid for reads and writes of a
/// `posix_spawnattr_t`, with no other access during the call.
pub unsafe extern "C" fn posix_spawnattr_setschedpolicy(
    attr: *mut posix_spawnattr_t,
    policy: c_int,
) -> c_int {
    // SAFETY: conditions 1 and 2 of `attr_mut`'s # Safety are this
    // function's own conditions on `attr`.
    to_c(unsafe { attr_mut(attr) }.and_then(|object| object.set_sched_policy_raw(policy)))
}

/// See <https://pubs.opengroup.org/onlinepubs/9799919799/functions/posix_spawnattr_getschedparam.html>.
///
/// Stores the spawn-schedparam attribute's priority in
/// `param->sched_priority`; any other members of the C library's
/// `struct sched_param` are left as they were.
///
/// # Errors
/// - EINVAL: `attr` is NULL, misaligned or not initialized; `param` is NULL
///   or misaligned.
///
/// # Safety
/// `attr` must be NULL or valid for reads of a `posix_spawnattr_t`; `param`
/// must be NULL or point to a writable `struct sched_param`.
pub unsafe extern "C" fn posix_spawnattr_getschedparam(
    attr: *const posix_spawnattr_t,
    param: *mut sched_param,
) -> c_int {
    // SAFETY: conditions 1 and 2 of `attr_ref`'s # Safety and condition 1
    // of `put`'s are this function's own conditions on its pointers (the
    // first member of a `sched_param` is an aligned `int`).
    to_c(unsafe {
        attr_ref(attr).and_then(|object| {
            check_ptr(param)?;
            put(&raw mut (*param).sched_priority, object.sched_priority())
        })
    })
}

/// See <https://pubs.opengroup.org/onlinepubs/9799919799/functions/posix_spawnattr_setschedparam.html>.
///
/// Sets the spawn-schedparam attribute from `param->sched_priority`. Any
/// priority is stored: whether it suits the policy is known only at spawn
/// time, when the scheduler rejects it. It takes effect only with
/// `POSIX_SPAWN_SETSCHEDPARAM` or `POSIX_SPAWN_SETSCHEDULER`.
///
/// # Errors
/// - EINVAL: `attr` is NULL, misaligned or not initialized; `param` is NULL
///   or misaligned.
///
/// # Safety
/// `attr` must be NULL or valid for reads and writes of a
/// `posix_spawnattr_t`, with no other access during the call; `param` must
/// be NULL or point to a readable `struct sched_param`.
pub unsafe extern "C" fn posix_spawnattr_setschedparam(
    attr: *mut posix_spawnattr_t,
    param: *const sched_param,
) -> c_int {
    // SAFETY: conditions 1 and 2 of `attr_mut`'s # Safety are this
    // function's own conditions on `attr`; `param` is checked for NULL and
    // alignment before it is read, and is then readable (this function's
    // # Safety).
    to_c(unsafe {
        attr_mut(attr).and_then(|object| {
            check_ptr(param)?;
            object.set_sched_priority((&raw const (*param).sched_priority).read());
            Ok(())
        })
    })
}

// ---------------------------------------------------------------------------
// posix_spawn_file_actions_t
// ---------------------------------------------------------------------------

/// See <https://pubs.opengroup.org/onlinepubs/9799919799/functions/posix_spawn_file_actions_init.html>.
///
/// Initializes `*fa` as an empty list of file actions with room for
/// `SPAWN_FILE_ACTIONS_MAX` actions and `SPAWN_FILE_ACTIONS_PATH_BYTES`
/// bytes of paths, all inside `*fa`, so this cannot run out of memory.
/// Initializing an initialized object empties it.
///
/// # Errors
/// - EINVAL: `fa` is NULL or misaligned.
///
/// # Safety
/// `fa` must be NULL or valid for writes of a `posix_spawn_file_actions_t`,
/// with no other access during the call.
pub unsafe extern "C" fn posix_spawn_file_actions_init(
    fa: *mut posix_spawn_file_actions_t,
) -> c_int {
    to_c(check_ptr(fa).map(|()| {
        // SAFETY: non-NULL and aligned (checked), writable (caller). Only
        // the state word and the object are written; the reserved bytes are
        // never read.
        unsafe {
            (&raw mut (*fa).actions).write(CFileActions::new());
            (&raw mut (*fa).state).write(ACTIONS_MAGIC);
        }
    }))
}

/// See <https://pubs.opengroup.org/onlinepubs/9799919799/functions/posix_spawn_file_actions_destroy.html>.
///
/// Destroys `*fa`: it must be initialized again before any other use, which
/// would otherwise fail with EINVAL.
///
/// # Errors
/// - EINVAL: `fa` is NULL, misaligned, or not an initialized file actions
///   object (for example, already destroyed).
///
/// # Safety
/// `fa` must be NULL or valid for reads and writes of a
/// `posix_spawn_file_actions_t`, with no other access during the call.
pub unsafe extern "C" fn posix_spawn_file_actions_destroy(
    fa: *mut posix_spawn_file_actions_t,
) -> c_int {
    // SAFETY: conditions 1 and 2 of `actions_mut`'s # Safety are this
    // function's own conditions on `fa`.
    to_c(unsafe { actions_mut(fa) }.map(|object| {
        object.clear();
        // SAFETY: `actions_mut` checked the pointer; the borrow above has
        // ended.
        unsafe { (&raw mut (*fa).state).write(DESTROYED) };
    }))
}

/// See <https://pubs.opengroup.org/onlinepubs/9799919799/functions/posix_spawn_file_actions_addopen.html>.
///
/// Adds "close `fildes` if it is open, open `path` with `oflag` and `mode`,
/// and make the result `fildes`". The path is copied, so the caller may
/// reuse its buffer at once. The object is unchanged when this fails.
///
/// # Errors
/// - EBADF: `fildes` is negative or `>= OPEN_MAX`.
/// - EINVAL: `fa` is NULL, misaligned or not initialized; `path` is NULL.
/// - ENAMETOOLONG: `path` is `PATH_MAX` bytes or longer.
/// - ENOMEM: the object's action or path storage is full.
///
/// # Safety
/// `fa` must be NULL or valid for reads and writes of a
/// `posix_spawn_file_actions_t`, with no other access during the call;
/// `path` must be NULL or a NUL-terminated string.
pub unsafe extern "C" fn posix_spawn_file_actions_addopen(
    fa: *mut posix_spawn_file_actions_t,
    fildes: c_int,
    path: *const c_char,
    oflag: c_int,
    mode: u32,
) -> c_int {
    // SAFETY: conditions 1 and 2 of `actions_mut`'s # Safety and
    // conditions 1 and 2 of `c_path`'s are this function's own conditions
    // on `fa` and `path`.
    to_c(unsafe {
        actions_mut(fa).and_then(|object| {
            check_table_fd(fildes)?;
            object.add_open(fildes, c_path(path)?, oflag, mode)
        })
    })
}

/// See <https://pubs.opengroup.org/onlinepubs/9799919799/functions/posix_spawn_file_actions_addclose.html>.
///
/// Adds "close `fildes`". A descriptor that is not open at spawn time is
/// not an error (Austin Group 370). The object is unchanged when this fails.
///
/// # Errors
/// - EBADF: `fildes` is negative or `>= OPEN_MAX` (such a descriptor can
///   never be open: POSIX recommends EBADF where OPEN_MAX is fixed).
/// - EINVAL: `fa` is NULL, misaligned or not initialized.
/// - ENOMEM: the object's action storage is full.
///
/// # Safety
/// `fa` must be NULL or valid for reads and writes of a
/// `posix_spawn_file_actions_t`, with no other access during the call.
pub unsafe extern "C" fn posix_spawn_file_actions_addclose(
    fa: *mut posix_spawn_file_actions_t,
    fildes: c_int,
) -> c_int {
    // SAFETY: conditions 1 and 2 of `actions_mut`'s # Safety are this
    // function's own conditions on `fa`.
    to_c(unsafe { actions_mut(fa) }.and_then(|object| object.add_close(fildes)))
}

/// See <https://pubs.opengroup.org/onlinepubs/9799919799/functions/posix_spawn_file_actions_adddup2.html>.
///
/// Adds "`dup2(fildes, newfildes)`". With `fildes == newfildes` the action
/// instead clears FD_CLOEXEC on `fildes` (Austin Group 411). The object is
/// unchanged when this fails.
///
/// # Errors
/// - EBADF: either descriptor is negative or `>= OPEN_MAX`.
/// - EINVAL: `fa` is NULL, misaligned or not initialized.
/// - ENOMEM: the object's action storage is full.
///
/// # Safety
/// `fa` must be NULL or valid for reads and writes of a
/// `posix_spawn_file_actions_t`, with no other access during the call.
pub unsafe extern "C" fn posix_spawn_file_actions_adddup2(
    fa: *mut posix_spawn_file_actions_t,
    fildes: c_int,
    newfildes: c_int,
) -> c_int {
    // SAFETY: conditions 1 and 2 of `actions_mut`'s # Safety are this
    // function's own conditions on `fa`.
    to_c(unsafe { actions_mut(fa) }.and_then(|object| object.add_dup2(fildes, newfildes)))
}

/// The shared body of `addchdir` and `addchdir_np`.
///
/// # Safety
/// As [`posix_spawn_file_actions_addchdir`].
unsafe fn add_chdir(fa: *mut posix_spawn_file_actions_t, path: *const c_char) -> c_int {
    // SAFETY: conditions 1 and 2 of `actions_mut`'s # Safety and
    // conditions 1 and 2 of `c_path`'s are this function's own conditions
    // on `fa` and `path`.
    to_c(unsafe { actions_mut(fa).and_then(|object| object.add_chdir(c_path(path)?)) })
}

/// The shared body of `addfchdir` and `addfchdir_np`.
///
/// # Safety
/// As [`posix_spawn_file_actions_addfchdir`].
unsafe fn add_fchdir(fa: *mut posix_spawn_file_actions_t, fildes: c_int) -> c_int {
    // SAFETY: conditions 1 and 2 of `actions_mut`'s # Safety are this
    // function's own conditions on `fa`.
    to_c(unsafe { actions_mut(fa) }.and_then(|object| object.add_fchdir(fildes)))
}

/// See <https://pubs.opengroup.org/onlinepubs/9799919799/functions/posix_spawn_file_actions_addchdir.html>.
///
/// Adds "change the working directory to `path`"; later relative paths (of
/// later actions and of the image) resolve from there. The path is copied.
/// The object is unchanged when this fails.
///
/// # Errors
/// - EINVAL: `fa` is NULL, misaligned or not initialized; `path` is NULL.
/// - ENAMETOOLONG: `path` is `PATH_MAX` bytes or longer.
/// - ENOMEM: the object's action or path storage is full.
///
/// # Safety
/// `fa` must be NULL or valid for reads and writes of a
/// `posix_spawn_file_actions_t`, with no other access during the call;
/// `path` must be NULL or a NUL-terminated string.
pub unsafe extern "C" fn posix_spawn_file_actions_addchdir(
    fa: *mut posix_spawn_file_actions_t,
    path: *const c_char,
) -> c_int {
    // SAFETY: `add_chdir`'s # Safety is this function's own.
    unsafe { add_chdir(fa, path) }
}

/// See <https://pubs.opengroup.org/onlinepubs/9799919799/functions/posix_spawn_file_actions_addchdir.html>.
///
/// The name glibc (2.29) and musl gave `posix_spawn_file_actions_addchdir`
/// before POSIX.1-2024 adopted it; identical to it.
///
/// # Errors
/// As [`posix_spawn_file_actions_addchdir`]: EINVAL, ENAMETOOLONG, ENOMEM.
///
/// # Safety
/// As [`posix_spawn_file_actions_addchdir`].
pub unsafe extern "C" fn posix_spawn_file_actions_addchdir_np(
    fa: *mut posix_spawn_file_actions_t,
    path: *const c_char,
) -> c_int {
    // SAFETY: `add_chdir`'s # Safety is this function's own.
    unsafe { add_chdir(fa, path) }
}

/// See <https://pubs.opengroup.org/onlinepubs/9799919799/functions/posix_spawn_file_actions_addfchdir.html>.
///
/// Adds "change the working directory to the directory open on `fildes`".
/// The object is unchanged when this fails.
///
/// # Errors
/// - EBADF: `fildes` is negative or `>= OPEN_MAX`.
/// - EINVAL: `fa` is NULL, misaligned or not initialized.
/// - ENOMEM: the object's action storage is full.
///
/// # Safety
/// `fa` must be NULL or valid for reads and writes of a
/// `posix_spawn_file_actions_t`, with no other access during the call.
pub unsafe extern "C" fn posix_spawn_file_actions_addfchdir(
    fa: *mut posix_spawn_file_actions_t,
    fildes: c_int,
) -> c_int {
    // SAFETY: `add_fchdir`'s # Safety is this function's own.
    unsafe { add_fchdir(fa, fildes) }
}

/// See <https://pubs.opengroup.org/onlinepubs/9799919799/functions/posix_spawn_file_actions_addfchdir.html>.
///
/// The name glibc (2.29) and musl gave `posix_spawn_file_actions_addfchdir`
/// before POSIX.1-2024 adopted it; identical to it. (Unlike glibc's, it
/// rejects a negative descriptor with EBADF, as POSIX now requires.)
///
/// # Errors
/// As [`posix_spawn_file_actions_addfchdir`]: EBADF, EINVAL, ENOMEM.
///
/// # Safety
/// As [`posix_spawn_file_actions_addfchdir`].
pub unsafe extern "C" fn posix_spawn_file_actions_addfchdir_np(
    fa: *mut posix_spawn_file_actions_t,
    fildes: c_int,
) -> c_int {
    // SAFETY: `add_fchdir`'s # Safety is this function's own.
    unsafe { add_fchdir(fa, fildes) }
}

/// See <https://pubs.opengroup.org/onlinepubs/9799919799/functions/posix_spawn_file_actions_addclose.html>.
///
/// Not in POSIX (a glibc 2.34 and FreeBSD extension; the link is to the
/// nearest POSIX function). Adds "close every descriptor `>= fildes`". A
/// bound at or above OPEN_MAX is accepted and closes nothing. The object is
/// unchanged when this fails.
///
/// # Errors
/// - EBADF: `fildes` is negative.
/// - EINVAL: `fa` is NULL, misaligned or not initialized.
/// - ENOMEM: the object's action storage is full.
///
/// # Safety
/// `fa` must be NULL or valid for reads and writes of a
/// `posix_spawn_file_actions_t`, with no other access during the call.
pub unsafe extern "C" fn posix_spawn_file_actions_addclosefrom_np(
    fa: *mut posix_spawn_file_actions_t,
    fildes: c_int,
) -> c_int {
    // SAFETY: conditions 1 and 2 of `actions_mut`'s # Safety are this
    // function's own conditions on `fa`.
    to_c(unsafe { actions_mut(fa) }.and_then(|object| object.add_closefrom(fildes)))
}

/// Read access for Rust code holding a C object (for example the guest C
/// library's `posix_spawn`, which passes the objects to the kernel).
impl posix_spawnattr_t {
    /// The attribute object, or EINVAL if this one is not initialized.
    pub fn get(&self) -> Result<&SpawnAttr> {
        if self.state == ATTR_MAGIC {
            Ok(&self.attr)
        } else {
            Err(Errno::EINVAL)
        }
    }
}

impl posix_spawn_file_actions_t {
    /// The file actions object, or EINVAL if this one is not initialized.
    pub fn get(&self) -> Result<&CFileActions> {
        if self.state == ACTIONS_MAGIC {
            Ok(&self.actions)
        } else {
            Err(Errno::EINVAL)
        }
    }
}

/// Defines the C entry points of this module as unmangled, exported
/// symbols (`posix_spawnattr_init`, ...) in the crate that invokes it.
///
/// libspawn itself never exports a C symbol: the functions of [`capi`]
/// have ordinary (mangled) Rust symbol names, so a Rust program that
/// depends on libspawn keeps its C library's `posix_spawn_*` functions
/// (Rust's `std::process::Command` calls them). Only an artefact made for
/// C invokes this macro once, at its root: `libspawn.a` from the `spawn-c`
/// crate, the guest build (musl), or a libc author's own static
/// library. Each generated function forwards its arguments unchanged to the
/// function of the same name in [`capi`], whose documentation states its
/// contract.
///
/// [`capi`]: crate::capi
#[macro_export]
macro_rules! export_c_abi {
    () => {
        $crate::export_c_abi! {
            posix_spawnattr_init(attr: *mut $crate::capi::posix_spawnattr_t);
            posix_spawnattr_destroy(attr: *mut $crate::capi::posix_spawnattr_t);
            posix_spawnattr_getflags(
                attr: *const $crate::capi::posix_spawnattr_t,
                flags: *mut ::core::ffi::c_short
            );
            posix_spawnattr_setflags(
                attr: *mut $crate::capi::posix_spawnattr_t,
                flags: ::core::ffi::c_short
            );
            posix_spawnattr_getpgroup(attr: *const $crate::capi::posix_spawnattr_t, pgroup: *mut i32);
            posix_spawnattr_setpgroup(attr: *mut $crate::capi::posix_spawnattr_t, pgroup: i32);
            posix_spawnattr_getsigmask(attr: *const $crate::capi::posix_spawnattr_t, sigmask: *mut u64);
            posix_spawnattr_setsigmask(attr: *mut $crate::capi::posix_spawnattr_t, sigmask: *const u64);
            posix_spawnattr_getsigdefault(
                attr: *const $crate::capi::posix_spawnattr_t,
                sigdefault: *mut u64
            );
            posix_spawnattr_setsigdefault(
                attr: *mut $crate::capi::posix_spawnattr_t,
                sigdefault: *const u64
            );
            posix_spawnattr_getschedpolicy(
                attr: *const $crate::capi::posix_spawnattr_t,
                policy: *mut ::core::ffi::c_int
            );
            posix_spawnattr_setschedpolicy(
                attr: *mut $crate::capi::posix_spawnattr_t,
                policy: ::core::ffi::c_int
            );
            posix_spawnattr_getschedparam(
                attr: *const $crate::capi::posix_spawnattr_t,
                param: *mut $crate::capi::sched_param
            );
            posix_spawnattr_setschedparam(
                attr: *mut $crate::capi::posix_spawnattr_t,
                param: *const $crate::capi::sched_param
            );
            posix_spawn_file_actions_init(fa: *mut $crate::capi::posix_spawn_file_actions_t);
            posix_spawn_file_actions_destroy(fa: *mut $crate::capi::posix_spawn_file_actions_t);
            posix_spawn_file_actions_addopen(
                fa: *mut $crate::capi::posix_spawn_file_actions_t,
                fildes: ::core::ffi::c_int,
                path: *const ::core::ffi::c_char,
                oflag: ::core::ffi::c_int,
                mode: u32
            );
            posix_spawn_file_actions_addclose(
                fa: *mut $crate::capi::posix_spawn_file_actions_t,
                fildes: ::core::ffi::c_int
            );
            posix_spawn_file_actions_adddup2(
                fa: *mut $crate::capi::posix_spawn_file_actions_t,
                fildes: ::core::ffi::c_int,
                newfildes: ::core::ffi::c_int
            );
            posix_spawn_file_actions_addchdir(
                fa: *mut $crate::capi::posix_spawn_file_actions_t,
                path: *const ::core::ffi::c_char
            );
            posix_spawn_file_actions_addchdir_np(
                fa: *mut $crate::capi::posix_spawn_file_actions_t,
                path: *const ::core::ffi::c_char
            );
            posix_spawn_file_actions_addfchdir(
                fa: *mut $crate::capi::posix_spawn_file_actions_t,
                fildes: ::core::ffi::c_int
            );
            posix_spawn_file_actions_addfchdir_np(
                fa: *mut $crate::capi::posix_spawn_file_actions_t,
                fildes: ::core::ffi::c_int
            );
            posix_spawn_file_actions_addclosefrom_np(
                fa: *mut $crate::capi::posix_spawn_file_actions_t,
                fildes: ::core::ffi::c_int
            );
        }
    };
    ($($name:ident($($arg:ident: $ty:ty),* $(,)?);)*) => {
        $(
            #[doc = concat!("The C entry point `", stringify!($name), "`; see `libspawn::capi::", stringify!($name), "`.")]
            ///
            /// # Safety
            /// The contract of the libspawn function of the same name.
            #[unsafe(no_mangle)]
            pub unsafe extern "C" fn $name($($arg: $ty),*) -> ::core::ffi::c_int {
                // SAFETY: the arguments are passed on unchanged, so the
                // caller's contract is exactly the one of the callee.
                unsafe { $crate::capi::$name($($arg),*) }
            }
        )*
    };
}

#[cfg(test)]
mod tests;
