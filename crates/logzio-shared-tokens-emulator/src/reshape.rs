//! The answer-shape quirks, applied to finished answers on their way out so
//! that the handlers, `wire.rs` and the store only ever know the clean
//! documented shape: proxy error pages, `filterIds`, timestamps in seconds,
//! the operator as an array, unknown fields. Installed only when one of
//! those quirks is on, so the default path pays nothing.
//!
//! It must never change a status, a `Retry-After`, or what a record means:
//! only how it is written.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::faults::{FaultBody, page};
use crate::quirks::{Quirk, Quirks};

/// The quirks this layer applies (the others act elsewhere).
const ANSWER_QUIRKS: [Quirk; 5] = [
    Quirk::ProxyErrors,
    Quirk::FilterIds,
    Quirk::SecondsTimestamps,
    Quirk::OperatorArray,
    Quirk::UnknownFields,
];

/// Whether any quirk of this layer is on, i.e. whether to install it.
pub(crate) fn needed(quirks: Quirks) -> bool {
    ANSWER_QUIRKS
        .into_iter()
        .any(|quirk| quirks.contains(quirk))
}

/// Which records a path's successful answers hold.
#[derive(Clone, Copy)]
enum Records {
    Tokens,
    Filters,
    Other,
}

impl Records {
    fn of(path: &str) -> Self {
        if path.starts_with("/v1/shared-tokens/filters") {
            Records::Filters
        } else if path.starts_with("/v1/shared-tokens") {
            Records::Tokens
        } else {
            Records::Other
        }
    }
}

/// The middleware: lets the request through, then reshapes its answer.
pub(crate) async fn reshape(
    State(quirks): State<Quirks>,
    request: Request,
    next: Next,
) -> Response {
    let records = Records::of(request.uri().path());
    let response = next.run(request).await;
    if quirks.contains(Quirk::ProxyErrors)
        && let Some(body) = proxy_body(response.status())
    {
        return as_proxy_page(response, body);
    }
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/json"));
    if !is_json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // The emulator's own answers, already bounded by what it stores.
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let Ok(mut document) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    if parts.status.is_success() {
        rewrite_records(&mut document, records, quirks);
    } else if let Value::Object(fields) = &mut document {
        add_unknown_fields(fields, quirks);
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(document.to_string()))
}

/// The body a proxy would put in place of the API's, for the statuses a
/// proxy or gateway typically answers itself.
fn proxy_body(status: StatusCode) -> Option<FaultBody> {
    match status.as_u16() {
        401 | 502 | 503 | 504 => Some(FaultBody::Html),
        429 => Some(FaultBody::PlainText),
        403 => Some(FaultBody::Empty),
        _ => None,
    }
}

/// `response`'s status and `Retry-After`, with a proxy's page as the body.
fn as_proxy_page(response: Response, body: FaultBody) -> Response {
    let retry_after: Option<HeaderValue> = response.headers().get(header::RETRY_AFTER).cloned();
    let mut page = page(response.status(), body);
    if let Some(value) = retry_after {
        page.headers_mut().insert(header::RETRY_AFTER, value);
    }
    page
}

fn rewrite_records(document: &mut Value, records: Records, quirks: Quirks) {
    let rewrite = |fields: &mut Map<String, Value>| match records {
        Records::Tokens => rewrite_token(fields, quirks),
        Records::Filters | Records::Other => add_unknown_fields(fields, quirks),
    };
    match document {
        Value::Array(items) => items
            .iter_mut()
            .filter_map(Value::as_object_mut)
            .for_each(rewrite),
        Value::Object(fields) => rewrite(fields),
        _ => {}
    }
}

fn rewrite_token(fields: &mut Map<String, Value>, quirks: Quirks) {
    if quirks.contains(Quirk::SecondsTimestamps) {
        for name in ["lastUsed", "expirationDate"] {
            if let Some(millis) = fields.get(name).and_then(Value::as_i64) {
                // Whole seconds print as `1735743699.0`: always a fraction, like Logz.io's example.
                fields.insert(name.to_owned(), json!(millis as f64 / 1000.0));
            }
        }
    }
    if quirks.contains(Quirk::OperatorArray)
        && let Some(operator) = fields.remove("filtersOperator")
    {
        let declared = match operator {
            Value::String(_) => Value::Array(vec![operator]),
            other => other,
        };
        fields.insert("filtersOperator".to_owned(), declared);
    }
    if quirks.contains(Quirk::FilterIds)
        && let Some(filters) = fields.remove("filters")
    {
        fields.insert("filterIds".to_owned(), filters);
    }
    add_unknown_fields(fields, quirks);
}

/// Fields no version of the spec declares, of every JSON kind.
fn add_unknown_fields(fields: &mut Map<String, Value>, quirks: Quirks) {
    if !quirks.contains(Quirk::UnknownFields) {
        return;
    }
    fields.insert("createdBy".to_owned(), json!("logzio-ui"));
    fields.insert("revision".to_owned(), json!(3));
    fields.insert("archived".to_owned(), json!(false));
    fields.insert("retiredAt".to_owned(), Value::Null);
    fields.insert(
        "metadata".to_owned(),
        json!({"labels": ["emulator", "unknown-fields"], "owner": {"team": "observability"}}),
    );
}
