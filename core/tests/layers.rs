//! The core's layers point down (issue 15, `ARCHITECTURE.md`): a module may use modules of its
//! own layer or of layers below it, never above, and no modules use each other in a circle. The
//! layers, bottom up:
//!
//! 0. base: error, name, hashing, bundled examples
//! 1. schema: the documents as data (the spec, the wire types of requests)
//! 2. model: the validated inventory, what enablement decided, the pure engines (ipam, placement)
//! 3. state: the mutable world (state records, loads, address pools) and `World`
//! 4. domain: control_plane, quota, workloads, tkg, hosts, network, rebalance, ha
//! 5. facade: supervisor, ops (`execute`)
//! 6. views: report, render, vcenter
//! 7. studies: sizing (many candidate Supervisors, built through the facade)
//!
//! Uses are read from the source text (`crate::module` paths outside comments and
//! `#[cfg(test)]` code); `lib.rs`, the crate root, re-exports every layer and is not read.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each top-level module of `core/src` and its layer.
const LAYERS: &[(&str, u8)] = &[
    ("base", 0),
    ("error", 0),
    ("name", 0),
    ("hashing", 0),
    ("bundled", 0),
    ("schema", 1),
    ("spec", 1), // `crate::spec` is `schema::spec`, re-exported at its old path
    ("inventory", 2),
    ("model", 2),
    ("state", 3),
    ("ipam", 2),
    ("placement", 2),
    ("domain", 4),
    ("control_plane", 4),
    ("quota", 4),
    ("workloads", 4),
    ("tkg", 4),
    ("hosts", 4),
    ("network", 4),
    ("ha", 4),
    ("rebalance", 4),
    ("supervisor", 5),
    ("ops", 5),
    ("views", 6),
    ("report", 6),
    ("render", 6),
    ("vcenter", 6),
    ("studies", 7),
    ("sizing", 7),
];

fn layer(module: &str) -> u8 {
    LAYERS
        .iter()
        .find(|(m, _)| *m == module)
        .unwrap_or_else(|| {
            panic!("module `{module}` has no layer: add it to LAYERS in core/tests/layers.rs")
        })
        .1
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without comments and without its `#[cfg(test)]` tail.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    text.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules a piece of code uses through `crate::` (also inside `use crate::{..}`).
fn uses(code: &str, modules: &BTreeSet<&str>) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        // `crate::domain::quota::X` is a use of `quota`: step over the layer folders.
        let after_folder = FOLDERS
            .iter()
            .find_map(|f| after.strip_prefix(f).and_then(|r| r.strip_prefix("::")))
            .filter(|r| modules.contains(path_head(r).as_str()));
        let after = after_folder.unwrap_or(after);
        if let Some(group) = after.strip_prefix('{') {
            let end = group
                .find("};")
                .or_else(|| group.find('}'))
                .unwrap_or(group.len());
            for item in group[..end].split(|c: char| c == ',' || c == '{' || c.is_whitespace()) {
                let name = item.split("::").next().unwrap_or("");
                if modules.contains(name) && item.contains("::") || modules.contains(item) {
                    found.insert(name.to_string());
                }
            }
        } else {
            let name = path_head(after);
            if modules.contains(name.as_str()) {
                found.insert(name);
            }
        }
        rest = after;
    }
    found
}

/// The first segment of a path.
fn path_head(path: &str) -> String {
    path.chars()
        .take_while(|c| c.is_ascii_lowercase() || *c == '_')
        .collect()
}

/// Folders of `core/src` that group a layer's modules: a file under one of them belongs to the
/// module its next path segment names (`domain/ha/failure.rs` to `ha`; `mod.rs` to the folder).
const FOLDERS: &[&str] = &["base", "domain", "model", "supervisor", "views", "studies"];

