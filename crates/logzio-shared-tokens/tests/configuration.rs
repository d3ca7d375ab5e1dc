//! A built client reports the configuration it was given, and its clones
//! share it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use logzio_shared_tokens::{Client, RetryPolicy};

#[test]
fn a_built_client_reports_its_configuration() {
    let client = Client::builder()
        .api_token("configuration-test-token")
        .base_url("http://127.0.0.1:9/")
        .timeout(Duration::from_millis(1_500))
        .max_concurrent_requests(7)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let clone = client.clone();
    for client in [&client, &clone] {
        assert_eq!(client.base_url(), "http://127.0.0.1:9");
        assert_eq!(client.timeout(), Duration::from_millis(1_500));
        assert_eq!(client.max_concurrent_requests(), 7);
        assert_eq!(client.retry_policy(), &RetryPolicy::never());
        assert_eq!(client.region(), None);
    }
}
