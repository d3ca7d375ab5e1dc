//! The one error type of the facade, and its mapping from the generated
//! client's `progenitor_client::Error`.
//!
//! It must never carry a secret: no variant holds the API token, a shared
//! token value or a raw serde message (which can quote response text). Bodies
//! kept for unexpected answers pass through [`crate::redact`] first.

use std::time::Duration;

use logzio_shared_tokens_api::types::ErrorMessage;

use crate::endpoint::Endpoint;

mod from_api;

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

    /// HTTP 401: the API token is missing, unknown or revoked, or belongs to
    /// an account the endpoint does not serve (another region's).
    #[error(
        "unauthorized (HTTP 401): {endpoint} refused the API token: {}",
        refused_because(endpoint)
    )]
    #[non_exhaustive]
    Unauthorized {
        /// The API that refused it, and which setting chose that API.
        endpoint: Endpoint,
    },

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

    /// Several tokens have the name a caller asked for one token by
    /// ([`Tokens::get_by_name`](crate::Tokens::get_by_name)): the account
    /// holds several with that name. Name one of `ids` instead. Nothing was sent
    /// but the list.
    #[error(
        "{} tokens are named {name:?} (ids {}); names are not unique, so name one by its id",
        ids.len(),
        ids.iter().map(i32::to_string).collect::<Vec<_>>().join(", ")
    )]
    #[non_exhaustive]
    AmbiguousTokenName {
        /// The name asked for.
        name: String,
        /// The ids of the tokens with that name, ascending.
        ids: Vec<i32>,
    },

    /// Several filters have the field and value a caller named one filter by
    /// ([`matching::only_filter_matching`](crate::matching::only_filter_matching)),
    /// to act on it. Name one of `ids` instead. Nothing was sent but the list.
    #[error(
        "{} filters have {field}={value} (ids {}); name the one you mean by its id",
        ids.len(),
        ids.iter().map(i32::to_string).collect::<Vec<_>>().join(", ")
    )]
    #[non_exhaustive]
    AmbiguousFilter {
        /// The field asked for.
        field: String,
        /// The value asked for.
        value: String,
        /// The ids of the filters with that field and value, ascending.
        ids: Vec<i32>,
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
        "could not complete the request to {endpoint}: {kind} {}",
        tried(*attempts, *elapsed)
    )]
    #[non_exhaustive]
    Transport {
        /// What kind of transport failure this was.
        kind: TransportKind,
        /// Where the request went, and which setting chose that.
        endpoint: Endpoint,
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
            Self::ApiTokenVariable => crate::environment::ENV_API_TOKEN,
            Self::RegionVariable => crate::environment::ENV_REGION,
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

/// What a 401 can mean: a token from another region's account only when a
/// region chose the URL (with an explicit URL, the region settings play no part).
fn refused_because(endpoint: &Endpoint) -> &'static str {
    if endpoint.region().is_some() {
        "it is missing or revoked, or belongs to an account in another region"
    } else {
        "it is missing or revoked, or belongs to an account this URL does not serve"
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
            Self::Unauthorized { .. } => Some(401),
            Self::Forbidden { .. } => Some(403),
            Self::RateLimited { .. } => Some(429),
            Self::Unavailable { .. } => Some(503),
            Self::Api { status, .. } => Some(*status),
            Self::RotationIncomplete { source, .. } => source.status(),
            Self::InvalidInput { .. }
            | Self::AmbiguousTokenName { .. }
            | Self::AmbiguousFilter { .. }
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

    /// A request body the generated builder refuses to build: after a spec
    /// update, a new required field this code does not set (`no value
    /// supplied for …`). Nothing was sent.
    pub(crate) fn unbuildable_body(
        error: logzio_shared_tokens_api::types::error::ConversionError,
    ) -> Self {
        Self::invalid(
            InputField::Request,
            format!("the request body cannot be built ({error}); nothing was sent"),
        )
    }

    pub(crate) fn invalid(field: InputField, reason: impl Into<String>) -> Self {
        Self::InvalidInput {
            field,
            reason: reason.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::EndpointOrigin;

    /// What a person reads: the transport kind, the input's name, and the
    /// server's requested delay each appear in the message.
    #[test]
    fn messages_name_the_kind_the_input_and_the_delay() {
        let endpoint = Endpoint::new(
            "http://127.0.0.1:9".to_owned(),
            None,
            EndpointOrigin::Setting("--api-url".to_owned()),
        );
        let transport = |kind| Error::Transport {
            kind,
            endpoint: endpoint.clone(),
            source: None,
            attempts: 1,
            elapsed: Duration::ZERO,
        };
        assert_eq!(
            transport(TransportKind::Timeout).to_string(),
            "could not complete the request to http://127.0.0.1:9 (set by --api-url): timed out after 1 attempt"
        );
        assert!(
            transport(TransportKind::Connect)
                .to_string()
                .contains(": connection failed")
        );
        assert!(
            transport(TransportKind::Interrupted)
                .to_string()
                .contains(": connection interrupted")
        );
        let refused = Error::Unauthorized { endpoint }.to_string();
        assert!(
            refused.contains("http://127.0.0.1:9 (set by --api-url)"),
            "{refused}"
        );
        assert!(!refused.contains("region"), "{refused}");
        let by_region = Error::Unauthorized {
            endpoint: Endpoint::new(
                "https://api-eu.logz.io".to_owned(),
                Some(crate::Region::Eu),
                EndpointOrigin::Setting("LOGZIO_REGION".to_owned()),
            ),
        };
        assert!(
            by_region.to_string().contains("another region"),
            "{by_region}"
        );
        assert_eq!(
            Error::invalid(InputField::BaseUrl, "not a URL").to_string(),
            "invalid base_url: not a URL"
        );
        assert_eq!(
            InputField::RegionVariable.to_string(),
            crate::environment::ENV_REGION
        );
        let limited = Error::RateLimited {
            retry_after: Some(Duration::from_secs(2)),
            attempts: 3,
            elapsed: Duration::from_millis(2_500),
        };
        assert_eq!(
            limited.to_string(),
            "rate limited by the Logz.io API after 3 attempts over 2.5 s; retry after 2 s"
        );
        let unavailable = Error::Unavailable {
            retry_after: None,
            attempts: 1,
            elapsed: Duration::ZERO,
        };
        assert_eq!(
            unavailable.to_string(),
            "the Logz.io API is temporarily unavailable after 1 attempt"
        );
    }
}
