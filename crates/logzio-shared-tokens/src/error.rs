//! The one error type of the facade, and its mapping from the generated
//! client's `progenitor_client::Error`.
//!
//! It must never carry a secret: no variant holds the API token, a shared
//! token value or a raw serde message (which can quote response text). Bodies
//! kept for unexpected answers pass through [`crate::redact`] first.

use std::time::Duration;

use logzio_shared_tokens_api::types::ErrorMessage;

use crate::redact::Redactor;
use crate::retry::retry_after;

/// The generated client's error, as every generated operation returns it.
pub(crate) type ApiError = progenitor_client::Error<ErrorMessage>;

/// How much of an unexpected response body [`Error::Api`] keeps.
const BODY_EXCERPT_CHARS: usize = 512;

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
    Forbidden {
        /// The server's explanation, e.g. `Insufficient privileges`.
        message: String,
    },

    /// HTTP 429: more concurrent requests than the account allows (100 at
    /// Logz.io). Raised only once the retry policy is exhausted.
    #[error("rate limited by the Logz.io API{}", retry_hint(retry_after))]
    RateLimited {
        /// The server's `Retry-After`, when it sent one.
        retry_after: Option<Duration>,
    },

    /// HTTP 503: the service is temporarily unavailable and did not carry out
    /// the request. Raised only once the retry policy is exhausted.
    #[error(
        "the Logz.io API is temporarily unavailable{}",
        retry_hint(retry_after)
    )]
    Unavailable {
        /// The server's `Retry-After`, when it sent one.
        retry_after: Option<Duration>,
    },

    /// The input was refused before anything was sent: a filter field or
    /// value outside the spec's pattern, an empty name, an `http://` URL to a
    /// non-loopback host, a missing environment variable, …
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// What was wrong: `field`, `value`, `name`, `base_url`, `LOGZIO_REGION`, …
        field: String,
        /// Why it was refused (never the secret itself).
        reason: String,
    },

    /// Any other HTTP answer: a 400 that is not "not found", a 5xx other than
    /// 503, or a status the spec does not list.
    #[error("the Logz.io API answered HTTP {status}: {message}")]
    Api {
        /// The HTTP status code.
        status: u16,
        /// The server's `message`, or an excerpt of the body (truncated,
        /// with anything that looks like a secret redacted).
        message: String,
    },

    /// The request did not complete: connection refused or reset, DNS, TLS,
    /// or the per-attempt timeout elapsed.
    #[error("could not complete the request to the Logz.io API ({kind})")]
    Transport {
        /// What kind of transport failure this was.
        kind: TransportKind,
        /// The underlying HTTP client error (its text names the URL, never a header).
        #[source]
        source: Option<reqwest::Error>,
    },

    /// The server answered with a status the spec documents, but the body
    /// was not the JSON the spec declares (an empty body, HTML, wrong types).
    /// The generated client does not keep the status in this case, so a 429
    /// or 503 whose body is not `{"message": …}` also ends here, unretried.
    #[error("could not decode the API response: {detail}")]
    Decode {
        /// Where decoding failed (category, line and column; never response text).
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
            Self::InvalidInput { .. } | Self::Transport { .. } | Self::Decode { .. } => None,
        }
    }

    /// Whether the same call may succeed if tried again later: rate limits,
    /// unavailability and transport failures. (For a `create`, a transport
    /// failure is ambiguous: check with a list before creating again.)
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::RateLimited { .. } | Self::Unavailable { .. } | Self::Transport { .. }
        )
    }

    /// The delay the server asked for, on 429 and 503.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after } | Self::Unavailable { retry_after } => *retry_after,
            _ => None,
        }
    }

    pub(crate) fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::InvalidInput {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// Maps a generated-client error. Async because an unexpected response's
    /// body must be read to explain it.
    pub(crate) async fn from_api(error: ApiError, redactor: &Redactor) -> Self {
        match error {
            progenitor_client::Error::ErrorResponse(response) => {
                let status = response.status().as_u16();
                let retry_after = retry_after(response.headers());
                let message = redactor.redact(&response.into_inner().message);
                from_status(status, message, retry_after)
            }
            progenitor_client::Error::UnexpectedResponse(response) => {
                let status = response.status().as_u16();
                let retry_after = retry_after(response.headers());
                let message = match response.bytes().await {
                    Ok(body) => redactor.body_excerpt(&body, BODY_EXCERPT_CHARS),
                    Err(_) => "(the body could not be read)".to_owned(),
                };
                from_status(status, message, retry_after)
            }
            progenitor_client::Error::InvalidResponsePayload(_, error) => Self::Decode {
                detail: decode_detail(&error),
            },
            progenitor_client::Error::CommunicationError(error)
            | progenitor_client::Error::ResponseBodyError(error)
            | progenitor_client::Error::InvalidUpgrade(error) => transport(error),
            progenitor_client::Error::InvalidRequest(reason) => {
                Self::invalid("request", redactor.redact(&reason))
            }
            progenitor_client::Error::Custom(reason) => Self::Api {
                status: 0,
                message: redactor.redact(&reason),
            },
        }
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

pub(crate) fn transport(error: reqwest::Error) -> Error {
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
    }
}

fn from_status(status: u16, message: String, retry_after: Option<Duration>) -> Error {
    match status {
        400 if message.to_ascii_lowercase().contains("not found") => Error::NotFound { message },
        404 => Error::NotFound { message },
        401 => Error::Unauthorized,
        403 => Error::Forbidden { message },
        429 => Error::RateLimited { retry_after },
        503 => Error::Unavailable { retry_after },
        _ => Error::Api { status, message },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_their_variants() {
        let not_found = from_status(400, "token with id 5 not found for account 7".into(), None);
        assert!(matches!(not_found, Error::NotFound { .. }));
        assert!(matches!(
            from_status(400, "bad filter".into(), None),
            Error::Api { status: 400, .. }
        ));
        assert!(matches!(
            from_status(401, String::new(), None),
            Error::Unauthorized
        ));
        let limited = from_status(429, String::new(), Some(Duration::from_secs(2)));
        assert_eq!(limited.retry_after(), Some(Duration::from_secs(2)));
        assert!(limited.is_retryable());
        assert!(!not_found.is_retryable());
        assert_eq!(from_status(502, "x".into(), None).status(), Some(502));
    }

    #[test]
    fn forbidden_says_how_to_get_the_permission() {
        let text = from_status(403, "Insufficient privileges".into(), None).to_string();
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
}
