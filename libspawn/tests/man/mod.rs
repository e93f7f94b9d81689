//! The reader behind the manual-page tests: keeps the pages in
//! `libspawn/man/` honest.
//!
//! The pages are markdown in the SerenityOS layout: one `## ` heading per
//! section (`Name`, `Synopsis`, `Description`, `Return value`, `Errors`,
//! `ABI values`, `Standards`, `Comparison`, `See also`). Four checks read
//! them as text, next to the code they describe:
//!
//! 1. **Every exported C function has a page.** Each
//!    top-level `pub unsafe extern "C" fn` in `src/capi.rs` and
//!    `c/src/guest.rs` is named in the `Name` section of exactly one page,
//!    and that page's `Synopsis` declares it with the prototype `spawn.h`
//!    has (whitespace aside, `__SPAWN_RESTRICT` written `restrict`). Every
//!    `fn` named in a `rust` block of a `Synopsis` exists in `src/`.
//! 2. **Every error a page lists can happen, and every error that can
//!    happen is listed.** Under `## Errors`, each `### ` heading names one
//!    or more functions in backticks, and each entry below it is a bullet
//!    starting with one or more error names in backticks
//!    (`` - `EBADF`: ... `` or `` - `ENOENT`, `ENOTDIR`: ... ``).
//!    The test computes the *code path* of each function by a name-based
//!    call graph over Rust source with comments and `#[cfg(test)]` items
//!    removed: starting from the function's own body, every `name(` or
//!    `name::<` whose `name` is a `fn` defined in the path's files is
//!    followed, to every definition of that name (trait methods resolve to
//!    every implementation in those files, so this over-approximates).
//!    An error "appears" in the path when `Errno::NAME` occurs in one of
//!    the bodies reached.
//!    - For the object functions (`capi.rs`), the files are `capi.rs`,
//!      `attr.rs`, `actions.rs` and `sigset.rs`, and both directions are
//!      checked: a listed error must appear in the path, and an error that
//!      appears in the path must be listed.
//!    - For `posix_spawn` and `posix_spawnp`, the path is the guest C
//!      library side (`guest.rs` plus the object files above) and the
//!      kernel side: every function of `kernel-shim/src/sys/spawn*.rs`,
//!      followed through all of `kernel-shim/src`, `kernel-shim/core/src`
//!      and libspawn's `exec.rs` (the executor the kernel runs in the
//!      child) and object files. A listed error must appear in that path.
//!      The other direction is checked only for the code that exists for
//!      spawning alone: `guest.rs` (with the object files it reaches),
//!      `exec.rs`, and the bodies in `kernel-shim/src/sys/spawn*.rs` and
//!      `kernel-shim/core/src/spawn*.rs`; an error that appears there must
//!      be listed. Errors of the general kernel code a spawn reuses (the
//!      VFS, the loader, the descriptor table) are not forced onto the
//!      page, because the name-based graph reaches far more of that code
//!      than a spawn really runs.
//! 3. **ABI values are the constants.** Each row of an `## ABI values`
//!    table is `` | `NAME` | VALUE | ... ``; NAME must be one of the
//!    constants below and VALUE (decimal or `0x` hex) its value, taken from
//!    `libspawn::abi` and the C objects' sizes; a NAME `spawn.h` `#define`s
//!    must have the same value there.
//! 4. Every error name written in backticks on a page is one `Errno`
//!    defines (a typo guard).
//!
//! A failure names the page, the function and the error, and says which
//! side to fix.
//!
//! Two tests use it: `libspawn/tests/man_pages.rs` sees only the libspawn
//! package (so it passes in the unpacked `.crate` too) and checks the object
//! functions; `libspawn/c/tests/man_pages.rs` sees the whole repository and
//! also checks `posix_spawn` and `posix_spawnp` through musl (the guest C library)
//! and the kernel.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::mem::{align_of, size_of};
use std::path::{Path, PathBuf};

use libspawn::abi::{self, action_kind, fcntl, sched, signal};
use libspawn::capi::{posix_spawn_file_actions_t, posix_spawnattr_t};
use libspawn::SpawnFlags;

/// The libspawn crate directory (the test that includes this module says
/// where it is).
fn crate_dir() -> PathBuf {
    super::libspawn_dir()
}

/// The workspace root (kernel-shim lives there).
fn workspace_dir() -> PathBuf {
    crate_dir().join("..")
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

// ---------------------------------------------------------------------------
// Rust source, read as text
// ---------------------------------------------------------------------------

/// `source` with comments, string and character literals blanked out (so
/// braces and `Errno::` inside them do not count) and `#[cfg(test)]` items
/// removed.
fn code_only(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' && (chars.get(i + 2) == Some(&'\'') || next == Some('\\')) {
            // A character literal ('{', '\n', '\''); otherwise a lifetime.
            i += 1;
            if chars.get(i) == Some(&'\\') {
                i += 1;
            }
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                i += 1;
            }
            i += 1;
            out.push_str("' '");
        } else {
            out.push(c);
            i += 1;
        }
    }
    remove_test_items(&out)
}

