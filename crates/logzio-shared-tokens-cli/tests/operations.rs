//! The 9 operations through the binary against the in-process emulator:
//! JSON output parsed back, tables, masking, and the exit code of each
//! kind of API error.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use logzio_shared_tokens_emulator::Config;
use predicates::prelude::*;
use serde_json::json;
use support::Api;

#[test]
fn every_filter_operation_round_trips_as_json() {
    let api = Api::start();

    // filters create / list / get
    let nginx = api.json(&[
        "filters",
        "create",
        "type",
        "nginx",
        "--description",
        "nginx logs",
    ]);
    assert_eq!(nginx["field"], "type");
    assert_eq!(nginx["value"], "nginx");
    assert_eq!(nginx["description"], "nginx logs");
    let nginx_id = nginx["id"].as_i64().unwrap();
    let prod_id = api.filter("env", "prod");
    let listed = api.json(&["filters", "list"]);
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert_eq!(api.json(&["filters", "get", &nginx_id.to_string()]), nginx);

    // delete
    let deleted = api.json(&["filters", "delete", &prod_id.to_string(), "--yes"]);
    assert_eq!(
        deleted,
        json!({"deleted": {"kind": "filter", "id": prod_id}})
    );
    assert_eq!(api.json(&["filters", "list"]).as_array().unwrap().len(), 1);
}

#[test]
fn every_token_operation_round_trips_as_json() {
    let api = Api::start();
    let nginx_id = api.filter("type", "nginx");
    let prod_id = api.filter("env", "prod");

    // tokens create: the value is shown in full, once
    let created = api.json(&[
        "tokens",
        "create",
        "support",
        "--filter",
        &format!("{nginx_id},{prod_id}"),
        "--operator",
        "and",
    ]);
    let id = created["id"].as_i64().unwrap();
    let value = created["token"].as_str().unwrap().to_owned();
    assert!(value.len() >= 16, "{created}");
    assert_eq!(created["tokenMasked"], false);
    assert_eq!(created["filters"], json!([nginx_id, prod_id]));
    assert_eq!(created["filtersOperator"], "AND");
    assert!(created["expirationDate"].is_i64());
    assert_eq!(created["lastUsed"], json!(null));

    // tokens list / get: masked unless --show-secrets
    let listed = api.json(&["tokens", "list"]);
    let listed_token = &listed.as_array().unwrap()[0];
    assert_eq!(listed_token["id"], id);
    assert_eq!(listed_token["tokenMasked"], true);
    let masked = listed_token["token"].as_str().unwrap();
    assert!(!masked.contains(&value[..value.len() - 4]), "{masked}");
    assert!(value.ends_with(masked.trim_start_matches('…')), "{masked}");
    let fetched = api.json(&["tokens", "get", &id.to_string()]);
    assert_eq!(fetched["token"], listed_token["token"]);
    let revealed = api.json(&["tokens", "get", &id.to_string(), "--show-secrets"]);
    assert_eq!(revealed["token"], value.as_str());

    // tokens update: operator only keeps the filters; add/remove edit them
    let updated = api.json(&["tokens", "update", &id.to_string(), "--operator", "OR"]);
    assert_eq!(updated["filtersOperator"], "OR");
    assert_eq!(updated["filters"], json!([nginx_id, prod_id]));
    let updated = api.json(&[
        "tokens",
        "update",
        &id.to_string(),
        "--remove-filter",
        &prod_id.to_string(),
    ]);
    assert_eq!(updated["filters"], json!([nginx_id]));
    assert_eq!(updated["filtersOperator"], "OR");
    assert_eq!(updated["tokenMasked"], true);
    let cleared = api.json(&["tokens", "update", &id.to_string(), "--no-filters"]);
    assert_eq!(cleared["filters"], json!([]));

    // delete
    let deleted = api.json(&["tokens", "delete", &id.to_string(), "--yes"]);
    assert_eq!(deleted, json!({"deleted": {"kind": "token", "id": id}}));
    assert_eq!(api.json(&["tokens", "list"]), json!([]));
}

