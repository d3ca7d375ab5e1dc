//! What the two benches share: a `reqwest::Client` configured as the
//! facade configures its own, so every row compares like with like.

use logzio_shared_tokens::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};
use reqwest::header::{HeaderMap, HeaderValue};

/// The same settings the facade gives its own `reqwest::Client`.
pub fn http_client(api_token: &str) -> reqwest::Client {
    let mut token = HeaderValue::from_str(api_token).unwrap();
    token.set_sensitive(true);
    let mut headers = HeaderMap::new();
    headers.insert("X-API-TOKEN", token);
    reqwest::Client::builder()
        .default_headers(headers)
        .user_agent("bench")
        .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
        .timeout(DEFAULT_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}
