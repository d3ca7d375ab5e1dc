//! Every checked-in fuzz input, replayed on stable Rust with the same check
//! the fuzz target runs: the seed corpora, what fuzzing kept, and every
//! input that once broke a promise (`fuzz/regressions/`). CI runs these on
//! every change, with or without a nightly toolchain.

use std::path::PathBuf;

use logzio_hostile_input::corpus::{TARGETS, Target, corpus_dir, files_in, regressions_dir};
use logzio_hostile_input::seeds;

fn target(name: &str) -> Target {
    match TARGETS.iter().find(|target| target.name == name) {
        Some(target) => *target,
        None => panic!("no fuzz target {name}"),
    }
}

fn inputs(name: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in [corpus_dir(name), regressions_dir(name)] {
        match files_in(&dir) {
            Ok(found) => files.extend(found),
            Err(error) => panic!("cannot list {}: {error}", dir.display()),
        }
    }
    files
}

fn replay(name: &str) {
    let target = target(name);
    let files = inputs(name);
    assert!(!files.is_empty(), "no corpus for {name} in fuzz/corpus");
    for file in files {
        let bytes = match std::fs::read(&file) {
            Ok(bytes) => bytes,
            Err(error) => panic!("cannot read {}: {error}", file.display()),
        };
        // Printed only if the check panics: names the input to reproduce.
        println!("replaying {}", file.display());
        (target.check)(&bytes);
    }
}

#[test]
fn spec_corpus_keeps_its_promises() {
    replay("spec");
}

#[test]
fn decode_corpus_keeps_its_promises() {
    replay("decode");
}

#[test]
fn apply_file_corpus_keeps_its_promises() {
    replay("apply_file");
}

#[test]
fn emulator_http_corpus_keeps_its_promises() {
    replay("emulator_http");
}

#[test]
fn every_seed_is_checked_in() {
    for (name, seeds) in seeds::all() {
        for (seed, bytes) in seeds {
            let path = corpus_dir(name).join(format!("seed-{seed}"));
            let checked_in = std::fs::read(&path).unwrap_or_default();
            assert!(
                checked_in == bytes,
                "{} is missing or stale: run `cargo run -p logzio-hostile-input --example write_seeds`",
                path.display()
            );
        }
    }
}

#[test]
fn every_target_has_a_fuzz_binary() {
    for target in TARGETS {
        let source = logzio_hostile_input::corpus::workspace_root()
            .join("fuzz/fuzz_targets")
            .join(format!("{}.rs", target.name));
        let text = std::fs::read_to_string(&source).unwrap_or_default();
        assert!(
            text.contains(&format!("logzio_hostile_input::{}::check", target.name)),
            "{} does not call the shared check",
            source.display()
        );
    }
}
