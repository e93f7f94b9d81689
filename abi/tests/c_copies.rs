//! The C side's copies of the ABI agree with this crate.
//!
//! C cannot use a Rust enum. Guest C programs are musl programs: musl's
//! `<sys/syscall.h>` gives Linux's numbers, and
//! `userland/support/include/shim/syscall.h` holds the project's own calls
//! as `#define SYS_name N`; a few C files declare the structures they
//! pass. These tests read those files and fail when a copy differs from
//! the definition here, when a call is missing on either side, when musl
//! numbers a Linux call the kernel serves differently, or when any other
//! C file writes a system-call number of its own.

use std::collections::BTreeMap;
use std::fs;
use std::mem::{offset_of, size_of};
use std::path::{Path, PathBuf};

use shim_abi::{KernelStats, Phase, SpawnProfile, SpawnRequest, Sysno, PHASE_COUNT, SHIM_BASE};

/// The repository root (this crate lives in `abi/`).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("abi/ has a parent")
        .to_path_buf()
}

fn read(relative: &str) -> String {
    let path = root().join(relative);
    fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// The header with the C names of the project's own calls.
const SYSCALL_HEADER: &str = "userland/support/include/shim/syscall.h";

/// musl's header of Linux's numbers, as Debian's musl-dev installs it.
const MUSL_SYSCALL_HEADER: &str = "/usr/include/x86_64-linux-musl/bits/syscall.h";

/// Folders whose C sources must take their numbers from the headers.
const C_FOLDERS: [&str; 6] = [
    "userland/support",
    "userland/utils",
    "tests/guest_c",
    "tests/musl_programs",
    "tests/conformance",
    "bench",
];

/// `RtSigaction` -> `rt_sigaction`.
fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (index, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && index > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// `#define PREFIXname value` lines of `text`, as name -> value text.
fn defines(text: &str, prefix: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|line| {
            let rest = line.trim().strip_prefix("#define ")?;
            let (name, value) = rest.split_once(char::is_whitespace)?;
            let name = name.strip_prefix(prefix)?;
            Some((name.to_owned(), value.trim().to_owned()))
        })
        .collect()
}

/// `#define SYS_name N` lines of `text` as name -> number.
fn numbers(text: &str, file: &str) -> BTreeMap<String, u64> {
    defines(text, "SYS_")
        .into_iter()
        .map(|(name, value)| {
            let number = value
                .parse()
                .unwrap_or_else(|_| panic!("{file}: SYS_{name}: {value} is not a number"));
            (name, number)
        })
        .collect()
}

#[test]
fn shim_header_lists_every_project_call_with_its_number() {
    let header = numbers(&read(SYSCALL_HEADER), SYSCALL_HEADER);
    let crate_calls: BTreeMap<String, u64> = Sysno::ALL
        .iter()
        .filter(|call| call.number() >= SHIM_BASE)
        .map(|call| (snake_case(call.variant_name()), call.number()))
        .collect();
    assert_eq!(header, crate_calls, "{SYSCALL_HEADER} differs from Sysno");
}

#[test]
fn musl_numbers_every_linux_call_as_sysno_does() {
    let Ok(text) = fs::read_to_string(MUSL_SYSCALL_HEADER) else {
        // x.py installs musl-dev before it runs the tests; a bare `cargo
        // test` on a machine without it has nothing to compare.
        eprintln!("{MUSL_SYSCALL_HEADER} not found: musl-dev is not installed");
        return;
    };
    let musl = numbers(&text, MUSL_SYSCALL_HEADER);
    let mut differences = Vec::new();
    for call in Sysno::ALL.iter().filter(|call| call.number() < SHIM_BASE) {
        let name = snake_case(call.variant_name());
        match musl.get(&name) {
            Some(&number) if number == call.number() => {}
            other => differences.push(format!("{name}: Sysno {}, musl {other:?}", call.number())),
        }
    }
    assert!(
        differences.is_empty(),
        "musl's numbers differ:\n{}",
        differences.join("\n")
    );
}

#[test]
fn snake_case_gives_the_c_names() {
    assert_eq!(snake_case("RtSigaction"), "rt_sigaction");
    assert_eq!(snake_case("SchedGetPriorityMax"), "sched_get_priority_max");
    assert_eq!(snake_case("Pipe2"), "pipe2");
    assert_eq!(snake_case("ShimSpawn"), "shim_spawn");
}

/// Every `.c`, `.h` and `.S` file under `folder`, recursively.
fn c_sources(folder: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            c_sources(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("c" | "h" | "S")
        ) {
            out.push(path);
        }
    }
}

