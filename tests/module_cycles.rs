//! No module depends on itself through others, in the core or in the app: a cycle is where
//! a "leaf" helper has grown a dependency back (the JSON string writer and the plan, the
//! state and the lint worker). The test reads the sources as text: a module's dependencies are
//! the modules its `crate::…` and `super::…` paths name (comments and `#[cfg(test)]` code left
//! out); a parent naming its own children is structure, not a dependency, and is not counted.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module path (`plan::expand`) → its code ([`code_of`]).
fn modules(root: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "bin") {
                    dirs.push(path);
                }
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(root).unwrap().with_extension("");
            let name = relative
                .to_string_lossy()
                .replace("/mod", "")
                .replace('/', "::");
            if matches!(name.as_str(), "lib" | "main") || name.ends_with("tests") {
                continue;
            }
            out.insert(name, code_of(&std::fs::read_to_string(&path).unwrap()));
        }
    }
    out
}

/// A module's code: its text without comment lines and without its `#[cfg(test)]` part.
fn code_of(text: &str) -> String {
    let code = text.split("#[cfg(test)]").next().unwrap_or("");
    let lines: Vec<&str> = code
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect();
    lines.join("\n")
}

/// The words of a path after `prefix` (`crate::plan::emr::X` → `[plan, emr, X]`), for every
/// place `prefix` stands in `code`, with `{a, b}` groups spread out.
fn paths_after<'a>(code: &'a str, prefix: &str) -> Vec<Vec<&'a str>> {
    let mut out = Vec::new();
    for (at, _) in code.match_indices(prefix) {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let rest = &code[at + prefix.len()..];
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(rest.len());
        let head: Vec<&str> = rest[..end].split("::").filter(|p| !p.is_empty()).collect();
        if rest[end..].starts_with('{') {
            let group = &rest[end + 1..rest[end..].find('}').map_or(rest.len(), |i| end + i)];
            for item in group.split(',') {
                let mut path = head.clone();
                path.extend(item.trim().split("::").filter(|p| !p.is_empty()));
                out.push(path);
            }
        } else {
            out.push(head);
        }
    }
    out
}

fn dependencies(modules: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let longest_module = |words: &[&str]| {
        (1..=words.len())
            .rev()
            .map(|k| words[..k].join("::"))
            .find(|m| modules.contains_key(m))
    };
    let mut out = BTreeMap::new();
    for (name, code) in modules {
        let parent: Vec<&str> = name.split("::").collect();
        let parent = &parent[..parent.len() - 1];
        let mut deps = BTreeSet::new();
        for path in paths_after(code, "crate::") {
            deps.extend(longest_module(&path));
        }
        for path in paths_after(code, "super::") {
            let mut words = parent.to_vec();
            words.extend(path);
            deps.extend(longest_module(&words));
        }
        deps.remove(name);
        out.insert(name.clone(), deps);
    }
    out
}

/// A cycle, as the modules along it, if there is one.
fn find_cycle(deps: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        deps: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == node) {
            let mut cycle = path[i..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in deps.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, deps, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    deps.keys()
        .find_map(|m| visit(m, deps, &mut Vec::new(), &mut done))
}

fn assert_no_cycle(root: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(root);
    let modules = modules(&root);
    assert!(
        modules.len() > 10,
        "no sources read under {}",
        root.display()
    );
    let deps = dependencies(&modules);
    if let Some(cycle) = find_cycle(&deps) {
        panic!(
            "{}: modules depend on each other in a cycle: {}",
            root.display(),
            cycle.join(" → ")
        );
    }
}

#[test]
fn the_core_has_no_module_cycle() {
    assert_no_cycle("crates/backfill-spec/src");
}

#[test]
fn the_app_has_no_module_cycle() {
    assert_no_cycle("src");
}

#[test]
fn a_cycle_is_found() {
    let modules: BTreeMap<String, String> = [
        ("a", "use crate::b::thing;"),
        ("b", "fn f() { crate::c::g() }"),
        ("c", "use super::{a, d};"),
        ("d", "// crate::a in a comment is no dependency"),
    ]
    .into_iter()
    .map(|(n, c)| (n.to_owned(), code_of(c)))
    .collect();
    let deps = dependencies(&modules);
    assert!(deps["d"].is_empty());
    assert_eq!(find_cycle(&deps).unwrap(), ["a", "b", "c", "a"]);
}
