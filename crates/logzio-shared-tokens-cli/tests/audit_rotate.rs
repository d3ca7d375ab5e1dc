//! `audit` findings and `--fail-on` exit codes, and `rotate` — including a
//! delete that fails after the replacement was created — through the binary
//! against the in-process emulator.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::sync::atomic::Ordering;

use predicates::prelude::*;
use serde_json::{Value, json};
use support::Api;

const DAY_MS: i64 = 24 * 3600 * 1000;

fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// (kind, subject, id) of each finding.
fn kinds(report: &Value) -> Vec<(String, String, i64)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_owned(),
                f["subject"].as_str().unwrap().to_owned(),
                f["id"].as_i64().unwrap(),
            )
        })
        .collect()
}

/// The ids of an account with one token or filter behind each finding.
struct AccountWithFindings {
    open: i32,
    expired: i32,
    stale: i32,
    orphan: i64,
}

/// Four tokens (healthy; no filters; expired long ago and never used; expiring soon and
/// unused for 40 days) and a filter no token uses.
fn account_with_each_finding(api: &Api) -> AccountWithFindings {
    let control = api.control();
    let used = api.filter("type", "nginx");
    let orphan = api.filter("type", "orphan");
    let healthy = api.token("healthy", &[used])["id"].as_i64().unwrap() as i32;
    let open = api.token("open", &[])["id"].as_i64().unwrap() as i32;
    let expired = api.token("expired", &[used])["id"].as_i64().unwrap() as i32;
    let stale = api.token("stale", &[used])["id"].as_i64().unwrap() as i32;

    let now = now_ms();
    // healthy: expires in 10 days, used an hour ago.
    control
        .set_expiration(&api.token, healthy, Some(now + 10 * DAY_MS))
        .unwrap();
    control
        .set_last_used(&api.token, healthy, Some(now - 3_600_000))
        .unwrap();
    // open: no filters, never expires, used yesterday.
    control.set_expiration(&api.token, open, None).unwrap();
    control
        .set_last_used(&api.token, open, Some(now - DAY_MS))
        .unwrap();
    // expired 30 days ago, so created 37 days ago (the default lifetime), never used.
    control
        .set_expiration(&api.token, expired, Some(now - 30 * DAY_MS))
        .unwrap();
    // stale: expires in 2 days, last used 40 days ago.
    control
        .set_expiration(&api.token, stale, Some(now + 2 * DAY_MS))
        .unwrap();
    control
        .set_last_used(&api.token, stale, Some(now - 40 * DAY_MS))
        .unwrap();
    AccountWithFindings {
        open,
        expired,
        stale,
        orphan,
    }
}

#[test]
fn audit_reports_each_kind() {
    let api = Api::start();
    let account = account_with_each_finding(&api);
    let report = api.json(&["audit"]);
    let s = |kind: &str, subject: &str, id: i64| (kind.to_owned(), subject.to_owned(), id);
    assert_eq!(
        kinds(&report),
        [
            s("no-filters", "token", i64::from(account.open)),
            s("expired", "token", i64::from(account.expired)),
            s("never-used", "token", i64::from(account.expired)),
            s("expiring", "token", i64::from(account.stale)),
            s("unused", "token", i64::from(account.stale)),
            s("orphan-filter", "filter", account.orphan),
        ]
    );
    assert_eq!(
        report["summary"],
        json!({"tokens": 4, "filters": 2, "findings": 6})
    );
}

#[test]
fn narrower_audit_windows_change_what_is_found() {
    let api = Api::start();
    account_with_each_finding(&api);
    let relaxed = api.json(&["audit", "--expiring-within", "1", "--unused-for", "60"]);
    assert!(
        kinds(&relaxed)
            .iter()
            .all(|(k, _, _)| k != "expiring" && k != "unused"),
        "{relaxed}"
    );
}

