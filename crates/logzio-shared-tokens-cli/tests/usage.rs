//! The command line itself: the API token refused on argv, usage errors,
//! `--version`, `completions`, `demo` and the `emulator` subcommand.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use predicates::prelude::*;
use support::bare_cli;

#[test]
fn a_token_on_argv_is_refused_with_the_reason_and_never_echoed() {
    for args in [
        &["--api-token", "sekret-0123456789", "tokens", "list"][..],
        &["tokens", "list", "--api-token=sekret-0123456789"][..],
        &["audit", "--token", "sekret-0123456789"][..],
    ] {
        bare_cli()
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("never accepted as an argument"))
            .stderr(predicate::str::contains("LOGZIO_API_TOKEN"))
            .stderr(predicate::str::contains("--api-token-file"))
            .stderr(predicate::str::contains("sekret").not());
    }
}

#[test]
fn usage_errors_exit_2_and_help_and_version_exit_0() {
    bare_cli()
        .args(["tokens", "get", "99999999999"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("read as a token id"));
    bare_cli().arg("tokens").assert().code(2);
    bare_cli()
        .args(["--output", "yaml", "tokens", "list"])
        .assert()
        .code(2);
    bare_cli()
        .args(["--json", "--output", "table", "tokens", "list"])
        .assert()
        .code(2);
    bare_cli()
        .args(["--region", "mars", "tokens", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown region"));
    bare_cli()
        .arg("--version")
        .assert()
        .success()
        .stdout(format!(
            "logzio-shared-tokens {}\n",
            env!("CARGO_PKG_VERSION")
        ));
    bare_cli()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Exit codes:"))
        .stdout(predicate::str::contains("6  audit findings"));
}

#[test]
fn plain_http_to_a_remote_host_is_refused() {
    bare_cli()
        .env("LOGZIO_API_TOKEN", "t")
        .args(["--api-url", "http://api.logz.io", "tokens", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("clear text"));
}

#[test]
fn completions_are_generated_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        bare_cli()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains("logzio-shared-tokens"))
            .stdout(predicate::str::contains("rotate"));
    }
    bare_cli().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn demo_walks_through_every_step_against_the_bundled_emulator() {
    // No credentials: the bundled emulator, whatever LOGZIO_API_URL says.
    bare_cli()
        .env("LOGZIO_API_URL", "http://127.0.0.1:9")
        .arg("demo")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Started the bundled Logz.io Shared Tokens emulator",
        ))
        .stdout(predicate::str::contains("Step 1/7: create a token filter"))
        .stdout(predicate::str::contains(
            "$ logzio-shared-tokens tokens list",
        ))
        .stdout(predicate::str::contains("no-filters"))
        .stdout(predicate::str::contains("orphan-filter"))
        .stdout(predicate::str::contains(
            "$ logzio-shared-tokens rotate 1 --yes",
        ))
        .stdout(predicate::str::contains("Deleted the old token 1."))
        .stdout(predicate::str::contains("Deleted filter 1."))
        .stdout(predicate::str::contains("Done."));
}

#[test]
fn demo_with_credentials_reads_the_account_and_changes_nothing() {
    // The in-process emulator stands in for a real account here.
    let api = support::Api::start();
    let filter = api.json(&["filters", "create", "type", "nginx"]);
    let token = api.json(&["tokens", "create", "unfiltered"]);
    let before = (
        api.json(&["filters", "list"]),
        api.json(&["tokens", "list"]),
    );
    api.cli()
        .arg("demo")
        .assert()
        .success()
        .stdout(predicate::str::contains("read-only"))
        .stdout(predicate::str::contains("Step 3/3"))
        .stdout(predicate::str::contains("no-filters"))
        .stdout(predicate::str::contains("unfiltered"))
        .stdout(predicate::str::contains("Started the bundled").not());
    assert_eq!(
        (
            api.json(&["filters", "list"]),
            api.json(&["tokens", "list"])
        ),
        before,
        "the read-only demo changed the account"
    );
    assert!(filter["id"].is_number() && token["id"].is_number());
}

#[test]
fn demo_with_credentials_and_emulator_flag_uses_the_bundled_emulator() {
    bare_cli()
        .env("LOGZIO_API_TOKEN", "must-not-be-used-0123456789")
        .env("LOGZIO_API_URL", "http://127.0.0.1:9")
        .args(["demo", "--emulator"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Started the bundled Logz.io Shared Tokens emulator",
        ))
        .stdout(predicate::str::contains("Step 7/7"));
}

#[test]
fn demo_against_an_account_uses_the_global_flags_and_cleans_up() {
    // The in-process emulator stands in for a real account here.
    let api = support::Api::start();
    api.cli()
        .args(["demo", "--against-real-account"])
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "real account at {}",
            api.url
        )))
        .stdout(predicate::str::contains("Step 7/7"));
    assert_eq!(api.json(&["tokens", "list"]), serde_json::json!([]));
    assert_eq!(api.json(&["filters", "list"]), serde_json::json!([]));
}

#[test]
fn demo_against_the_real_account_needs_a_token() {
    bare_cli()
        .args(["demo", "--against-real-account"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("no API token"));
}

/// Ends the child it started, by handle.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_emulator_subcommand_serves_with_the_emulator_flags() {
    let binary = assert_cmd::cargo::cargo_bin("logzio-shared-tokens");
    let mut child = Child(
        std::process::Command::new(binary)
            .args([
                "emulator",
                "--listen",
                "127.0.0.1:0",
                "--api-token",
                "my-own-token-0123456789",
                "--max-tokens",
                "1",
            ])
            .env_remove("LOGZIO_API_TOKEN")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let stdout = child.0.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let url = lines.next().unwrap().unwrap();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    let cli = || {
        let mut command = bare_cli();
        command
            .env("LOGZIO_API_TOKEN", "my-own-token-0123456789")
            .args(["--api-url", &url]);
        command
    };
    cli().args(["tokens", "create", "first"]).assert().success();
    // --max-tokens 1 reached: the emulator's flag took effect.
    cli().args(["tokens", "create", "second"]).assert().code(1);
    cli()
        .args(["--json", "tokens", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"first\""));
}
