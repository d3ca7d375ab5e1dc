//! The HTTP face: routes for the 9 operations, the layers in front of them
//! (scripted faults, then the answer-shape quirks; see `front.rs`, `faults.rs` and
//! `reshape.rs`), the checks every request goes
//! through (auth → concurrency limit → latency → injected fault, all before
//! any state is touched), request parsing, and JSON errors for everything
//! else (unknown path 404, wrong method 405, oversized body 413, malformed
//! input or a content type other than JSON 400: the spec documents 400, not
//! 415, for the operations with a body). It never answers with a stack trace, and
//! never echoes the `X-API-TOKEN` header.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::Router;
use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::middleware;
use axum::response::Response;
use axum::routing::{MethodFilter, MethodRouter, on};
use logzio_shared_tokens_api::SharedTokenValue;
use logzio_shared_tokens_api::operations::Operation;
use logzio_shared_tokens_api::types::{
    CreateSharedTokenRequest, QueryFilterRequest, UpdateSharedTokenRequest,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::EmulatorError;
use crate::accounts::{Account, Failure, IdCounters, MAX_BODY_BYTES, change};
use crate::auth::Caller;
use crate::front::{answer_scripted, count_request};
use crate::shared::{InFlight, Shared};
use crate::wire;
use crate::{random, reshape};

/// The handler for each operation of the spec. An operation added to
/// swagger.json is routed too, to [`not_emulated`], so the emulator keeps
/// compiling and a caller learns "not emulated yet" (501) rather than "no such
/// path" (404); `cargo xtask check` lists it as work left. Paths and methods
/// come from the generated catalog, so they cannot drift from the spec (axum
/// uses the same `{id}` syntax).
fn handler_for(operation: Operation, method: MethodFilter) -> MethodRouter<Arc<Shared>> {
    match operation {
        Operation::GetAllTokens => on(method, get_all_tokens),
        Operation::CreateToken => on(method, create_token),
        Operation::GetToken => on(method, get_token),
        Operation::UpdateToken => on(method, update_token),
        Operation::DeleteToken => on(method, delete_token),
        Operation::GetAllFilters => on(method, get_all_filters),
        Operation::CreateFilter => on(method, create_filter),
        Operation::GetFilter => on(method, get_filter),
        Operation::DeleteFilter => on(method, delete_filter),
        other => on(method, move || not_emulated(other)),
    }
}

/// 501 for an operation of the spec the emulator does not implement yet: the
/// route exists (the spec declares it), its behaviour does not.
async fn not_emulated(operation: Operation) -> Response {
    wire::error(
        StatusCode::NOT_IMPLEMENTED,
        format!(
            "operation {} is in the spec but not emulated yet",
            operation.operation_id()
        ),
    )
}

pub(crate) fn router(shared: Arc<Shared>) -> Result<Router, EmulatorError> {
    let mut paths: BTreeMap<&'static str, MethodRouter<Arc<Shared>>> = BTreeMap::new();
    for &operation in Operation::ALL {
        let method = Method::from_bytes(operation.method().as_bytes())
            .ok()
            .and_then(|method| MethodFilter::try_from(method).ok())
            .ok_or_else(|| {
                EmulatorError::InvalidConfig(format!(
                    "the spec's operation {} uses method {}, which the emulator cannot route",
                    operation.operation_id(),
                    operation.method()
                ))
            })?;
        let routes = paths.remove(operation.path()).unwrap_or_default();
        paths.insert(
            operation.path(),
            routes.merge(handler_for(operation, method)),
        );
    }
    let mut router = Router::new();
    for (path, routes) in paths {
        router = router.route(path, routes);
    }
    router = router
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(no_such_path);
    if reshape::needed(shared.quirks) {
        router = router.layer(middleware::from_fn_with_state(
            shared.quirks,
            reshape::reshape,
        ));
    }
    Ok(router
        .layer(middleware::from_fn_with_state(
            Arc::clone(&shared),
            answer_scripted,
        ))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&shared),
            count_request,
        ))
        .with_state(shared))
}

async fn no_such_path(uri: Uri) -> Response {
    wire::error(
        StatusCode::NOT_FOUND,
        format!(
            "no such path: {}; the API's paths start with /v1/shared-tokens",
            shorten(uri.path())
        ),
    )
}

async fn method_not_allowed(method: Method, uri: Uri) -> Response {
    wire::error(
        StatusCode::METHOD_NOT_ALLOWED,
        format!(
            "method {method} is not allowed on {}; the Allow header lists those that are",
            shorten(uri.path())
        ),
    )
}

/// Client-supplied text quoted in an error, cut to a readable length.
fn shorten(text: &str) -> String {
    const LIMIT: usize = 80;
    if text.chars().count() <= LIMIT {
        return text.to_owned();
    }
    let head: String = text.chars().take(LIMIT).collect();
    format!("{head}…")
}

/// A request that passed the checks every operation shares; holds the
/// account's in-flight place until the handler returns.
struct Authorized {
    slot: usize,
    _in_flight: InFlight,
}

