//! Everything around the operations: auth, unknown paths and methods, bodies
//! that are too big, of the wrong type or malformed, the concurrency limit,
//! injected faults and latency. And, driven by swagger.json itself: every
//! status the spec documents for every operation is produced and checked.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::{Duration, Instant};

use logzio_shared_tokens_emulator::{Config, MAX_BODY_BYTES};
use reqwest::Method;
use serde_json::{Value, json};
use support::{Answer, Spec, start};

const NO_PERMISSION: &str = "no-permission-token";

fn config() -> Config {
    Config {
        api_tokens: vec!["permitted-token".into()],
        no_permission_tokens: vec![NO_PERMISSION.into()],
        ..Config::for_tests()
    }
}

/// A valid body for the operations that take one.
fn body_for(operation: &str, filter: i64) -> Option<Value> {
    match operation {
        "createToken" => Some(json!({"tokenName": "t", "filters": [filter]})),
        "updateToken" => Some(json!({"filters": [filter]})),
        "createFilter" => Some(json!({"field": "type", "value": "nginx"})),
        _ => None,
    }
}

fn takes_id(spec: &Spec, operation: &str) -> bool {
    spec.operations[operation].1.contains("{id}")
}

/// Makes `operation` answer `status` and returns the (spec-checked) answer.
async fn provoke(operation: &str, status: u16) -> Option<Answer> {
    let spec = Spec::get();
    let with_id = takes_id(&spec, operation);
    let mut config = config();
    match status {
        429 => {
            config.max_concurrent = 1;
            config.latency = Some((Duration::from_secs(1), Duration::from_secs(1)));
        }
        503 => config.fail_rate = 1.0,
        _ => {}
    }
    let (emulator, api) = start(config).await;
    // Fixtures are made with faults off and no latency to wait for.
    let control = emulator.control();
    let fixture_api = api.clone();
    let (filter, token) = if matches!(status, 429) {
        (0, 0)
    } else {
        control.set_fail_rate(0.0);
        let filter = fixture_api.create_filter("type", "nginx").await;
        let spare = fixture_api.create_filter("type", "spare").await;
        let token = fixture_api.create_token("t", &[]).await["id"]
            .as_i64()
            .unwrap();
        control.set_fail_rate(if status == 503 { 1.0 } else { 0.0 });
        let filter = if operation == "deleteFilter" || operation == "getFilter" {
            spare
        } else {
            filter
        };
        (filter, token)
    };
    let id_for = |operation: &str| {
        if operation.contains("Filter") {
            filter
        } else {
            token
        }
    };
    let mut id = with_id.then(|| id_for(operation));
    let mut body = body_for(operation, filter);
    let caller = match status {
        200 | 204 | 429 | 503 => api.clone(),
        400 => {
            if with_id {
                id = Some(987_654);
            } else if body.is_some() {
                // An empty object misses every required field.
                body = Some(json!({}));
            } else {
                // getAllTokens / getAllFilters take no input at all.
                return None;
            }
            api.clone()
        }
        401 => api.as_token(None),
        403 => api.as_token(Some(NO_PERMISSION)),
        other => panic!("no recipe for status {other}"),
    };
    if status == 429 {
        let blocker = api.clone();
        let held = tokio::spawn(async move { blocker.call("getAllTokens", None, None).await });
        while emulator.stats().in_flight == 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let answer = caller.call(operation, id, body).await;
        assert_eq!(held.await.unwrap().status, 200);
        assert!(emulator.stats().rate_limited >= 1);
        emulator.shutdown().await;
        return Some(answer);
    }
    let answer = caller.call(operation, id, body).await;
    if status == 503 {
        assert!(emulator.stats().injected_faults >= 1);
    }
    emulator.shutdown().await;
    Some(answer)
}

