//! The quirk modes and scripted faults on the wire. Each quirk changes how
//! answers look (or which records a new account starts with), never a
//! status or what is stored; without quirks the answers are the documented
//! shape (protocol.rs checks them against the spec).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use logzio_shared_tokens_emulator::{Config, Emulator, EmulatorError, Fault, Quirk, Quirks};
use reqwest::Method;
use serde_json::{Value, json};
use support::{Answer, Api};

const TOKEN: &str = "quirky-api-token";
const OTHER: &str = "second-api-token";
const NO_PERMISSION: &str = "no-permission-api-token";

fn config(quirks: impl Into<Quirks>) -> Config {
    Config {
        api_tokens: vec![TOKEN.into(), OTHER.into()],
        no_permission_tokens: vec![NO_PERMISSION.into()],
        quirks: quirks.into(),
        retry_after: Duration::from_secs(2),
        ..Config::for_tests()
    }
}

async fn start(config: Config) -> (Emulator, Api) {
    let emulator = Emulator::start(config).await.unwrap();
    let api = Api::new(emulator.base_url(), Some(TOKEN));
    (emulator, api)
}

async fn call(api: &Api, method: Method, path: &str, body: Option<Value>) -> Answer {
    let mut request = api.request(method, path);
    if let Some(body) = body {
        request = request.json(&body);
    }
    api.send_unchecked(request).await
}

async fn get(api: &Api, path: &str) -> Answer {
    call(api, Method::GET, path, None).await
}

fn content_type(answer: &Answer) -> Option<&str> {
    answer
        .headers
        .get("content-type")
        .map(|value| value.to_str().unwrap())
}

fn text(answer: &Answer) -> String {
    String::from_utf8(answer.bytes.clone()).unwrap()
}

#[tokio::test]
async fn proxy_errors_look_like_a_proxy_and_keep_status_and_retry_after() {
    let (emulator, api) = start(config(Quirk::ProxyErrors)).await;
    let unknown = get(&api.as_token(Some("stranger")), "/v1/shared-tokens").await;
    assert_eq!(unknown.status, 401);
    assert_eq!(content_type(&unknown), Some("text/html"));
    assert!(text(&unknown).contains("<title>401 Unauthorized</title>"));

    let forbidden = get(&api.as_token(Some(NO_PERMISSION)), "/v1/shared-tokens").await;
    assert_eq!(forbidden.status, 403);
    assert_eq!((content_type(&forbidden), forbidden.bytes.len()), (None, 0));

    emulator.control().set_fail_rate(1.0);
    let unavailable = get(&api, "/v1/shared-tokens").await;
    assert_eq!(unavailable.status, 503);
    assert_eq!(content_type(&unavailable), Some("text/html"));
    assert_eq!(unavailable.retry_after().as_deref(), Some("2"));
    emulator.control().set_fail_rate(0.0);

    // What the API itself decides stays its JSON.
    let missing = get(&api, "/v1/shared-tokens/99").await;
    assert_eq!(missing.status, 400);
    assert!(missing.message().contains("not found"));
    emulator.shutdown().await;

    let (emulator, api) = start(Config {
        max_concurrent: 1,
        latency: Some((Duration::from_millis(300), Duration::from_millis(300))),
        ..config(Quirk::ProxyErrors)
    })
    .await;
    let held = {
        let api = api.clone();
        tokio::spawn(async move { get(&api, "/v1/shared-tokens").await })
    };
    while emulator.stats().in_flight == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let limited = get(&api, "/v1/shared-tokens/filters").await;
    assert_eq!(limited.status, 429);
    assert_eq!(content_type(&limited), Some("text/plain"));
    assert_eq!(text(&limited), "429 Too Many Requests");
    assert_eq!(limited.retry_after().as_deref(), Some("2"));
    assert_eq!(held.await.unwrap().status, 200);
    emulator.shutdown().await;
}