impl FromRequestParts<Arc<Shared>> for Authorized {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, shared: &Arc<Shared>) -> Result<Self, Response> {
        let Some(api_token) = parts.headers.get("x-api-token") else {
            return Err(wire::error(
                StatusCode::UNAUTHORIZED,
                "missing X-API-TOKEN header: send an API token of the account".into(),
            ));
        };
        let slot = match shared.keyring.identify(api_token.as_bytes()) {
            Caller::Account(slot) => slot,
            Caller::NoPermission => {
                return Err(wire::error(
                    StatusCode::FORBIDDEN,
                    "Insufficient privileges".into(),
                ));
            }
            Caller::Unknown => {
                return Err(wire::error(
                    StatusCode::UNAUTHORIZED,
                    "the X-API-TOKEN header is not a valid API token".into(),
                ));
            }
        };
        let Some(in_flight) = shared.enter(slot) else {
            return Err(wire::retry_later(
                StatusCode::TOO_MANY_REQUESTS,
                "too many concurrent requests for this account; retry after the Retry-After delay"
                    .into(),
                shared.retry_after_seconds,
            ));
        };
        if let Some(delay) = shared.draw_latency() {
            tokio::time::sleep(delay).await;
        }
        if shared.draw_fault() {
            return Err(wire::retry_later(
                StatusCode::SERVICE_UNAVAILABLE,
                "the service is temporarily unavailable (injected fault); nothing was changed, retry later"
                    .into(),
                shared.retry_after_seconds,
            ));
        }
        Ok(Self {
            slot,
            _in_flight: in_flight,
        })
    }
}

/// The `{id}` path parameter, which the spec types as int32.
struct PathId(i32);

impl<S: Send + Sync> FromRequestParts<S> for PathId {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let invalid = |raw: &str| {
            wire::error(
                StatusCode::BAD_REQUEST,
                format!(
                    "id: `{}` is not an int32 (a whole number from -2147483648 to 2147483647)",
                    shorten(raw)
                ),
            )
        };
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| invalid("(undecodable)"))?;
        raw.parse().map(PathId).map_err(|_| invalid(&raw))
    }
}

/// A JSON request body: `Content-Type: application/json`, at most
/// [`MAX_BODY_BYTES`], parsed into the spec's generated type with the path of
/// the first problem in the error message.
struct JsonBody<T>(T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = Response;

    async fn from_request(request: Request, _: &S) -> Result<Self, Response> {
        if let Some(problem) = content_type_problem(request.headers()) {
            return Err(wire::error(StatusCode::BAD_REQUEST, problem));
        }
        let too_large = || {
            wire::error(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the request body is larger than {MAX_BODY_BYTES} bytes"),
            )
        };
        let declared = request
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse::<u64>().ok());
        if declared.is_some_and(|length| length > MAX_BODY_BYTES as u64) {
            return Err(too_large());
        }
        let bytes = axum::body::to_bytes(request.into_body(), MAX_BODY_BYTES)
            .await
            .map_err(|error| {
                if error
                    .into_inner()
                    .downcast_ref::<http_body_util::LengthLimitError>()
                    .is_some()
                {
                    too_large()
                } else {
                    wire::error(
                        StatusCode::BAD_REQUEST,
                        "the request body could not be read".into(),
                    )
                }
            })?;
        let document: Value =
            serde_json::from_slice(&bytes).map_err(|error| body_error(".", &error))?;
        // serde would also accept a struct as a positional array; the spec's
        // bodies are all objects, so anything else is refused up front.
        if !document.is_object() {
            return Err(wire::error(
                StatusCode::BAD_REQUEST,
                "invalid request body: expected a JSON object".into(),
            ));
        }
        let has_null = contains_null(&document);
        let probe = has_null.then(|| with_nulls_as_empty_objects(document.clone()));
        let value: T = serde_path_to_error::deserialize(document)
            .map_err(|error| body_error(&error.path().to_string(), error.inner()))?;
        // No request field in the spec is nullable, but the generated types
        // read an optional field's `null` as "absent". Replacing each null by
        // `{}`, which no declared field accepts, finds a null in a declared
        // field; nulls in undeclared fields stay ignored, like the fields.
        if let Some(probe) = probe
            && let Err(error) = serde_path_to_error::deserialize::<_, T>(probe)
        {
            return Err(wire::error(
                StatusCode::BAD_REQUEST,
                format!(
                    "invalid request body at `{}`: null is not allowed here",
                    error.path()
                ),
            ));
        }
        Ok(Self(value))
    }
}

fn contains_null(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.iter().any(contains_null),
        Value::Object(fields) => fields.values().any(contains_null),
        _ => false,
    }
}

fn with_nulls_as_empty_objects(value: Value) -> Value {
    match value {
        Value::Null => Value::Object(serde_json::Map::new()),
        Value::Array(items) => items.into_iter().map(with_nulls_as_empty_objects).collect(),
        Value::Object(fields) => fields
            .into_iter()
            .map(|(name, field)| (name, with_nulls_as_empty_objects(field)))
            .collect(),
        other => other,
    }
}

