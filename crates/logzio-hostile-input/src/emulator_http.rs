//! The `emulator_http` target: a sequence of arbitrary requests against the
//! emulator's router in-process ([`InProcess`]), two accounts and a token
//! without the permission configured, a limit of 4 tokens per account.
//!
//! Promises checked: no panic and no 5xx; every error answer is the
//! documented `{"message": …}`; no answer shows an API token the request
//! did not carry itself (an error may quote the request's own path); and after the
//! sequence the state invariants hold: ids unique and never handed out
//! twice, every filter a token references exists in its account, and the
//! accounts isolated (neither sees nor reaches the other's ids).

use std::collections::BTreeSet;
use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Method, Request, StatusCode, Uri};
use logzio_shared_tokens::types::{ErrorMessage, QueryFilter, SharedToken};
use logzio_shared_tokens_emulator::{Config, InProcess};
use tokio::runtime::Runtime;
use tower::ServiceExt;

use crate::request_script::{Caller, ScriptedRequest, decode};

/// The API tokens of the two accounts and of the caller without permission.
pub const ACCOUNT_A: &str = "fuzz-account-a-api-token-51d2";
/// The second account's API token.
pub const ACCOUNT_B: &str = "fuzz-account-b-api-token-9e07";
/// A known API token without the shared-tokens permission.
pub const NO_PERMISSION: &str = "fuzz-no-permission-api-token-33c8";

/// Runs one input; panics if a promise is broken.
pub fn check(data: &[u8]) {
    let requests = decode(data);
    runtime().block_on(run(&requests));
}

fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(runtime) => runtime,
            Err(error) => panic!("no tokio runtime: {error}"),
        }
    })
}

/// The emulator configuration every input runs against.
pub fn config() -> Config {
    Config {
        api_tokens: vec![ACCOUNT_A.to_owned(), ACCOUNT_B.to_owned()],
        no_permission_tokens: vec![NO_PERMISSION.to_owned()],
        max_tokens: Some(4),
        ..Config::for_tests()
    }
}

/// Ids handed out so far, per kind.
#[derive(Default)]
struct HandedOut {
    tokens: BTreeSet<i32>,
    filters: BTreeSet<i32>,
}

async fn run(requests: &[ScriptedRequest]) {
    let emulator = match InProcess::start(config()).await {
        Ok(emulator) => emulator,
        Err(error) => panic!("the emulator does not start: {error}"),
    };
    let mut handed_out = HandedOut::default();
    for scripted in requests {
        let Some(request) = build(scripted) else {
            continue; // Not a request any HTTP server would receive.
        };
        let (method, path) = (request.method().clone(), request.uri().path().to_owned());
        let (status, body) = send(&emulator, request).await;
        check_answer(scripted, status, &body);
        if method == Method::POST && status == StatusCode::OK {
            record_creation(&mut handed_out, &path, &body);
        }
    }
    check_invariants(&emulator, &handed_out).await;
}

fn build(scripted: &ScriptedRequest) -> Option<Request<Body>> {
    let method = Method::from_bytes(scripted.method_name().as_bytes()).ok()?;
    let uri = Uri::try_from(scripted.path.as_slice()).ok()?;
    let mut request = Request::new(Body::from(scripted.body.clone()));
    *request.method_mut() = method;
    *request.uri_mut() = uri;
    let headers = request.headers_mut();
    let api_token = match scripted.caller {
        Caller::AccountA => Some(ACCOUNT_A),
        Caller::AccountB => Some(ACCOUNT_B),
        Caller::NoPermission => Some(NO_PERMISSION),
        Caller::Unknown => Some("fuzz-unknown-api-token"),
        Caller::Nobody => None,
    };
    if let Some(token) = api_token {
        headers.insert("x-api-token", HeaderValue::from_static(token));
    }
    if let Some(content_type) = scripted.content_type_value() {
        headers.insert("content-type", HeaderValue::from_static(content_type));
    }
    for (name, value) in &scripted.headers {
        if let (Ok(name), Ok(value)) =
            (HeaderName::from_bytes(name), HeaderValue::from_bytes(value))
        {
            headers.append(name, value);
        }
    }
    Some(request)
}

async fn send(emulator: &InProcess, request: Request<Body>) -> (StatusCode, Vec<u8>) {
    let response = match emulator.router.clone().oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    let status = response.status();
    match axum::body::to_bytes(response.into_body(), usize::MAX).await {
        Ok(body) => (status, body.to_vec()),
        Err(error) => panic!("the answer's body could not be read: {error}"),
    }
}

