//! The `--help` of every command, as the binary prints it, compared with
//! the reviewed copies in `tests/snapshots/help/` by snapbox, which prints a
//! diff for each one that differs. After an intended change:
//! `SNAPSHOTS=overwrite cargo test -p logzio-shared-tokens-cli --test help_snapshots`
//! and review `git diff`.

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
    let assert = snapbox::Assert::new()
        .action_env(snapbox::assert::DEFAULT_ACTION_ENV)
        // Help text is compared as it is: no `[..]` wildcards, no path redactions.
        .redact_with(snapbox::Redactions::new());
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
        // Help is wrapped to the terminal's width; the pipe here has none, so clap reads
        // COLUMNS: fixed at the widest help is ever wrapped to (max_term_width).
        let output = command
            .env("COLUMNS", "100")
            .args(path)
            .arg("--help")
            .output()
            .unwrap();
        assert!(output.status.success(), "{path:?} --help failed");
        let help = String::from_utf8(output.stdout).unwrap();
        let file = snapshot_file(path);
        let expected = snapbox::Data::read_from(&file, None);
        let name = format!("`{}` --help", path.join(" "));
        if let Err(error) = assert.try_eq(Some(&name), help.into(), expected) {
            mismatches.push(error.to_string());
        }
    }
    // A snapshot for a command that no longer exists is stale.
    let expected: Vec<PathBuf> = paths.iter().map(|p| snapshot_file(p)).collect();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/help");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let file = entry.unwrap().path();
        if !expected.contains(&file) {
            mismatches.push(format!(
                "{} belongs to no command: delete it",
                file.display()
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "help snapshots out of date (rerun with SNAPSHOTS=overwrite and review the diff):\n{}",
        mismatches.join("\n")
    );
}
