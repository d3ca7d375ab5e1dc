//! Bodies and ids each operation must refuse: a 400 whose message names the field
//! and the reason, and an account left as it was.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use logzio_shared_tokens_emulator::{Config, Emulator};
use serde_json::{Value, json};
use support::{Api, start};

/// An operation, the id in its path, a body it must refuse with 400, and what the
/// message must mention.
type Refusal = (&'static str, Option<i64>, Value, &'static str);

/// An account with one filter and one token without filters, for the refusal tests;
/// returns the filter's and the token's ids.
async fn refusal_fixture() -> (Emulator, Api, i64, i64) {
    let (emulator, api) = start(Config::for_tests()).await;
    let filter = api.create_filter("type", "nginx").await;
    let token = api.create_token("t", &[]).await["id"].as_i64().unwrap();
    (emulator, api, filter, token)
}

/// Each case answers 400 naming the field and the reason, and none of them changed
/// the account of [`refusal_fixture`].
async fn assert_each_refused_and_nothing_changed(api: &Api, cases: Vec<Refusal>) {
    for (operation, id, body, reason) in cases {
        let answer = api.call(operation, id, Some(body.clone())).await;
        assert_eq!(answer.status, 400, "{operation} {body}");
        assert!(
            answer.message().contains(reason),
            "{operation} {body}: `{}` should mention {reason}",
            answer.message()
        );
    }
    // None of them changed anything.
    assert_eq!(
        api.call("getAllFilters", None, None)
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let tokens = api.call("getAllTokens", None, None).await.json();
    assert_eq!(tokens.as_array().unwrap().len(), 1);
    assert_eq!(tokens[0]["filters"], Value::Null);
}

#[tokio::test]
async fn invalid_filters_are_refused_with_the_field_and_the_reason() {
    let (emulator, api, _, _) = refusal_fixture().await;
    let cases: Vec<Refusal> = vec![
        (
            "createFilter",
            None,
            json!({"field": "has space", "value": "x"}),
            "`field`",
        ),
        (
            "createFilter",
            None,
            json!({"field": "x", "value": "a/b"}),
            "`value`",
        ),
        (
            "createFilter",
            None,
            json!({"field": "", "value": "x"}),
            "`field`",
        ),
        (
            "createFilter",
            None,
            json!({"value": "x"}),
            "missing field `field`",
        ),
        (
            "createFilter",
            None,
            json!({"field": "x"}),
            "missing field `value`",
        ),
        ("createFilter", None, json!([]), "JSON object"),
        (
            "createFilter",
            None,
            json!([null, "f", null, "v"]),
            "JSON object",
        ),
    ];
    assert_each_refused_and_nothing_changed(&api, cases).await;
    emulator.shutdown().await;
}

#[tokio::test]
async fn invalid_new_tokens_are_refused_with_the_field_and_the_reason() {
    let (emulator, api, filter, _) = refusal_fixture().await;
    let cases: Vec<Refusal> = vec![
        ("createToken", None, json!({}), "missing field `tokenName`"),
        ("createToken", None, json!({"tokenName": ""}), "`tokenName`"),
        ("createToken", None, json!({"tokenName": 5}), "`tokenName`"),
        (
            "createToken",
            None,
            json!({"tokenName": "x", "filters": [filter, filter]}),
            "listed twice",
        ),
        (
            "createToken",
            None,
            json!({"tokenName": "x", "filters": [4242]}),
            "filters: filter with id 4242 not found",
        ),
        (
            "createToken",
            None,
            json!({"tokenName": "x", "filters": [1.5]}),
            "`filters[0]`",
        ),
        (
            "createToken",
            None,
            json!({"tokenName": "x", "filters": [3_000_000_000_i64]}),
            "`filters[0]`",
        ),
        (
            "createToken",
            None,
            json!({"tokenName": "x", "filtersOperator": "XOR"}),
            "`filtersOperator`",
        ),
    ];
    assert_each_refused_and_nothing_changed(&api, cases).await;
    emulator.shutdown().await;
}

#[tokio::test]
async fn invalid_token_updates_are_refused_with_the_field_and_the_reason() {
    let (emulator, api, _, token) = refusal_fixture().await;
    let cases: Vec<Refusal> = vec![
        (
            "updateToken",
            Some(token),
            json!({}),
            "missing field `filters`",
        ),
        (
            "updateToken",
            Some(token),
            json!({"filters": null}),
            "`filters`",
        ),
        (
            "updateToken",
            Some(token),
            json!({"filters": [77]}),
            "filter with id 77",
        ),
        (
            "updateToken",
            Some(4242),
            json!({"filters": []}),
            "token with id 4242",
        ),
    ];
    assert_each_refused_and_nothing_changed(&api, cases).await;
    emulator.shutdown().await;
}