/// Removes every item that follows a `#[cfg(test)]` attribute.
fn remove_test_items(code: &str) -> String {
    let mut out = String::new();
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let item = &rest[at + "#[cfg(test)]".len()..];
        let end = item_end(item);
        rest = &item[end..];
    }
    out.push_str(rest);
    out
}

/// Byte length of the item at the start of `code`: through its first `;`
/// at depth 0, or through the `}` that closes its first `{`.
fn item_end(code: &str) -> usize {
    let mut depth = 0usize;
    for (at, c) in code.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return at + 1;
                }
            }
            ';' if depth == 0 => return at + 1,
            _ => {}
        }
    }
    code.len()
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// One `fn` definition with a body.
#[derive(Clone, Debug)]
struct FnDef {
    file: PathBuf,
    /// The type of the `impl` or `trait` block it is in; `None` for a free
    /// function.
    owner: Option<String>,
    body: String,
}

/// The `impl` and `trait` blocks of `code`: `(start, end, self type)`.
fn impl_blocks(code: &str) -> Vec<(usize, usize, String)> {
    let mut blocks = Vec::new();
    for keyword in ["impl", "trait "] {
        for (at, _) in code.match_indices(keyword) {
            let before_ok = at == 0 || !is_ident(code.as_bytes()[at - 1] as char);
            let after = code[at + keyword.len()..].chars().next().unwrap_or(' ');
            if !before_ok || (keyword == "impl" && is_ident(after)) {
                continue;
            }
            let Some(open) = code[at..].find(['{', ';']).map(|i| at + i) else {
                continue;
            };
            if code.as_bytes()[open] != b'{' {
                continue;
            }
            let mut header = code[at + keyword.len()..open].to_owned();
            // Drop the impl's own generics, then take the type after `for`.
            if header.trim_start().starts_with('<') {
                header = skip_generics(header.trim_start()).to_owned();
            }
            if let Some(index) = header.rfind(" for ") {
                header = header[index + 5..].to_owned();
            }
            let header = header.split(" where").next().unwrap_or("");
            let path = header.trim().split('<').next().unwrap_or("").trim();
            let name = path.rsplit("::").next().unwrap_or("").trim().to_owned();
            if name.is_empty() || !name.chars().all(is_ident) {
                continue;
            }
            let end = open + item_end(&code[open..]);
            blocks.push((open, end, name));
        }
    }
    blocks
}

/// `text` after its leading `<...>`.
fn skip_generics(text: &str) -> &str {
    let mut depth = 0;
    for (at, c) in text.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => {
                depth -= 1;
                if depth == 0 {
                    return &text[at + 1..];
                }
            }
            _ => {}
        }
    }
    ""
}

/// `type Alias = Target<...>;` items of `code`.
fn type_aliases(code: &str) -> Vec<(String, String)> {
    let mut aliases = Vec::new();
    for (at, _) in code.match_indices("type ") {
        if at > 0 && is_ident(code.as_bytes()[at - 1] as char) {
            continue;
        }
        let rest = &code[at + 5..];
        let Some((alias, target)) = rest.split(';').next().and_then(|item| item.split_once('='))
        else {
            continue;
        };
        let alias = alias.trim();
        let target = target
            .trim()
            .split('<')
            .next()
            .unwrap_or("")
            .rsplit("::")
            .next()
            .unwrap_or("")
            .trim();
        if alias.chars().all(is_ident) && !target.is_empty() && target.chars().all(is_ident) {
            aliases.push((alias.to_owned(), target.to_owned()));
        }
    }
    aliases
}

/// Every `fn NAME ... { body }` in `code` (declarations without a body,
/// such as trait methods without a default, are skipped).
fn fn_definitions(code: &str) -> Vec<(usize, String, String)> {
    let mut found = Vec::new();
    let bytes = code.as_bytes();
    let mut search = 0;
    while let Some(offset) = code[search..].find("fn ") {
        let at = search + offset;
        search = at + 3;
        if at > 0 && is_ident(bytes[at - 1] as char) {
            continue;
        }
        let name: String = code[at + 3..]
            .trim_start()
            .chars()
            .take_while(|&c| is_ident(c))
            .collect();
        if name.is_empty() {
            continue;
        }
        // The body starts at the first `{` outside parentheses; a `;`
        // there first means there is no body.
        let mut parens = 0i32;
        let mut start = None;
        for (i, c) in code[at..].char_indices() {
            match c {
                '(' => parens += 1,
                ')' => parens -= 1,
                ';' if parens == 0 => break,
                '{' if parens == 0 => {
                    start = Some(at + i);
                    break;
                }
                _ => {}
            }
        }
        let Some(start) = start else { continue };
        let end = start + item_end(&code[start..]);
        found.push((at, name, code[start..end].to_owned()));
    }
    found
}

/// How a call names its function.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Callee {
    /// `name(...)`: a free function.
    Bare(String),
    /// `value.name(...)`: a method of any type.
    Method(String),
    /// `Prefix::name(...)`: `Prefix` is a type (upper case, or `Self`) or a
    /// module.
    Path(String, String),
}