/// The module a file of `core/src` belongs to, from its path (`domain/quota.rs` → `quota`).
fn module_of(rel: &str) -> String {
    let mut parts = rel.split('/');
    let first = parts.next().unwrap().trim_end_matches(".rs");
    match parts.next() {
        Some(second) if FOLDERS.contains(&first) => {
            let second = second.trim_end_matches(".rs");
            if second == "mod" { first } else { second }.to_string()
        }
        _ => first.to_string(),
    }
}

/// Every use of one top-level module by another: `(from, to)` → the files that make it.
fn all_uses() -> BTreeMap<(String, String), Vec<String>> {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules: BTreeSet<&str> = LAYERS.iter().map(|(m, _)| *m).collect();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut graph: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for file in files {
        let rel = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel == "lib.rs" {
            continue;
        }
        let module = module_of(&rel);
        let module = alias(&module);
        let text = std::fs::read_to_string(&file).unwrap();
        for used in uses(&code(&text), &modules) {
            let used = alias(&used);
            if used != module {
                graph
                    .entry((module.to_string(), used.to_string()))
                    .or_default()
                    .push(rel.clone());
            }
        }
    }
    graph
}

/// `spec` is `schema::spec` under its old path.
fn alias(module: &str) -> &str {
    if module == "spec" {
        "schema"
    } else {
        module
    }
}

#[test]
fn modules_use_only_their_own_layer_and_the_layers_below() {
    let upward: Vec<String> = all_uses()
        .into_iter()
        .filter(|((from, to), _)| layer(to) > layer(from))
        .map(|((a, b), files)| {
            format!(
                "{a} (layer {}) uses {b} (layer {}) in {}",
                layer(&a),
                layer(&b),
                files.join(", ")
            )
        })
        .collect();
    assert!(
        upward.is_empty(),
        "upward uses (a layer may use only its own and the layers below):\n{}",
        upward.join("\n")
    );
}

#[test]
fn the_use_reader_sees_plain_paths_groups_and_folders_but_not_comments() {
    let modules: BTreeSet<&str> = ["ha", "spec", "quota", "ops"].into_iter().collect();
    let text = "use crate::spec::X;\nuse crate::{ha::{A, B}, quota};\n// crate::ops::Y\nfn f() { crate::spec::g() }\nuse crate::domain::ha::Z;";
    let got = uses(&code(text), &modules);
    assert_eq!(
        got,
        ["ha", "quota", "spec"]
            .into_iter()
            .map(String::from)
            .collect()
    );
}

#[test]
fn modules_form_no_circle() {
    let graph = all_uses();
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (from, to) in graph.keys() {
        next.entry(from.as_str()).or_default().push(to.as_str());
    }
    // Depth-first search for a back edge; report the circle it closes.
    fn visit<'a>(
        m: &'a str,
        next: &BTreeMap<&'a str, Vec<&'a str>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<&'a str>> {
        if let Some(at) = path.iter().position(|p| *p == m) {
            let mut circle = path[at..].to_vec();
            circle.push(m);
            return Some(circle);
        }
        if !done.insert(m) {
            return None;
        }
        path.push(m);
        for &n in next.get(m).into_iter().flatten() {
            if let Some(c) = visit(n, next, path, done) {
                return Some(c);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    for &m in next.keys() {
        let mut path = Vec::new();
        if let Some(circle) = visit(m, &next, &mut path, &mut done) {
            panic!(
                "modules use each other in a circle: {}",
                circle.join(" -> ")
            );
        }
    }
}

#[test]
fn files_belong_to_the_module_their_path_names() {
    assert_eq!(module_of("domain/ha/failure.rs"), "ha");
    assert_eq!(module_of("domain/quota.rs"), "quota");
    assert_eq!(module_of("supervisor/mod.rs"), "supervisor");
    assert_eq!(module_of("supervisor/ops.rs"), "ops");
    assert_eq!(module_of("placement/index.rs"), "placement");
    assert_eq!(module_of("model/inventory.rs"), "inventory");
}