#[tokio::test]
async fn every_documented_status_of_every_operation_happens_and_matches_the_spec() {
    let spec = Spec::get();
    assert_eq!(spec.operations.len(), 9);
    let mut not_producible = Vec::new();
    for operation in spec.operations.keys() {
        for status in spec.statuses(operation) {
            match provoke(operation, status).await {
                Some(answer) => {
                    assert_eq!(answer.status, status, "{operation}: {:?}", answer);
                    if matches!(status, 429 | 503) {
                        assert_eq!(answer.retry_after().as_deref(), Some("1"));
                    }
                }
                None => not_producible.push(format!("{operation} {status}")),
            }
        }
    }
    // The spec documents a generic 400 for the two list operations, which
    // take no input the emulator could find wrong.
    assert_eq!(not_producible, ["getAllFilters 400", "getAllTokens 400"]);
}

#[tokio::test]
async fn auth_errors_say_what_is_wrong() {
    let (emulator, api) = start(config()).await;
    let missing = api.as_token(None).call("getAllTokens", None, None).await;
    assert_eq!(missing.status, 401);
    assert!(missing.message().contains("X-API-TOKEN"));
    let unknown = api
        .as_token(Some("permitted-token-but-longer"))
        .call("getAllTokens", None, None)
        .await;
    assert_eq!(unknown.status, 401);
    let forbidden = api
        .as_token(Some(NO_PERMISSION))
        .call("getAllTokens", None, None)
        .await;
    assert_eq!(
        (forbidden.status, forbidden.message()),
        (403, "Insufficient privileges".to_owned())
    );
    // Errors never echo the token.
    for answer in [&missing, &unknown, &forbidden] {
        assert!(!String::from_utf8_lossy(&answer.bytes).contains("token-but"));
    }
    emulator.shutdown().await;
}

#[tokio::test]
async fn unknown_paths_and_methods_get_json_errors() {
    let (emulator, api) = start(config()).await;
    for path in [
        "/",
        "/v1",
        "/v1/shared-tokens/",
        "/v2/shared-tokens",
        "/v1/shared-tokens/1/2",
    ] {
        let answer = api.send_raw(api.request(Method::GET, path)).await;
        assert_eq!(answer.status, 404, "{path}");
        assert!(answer.message().contains("no such path"));
    }
    for (method, path, allowed) in [
        (Method::PATCH, "/v1/shared-tokens", "GET,HEAD,POST"),
        (Method::POST, "/v1/shared-tokens/5", "GET,HEAD,PUT,DELETE"),
        (
            Method::PUT,
            "/v1/shared-tokens/filters/5",
            "GET,HEAD,DELETE",
        ),
        (Method::DELETE, "/v1/shared-tokens/filters", "GET,HEAD,POST"),
    ] {
        let answer = api.send_raw(api.request(method.clone(), path)).await;
        assert_eq!(answer.status, 405, "{method} {path}");
        assert_eq!(answer.headers["allow"], allowed, "{method} {path}");
    }
    let bad_id = api
        .send_raw(api.request(Method::GET, "/v1/shared-tokens/abc"))
        .await;
    assert_eq!(bad_id.status, 400);
    assert!(bad_id.message().contains("int32"));
    let too_big = api
        .send_raw(api.request(Method::GET, "/v1/shared-tokens/filters/2147483648"))
        .await;
    assert_eq!(too_big.status, 400);
    emulator.shutdown().await;
}