/// The calls in `body`: an identifier followed by `(` or `::<`.
fn calls(body: &str) -> BTreeSet<Callee> {
    let chars: Vec<char> = body.chars().collect();
    let mut found = BTreeSet::new();
    let mut i = 0;
    while i < chars.len() {
        if is_ident(chars[i]) && (i == 0 || !is_ident(chars[i - 1])) {
            let start = i;
            while i < chars.len() && is_ident(chars[i]) {
                i += 1;
            }
            let name: String = chars[start..i].iter().collect();
            let mut j = i;
            while j < chars.len() && chars[j].is_whitespace() {
                j += 1;
            }
            let called = chars.get(j) == Some(&'(')
                || (chars.get(j) == Some(&':')
                    && chars.get(j + 1) == Some(&':')
                    && chars.get(j + 2) == Some(&'<'));
            if !called || name.starts_with(|c: char| c.is_ascii_digit()) {
                continue;
            }
            let mut k = start;
            while k > 0 && chars[k - 1].is_whitespace() {
                k -= 1;
            }
            let callee = if k > 0 && chars[k - 1] == '.' {
                Callee::Method(name)
            } else if k > 1 && chars[k - 1] == ':' && chars[k - 2] == ':' {
                let mut m = k - 2;
                // Skip the prefix's generics (`FileActions::<4, 16>::new`).
                if m > 0 && chars[m - 1] == '>' {
                    let mut depth = 0;
                    while m > 0 {
                        m -= 1;
                        match chars[m] {
                            '>' => depth += 1,
                            '<' => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                    }
                    if m > 1 && chars[m - 1] == ':' {
                        m -= 2;
                    }
                }
                let end = m;
                while m > 0 && is_ident(chars[m - 1]) {
                    m -= 1;
                }
                Callee::Path(chars[m..end].iter().collect(), name)
            } else {
                Callee::Bare(name)
            };
            found.insert(callee);
        } else {
            i += 1;
        }
    }
    found
}

/// Error names in `body`: every `Errno::NAME`.
fn errnos_in(body: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (at, _) in body.match_indices("Errno::") {
        let name: String = body[at + "Errno::".len()..]
            .chars()
            .take_while(|&c| is_ident(c))
            .collect();
        if name.starts_with('E')
            && name
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        {
            names.insert(name);
        }
    }
    names
}

/// The Rust files under `dir`, recursively, without test files (`tests.rs`,
/// anything under a `tests` directory).
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return files;
    };
    let mut entries: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != "tests" {
                files.extend(rust_files(&path));
            }
        } else if name.ends_with(".rs") && name != "tests.rs" {
            files.push(path);
        }
    }
    files
}

/// The `fn` definitions of a set of files, by name.
#[derive(Default)]
struct Code {
    fns: BTreeMap<String, Vec<FnDef>>,
    /// Type alias to the type it names (`CFileActions` to `FileActions`).
    aliases: BTreeMap<String, String>,
}

impl Code {
    fn of(files: &[PathBuf]) -> Code {
        let mut code = Code::default();
        for file in files {
            let text = code_only(&read(file));
            let blocks = impl_blocks(&text);
            code.aliases.extend(type_aliases(&text));
            for (at, name, body) in fn_definitions(&text) {
                let owner = blocks
                    .iter()
                    .filter(|(start, end, _)| (*start..*end).contains(&at))
                    .min_by_key(|(start, end, _)| end - start)
                    .map(|(_, _, owner)| owner.clone());
                code.fns.entry(name).or_default().push(FnDef {
                    file: file.clone(),
                    owner,
                    body,
                });
            }
        }
        code
    }

    /// The definition of `name` in `file`; panics unless there is one.
    fn root(&self, file: &Path, name: &str) -> FnDef {
        let defs: Vec<&FnDef> = self
            .fns
            .get(name)
            .into_iter()
            .flatten()
            .filter(|def| def.file == file)
            .collect();
        assert_eq!(
            defs.len(),
            1,
            "expected one `fn {name}` in {}; the test's code-path rule needs updating",
            file.display()
        );
        defs[0].clone()
    }

    /// The definitions a call in `caller` may reach. A method call may
    /// reach any method of that name; `Type::name` the ones in `Type`'s
    /// blocks (through aliases: none for a type defined elsewhere, such as
    /// `heapless::Vec`); `module::name` and a bare `name` the free
    /// functions of that name.
    fn resolve(&self, caller: &FnDef, callee: &Callee) -> Vec<FnDef> {
        let (name, owner_filter): (&String, Option<Option<String>>) = match callee {
            Callee::Method(name) => (name, None),
            Callee::Bare(name) => (name, Some(None)),
            Callee::Path(prefix, name) => {
                if prefix == "Self" {
                    (name, Some(caller.owner.clone()))
                } else if prefix.starts_with(|c: char| c.is_ascii_uppercase()) {
                    let target = self.aliases.get(prefix).unwrap_or(prefix);
                    (name, Some(Some(target.clone())))
                } else {
                    (name, Some(None))
                }
            }
        };
        let all = self.fns.get(name).cloned().unwrap_or_default();
        match owner_filter {
            None => all,
            Some(owner) => all.into_iter().filter(|d| d.owner == owner).collect(),
        }
    }

