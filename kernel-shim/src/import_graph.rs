//! The kernel's files import each other without a circle, and its layers
//! only downward: [`crate::arch`] imports neither [`crate::mm`] nor
//! [`crate::sys`], and `mm` does not import `sys`.
//!
//! The graph is read from the sources with shim-core's reader
//! (`core/src/import_paths.rs`): every `crate::...` (and `super::...`)
//! path in code is an edge from the file to the file of the longest
//! module the path names. `main.rs`, which puts the layers together at
//! boot, and the test files are left out.

use crate::import_paths::{crate_paths, find_circle, rust_files, shipped_code, Graph};
use std::path::Path;
use std::string::{String, ToString};
use std::vec::Vec;

/// The layers, lowest first.
const LAYERS: [&str; 3] = ["arch", "mm", "sys"];

/// Test files, left out of the graph.
const TEST_FILES: [&str; 1] = ["import_graph"];

/// The module path (`arch::trap`, `mm`) of each source file below `src`,
/// with the file's code.
fn modules(src: &Path) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (path, relative) in rust_files(src) {
        let mut segments: Vec<String> = relative
            .with_extension("")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().to_string())
            .collect();
        if segments.last().is_some_and(|last| last == "mod") {
            segments.pop();
        }
        let module = segments.join("::");
        if module == "main" || TEST_FILES.contains(&module.as_str()) {
            continue;
        }
        let source = std::fs::read_to_string(&path).expect("readable source");
        found.push((module, source));
    }
    found
}

/// The file-level import graph of the kernel under `src`.
fn kernel_graph(src: &Path) -> Graph {
    let modules = modules(src);
    let known: Vec<&str> = modules.iter().map(|(m, _)| m.as_str()).collect();
    let mut graph = Graph::new();
    for (module, source) in &modules {
        let parent = match module.rsplit_once("::") {
            Some((parent, _)) => format!("crate::{parent}::"),
            None => "crate::".to_string(),
        };
        let is_folder = src.join(module.replace("::", "/")).is_dir();
        let code = shipped_code(source);
        let code = if is_folder {
            code.replace("super::", "crate::")
        } else {
            code.replace("super::", &parent)
        };
        let imports = graph.entry(module.clone()).or_default();
        for path in crate_paths(&code) {
            let target = (1..=path.len())
                .rev()
                .map(|len| path[..len].join("::"))
                .find(|candidate| known.contains(&candidate.as_str()));
            if let Some(target) = target.filter(|target| target != module) {
                imports.insert(target);
            }
        }
    }
    graph
}

/// The layer `module` belongs to (its index in [`LAYERS`]).
fn layer(module: &str) -> Option<usize> {
    let first = module.split("::").next()?;
    LAYERS.iter().position(|&layer| layer == first)
}

/// Every import that runs from a lower layer up to a higher one.
fn upward_imports(graph: &Graph) -> Vec<(String, String)> {
    let mut upward = Vec::new();
    for (from, targets) in graph {
        for to in targets {
            if let (Some(low), Some(high)) = (layer(from), layer(to)) {
                if high > low {
                    upward.push((from.clone(), to.clone()));
                }
            }
        }
    }
    upward
}

fn source_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn kernel_files_import_each_other_without_a_circle() {
    let graph = kernel_graph(&source_dir());
    assert!(graph.contains_key("arch::trap") && graph.contains_key("sys::spawn_child"));
    assert!(graph["sys::spawn_child"].contains("mm::loader"));
    assert_eq!(find_circle(&graph), None, "import graph: {graph:#?}");
}

#[test]
fn kernel_layers_import_only_downward() {
    let graph = kernel_graph(&source_dir());
    assert_eq!(upward_imports(&graph), Vec::new());
}

#[test]
fn an_import_from_arch_up_into_sys_is_found() {
    let mut graph = Graph::new();
    for (from, to) in [("arch::trap", "sys::entry"), ("sys::entry", "mm::loader")] {
        graph
            .entry(from.to_string())
            .or_default()
            .insert(to.to_string());
    }
    assert_eq!(
        upward_imports(&graph),
        [("arch::trap".to_string(), "sys::entry".to_string())]
    );
}

#[test]
fn every_system_call_file_forbids_unsafe_code() {
    for (module, source) in modules(&source_dir()) {
        if layer(&module) == Some(2) {
            assert!(
                source.contains("#![forbid(unsafe_code)]"),
                "{module} does not forbid unsafe code"
            );
        }
    }
}
