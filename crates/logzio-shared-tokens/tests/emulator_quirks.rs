//! Every answer shape that once broke the client, against the emulator's quirk
//! modes instead of canned bytes: proxy error pages (scripted and from `proxy-errors`),
//! Logz.io's declared and legacy shapes, an operator this client has never
//! seen, and records made outside the API. The emulator answers
//! `Retry-After: 0`, so the retry rows take milliseconds.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use logzio_shared_tokens::{Client, Error, FiltersOperator, OpenEnum, SharedTokenExt};
use logzio_shared_tokens_emulator::{Config, Emulator, Fault, Quirk, Quirks};
use support::{API_TOKEN, client_builder, fast_retries, forbidden_message, not_found_message};

const NO_PERMISSION_TOKEN: &str = "no-permission-token-5e4d3c2b1a";

/// An emulator with these quirks, `Retry-After: 0`, and a client for it.
async fn emulator(quirks: impl Into<Quirks>) -> (Emulator, Client) {
    let emulator = Emulator::start(Config {
        api_tokens: vec![API_TOKEN.into()],
        no_permission_tokens: vec![NO_PERMISSION_TOKEN.into()],
        quirks: quirks.into(),
        retry_after: Duration::ZERO,
        ..Config::for_tests()
    })
    .await
    .unwrap();
    let client = client_builder(emulator.base_url()).build().unwrap();
    (emulator, client)
}

#[tokio::test]
async fn an_html_503_with_retry_after_zero_is_retried_until_the_third_attempt_succeeds() {
    let (emulator, client) = emulator(Quirks::none()).await;
    emulator.control().fail_next(2, Fault::html(503)).unwrap();
    assert!(client.tokens().list().await.unwrap().is_empty());
    let stats = emulator.stats();
    assert_eq!((stats.requests, stats.scripted_faults), (3, 2));
}

#[tokio::test]
async fn a_text_429_is_retried_then_succeeds() {
    let (emulator, client) = emulator(Quirks::none()).await;
    emulator
        .control()
        .fail_next(1, Fault::plain_text(429))
        .unwrap();
    assert!(client.filters().list().await.unwrap().is_empty());
    assert_eq!(emulator.stats().requests, 2);
}

#[tokio::test]
async fn proxy_pages_that_never_clear_are_unavailable_or_rate_limited_after_every_attempt() {
    let (emulator, _) = emulator(Quirk::ProxyErrors).await;
    let client = client_builder(emulator.base_url())
        .retry_policy(fast_retries(3))
        .build()
        .unwrap();
    // The fail rate's 503s are a load balancer's HTML pages in this mode.
    emulator.control().set_fail_rate(1.0);
    let error = client.tokens().list().await.unwrap_err();
    assert!(matches!(error, Error::Unavailable { .. }), "{error:?}");
    assert_eq!(error.attempts(), Some(3));
    assert_eq!(error.retry_after(), Some(Duration::ZERO));
    emulator.control().set_fail_rate(0.0);

    emulator
        .control()
        .fail_next(3, Fault::plain_text(429))
        .unwrap();
    let error = client.filters().list().await.unwrap_err();
    assert!(matches!(error, Error::RateLimited { .. }), "{error:?}");
    assert_eq!(error.attempts(), Some(3));
    assert_eq!(emulator.control().pending_faults(), 0);
}

#[tokio::test]
async fn an_html_401_is_unauthorized_and_not_retried() {
    let (emulator, _) = emulator(Quirk::ProxyErrors).await;
    let stranger = client_builder(emulator.base_url())
        .api_token("not-an-api-token-of-this-emulator")
        .build()
        .unwrap();
    let error = stranger.tokens().list().await.unwrap_err();
    assert!(matches!(error, Error::Unauthorized { .. }), "{error:?}");
    assert_eq!(emulator.stats().requests, 1);
}

#[tokio::test]
async fn an_empty_403_is_forbidden_saying_the_body_was_empty() {
    let (emulator, _) = emulator(Quirk::ProxyErrors).await;
    let unprivileged = client_builder(emulator.base_url())
        .api_token(NO_PERMISSION_TOKEN)
        .build()
        .unwrap();
    let error = unprivileged.filters().get(1).await.unwrap_err();
    let message = forbidden_message(&error);
    assert_eq!(message, "HTTP 403 with an empty body");
}

#[tokio::test]
async fn the_operator_as_logz_io_declares_it_keeps_the_list() {
    let (emulator, client) = emulator(Quirk::OperatorArray).await;
    let filter = client.filters().create("type", "nginx").await.unwrap();
    let created = client
        .tokens()
        .create("declared")
        .filter(filter.id)
        .operator(FiltersOperator::And)
        .send()
        .await
        .unwrap();
    assert_eq!(created.operator(), FiltersOperator::And);
    client.tokens().create("default").await.unwrap();
    let tokens = client.tokens().list().await.unwrap();
    let operators: Vec<_> = tokens.iter().map(SharedTokenExt::operator).collect();
    assert_eq!(operators, [FiltersOperator::And, FiltersOperator::Or]);
    emulator.shutdown().await;
}