    /// Every body reachable from `roots` by the call graph.
    fn reach(&self, roots: Vec<FnDef>) -> Vec<FnDef> {
        let mut seen: BTreeSet<(PathBuf, Option<String>, String)> = BTreeSet::new();
        let mut reached = Vec::new();
        let mut queue = roots;
        while let Some(def) = queue.pop() {
            for callee in calls(&def.body) {
                for target in self.resolve(&def, &callee) {
                    let key = (
                        target.file.clone(),
                        target.owner.clone(),
                        target.body.clone(),
                    );
                    if seen.insert(key) {
                        queue.push(target);
                    }
                }
            }
            reached.push(def);
        }
        reached
    }
}

fn errnos_of(defs: &[FnDef]) -> BTreeSet<String> {
    defs.iter().flat_map(|def| errnos_in(&def.body)).collect()
}

// ---------------------------------------------------------------------------
// The exported functions
// ---------------------------------------------------------------------------

/// libspawn's C entry points.
pub fn capi_path() -> PathBuf {
    crate_dir().join("src/capi.rs")
}

/// Names of the C entry points defined in `file`: its top-level
/// `pub unsafe extern "C" fn`s.
fn exported_in(file: &Path) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for line in read(file).lines() {
        if let Some(rest) = line.strip_prefix("pub unsafe extern \"C\" fn ") {
            let name = rest.split('(').next().unwrap_or_default();
            assert!(
                names.insert(name.to_owned()),
                "{}: {name} twice",
                file.display()
            );
        }
    }
    assert!(!names.is_empty(), "{}: no C entry point", file.display());
    names
}

/// What one test run can see: the whole repository, or only the libspawn
/// package (as unpacked from `cargo package`).
pub struct Scope {
    /// The files whose C entry points the pages must describe.
    pub entry_files: Vec<PathBuf>,
    /// Functions a page may name that are defined outside `entry_files`;
    /// the test that sees their code checks them.
    pub elsewhere: &'static [&'static str],
    /// ABI names beyond libspawn's own constants that this scope can check.
    pub extra_constants: Vec<(&'static str, u64)>,
}

impl Scope {
    /// Every C entry point of the scope, with the file it is defined in.
    fn exported(&self) -> BTreeMap<String, PathBuf> {
        let mut all = BTreeMap::new();
        for file in &self.entry_files {
            for name in exported_in(file) {
                assert!(
                    all.insert(name.clone(), file.clone()).is_none(),
                    "{name} twice"
                );
            }
        }
        all
    }

    /// Whether every function `page` names is checked elsewhere.
    fn page_is_elsewhere(&self, page: &Page) -> bool {
        named_functions(page)
            .iter()
            .all(|name| self.elsewhere.contains(&name.as_str()))
    }
}

/// The files a code path of an object function may go through.
fn object_files() -> Vec<PathBuf> {
    ["capi.rs", "attr.rs", "actions.rs", "sigset.rs"]
        .iter()
        .map(|name| crate_dir().join("src").join(name))
        .collect()
}

/// The files under `dir` whose name starts with `spawn` (not recursive).
fn spawn_files(dir: &Path) -> Vec<PathBuf> {
    rust_files(dir)
        .into_iter()
        .filter(|path| {
            path.parent() == Some(dir)
                && path
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("spawn")
        })
        .collect()
}

/// Errors the flow-insensitive call graph finds but that cannot happen,
/// each with the text in the `FileActions` method that proves it, checked
/// on every run: `(C function, error, method, proof, why)`.
const FLOW_EXCLUSIONS: [(&str, &str, &str, &str, &str); 5] = [
    (
        "posix_spawn_file_actions_addclose",
        "ENAMETOOLONG",
        "add_close",
        ", None)",
        "push checks a path only when given one",
    ),
    (
        "posix_spawn_file_actions_adddup2",
        "ENAMETOOLONG",
        "add_dup2",
        ", None)",
        "push checks a path only when given one",
    ),
    (
        "posix_spawn_file_actions_addfchdir",
        "ENAMETOOLONG",
        "add_fchdir",
        ", None)",
        "push checks a path only when given one",
    ),
    (
        "posix_spawn_file_actions_addfchdir_np",
        "ENAMETOOLONG",
        "add_fchdir",
        ", None)",
        "push checks a path only when given one",
    ),
    (
        "posix_spawn_file_actions_addclosefrom_np",
        "ENAMETOOLONG",
        "add_closefrom",
        ", None)",
        "push checks a path only when given one",
    ),
];

/// What the honesty check knows about one function's errors.
struct ErrorPath {
    /// Errors that can arise somewhere on the path: a listed error must be
    /// one of them.
    possible: BTreeSet<String>,
    /// Errors the page must list (a subset of `possible`).
    required: BTreeSet<String>,
    /// Where the errors were looked for, for failure messages.
    described: String,
}

