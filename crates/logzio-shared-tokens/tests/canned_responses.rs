//! The facade against a raw canned-response server on 127.0.0.1: the answer
//! shapes the emulator never produces (legacy `filterIds`, timestamp forms),
//! malformed answers, and the retry rules that depend on exactly how an
//! attempt failed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use logzio_shared_tokens::{Error, FiltersOperator, InputField, SharedTokenExt, TransportKind};
use support::{API_TOKEN, Canned, CannedServer, client_builder, fast_retries, refused_input};

const TOKEN_VALUE: &str = "5b1c0f2e-1111-4222-8333-944455556666";

#[tokio::test]
async fn filter_ids_come_from_filters_legacy_filter_ids_or_null() {
    let server = CannedServer::start(vec![Canned::json(
        200,
        r#"[
            {"id": 1, "name": "new", "filters": [3, 4], "filtersOperator": "AND"},
            {"id": 2, "name": "legacy", "filterIds": [5]},
            {"id": 3, "name": "none", "filters": null, "filterIds": null},
            {"id": 4, "name": "absent"}
        ]"#,
    )])
    .await;
    let tokens = server.client().tokens().list().await.unwrap();
    let ids: Vec<Vec<i32>> = tokens.iter().map(|t| t.filter_ids().to_vec()).collect();
    assert_eq!(ids, [vec![3, 4], vec![5], vec![], vec![]]);
    assert_eq!(tokens[0].operator(), FiltersOperator::And);
    assert_eq!(tokens[1].operator(), FiltersOperator::Or);
}

