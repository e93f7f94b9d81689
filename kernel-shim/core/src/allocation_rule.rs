//! The kernel's allocation rule, checked on the sources: no call that
//! aborts when the heap runs out in shim-core or in the kernel, except in
//! the boot-only code listed in [`BOOT_ONLY`] (see the crate
//! documentation, "Every allocation may fail").
//!
//! A grep, not a proof: it catches the usual spellings (`vec!`,
//! `Vec::with_capacity`, `Box::new`, `Arc::new`, `to_vec`, `collect`,
//! `format!`, `BTreeMap`, ...) in shipped code (comments and test code
//! left out, as for the import graph). `push`, `insert` and `extend` are
//! left to review and to the failslab runs: they are fine after a
//! `try_reserve`.

use std::path::{Path, PathBuf};
use std::string::String;
use std::vec::Vec;

use crate::import_graph::is_test_file;
use crate::import_paths::shipped_code;

/// Calls that allocate and abort when memory runs out.
const FORBIDDEN: &[&str] = &[
    "vec!",
    "Vec::with_capacity",
    "Box::new",
    "Arc::new",
    "Rc::new",
    "String::",
    "format!",
    ".to_vec()",
    ".to_owned()",
    ".to_string()",
    ".collect",
    "BTreeMap",
    "BTreeSet",
    "VecDeque::with_capacity",
];

/// Boot-only code allowed to abort (file below `kernel-shim`, the line's
/// text): building the first `System`, unpacking the initrd, starting
/// init. A failure there ends the boot anyway.
const BOOT_ONLY: &[(&str, &str)] = &[
    (
        "core/src/process_table.rs",
        "let mut slots = Vec::with_capacity(MAX_PROCESSES);",
    ),
    (
        "core/src/initrd.rs",
        "let mut path = alloc::vec::Vec::with_capacity(entry.name.len() + 1);",
    ),
    ("core/src/system/spawn.rs", "path: path.to_vec(),"),
];

/// `source` up to its first inline test module (`#[cfg(test)]` then a
/// `mod NAME {` line, public or not): test modules end their file.
fn without_test_modules(source: &str) -> String {
    let mut kept = String::new();
    let mut lines = source.lines().peekable();
    while let Some(line) = lines.next() {
        let starts_test_module = line.trim() == "#[cfg(test)]"
            && lines.peek().is_some_and(|next| {
                let next = next.trim();
                next.contains("mod ") && next.ends_with('{')
            });
        if starts_test_module {
            break;
        }
        kept.push_str(line);
        kept.push('\n');
    }
    kept
}

/// Every shipped `.rs` file below `dir`.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable source folder") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") && !is_test_file(&path) {
            out.push(path);
        }
    }
}

/// The forbidden calls in the shipped code of kernel-shim and shim-core,
/// as "file: line", boot-only exceptions left out.
fn violations(kernel: &Path) -> Vec<String> {
    let mut files = Vec::new();
    sources(&kernel.join("src"), &mut files);
    sources(&kernel.join("core/src"), &mut files);
    let mut found = Vec::new();
    for file in files {
        let relative = file.strip_prefix(kernel).expect("below kernel-shim");
        let relative = relative.to_str().expect("UTF-8 path");
        let source = std::fs::read_to_string(&file).expect("readable");
        let code = shipped_code(&without_test_modules(&source));
        for line in code.lines() {
            let allowed = BOOT_ONLY.contains(&(relative, line));
            if !allowed && FORBIDDEN.iter().any(|call| line.contains(call)) {
                found.push(std::format!("{relative}: {line}"));
            }
        }
    }
    found
}

fn kernel_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("kernel-shim")
        .to_path_buf()
}

#[test]
fn no_infallible_allocation_in_kernel_code() {
    let found = violations(&kernel_dir());
    assert!(
        found.is_empty(),
        "allocations that abort when the heap is full (use try_reserve or \
         shim_core::fallible):\n{}",
        found.join("\n")
    );
}

#[test]
fn every_boot_only_exception_is_still_there() {
    // A stale entry would let the same text in elsewhere in that file.
    for &(file, line) in BOOT_ONLY {
        let source = std::fs::read_to_string(kernel_dir().join(file)).expect(file);
        assert!(
            shipped_code(&source).lines().any(|l| l == line),
            "{file}: no line `{line}`"
        );
    }
}

#[test]
fn the_check_sees_a_forbidden_call() {
    let sample = "fn f() -> Vec<u8> {\n    vec![0; 4] // a comment: Box::new\n}\n";
    let code = shipped_code(sample);
    let hits: Vec<&str> = code
        .lines()
        .filter(|line| FORBIDDEN.iter().any(|call| line.contains(call)))
        .collect();
    assert_eq!(hits, ["vec![0; 4] "]);
}
