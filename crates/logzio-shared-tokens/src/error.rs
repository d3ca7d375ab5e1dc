//! The one error type of the facade, and its mapping from the generated
//! client's `progenitor_client::Error`.
//!
//! It must never carry a secret: no variant holds the API token, a shared
//! token value or a raw serde message (which can quote response text). Bodies
//! kept for unexpected answers pass through [`crate::redact`] first.

use std::time::Duration;

use logzio_shared_tokens_api::operations::Operation;
use logzio_shared_tokens_api::types::ErrorMessage;
use serde::de::DeserializeOwned;

use crate::redact::Redactor;
use crate::request_path::CallRecord;
use crate::retry::retry_after;

/// The generated client's error, as every generated operation returns it.
pub(crate) type ApiError = progenitor_client::Error<ErrorMessage>;

/// Everything that can go wrong talking to the Shared Tokens API.
///
/// Match on the variant to decide what to do; [`Error::is_retryable`] says
/// whether the same call may succeed later (the client already retried it as
/// far as its [`RetryPolicy`](crate::RetryPolicy) allows). `Display` never
/// shows the API token or a shared token value.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The token or filter does not exist in the API token's account — the
    /// one addressed by id, or a filter id given to `create`/`update`.
    /// Logz.io answers this with HTTP 400 and a "… not found …" message
    /// (a proxy may answer 404); [`Error::status`] reports 400 either way.
    #[error("not found: {message}")]
    #[non_exhaustive]
    NotFound {
        /// The server's explanation, e.g. `token with id 5 not found for account 7`.
        message: String,
    },

    /// HTTP 401: the API token is missing, unknown or revoked.
    #[error("unauthorized: the Logz.io API token is missing or not valid for this region")]
    Unauthorized,

    /// HTTP 403: the API token is valid but its account lacks the
    /// shared-tokens permission, which only Logz.io support can grant.
    #[error(
        "forbidden: {message} (the account needs the shared-tokens permission; ask Logz.io support to enable it)"
    )]
    #[non_exhaustive]
    Forbidden {
        /// The server's explanation, e.g. `Insufficient privileges`.
        message: String,
    },

    /// HTTP 429: more concurrent requests than the account allows (100 at
    /// Logz.io). Raised only once the retry policy is exhausted, whatever
    /// the body (a proxy's text page counts the same as JSON).
    #[error(
        "rate limited by the Logz.io API {}{}",
        tried(*attempts, *elapsed),
        retry_hint(retry_after)
    )]
    #[non_exhaustive]
    RateLimited {
        /// The server's `Retry-After` on the last answer, when it sent one.
        retry_after: Option<Duration>,
        /// Attempts made, the first included.
        attempts: u32,
        /// Time from the first attempt to this error.
        elapsed: Duration,
    },

    /// HTTP 503: the service is temporarily unavailable and did not carry out
    /// the request. Raised only once the retry policy is exhausted, whatever
    /// the body (a load balancer's HTML page counts the same as JSON).
    #[error(
        "the Logz.io API is temporarily unavailable {}{}",
        tried(*attempts, *elapsed),
        retry_hint(retry_after)
    )]
    #[non_exhaustive]
    Unavailable {
        /// The server's `Retry-After` on the last answer, when it sent one.
        retry_after: Option<Duration>,
        /// Attempts made, the first included.
        attempts: u32,
        /// Time from the first attempt to this error.
        elapsed: Duration,
    },

    /// The input was refused before anything was sent: a filter field or
    /// value outside the spec's pattern, an empty name, an `http://` URL to a
    /// non-loopback host, a missing environment variable, …
    #[error("invalid {field}: {reason}")]
    #[non_exhaustive]
    InvalidInput {
        /// What was wrong: match on it, e.g. `InputField::BaseUrl`.
        field: InputField,
        /// Why it was refused (never the secret itself).
        reason: String,
    },

    /// The token has a `filtersOperator` this client cannot send (it knows
    /// `OR` and `AND`), and the call would have had to send it back: a
    /// partial update without an operator, or a rotation. Nothing was
    /// changed; for an update, give the operator explicitly.
    #[error(
        "token {id} has the filtersOperator {operator:?}, which this client cannot send (OR, AND); nothing was changed"
    )]
    #[non_exhaustive]
    UnknownOperator {
        /// The token's id.
        id: i32,
        /// The operator as the server sent it (redacted like any server text).
        operator: String,
    },

    /// A rotation created the replacement but could not delete the old
    /// token: **both tokens exist**. Delete `old_id` once the cause is
    /// fixed; `new_id` is the token to keep.
    #[error(
        "the replacement token {new_id} was created, but deleting the old token {old_id} failed, so both exist: {source}"
    )]
    #[non_exhaustive]
    RotationIncomplete {
        /// The token that was to be replaced; it still exists.
        old_id: i32,
        /// The replacement, created.
        new_id: i32,
        /// Why the delete failed.
        #[source]
        source: Box<Error>,
    },

    /// Any other HTTP answer: a 400 that is not "not found", a 5xx other than
    /// 503, or a status the spec does not list.
    #[error("the Logz.io API answered HTTP {status}: {message}")]
    #[non_exhaustive]
    Api {
        /// The HTTP status code.
        status: u16,
        /// The server's `message`, or what came back instead (`HTTP 502 with
        /// a text/html body …` and a short excerpt), with anything that looks
        /// like a secret redacted.
        message: String,
    },

    /// The request did not complete: connection refused or reset, DNS, TLS,
    /// or the per-attempt timeout elapsed.
    #[error(
        "could not complete the request to the Logz.io API ({kind}) {}",
        tried(*attempts, *elapsed)
    )]
    #[non_exhaustive]
    Transport {
        /// What kind of transport failure this was.
        kind: TransportKind,
        /// The underlying HTTP client error (its text names the URL, never a header).
        #[source]
        source: Option<reqwest::Error>,
        /// Attempts made, the first included.
        attempts: u32,
        /// Time from the first attempt to this error.
        elapsed: Duration,
    },

    /// A successful (2xx) answer whose body could not be read as the spec's
    /// type: a value of the wrong JSON type, a required field missing, or
    /// not JSON at all. Error answers never end here: their status decides.
    #[error("could not decode the {operation} response: {path}: {detail}")]
    #[non_exhaustive]
    Decode {
        /// The spec's operationId, e.g. `getAllTokens`.
        operation: &'static str,
        /// Where in the body, e.g. `[3].lastUsed` (`.` for the whole body).
        path: String,
        /// What was wrong there (category, line and column; never the value).
        detail: String,
    },
}

