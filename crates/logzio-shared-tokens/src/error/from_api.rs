//! How a generated-client error becomes an [`Error`]: the variant from the
//! status, a decode failure's path and detail, a transport failure's kind.
//! It must never put a secret or a raw serde message (which can quote the
//! response) into the error: server text passes through the redactor.

use std::time::Duration;

use logzio_shared_tokens_api::operations::Operation;
use logzio_shared_tokens_api::types::ErrorMessage;
use serde::de::DeserializeOwned;

use super::{ApiError, Error, InputField, TransportKind};
use crate::endpoint::Endpoint;
use crate::redact::Redactor;
use crate::retry::retry_after;

impl Error {
    /// Maps a generated-client error of `operation`, sent to `endpoint`. Error answers arrive
    /// with the documented `{"message"}` body whatever the server sent (the
    /// request path reshapes them), so the status alone picks the variant.
    pub(crate) async fn from_api<T: DeserializeOwned>(
        error: ApiError,
        (operation, endpoint, redactor): (Operation, &Endpoint, &Redactor),
        (attempts, elapsed): (u32, Duration),
    ) -> Self {
        let tried = (attempts, elapsed);
        match error {
            progenitor_client::Error::ErrorResponse(response) => {
                let status = response.status().as_u16();
                let retry_after = retry_after(response.headers());
                let message = response.into_inner().message;
                from_status(status, &message, (endpoint, redactor), retry_after, tried)
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
                from_status(status, &message, (endpoint, redactor), retry_after, tried)
            }
            progenitor_client::Error::InvalidResponsePayload(body, error) => Self::Decode {
                operation: operation.operation_id(),
                path: json_path::<T>(&body),
                detail: decode_detail(&error),
            },
            progenitor_client::Error::CommunicationError(error)
            | progenitor_client::Error::ResponseBodyError(error)
            | progenitor_client::Error::InvalidUpgrade(error) => transport(error, endpoint, tried),
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

pub(crate) fn transport(
    error: reqwest::Error,
    endpoint: &Endpoint,
    (attempts, elapsed): (u32, Duration),
) -> Error {
    let kind = if error.is_timeout() {
        TransportKind::Timeout
    } else if error.is_connect() {
        TransportKind::Connect
    } else {
        TransportKind::Interrupted
    };
    Error::Transport {
        kind,
        endpoint: endpoint.clone(),
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
    (endpoint, redactor): (&Endpoint, &Redactor),
    retry_after: Option<Duration>,
    (attempts, elapsed): (u32, Duration),
) -> Error {
    let says_not_found = message.to_ascii_lowercase().contains("not found");
    let message = redactor.redact(message);
    match status {
        400 if says_not_found => Error::NotFound { message },
        404 => Error::NotFound { message },
        401 => Error::Unauthorized {
            endpoint: endpoint.clone(),
        },
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

    fn endpoint() -> Endpoint {
        Endpoint::new(
            "https://api.logz.io".to_owned(),
            Some(crate::Region::Us),
            crate::EndpointOrigin::DefaultRegion,
        )
    }

    fn map(status: u16, message: &str, api_token: &str) -> Error {
        let redactor = Redactor::new(SecretString::from(api_token));
        from_status(
            status,
            message,
            (&endpoint(), &redactor),
            None,
            (1, Duration::ZERO),
        )
    }

    #[test]
    fn statuses_map_to_their_variants() {
        let not_found = map(400, "token with id 5 not found for account 7", "x");
        assert!(matches!(not_found, Error::NotFound { .. }));
        assert!(matches!(
            map(400, "bad filter", "x"),
            Error::Api { status: 400, .. }
        ));
        assert!(matches!(map(401, "", "x"), Error::Unauthorized { .. }));
        let redactor = Redactor::new(SecretString::from("x"));
        let limited = from_status(
            429,
            "",
            (&endpoint(), &redactor),
            Some(Duration::from_secs(2)),
            (3, Duration::from_millis(2_050)),
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