#[tokio::test]
async fn bodies_are_capped_typed_and_parsed() {
    let (emulator, api) = start(config()).await;
    let post = |content_type: Option<&str>, body: Vec<u8>| {
        let mut request = api.request(Method::POST, "/v1/shared-tokens").body(body);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        request
    };
    let valid = br#"{"tokenName": "x"}"#.to_vec();

    // Our cap is 64 KiB (Logz.io documents none): a body just under it is read.
    let padded = format!(
        r#"{{"tokenName": "near-cap"}}{}"#,
        " ".repeat(64 * 1024 - 30)
    );
    let answer = api
        .send_raw(post(Some("application/json"), padded.into_bytes()))
        .await;
    assert_eq!(answer.status, 200, "{}", answer.message());
    let huge = format!(r#"{{"tokenName": "{}"}}"#, "x".repeat(MAX_BODY_BYTES));
    let answer = api
        .send_raw(post(Some("application/json"), huge.into_bytes()))
        .await;
    assert_eq!(answer.status, 413);

    // Without a Content-Length (chunked) the cap still holds.
    let mut request = String::from(
        "POST /v1/shared-tokens HTTP/1.1\r\nHost: x\r\nX-API-TOKEN: permitted-token\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
    );
    for _ in 0..80 {
        request.push_str(&format!("400\r\n{}\r\n", " ".repeat(1024)));
    }
    request.push_str("0\r\n\r\n");
    let reply = raw_exchange(emulator.local_addr(), request.as_bytes()).await;
    assert!(reply.starts_with("HTTP/1.1 413"), "{reply}");
    assert!(reply.contains("\"message\""), "{reply}");

    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let answer = api.send_raw(post(content_type, valid.clone())).await;
        assert_eq!(answer.status, 400, "{content_type:?}");
        assert!(answer.message().contains("application/json"));
    }
    let answer = api
        .send_raw(post(Some("Application/JSON; charset=utf-8"), valid.clone()))
        .await;
    assert_eq!(answer.status, 200);

    for broken in [
        &b""[..],
        b"{",
        b"{\"tokenName\": \"x\"} trailing",
        b"\xff\xfe",
        b"null",
    ] {
        let answer = api
            .send_raw(post(Some("application/json"), broken.to_vec()))
            .await;
        assert_eq!(answer.status, 400, "{}", String::from_utf8_lossy(broken));
        assert!(answer.message().starts_with("invalid request body"));
    }
    assert_eq!(emulator.stats().tokens_created, 2);
    emulator.shutdown().await;
}

/// Sends raw bytes and reads the whole reply (the request asks the server to close).
async fn raw_exchange(addr: std::net::SocketAddr, request: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    // The server may answer 413 and close before reading everything: ignore write errors.
    let _ = stream.write_all(request).await;
    let mut reply = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut reply)).await;
    String::from_utf8_lossy(&reply).into_owned()
}

#[tokio::test]
async fn over_the_concurrency_limit_answers_429_and_the_limit_holds() {
    let config = Config {
        max_concurrent: 3,
        latency: Some((Duration::from_millis(300), Duration::from_millis(300))),
        ..config()
    };
    let (emulator, api) = start(config).await;
    let calls: Vec<_> = (0..12)
        .map(|_| {
            let api = api.clone();
            tokio::spawn(async move { api.call("getAllTokens", None, None).await })
        })
        .collect();
    let mut statuses = Vec::new();
    for call in calls {
        let answer = call.await.unwrap();
        if answer.status == 429 {
            assert_eq!(answer.retry_after().as_deref(), Some("1"));
        }
        statuses.push(answer.status);
    }
    let stats = emulator.stats();
    assert!(stats.peak_in_flight <= 3, "{stats:?}");
    assert!(statuses.iter().all(|s| *s == 200 || *s == 429));
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count() as u64,
        stats.rate_limited
    );
    // Once the burst is over, requests pass again.
    assert_eq!(api.call("getAllTokens", None, None).await.status, 200);
    emulator.shutdown().await;
}

#[tokio::test]
async fn the_limit_is_per_account() {
    let config = Config {
        api_tokens: vec!["a".into(), "b".into()],
        max_concurrent: 1,
        latency: Some((Duration::from_millis(500), Duration::from_millis(500))),
        ..Config::for_tests()
    };
    let (emulator, a) = start(config).await;
    let b = a.as_token(Some("b"));
    let held = {
        let a = a.clone();
        tokio::spawn(async move { a.call("getAllTokens", None, None).await })
    };
    while emulator.stats().in_flight == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(b.call("getAllTokens", None, None).await.status, 200);
    assert_eq!(held.await.unwrap().status, 200);
    emulator.shutdown().await;
}

#[tokio::test]
async fn injected_faults_change_nothing() {
    let (emulator, api) = start(Config {
        fail_rate: 1.0,
        ..config()
    })
    .await;
    for _ in 0..5 {
        let answer = api
            .call("createToken", None, Some(json!({"tokenName": "never"})))
            .await;
        assert_eq!(answer.status, 503);
        assert_eq!(answer.retry_after().as_deref(), Some("1"));
        let answer = api
            .call(
                "createFilter",
                None,
                Some(json!({"field": "a", "value": "b"})),
            )
            .await;
        assert_eq!(answer.status, 503);
    }
    emulator.control().set_fail_rate(0.0);
    assert_eq!(api.call("getAllTokens", None, None).await.json(), json!([]));
    assert_eq!(
        api.call("getAllFilters", None, None).await.json(),
        json!([])
    );
    let stats = emulator.stats();
    assert_eq!((stats.injected_faults, stats.tokens_created), (10, 0));
    // Ids were not consumed by the refused creates either.
    assert_eq!(api.create_token("first", &[]).await["id"], 1);
    emulator.shutdown().await;
}

