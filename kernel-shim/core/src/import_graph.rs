//! The crate's import graph has no circle: its modules form layers, each
//! importing only from the ones below.
//!
//! The graph is read from the sources: every `crate::name` path in code
//! (a `use crate::...` line, a `use crate::{a, b}` block, or a path written
//! inline) is an edge from the top-level module the file belongs to, to
//! `name` (or, for a name the crate root re-exports, to the module it comes
//! from). Comments and test code (`tests.rs`, `tests_*.rs`, `testutil.rs`,
//! and `#[cfg(test)] mod tests` blocks) are left out: the graph is the one
//! the kernel ships. The reading and the circle search are
//! [`crate::import_paths`]'s, shared with kernel-shim's test.

use crate::import_paths::{crate_paths, find_circle, rust_files, shipped_code, Graph};
use std::collections::BTreeMap;
use std::path::Path;
use std::string::{String, ToString};
use std::vec::Vec;

/// Whether `file` (a path below `src`) holds only test code.
pub(crate) fn is_test_file(file: &Path) -> bool {
    let name = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    name == "tests"
        || name.starts_with("tests_")
        || name == "testutil"
        || name == "import_graph"
        || name == "import_paths"
        || name == "allocation_rule"
}

/// The first path segments named after `crate::` in `code`: the
/// top-level modules it imports.
fn crate_targets(code: &str) -> Vec<String> {
    crate_paths(code)
        .into_iter()
        .filter_map(|path| path.into_iter().next())
        .collect()
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
    for (path, relative) in rust_files(src) {
        if relative == Path::new("lib.rs") || is_test_file(&path) {
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
    graph
}

#[test]
fn shim_core_modules_import_each_other_without_a_circle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = crate_graph(&src);
    assert!(graph.contains_key("system") && graph.contains_key("pipe"));
    assert_eq!(find_circle(&graph), None, "import graph: {graph:?}");
}

#[test]
fn grouped_and_inline_crate_paths_are_both_edges() {
    let code = shipped_code(
        "use crate::{io::Io, pipe};\nlet x = crate::slab::Slab::new(1); // crate::vfs\n",
    );
    assert_eq!(crate_targets(&code), ["io", "pipe", "slab"]);
}