#[tokio::test]
async fn an_operator_this_client_never_saw_keeps_the_list_and_round_trips() {
    let (emulator, client) = emulator(Quirks::none()).await;
    let odd = client.tokens().create("odd").await.unwrap();
    client.tokens().create("plain").await.unwrap();
    emulator
        .control()
        .set_operator(API_TOKEN, odd.id, "NOR")
        .unwrap();
    let tokens = client.tokens().list().await.unwrap();
    assert_eq!(tokens.len(), 2);
    assert_eq!(tokens[0].operator(), OpenEnum::Unknown("NOR".to_owned()));
    assert_eq!(tokens[1].operator(), FiltersOperator::Or);
    let json = serde_json::to_value(&tokens[0]).unwrap();
    assert_eq!(json["filtersOperator"], "NOR");
    // Changing only its filters keeps the operator the server holds.
    let updated = client
        .tokens()
        .update(odd.id, Vec::<i32>::new())
        .send()
        .await
        .unwrap();
    assert_eq!(updated.operator().to_string(), "NOR");
}

#[tokio::test]
async fn filters_made_outside_the_api_are_listed_and_the_pattern_binds_only_what_we_send() {
    let (emulator, client) = emulator(Quirk::ForeignRecords).await;
    let filters = client.filters().list().await.unwrap();
    assert_eq!(filters.len(), 2, "{filters:?}");
    assert_eq!(filters[0].field, "kubernetes.labels.app name");
    assert_eq!(filters[0].value, "café: au lait");
    assert_eq!(filters[1].value, "error OR warn*");
    let added = emulator
        .control()
        .add_foreign_filter(API_TOKEN, "", "*", None)
        .unwrap();
    assert_eq!(client.filters().get(added).await.unwrap().value, "*");

    // What depends on the list works: find, ensure, and the legacy token.
    let found = client.filters().find("message", "error OR warn*").await;
    assert_eq!(found.unwrap().unwrap().id, filters[1].id);
    let nginx = client.filters().ensure("type", "nginx").await;
    assert!(nginx.unwrap().was_created());
    let legacy = &client.tokens().list().await.unwrap()[0];
    assert_eq!(legacy.filter_ids().len(), 2);
    assert_eq!(legacy.operator(), FiltersOperator::And);
    assert_eq!(legacy.expires_at(), None);

    let refused = client.filters().create("app name", "x").await.unwrap_err();
    assert!(matches!(refused, Error::InvalidInput { .. }), "{refused:?}");
    emulator.shutdown().await;
}

#[tokio::test]
async fn every_quirk_at_once_reads_like_the_clean_shape() {
    let (clean, clean_client) = emulator(Quirks::none()).await;
    let (quirky, quirky_client) = emulator(Quirks::all()).await;
    // Scripted faults come first, then every operation works.
    quirky.control().fail_next(1, Fault::html(502)).unwrap();
    let error = quirky_client.filters().list().await.unwrap_err();
    assert!(matches!(error, Error::Api { status: 502, .. }), "{error:?}");
    for (emulator, client) in [(&clean, &clean_client), (&quirky, &quirky_client)] {
        let filter = client.filters().create("env", "prod").await.unwrap();
        let token = client
            .tokens()
            .create("everything")
            .filter(filter.id)
            .send()
            .await
            .unwrap();
        let id = token.id;
        let used = 1_735_743_699_500;
        emulator
            .control()
            .set_last_used(API_TOKEN, id, Some(used))
            .unwrap();
        let read = client.tokens().get(id).await.unwrap();
        assert_eq!(read.filter_ids(), [filter.id]);
        assert_eq!(read.last_used().unwrap().as_millisecond(), used);
        assert_eq!(read.operator(), FiltersOperator::Or);
        client.tokens().delete(id).await.unwrap();
        client.filters().delete(filter.id).await.unwrap();
    }
    // The clean emulator's tokens expire in 7 days; `null-expiry` ones never.
    let expiring = clean_client.tokens().create("x").await.unwrap();
    assert!(expiring.expires_at().is_some());
    let legacy = quirky_client.tokens().create("x").await.unwrap();
    assert_eq!(legacy.expires_at(), None);
}

#[tokio::test]
async fn a_one_character_api_token_never_corrupts_or_reclassifies_a_message() {
    let emulator = Emulator::start(Config {
        api_tokens: vec!["t".into()],
        quirks: Quirk::UnknownFields.into(),
        ..Config::for_tests()
    })
    .await
    .unwrap();
    let client = client_builder(emulator.base_url())
        .api_token("t")
        .build()
        .unwrap();
    let error = client.tokens().get(12345).await.unwrap_err();
    let message = not_found_message(&error);
    let account = emulator.control().account_id("t").unwrap();
    assert_eq!(
        message,
        format!("token with id 12345 not found for account {account}")
    );
}