#[test]
fn audit_fail_on_sets_exit_6_only_for_the_kinds_named() {
    let api = Api::start();
    let account = account_with_each_finding(&api);

    // No --fail-on: findings are information, exit 0.
    api.cli().arg("audit").assert().success().stdout(
        predicate::str::contains("no-filters").and(predicate::str::contains("6 finding(s)")),
    );
    api.cli()
        .args(["audit", "--fail-on", "expired,orphan-filter"])
        .assert()
        .code(6)
        .stderr(predicate::str::contains("--fail-on"));
    api.cli()
        .args(["audit", "--fail-on", "any"])
        .assert()
        .code(6);

    // Fix everything --fail-on no-filters cares about: exit 0 again.
    api.json(&["tokens", "delete", &account.open.to_string(), "--yes"]);
    api.cli()
        .args(["audit", "--fail-on", "no-filters"])
        .assert()
        .success();
    api.cli()
        .args(["audit", "--fail-on", "bogus"])
        .assert()
        .code(2);
}

#[test]
fn audit_of_a_clean_account_says_so() {
    let api = Api::start();
    api.cli()
        .arg("audit")
        .assert()
        .success()
        .stdout("No findings (0 tokens, 0 filters checked).\n");
}

#[test]
fn rotate_replaces_the_token_with_the_same_filters_and_operator() {
    let api = Api::start();
    let a = api.filter("type", "nginx");
    let b = api.filter("env", "prod");
    let old = api.json(&[
        "tokens",
        "create",
        "support",
        "--filter",
        &format!("{a},{b}"),
        "--operator",
        "AND",
    ]);
    let old_id = old["id"].as_i64().unwrap();

    let rotated = api.json(&["rotate", &old_id.to_string(), "--yes"]);
    let new = &rotated["new"];
    assert_eq!(rotated["oldDeleted"], true);
    assert_eq!(rotated["old"]["id"], old_id);
    assert_eq!(
        rotated["old"]["tokenMasked"], true,
        "the old value stays masked"
    );
    assert_eq!(new["tokenMasked"], false, "the new value is shown once");
    assert_ne!(new["token"], old["token"]);
    assert_eq!(new["filters"], json!([a, b]));
    assert_eq!(new["filtersOperator"], "AND");
    assert_eq!(new["name"], "support", "the name is kept");

    assert_eq!(api.token_ids(), [new["id"].as_i64().unwrap()]);

    // --keep-old and --name
    let new_id = new["id"].as_i64().unwrap().to_string();
    let kept = api.json(&["rotate", &new_id, "--keep-old", "--name", "support-2027"]);
    assert_eq!(kept["oldDeleted"], false);
    assert_eq!(kept["new"]["name"], "support-2027");
    assert_eq!(api.json(&["tokens", "list"]).as_array().unwrap().len(), 2);

    // The table form says what happened.
    api.cli()
        .args(["rotate", &new_id, "--yes"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Value of token"))
        .stderr(predicate::str::contains("--show-secrets"))
        .stdout(predicate::str::contains(format!(
            "Deleted the old token {new_id}."
        )));

    api.cli().args(["rotate", "999"]).assert().code(3);
}

#[test]
fn rotate_says_both_tokens_exist_when_the_delete_fails() {
    let mut api = Api::start();
    let old = api.token("fragile", &[]);
    let old_id = old["id"].as_i64().unwrap();
    let fail_deletes = api.fail_token_deletes_via_proxy();

    let output = api
        .cli()
        .args(["--json", "rotate", &old_id.to_string(), "--yes"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(5),
        "503 after retries = unavailable"
    );
    let stderr = String::from_utf8(output.stderr).unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let new_id = report["new"]["id"].as_i64().unwrap();
    assert_eq!(report["oldDeleted"], false);
    assert!(
        report["new"]["token"].as_str().unwrap().len() >= 16,
        "value still shown once"
    );
    assert!(stderr.contains("BOTH tokens"), "{stderr}");
    assert!(
        stderr.contains(&format!("tokens {old_id} and {new_id} exist")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("tokens delete {old_id}")),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");

    fail_deletes.store(false, Ordering::SeqCst);
    let mut ids = api.token_ids();
    ids.sort_unstable();
    assert_eq!(ids, [old_id, new_id], "both tokens exist");
}
