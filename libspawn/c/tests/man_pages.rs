//! The manual pages against the whole repository: the object functions and
//! `posix_spawn`/`posix_spawnp` (the guest musl build's, in `src/guest.rs`,
//! followed into kernel-shim), with every ABI value a page gives, the
//! kernel's system-call number included. The reader is libspawn's
//! `tests/man/mod.rs`; `libspawn/tests/man_pages.rs` runs the package-only
//! half.
#![cfg(not(miri))]

#[path = "../../tests/man/mod.rs"]
#[allow(
    dead_code,
    reason = "the package-only checks of the shared reader run in libspawn's own test"
)]
mod man;

use std::mem::size_of;
use std::path::PathBuf;

use man::Scope;
use shim_abi::{SpawnRequest, Sysno};

/// The libspawn crate directory (this crate is `libspawn/c`).
fn libspawn_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// musl's `posix_spawn` and `posix_spawnp`.
fn guest_path() -> PathBuf {
    libspawn_dir().join("c/src/guest.rs")
}

/// The repository: both files of C entry points, and the kernel ABI.
fn scope() -> Scope {
    Scope {
        entry_files: vec![man::capi_path(), guest_path()],
        elsewhere: &[],
        extra_constants: vec![
            ("SHIM_SPAWN", Sysno::ShimSpawn.number()),
            (
                "sizeof(SpawnRequest)",
                u64::try_from(size_of::<SpawnRequest>()).unwrap(),
            ),
        ],
    }
}

#[test]
fn every_c_function_has_a_page_with_its_prototype() {
    man::every_exported_function_has_a_page_with_its_prototype(&scope());
}

#[test]
fn every_listed_error_is_in_the_code_path_and_back() {
    man::every_listed_error_is_in_the_code_path_and_back(&scope());
}

#[test]
fn every_abi_value_equals_its_constant() {
    man::every_abi_value_equals_its_constant(&scope());
}