fn error_path(function: &str, file: &Path) -> ErrorPath {
    if file == capi_path() {
        let code = Code::of(&object_files());
        let reached = code.reach(vec![code.root(file, function)]);
        let mut errnos = errnos_of(&reached);
        for (excluded_fn, errno, method, proof, why) in FLOW_EXCLUSIONS {
            if excluded_fn != function {
                continue;
            }
            let body = &code
                .fns
                .get(method)
                .and_then(|defs| {
                    defs.iter()
                        .find(|d| d.owner.as_deref() == Some("FileActions"))
                })
                .unwrap_or_else(|| panic!("FLOW_EXCLUSIONS: no FileActions::{method}"))
                .body;
            assert!(
                body.contains(proof) && errnos.contains(errno),
                "FLOW_EXCLUSIONS entry ({function}, {errno}) is stale: FileActions::{method} no longer \
                 contains `{proof}` or the error no longer appears ({why})"
            );
            errnos.remove(errno);
        }
        return ErrorPath {
            possible: errnos.clone(),
            required: errnos,
            described: format!(
                "`{function}` in src/capi.rs and what it calls in capi.rs, attr.rs, actions.rs, sigset.rs"
            ),
        };
    }
    // posix_spawn / posix_spawnp: the C library side ...
    let mut library_files = object_files();
    library_files.push(file.to_path_buf());
    let library = Code::of(&library_files);
    let library_reached = library.reach(vec![library.root(file, function)]);
    // ... and the kernel side, from every function of its spawn files.
    let kernel_src = workspace_dir().join("kernel-shim/src");
    let core_src = workspace_dir().join("kernel-shim/core/src");
    let exec = crate_dir().join("src/exec.rs");
    let mut kernel_files = rust_files(&kernel_src);
    kernel_files.extend(rust_files(&core_src));
    kernel_files.push(exec.clone());
    kernel_files.extend(object_files());
    let kernel = Code::of(&kernel_files);
    let mut spawn_only = spawn_files(&kernel_src.join("sys"));
    spawn_only.extend(spawn_files(&core_src));
    assert!(
        !spawn_only.is_empty(),
        "no kernel-shim/src/sys/spawn*.rs: the test's code-path rule needs updating"
    );
    let roots: Vec<FnDef> = kernel
        .fns
        .values()
        .flatten()
        .filter(|def| spawn_only.contains(&def.file))
        .cloned()
        .collect();
    let kernel_reached = kernel.reach(roots.clone());
    // The executor's own errors count once the kernel calls its `apply`.
    let runs_executor = kernel_reached.iter().any(|def| {
        def.file == exec
            && kernel
                .fns
                .get("apply")
                .is_some_and(|defs| defs.iter().any(|d| d.file == exec && d.body == def.body))
    });
    let exec_defs: Vec<FnDef> = if runs_executor {
        Code::of(&[exec]).fns.into_values().flatten().collect()
    } else {
        Vec::new()
    };

    let mut possible = errnos_of(&library_reached);
    possible.extend(errnos_of(&kernel_reached));
    let mut required = errnos_of(&library_reached);
    required.extend(errnos_of(&roots));
    required.extend(errnos_of(&exec_defs));
    possible.extend(required.iter().cloned());
    ErrorPath {
        possible,
        required,
        described: format!(
            "`{function}` in c/src/guest.rs and the objects it reads; kernel-shim/src/sys/spawn*.rs and \
             kernel-shim/core/src/spawn*.rs, followed through kernel-shim and libspawn's exec.rs"
        ),
    }
}

// ---------------------------------------------------------------------------
// The pages
// ---------------------------------------------------------------------------

struct Page {
    path: PathBuf,
    /// `## ` heading (lower case) to the text below it.
    sections: BTreeMap<String, String>,
}

impl Page {
    fn section(&self, heading: &str) -> &str {
        self.sections
            .get(heading)
            .unwrap_or_else(|| panic!("{}: no `## {heading}` section", self.path.display()))
    }

    fn name(&self) -> String {
        self.path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned()
    }
}

const SECTIONS: [&str; 9] = [
    "name",
    "synopsis",
    "description",
    "return value",
    "errors",
    "abi values",
    "standards",
    "comparison",
    "see also",
];

fn pages() -> Vec<Page> {
    let dir = crate_dir().join("man");
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = read(&path);
            let mut sections = BTreeMap::new();
            let mut current: Option<(String, String)> = None;
            let mut in_fence = false;
            for line in text.lines() {
                if line.starts_with("```") {
                    in_fence = !in_fence;
                }
                if let (false, Some(heading)) = (in_fence, line.strip_prefix("## ")) {
                    if let Some((name, body)) = current.take() {
                        sections.insert(name, body);
                    }
                    current = Some((heading.trim().to_lowercase(), String::new()));
                } else if let Some((_, body)) = current.as_mut() {
                    body.push_str(line);
                    body.push('\n');
                }
            }
            if let Some((name, body)) = current {
                sections.insert(name, body);
            }
            Page { path, sections }
        })
        .collect()
}

