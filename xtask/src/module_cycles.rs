//! `cargo xtask module-cycles`: no module of a hand-written crate imports one
//! that imports it back, directly or through others.
//!
//! cargo-modules (pinned: [`CARGO_MODULES`]) reads each crate the way
//! rust-analyzer does and prints its graph: modules and items, with an "owns"
//! edge from each to what it declares and a "uses" edge from each module to
//! every item its `use` declarations bring into scope. Its own `--acyclic`
//! cannot serve here: it looks for cycles among items too, where a type and
//! any method taking `self` always make one (it reports
//! `InputField ↔ InputField::fmt`). So this keeps the module's imports only,
//! each mapped to the module that declares the imported item, and asks
//! petgraph for the strongly connected components of that graph: every
//! component of more than one module is a circle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};
use petgraph::algo::tarjan_scc;
use petgraph::graphmap::DiGraphMap;

/// The cargo-modules release whose output this reads: `cargo install --locked
/// cargo-modules@0.27.0` (0.27 is the last release that builds with Rust 1.95).
pub const CARGO_MODULES: &str = "0.27.0";

/// The crates checked, with the cargo-modules flags that select their target.
const CRATES: &[(&str, &[&str])] = &[
    ("logzio-shared-tokens", &["--lib"]),
    ("logzio-shared-tokens-cli", &["--lib"]),
    (
        "logzio-shared-tokens-emulator",
        &["--lib", "--all-features"],
    ),
    ("logzio-codegen", &["--lib", "--all-features"]),
    ("xtask", &["--bin", "xtask"]),
];

/// Checks every crate of [`CRATES`]; fails naming each circle found.
pub fn check(root: &Path) -> anyhow::Result<()> {
    require_pinned_cargo_modules()?;
    let mut circles = Vec::new();
    for (package, selection) in CRATES {
        let dot = module_graph_dot(root, package, selection)?;
        for circle in circles_in(&dot).with_context(|| format!("reading {package}'s graph"))? {
            circles.push(format!("{package}: {}", circle.join(" ⇄ ")));
        }
        println!("{package}: checked");
    }
    if circles.is_empty() {
        println!("no module imports one that imports it back");
        return Ok(());
    }
    bail!(
        "modules that import each other (directly or through the others listed):\n  {}",
        circles.join("\n  ")
    )
}

fn require_pinned_cargo_modules() -> anyhow::Result<()> {
    let output = Command::new("cargo")
        .args(["modules", "--version"])
        .output()
        .context("running `cargo modules --version`")?;
    let version = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() || !version.split_whitespace().any(|word| word == CARGO_MODULES) {
        bail!(
            "cargo-modules {CARGO_MODULES} is needed (found: {:?}); install it with \
             `cargo install --locked cargo-modules@{CARGO_MODULES}`",
            version.trim()
        );
    }
    Ok(())
}

