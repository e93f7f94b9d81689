//! `libspawn.a`: libspawn's POSIX C entry points as a static library.
//!
//! The object functions (`posix_spawnattr_init`, ...) are defined in
//! `libspawn::capi` with `#[unsafe(no_mangle)]`. A `staticlib` bundles the
//! object code of every crate it depends on, and those definitions are
//! global symbols there, so they end up in the archive as long as libspawn
//! is linked in at all; the `use` below makes sure of that. The header is
//! `libspawn/include/spawn.h`.
//!
//! Two builds:
//! - **Host** (Linux): uses `std`, for C programs that test the object API
//!   against glibc. A C program linking it also needs the libraries Rust's
//!   standard library uses, for example `-lpthread -ldl -lm`. `posix_spawn`
//!   itself is glibc's there.
//! - **Guest** (`x86_64-unknown-none`): `no_std`, linked beside the guest C
//!   library, and adds [`guest`]: `posix_spawn` and `posix_spawnp` over
//!   kernel-shim's spawn system call.
#![cfg_attr(target_os = "none", no_std)]

pub use libspawn::capi::*;

#[cfg(target_os = "none")]
pub mod guest;

#[cfg(target_os = "none")]
mod panic {
    unsafe extern "C" {
        /// The guest C library's `abort` (raises SIGABRT).
        fn abort() -> !;
    }

    /// Nothing in libspawn's C paths can panic (no indexing, no unwrap), so
    /// this only satisfies the linker; should it ever run, the program
    /// aborts rather than unwinding into C.
    #[panic_handler]
    fn on_panic(_info: &core::panic::PanicInfo<'_>) -> ! {
        // SAFETY: `abort` takes no arguments and never returns.
        unsafe { abort() }
    }
}
