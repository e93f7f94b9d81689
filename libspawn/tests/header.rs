//! Keeps `include/spawn.h` in sync with `src/capi.rs` and `src/abi.rs`.
//!
//! The header is written by hand, so these tests read its text and check
//! that every exported function is declared (and nothing else but
//! `posix_spawn` and `posix_spawnp`, which the C library implements), that
//! every integer `#define` has the value of the Rust constant it mirrors,
//! and that the opaque objects have the Rust objects' size and alignment.
// Text and layout checks with no unsafe code: nothing for Miri to check, so
// `x.py test --miri` leaves them out.
#![cfg(all(feature = "capi", not(miri)))]

use std::collections::{BTreeMap, BTreeSet};
use std::mem::{align_of, size_of};

use libspawn::abi;
use libspawn::capi::{posix_spawn_file_actions_t, posix_spawnattr_t};
use libspawn::SpawnFlags;

const HEADER: &str = include_str!("../include/spawn.h");
const CAPI: &str = include_str!("../src/capi.rs");

/// Declared in the header but implemented by the C library.
const LIBC_ONLY: [&str; 2] = ["posix_spawn", "posix_spawnp"];

/// The header without its comments.
fn header_code() -> String {
    let mut code = String::new();
    let mut rest = HEADER;
    while let Some(start) = rest.find("/*") {
        code.push_str(&rest[..start]);
        let end = rest[start..].find("*/").expect("unterminated comment");
        rest = &rest[start + end + 2..];
    }
    code.push_str(rest);
    code
}

/// Names of the functions the header declares: each declaration outside
/// the preprocessor lines is `int NAME(...);`.
fn header_functions() -> BTreeSet<String> {
    let code: String = header_code()
        .lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let mut names = BTreeSet::new();
    for declaration in code.split(';') {
        let declaration = declaration.trim();
        let Some(rest) = declaration.strip_prefix("int ") else {
            continue;
        };
        let Some(open) = rest.find('(') else {
            continue;
        };
        let name = rest[..open].trim();
        assert!(
            name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "cannot parse declaration: {declaration}"
        );
        assert!(names.insert(name.to_owned()), "{name} declared twice");
    }
    names
}

/// Names of the C entry points: the `pub unsafe extern "C" fn`s defined in
/// capi.rs, which must be exactly the functions `export_c_abi!` exports.
fn exported_functions() -> BTreeSet<String> {
    let mut defined = BTreeSet::new();
    for line in CAPI.lines() {
        if let Some(rest) = line.strip_prefix("pub unsafe extern \"C\" fn ") {
            let name = rest.split('(').next().unwrap_or_default();
            assert!(defined.insert(name.to_owned()), "{name} defined twice");
        }
    }
    let macro_start = CAPI
        .find("macro_rules! export_c_abi")
        .expect("capi.rs defines export_c_abi!");
    let list_end = CAPI[macro_start..]
        .find("($($name")
        .expect("export_c_abi! has a forwarding rule");
    let mut listed = BTreeSet::new();
    for line in CAPI[macro_start..macro_start + list_end].lines() {
        let line = line.trim();
        if line.starts_with("posix_spawn") {
            let name = line.split('(').next().unwrap_or_default();
            assert!(listed.insert(name.to_owned()), "{name} exported twice");
        }
    }
    assert_eq!(
        defined, listed,
        "every extern \"C\" fn of capi.rs must be listed in export_c_abi!, and nothing else"
    );
    defined
}

/// Every `#define NAME VALUE` whose value is an integer literal.
fn header_defines() -> BTreeMap<String, u64> {
    let mut defines = BTreeMap::new();
    for line in header_code().lines() {
        let mut words = line.split_whitespace();
        if words.next() != Some("#define") {
            continue;
        }
        let (Some(name), Some(value)) = (words.next(), words.next()) else {
            continue;
        };
        let parsed = match value.strip_prefix("0x") {
            Some(hex) => u64::from_str_radix(hex, 16),
            None => value.parse(),
        };
        if let Ok(parsed) = parsed {
            let old = defines.insert(name.to_owned(), parsed);
            assert!(old.is_none(), "{name} defined twice");
        }
    }
    defines
}