#[test]
fn tables_mask_values_and_show_them_once_on_create() {
    let api = Api::start();
    let created = api
        .cli()
        .args(["tokens", "create", "table-test"])
        .output()
        .unwrap();
    assert!(created.status.success());
    let text = String::from_utf8(created.stdout).unwrap();
    let note = String::from_utf8(created.stderr).unwrap();
    assert!(
        note.contains("masked") && note.contains("--show-secrets"),
        "{note}"
    );
    let value = api.json(&["tokens", "list", "--show-secrets"])[0]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        text.lines().any(|line| line == value),
        "create shows the value on a line of its own: {text}"
    );

    let listed = api.cli().args(["tokens", "list"]).output().unwrap();
    let table = String::from_utf8(listed.stdout).unwrap();
    assert!(table.contains("table-test"), "{table}");
    assert!(table.contains("none (all logs)"), "{table}");
    assert!(!table.contains(&value), "list must mask: {table}");
    assert!(
        table.contains(&format!("…{}", &value[value.len() - 4..])),
        "{table}"
    );

    let shown = api
        .cli()
        .args(["tokens", "list", "--show-secrets"])
        .output()
        .unwrap();
    assert!(String::from_utf8(shown.stdout).unwrap().contains(&value));

    api.cli()
        .args(["filters", "list"])
        .assert()
        .success()
        .stdout("No token filters.\n");
}

#[test]
fn not_found_and_invalid_input_have_their_exit_codes() {
    let api = Api::start();
    api.fails(
        &["tokens", "get", "4242"],
        3,
        &["tokens get 4242: not found", "tokens list"],
    );
    api.fails(&["filters", "delete", "77", "--yes"], 3, &[]);
    api.fails(
        &["filters", "create", "type", "two words"],
        2,
        &["invalid value"],
    );
    api.fails(&["tokens", "update", "1"], 2, &["nothing to change"]);
}

#[test]
fn auth_failures_exit_4_with_what_to_do() {
    let config = Config {
        api_tokens: vec!["permitted-token-0123456789".into()],
        no_permission_tokens: vec!["no-permission-token-0123".into()],
        ..Config::for_tests()
    };
    let api = Api::with_config(config);
    api.cli()
        .env("LOGZIO_API_TOKEN", "no-permission-token-0123")
        .args(["tokens", "list"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("shared-tokens permission"))
        .stderr(predicate::str::contains("Logz.io support"))
        .stderr(predicate::str::contains("no-permission-token").not());
    api.cli()
        .env("LOGZIO_API_TOKEN", "unknown-token-0123456789")
        .args(["filters", "list"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("401"))
        .stderr(predicate::str::contains("LOGZIO_API_TOKEN"))
        .stderr(predicate::str::contains("unknown-token").not());
    support::bare_cli()
        .args(["--api-url", &api.url, "tokens", "list"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("no API token"));
}

#[test]
fn an_unavailable_api_exits_5_after_retries() {
    let api = Api::start();
    api.control().set_fail_rate(1.0);
    api.fails(
        &["tokens", "list"],
        5,
        &["temporarily unavailable", "try again later"],
    );
}

#[test]
fn the_token_file_and_stdin_are_read_and_never_echoed() {
    let api = Api::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("token");
    std::fs::write(&file, format!("{}\n", api.token)).unwrap();
    support::bare_cli()
        .args(["--api-url", &api.url, "--api-token-file"])
        .arg(&file)
        .args(["--json", "tokens", "list"])
        .assert()
        .success()
        .stdout("[]\n");
    support::bare_cli()
        .args([
            "--api-url",
            &api.url,
            "--api-token-file",
            "-",
            "filters",
            "list",
        ])
        .write_stdin(api.token.clone())
        .assert()
        .success();
    support::bare_cli()
        .args(["--api-url", &api.url, "--api-token-file"])
        .arg(dir.path().join("missing"))
        .args(["tokens", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read the API token"));
}

#[test]
fn verbose_tracing_goes_to_stderr_without_secrets() {
    let api = Api::start();
    let output = api
        .cli()
        .args(["-vv", "tokens", "create", "traced"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("createToken"), "{stderr}");
    assert!(
        !stderr.contains(&api.token),
        "the API token leaked: {stderr}"
    );
    let value = api.json(&["tokens", "list", "--show-secrets"])[0]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(!stderr.contains(&value), "the token value leaked: {stderr}");
}
