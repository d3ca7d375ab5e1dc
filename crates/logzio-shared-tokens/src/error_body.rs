//! The body of an error answer, as the rest of the client sees it: the
//! documented `{"message": …}` whatever came back. A load balancer's HTML
//! page, a proxy's plain text or an empty 403 becomes a message that says
//! what arrived (`HTTP 503 with a text/html body (a proxy or load
//! balancer?): …`), with a short, redacted excerpt.
//!
//! A body that already is `{"message": "…"}` is kept byte for byte: the
//! facade classifies the server's own words before redacting them. This
//! module must never put unredacted server text into a message it writes.

use logzio_shared_tokens_api::types::ErrorMessage;
use reqwest::header::HeaderValue;

use crate::redact::Redactor;

/// How much of a body a written message quotes.
const EXCERPT_CHARS: usize = 200;

/// The JSON bytes of the `ErrorMessage` that stands for this error answer.
pub(crate) fn shape(
    status: u16,
    content_type: Option<&HeaderValue>,
    body: &[u8],
    redactor: &Redactor,
) -> Vec<u8> {
    if serde_json::from_slice::<ErrorMessage>(body).is_ok() {
        return body.to_vec();
    }
    let message = describe(status, content_type, body, redactor);
    // Building and serialising the spec's one-string-field type cannot fail;
    // the fallback keeps this free of a panic all the same.
    ErrorMessage::builder()
        .message(message)
        .try_into()
        .ok()
        .and_then(|shaped: ErrorMessage| serde_json::to_vec(&shaped).ok())
        .unwrap_or_default()
}

/// `HTTP 503 with a text/html body (a proxy or load balancer?): excerpt`.
fn describe(
    status: u16,
    content_type: Option<&HeaderValue>,
    body: &[u8],
    redactor: &Redactor,
) -> String {
    let text = String::from_utf8_lossy(body);
    if text.trim().is_empty() {
        return format!("HTTP {status} with an empty body");
    }
    let media_type = content_type
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(|essence| essence.trim().to_ascii_lowercase())
        .filter(|essence| !essence.is_empty());
    let is_html = media_type.as_deref() == Some("text/html")
        || (media_type.is_none() && text.trim_start().starts_with('<'));
    let excerpt = if is_html {
        html_text(&text)
    } else if let Ok(json) = serde_json::from_slice::<serde_json::Value>(body) {
        redactor.scrubbed_json(json)
    } else {
        collapse_whitespace(&text)
    };
    let excerpt = truncate(&redactor.redact(&excerpt), EXCERPT_CHARS);
    let kind = match media_type {
        Some(media_type) => format!("{} {media_type} body", article(&media_type)),
        None => "a body of no declared type".to_owned(),
    };
    let hint = if is_html {
        " (a proxy or load balancer?)"
    } else {
        ""
    };
    if excerpt.is_empty() {
        format!("HTTP {status} with {kind}{hint}")
    } else {
        format!("HTTP {status} with {kind}{hint}: {excerpt}")
    }
}

fn article(word: &str) -> &'static str {
    match word.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

/// The readable text of an HTML page: tags, scripts and styles removed,
/// whitespace collapsed.
fn html_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        text.push(' ');
        let tag = &rest[open..];
        let skip_to = ["<script", "<style", "<head"]
            .iter()
            .find(|name| starts_with_ignore_case(tag, name))
            .and_then(|name| {
                let closing = format!("</{}", &name[1..]);
                find_ignore_case(tag, &closing)
            });
        let after_tag = match skip_to {
            Some(closing) => &tag[closing..],
            None => tag,
        };
        match after_tag.find('>') {
            Some(close) => rest = &after_tag[close + 1..],
            None => {
                rest = "";
                break;
            }
        }
    }
    text.push_str(rest);
    collapse_whitespace(&text)
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

fn find_ignore_case(text: &str, needle: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    lower.find(needle)
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn truncate(text: &str, max_chars: usize) -> String {
    let mut chars = text.chars();
    let mut excerpt: String = chars.by_ref().take(max_chars).collect();
    if chars.next().is_some() {
        excerpt.push('…');
    }
    excerpt
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::SecretString;

    fn message(status: u16, content_type: Option<&'static str>, body: &str) -> String {
        let redactor = Redactor::new(SecretString::from("api-token-0123456789"));
        let content_type = content_type.map(HeaderValue::from_static);
        let shaped = shape(status, content_type.as_ref(), body.as_bytes(), &redactor);
        serde_json::from_slice::<ErrorMessage>(&shaped)
            .unwrap()
            .message
    }

    #[test]
    fn documented_bodies_are_kept_as_sent() {
        let body = r#"{"message":"token with id 5 not found for account 7"}"#;
        let redactor = Redactor::new(SecretString::from("t"));
        assert_eq!(
            shape(400, None, body.as_bytes(), &redactor),
            body.as_bytes()
        );
    }

    #[test]
    fn a_load_balancer_page_is_described_by_its_text() {
        let page = "<html><head><title>503</title><style>p{}</style></head>\n<body><h1>503 Service Unavailable</h1>\n<p>No server is available.</p></body></html>";
        assert_eq!(
            message(503, Some("text/html; charset=utf-8"), page),
            "HTTP 503 with a text/html body (a proxy or load balancer?): 503 Service Unavailable No server is available."
        );
    }

    #[test]
    fn empty_plain_and_odd_json_bodies() {
        assert_eq!(message(403, None, ""), "HTTP 403 with an empty body");
        assert_eq!(
            message(429, Some("text/plain"), "Too Many Requests\n"),
            "HTTP 429 with a text/plain body: Too Many Requests"
        );
        assert_eq!(
            message(
                500,
                Some("application/json"),
                r#"{"error":"boom","token":"abc"}"#
            ),
            r#"HTTP 500 with an application/json body: {"error":"boom","token":"[redacted]"}"#
        );
        assert_eq!(
            message(502, None, "<p>bad gateway</p>"),
            "HTTP 502 with a body of no declared type (a proxy or load balancer?): bad gateway"
        );
    }

    #[test]
    fn excerpts_are_redacted_and_bounded() {
        let body = format!("key api-token-0123456789 {}", "x".repeat(500));
        let text = message(502, Some("text/plain"), &body);
        assert!(!text.contains("api-token-0123456789"), "{text}");
        assert!(text.contains("[redacted]"), "{text}");
        assert!(text.chars().count() < 260, "{text}");
        assert!(text.ends_with('…'), "{text}");
    }
}