/// What each integer `#define` must equal.
fn expected_defines() -> BTreeMap<String, u64> {
    let mut expected: BTreeMap<String, u64> = SpawnFlags::all()
        .iter_names()
        .map(|(name, flag)| (format!("POSIX_SPAWN_{name}"), u64::from(flag.bits())))
        .collect();
    let as_u64 = |value: usize| u64::try_from(value).unwrap();
    let others = [
        ("SPAWN_FILE_ACTIONS_MAX", as_u64(abi::DEFAULT_MAX_ACTIONS)),
        (
            "SPAWN_FILE_ACTIONS_PATH_BYTES",
            as_u64(abi::DEFAULT_PATH_BYTES),
        ),
        ("SPAWN_OPEN_MAX", u64::try_from(abi::OPEN_MAX).unwrap()),
        ("SPAWN_PATH_MAX", as_u64(abi::PATH_MAX)),
        ("__SPAWNATTR_SIZE", as_u64(size_of::<posix_spawnattr_t>())),
        ("__SPAWNATTR_ALIGN", as_u64(align_of::<posix_spawnattr_t>())),
        (
            "__SPAWN_FILE_ACTIONS_SIZE",
            as_u64(size_of::<posix_spawn_file_actions_t>()),
        ),
        (
            "__SPAWN_FILE_ACTIONS_ALIGN",
            as_u64(align_of::<posix_spawn_file_actions_t>()),
        ),
    ];
    for (name, value) in others {
        expected.insert(name.to_owned(), value);
    }
    expected
}

#[test]
fn every_exported_function_is_declared_and_nothing_else() {
    let exported = exported_functions();
    let declared = header_functions();
    let missing: Vec<_> = exported.difference(&declared).collect();
    assert!(missing.is_empty(), "not declared in spawn.h: {missing:?}");
    let extra: BTreeSet<&str> = declared
        .iter()
        .map(String::as_str)
        .filter(|name| !exported.contains(*name))
        .collect();
    assert_eq!(
        extra,
        BTreeSet::from(LIBC_ONLY),
        "declared but not exported"
    );
}

#[test]
fn every_posix_name_is_exported() {
    let exported = exported_functions();
    for object in ["init", "destroy"] {
        assert!(exported.contains(&format!("posix_spawnattr_{object}")));
        assert!(exported.contains(&format!("posix_spawn_file_actions_{object}")));
    }
    for attribute in [
        "flags",
        "pgroup",
        "sigmask",
        "sigdefault",
        "schedpolicy",
        "schedparam",
    ] {
        for verb in ["get", "set"] {
            let name = format!("posix_spawnattr_{verb}{attribute}");
            assert!(exported.contains(&name), "{name}");
        }
    }
    for action in [
        "addopen",
        "addclose",
        "adddup2",
        "addchdir",
        "addfchdir",
        "addclosefrom_np",
        "addchdir_np",
        "addfchdir_np",
    ] {
        let name = format!("posix_spawn_file_actions_{action}");
        assert!(exported.contains(&name), "{name}");
    }
    assert_eq!(exported.len(), 24);
}

#[test]
fn every_define_equals_its_rust_constant() {
    assert_eq!(header_defines(), expected_defines());
}

#[test]
fn opaque_types_use_the_published_size_and_alignment() {
    let code = header_code();
    for (type_name, size, align) in [
        ("posix_spawnattr_t", "__SPAWNATTR_SIZE", "__SPAWNATTR_ALIGN"),
        (
            "posix_spawn_file_actions_t",
            "__SPAWN_FILE_ACTIONS_SIZE",
            "__SPAWN_FILE_ACTIONS_ALIGN",
        ),
    ] {
        let end = code
            .find(&format!("}} {type_name};"))
            .unwrap_or_else(|| panic!("no typedef for {type_name}"));
        let start = code[..end].rfind("typedef struct {").unwrap();
        let body: Vec<&str> = code[start + "typedef struct {".len()..end]
            .split_whitespace()
            .collect();
        let expected = [
            format!("__SPAWN_ALIGNAS({align})"),
            "unsigned".to_owned(),
            "char".to_owned(),
            format!("__opaque[{size}];"),
        ];
        assert_eq!(body, expected, "{type_name}");
    }
}

#[test]
fn header_has_guard_and_cplusplus_linkage() {
    let code = header_code();
    assert!(code.contains("#ifndef _LIBSPAWN_SPAWN_H\n#define _LIBSPAWN_SPAWN_H\n"));
    assert!(code.contains("#ifdef __cplusplus\nextern \"C\" {\n#endif"));
    for include in ["<sys/types.h>", "<signal.h>", "<sched.h>"] {
        assert!(code.contains(&format!("#include {include}")), "{include}");
    }
}