/// The words of a `Name` section before its dash: the functions it names.
fn named_functions(page: &Page) -> BTreeSet<String> {
    let text = page.section("name").replace('\\', "");
    let names = text.split(" - ").next().unwrap_or("");
    names
        .split(|c: char| !is_ident(c))
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The fenced code blocks of `text` whose info string is `lang`.
fn code_blocks(text: &str, lang: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if let Some(info) = line.strip_prefix("```") {
            match current.take() {
                Some(block) => blocks.push(block),
                None if info.trim() == lang => current = Some(String::new()),
                None => current = Some(String::from("\0skip")),
            }
        } else if let Some(block) = current.as_mut() {
            block.push_str(line);
            block.push('\n');
        }
    }
    blocks.retain(|block| !block.starts_with("\0skip"));
    blocks
}

fn normalize(declaration: &str) -> String {
    declaration
        .replace("__SPAWN_RESTRICT", "restrict")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("( ", "(")
        .replace(" )", ")")
}

/// `int NAME(...)` declarations in C text (comments and preprocessor lines
/// removed), by name, normalized.
fn c_declarations(text: &str) -> BTreeMap<String, String> {
    let mut code = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("/*") {
        code.push_str(&rest[..start]);
        let end = rest[start..].find("*/").expect("unterminated comment");
        rest = &rest[start + end + 2..];
    }
    code.push_str(rest);
    let code: String = code
        .lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let mut declarations = BTreeMap::new();
    for declaration in code.split(';') {
        let declaration = normalize(declaration);
        let Some(rest) = declaration.strip_prefix("int ") else {
            continue;
        };
        let Some(open) = rest.find('(') else { continue };
        declarations.insert(rest[..open].trim().to_owned(), declaration.clone());
    }
    declarations
}

/// The `### ` subsections of the Errors section: for each function named
/// in backticks in a heading, the error names of the bullets below it.
fn listed_errors(page: &Page) -> BTreeMap<String, BTreeSet<String>> {
    let mut listed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut functions: Vec<String> = Vec::new();
    for line in page.section("errors").lines() {
        if let Some(heading) = line.strip_prefix("### ") {
            functions = heading
                .split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_owned)
                .collect();
            for function in &functions {
                listed.entry(function.clone()).or_default();
            }
        } else if let Some(mut entry) = line.strip_prefix("- ") {
            // `- `EA`, `EB`: text` lists each of EA and EB.
            while let Some(rest) = entry.strip_prefix('`') {
                let Some((name, after)) = rest.split_once('`') else {
                    break;
                };
                if !(name.starts_with('E')
                    && name
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()))
                {
                    break;
                }
                assert!(
                    !functions.is_empty(),
                    "{}: error `{name}` listed before any `### ` function heading",
                    page.name()
                );
                for function in &functions {
                    listed.get_mut(function).unwrap().insert(name.to_owned());
                }
                entry = after.trim_start_matches([',', ' ']);
            }
        }
    }
    listed
}

/// Every error name libspawn's `Errno` defines.
fn known_errnos() -> BTreeSet<String> {
    errnos_defined(&read(&crate_dir().join("src/errno.rs")))
}

fn errnos_defined(errno_rs: &str) -> BTreeSet<String> {
    errno_rs
        .lines()
        .filter_map(|line| {
            let line = line.trim();
            let (name, value) = line.split_once(" = ")?;
            value.strip_suffix(',')?.parse::<i32>().ok()?;
            Some(name.to_owned())
        })
        .collect()
}

// ---------------------------------------------------------------------------
// ABI values
// ---------------------------------------------------------------------------

