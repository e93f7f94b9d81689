//! The crate's import graph has no circle: its modules form layers, each
//! importing only from the ones below.
//!
//! The graph is read from the sources: every `crate::name` path in code
//! (a `use crate::...` line, a `use crate::{a, b}` block, or a path written
//! inline) is an edge from the top-level module the file belongs to, to
//! `name` (or, for a name the crate root re-exports, to the module it comes
//! from). Comments and test code (`tests.rs`, `tests_*.rs`, `testutil.rs`,
//! and `#[cfg(test)] mod tests` blocks) are left out: the graph is the one
//! the kernel ships.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::string::{String, ToString};
use std::vec::Vec;

/// Modules and the modules each imports.
type Graph = BTreeMap<String, BTreeSet<String>>;

/// Whether `file` (a path below `src`) holds only test code.
pub(crate) fn is_test_file(file: &Path) -> bool {
    let name = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    name == "tests"
        || name.starts_with("tests_")
        || name == "testutil"
        || name == "import_graph"
        || name == "allocation_rule"
}

/// The code of `source` without comments and without its trailing
/// `#[cfg(test)] mod tests` block.
pub(crate) fn shipped_code(source: &str) -> String {
    let mut code = String::new();
    let mut lines = source.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim();
        if trimmed == "#[cfg(test)]"
            && lines
                .peek()
                .is_some_and(|next| next.trim().starts_with("mod tests {"))
        {
            break;
        }
        let without_comment = match trimmed.find("//") {
            Some(at) => &trimmed[..at],
            None => trimmed,
        };
        code.push_str(without_comment);
        code.push('\n');
    }
    code
}

/// Whether `c` may appear in a Rust identifier.
fn ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The first path segments named after `crate::` in `code`, including
/// each member of a `crate::{a, b::c}` group.
fn crate_targets(code: &str) -> Vec<String> {
    let mut targets = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let before = code[..at].chars().next_back();
        if before.is_some_and(ident_char) {
            continue; // `libspawn_crate::` or similar, not this crate
        }
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for member in group.split(',') {
                let name: String = member
                    .trim()
                    .chars()
                    .take_while(|&c| ident_char(c))
                    .collect();
                if !name.is_empty() {
                    targets.push(name);
                }
            }
        } else {
            let name: String = rest.chars().take_while(|&c| ident_char(c)).collect();
            if !name.is_empty() {
                targets.push(name);
            }
        }
    }
    targets
}

/// The modules the crate root re-exports names from: `pub use m::Name;`
/// makes `crate::Name` an import of `m`.
fn reexports(lib: &str) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    for line in lib.lines() {
        let Some(path) = line
            .trim()
            .strip_prefix("pub use ")
            .and_then(|rest| rest.strip_suffix(';'))
        else {
            continue;
        };
        let segments: Vec<&str> = path.split("::").collect();
        if let (Some(first), Some(last)) = (segments.first(), segments.last()) {
            names.insert(last.to_string(), first.to_string());
        }
    }
    names
}

/// The import graph of the crate under `src`.
fn crate_graph(src: &Path) -> Graph {
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("lib.rs");
    let names = reexports(&lib);
    let mut graph = Graph::new();
    let mut pending = vec![src.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable source folder") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let relative = path.strip_prefix(src).expect("below src");
            if path.extension().and_then(|e| e.to_str()) != Some("rs")
                || relative == Path::new("lib.rs")
                || is_test_file(&path)
            {
                continue;
            }
            let first = relative.components().next().expect("a component");
            let module = Path::new(first.as_os_str())
                .file_stem()
                .and_then(|s| s.to_str())
                .expect("a UTF-8 module name")
                .to_string();
            let source = std::fs::read_to_string(&path).expect("readable source");
            let imports = graph.entry(module.clone()).or_default();
            for target in crate_targets(&shipped_code(&source)) {
                let target = names.get(&target).cloned().unwrap_or(target);
                if target != module {
                    imports.insert(target);
                }
            }
        }
    }
    graph
}

/// A circle in `graph`, as the list of modules along it, if there is one.
fn find_circle(graph: &Graph) -> Option<Vec<String>> {
    /// Depth-first search from `module`; `path` is the current route.
    fn visit(
        graph: &Graph,
        module: &str,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|m| m == module) {
            let mut circle = path[at..].to_vec();
            circle.push(module.to_string());
            return Some(circle);
        }
        if done.contains(module) {
            return None;
        }
        path.push(module.to_string());
        for next in graph.get(module).into_iter().flatten() {
            if let Some(circle) = visit(graph, next, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        done.insert(module.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|module| visit(graph, module, &mut Vec::new(), &mut done))
}

#[test]
fn shim_core_modules_import_each_other_without_a_circle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = crate_graph(&src);
    assert!(graph.contains_key("system") && graph.contains_key("pipe"));
    assert_eq!(find_circle(&graph), None, "import graph: {graph:?}");
}

#[test]
fn a_circle_through_three_modules_is_found() {
    let mut graph = Graph::new();
    for (from, to) in [("a", "b"), ("b", "c"), ("c", "a"), ("d", "a")] {
        graph
            .entry(from.to_string())
            .or_default()
            .insert(to.to_string());
    }
    let circle = find_circle(&graph).expect("a circle");
    assert_eq!(circle.first(), circle.last());
    assert_eq!(circle.len(), 4);
    graph.get_mut("c").expect("c").clear();
    assert_eq!(find_circle(&graph), None);
}

#[test]
fn grouped_and_inline_crate_paths_are_both_edges() {
    let code = shipped_code(
        "use crate::{io::Io, pipe};\nlet x = crate::slab::Slab::new(1); // crate::vfs\n",
    );
    assert_eq!(crate_targets(&code), ["io", "pipe", "slab"]);
}