/// The kinds of [`Error::Transport`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// No connection could be made; the request was never sent.
    Connect,
    /// The per-attempt timeout elapsed; the server may or may not have acted.
    Timeout,
    /// The connection failed while sending the request or reading the answer.
    Interrupted,
}

impl std::fmt::Display for TransportKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Connect => "connection failed",
            Self::Timeout => "timed out",
            Self::Interrupted => "connection interrupted",
        })
    }
}

/// Which input [`Error::InvalidInput`] refused. `Display` gives the name
/// used in messages (`base_url`, `LOGZIO_REGION`, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InputField {
    /// The API token given to the builder.
    ApiToken,
    /// The base URL given to the builder (or `LOGZIO_API_URL`).
    BaseUrl,
    /// A region code.
    Region,
    /// The `LOGZIO_API_TOKEN` environment variable.
    ApiTokenVariable,
    /// The `LOGZIO_REGION` environment variable.
    RegionVariable,
    /// The concurrency limit given to the builder.
    MaxConcurrentRequests,
    /// The HTTP client could not be built from the configuration.
    HttpClient,
    /// A token's name.
    TokenName,
    /// A filter's field.
    FilterField,
    /// A filter's value.
    FilterValue,
    /// A request the generated client refused to build.
    Request,
}

impl std::fmt::Display for InputField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::ApiToken => "api_token",
            Self::BaseUrl => "base_url",
            Self::Region => "region",
            Self::ApiTokenVariable => crate::config::ENV_API_TOKEN,
            Self::RegionVariable => crate::config::ENV_REGION,
            Self::MaxConcurrentRequests => "max_concurrent_requests",
            Self::HttpClient => "http_client",
            Self::TokenName => "name",
            Self::FilterField => "field",
            Self::FilterValue => "value",
            Self::Request => "request",
        })
    }
}

/// `after 3 attempts over 2.0 s`, or `after 1 attempt`.
fn tried(attempts: u32, elapsed: Duration) -> String {
    if attempts == 1 {
        "after 1 attempt".to_owned()
    } else {
        format!(
            "after {attempts} attempts over {:.1} s",
            elapsed.as_secs_f64()
        )
    }
}

fn retry_hint(retry_after: &Option<Duration>) -> String {
    match retry_after {
        Some(delay) => format!("; retry after {} s", delay.as_secs_f64()),
        None => String::new(),
    }
}

