//! Reading a crate's imports from its sources, and finding a circle in
//! the graph they make: the parts shared by shim-core's import-graph test
//! and kernel-shim's (which includes this file with `#[path]`).
//!
//! A path is every `crate::...` in code: a `use crate::...` line, a
//! `use crate::{a, b::{c, d}}` group (each member a path of its own), or a
//! path written inline. Comments and a file's trailing
//! `#[cfg(test)] mod tests` block are left out: the graph is the one that
//! ships.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::string::{String, ToString};
use std::vec;
use std::vec::Vec;

/// Modules (or files) and the ones each imports.
pub type Graph = BTreeMap<String, BTreeSet<String>>;

/// The code of `source` without comments and without its trailing
/// `#[cfg(test)] mod tests` block.
pub fn shipped_code(source: &str) -> String {
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

/// Every `.rs` file below `src`, with its path relative to `src`.
pub fn rust_files(src: &Path) -> Vec<(PathBuf, PathBuf)> {
    let mut files = Vec::new();
    let mut pending = vec![src.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable source folder") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().and_then(|e| e.to_str()) == Some("rs") {
                let relative = path.strip_prefix(src).expect("below src").to_path_buf();
                files.push((path, relative));
            }
        }
    }
    files
}

/// Whether `c` may appear in a Rust identifier.
fn ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The paths (segments after `crate::`) that `text`, which follows a
/// `crate::` or a `{` group's `prefix::`, names: one path, or one per
/// member of a group, groups nested to any depth.
fn paths_after(prefix: &[String], text: &str, paths: &mut Vec<Vec<String>>) {
    let mut path = prefix.to_vec();
    let mut rest = text;
    loop {
        let rest_trimmed = rest.trim_start();
        if let Some(group) = rest_trimmed.strip_prefix('{') {
            let mut depth = 0;
            let mut start = 0;
            for (at, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        paths_after(&path, &group[start..at], paths);
                        return;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        paths_after(&path, &group[start..at], paths);
                        start = at + 1;
                    }
                    _ => {}
                }
            }
            return;
        }
        let name: String = rest_trimmed
            .chars()
            .take_while(|&c| ident_char(c))
            .collect();
        if name.is_empty() || name == "self" {
            break;
        }
        rest = &rest_trimmed[name.len()..];
        path.push(name);
        match rest.strip_prefix("::") {
            Some(after) => rest = after,
            None => break,
        }
    }
    if path.len() > prefix.len() || !prefix.is_empty() {
        paths.push(path);
    }
}

/// Every path `code` names after `crate::`, each as its segments.
pub fn crate_paths(code: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let before = code[..at].chars().next_back();
        if before.is_some_and(ident_char) {
            continue; // `libspawn_crate::` or similar, not this crate
        }
        paths_after(&[], &code[at + "crate::".len()..], &mut paths);
    }
    paths.retain(|path| !path.is_empty());
    paths
}

/// A circle in `graph`, as the list of modules along it, if there is one.
pub fn find_circle(graph: &Graph) -> Option<Vec<String>> {
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
fn nested_groups_and_inline_paths_are_all_read() {
    let code = shipped_code(
        "use crate::{io::Io, arch::{gdt, time::now}, pipe};\n\
         let x = crate::slab::Slab::new(1); // crate::vfs\n\
         use crate::mm::{self as memory};\n",
    );
    let joined: Vec<String> = crate_paths(&code).iter().map(|p| p.join("::")).collect();
    assert_eq!(
        joined,
        [
            "io::Io",
            "arch::gdt",
            "arch::time::now",
            "pipe",
            "slab::Slab::new",
            "mm"
        ]
    );
}
