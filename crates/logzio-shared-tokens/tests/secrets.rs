//! The API token and shared token values never appear in `Debug` output, in
//! an error's `Display`/`Debug`, or in anything traced at any level while
//! the client works (successes, retries and failures).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use logzio_shared_tokens::{Client, Error};
use logzio_shared_tokens_emulator::{Config, Emulator};
use support::{Canned, CannedServer, fast_retries};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;

/// Collects everything the subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

fn assert_clean(what: &str, text: &str, secrets: &[String]) {
    for secret in secrets {
        assert!(
            !text.contains(secret.as_str()),
            "{what} contains a secret:\n{text}"
        );
    }
}

/// An API token without the permission, which the emulator knows (so it answers 403).
const NO_PERMISSION: &str = "b7d1c0de-5555-4666-8777-000011112222";
/// An API token the emulator does not know (so it answers 401).
const UNKNOWN: &str = "0badc0de-0000-4000-8000-000000000000";

// A current-thread runtime: the emulator, the client and the subscriber set
// for this thread all run here, so every event is captured.
#[tokio::test]
async fn secrets_never_reach_debug_errors_or_traces() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(captured.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let emulator = Emulator::start(Config {
        api_tokens: vec!["api-token-for-the-secret-test-77".into()],
        no_permission_tokens: vec![NO_PERMISSION.into()],
        ..Config::for_tests()
    })
    .await
    .unwrap();
    let api_token = emulator.api_tokens()[0].clone();
    let client = Client::builder()
        .api_token(api_token.clone())
        .base_url(emulator.base_url())
        .retry_policy(fast_retries(2))
        .build()
        .unwrap();
    let mut secrets = vec![api_token.clone(), NO_PERMISSION.to_owned()];

    successes_keep_values_out_of_debug(&client, &mut secrets).await;
    let errors = failures_of_each_kind(&emulator, &client, &api_token, &mut secrets).await;
    let kinds: Vec<String> = errors.iter().map(|e| format!("{e}")).collect();
    assert!(matches!(errors[0], Error::NotFound { .. }), "{kinds:?}");
    assert!(matches!(errors[1], Error::Unavailable { .. }), "{kinds:?}");
    assert!(matches!(errors[2], Error::Forbidden { .. }), "{kinds:?}");
    assert!(matches!(errors[3], Error::Unauthorized { .. }), "{kinds:?}");
    assert!(
        matches!(errors[4], Error::Api { status: 500, .. }),
        "{kinds:?}"
    );
    for error in &errors {
        assert_clean("an error", &format!("{error} / {error:?}"), &secrets);
    }

    emulator.shutdown().await;
    assert_trace_is_clean(&captured.text(), &secrets);
}

/// Successes, including the one answer that carries token values: no value in the
/// `Debug` of what comes back or of the client. Adds the values handed out to `secrets`.
async fn successes_keep_values_out_of_debug(client: &Client, secrets: &mut Vec<String>) {
    let filter = client.filters().create("type", "nginx").await.unwrap();
    let created = client
        .tokens()
        .create("shared")
        .filter(filter.id)
        .await
        .unwrap();
    let second = client.tokens().ensure("other").await.unwrap().into_inner();
    for token in [&created, &second] {
        secrets.push(token.token.as_ref().unwrap().expose_secret().to_owned());
    }
    let listed = client.tokens().list().await.unwrap();
    let fetched = client.tokens().get(created.id).await.unwrap();
    assert_clean(
        "Debug of tokens",
        &format!("{created:?} {listed:?} {fetched:?}"),
        secrets,
    );
    assert_clean("Debug of the client", &format!("{client:?}"), secrets);
    // It still shows the configuration: only the secrets are left out.
    let debug = format!("{client:?}");
    assert!(
        debug.contains(client.base_url()) && debug.contains("max_concurrent_requests"),
        "{debug}"
    );
}

/// Failures: not found, injected 503s up to exhaustion, 403, 401, and a server that
/// echoes secrets back in an unexpected answer; in that order.
async fn failures_of_each_kind(
    emulator: &Emulator,
    client: &Client,
    api_token: &str,
    secrets: &mut Vec<String>,
) -> Vec<Error> {
    let mut errors: Vec<Error> = vec![client.tokens().get(9999).await.unwrap_err()];
    emulator.control().set_fail_rate(1.0);
    errors.push(client.tokens().list().await.unwrap_err());
    emulator.control().set_fail_rate(0.0);
    for token in [NO_PERMISSION, UNKNOWN] {
        secrets.push(token.to_owned());
        let stranger = Client::builder()
            .api_token(token)
            .base_url(emulator.base_url())
            .build()
            .unwrap();
        errors.push(stranger.filters().list().await.unwrap_err());
        assert_clean(
            "Debug of a builder",
            &format!("{:?}", Client::builder().api_token(token)),
            secrets,
        );
    }
    let echo = CannedServer::start(vec![Canned::json(
        500,
        &format!(r#"{{"token": "{}", "seen": "{api_token}"}}"#, secrets[2]),
    )])
    .await;
    let echoing = support::client_builder(&echo.base_url)
        .api_token(api_token.to_owned())
        .build()
        .unwrap();
    errors.push(echoing.tokens().get(1).await.unwrap_err());
    errors
}

/// The capture works, the spans carry what they promise, and no secret is in them.
fn assert_trace_is_clean(traced: &str, secrets: &[String]) {
    assert!(traced.contains("logzio_shared_tokens.request"), "{traced}");
    assert!(
        traced.contains("operation=\"createToken\"") || traced.contains("operation=createToken"),
        "{traced}"
    );
    assert!(
        traced.contains("status=503") && traced.contains("attempt=2"),
        "{traced}"
    );
    // Latencies are milliseconds: loopback answers take more than a microsecond, and at
    // least one of these took less than a second. (Traced as `Debug`, so a tiny value
    // reads `2e-6`.)
    let latencies: Vec<f64> = traced
        .split("latency_ms=")
        .skip(1)
        .filter_map(|rest| {
            let number: String = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | '-'))
                .collect();
            number.parse().ok()
        })
        .collect();
    assert!(!latencies.is_empty(), "{traced}");
    assert!(latencies.iter().all(|ms| *ms > 0.001), "{latencies:?}");
    assert!(latencies.iter().any(|ms| *ms < 1000.0), "{latencies:?}");
    assert_clean("the trace", traced, secrets);
}