impl Error {
    /// The HTTP status of the answer behind this error, if there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            // NotFound is usually a 400 at Logz.io; a proxy may say 404.
            Self::NotFound { .. } => Some(400),
            Self::Unauthorized => Some(401),
            Self::Forbidden { .. } => Some(403),
            Self::RateLimited { .. } => Some(429),
            Self::Unavailable { .. } => Some(503),
            Self::Api { status, .. } => Some(*status),
            Self::RotationIncomplete { source, .. } => source.status(),
            Self::InvalidInput { .. }
            | Self::UnknownOperator { .. }
            | Self::Transport { .. }
            | Self::Decode { .. } => None,
        }
    }

    /// Whether the same call may succeed if tried again **later**: rate
    /// limits, unavailability and transport failures. The client has already
    /// retried such a failure as far as its [`RetryPolicy`](crate::RetryPolicy)
    /// allows ([`Error::attempts`] says how often), so `true` means "worth
    /// another try after a pause", not "retry now". (For a `create`, a
    /// transport failure is ambiguous: check with a list before creating again.)
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::RateLimited { .. } | Self::Unavailable { .. } | Self::Transport { .. }
        )
    }

    /// The delay the server asked for, on 429 and 503.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after, .. } | Self::Unavailable { retry_after, .. } => {
                *retry_after
            }
            _ => None,
        }
    }

    /// How many attempts the client made before giving up, for the failures
    /// it retries (429, 503, transport); `None` for the others.
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Self::RateLimited { attempts, .. }
            | Self::Unavailable { attempts, .. }
            | Self::Transport { attempts, .. } => Some(*attempts),
            _ => None,
        }
    }

    pub(crate) fn invalid(field: InputField, reason: impl Into<String>) -> Self {
        Self::InvalidInput {
            field,
            reason: reason.into(),
        }
    }

    /// Maps a generated-client error of `operation`. Error answers arrive
    /// with the documented `{"message"}` body whatever the server sent (the
    /// request path reshapes them), so the status alone picks the variant.
    pub(crate) async fn from_api<T: DeserializeOwned>(
        error: ApiError,
        operation: Operation,
        call: &CallRecord,
        redactor: &Redactor,
    ) -> Self {
        let (attempts, elapsed) = (call.attempts(), call.elapsed());
        match error {
            progenitor_client::Error::ErrorResponse(response) => {
                let status = response.status().as_u16();
                let retry_after = retry_after(response.headers());
                let message = response.into_inner().message;
                from_status(status, &message, redactor, retry_after, attempts, elapsed)
            }
            progenitor_client::Error::UnexpectedResponse(response) => {
                let status = response.status().as_u16();
                let retry_after = retry_after(response.headers());
                let message = match response.bytes().await {
                    Ok(body) => serde_json::from_slice::<ErrorMessage>(&body)
                        .map(|error| error.message)
                        .unwrap_or_else(|_| format!("HTTP {status}")),
                    Err(_) => format!("HTTP {status}; the body could not be read"),
                };
                from_status(status, &message, redactor, retry_after, attempts, elapsed)
            }
            progenitor_client::Error::InvalidResponsePayload(body, error) => Self::Decode {
                operation: operation.operation_id(),
                path: json_path::<T>(&body),
                detail: decode_detail(&error),
            },
            progenitor_client::Error::CommunicationError(error)
            | progenitor_client::Error::ResponseBodyError(error)
            | progenitor_client::Error::InvalidUpgrade(error) => {
                transport(error, attempts, elapsed)
            }
            progenitor_client::Error::InvalidRequest(reason)
            | progenitor_client::Error::Custom(reason) => {
                Self::invalid(InputField::Request, redactor.redact(&reason))
            }
        }
    }
}

/// Where in `body` decoding as `T` fails, as a path (`[3].lastUsed`).
///
/// Only a value of the wrong type gets a path: it can only fail inside a
/// field `T` declares, so the path names declared fields and indices. A
/// syntax error can stop the parser inside a key `T` ignores, and that key
/// is the server's text (it may be a secret): such errors get `.` (the
/// whole body), and their line and column say where.
fn json_path<T: DeserializeOwned>(body: &[u8]) -> String {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(error) if error.inner().classify() == serde_json::error::Category::Data => {
            error.path().to_string()
        }
        // Not a type error, or decoded on the second try (cannot differ
        // from the first): the whole body.
        _ => ".".to_owned(),
    }
}

/// A serde_json error described without its message, which may quote the
/// response (and so a secret).
pub(crate) fn decode_detail(error: &serde_json::Error) -> String {
    let category = match error.classify() {
        serde_json::error::Category::Io => "read error",
        serde_json::error::Category::Syntax => "not valid JSON",
        serde_json::error::Category::Data => "JSON of the wrong shape or types",
        serde_json::error::Category::Eof => "empty or truncated body",
    };
    format!(
        "{category} at line {} column {}",
        error.line(),
        error.column()
    )
}

