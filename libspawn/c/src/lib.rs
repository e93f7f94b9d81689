//! `libspawn.a`: libspawn's POSIX C entry points as a static library.
//!
//! libspawn's own functions (`libspawn::capi::posix_spawnattr_init`, ...)
//! have mangled Rust names, so depending on libspawn never replaces a C
//! library's functions. This crate is the artefact made for C: it invokes
//! [`libspawn::export_c_abi!`] once, which defines every object function as
//! an unmangled, exported symbol that forwards to libspawn. The header is
//! `libspawn/include/spawn.h`. The crate is not published and no Rust
//! program should depend on it: linked into a program that also uses the
//! platform's C library, its symbols would take the place of that
//! library's `posix_spawn_*` functions.
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

libspawn::export_c_abi!();

#[cfg(target_os = "none")]
pub mod guest;

#[cfg(target_os = "none")]
mod panic {
    unsafe extern "C" {
        /// musl's `abort` (raises SIGABRT).
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
