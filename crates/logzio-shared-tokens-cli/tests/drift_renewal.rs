//! `apply --dry-run --detailed-exitcode` (0 in sync, 7 on drift) and
//! `apply --renew-expiring DAYS` with the emulator's clock moved: only the
//! tokens due are replaced, under the same name, each new value printed once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use predicates::prelude::*;
use serde_json::{Value, json};
use support::Api;

const DESIRED: &str = r#"
[filters."type=nginx"]
field = "type"
value = "nginx"

[tokens.ops]
filters = ["type=nginx"]
operator = "AND"
"#;

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn detailed_exitcode_is_0_in_sync_and_7_on_drift() {
    let api = Api::start();
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "tokens.toml", DESIRED);
    let check = ["apply", &file, "--dry-run", "--detailed-exitcode"];

    // Nothing applied yet: the plan creates everything.
    api.cli()
        .args(check)
        .assert()
        .code(7)
        .stdout(predicate::str::contains(
            "Plan: 2 to create, 0 to update, 0 to delete.",
        ))
        .stderr(predicate::str::contains("--detailed-exitcode"));
    assert_eq!(api.json(&["tokens", "list"]), json!([]), "a dry run");

    api.json(&["apply", &file, "--yes"]);
    api.cli()
        .args(check)
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("No changes"));

    // Someone changes the operator in the UI: drift, and the JSON plan says what.
    let id = api.json(&["tokens", "list"])[0]["id"].to_string();
    api.json(&["tokens", "update", &id, "--operator", "OR"]);
    let output = api.cli().arg("--json").args(check).output().unwrap();
    assert_eq!(output.status.code(), Some(7));
    let plan: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(plan["dryRun"], true);
    assert_eq!(plan["applied"], false);
    assert_eq!(plan["changes"][0]["action"], "update");
    assert_eq!(plan["changes"][0]["filtersOperator"], "AND");

    // A token the file does not name is drift only for --prune.
    api.json(&["apply", &file, "--yes"]);
    api.token("stray", &[]);
    api.cli().args(check).assert().code(0);
    api.cli().args(check).arg("--prune").assert().code(7);

    // Without --dry-run the flag means nothing: refused as a usage error.
    api.cli()
        .args(["apply", &file, "--yes", "--detailed-exitcode"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--dry-run"));
}

fn token_named<'a>(tokens: &'a Value, name: &str) -> &'a Value {
    tokens
        .as_array()
        .unwrap()
        .iter()
        .find(|token| token["name"] == name)
        .unwrap()
}

/// An account whose "soon" token (filter type=nginx, operator AND) expires 30 days
/// before its "later" token on the emulator's clock, exported to `file`.
struct RenewalAccount {
    api: Api,
    /// Bind it (`_dir`, not `_` or `..`) so that the folder outlives the test's calls.
    _dir: tempfile::TempDir,
    file: String,
    nginx: i64,
    soon: Value,
    later: Value,
}