fn check_answer(scripted: &ScriptedRequest, status: StatusCode, body: &[u8]) {
    let shown = String::from_utf8_lossy(body);
    assert!(
        !status.is_server_error(),
        "{status} for {} {:?}: {shown}",
        scripted.method_name(),
        String::from_utf8_lossy(&scripted.path)
    );
    for api_token in [ACCOUNT_A, ACCOUNT_B, NO_PERMISSION] {
        assert!(
            !shown.contains(api_token) || carries(scripted, api_token),
            "an answer shows an API token the request did not carry"
        );
    }
    if status.is_client_error() && scripted.method_name() != "HEAD" {
        assert!(
            serde_json::from_slice::<ErrorMessage>(body).is_ok(),
            "a {status} answer that is not {{\"message\"}}: {shown}"
        );
    }
}

/// Whether the request's own path, headers or body hold `text`: then an
/// answer quoting it reveals nothing (found by fuzzing: a path with an API
/// token in it, quoted by the 404 message).
fn carries(scripted: &ScriptedRequest, text: &str) -> bool {
    let holds = |bytes: &[u8]| String::from_utf8_lossy(bytes).contains(text);
    holds(&scripted.path)
        || holds(&scripted.body)
        || scripted
            .headers
            .iter()
            .any(|(name, value)| holds(name) || holds(value))
}

/// A successful create's id must never have been handed out before.
fn record_creation(handed_out: &mut HandedOut, path: &str, body: &[u8]) {
    let fresh = match path {
        "/v1/shared-tokens" => serde_json::from_slice::<SharedToken>(body)
            .ok()
            .map(|token| token.id)
            .map(|id| handed_out.tokens.insert(id)),
        "/v1/shared-tokens/filters" => serde_json::from_slice::<QueryFilter>(body)
            .ok()
            .map(|filter| filter.id)
            .map(|id| handed_out.filters.insert(id)),
        _ => return,
    };
    assert!(
        fresh == Some(true),
        "a create answered 200 without a new id: {}",
        String::from_utf8_lossy(body)
    );
}

/// What one account holds, as its list answers say.
struct Holdings {
    tokens: Vec<SharedToken>,
    filters: Vec<QueryFilter>,
}

async fn holdings(emulator: &InProcess, api_token: &'static str) -> Holdings {
    let tokens = get_json(emulator, api_token, "/v1/shared-tokens").await;
    let filters = get_json(emulator, api_token, "/v1/shared-tokens/filters").await;
    Holdings { tokens, filters }
}

async fn get_json<T: serde::de::DeserializeOwned>(
    emulator: &InProcess,
    api_token: &'static str,
    path: &'static str,
) -> T {
    let (status, body) = send(emulator, get(api_token, path)).await;
    assert_eq!(status, StatusCode::OK, "GET {path} failed");
    match serde_json::from_slice(&body) {
        Ok(value) => value,
        Err(error) => panic!("GET {path} answered a body of the wrong shape: {error}"),
    }
}

fn get(api_token: &'static str, path: impl Into<String>) -> Request<Body> {
    let mut request = Request::new(Body::empty());
    if let Ok(uri) = Uri::try_from(path.into()) {
        *request.uri_mut() = uri;
    }
    request
        .headers_mut()
        .insert("x-api-token", HeaderValue::from_static(api_token));
    request
}

async fn check_invariants(emulator: &InProcess, handed_out: &HandedOut) {
    let a = holdings(emulator, ACCOUNT_A).await;
    let b = holdings(emulator, ACCOUNT_B).await;
    let mut all_tokens = BTreeSet::new();
    let mut all_filters = BTreeSet::new();
    for account in [&a, &b] {
        let filter_ids: BTreeSet<i32> = account.filters.iter().map(|f| f.id).collect();
        for filter in &account.filters {
            let id = filter.id;
            assert!(all_filters.insert(id), "filter id {id} listed twice");
            assert!(
                handed_out.filters.contains(&id),
                "filter {id} never created"
            );
        }
        for token in &account.tokens {
            let id = token.id;
            assert!(all_tokens.insert(id), "token id {id} listed twice");
            assert!(handed_out.tokens.contains(&id), "token {id} never created");
            for filter in token.filters.iter().flatten() {
                assert!(
                    filter_ids.contains(filter),
                    "token {id} references filter {filter}, which its account does not hold"
                );
            }
        }
    }
    for (owner, other) in [(&a, ACCOUNT_B), (&b, ACCOUNT_A)] {
        for token in &owner.tokens {
            let path = format!("/v1/shared-tokens/{}", token.id);
            let (status, _) = send(emulator, get(other, path)).await;
            assert_eq!(
                status,
                StatusCode::BAD_REQUEST,
                "another account reached a token"
            );
        }
        for filter in &owner.filters {
            let path = format!("/v1/shared-tokens/filters/{}", filter.id);
            let (status, _) = send(emulator, get(other, path)).await;
            assert_eq!(
                status,
                StatusCode::BAD_REQUEST,
                "another account reached a filter"
            );
        }
    }
}
