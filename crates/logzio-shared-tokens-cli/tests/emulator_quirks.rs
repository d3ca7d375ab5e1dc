//! Every answer shape that once broke the client, through the binary, against
//! the emulator's quirk modes: proxy error pages (scripted, and from `proxy-errors`),
//! Logz.io's declared operator array, an operator this client never saw,
//! records made outside the API, and every quirk at once. The emulator
//! answers `Retry-After: 0` so the retry rows stay fast. Exit codes are the
//! documented ones: 4 auth, 5 unavailable, 1 any other failure.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use logzio_shared_tokens_emulator::{Config, Fault, Quirk, Quirks};
use predicates::prelude::*;
use support::Api;

const NO_PERMISSION_TOKEN: &str = "no-permission-token-9f8e7d";

fn emulator(quirks: impl Into<Quirks>) -> Api {
    Api::with_config(Config {
        api_tokens: vec!["quirks-api-token-0123456789".into()],
        no_permission_tokens: vec![NO_PERMISSION_TOKEN.into()],
        quirks: quirks.into(),
        retry_after: Duration::ZERO,
        ..Config::for_tests()
    })
}

#[test]
fn an_html_503_is_retried_and_the_third_attempt_succeeds() {
    let api = emulator(Quirks::none());
    api.control().fail_next(2, Fault::html(503)).unwrap();
    assert_eq!(api.json(&["tokens", "list"]), serde_json::json!([]));
    let stats = api.control().stats();
    assert_eq!((stats.requests, stats.scripted_faults), (3, 2));
}

#[test]
fn a_text_429_is_retried() {
    let api = emulator(Quirks::none());
    api.control().fail_next(1, Fault::plain_text(429)).unwrap();
    assert_eq!(api.json(&["filters", "list"]), serde_json::json!([]));
    assert_eq!(api.control().stats().requests, 2);
}

#[test]
fn proxy_pages_that_never_clear_exit_5_saying_what_came_back() {
    let api = emulator(Quirk::ProxyErrors);
    api.control().set_fail_rate(1.0);
    api.fails(
        &["tokens", "list"],
        5,
        &["temporarily unavailable", "attempts over"],
    );
    api.control().set_fail_rate(0.0);
    api.control().fail_next(50, Fault::plain_text(429)).unwrap();
    api.fails(&["filters", "list"], 5, &["rate limited"]);
}

#[test]
fn a_gateway_page_exits_1_naming_the_status() {
    let api = emulator(Quirks::none());
    api.control().fail_next(1, Fault::html(504)).unwrap();
    api.fails(&["filters", "list"], 1, &["504", "text/html"]);
}

#[test]
fn an_html_401_exits_4() {
    let api = emulator(Quirk::ProxyErrors);
    api.cli()
        .env("LOGZIO_API_TOKEN", "unknown-token-0123456789")
        .args(["tokens", "list"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("LOGZIO_API_TOKEN"))
        .stderr(predicate::str::contains("unknown-token").not());
}

#[test]
fn an_empty_403_exits_4_with_the_advice() {
    let api = emulator(Quirk::ProxyErrors);
    api.cli()
        .env("LOGZIO_API_TOKEN", NO_PERMISSION_TOKEN)
        .args(["filters", "get", "3"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("forbidden"))
        .stderr(predicate::str::contains("empty body"))
        .stderr(predicate::str::contains("Logz.io support"));
}

#[test]
fn the_declared_operator_array_prints_as_one_value() {
    let api = emulator(Quirk::OperatorArray);
    let filter = api.filter("type", "nginx");
    let created = api.json(&[
        "tokens",
        "create",
        "declared",
        "--filter",
        &filter.to_string(),
        "--operator",
        "AND",
    ]);
    assert_eq!(created["filtersOperator"], "AND");
    let tokens = api.json(&["tokens", "list"]);
    assert_eq!(tokens[0]["filtersOperator"], "AND");
    api.cli()
        .args(["tokens", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("AND"));
}

#[test]
fn an_unknown_operator_is_shown_as_sent() {
    let api = emulator(Quirks::none());
    let odd = api.token("odd", &[]);
    api.token("plain", &[]);
    let id = i32::try_from(odd["id"].as_i64().unwrap()).unwrap();
    api.control().set_operator(&api.token, id, "NOR").unwrap();
    let tokens = api.json(&["tokens", "list"]);
    assert_eq!(tokens[0]["filtersOperator"], "NOR");
    assert_eq!(tokens[1]["filtersOperator"], "OR");
    api.cli()
        .args(["tokens", "get", &id.to_string()])
        .assert()
        .success()
        .stdout(predicate::str::contains("NOR"));
}

#[test]
fn records_made_outside_the_api_are_listed_and_audited() {
    let api = emulator(Quirk::ForeignRecords);
    let filters = api.json(&["filters", "list"]);
    assert_eq!(filters[0]["field"], "kubernetes.labels.app name");
    assert_eq!(filters[0]["value"], "café: au lait");
    api.cli()
        .args(["filters", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("café: au lait"));
    let tokens = api.json(&["tokens", "list"]);
    assert_eq!(tokens[0]["expirationDate"], serde_json::Value::Null);
    // The tools that read whole lists keep working on such an account.
    api.cli().args(["audit"]).assert().success();
    // The pattern still binds what the CLI sends.
    api.cli()
        .args(["filters", "create", "app name", "x"])
        .assert()
        .code(2);
}

#[test]
fn every_quirk_at_once_keeps_every_read_command_working() {
    let api = emulator(Quirks::all());
    let filter = api.filter("env", "prod");
    let token = api.token("everything", &[filter]);
    let id = token["id"].as_i64().unwrap().to_string();
    let read = api.json(&["tokens", "get", &id]);
    assert_eq!(read["filters"], serde_json::json!([filter]));
    assert_eq!(read["filtersOperator"], "OR");
    assert_eq!(read["expirationDate"], serde_json::Value::Null);
    for args in [
        &["tokens", "list"][..],
        &["filters", "list"],
        &["filters", "get", &filter.to_string()],
        &["audit"],
    ] {
        api.cli().args(args).assert().success();
    }
}
