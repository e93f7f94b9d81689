//! What the system says about itself: `uname`, `sysinfo`, `getrandom`.
//!
//! ## `uname`: sysname "Linux"
//! The kernel speaks the Linux x86_64 system-call ABI, and programs that
//! look at `uname` mostly ask "is this Linux?" to choose Linux's calls and
//! file formats, which is the right answer for them here. So `sysname` is
//! `Linux` and `release` a Linux version ([`RELEASE`], one whose ABI the
//! programs may assume), while `nodename` and `version` say what the
//! kernel really is: `kernel-shim`.
//!
//! ## `getrandom`
//! Bytes from a ChaCha20 generator ([`shim_core::random`]) that is keyed at
//! first use and mixed with fresh entropy ([`crate::arch::entropy`]) at
//! every request. It never blocks: GRND_NONBLOCK and GRND_RANDOM are
//! accepted and change nothing.
#![forbid(unsafe_code)]

use crate::arch::{entropy, time};
use crate::mm;
use crate::mm::usercopy;
use crate::sys::process;
use libspawn::Errno;
use shim_abi::getrandom::{GRND_INSECURE, GRND_NONBLOCK, GRND_RANDOM};
use shim_abi::{Sysinfo, UTSNAME_FIELDS, UTSNAME_FIELD_LEN};
use shim_core::frames::FRAME_SIZE;
use shim_core::random::Generator;
use spin::Mutex;

/// `uname`'s sysname (see the module documentation).
const SYSNAME: &[u8] = b"Linux";
/// `uname`'s nodename: the host name.
const NODENAME: &[u8] = b"kernel-shim";
/// `uname`'s release: a Linux version whose system-call ABI programs may
/// assume (the calls this kernel lacks are ENOSYS, as on a kernel built
/// without them).
pub const RELEASE: &[u8] = b"6.1.0-kernel-shim";
/// `uname`'s version.
const VERSION: &[u8] = b"#1 kernel-shim";
/// `uname`'s machine.
const MACHINE: &[u8] = b"x86_64";
/// `uname`'s domainname, as Linux reports an unset one.
const DOMAINNAME: &[u8] = b"(none)";

/// Most bytes one `getrandom` returns (a shorter count is its contract,
/// and up to 256 bytes Linux always fills everything): bounds the work
/// done with interrupts off.
const GETRANDOM_MAX: usize = 4096;
/// Bytes generated and copied out at a time.
const GETRANDOM_CHUNK: usize = 256;

/// `uname(buf)` (uname(2)): six NUL-terminated strings of 65 bytes
/// (see the module documentation for their values).
///
/// # Errors
///
/// `EFAULT` for a bad `buf`.
pub fn uname(out: u64) -> Result<u64, Errno> {
    let mut bytes = [0u8; UTSNAME_FIELDS * UTSNAME_FIELD_LEN];
    let fields = [SYSNAME, NODENAME, RELEASE, VERSION, MACHINE, DOMAINNAME];
    for (slot, value) in bytes
        .as_chunks_mut::<UTSNAME_FIELD_LEN>()
        .0
        .iter_mut()
        .zip(fields)
    {
        slot[..value.len()].copy_from_slice(value);
    }
    let mut table = process::table();
    let space = table.caller()?.space;
    usercopy::copy_to_user(space, out, &bytes)?;
    Ok(0)
}

/// `sysinfo(info)` (sysinfo(2)): seconds since boot, the usable and free
/// RAM (in bytes: `mem_unit` 1), the number of processes; load averages,
/// shared and buffer memory and swap are zero (not kept, or none).
///
/// # Errors
///
/// `EFAULT` for a bad `info`.
pub fn sysinfo(out: u64) -> Result<u64, Errno> {
    let uptime = time::now_ns() / time::NANOS_PER_SECOND;
    let info = {
        let mut table = process::table();
        Sysinfo {
            uptime: uptime as i64,
            totalram: mm::total_frames() as u64 * FRAME_SIZE,
            freeram: mm::free_frames() as u64 * FRAME_SIZE,
            procs: table.system().processes().count() as u16,
            mem_unit: 1,
            ..Sysinfo::default()
        }
    };
    let mut table = process::table();
    let space = table.caller()?.space;
    usercopy::write_value(space, out, &info)?;
    Ok(0)
}

/// The generator, keyed at the first request.
static GENERATOR: Mutex<Option<Generator>> = Mutex::new(None);

/// Fills `out` with random bytes.
fn random_fill(out: &mut [u8]) {
    let now = time::now_ns();
    let mut generator = GENERATOR.lock();
    let generator = generator.get_or_insert_with(|| {
        let [a, b, c, d] = entropy::sample(now);
        let [e, f, g, h] = entropy::sample(now.rotate_left(32));
        Generator::new([a, b, c, d, e, f, g, h])
    });
    generator.mix(entropy::sample(now));
    generator.fill(out);
}

/// `getrandom(buf, len, flags)` (getrandom(2)): fills `buf` with up to
/// `len` random bytes and returns how many: all of them up to 4096
/// bytes, 4096 for a longer request (call again for more). Never blocks.
///
/// # Errors
///
/// `EINVAL` for unknown flags or GRND_INSECURE with GRND_RANDOM, `EFAULT`
/// for a bad `buf` (nothing written before it counts then).
pub fn getrandom(buf: u64, len: u64, flags: u64) -> Result<u64, Errno> {
    let known = u64::from(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE);
    let both = u64::from(GRND_INSECURE | GRND_RANDOM);
    if flags & !known != 0 || flags & both == both {
        return Err(Errno::EINVAL);
    }
    let total = usize::try_from(len).map_or(GETRANDOM_MAX, |len| len.min(GETRANDOM_MAX));
    let mut table = process::table();
    let space = table.caller()?.space;
    usercopy::check_range(space, buf, total, true)?;
    let mut done = 0;
    while done < total {
        let mut chunk = [0u8; GETRANDOM_CHUNK];
        let count = (total - done).min(GETRANDOM_CHUNK);
        random_fill(&mut chunk[..count]);
        usercopy::copy_to_user(space, buf + done as u64, &chunk[..count])?;
        done += count;
    }
    Ok(done as u64)
}