#[tokio::test]
async fn declared_and_legacy_token_shapes() {
    let quirks = [
        Quirk::FilterIds,
        Quirk::SecondsTimestamps,
        Quirk::OperatorArray,
    ];
    let (emulator, api) = start(config(quirks.into_iter().collect::<Quirks>())).await;
    let filter = api.create_filter("type", "nginx").await;
    let body = json!({"tokenName": "t", "filters": [filter], "filtersOperator": "AND"});
    let created = call(&api, Method::POST, "/v1/shared-tokens", Some(body)).await;
    let created = created.json();
    assert_eq!(created["filterIds"], json!([filter]));
    assert!(created.get("filters").is_none(), "{created}");
    assert_eq!(created["filtersOperator"], json!(["AND"]));
    let expiry = created["expirationDate"].as_f64().unwrap();
    let now = emulator.control().now_millis() as f64 / 1000.0;
    assert!(
        (expiry - now - 7.0 * 86_400.0).abs() < 60.0,
        "{expiry} vs {now}"
    );
    let id = created["id"].as_i64().unwrap();

    let used = 1_735_743_699_500;
    let control = emulator.control();
    control.set_last_used(TOKEN, id as i32, Some(used)).unwrap();
    control
        .set_expiration(TOKEN, id as i32, Some(1_735_743_700_000))
        .unwrap();
    let read = get(&api, &format!("/v1/shared-tokens/{id}")).await;
    // Seconds with a fraction, even a whole second: `1735743700.0`.
    assert_eq!(
        text(&read).matches("1735743699.5").count(),
        1,
        "{}",
        text(&read)
    );
    assert_eq!(
        text(&read).matches("1735743700.0").count(),
        1,
        "{}",
        text(&read)
    );

    let bare = json!({"tokenName": "bare"});
    call(&api, Method::POST, "/v1/shared-tokens", Some(bare)).await;
    let list = get(&api, "/v1/shared-tokens").await.json();
    assert_eq!(list[1]["filterIds"], Value::Null);
    assert_eq!(list[1]["filtersOperator"], json!(["OR"]));
    emulator.shutdown().await;
}

#[tokio::test]
async fn null_expiry_makes_tokens_that_never_expire() {
    let (emulator, api) = start(config(Quirk::NullExpiry)).await;
    let created = api.create_token("legacy", &[]).await;
    assert_eq!(created["expirationDate"], Value::Null);
    let id = created["id"].as_i64().unwrap();
    let updated = api
        .call("updateToken", Some(id), Some(json!({"filters": []})))
        .await;
    assert_eq!(updated.json()["expirationDate"], Value::Null);
    emulator.shutdown().await;
}

#[tokio::test]
async fn unknown_fields_are_in_every_object_answered() {
    let (emulator, api) = start(config(Quirk::UnknownFields)).await;
    let body = json!({"field": "type", "value": "nginx"});
    let filter = call(&api, Method::POST, "/v1/shared-tokens/filters", Some(body)).await;
    let body = json!({"tokenName": "t", "filters": [filter.json()["id"]]});
    let token = call(&api, Method::POST, "/v1/shared-tokens", Some(body)).await;
    let mut objects = vec![filter.json(), token.json()];
    for path in ["/v1/shared-tokens", "/v1/shared-tokens/filters"] {
        let list = get(&api, path).await.json();
        objects.push(list[0].clone());
        let id = list[0]["id"].as_i64().unwrap();
        objects.push(get(&api, &format!("{path}/{id}")).await.json());
    }
    objects.push(get(&api, "/v1/shared-tokens/99").await.json());
    objects.push(get(&api.as_token(None), "/v1/shared-tokens").await.json());
    for object in objects {
        assert_eq!(object["createdBy"], "logzio-ui", "{object}");
        assert!(object["metadata"]["labels"].is_array(), "{object}");
    }
    emulator.shutdown().await;
}

#[tokio::test]
async fn foreign_records_seed_each_new_account_once() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let with_state = || Config {
        state_file: Some(state.clone()),
        ..config(Quirk::ForeignRecords)
    };
    let (emulator, api) = start(with_state()).await;
    let filters = get(&api, "/v1/shared-tokens/filters").await.json();
    assert_eq!(
        filters,
        json!([
            {"id": 1, "field": "kubernetes.labels.app name", "value": "café: au lait",
             "description": "made in the Logz.io UI: a space, a colon and a non-ASCII letter"},
            {"id": 2, "field": "message", "value": "error OR warn*"},
        ])
    );
    let tokens = get(&api, "/v1/shared-tokens").await.json();
    let legacy = &tokens[0];
    assert_eq!(
        (&legacy["filters"], &legacy["filtersOperator"]),
        (&json!([1, 2]), &json!("AND"))
    );
    assert_eq!(legacy["expirationDate"], Value::Null);
    assert_eq!(legacy["lastUsed"], 1_717_200_000_000_i64);
    let other = get(&api.as_token(Some(OTHER)), "/v1/shared-tokens/filters").await;
    assert_eq!(other.json()[0]["id"], 3, "each account has its own");
    // The API itself still refuses such a filter.
    let body = json!({"field": "kubernetes.labels.app name", "value": "x"});
    let refused = call(&api, Method::POST, "/v1/shared-tokens/filters", Some(body)).await;
    assert_eq!(refused.status, 400);
    emulator.shutdown().await;

    // A restart from the state file does not seed the accounts again.
    let (emulator, api) = start(with_state()).await;
    let filters = get(&api, "/v1/shared-tokens/filters").await.json();
    assert_eq!(filters.as_array().unwrap().len(), 2);
    emulator.shutdown().await;
}