/// What each name an `ABI values` table may use stands for.
fn abi_constants() -> BTreeMap<String, u64> {
    let mut map: BTreeMap<String, u64> = SpawnFlags::all()
        .iter_names()
        .map(|(name, flag)| (format!("POSIX_SPAWN_{name}"), u64::from(flag.bits())))
        .collect();
    let u = |v: usize| u64::try_from(v).unwrap();
    let i = |v: i32| u64::try_from(v).unwrap();
    let entries: Vec<(&str, u64)> = vec![
        ("SPAWN_FILE_ACTIONS_MAX", u(abi::DEFAULT_MAX_ACTIONS)),
        ("SPAWN_FILE_ACTIONS_PATH_BYTES", u(abi::DEFAULT_PATH_BYTES)),
        ("SPAWN_OPEN_MAX", i(abi::OPEN_MAX)),
        ("SPAWN_PATH_MAX", u(abi::PATH_MAX)),
        ("OPEN_MAX", i(abi::OPEN_MAX)),
        ("PATH_MAX", u(abi::PATH_MAX)),
        ("NSIG", i(abi::NSIG)),
        ("DEFAULT_MAX_ACTIONS", u(abi::DEFAULT_MAX_ACTIONS)),
        ("DEFAULT_PATH_BYTES", u(abi::DEFAULT_PATH_BYTES)),
        (
            "sizeof(posix_spawnattr_t)",
            u(size_of::<posix_spawnattr_t>()),
        ),
        (
            "alignof(posix_spawnattr_t)",
            u(align_of::<posix_spawnattr_t>()),
        ),
        (
            "sizeof(posix_spawn_file_actions_t)",
            u(size_of::<posix_spawn_file_actions_t>()),
        ),
        (
            "alignof(posix_spawn_file_actions_t)",
            u(align_of::<posix_spawn_file_actions_t>()),
        ),
        ("__SPAWNATTR_SIZE", u(abi::SPAWNATTR_SIZE)),
        ("__SPAWNATTR_ALIGN", u(abi::SPAWNATTR_ALIGN)),
        ("__SPAWN_FILE_ACTIONS_SIZE", u(abi::FILE_ACTIONS_SIZE)),
        ("__SPAWN_FILE_ACTIONS_ALIGN", u(abi::FILE_ACTIONS_ALIGN)),
        ("SCHED_OTHER", i(sched::SCHED_OTHER)),
        ("SCHED_FIFO", i(sched::SCHED_FIFO)),
        ("SCHED_RR", i(sched::SCHED_RR)),
        ("REALTIME_PRIORITY_MIN", i(sched::REALTIME_PRIORITY_MIN)),
        ("REALTIME_PRIORITY_MAX", i(sched::REALTIME_PRIORITY_MAX)),
        ("SIGKILL", i(signal::SIGKILL)),
        ("SIGSTOP", i(signal::SIGSTOP)),
        ("O_CLOEXEC", i(fcntl::O_CLOEXEC)),
        ("FD_CLOEXEC", i(fcntl::FD_CLOEXEC)),
        ("SPAWN_FAILURE_STATUS", i(abi::SPAWN_FAILURE_STATUS)),
        ("sizeof(RawAttr)", u(size_of::<abi::RawAttr>())),
        ("sizeof(ActionRecord)", u(size_of::<abi::ActionRecord>())),
        ("action_kind::OPEN", u64::from(action_kind::OPEN)),
        ("action_kind::CLOSE", u64::from(action_kind::CLOSE)),
        ("action_kind::DUP2", u64::from(action_kind::DUP2)),
        ("action_kind::CHDIR", u64::from(action_kind::CHDIR)),
        ("action_kind::FCHDIR", u64::from(action_kind::FCHDIR)),
        ("action_kind::CLOSEFROM", u64::from(action_kind::CLOSEFROM)),
    ];
    for (name, value) in entries {
        map.insert(name.to_owned(), value);
    }
    map
}

/// The integer `#define`s of spawn.h.
fn header_defines() -> BTreeMap<String, u64> {
    let mut defines = BTreeMap::new();
    for line in read(&crate_dir().join("include/spawn.h")).lines() {
        let mut words = line.split_whitespace();
        if words.next() != Some("#define") {
            continue;
        }
        if let (Some(name), Some(value)) = (words.next(), words.next()) {
            if let Some(value) = parse_number(value) {
                defines.insert(name.to_owned(), value);
            }
        }
    }
    defines
}

fn parse_number(text: &str) -> Option<u64> {
    let text = text.trim().trim_matches('`').replace('_', "");
    match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => text.parse().ok(),
    }
}

/// The `(name, value)` rows of the page's ABI values tables.
fn abi_rows(page: &Page) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    for line in page.section("abi values").lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 4 || !cells[1].starts_with('`') {
            continue;
        }
        rows.push((cells[1].trim_matches('`').to_owned(), cells[2].to_owned()));
    }
    rows
}

// ---------------------------------------------------------------------------
// The checks
// ---------------------------------------------------------------------------

/// Every page has every section.
pub fn every_page_has_every_section() {
    let pages = pages();
    assert!(!pages.is_empty(), "no pages in libspawn/man");
    for page in &pages {
        for section in SECTIONS {
            page.section(section);
        }
    }
}

/// Check 1: every C entry point has one page, declaring it as spawn.h does.
pub fn every_exported_function_has_a_page_with_its_prototype(scope: &Scope) {
    let pages = pages();
    let header = c_declarations(&read(&crate_dir().join("include/spawn.h")));
    for (function, file) in scope.exported() {
        let naming: Vec<&Page> = pages
            .iter()
            .filter(|page| named_functions(page).contains(&function))
            .collect();
        assert_eq!(
            naming.len(),
            1,
            "`{function}` (exported by {}) must be named in the Name section of exactly one page in libspawn/man, found {:?}",
            file.display(),
            naming.iter().map(|p| p.name()).collect::<Vec<_>>()
        );
        let page = naming[0];
        let synopsis = code_blocks(page.section("synopsis"), "c").join("\n");
        let declared = c_declarations(&synopsis);
        let expected = header
            .get(&function)
            .unwrap_or_else(|| panic!("`{function}` is not declared in spawn.h"));
        assert_eq!(
            declared.get(&function),
            Some(expected),
            "{}: the Synopsis must declare `{function}` exactly as spawn.h does",
            page.name()
        );
        assert!(
            listed_errors(page).contains_key(&function),
            "{}: the Errors section has no `### ` heading naming `{function}`",
            page.name()
        );
    }
}

