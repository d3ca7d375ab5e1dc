//! `apply FILE` through the binary against the in-process emulator: the plan,
//! confirmation rules, `--dry-run`, `--prune`, YAML, and that re-running an
//! applied file changes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::PathBuf;

use predicates::prelude::*;
use serde_json::json;
use support::Api;

const DESIRED: &str = r#"
[filters.nginx]
field = "type"
value = "nginx"
description = "nginx access logs"

[filters.prod]
field = "env"
value = "prod"

[tokens."support-dashboards"]
filters = ["nginx", "prod"]
operator = "AND"

[tokens.ops]
filters = ["nginx"]
"#;

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn apply_creates_then_reruns_as_no_changes() {
    let api = Api::start();
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "tokens.toml", DESIRED);
    let file_arg = file.to_str().unwrap();

    // Dry run: the plan, nothing changed.
    api.cli()
        .args(["apply", file_arg, "--dry-run"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Plan: 4 to create, 0 to update, 0 to delete.",
        ))
        .stdout(predicate::str::contains("+ filter type=nginx\n"))
        .stdout(predicate::str::contains(
            "+ token \"support-dashboards\" filters [type=nginx (new), env=prod (new)] operator AND",
        ))
        .stdout(predicate::str::contains("Dry run"));
    assert_eq!(api.json(&["tokens", "list"]), json!([]));

    // Without a terminal and without --yes: refused, nothing changed.
    api.cli()
        .args(["apply", file_arg])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--yes"));
    assert_eq!(api.json(&["filters", "list"]), json!([]));

    // Applied.
    let applied = api.json(&["apply", file_arg, "--yes"]);
    assert_eq!(applied["applied"], true);
    assert_eq!(applied["changes"].as_array().unwrap().len(), 4);
    let created = applied["createdTokens"].as_array().unwrap();
    assert_eq!(created.len(), 2);
    assert!(created.iter().all(|t| t["tokenMasked"] == false));

    let filters = api.json(&["filters", "list"]);
    let id_of = |value: &str| {
        filters
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["value"] == value)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let (nginx, prod) = (id_of("nginx"), id_of("prod"));
    let tokens = api.json(&["tokens", "list"]);
    let support = tokens
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "support-dashboards")
        .unwrap();
    let mut support_filters: Vec<i64> = support["filters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_i64().unwrap())
        .collect();
    support_filters.sort_unstable();
    assert_eq!(support_filters, [nginx, prod]);
    assert_eq!(support["filtersOperator"], "AND");

    // Re-running the same file changes nothing.
    api.cli()
        .args(["apply", file_arg, "--yes"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("No changes"));
    let again = api.json(&["apply", file_arg, "--yes"]);
    assert_eq!(again["changes"], json!([]));
    assert_eq!(again["applied"], false);
    assert_eq!(api.json(&["tokens", "list"]), tokens);
}

#[test]
fn drift_is_updated_and_prune_deletes_what_the_file_does_not_name() {
    let api = Api::start();
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        &dir,
        "tokens.yaml",
        "
filters:
  nginx: {field: type, value: nginx}
tokens:
  ops:
    filters: [nginx]
    operator: OR
",
    );
    let file_arg = file.to_str().unwrap();
    api.json(&["apply", file_arg, "--yes"]);
    let ops = api.json(&["tokens", "list"])[0].clone();
    let ops_id = ops["id"].as_i64().unwrap().to_string();

    // Someone changes the token by hand, and adds a stray token and filter.
    api.json(&[
        "tokens",
        "update",
        &ops_id,
        "--no-filters",
        "--operator",
        "AND",
    ]);
    let stray = api.token("stray", &[]);
    let stray_filter = api.filter("type", "stray");

    let plan = api.json(&["apply", file_arg, "--dry-run"]);
    assert_eq!(plan["unmanaged"], 2);
    assert_eq!(plan["changes"].as_array().unwrap().len(), 1);
    assert_eq!(plan["changes"][0]["action"], "update");
    assert_eq!(plan["changes"][0]["filtersOperator"], "OR");

    let pruned = api.json(&["apply", file_arg, "--yes", "--prune"]);
    let actions: Vec<(String, String)> = pruned["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["action"].as_str().unwrap().to_owned(),
                c["kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let pair = |a: &str, k: &str| (a.to_owned(), k.to_owned());
    assert_eq!(
        actions,
        [
            pair("update", "token"),
            pair("delete", "token"),
            pair("delete", "filter")
        ]
    );
    assert_eq!(pruned["changes"][1]["id"], stray["id"]);
    assert_eq!(pruned["changes"][2]["id"], stray_filter);

    let tokens = api.json(&["tokens", "list"]);
    assert_eq!(tokens.as_array().unwrap().len(), 1);
    assert_eq!(tokens[0]["filtersOperator"], "OR");
    assert_eq!(tokens[0]["filters"].as_array().unwrap().len(), 1);
    let rerun = api.json(&["apply", file_arg, "--yes", "--prune"]);
    assert_eq!(rerun["changes"], json!([]));
}

#[test]
fn a_failure_part_way_says_what_was_applied_and_a_rerun_finishes() {
    let mut api = Api::start();
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "state.toml", "[tokens.kept]\n");
    api.token("stray", &[]);
    let fail_deletes = api.fail_token_deletes_via_proxy();

    let output = api
        .cli()
        .args(["apply", file.to_str().unwrap(), "--yes", "--prune"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(5));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("change 2 of 2"), "{stderr}");
    assert!(
        stderr.contains("the 1 change(s) before it were applied"),
        "{stderr}"
    );
    assert!(stderr.contains("re-run apply"), "{stderr}");

    fail_deletes.store(false, std::sync::atomic::Ordering::SeqCst);
    let rerun = api.json(&["apply", file.to_str().unwrap(), "--yes", "--prune"]);
    let actions: Vec<&str> = rerun["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["delete"], "only what was left: {rerun}");
    let names: Vec<String> = api
        .json(&["tokens", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["kept"]);
}

#[test]
fn bad_files_are_refused_before_any_request() {
    let api = Api::start();
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("unknown.toml", "[tokens.a]\nfilter = [\"x\"]\n", "filter"),
        (
            "dangling.toml",
            "[tokens.a]\nfilters = [\"x\"]\n",
            "does not define",
        ),
        (
            "pattern.yaml",
            "filters:\n  a: {field: type, value: two words}\n",
            "filters.a.value",
        ),
        ("format.json", "{}", ".toml, .yaml or .yml"),
    ];
    for (name, text, expected) in cases {
        let file = write(&dir, name, text);
        api.cli()
            .arg("apply")
            .arg(&file)
            .arg("--yes")
            .assert()
            .code(2)
            .stderr(predicate::str::contains(expected));
    }
    api.cli()
        .args(["apply", "/nonexistent/state.toml", "--yes"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot read"));
    assert_eq!(api.json(&["tokens", "list"]), json!([]));
}

/// `apply` on a terminal (util-linux `script` gives it one): it asks before
/// changing anything, saying how many changes, and only "y" applies; the
/// values of the tokens it created are then printed once.
#[test]
fn on_a_terminal_apply_asks_first_and_only_yes_applies() {
    let api = Api::start();
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "tokens.toml", DESIRED);
    let file_arg = file.to_str().unwrap();
    let on_terminal = |typed: &str| api.on_terminal(&["apply", file_arg], typed);

    let (code, screen) = on_terminal("n\n");
    assert!(screen.contains("Apply 4 change(s) to "), "{screen}");
    assert_eq!(code, Some(1), "not confirmed: {screen}");
    assert_eq!(api.json(&["tokens", "list"]), json!([]));

    let (code, screen) = on_terminal("y\n");
    assert_eq!(code, Some(0), "{screen}");
    assert!(screen.contains("Created tokens"), "{screen}");
    assert!(screen.contains("Applied 4 change(s)."), "{screen}");
    // On a terminal the changes run under a progress bar (`{pos}/{len} {msg}`).
    assert!(screen.contains("/4 "), "no progress bar: {screen}");
    let tokens = api.json(&["tokens", "list"]);
    assert_eq!(tokens.as_array().unwrap().len(), 2);
}

/// The plan's text counts what the file does not name, and says nothing
/// when there is nothing of the kind.
#[test]
fn the_plan_names_what_prune_would_delete() {
    let api = Api::start();
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "tokens.toml", DESIRED);
    let file_arg = file.to_str().unwrap();
    let plan_text = |api: &Api| {
        let output = api
            .cli()
            .args(["apply", file_arg, "--dry-run"])
            .output()
            .unwrap();
        assert!(output.status.success());
        String::from_utf8(output.stdout).unwrap()
    };
    let before = plan_text(&api);
    assert!(
        before.contains("Plan: 4 to create, 0 to update, 0 to delete.\n"),
        "{before}"
    );
    assert!(!before.contains("--prune"), "{before}");
    let stray = &api.token("stray", &[])["id"];
    let after = plan_text(&api);
    assert!(
        after.contains(&format!(
            "1 token(s)/filter(s) in the account are not in the file; --prune would delete \
             them:\n  - token \"stray\" (id {stray})\n"
        )),
        "{after}"
    );
}
