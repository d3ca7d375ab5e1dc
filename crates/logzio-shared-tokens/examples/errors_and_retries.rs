//! Matching on errors, and what the retry policy does with a flaky server.
//!
//! `cargo run -p logzio-shared-tokens --example errors_and_retries`
//! (uses the emulator, whose fault injection plays the flaky server).

use std::time::Duration;

use logzio_shared_tokens::{Client, Error, RetryPolicy};
use logzio_shared_tokens_emulator::{Config, Emulator};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Four requests in ten answer 503 (with Retry-After) before doing anything.
    let emulator = Emulator::start(Config {
        fail_rate: 0.4,
        ..Config::for_tests()
    })
    .await?;
    let client = Client::builder()
        .api_token(emulator.api_tokens()[0].clone())
        .base_url(emulator.base_url())
        .timeout(Duration::from_secs(5))
        .retry_policy(RetryPolicy::exponential().with_max_attempts(8))
        .build()?;

    // Retried transparently: the create is safe to repeat after a 503, and
    // `ensure` is safe to run at every start.
    let token = client.tokens().ensure("flaky-but-fine").await?;
    println!(
        "got token {} (created: {})",
        token.get().id,
        token.was_created()
    );
    println!(
        "the server injected {} fault(s)",
        emulator.stats().injected_faults
    );

    emulator.control().set_fail_rate(0.0);
    match client.tokens().get(123_456).await {
        Err(Error::NotFound { message, .. }) => println!("not found, as expected: {message}"),
        other => println!("unexpected: {other:?}"),
    }
    match client.filters().create("bad field", "x").await {
        Err(Error::InvalidInput { field, reason, .. }) => println!("refused {field}: {reason}"),
        other => println!("unexpected: {other:?}"),
    }

    let stranger = Client::builder()
        .api_token("not-a-valid-token")
        .base_url(emulator.base_url())
        .build()?;
    if let Err(error) = stranger.tokens().list().await {
        println!(
            "{error} (status {:?}, retryable: {})",
            error.status(),
            error.is_retryable()
        );
    }

    emulator.shutdown().await;
    Ok(())
}