/// Check 1: every Rust function a synopsis names exists.
pub fn every_rust_function_in_a_synopsis_exists() {
    let code = Code::of(&rust_files(&crate_dir().join("src")));
    for page in pages() {
        for block in code_blocks(page.section("synopsis"), "rust") {
            for line in block.lines() {
                for (at, _) in line.match_indices("fn ") {
                    if at > 0 && is_ident(line.as_bytes()[at - 1] as char) {
                        continue;
                    }
                    let name: String = line[at + 3..]
                        .chars()
                        .take_while(|&c| is_ident(c))
                        .collect();
                    assert!(
                        code.fns.contains_key(&name),
                        "{}: the Rust synopsis names `fn {name}`, which libspawn/src does not define",
                        page.name()
                    );
                }
            }
        }
    }
}

/// Check 2: listed errors and the code paths agree.
pub fn every_listed_error_is_in_the_code_path_and_back(scope: &Scope) {
    let exported = scope.exported();
    let known = known_errnos();
    for page in pages() {
        for (function, errors) in listed_errors(&page) {
            if scope.elsewhere.contains(&function.as_str()) && !exported.contains_key(&function) {
                continue;
            }
            let file = exported.get(&function).unwrap_or_else(|| {
                panic!(
                    "{}: the Errors section names `{function}`, which is not an exported C function",
                    page.name()
                )
            });
            for error in &errors {
                assert!(
                    known.contains(error),
                    "{}: `{error}` is not an Errno",
                    page.name()
                );
            }
            let path = error_path(&function, file);
            let not_in_code: Vec<_> = errors.difference(&path.possible).collect();
            assert!(
                not_in_code.is_empty(),
                "{}: lists {not_in_code:?} for `{function}`, but no Errno::NAME for them occurs in its code path ({}). \
                 Remove them from the page, or fix the code.",
                page.name(),
                path.described
            );
            let not_listed: Vec<_> = path.required.difference(&errors).collect();
            assert!(
                not_listed.is_empty(),
                "{}: `{function}` can return {not_listed:?} ({}), but its Errors section does not list them",
                page.name(),
                path.described
            );
        }
    }
}

/// Check 4: every error name is an `Errno`.
pub fn every_error_name_on_a_page_is_an_errno() {
    let known = known_errnos();
    for page in pages() {
        let text = read(&page.path);
        for word in text.split('`').skip(1).step_by(2) {
            let looks_like_errno = word.len() > 2
                && word.starts_with('E')
                && word
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
            assert!(
                !looks_like_errno || known.contains(word),
                "{}: `{word}` is not an error number libspawn defines",
                page.name()
            );
        }
    }
}

/// Check 3: ABI values are the constants.
pub fn every_abi_value_equals_its_constant(scope: &Scope) {
    let mut constants = abi_constants();
    for (name, value) in &scope.extra_constants {
        constants.insert((*name).to_owned(), *value);
    }
    let defines = header_defines();
    for page in pages() {
        let partial = scope.page_is_elsewhere(&page);
        let rows = abi_rows(&page);
        assert!(
            !rows.is_empty(),
            "{}: the ABI values section has no table rows",
            page.name()
        );
        for (name, value) in rows {
            if partial && !constants.contains_key(&name) {
                continue;
            }
            let expected = constants.get(&name).unwrap_or_else(|| {
                panic!(
                    "{}: ABI value `{name}` is not a constant this test knows; add it to abi_constants()",
                    page.name()
                )
            });
            let written = parse_number(&value).unwrap_or_else(|| {
                panic!("{}: `{name}`: cannot read the value {value:?}", page.name())
            });
            assert_eq!(
                written,
                *expected,
                "{}: `{name}` is {expected}, the page says {value}",
                page.name()
            );
            if let Some(defined) = defines.get(&name) {
                assert_eq!(defined, expected, "spawn.h: `{name}`");
            }
        }
    }
}

/// Guards the text-based checks against silently reading nothing.
pub fn the_code_reader_finds_what_it_should() {
    let code = Code::of(&object_files());
    let addopen = code.reach(vec![
        code.root(&capi_path(), "posix_spawn_file_actions_addopen")
    ]);
    let errnos = errnos_of(&addopen);
    let expected: BTreeSet<String> = ["EBADF", "EINVAL", "ENAMETOOLONG", "ENOMEM"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(errnos, expected);
    assert!(code_only("let s = \"Errno::EIO {\"; // Errno::EPERM\n")
        .find("EIO")
        .is_none());
    assert!(
        code_only("#[cfg(test)]\nmod tests { fn f() { Errno::EIO } }\nfn g() {}").contains("fn g")
    );
    assert!(
        !code_only("#[cfg(test)]\nmod tests { fn f() { Errno::EIO } }\nfn g() {}").contains("EIO")
    );
    assert_eq!(
        errnos_defined("    EPERM = 1,\n    ENOENT = 2,\n"),
        BTreeSet::from(["EPERM".to_owned(), "ENOENT".to_owned()])
    );
}
