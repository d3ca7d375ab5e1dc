//! `--output value` (a new token's value alone, for a password store) and
//! `--quiet` (results only), against the emulator; and the short `-h`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::Api;

fn stdout_of(api: &Api, args: &[&str]) -> (String, String) {
    let output = api.cli().args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn secret_of(api: &Api, id: i64) -> String {
    api.json(&["tokens", "get", &id.to_string(), "--show-secrets"])["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn output_value_prints_the_new_value_and_a_newline_only() {
    let api = Api::start();
    let (created, _) = stdout_of(&api, &["tokens", "create", "vault", "--output", "value"]);
    let id = api.token_ids()[0];
    assert_eq!(created, format!("{}\n", secret_of(&api, id)));

    let (got, _) = stdout_of(
        &api,
        &[
            "tokens",
            "get",
            &id.to_string(),
            "--show-secrets",
            "-o",
            "value",
        ],
    );
    // `-o` is `--output`'s short form (except in `export`, where it names the file).
    assert_eq!(got, created);

    let (rotated, stderr) = stdout_of(
        &api,
        &["rotate", &id.to_string(), "--output", "value", "--yes"],
    );
    let new_id = api.token_ids()[0];
    assert_ne!(new_id, id);
    assert_eq!(rotated, format!("{}\n", secret_of(&api, new_id)));
    assert!(stderr.contains(&format!("old token {id}")), "{stderr}");
}

#[test]
fn output_value_is_a_usage_error_where_no_secret_is_printed() {
    let api = Api::start();
    api.token("listed", &[]);
    api.fails(
        &["tokens", "list", "--output", "value"],
        2,
        &["tokens create", "rotate", "tokens get --show-secrets"],
    )
    .stdout("");
    let id = api.token_ids()[0].to_string();
    api.fails(
        &["tokens", "get", &id, "--output", "value"],
        2,
        &["--show-secrets"],
    )
    .stdout("");
    // Refused before anything is sent: nothing was created.
    api.fails(
        &["filters", "create", "env", "prod", "--output", "value"],
        2,
        &["--output table"],
    );
    assert_eq!(api.json(&["filters", "list"]), serde_json::json!([]));
}

#[test]
fn quiet_keeps_results_and_drops_notes_and_confirmations() {
    let api = Api::start();
    let (loud_out, loud_err) = stdout_of(&api, &["tokens", "create", "loud"]);
    assert!(loud_err.contains("note: "), "{loud_err}");
    let (quiet_out, quiet_err) = stdout_of(&api, &["-q", "tokens", "create", "hushed"]);
    assert_eq!(quiet_err, "");
    let hushed = api.token_ids()[1];
    assert!(quiet_out.contains(&secret_of(&api, hushed)), "{quiet_out}");
    assert_eq!(
        quiet_out.lines().count(),
        loud_out.lines().count(),
        "-q keeps the result whole:\n{quiet_out}"
    );

    let (deleted, deleted_err) = stdout_of(
        &api,
        &["tokens", "delete", &hushed.to_string(), "--quiet", "--yes"],
    );
    assert_eq!((deleted.as_str(), deleted_err.as_str()), ("", ""));
    assert!(!api.token_ids().contains(&hushed));

    let (listed, _) = stdout_of(&api, &["--quiet", "--json", "tokens", "list"]);
    let listed: serde_json::Value = serde_json::from_str(&listed).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
}

#[test]
fn short_help_leaves_the_rarer_global_options_to_long_help() {
    let help = |flag: &str| {
        let output = support::bare_cli()
            .args(["tokens", "list", flag])
            .output()
            .unwrap();
        assert!(output.status.success());
        String::from_utf8(output.stdout).unwrap()
    };
    let short = help("-h");
    let long = help("--help");
    for rare in ["--timeout", "--verbose", "--show-secrets"] {
        assert!(!short.contains(rare), "-h shows {rare}:\n{short}");
        assert!(long.contains(rare), "--help lacks {rare}:\n{long}");
    }
    for common in ["--region", "--api-url", "--output", "--quiet"] {
        assert!(short.contains(common), "-h lacks {common}:\n{short}");
    }
}
