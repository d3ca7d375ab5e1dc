//! `logzio-shared-tokens api`: any operation by its operationId, through the
//! real binary against the in-process emulator, with JSON to stdout, secrets
//! masked, the usual exit codes, and usage errors before anything is sent.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use predicates::prelude::*;
use serde_json::Value;
use support::{Api, bare_cli};

fn stdout_json(output: &std::process::Output) -> Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn list_names_every_operation_with_its_method_path_and_summary() {
    let listed: Value = serde_json::from_slice(
        &bare_cli()
            .args(["api", "--list", "--json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let operations = listed.as_array().unwrap();
    assert_eq!(operations.len(), 9, "{listed}");
    let get = operations
        .iter()
        .find(|op| op["operationId"] == "getToken")
        .unwrap();
    assert_eq!(get["method"], "GET");
    assert_eq!(get["path"], "/v1/shared-tokens/{id}");
    assert_eq!(get["summary"], "Get a shared token");
    // No API token is needed to list, and the table names the same operations.
    bare_cli()
        .args(["api", "--list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("deleteFilter").and(predicate::str::contains("POST")));
}

#[test]
fn operations_round_trip_as_json_with_secrets_masked_unless_asked() {
    let api = Api::start();
    let created = stdout_json(
        &api.cli()
            .args(["api", "createFilter", "--body", "-"])
            .write_stdin(r#"{"field": "type", "value": "nginx"}"#)
            .output()
            .unwrap(),
    );
    assert_eq!(created["field"], "type");
    let filter_id = created["id"].as_i64().unwrap().to_string();

    let token = api.token("via-api", &[created["id"].as_i64().unwrap()]);
    let id = token["id"].as_i64().unwrap().to_string();
    let secret = token["token"].as_str().unwrap().to_owned();

    let got = stdout_json(
        &api.cli()
            .args(["api", "getToken", "--path", &format!("id={id}")])
            .output()
            .unwrap(),
    );
    assert_eq!(got["name"], "via-api");
    assert_eq!(got["filters"][0].as_i64(), created["id"].as_i64());
    let masked = got["token"].as_str().unwrap();
    assert!(!masked.contains(&secret[..8]), "{masked}");

    let shown = stdout_json(
        &api.cli()
            .args([
                "api",
                "getToken",
                "--path",
                &format!("id={id}"),
                "--show-secrets",
            ])
            .output()
            .unwrap(),
    );
    assert_eq!(shown["token"], secret.as_str());

    // An empty answer prints nothing.
    api.cli()
        .args(["api", "deleteToken", "--path", &format!("id={id}")])
        .assert()
        .success()
        .stdout("");
    let listed = stdout_json(&api.cli().args(["api", "getAllTokens"]).output().unwrap());
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["name"] != "via-api")
    );

    // Answers map to the usual exit codes: a missing token is "not found".
    api.cli()
        .args(["api", "getToken", "--path", &format!("id={id}")])
        .assert()
        .code(3);
    api.cli()
        .args(["api", "deleteFilter", "--path", &format!("id={filter_id}")])
        .assert()
        .success();
}

#[test]
fn bad_input_is_a_usage_error_before_any_client_is_built() {
    // No API token and nothing listening: only the input is judged (exit 2),
    // never the missing token (4) or the unreachable URL (5).
    let unreachable = ["--api-url", "http://127.0.0.1:9"];
    let cases: [(&[&str], &str); 5] = [
        (&["api", "getTokn"], "did you mean getToken"),
        (&["api", "getToken"], "needs the path parameter `id`"),
        (
            &["api", "getToken", "--path", "id=1", "--path", "name=x"],
            "no path parameter `name`",
        ),
        (
            &["api", "getAllTokens", "--path", "id=1"],
            "takes no path parameter",
        ),
        (&["api", "createFilter", "--body", "-"], "is not JSON"),
    ];
    for (args, expected) in cases {
        bare_cli()
            .args(unreachable)
            .args(args)
            .write_stdin("{not json")
            .assert()
            .code(2)
            .stderr(predicate::str::contains(expected));
    }
    bare_cli()
        .args(["api", "getToken", "--path", "id"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("NAME=VALUE"));
}

#[test]
fn the_api_token_is_never_an_argument_of_api_either() {
    bare_cli()
        .args(["api", "getAllTokens", "--api-token=secret-value"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("never accepted as an argument"))
        .stderr(predicate::str::contains("secret-value").not());
}
