//! Links every guest program with shim-rt's generated linker script.
//!
//! shim-rt's build script writes `shim_rt.ld` and puts its directory on the
//! link search path of this crate, so the bare name is enough here.

fn main() {
    println!("cargo:rustc-link-arg-bins=-Tshim_rt.ld");
    println!("cargo:rerun-if-changed=build.rs");
}