#[tokio::test]
async fn control_adds_foreign_filters_and_operators_outside_the_spec() {
    let (emulator, api) = start(config(Quirks::none())).await;
    let control = emulator.control();
    let id = control
        .add_foreign_filter(TOKEN, "app name", "a/b", Some("from the UI"))
        .unwrap();
    let filter = get(&api, &format!("/v1/shared-tokens/filters/{id}")).await;
    assert_eq!(filter.json()["field"], "app name");
    let token = api.create_token("odd", &[i64::from(id)]).await;
    let token_id = token["id"].as_i64().unwrap();
    control.set_operator(TOKEN, token_id as i32, "NOR").unwrap();
    let path = format!("/v1/shared-tokens/{token_id}");
    let updated = call(&api, Method::PUT, &path, Some(json!({"filters": []}))).await;
    assert_eq!(updated.json()["filtersOperator"], "NOR", "kept on update");
    let missing = control.set_operator(TOKEN, 999, "AND").unwrap_err();
    assert!(
        matches!(missing, EmulatorError::UnknownTokenId { token_id: 999, .. }),
        "{missing:?}"
    );
    let stranger = control.add_foreign_filter("stranger", "f", "v", None);
    assert!(matches!(stranger, Err(EmulatorError::UnknownApiToken)));
    emulator.shutdown().await;
}

#[tokio::test]
async fn scripted_faults_answer_first_in_order_then_normally() {
    let (emulator, api) = start(Config {
        fail_first: vec![(1, Fault::empty(403))],
        retry_after: Duration::ZERO,
        ..config(Quirks::none())
    })
    .await;
    let control = emulator.control();
    control.fail_next(1, Fault::html(503)).unwrap();
    control.fail_next(1, Fault::plain_text(429)).unwrap();
    control.fail_next(1, Fault::json(502)).unwrap();
    assert_eq!(control.pending_faults(), 4);

    // Answered before authentication and routing, like a proxy.
    let first = get(&api.as_token(Some("stranger")), "/nowhere").await;
    assert_eq!((first.status, first.bytes.len()), (403, 0));
    assert_eq!(first.retry_after(), None);
    let body = json!({"tokenName": "never"});
    let second = call(&api, Method::POST, "/v1/shared-tokens", Some(body)).await;
    assert_eq!(
        (second.status, content_type(&second)),
        (503, Some("text/html"))
    );
    assert_eq!(second.retry_after().as_deref(), Some("0"));
    let third = get(&api, "/v1/shared-tokens").await;
    assert_eq!(
        (third.status, text(&third).as_str()),
        (429, "429 Too Many Requests")
    );
    let fourth = get(&api, "/v1/shared-tokens").await;
    assert_eq!(fourth.status, 502);
    assert!(fourth.message().contains("502 Bad Gateway"));
    assert_eq!(fourth.retry_after().as_deref(), Some("0"));
    // Then normal again, and the refused create made nothing.
    assert_eq!(get(&api, "/v1/shared-tokens").await.json(), json!([]));
    let stats = emulator.stats();
    assert_eq!((stats.scripted_faults, stats.requests), (4, 5));

    let refused = control.fail_next(1, Fault::json(200)).unwrap_err();
    assert!(
        matches!(refused, EmulatorError::InvalidFault(_)),
        "{refused:?}"
    );
    control.fail_next(3, Fault::html(503)).unwrap();
    control.clear_faults();
    assert_eq!(control.pending_faults(), 0);
    assert_eq!(get(&api, "/v1/shared-tokens").await.status, 200);
    emulator.shutdown().await;
}