#[tokio::test]
async fn retry_after_is_the_configured_delay_on_429_and_503() {
    let (emulator, api) = start(Config {
        fail_rate: 1.0,
        retry_after: Duration::ZERO,
        ..config()
    })
    .await;
    let answer = api.call("getAllTokens", None, None).await;
    assert_eq!(answer.status, 503);
    assert_eq!(answer.retry_after().as_deref(), Some("0"));
    emulator.shutdown().await;

    let (emulator, api) = start(Config {
        max_concurrent: 1,
        latency: Some((Duration::from_millis(300), Duration::from_millis(300))),
        retry_after: Duration::from_secs(7),
        ..config()
    })
    .await;
    let held = {
        let api = api.clone();
        tokio::spawn(async move { api.call("getAllTokens", None, None).await })
    };
    // Waits until the first request holds the account's only place.
    while emulator.stats().in_flight == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let answer = api.call("getAllFilters", None, None).await;
    assert_eq!(answer.status, 429);
    assert_eq!(answer.retry_after().as_deref(), Some("7"));
    assert_eq!(held.await.unwrap().status, 200);
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_partial_fail_rate_fails_some_requests() {
    let (emulator, api) = start(Config {
        fail_rate: 0.5,
        ..config()
    })
    .await;
    let mut statuses = std::collections::BTreeSet::new();
    // With p = 0.5, 200 tries all answering alike has probability 2^-199.
    for _ in 0..200 {
        statuses.insert(api.call("getAllTokens", None, None).await.status);
    }
    assert_eq!(statuses.into_iter().collect::<Vec<_>>(), [200, 503]);
    emulator.shutdown().await;
}

#[tokio::test]
async fn latency_is_added_to_each_request() {
    let (emulator, api) = start(Config {
        latency: Some((Duration::from_millis(120), Duration::from_millis(150))),
        ..config()
    })
    .await;
    let started = Instant::now();
    api.call("getAllTokens", None, None).await;
    // A lower bound only: the delay is a floor, never a ceiling to race against.
    assert!(started.elapsed() >= Duration::from_millis(120));
    emulator.shutdown().await;
}

#[tokio::test]
async fn stats_count_every_request() {
    let (emulator, api) = start(config()).await;
    api.call("getAllTokens", None, None).await;
    api.send_raw(api.request(Method::GET, "/nowhere")).await;
    api.as_token(None).call("getAllTokens", None, None).await;
    assert_eq!(emulator.stats().requests, 3);
    emulator.shutdown().await;
}

#[test]
fn the_spec_check_catches_drift() {
    let spec = Spec::get();
    // What the emulator sends is accepted ...
    spec.check(
        "getToken",
        200,
        br#"{"id": 1, "name": "n", "token": "t", "filters": null, "lastUsed": null,
             "expirationDate": 1735743699000, "filtersOperator": "OR"}"#,
    );
    spec.check("deleteToken", 204, b"");
    // ... and each kind of drift is caught.
    let drifts: [(&str, u16, &[u8]); 7] = [
        ("getToken", 200, br#"{"id": "1"}"#),
        ("getToken", 200, br#"{"id": 1, "undeclared": true}"#),
        ("getToken", 200, br#"{"filtersOperator": ["OR"]}"#),
        ("getToken", 200, br#"{"id": 2147483648}"#),
        ("getFilter", 200, br#"{"field": "x"}"#),
        ("deleteToken", 204, b"{}"),
        ("getToken", 418, br#"{"message": "teapot"}"#),
    ];
    for (operation, status, body) in drifts {
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            spec.check(operation, status, body)
        }));
        assert!(
            caught.is_err(),
            "{operation} {status} {} passed the check",
            String::from_utf8_lossy(body)
        );
    }
}
