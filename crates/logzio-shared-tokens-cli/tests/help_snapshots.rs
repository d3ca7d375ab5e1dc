//! The `--help` of every command, as the binary prints it, compared with
//! the reviewed copies in `tests/snapshots/help/`. After an intended change:
//! `UPDATE_HELP_SNAPSHOTS=1 cargo test -p logzio-shared-tokens-cli --test help_snapshots`
//! and review the diff.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::PathBuf;

use clap::CommandFactory;
use logzio_shared_tokens_cli::Cli;

/// Every command path: [], ["tokens"], ["tokens", "list"], …
fn command_paths() -> Vec<Vec<String>> {
    fn walk(command: &clap::Command, prefix: &[String], out: &mut Vec<Vec<String>>) {
        out.push(prefix.to_vec());
        for sub in command.get_subcommands() {
            if sub.get_name() == "help" {
                continue;
            }
            let mut path = prefix.to_vec();
            path.push(sub.get_name().to_owned());
            walk(sub, &path, out);
        }
    }
    let mut out = Vec::new();
    walk(&Cli::command(), &[], &mut out);
    out
}

fn snapshot_file(path: &[String]) -> PathBuf {
    let name = if path.is_empty() {
        "logzio-shared-tokens".to_owned()
    } else {
        path.join("-")
    };
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots/help")
        .join(format!("{name}.txt"))
}

#[test]
fn help_of_every_command_matches_its_snapshot() {
    let update = std::env::var_os("UPDATE_HELP_SNAPSHOTS").is_some();
    let paths = command_paths();
    assert!(paths.len() >= 18, "{paths:?}");
    let mut mismatches = Vec::new();
    for path in &paths {
        let mut command = support::bare_cli();
        for (name, _) in std::env::vars() {
            if name.starts_with("LOGZIO_") {
                command.env_remove(name);
            }
        }
        let output = command.args(path).arg("--help").output().unwrap();
        assert!(output.status.success(), "{path:?} --help failed");
        let help = String::from_utf8(output.stdout).unwrap();
        let file = snapshot_file(path);
        if update {
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(&file, &help).unwrap();
            continue;
        }
        match std::fs::read_to_string(&file) {
            Ok(expected) if expected == help => {}
            Ok(_) => mismatches.push(format!("{} differs", file.display())),
            Err(_) => mismatches.push(format!("{} is missing", file.display())),
        }
    }
    // A snapshot for a command that no longer exists is stale.
    let expected: Vec<PathBuf> = paths.iter().map(|p| snapshot_file(p)).collect();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/help");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let file = entry.unwrap().path();
        if !expected.contains(&file) {
            mismatches.push(format!("{} belongs to no command", file.display()));
        }
    }
    assert!(
        mismatches.is_empty(),
        "help snapshots out of date (rerun with UPDATE_HELP_SNAPSHOTS=1 and review the diff):\n  {}",
        mismatches.join("\n  ")
    );
}
