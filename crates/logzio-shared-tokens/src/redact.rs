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

    /// The text with the API token and UUID-shaped words replaced. A token
    /// of [`EMBEDDED_MATCH_MIN_CHARS`] or more is replaced wherever it
    /// occurs, even inside a longer word (a body can glue it to anything); a
    /// shorter one only where it stands as a whole word, so it never eats
    /// letters out of ordinary text.
    pub(crate) fn redact(&self, text: &str) -> String {
        let token = self.api_token.expose_secret();
        let without_api_token = if token.is_empty() {
            text.to_owned()
        } else if token.chars().count() >= EMBEDDED_MATCH_MIN_CHARS {
            text.replace(token, REDACTED)
        } else {
            replace_whole_words(text, token)
        };
        redact_uuids(&without_api_token)
    }

    /// A JSON body as text, with the value of every key that names a token
    /// replaced. (Callers still apply [`Self::redact`].)
    pub(crate) fn scrubbed_json(&self, mut json: serde_json::Value) -> String {
        scrub_token_keys(&mut json);
        json.to_string()
    }
}

/// From this length on, a match of the API token inside a longer word is
/// the token (a coincidence in a short error message is not credible), so
/// it is replaced there too. Logz.io's API tokens are UUIDs, 36 characters.
const EMBEDDED_MATCH_MIN_CHARS: usize = 8;

/// Characters that can continue a token-like word: a match of the API token
/// next to one of these is part of a longer word, not the token.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}

fn replace_whole_words(text: &str, word: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (start, _) in text.match_indices(word) {
        if start < copied {
            continue; // overlaps the previous replacement
        }
        let end = start + word.len();
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        if before.is_some_and(is_word_char) || after.is_some_and(is_word_char) {
            continue;
        }
        out.push_str(&text[copied..start]);
        out.push_str(REDACTED);
        copied = end;
    }
    out.push_str(&text[copied..]);
    out
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
    fn a_short_api_token_joined_by_a_hyphen_or_underscore_is_part_of_a_word() {
        let redactor = Redactor::new(SecretString::from("ab"));
        assert_eq!(
            redactor.redact("x-ab y_ab ab-z ab"),
            "x-ab y_ab ab-z [redacted]"
        );
    }

    #[test]
    fn a_long_api_token_is_removed_even_inside_a_longer_word() {
        let text = redactor().redact("xx my-api-token-1234yy ffmy-api-token-1234");
        assert_eq!(text, "xx [redacted]yy ff[redacted]");
    }

    #[test]
    fn json_bodies_lose_token_values() {
        let body = serde_json::json!({"token":"abc","nested":[{"apiToken":"def","ok":1}]});
        let text = redactor().scrubbed_json(body);
        assert!(!text.contains("abc") && !text.contains("def"), "{text}");
        assert!(text.contains("\"ok\":1"), "{text}");
    }

    #[test]
    fn a_short_api_token_never_corrupts_ordinary_text() {
        let message = "token with id 12345 not found for account 54321";
        for token in ["t", "o", "12345", "for"] {
            let redactor = Redactor::new(SecretString::from(token));
            let redacted = redactor.redact(message);
            if token == "12345" || token == "for" {
                // A whole word equal to the token is still removed.
                assert!(!redacted.contains(&format!(" {token} ")), "{redacted}");
            } else {
                assert_eq!(redacted, message, "token {token:?}");
            }
        }
        let redactor = Redactor::new(SecretString::from("abc"));
        assert_eq!(
            redactor.redact("abc abcd xabc abc."),
            "[redacted] abcd xabc [redacted]."
        );
    }
}