pub(crate) fn transport(error: reqwest::Error, attempts: u32, elapsed: Duration) -> Error {
    let kind = if error.is_timeout() {
        TransportKind::Timeout
    } else if error.is_connect() {
        TransportKind::Connect
    } else {
        TransportKind::Interrupted
    };
    Error::Transport {
        kind,
        source: Some(error),
        attempts,
        elapsed,
    }
}

/// The variant for an error answer. Classifies on the server's own words,
/// then redacts them for keeping: redaction can never change the variant.
fn from_status(
    status: u16,
    message: &str,
    redactor: &Redactor,
    retry_after: Option<Duration>,
    attempts: u32,
    elapsed: Duration,
) -> Error {
    let says_not_found = message.to_ascii_lowercase().contains("not found");
    let message = redactor.redact(message);
    match status {
        400 if says_not_found => Error::NotFound { message },
        404 => Error::NotFound { message },
        401 => Error::Unauthorized,
        403 => Error::Forbidden { message },
        429 => Error::RateLimited {
            retry_after,
            attempts,
            elapsed,
        },
        503 => Error::Unavailable {
            retry_after,
            attempts,
            elapsed,
        },
        _ => Error::Api { status, message },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::SecretString;

    fn map(status: u16, message: &str, api_token: &str) -> Error {
        let redactor = Redactor::new(SecretString::from(api_token));
        from_status(status, message, &redactor, None, 1, Duration::ZERO)
    }

    #[test]
    fn statuses_map_to_their_variants() {
        let not_found = map(400, "token with id 5 not found for account 7", "x");
        assert!(matches!(not_found, Error::NotFound { .. }));
        assert!(matches!(
            map(400, "bad filter", "x"),
            Error::Api { status: 400, .. }
        ));
        assert!(matches!(map(401, "", "x"), Error::Unauthorized));
        let redactor = Redactor::new(SecretString::from("x"));
        let limited = from_status(
            429,
            "",
            &redactor,
            Some(Duration::from_secs(2)),
            3,
            Duration::from_millis(2_050),
        );
        assert_eq!(limited.retry_after(), Some(Duration::from_secs(2)));
        assert_eq!(limited.attempts(), Some(3));
        assert!(limited.is_retryable());
        assert!(
            limited.to_string().contains("after 3 attempts over 2.0 s"),
            "{limited}"
        );
        assert!(!not_found.is_retryable());
        assert_eq!(map(502, "x", "y").status(), Some(502));
    }

    #[test]
    fn classification_does_not_depend_on_redaction() {
        // A one-character API token must neither corrupt the message nor
        // hide the "not found" that classifies it.
        let message = "token with id 12345 not found for account 54321";
        for api_token in ["t", "n", "not", "found"] {
            let error = map(400, message, api_token);
            let Error::NotFound { message: kept, .. } = &error else {
                panic!("token {api_token:?}: {error:?}");
            };
            if api_token.len() == 1 {
                assert_eq!(kept, message);
            }
        }
    }

    #[test]
    fn forbidden_says_how_to_get_the_permission() {
        let text = map(403, "Insufficient privileges", "x").to_string();
        assert!(text.contains("Insufficient privileges"), "{text}");
        assert!(text.contains("Logz.io support"), "{text}");
    }

    #[test]
    fn decode_detail_never_quotes_the_input() {
        let error = serde_json::from_str::<Vec<i32>>(r#"["super-secret-value"]"#).unwrap_err();
        assert!(error.to_string().contains("super-secret-value"));
        let detail = decode_detail(&error);
        assert!(!detail.contains("super-secret"), "{detail}");
        assert!(detail.contains("wrong shape"), "{detail}");
    }

    #[test]
    fn decode_paths_name_the_offending_value() {
        let body = br#"[{"id":1},{"id":2,"lastUsed":"secret-looking"}]"#;
        let path = json_path::<Vec<logzio_shared_tokens_api::types::SharedToken>>(body);
        assert_eq!(path, "[1].lastUsed");
    }

    #[test]
    fn decode_paths_never_quote_an_ignored_key() {
        // Found by the `decode` fuzz check (a hand-written input): a body cut short inside a key
        // the type ignores put that key (server text) into the error.
        let body = br#"{"id": 1, "secret-key-abc": [1,"#;
        let path = json_path::<logzio_shared_tokens_api::types::SharedToken>(body);
        assert_eq!(path, ".");
    }
}
