//! The `decode` target: bytes as every response type the spec declares,
//! directly and through the facade (a real loopback answer, so the request
//! path's error shaping and the error mapping run too), then through
//! [`SharedTokenExt`].
//!
//! Promises checked: no panic; the API token never appears in an error; an
//! error about a 2xx body ([`Error::Decode`]) never quotes the body (its path
//! names only declared fields and indices, its detail only a category and a
//! position); the status alone decides 401, 403, 404, 429 and 503.
//!
//! Input: byte 0 picks the operation, byte 1 the status, byte 2 the
//! content type, byte 3 `Retry-After` (bits 0–2) and a bogus gzip
//! `Content-Encoding` (bit 3); the rest is the body.

use logzio_shared_tokens::types::{ErrorMessage, QueryFilter, SharedToken};
use logzio_shared_tokens::{Error, FiltersOperator, SharedTokenExt};

use crate::canned_server::{API_TOKEN, Answer, CannedServer};

/// Statuses an answer can have (no 1xx or 3xx: reqwest handles those itself).
pub const STATUSES: [u16; 18] = [
    200, 201, 202, 204, 400, 401, 403, 404, 405, 409, 413, 418, 422, 429, 500, 502, 503, 504,
];

const CONTENT_TYPES: [Option<&str>; 7] = [
    Some("application/json"),
    None,
    Some("application/json; charset=utf-8"),
    Some("text/html; charset=UTF-8"),
    Some("text/plain"),
    Some("application/problem+json"),
    Some("TEXT/HTML;;;"),
];

const RETRY_AFTERS: [Option<&str>; 8] = [
    None,
    Some("1"),
    Some("0"),
    Some("-1"),
    Some("18446744073709551615"),
    Some("Wed, 21 Oct 2015 07:28:00 GMT"),
    Some("Fri, 31 Dec 9999 23:59:59 GMT"),
    Some("soon"),
];

/// Every field name the response types declare: the only words a decode
/// error's path may contain.
const DECLARED_FIELDS: [&str; 12] = [
    "id",
    "name",
    "token",
    "filters",
    "filterIds",
    "filtersOperator",
    "lastUsed",
    "expirationDate",
    "field",
    "value",
    "description",
    "message",
];

/// Runs one input; panics if a promise is broken.
pub fn check(data: &[u8]) {
    let [operation, status, content_type, flags, body @ ..] = data else {
        return;
    };
    decode_directly(body);
    let status = STATUSES[usize::from(*status) % STATUSES.len()];
    let mut headers = Vec::new();
    if let Some(value) = CONTENT_TYPES[usize::from(*content_type) % CONTENT_TYPES.len()] {
        headers.push(("content-type", value.to_owned()));
    }
    if let Some(value) = RETRY_AFTERS[usize::from(flags & 7)] {
        headers.push(("retry-after", value.to_owned()));
    }
    let bogus_gzip = flags & 8 != 0;
    if bogus_gzip {
        headers.push(("content-encoding", "gzip".to_owned()));
    }
    let server = CannedServer::get();
    server.answer_with(Answer {
        status,
        headers,
        body: body.to_vec(),
    });
    let outcome = server.runtime.block_on(call(&server.client, *operation));
    if let Err(error) = outcome {
        check_error(&error, status, bogus_gzip);
    }
}

/// Every response type, straight from the bytes, and the accessors.
fn decode_directly(body: &[u8]) {
    if let Ok(token) = serde_json::from_slice::<SharedToken>(body) {
        use_token(&token);
    }
    if let Ok(tokens) = serde_json::from_slice::<Vec<SharedToken>>(body) {
        tokens.iter().for_each(use_token);
    }
    let _ = serde_json::from_slice::<QueryFilter>(body);
    let _ = serde_json::from_slice::<Vec<QueryFilter>>(body);
    let _ = serde_json::from_slice::<ErrorMessage>(body);
}

fn use_token(token: &SharedToken) {
    let _ = token.filter_ids();
    let _ = token.operator() == FiltersOperator::And;
    if let Some(at) = token.expires_at() {
        let _ = token.is_expired_at(at);
        let _ = at.to_string();
    }
    let _ = token.last_used().map(|at| at.to_string());
    if let Some(value) = &token.token {
        // Debug may show the value's text elsewhere (a name equal to it),
        // but never more often than without the value.
        let secret = value.expose_secret();
        let mut valueless = token.clone();
        valueless.token = None;
        let (with, without) = (format!("{token:?}"), format!("{valueless:?}"));
        assert!(
            secret.is_empty() || with.matches(secret).count() <= without.matches(secret).count(),
            "Debug of a SharedToken shows its value"
        );
    }
}

/// One facade call of the 9 operations, picked by `pick`.
async fn call(client: &logzio_shared_tokens::Client, pick: u8) -> Result<(), Error> {
    let (tokens, filters) = (client.tokens(), client.filters());
    match pick % 9 {
        0 => tokens.list().await?.iter().for_each(use_token),
        1 => use_token(&tokens.create("fuzz").send().await?),
        2 => use_token(&tokens.get(1).await?),
        3 => use_token(&tokens.update(1, [1]).send().await?),
        4 => tokens.delete(1).await?,
        5 => drop(filters.list().await?),
        6 => drop(filters.create("type", "nginx").send().await?),
        7 => drop(filters.get(1).await?),
        _ => filters.delete(1).await?,
    }
    Ok(())
}

fn check_error(error: &Error, status: u16, bogus_gzip: bool) {
    let (text, debug) = (error.to_string(), format!("{error:?}"));
    assert!(
        !text.contains(API_TOKEN) && !debug.contains(API_TOKEN),
        "the API token is in an error: {text}"
    );
    if let Error::Decode { path, detail, .. } = error {
        check_decode_error(path, detail, &text);
    }
    if bogus_gzip {
        return; // The body cannot be read: a transport error, whatever the status.
    }
    let expected_status = match status {
        401 => matches!(error, Error::Unauthorized { .. }),
        403 => matches!(error, Error::Forbidden { .. }),
        404 => matches!(error, Error::NotFound { .. }),
        429 => matches!(error, Error::RateLimited { .. }),
        503 => matches!(error, Error::Unavailable { .. }),
        _ => true,
    };
    assert!(
        expected_status,
        "HTTP {status} became the wrong error: {debug}"
    );
}

fn check_decode_error(path: &str, detail: &str, text: &str) {
    let words = path
        .split(['.', '[', ']'])
        .filter(|word| !word.is_empty() && word.parse::<usize>().is_err());
    for word in words {
        assert!(
            DECLARED_FIELDS.contains(&word) || word == "?",
            "a decode error's path quotes the body ({word:?}): {text}"
        );
    }
    let categories = [
        "read error",
        "not valid JSON",
        "JSON of the wrong shape or types",
        "empty or truncated body",
    ];
    let position = categories
        .iter()
        .find_map(|category| detail.strip_prefix(category))
        .and_then(|rest| rest.strip_prefix(" at line "))
        .and_then(|rest| rest.split_once(" column "));
    let is_position = position.is_some_and(|(line, column)| {
        line.parse::<usize>().is_ok() && column.parse::<usize>().is_ok()
    });
    assert!(
        is_position,
        "a decode error's detail is not a category and a position: {text}"
    );
}
