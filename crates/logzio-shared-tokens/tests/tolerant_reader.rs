//! The tolerant reader, against what real deployments send and our emulator
//! never did: a load balancer's HTML 503, a proxy's text 429, empty 401/403
//! bodies, Logz.io's own declared types, and records made outside this
//! client. Status decides the error; one odd record never fails a list.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use logzio_shared_tokens::{Error, FiltersOperator, OpenEnum, SharedTokenExt};
use support::{
    Canned, CannedServer, client_builder, decode_location, fast_retries, forbidden_message,
    not_found_message,
};

const LOAD_BALANCER_PAGE: &str = "<html><head><title>503 Service Temporarily Unavailable</title></head>\
<body><center><h1>503 Service Temporarily Unavailable</h1></center><hr><center>nginx</center></body></html>";

fn text(status: u16, content_type: &str, body: &str) -> Canned {
    Canned::Respond {
        status,
        headers: vec![("Content-Type".into(), content_type.into())],
        body: body.to_owned(),
    }
}

#[tokio::test]
async fn an_html_503_with_retry_after_zero_is_retried_until_it_succeeds() {
    let busy = Canned::html(503, LOAD_BALANCER_PAGE).with_header("Retry-After", "0");
    let server = CannedServer::start(vec![
        busy.clone(),
        busy,
        Canned::json(200, r#"[{"id": 1, "name": "ok"}]"#),
    ])
    .await;
    let tokens = server.client().tokens().list().await.unwrap();
    assert_eq!(tokens.len(), 1);
    assert_eq!(server.received().len(), 3, "succeeds on the third attempt");
}

#[tokio::test]
async fn a_text_429_is_retried_like_its_json_form() {
    let server = CannedServer::start(vec![
        text(429, "text/plain", "Too Many Requests").with_header("Retry-After", "0"),
        Canned::json(200, r#"[]"#),
    ])
    .await;
    assert!(server.client().filters().list().await.unwrap().is_empty());
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn exhausted_retries_say_what_came_back_and_how_often() {
    let server = CannedServer::start(vec![
        Canned::html(503, LOAD_BALANCER_PAGE).with_header("Retry-After", "0"),
    ])
    .await;
    let client = client_builder(&server.base_url)
        .retry_policy(fast_retries(3))
        .build()
        .unwrap();
    let error = client.tokens().list().await.unwrap_err();
    assert!(matches!(error, Error::Unavailable { .. }), "{error:?}");
    assert_eq!(error.attempts(), Some(3));
    assert_eq!(error.retry_after(), Some(Duration::ZERO));
    let message = error.to_string();
    assert!(message.contains("after 3 attempts over"), "{message}");
    assert_eq!(server.received().len(), 3);
}

#[tokio::test]
async fn auth_errors_are_decided_by_status_whatever_the_body() {
    let server = CannedServer::start(vec![Canned::html(401, "<h1>Unauthorized</h1>")]).await;
    let error = server.client().tokens().list().await.unwrap_err();
    assert!(matches!(error, Error::Unauthorized { .. }), "{error:?}");
    assert_eq!(server.received().len(), 1, "401 is not retried");

    let server = CannedServer::start(vec![text(403, "text/plain", "")]).await;
    let error = server.client().tokens().get(5).await.unwrap_err();
    let message = forbidden_message(&error);
    assert_eq!(message, "HTTP 403 with an empty body");
    assert!(error.to_string().contains("ask Logz.io support"), "{error}");
}

#[tokio::test]
async fn the_raw_client_takes_the_same_request_path() {
    let busy = Canned::html(503, LOAD_BALANCER_PAGE).with_header("Retry-After", "0");
    let server = CannedServer::start(vec![busy, Canned::json(200, r#"[]"#)]).await;
    let client = server.client();
    let answer = client.raw().get_all_filters().send().await.unwrap();
    assert!(answer.into_inner().is_empty());
    assert_eq!(server.received().len(), 2, "raw() calls are retried too");

    let server = CannedServer::start(vec![Canned::html(502, "<p>Bad Gateway</p>")]).await;
    let error = server
        .client()
        .raw()
        .get_all_filters()
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(502));
}

#[tokio::test]
async fn logz_io_declared_types_and_unknown_values_keep_the_list() {
    let server = CannedServer::start(vec![Canned::json(
        200,
        r#"[
            {"id": 1, "name": "declared", "filtersOperator": ["AND"], "filters": [3]},
            {"id": 2, "name": "new value", "filtersOperator": "NOT", "surprise": {"x": 1}},
            {"id": 3, "name": "plain", "filtersOperator": "OR", "lastUsed": 1735743699.000000000}
        ]"#,
    )])
    .await;
    let tokens = server.client().tokens().list().await.unwrap();
    assert_eq!(tokens.len(), 3);
    assert_eq!(tokens[0].operator(), FiltersOperator::And);
    assert_eq!(tokens[1].operator(), OpenEnum::Unknown("NOT".to_owned()));
    assert_eq!(tokens[1].operator().to_string(), "NOT");
    assert_eq!(tokens[2].operator(), FiltersOperator::Or);
    // The unknown value round-trips exactly.
    let json = serde_json::to_value(&tokens[1]).unwrap();
    assert_eq!(json["filtersOperator"], "NOT");
}

#[tokio::test]
async fn filters_made_outside_the_api_are_read_and_compared_as_strings() {
    let server = CannedServer::start(vec![Canned::json(
        200,
        r#"[
            {"id": 1, "field": "type", "value": "nginx"},
            {"id": 2, "field": "kubernetes.labels.app name", "value": "café: au lait", "description": null},
            {"id": 3, "field": "", "value": "*"}
        ]"#,
    )])
    .await;
    let filters = server.client().filters().list().await.unwrap();
    assert_eq!(filters.len(), 3);
    assert_eq!(filters[1].field, "kubernetes.labels.app name");
    assert_eq!(filters[2].value, "*");
    // The pattern still binds what this client sends: nothing reaches the server.
    let refused = server
        .client()
        .filters()
        .create("app name", "x")
        .await
        .unwrap_err();
    assert!(matches!(refused, Error::InvalidInput { .. }), "{refused:?}");
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn an_undecodable_success_names_the_operation_and_path_never_the_value() {
    let server = CannedServer::start(vec![Canned::json(
        200,
        r#"[{"id": 1}, {"id": 2}, {"id": 3}, {"id": 4, "lastUsed": "do-not-print-me"}]"#,
    )])
    .await;
    let error = server.client().tokens().list().await.unwrap_err();
    assert_eq!(decode_location(&error), ("getAllTokens", "[3].lastUsed"));
    let message = error.to_string();
    assert!(
        message.contains("getAllTokens response: [3].lastUsed"),
        "{message}"
    );
    assert!(!message.contains("do-not-print-me"), "{message}");
}

#[tokio::test]
async fn a_one_character_api_token_never_corrupts_or_reclassifies_a_message() {
    let server = CannedServer::start(vec![Canned::json(
        400,
        r#"{"message": "token with id 12345 not found for account 54321"}"#,
    )])
    .await;
    let client = client_builder(&server.base_url)
        .api_token("t")
        .build()
        .unwrap();
    let error = client.tokens().get(12345).await.unwrap_err();
    let message = not_found_message(&error);
    assert_eq!(message, "token with id 12345 not found for account 54321");
}