/// Whether `line` passes a literal number where a call number goes: as the
/// first argument of a syscall helper, or into `%eax` in inline asm.
fn writes_a_number(line: &str) -> bool {
    const CALLERS: [&str; 9] = [
        "raw_syscall(",
        "fz_syscall(",
        "__syscall0(",
        "__syscall1(",
        "__syscall2(",
        "__syscall3(",
        "__syscall4(",
        "__syscall6(",
        "SYSCALL",
    ];
    let code = line.split("/*").next().unwrap_or(line);
    let literal_argument = CALLERS.iter().any(|caller| {
        code.match_indices(caller).any(|(at, _)| {
            let rest = &code[at + caller.len()..];
            let rest =
                rest.trim_start_matches(|c: char| c.is_ascii_digit() && caller == &"SYSCALL");
            let rest = rest.strip_prefix('(').unwrap_or(rest).trim_start();
            rest.starts_with(|c: char| c.is_ascii_digit())
        })
    });
    let literal_eax = code.contains("%eax")
        && code
            .match_indices("mov $")
            .any(|(at, _)| code[at + 5..].starts_with(|c: char| c.is_ascii_digit()));
    literal_argument || literal_eax
}

#[test]
fn no_other_c_file_writes_a_syscall_number() {
    let header = root().join(SYSCALL_HEADER);
    let mut files = Vec::new();
    for folder in C_FOLDERS {
        c_sources(&root().join(folder), &mut files);
    }
    assert!(files.len() > 20, "the C folders were not found");
    let mut offenders = Vec::new();
    for file in files.iter().filter(|file| **file != header) {
        let text = fs::read_to_string(file).expect("read C source");
        let own = defines(&text, "SYS_").len() + defines(&text, "NR_").len();
        if own > 0 {
            offenders.push(format!("{}: defines its own numbers", file.display()));
        }
        for (index, line) in text.lines().enumerate() {
            if writes_a_number(line) {
                offenders.push(format!("{}:{}: {}", file.display(), index + 1, line.trim()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "use the SYS_* names of <sys/syscall.h> and <shim/syscall.h>:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn the_number_check_sees_literal_numbers() {
    assert!(writes_a_number(
        "    r = raw_syscall(72, fd, 1, 0, 0, 0, 0);"
    ));
    assert!(writes_a_number("return fz_syscall(3, fd, 0, 0, 0, 0, 0);"));
    assert!(writes_a_number("return SYSCALL1(60, status);"));
    assert!(writes_a_number("\"    mov $15, %eax\\n\""));
    assert!(!writes_a_number(
        "    r = raw_syscall(SYS_fcntl, fd, 1, 0, 0, 0, 0);"
    ));
    assert!(!writes_a_number("return SYSCALL1(SYS_exit_group, status);"));
    assert!(!writes_a_number("mov %1, %%eax"));
    assert!(!writes_a_number(
        "\"    mov $\" SYSNO_TEXT(SYS_rt_sigreturn) \", %eax\\n\""
    ));
}

/// The field names of `struct NAME { ... };` in `text`, in order.
fn c_struct_fields(text: &str, name: &str) -> Vec<String> {
    let start = text
        .find(&format!("struct {name} {{"))
        .unwrap_or_else(|| panic!("struct {name} not found"));
    let body = &text[start..];
    let body = &body[body.find('{').unwrap() + 1..body.find("};").unwrap()];
    let mut fields = Vec::new();
    for declaration in body.split(';').map(str::trim).filter(|d| !d.is_empty()) {
        if let Some(open) = declaration.find("(*") {
            // A function pointer: `void (*name)(void)`.
            let rest = &declaration[open + 2..];
            fields.push(rest[..rest.find(')').unwrap()].trim().to_owned());
            continue;
        }
        for (index, part) in declaration.split(',').enumerate() {
            let words: Vec<&str> = part.split_whitespace().collect();
            let last = if index == 0 {
                words.last()
            } else {
                words.first()
            };
            let field = last.expect("a field name").trim_start_matches('*');
            fields.push(field.to_owned());
        }
    }
    fields
}

/// Checks that the C struct, whose fields are all 8 bytes wide, declares
/// exactly `rust` (name, offset) in order and has the Rust size.
fn check_u64_struct(file: &str, c_name: &str, rust: &[(&str, usize)], rust_size: usize) {
    let fields = c_struct_fields(&read(file), c_name);
    let c: Vec<(String, usize)> = fields
        .into_iter()
        .enumerate()
        .map(|(index, name)| (name, index * 8))
        .collect();
    let rust: Vec<(String, usize)> = rust
        .iter()
        .map(|&(name, offset)| (name.to_owned(), offset))
        .collect();
    assert_eq!(c, rust, "{file}: struct {c_name}");
    assert_eq!(c.len() * 8, rust_size, "{file}: struct {c_name} size");
}

#[test]
fn guest_test_kstats_matches_kernel_stats() {
    check_u64_struct(
        "tests/guest_c/guest_test.h",
        "kstats",
        &[
            ("free_frames", offset_of!(KernelStats, free_frames)),
            (
                "free_process_slots",
                offset_of!(KernelStats, free_process_slots),
            ),
            ("open_files", offset_of!(KernelStats, open_files)),
            ("heap_used", offset_of!(KernelStats, heap_used)),
            ("spawns", offset_of!(KernelStats, spawns)),
        ],
        size_of::<KernelStats>(),
    );
}

#[test]
fn guest_test_spawn_request_matches_spawn_request() {
    check_u64_struct(
        "tests/guest_c/guest_test.h",
        "spawn_request",
        &[
            ("path", offset_of!(SpawnRequest, path)),
            ("argv", offset_of!(SpawnRequest, argv)),
            ("envp", offset_of!(SpawnRequest, envp)),
            ("attr", offset_of!(SpawnRequest, attr)),
            ("actions", offset_of!(SpawnRequest, actions)),
            ("action_count", offset_of!(SpawnRequest, action_count)),
            ("paths", offset_of!(SpawnRequest, paths)),
            ("paths_len", offset_of!(SpawnRequest, paths_len)),
            ("search_path", offset_of!(SpawnRequest, search_path)),
        ],
        size_of::<SpawnRequest>(),
    );
}

/// The C copy of the spawn profile.
const PROFILE_HEADER: &str = "userland/support/include/shim/profile.h";

#[test]
fn profile_header_lists_every_phase_name_in_order() {
    let text = read(PROFILE_HEADER);
    let start = text
        .find("#define SHIM_PHASE_NAMES")
        .expect("SHIM_PHASE_NAMES");
    let body = &text[start..];
    let body = &body[body.find('{').unwrap() + 1..body.find('}').unwrap()];
    // `"a", "b",  \` continued over lines: strip quotes, blanks and `\`.
    let names: Vec<&str> = body
        .split(',')
        .map(|name| name.trim_matches(|c: char| c == '"' || c == '\\' || c.is_whitespace()))
        .collect();
    let rust: Vec<&str> = Phase::ALL.iter().map(|phase| phase.name()).collect();
    assert_eq!(names, rust, "{PROFILE_HEADER}: SHIM_PHASE_NAMES");
    let count = defines(&text, "SHIM_")
        .get("PHASE_COUNT")
        .and_then(|value| value.parse::<usize>().ok());
    assert_eq!(
        count,
        Some(PHASE_COUNT),
        "{PROFILE_HEADER}: SHIM_PHASE_COUNT"
    );
}

#[test]
fn profile_header_struct_matches_spawn_profile() {
    let fields = c_struct_fields(&read(PROFILE_HEADER), "shim_profile");
    assert_eq!(
        fields,
        [
            "enabled",
            "now",
            "marks",
            "mark_cost",
            "cycles[SHIM_PHASE_COUNT]"
        ],
        "{PROFILE_HEADER}: struct shim_profile"
    );
    assert_eq!(offset_of!(SpawnProfile, enabled), 0);
    assert_eq!(offset_of!(SpawnProfile, now), 8);
    assert_eq!(offset_of!(SpawnProfile, marks), 16);
    assert_eq!(offset_of!(SpawnProfile, mark_cost), 24);
    assert_eq!(offset_of!(SpawnProfile, cycles), 32);
    assert_eq!(size_of::<SpawnProfile>(), 32 + 8 * PHASE_COUNT);
}
