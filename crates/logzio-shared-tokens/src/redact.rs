//! Scrubbing of text that came from the server before it goes into an
//! [`Error`](crate::Error): the client's own API token, values of JSON keys
//! that hold tokens, and anything shaped like a Logz.io token (a UUID).
//!
//! It must never return its input unscrubbed, and never log what it removes.

use secrecy::{ExposeSecret, SecretString};

/// What replaces a secret.
pub(crate) const REDACTED: &str = "[redacted]";

/// Scrubs server text of the secrets this client knows of or can recognise.
#[derive(Clone)]
pub(crate) struct Redactor {
    api_token: SecretString,
}

impl Redactor {
    pub(crate) fn new(api_token: SecretString) -> Self {
        Self { api_token }
    }

    /// The text with the API token and UUID-shaped words replaced.
    pub(crate) fn redact(&self, text: &str) -> String {
        let token = self.api_token.expose_secret();
        let without_api_token = if token.is_empty() {
            text.to_owned()
        } else {
            text.replace(token, REDACTED)
        };
        redact_uuids(&without_api_token)
    }

    /// A bounded, scrubbed excerpt of a response body: JSON bodies lose the
    /// values of every key that names a token; then [`Self::redact`] applies.
    pub(crate) fn body_excerpt(&self, body: &[u8], max_chars: usize) -> String {
        let text = match serde_json::from_slice::<serde_json::Value>(body) {
            Ok(mut json) => {
                // An ErrorMessage-shaped body: its message is the explanation.
                if let Some(message) = json.get("message").and_then(|m| m.as_str()) {
                    message.to_owned()
                } else {
                    scrub_token_keys(&mut json);
                    json.to_string()
                }
            }
            Err(_) => String::from_utf8_lossy(body).into_owned(),
        };
        let text = self.redact(text.trim());
        if text.is_empty() {
            return "(empty body)".to_owned();
        }
        let mut excerpt: String = text.chars().take(max_chars).collect();
        if excerpt.len() < text.len() {
            excerpt.push('…');
        }
        excerpt
    }
}

fn scrub_token_keys(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, inner) in map.iter_mut() {
                if key.to_ascii_lowercase().contains("token") && !inner.is_object() {
                    *inner = serde_json::Value::String(REDACTED.to_owned());
                } else {
                    scrub_token_keys(inner);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(scrub_token_keys),
        _ => {}
    }
}

/// Replaces every `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` hex word: the shape
/// of Logz.io API and shared token values.
fn redact_uuids(text: &str) -> String {
    const LEN: usize = 36;
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut start = 0;
    let mut i = 0;
    while i + LEN <= bytes.len() {
        if is_uuid(&bytes[i..i + LEN]) {
            out.push_str(&text[start..i]);
            out.push_str(REDACTED);
            i += LEN;
            start = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&text[start..]);
    out
}

fn is_uuid(window: &[u8]) -> bool {
    window.iter().enumerate().all(|(index, byte)| match index {
        8 | 13 | 18 | 23 => *byte == b'-',
        _ => byte.is_ascii_hexdigit(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redactor() -> Redactor {
        Redactor::new(SecretString::from("my-api-token-1234"))
    }

    #[test]
    fn removes_the_api_token_and_uuids() {
        let text = redactor()
            .redact("bad my-api-token-1234 and 0a1b2c3d-0000-4000-8000-00000000abcd é end");
        assert_eq!(text, "bad [redacted] and [redacted] é end");
    }

    #[test]
    fn json_bodies_lose_token_values_and_are_truncated() {
        let body = br#"{"token":"abc","nested":[{"apiToken":"def","ok":1}]}"#;
        let excerpt = redactor().body_excerpt(body, 512);
        assert!(
            !excerpt.contains("abc") && !excerpt.contains("def"),
            "{excerpt}"
        );
        assert!(excerpt.contains("\"ok\":1"), "{excerpt}");
        let long = "x".repeat(2000);
        assert_eq!(redactor().body_excerpt(long.as_bytes(), 10), "xxxxxxxxxx…");
        assert_eq!(redactor().body_excerpt(b"", 10), "(empty body)");
        assert_eq!(
            redactor().body_excerpt(br#"{"message":"nope"}"#, 10),
            "nope"
        );
    }
}