#[tokio::test]
async fn timestamps_are_read_in_every_form_logz_io_has_used() {
    let expected: jiff::Timestamp = "2025-01-01T15:01:39Z".parse().unwrap();
    for form in [
        "1735743699000",
        "1735743699.000000000",
        "[1735743699000]",
        "\"2025-01-01T15:01:39Z\"",
    ] {
        let body = format!(r#"{{"id": 9, "lastUsed": {form}, "expirationDate": {form}}}"#);
        let server = CannedServer::start(vec![Canned::json(200, &body)]).await;
        let token = server.client().tokens().get(9).await.unwrap();
        assert_eq!(token.last_used(), Some(expected), "{form}");
        assert_eq!(token.expires_at(), Some(expected), "{form}");
    }
    let server =
        CannedServer::start(vec![Canned::json(200, r#"{"id": 9, "lastUsed": null}"#)]).await;
    let token = server.client().tokens().get(9).await.unwrap();
    assert_eq!(token.last_used(), None);
    assert_eq!(token.expires_at(), None);
}

#[tokio::test]
async fn an_html_502_page_is_an_api_error_with_an_excerpt() {
    let page = format!(
        "<html><body><h1>502 Bad Gateway</h1>{}</body></html>",
        "padding ".repeat(200)
    );
    let server = CannedServer::start(vec![Canned::html(502, &page)]).await;
    let error = server.client().tokens().list().await.unwrap_err();
    match &error {
        Error::Api {
            status, message, ..
        } => {
            assert_eq!(*status, 502);
            assert!(message.contains("502 Bad Gateway"), "{message}");
            assert!(message.chars().count() <= 513, "kept the whole page");
        }
        other => panic!("expected Api, got {other:?}"),
    }
    assert_eq!(error.status(), Some(502));
    assert!(!error.is_retryable());
    assert_eq!(server.received().len(), 1, "502 is not retried");
}

#[tokio::test]
async fn undecodable_success_bodies_are_decode_errors() {
    for (case, body) in [
        ("empty 200", ""),
        ("html 200", "<html>ok</html>"),
        ("wrong types", r#"{"id": "seven", "name": 3}"#),
        ("array for object", "[1, 2]"),
    ] {
        let server = CannedServer::start(vec![Canned::json(200, body)]).await;
        let error = server.client().tokens().get(7).await.unwrap_err();
        assert!(matches!(error, Error::Decode { .. }), "{case}: {error:?}");
        assert!(
            !error.to_string().contains("seven"),
            "{case}: quotes the body"
        );
        assert_eq!(
            server.received().len(),
            1,
            "{case}: decode errors are not retried"
        );
    }
    let server = CannedServer::start(vec![Canned::json(200, r#"{"id": 1}"#)]).await;
    let error = server.client().tokens().list().await.unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
}

#[tokio::test]
async fn a_404_from_a_proxy_is_not_found() {
    let server = CannedServer::start(vec![Canned::html(404, "no such path")]).await;
    let error = server.client().filters().get(3).await.unwrap_err();
    assert!(
        matches!(error, Error::NotFound { ref message, .. }
            if message == "HTTP 404 with a text/html body (a proxy or load balancer?): no such path"),
        "{error:?}"
    );
}

#[tokio::test]
async fn post_is_retried_after_503_and_429_and_honours_retry_after() {
    let created = format!(r#"{{"id": 11, "name": "n", "token": "{TOKEN_VALUE}"}}"#);
    let server = CannedServer::start(vec![
        Canned::json(503, r#"{"message": "try later"}"#).with_header("Retry-After", "0"),
        Canned::json(429, r#"{"message": "slow down"}"#).with_header("Retry-After", "1"),
        Canned::json(200, &created),
    ])
    .await;
    let started = std::time::Instant::now();
    let token = server.client().tokens().create("n").send().await.unwrap();
    assert_eq!(token.id, 11);
    assert_eq!(server.received().len(), 3);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After: 1 was not honoured"
    );
    for request in server.received() {
        assert!(request.request_line.starts_with("POST /v1/shared-tokens "));
        assert_eq!(request.body, r#"{"tokenName":"n"}"#);
    }
}

#[tokio::test]
async fn post_is_not_retried_after_a_timeout_or_a_dropped_connection() {
    let server = CannedServer::start(vec![
        Canned::Hang(Duration::from_secs(5)),
        Canned::json(200, r#"{"id": 1}"#),
    ])
    .await;
    let client = client_builder(&server.base_url)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let error = client.tokens().create("once").send().await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport {
                kind: TransportKind::Timeout,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.is_retryable());
    assert_eq!(
        server.received().len(),
        1,
        "a POST that timed out was sent again"
    );

    let server = CannedServer::start(vec![Canned::Close, Canned::json(200, r#"{"id": 1}"#)]).await;
    let error = server
        .client()
        .filters()
        .create("type", "nginx")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(
        server.received().len(),
        1,
        "a POST whose connection dropped was sent again"
    );
}

#[tokio::test]
async fn idempotent_calls_are_retried_after_timeouts_and_dropped_connections() {
    let server = CannedServer::start(vec![
        Canned::Hang(Duration::from_secs(5)),
        Canned::Close,
        Canned::json(200, r#"{"id": 4, "name": "x"}"#),
    ])
    .await;
    let client = client_builder(&server.base_url)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let token = client
        .tokens()
        .update(4, [1, 1, 2])
        .operator(FiltersOperator::And)
        .await
        .unwrap();
    assert_eq!(token.id, 4);
    let received = server.received();
    assert_eq!(received.len(), 3);
    assert!(
        received[2]
            .request_line
            .starts_with("PUT /v1/shared-tokens/4 ")
    );
    assert_eq!(
        received[2].body,
        r#"{"filters":[1,2],"filtersOperator":"AND"}"#
    );
}

#[tokio::test]
async fn retries_stop_at_max_attempts_with_the_last_error() {
    let server = CannedServer::start(vec![
        Canned::json(503, r#"{"message": "down"}"#).with_header("Retry-After", "0"),
    ])
    .await;
    let client = client_builder(&server.base_url)
        .retry_policy(fast_retries(3))
        .build()
        .unwrap();
    let error = client.tokens().delete(1).await.unwrap_err();
    assert!(
        matches!(error, Error::Unavailable { retry_after: Some(d), .. } if d.is_zero()),
        "{error:?}"
    );
    assert_eq!(server.received().len(), 3);
}

#[tokio::test]
async fn an_exhausted_call_says_how_many_attempts_it_made_over_how_long() {
    let server = CannedServer::start(vec![
        Canned::json(503, r#"{"message": "down"}"#).with_header("Retry-After", "1"),
    ])
    .await;
    let client = client_builder(&server.base_url)
        .retry_policy(fast_retries(2))
        .build()
        .unwrap();
    let error = client.tokens().get(1).await.unwrap_err();
    let Error::Unavailable {
        attempts, elapsed, ..
    } = error
    else {
        panic!("{error:?}")
    };
    assert_eq!(attempts, 2);
    // The one wait between them was the server's Retry-After.
    assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
}

/// Each call's error counts its own attempts only, whatever else the client
/// sends before or beside it (`raw()` calls included).
#[tokio::test]
async fn each_call_reports_only_its_own_attempts() {
    let server = CannedServer::start(vec![
        Canned::json(503, r#"{"message": "down"}"#).with_header("Retry-After", "0"),
    ])
    .await;
    let client = client_builder(&server.base_url)
        .retry_policy(fast_retries(2))
        .build()
        .unwrap();
    let attempts = |error: Error| match error {
        Error::Unavailable { attempts, .. } => attempts,
        other => panic!("{other:?}"),
    };
    assert_eq!(attempts(client.tokens().get(1).await.unwrap_err()), 2);
    assert!(client.raw().get_token().id(1).send().await.is_err());
    let (tokens, filters) = (client.tokens(), client.filters());
    let (first, second) = tokio::join!(tokens.get(2), filters.get(3));
    assert_eq!(attempts(first.unwrap_err()), 2);
    assert_eq!(attempts(second.unwrap_err()), 2);
    assert_eq!(attempts(client.tokens().delete(4).await.unwrap_err()), 2);
    assert_eq!(server.received().len(), 10);
}

/// A retry sends the request again whole: method, path, headers and body.
#[tokio::test]
async fn a_retried_request_is_sent_again_whole() {
    let server = CannedServer::start(vec![
        Canned::json(503, r#"{"message": "busy"}"#).with_header("Retry-After", "0"),
        Canned::json(200, r#"{"id": 7, "name": "x"}"#),
    ])
    .await;
    let token = server.client().tokens().update(7, [3, 1]).await.unwrap();
    assert_eq!(token.id, 7);
    let received = server.received();
    assert_eq!(received.len(), 2);
    assert!(
        received[1]
            .request_line
            .starts_with("PUT /v1/shared-tokens/7 ")
    );
    assert_eq!(received[1].request_line, received[0].request_line);
    assert_eq!(received[1].head, received[0].head);
    assert_eq!(received[1].body, r#"{"filters":[3,1]}"#);
    assert_eq!(received[1].body, received[0].body);
}

#[tokio::test]
async fn a_retry_after_beyond_max_elapsed_returns_at_once() {
    let server = CannedServer::start(vec![
        Canned::json(429, r#"{"message": "busy"}"#).with_header("Retry-After", "3600"),
    ])
    .await;
    let error = server.client().filters().list().await.unwrap_err();
    assert_eq!(error.retry_after(), Some(Duration::from_secs(3600)));
    assert!(matches!(error, Error::RateLimited { .. }));
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn requests_carry_the_token_header_user_agent_and_gzip_only_when_chosen() {
    let server = CannedServer::start(vec![Canned::json(200, "[]")]).await;
    let client = client_builder(&server.base_url)
        .user_agent("facade-test/1")
        .build()
        .unwrap();
    assert!(client.filters().list().await.unwrap().is_empty());
    let head = server.received()[0].head.to_ascii_lowercase();
    assert!(
        head.contains(&format!("x-api-token: {}", API_TOKEN.to_ascii_lowercase())),
        "{head}"
    );
    assert!(head.contains("user-agent: facade-test/1"), "{head}");
    // Only headers the spec declares (progenitor's own `api-version` is removed by the pipeline).
    assert!(!head.contains("api-version"), "{head}");
    // gzip is an opt-in feature of this crate (`gzip`): asked for only when chosen.
    assert_eq!(
        head.contains("accept-encoding: gzip"),
        cfg!(feature = "gzip"),
        "{head}"
    );
}

#[tokio::test]
async fn unexpected_bodies_never_carry_secrets_into_errors() {
    let body = format!(r#"{{"error": "echo", "token": "{TOKEN_VALUE}", "header": "{API_TOKEN}"}}"#);
    let server = CannedServer::start(vec![Canned::json(500, &body)]).await;
    let error = server.client().tokens().get(1).await.unwrap_err();
    let text = format!("{error} {error:?}");
    assert!(matches!(error, Error::Api { status: 500, .. }));
    assert!(!text.contains(TOKEN_VALUE), "{text}");
    assert!(!text.contains(API_TOKEN), "{text}");
    assert!(text.contains("echo"), "{text}");

    let server = CannedServer::start(vec![Canned::json(
        400,
        &format!(r#"{{"message": "bad token {API_TOKEN} / {TOKEN_VALUE}"}}"#),
    )])
    .await;
    let error = server.client().tokens().get(1).await.unwrap_err();
    let text = format!("{error} {error:?}");
    assert!(
        !text.contains(TOKEN_VALUE) && !text.contains(API_TOKEN),
        "{text}"
    );
}

#[tokio::test]
async fn invalid_filter_input_is_refused_before_sending() {
    let server = CannedServer::start(vec![Canned::json(200, "{}")]).await;
    let client = server.client();
    let error = client
        .filters()
        .create("has space", "nginx")
        .send()
        .await
        .unwrap_err();
    assert_eq!(refused_input(&error), InputField::FilterField);
    let error = client
        .filters()
        .create("type", "")
        .send()
        .await
        .unwrap_err();
    assert_eq!(refused_input(&error), InputField::FilterValue);
    let error = client
        .filters()
        .ensure("type", "a/b")
        .send()
        .await
        .unwrap_err();
    assert_eq!(refused_input(&error), InputField::FilterValue);
    let error = client.tokens().create("").send().await.unwrap_err();
    assert_eq!(refused_input(&error), InputField::TokenName);
    assert!(
        server.received().is_empty(),
        "invalid input reached the server"
    );
}

#[tokio::test]
async fn an_unreachable_server_is_a_transport_error() {
    // Bind then drop, so the port is (almost certainly) closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = client_builder(&format!("http://127.0.0.1:{port}"))
        .retry_policy(fast_retries(2))
        .build()
        .unwrap();
    let error = client.tokens().list().await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport {
                kind: TransportKind::Connect,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(error.status(), None);
}

#[tokio::test]
async fn a_redirect_is_an_error_and_the_api_token_stays_home() {
    // Where a redirect would take the token: it must never be asked.
    let elsewhere = CannedServer::start(vec![Canned::json(200, r#"{"id": 9}"#)]).await;
    let location = format!("{}/v1/shared-tokens/9", elsewhere.base_url);
    let server = CannedServer::start(vec![
        Canned::json(302, "").with_header("Location", &location),
    ])
    .await;
    let error = server.client().tokens().get(9).await.unwrap_err();
    assert!(matches!(error, Error::Api { status: 302, .. }), "{error:?}");
    assert_eq!(server.received().len(), 1, "a 3xx is not retried");
    assert!(elsewhere.received().is_empty(), "the redirect was followed");
}

#[tokio::test]
async fn a_token_without_a_name_is_not_rotated_under_an_invented_one() {
    let server = CannedServer::start(vec![Canned::json(200, r#"{"id": 9, "filters": [3]}"#)]).await;
    let refused = server.client().tokens().rotate(9).await.unwrap_err();
    assert!(
        matches!(
            refused,
            Error::InvalidInput {
                field: InputField::TokenName,
                ..
            }
        ),
        "{refused:?}"
    );
    assert_eq!(
        server.received().len(),
        1,
        "only the read: nothing was created"
    );
}
