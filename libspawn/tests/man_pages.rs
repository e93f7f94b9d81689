//! The manual pages against the libspawn package's own code: every object
//! function (`src/capi.rs`) has its page, prototype, errors and ABI values
//! right. Reads only files inside the package, so it passes in the unpacked
//! `.crate` too; `posix_spawn` and `posix_spawnp`, which the C library that
//! links libspawn defines, are checked by `libspawn/c/tests/man_pages.rs`.
//! The checks are described in `man/mod.rs`.
// Text checks with no unsafe code for Miri to check; they also read files,
// which Miri's isolation forbids, so `x.py test --miri` leaves them out.
#![cfg(not(miri))]

mod man;

use std::path::PathBuf;

use man::Scope;

/// The libspawn crate directory.
fn libspawn_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The package: libspawn's own entry points; the spawn functions are the
/// linking C library's.
fn scope() -> Scope {
    Scope {
        entry_files: vec![man::capi_path()],
        elsewhere: &["posix_spawn", "posix_spawnp"],
        extra_constants: Vec::new(),
    }
}

#[test]
fn every_page_has_every_section() {
    man::every_page_has_every_section();
}

#[test]
fn every_object_function_has_a_page_with_its_prototype() {
    man::every_exported_function_has_a_page_with_its_prototype(&scope());
}

#[test]
fn every_rust_function_in_a_synopsis_exists() {
    man::every_rust_function_in_a_synopsis_exists();
}

#[test]
fn every_listed_error_of_an_object_function_is_in_the_code_path_and_back() {
    man::every_listed_error_is_in_the_code_path_and_back(&scope());
}

#[test]
fn every_error_name_on_a_page_is_an_errno() {
    man::every_error_name_on_a_page_is_an_errno();
}

#[test]
fn every_abi_value_of_the_package_equals_its_constant() {
    man::every_abi_value_equals_its_constant(&scope());
}

#[test]
fn the_code_reader_finds_what_it_should() {
    man::the_code_reader_finds_what_it_should();
}
