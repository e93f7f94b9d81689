//! Generates the guest linker script with the link address from the shared ABI.
//!
//! The script lands in `OUT_DIR/shim_rt.ld`, and `OUT_DIR` goes on the link
//! search path of every crate that depends on shim-rt, so a guest program's
//! own build script only has to say `cargo:rustc-link-arg-bins=-Tshim_rt.ld`.

use std::{env, fs, path::PathBuf};

use shim_abi::layout::GUEST_LINK_ADDRESS;

/// The checked-in part of the script, in this crate's directory.
const TEMPLATE: &str = "link.ld";
/// Name of the generated script, as guest programs pass it to `-T`.
const GENERATED: &str = "shim_rt.ld";

fn main() {
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let template = fs::read_to_string(TEMPLATE).expect("read link.ld");
    let script = format!("GUEST_LINK_ADDRESS = {GUEST_LINK_ADDRESS:#x};\n{template}");
    fs::write(out_dir.join(GENERATED), script).expect("write shim_rt.ld");
    println!("cargo:rustc-link-search=native={}", out_dir.display());
    println!("cargo:rerun-if-changed={TEMPLATE}");
    println!("cargo:rerun-if-changed=build.rs");
}
