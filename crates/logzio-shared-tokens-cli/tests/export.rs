//! `export` through the binary against the in-process emulator: both
//! formats read back by `apply` as "no changes", awkward names, what `apply`
//! would not manage, never a token value, and `--output` never replacing a
//! file without `--force`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use predicates::prelude::*;
use serde_json::{Value, json};
use support::Api;

/// What an export of [`awkward_account`] must show.
struct Awkward {
    /// The token values the emulator handed out (none may appear in an export).
    values: Vec<String>,
    /// The second token named "support dashboards".
    second_of_name: i64,
    /// A second filter type=nginx.
    duplicate_filter: i64,
}

/// An account with what an export must get right.
fn awkward_account(api: &Api) -> Awkward {
    let nginx = api.filter("type", "nginx");
    let namespace = api.filter("kubernetes.namespace", "prod-eu@1");
    let duplicate_filter =
        api.json(&["filters", "create", "type", "nginx", "--allow-duplicate"])["id"]
            .as_i64()
            .unwrap();
    let _unused = api.filter("env", "staging");
    let tokens = [
        api.token("support dashboards", &[nginx, namespace]),
        api.token("quote \" and 'apostrophe' # [x] = y.z", &[nginx]),
        api.token("Zürich 東京 🙂", &[]),
        api.token("support dashboards", &[namespace]),
    ];
    let id = tokens[0]["id"].as_i64().unwrap().to_string();
    api.json(&["tokens", "update", &id, "--operator", "AND"]);
    Awkward {
        values: tokens
            .iter()
            .map(|token| token["token"].as_str().unwrap().to_owned())
            .collect(),
        second_of_name: tokens[3]["id"].as_i64().unwrap(),
        duplicate_filter,
    }
}

fn plan(api: &Api, file: &std::path::Path) -> Value {
    let output = api
        .cli()
        .args(["--json", "apply"])
        .arg(file)
        .args(["--dry-run", "--detailed-exitcode"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The export in TOML on stdout, and what it wrote to stderr.
fn export_toml(api: &Api) -> (String, String) {
    let output = api.cli().arg("export").output().unwrap();
    assert!(output.status.success());
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// The TOML export written to `account.toml` in `dir`.
fn write_toml_export(api: &Api, dir: &tempfile::TempDir) -> std::path::PathBuf {
    let toml_file = dir.path().join("account.toml");
    std::fs::write(&toml_file, export_toml(api).0).unwrap();
    toml_file
}

/// The note an export makes about the second token named "support dashboards".
fn second_of_name_note(account: &Awkward) -> String {
    format!(
        "Token {} is also named \"support dashboards\"",
        account.second_of_name
    )
}

#[test]
fn toml_export_holds_no_value_and_notes_what_apply_would_not_manage() {
    let api = Api::start();
    let account = awkward_account(&api);
    let (toml, stderr) = export_toml(&api);
    for value in &account.values {
        assert!(!toml.contains(value.as_str()), "a token value in:\n{toml}");
    }
    assert!(toml.contains("[filters.\"type=nginx\"]"), "{toml}");
    assert!(
        toml.contains("[filters.\"kubernetes.namespace=prod-eu@1\"]"),
        "{toml}"
    );
    assert!(toml.contains("# Used by no token."), "{toml}");
    assert!(
        toml.contains(&format!(
            "# Also filter id(s) {}:",
            account.duplicate_filter
        )),
        "{toml}"
    );
    assert!(toml.contains("operator = \"AND\""), "{toml}");
    assert!(
        toml.contains(&format!("# {}", second_of_name_note(&account))),
        "{toml}"
    );
    assert!(
        toml.contains("# [tokens.\"support dashboards\"]"),
        "the second token of a name, commented out:\n{toml}"
    );
    assert!(stderr.contains("not managed by apply"), "{stderr}");

    // Exported twice, byte for byte the same.
    assert_eq!(export_toml(&api).0, toml);
}

#[test]
fn toml_export_reads_back_as_no_changes_and_rebuilds_an_empty_account() {
    let api = Api::start();
    awkward_account(&api);
    let dir = tempfile::tempdir().unwrap();
    let toml_file = write_toml_export(&api, &dir);
    let toml_plan = plan(&api, &toml_file);
    assert_eq!(toml_plan["changes"], json!([]));
    assert_eq!(toml_plan["unmanaged"], 1, "the second token of a name");
    let names: Vec<&str> = toml_plan["expiry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|token| token["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Zürich 東京 🙂",
            "quote \" and 'apostrophe' # [x] = y.z",
            "support dashboards"
        ]
    );

    // Applied to an empty account, the file rebuilds what apply manages.
    let fresh = Api::start();
    let rebuilt = fresh.json(&["apply", toml_file.to_str().unwrap(), "--yes"]);
    assert_eq!(rebuilt["createdTokens"].as_array().unwrap().len(), 3);
    assert_eq!(plan(&fresh, &toml_file)["changes"], json!([]));
}

#[test]
fn yaml_export_reads_back_as_the_same_state_as_toml() {
    let api = Api::start();
    let account = awkward_account(&api);
    let dir = tempfile::tempdir().unwrap();

    // YAML to a file: the same state, notes on stderr.
    let yaml_file = dir.path().join("account.yaml");
    let output = api
        .cli()
        .arg("export")
        .arg("--output")
        .arg(&yaml_file)
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("Exported 3 filter(s) and 3 token(s)"),
        "{stdout}"
    );
    let stderr = String::from_utf8(output.stderr).unwrap();
    let note = second_of_name_note(&account);
    assert!(stderr.contains(&format!("note: {note}")), "{stderr}");
    let yaml = std::fs::read_to_string(&yaml_file).unwrap();
    for value in &account.values {
        assert!(!yaml.contains(value.as_str()), "a token value in:\n{yaml}");
    }
    let yaml_plan = plan(&api, &yaml_file);
    assert_eq!(yaml_plan["changes"], json!([]));
    let toml_plan = plan(&api, &write_toml_export(&api, &dir));
    assert_eq!(yaml_plan["expiry"], toml_plan["expiry"]);

    // `--format yaml` on stdout is the same document.
    let output = api
        .cli()
        .args(["export", "--format", "yaml"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(output.stdout).unwrap(), yaml);
}

#[test]
fn output_never_replaces_a_file_without_force() {
    let api = Api::start();
    api.token("ops", &[]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tokens.toml");
    std::fs::write(&file, "# mine\n").unwrap();
    let requests = api.control().stats().requests;

    api.cli()
        .arg("export")
        .arg("--output")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "# mine\n");
    assert_eq!(
        api.control().stats().requests,
        requests,
        "refused before any request"
    );

    api.cli()
        .arg("export")
        .arg("--output")
        .arg(&file)
        .arg("--force")
        .assert()
        .success();
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(written.contains("[tokens.ops]"), "{written}");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, [std::ffi::OsString::from("tokens.toml")]);

    // A format apply would not read back from that name is refused.
    for (name, format, expected) in [
        ("tokens.json", None, ".toml, .yaml or .yml"),
        ("tokens.toml", Some("yaml"), "disagrees"),
    ] {
        let mut command = api.cli();
        command
            .arg("export")
            .arg("--output")
            .arg(dir.path().join(name))
            .arg("--force");
        if let Some(format) = format {
            command.args(["--format", format]);
        }
        command
            .assert()
            .code(2)
            .stderr(predicate::str::contains(expected));
    }
    api.cli()
        .args(["--json", "export"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not JSON"));
    api.cli()
        .args(["export", "--force"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--output"));
}