/// Why the request's `Content-Type` is not JSON, if it is not.
fn content_type_problem(headers: &HeaderMap) -> Option<String> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim();
    if essence.eq_ignore_ascii_case("application/json") {
        return None;
    }
    let got = if content_type.is_empty() {
        "none".to_owned()
    } else {
        format!("`{}`", shorten(content_type))
    };
    Some(format!("Content-Type must be application/json (got {got})"))
}

fn body_error(path: &str, error: &serde_json::Error) -> Response {
    let location = if path == "." {
        String::new()
    } else {
        format!(" at `{path}`")
    };
    // serde_json appends "at line L column C"; the field path says more.
    let text = error.to_string();
    let reason = text.split(" at line ").next().unwrap_or(&text);
    wire::error(
        StatusCode::BAD_REQUEST,
        format!("invalid request body{location}: {reason}"),
    )
}

type SharedState = State<Arc<Shared>>;

/// Makes `change` to the caller's account (saved first when the emulator persists) and
/// answers with `answer` of what it made, or with the failure Logz.io would send.
async fn answer_change<R, F>(
    shared: &Arc<Shared>,
    caller: &Authorized,
    change: F,
    answer: impl FnOnce(R) -> Response,
) -> Response
where
    R: Send + 'static,
    F: FnOnce(&mut Account, &mut IdCounters) -> Result<R, Failure> + Send + 'static,
{
    match shared.change(caller.slot, change).await {
        Ok(made) => answer(made),
        Err(failure) => wire::failure(&failure, shared.retry_after_seconds),
    }
}

async fn get_all_tokens(State(shared): SharedState, caller: Authorized) -> Response {
    shared.store.read(caller.slot, wire::token_list)
}

async fn get_token(State(shared): SharedState, caller: Authorized, PathId(id): PathId) -> Response {
    shared
        .store
        .read(caller.slot, |account| match account.token(id) {
            Ok(token) => wire::token(token),
            Err(failure) => wire::failure(&failure, shared.retry_after_seconds),
        })
}

async fn create_token(
    State(shared): SharedState,
    caller: Authorized,
    JsonBody(request): JsonBody<CreateSharedTokenRequest>,
) -> Response {
    let value = match random::shared_token_value() {
        Ok(value) => SharedTokenValue::new(value),
        Err(error) => {
            return wire::retry_later(
                StatusCode::SERVICE_UNAVAILABLE,
                error.to_string(),
                shared.retry_after_seconds,
            );
        }
    };
    let context = shared.change_context();
    let create = move |account: &mut Account, counters: &mut IdCounters| {
        change::create_token(account, counters, &context, request, value)
    };
    answer_change(&shared, &caller, create, |token| {
        shared
            .counters
            .tokens_created
            .fetch_add(1, Ordering::Relaxed);
        wire::token(&token)
    })
    .await
}

async fn update_token(
    State(shared): SharedState,
    caller: Authorized,
    PathId(id): PathId,
    JsonBody(request): JsonBody<UpdateSharedTokenRequest>,
) -> Response {
    let update =
        move |account: &mut Account, _: &mut IdCounters| change::update_token(account, id, request);
    answer_change(&shared, &caller, update, |token| wire::token(&token)).await
}

async fn delete_token(
    State(shared): SharedState,
    caller: Authorized,
    PathId(id): PathId,
) -> Response {
    let delete = move |account: &mut Account, _: &mut IdCounters| change::delete_token(account, id);
    answer_change(&shared, &caller, delete, |()| {
        wire::empty(StatusCode::NO_CONTENT)
    })
    .await
}

async fn get_all_filters(State(shared): SharedState, caller: Authorized) -> Response {
    shared.store.read(caller.slot, wire::filter_list)
}

async fn get_filter(
    State(shared): SharedState,
    caller: Authorized,
    PathId(id): PathId,
) -> Response {
    shared
        .store
        .read(caller.slot, |account| match account.filter(id) {
            Ok(filter) => wire::filter(filter),
            Err(failure) => wire::failure(&failure, shared.retry_after_seconds),
        })
}

async fn create_filter(
    State(shared): SharedState,
    caller: Authorized,
    JsonBody(filter): JsonBody<QueryFilterRequest>,
) -> Response {
    let create = move |account: &mut Account, counters: &mut IdCounters| {
        change::create_filter(account, counters, filter)
    };
    answer_change(&shared, &caller, create, |filter| wire::filter(&filter)).await
}

async fn delete_filter(
    State(shared): SharedState,
    caller: Authorized,
    PathId(id): PathId,
) -> Response {
    let delete =
        move |account: &mut Account, _: &mut IdCounters| change::delete_filter(account, id);
    // 200, not the 204 of deleteToken: Logz.io's spec documents each so.
    answer_change(&shared, &caller, delete, |()| wire::empty(StatusCode::OK)).await
}
