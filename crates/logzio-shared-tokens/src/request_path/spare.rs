//! What a retry needs to send a request again, kept while the first attempt
//! is in flight.
//!
//! Every call keeps one, and most never use it, so it is kept without
//! allocating for the requests the generated client makes: their method,
//! version and timeout are plain values and their few headers (`Accept`,
//! `Content-Type`) are static, so they are held inline. The URL is not kept
//! at all: a retry takes it back from the refused answer or the transport
//! error, which carry the URL that was sent (the facade's client does not
//! follow redirects). Copying the request instead (`Request::try_clone`)
//! costs three allocations held across the whole attempt, which measured
//! as about 2 % of a call's instructions (`cargo xtask bench-call-cost`).

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, Request, Url, Version};

/// Headers kept inline, without allocating; more go to a [`HeaderMap`].
const INLINE_HEADERS: usize = 2;

/// The parts of a request besides its URL.
pub(super) struct Spare {
    method: Method,
    version: Version,
    timeout: Option<Duration>,
    headers: SpareHeaders,
    body: Option<Vec<u8>>,
}

enum SpareHeaders {
    Inline([Option<(HeaderName, HeaderValue)>; INLINE_HEADERS]),
    Map(HeaderMap),
}

impl Spare {
    /// The spare of `request`, or `None` if its body is a stream (possible
    /// only where reqwest's `stream` feature is on): such a request is sent
    /// once.
    pub(super) fn of(request: &Request) -> Option<Self> {
        let body = match request.body() {
            Some(body) => Some(body.as_bytes()?.to_vec()),
            None => None,
        };
        let headers = request.headers();
        let headers = if headers.len() <= INLINE_HEADERS {
            let mut inline = [const { None }; INLINE_HEADERS];
            for (slot, (name, value)) in inline.iter_mut().zip(headers) {
                *slot = Some((name.clone(), value.clone()));
            }
            SpareHeaders::Inline(inline)
        } else {
            SpareHeaders::Map(headers.clone())
        };
        Some(Self {
            method: request.method().clone(),
            version: request.version(),
            timeout: request.timeout().copied(),
            headers,
            body,
        })
    }

    /// The request again, to `url`.
    pub(super) fn into_request(self, url: Url) -> Request {
        let mut request = Request::new(self.method, url);
        *request.version_mut() = self.version;
        if self.timeout.is_some() {
            *request.timeout_mut() = self.timeout;
        }
        *request.headers_mut() = match self.headers {
            SpareHeaders::Inline(inline) => {
                let mut headers = HeaderMap::with_capacity(INLINE_HEADERS);
                for (name, value) in inline.into_iter().flatten() {
                    headers.append(name, value);
                }
                headers
            }
            SpareHeaders::Map(headers) => headers,
        };
        *request.body_mut() = self.body.map(reqwest::Body::from);
        request
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `original` sent again from its spare, checked part by part.
    fn sent_again(original: &Request) -> Request {
        let again = Spare::of(original)
            .unwrap()
            .into_request(original.url().clone());
        assert_eq!(again.method(), original.method());
        assert_eq!(again.url(), original.url());
        assert_eq!(again.headers(), original.headers());
        assert_eq!(again.version(), original.version());
        assert_eq!(again.timeout(), original.timeout());
        assert_eq!(
            again.body().and_then(reqwest::Body::as_bytes),
            original.body().and_then(reqwest::Body::as_bytes)
        );
        again
    }

    #[test]
    fn a_request_with_a_body_timeout_and_version_comes_back_whole() {
        let original = reqwest::Client::new()
            .put("http://127.0.0.1:9/v1/shared-tokens/7")
            .header("Accept", "application/json")
            .header("Content-Type", "application/json")
            .timeout(Duration::from_secs(3))
            .version(Version::HTTP_11)
            .body(r#"{"filters":[1]}"#)
            .build()
            .unwrap();
        let again = sent_again(&original);
        assert_eq!(again.timeout(), Some(&Duration::from_secs(3)));
        assert!(again.body().is_some());
    }

    #[test]
    fn a_request_without_a_body_or_timeout_comes_back_as_such() {
        let original = reqwest::Client::new()
            .get("http://127.0.0.1:9/v1/shared-tokens")
            .header("Accept", "application/json")
            .build()
            .unwrap();
        let again = sent_again(&original);
        assert!(again.body().is_none());
        assert_eq!(again.timeout(), None);
    }

    #[test]
    fn repeated_headers_are_all_kept_in_order_inline_or_not() {
        let inline = reqwest::Client::new()
            .get("http://127.0.0.1:9/v1/shared-tokens")
            .header("X-Two", "2a")
            .header("X-Two", "2b")
            .build()
            .unwrap();
        let many = reqwest::Client::new()
            .delete("http://127.0.0.1:9/v1/shared-tokens/7")
            .header("Accept", "application/json")
            .header("X-One", "1")
            .header("X-Two", "2a")
            .header("X-Two", "2b")
            .header("X-Three", "3")
            .build()
            .unwrap();
        for original in [inline, many] {
            let again = sent_again(&original);
            let twos: Vec<_> = again.headers().get_all("X-Two").iter().collect();
            assert_eq!(twos, ["2a", "2b"]);
        }
    }
}
