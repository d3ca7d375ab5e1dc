//! Answers as bytes on the wire, built from the spec's generated types.
//!
//! The generated `SharedToken` leaves absent optional fields out; the spec
//! declares `filters`, `lastUsed` and `expirationDate` nullable and Logz.io
//! sends them as `null`, so those three are filled in explicitly here.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use logzio_shared_tokens_api::UnixTime;
use logzio_shared_tokens_api::types::error::ConversionError;
use logzio_shared_tokens_api::types::{ErrorMessage, QueryFilter, SharedToken};
use serde_json::Value;

use crate::accounts::{Account, Failure, StoredToken};

/// The fields of `SharedToken` the spec marks `x-nullable`, sent as `null`
/// rather than left out when they have no value.
const NULLABLE_TOKEN_FIELDS: [&str; 3] = ["filters", "lastUsed", "expirationDate"];

/// The token as the API sends it. Built through the generated builder, so a
/// field the spec adds later is left out rather than breaking the build; the
/// error is a required field the emulator does not know how to fill yet.
pub(crate) fn token_value(token: &StoredToken) -> Result<Value, ConversionError> {
    let wire: SharedToken = SharedToken::builder()
        .id(token.id)
        .name(Some(token.name.clone()))
        .token(Some(token.token.clone()))
        .filters((!token.filters.is_empty()).then(|| token.filters.clone()))
        .filters_operator(Some(token.filters_operator.clone()))
        .last_used(token.last_used.and_then(UnixTime::from_millis))
        .expiration_date(token.expiration_date.and_then(UnixTime::from_millis))
        .try_into()?;
    let mut value = serde_json::to_value(&wire).unwrap_or(Value::Null);
    if let Value::Object(fields) = &mut value {
        for name in NULLABLE_TOKEN_FIELDS {
            fields.entry(name).or_insert(Value::Null);
        }
    }
    Ok(value)
}

pub(crate) fn token(token: &StoredToken) -> Response {
    match token_value(token) {
        Ok(value) => ok_json(&value),
        Err(error) => not_emulated("SharedToken", &error),
    }
}

pub(crate) fn token_list(account: &Account) -> Response {
    let list: Result<Vec<Value>, ConversionError> =
        account.tokens.values().map(token_value).collect();
    match list {
        Ok(list) => ok_json(&list),
        Err(error) => not_emulated("SharedToken", &error),
    }
}

/// 501 for an answer whose spec type the emulator cannot fill yet (a
/// required field added to the spec after the emulator was written).
pub(crate) fn not_emulated(type_name: &str, error: &ConversionError) -> Response {
    self::error(
        StatusCode::NOT_IMPLEMENTED,
        format!("the emulator cannot build this spec's {type_name} yet: {error}"),
    )
}

pub(crate) fn filter(filter: &QueryFilter) -> Response {
    ok_json(filter)
}

pub(crate) fn filter_list(account: &Account) -> Response {
    let list: Vec<&QueryFilter> = account.filters.values().collect();
    ok_json(&list)
}

fn ok_json(body: &impl serde::Serialize) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => json(StatusCode::OK, bytes),
        // Not reachable for these types; answered without internals all the same.
        Err(_) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the emulator could not encode its answer".into(),
        ),
    }
}

fn json(status: StatusCode, bytes: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// An empty answer (deleteToken's 204, deleteFilter's 200).
pub(crate) fn empty(status: StatusCode) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response
}

/// `{"message": ...}` with `status`.
pub(crate) fn error(status: StatusCode, message: String) -> Response {
    // Building and serialising the spec's one-string-field type cannot fail;
    // the fallback keeps this free of a panic all the same.
    let body = ErrorMessage::builder()
        .message(message)
        .try_into()
        .ok()
        .and_then(|error: ErrorMessage| serde_json::to_vec(&error).ok())
        .unwrap_or_default();
    json(status, body)
}

/// An error the client should retry later: 429 or 503 with `Retry-After`
/// (the configured delay, in seconds).
pub(crate) fn retry_later(
    status: StatusCode,
    message: String,
    retry_after_seconds: u64,
) -> Response {
    let mut response = error(status, message);
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_seconds));
    response
}

/// A refused operation; `retry_after_seconds` is used when it answers 503.
pub(crate) fn failure(failure: &Failure, retry_after_seconds: u64) -> Response {
    match failure {
        Failure::NotFound { .. } | Failure::BadRequest(_) => {
            error(StatusCode::BAD_REQUEST, failure.message())
        }
        Failure::Unavailable(_) => retry_later(
            StatusCode::SERVICE_UNAVAILABLE,
            failure.message(),
            retry_after_seconds,
        ),
        Failure::NotEmulated(_) => error(StatusCode::NOT_IMPLEMENTED, failure.message()),
    }
}