fn module_graph_dot(root: &Path, package: &str, selection: &[&str]) -> anyhow::Result<String> {
    let output = Command::new("cargo")
        .current_dir(root)
        .args(["modules", "dependencies", "--package", package])
        .args(selection)
        .args(["--no-externs", "--no-sysroot", "--layout", "dot"])
        .output()
        .with_context(|| format!("running cargo modules on {package}"))?;
    if !output.status.success() {
        bail!(
            "cargo modules failed on {package}:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    String::from_utf8(output.stdout).with_context(|| format!("cargo modules' output for {package}"))
}

/// The circles among the modules of one crate's graph (cargo-modules' DOT
/// output), each as its modules' paths in order.
fn circles_in(dot: &str) -> anyhow::Result<Vec<Vec<String>>> {
    let mut modules = BTreeSet::new();
    let mut owner = BTreeMap::new();
    let mut uses = Vec::new();
    for line in dot.lines().map(str::trim) {
        let quoted: Vec<&str> = line.split('"').skip(1).step_by(2).collect();
        match (quoted.as_slice(), line.rsplit("// ").next()) {
            ([node, ..], Some("\"mod\" node" | "\"crate\" node")) => {
                modules.insert(*node);
            }
            ([from, to, ..], Some("\"owns\" edge")) => {
                owner.insert(*to, *from);
            }
            ([from, to, ..], Some("\"uses\" edge")) => uses.push((*from, *to)),
            _ => {}
        }
    }
    let mut imports = DiGraphMap::<&str, ()>::new();
    for (from, to) in uses {
        if !modules.contains(from) {
            continue; // an item's signature, not an import
        }
        if let Some(to) = module_of(&modules, &owner, to).filter(|to| *to != from) {
            imports.add_edge(from, to, ());
        }
    }
    // Every checked crate has modules that import each other's items: none read
    // means the output's format moved, and the check would pass vacuously.
    if modules.len() < 2 || imports.edge_count() == 0 {
        bail!(
            "found {} modules and {} imports in cargo-modules' output: has its DOT format changed?",
            modules.len(),
            imports.edge_count()
        );
    }
    let mut circles: Vec<Vec<String>> = tarjan_scc(&imports)
        .into_iter()
        .filter(|component| component.len() > 1)
        .map(|component| {
            let mut names: Vec<String> = component.iter().map(|m| (*m).to_owned()).collect();
            names.sort();
            names
        })
        .collect();
    circles.sort();
    Ok(circles)
}

/// The module that declares `item` (itself, for a module), following the
/// "owns" edges up; `None` for an item of another crate.
fn module_of<'a>(
    modules: &BTreeSet<&'a str>,
    owner: &BTreeMap<&'a str, &'a str>,
    mut item: &'a str,
) -> Option<&'a str> {
    while !modules.contains(item) {
        item = owner.get(item)?;
    }
    Some(item)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(path: &str, kind: &str) -> String {
        format!("    \"{path}\" [label=\"x\"]; // \"{kind}\" node\n")
    }

    fn edge(from: &str, to: &str, kind: &str) -> String {
        format!("    \"{from}\" -> \"{to}\" [label=\"{kind}\"]; // \"{kind}\" edge\n")
    }

    #[test]
    fn an_import_back_is_a_circle_and_signatures_are_not_imports() {
        let mut dot = String::from("digraph {\n");
        dot += &node("c", "crate");
        for module in ["c::a", "c::b", "c::leaf"] {
            dot += &node(module, "mod");
        }
        dot += &node("c::a::A", "struct");
        dot += &node("c::a::A::method", "fn");
        dot += &node("c::b::B", "struct");
        dot += &node("c::leaf::L", "struct");
        for (from, to) in [
            ("c", "c::a"),
            ("c", "c::b"),
            ("c", "c::leaf"),
            ("c::a", "c::a::A"),
        ] {
            dot += &edge(from, to, "owns");
        }
        dot += &edge("c::a::A", "c::a::A::method", "owns");
        dot += &edge("c::b", "c::b::B", "owns");
        dot += &edge("c::leaf", "c::leaf::L", "owns");
        // a and b import each other; both import the leaf; a method's
        // signature (item to item) is no import.
        dot += &edge("c::a", "c::b::B", "uses");
        dot += &edge("c::b", "c::a::A", "uses");
        dot += &edge("c::a", "c::leaf::L", "uses");
        dot += &edge("c::b", "c::leaf::L", "uses");
        dot += &edge("c::a::A::method", "c::a::A", "uses");
        dot += "}\n";
        assert_eq!(
            circles_in(&dot).unwrap(),
            vec![vec!["c::a".to_owned(), "c::b".to_owned()]]
        );

        let without_the_import_back = dot.replace(&edge("c::b", "c::a::A", "uses"), "");
        assert!(circles_in(&without_the_import_back).unwrap().is_empty());
        assert!(
            circles_in("digraph {}").is_err(),
            "an unreadable graph is not a pass"
        );
    }
}