fn renewal_account() -> RenewalAccount {
    let api = Api::start();
    let nginx = api.filter("type", "nginx");
    let soon = api.token("soon", &[nginx]);
    api.json(&[
        "tokens",
        "update",
        &soon["id"].to_string(),
        "--operator",
        "AND",
    ]);
    // 30 days later on the emulator's clock: "later" expires 30 days after "soon".
    api.control()
        .advance_clock(Duration::from_secs(30 * 24 * 3600));
    let later = api.token("later", &[]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tokens.toml");
    api.cli()
        .arg("export")
        .arg("-o")
        .arg(&file)
        .assert()
        .success();
    let file = file.to_str().unwrap().to_owned();
    RenewalAccount {
        api,
        _dir: dir,
        file,
        nginx,
        soon,
        later,
    }
}

#[test]
fn without_renew_expiring_apply_shows_the_expiry_and_renews_nothing() {
    let RenewalAccount {
        api,
        file,
        soon,
        later,
        _dir,
        ..
    } = renewal_account();
    let file = file.as_str();

    // The plan shows each token's expiry; without the flag nothing is renewed.
    let plan = api.json(&["apply", file, "--dry-run"]);
    assert_eq!(plan["changes"], json!([]));
    let expiry = plan["expiry"].as_array().unwrap();
    assert_eq!(expiry.len(), 2);
    assert_eq!(expiry[0]["name"], "later");
    assert_eq!(expiry[0]["expirationDate"], later["expirationDate"]);
    assert_eq!(expiry[1]["name"], "soon");
    assert_eq!(expiry[1]["expirationDate"], soon["expirationDate"]);
    assert_eq!(expiry[1]["status"], "valid");
    assert!(expiry.iter().all(|token| token["renew"] == false));
    api.cli()
        .args(["apply", file, "--yes"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("No changes"))
        .stdout(predicate::str::contains("Expiry of the file's tokens:"))
        .stdout(predicate::str::contains("in 6 days").or(predicate::str::contains("in 7 days")));
    assert_eq!(api.json(&["tokens", "list"]).as_array().unwrap().len(), 2);
}

#[test]
fn renew_expiring_replaces_only_the_tokens_due_and_keeps_their_names() {
    let RenewalAccount {
        api,
        file,
        nginx,
        soon,
        later,
        _dir,
        ..
    } = renewal_account();
    let file = file.as_str();

    // With the flag: "soon" (7 days left) is due within 10 days, "later" (37) is not.
    let renew = ["--renew-expiring", "10"];
    api.cli()
        .args(["apply", file, "--dry-run", "--detailed-exitcode"])
        .args(renew)
        .assert()
        .code(7)
        .stdout(predicate::str::contains(
            "Plan: 0 to create, 0 to update, 0 to delete, 1 to renew.",
        ))
        .stdout(predicate::str::contains(format!(
            "-/+ token \"soon\" (id {}): renew",
            soon["id"]
        )));
    let output = api
        .cli()
        .args(["apply", file, "--yes"])
        .args(renew)
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("Renewed token \"soon\""), "{stdout}");
    assert!(
        stdout.contains("Applied 0 change(s) and 1 renewal(s)."),
        "{stdout}"
    );

    let tokens = api.json(&["--show-secrets", "tokens", "list"]);
    assert_eq!(tokens.as_array().unwrap().len(), 2);
    let renewed = token_named(&tokens, "soon");
    assert_ne!(renewed["id"], soon["id"], "replaced");
    assert_eq!(renewed["filters"], json!([nginx]));
    assert_eq!(renewed["filtersOperator"], "AND");
    let value = renewed["token"].as_str().unwrap();
    assert_eq!(stdout.matches(value).count(), 1, "printed once: {stdout}");
    assert_eq!(token_named(&tokens, "later")["id"], later["id"], "not due");

    // Renewed on the moved clock, "soon" now has 37 days: nothing is due.
    api.cli()
        .args(["apply", file, "--dry-run", "--detailed-exitcode"])
        .args(renew)
        .assert()
        .code(0);
}

#[test]
fn renew_expiring_as_json_masks_each_old_value_and_shows_each_new_one() {
    let RenewalAccount {
        api, file, _dir, ..
    } = renewal_account();
    let file = file.as_str();

    // Everything due within 100 days, as JSON: old masked, new in full.
    let renewed = api.json(&["apply", file, "--yes", "--renew-expiring", "100"]);
    assert_eq!(renewed["applied"], true);
    assert_eq!(renewed["changes"], json!([]));
    let replaced = renewed["renewedTokens"].as_array().unwrap();
    assert_eq!(replaced.len(), 2);
    for replacement in replaced {
        assert_eq!(replacement["oldDeleted"], true);
        assert_eq!(replacement["old"]["tokenMasked"], true);
        assert_eq!(replacement["new"]["tokenMasked"], false);
        assert_eq!(replacement["new"]["name"], replacement["old"]["name"]);
    }
    assert_eq!(
        api.json(&["apply", file, "--dry-run"])["changes"],
        json!([])
    );
}

/// A renewal that fails (its old token cannot be deleted) stops `apply`, and
/// the message counts the plan's changes carried out before it.
#[test]
fn a_failed_renewal_counts_the_changes_before_it() {
    let mut api = Api::start();
    api.token("due", &[]);
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "tokens.toml", "[tokens.due]\n\n[tokens.new]\n");
    let _fail_deletes = api.fail_token_deletes_via_proxy();
    let output = api
        .cli()
        .args(["apply", &file, "--yes", "--renew-expiring", "10"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(5), "{stderr}");
    assert!(
        stderr.contains("change 2 of 2 (renew token \"due\")"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the 1 change(s) before it were applied"),
        "{stderr}"
    );
}

/// On a terminal the prompt counts renewals as changes too.
#[test]
fn on_a_terminal_the_prompt_counts_the_renewals() {
    let api = Api::start();
    api.token("due", &[]);
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "tokens.toml", "[tokens.due]\n");
    let (code, screen) = api.on_terminal(&["apply", &file, "--renew-expiring", "10"], "n\n");
    assert!(screen.contains("Apply 1 change(s) to "), "{screen}");
    assert_eq!(code, Some(1), "not confirmed: {screen}");
    let tokens = api.json(&["tokens", "list"]);
    assert_eq!(tokens.as_array().unwrap().len(), 1, "nothing renewed");
}
