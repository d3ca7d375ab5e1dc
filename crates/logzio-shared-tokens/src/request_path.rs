//! The one path every request of a facade client takes, installed as the
//! generated client's [`Transport`](logzio_shared_tokens_api::Transport), so
//! typed calls and [`Client::raw`](crate::Client::raw) alike get it:
//! concurrency permit → attempt (traced) → error-body shaping → retry decision.
//!
//! It must never record a header value or a body in a span or event, never
//! retry a POST the server may have carried out, and never let a body decide
//! what a status means.

use std::cell::Cell;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use logzio_shared_tokens_api::operations::Operation;
use logzio_shared_tokens_api::{SendFuture, SendRequest};
use reqwest::header::{CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, HeaderValue};
use tokio::sync::Semaphore;
use tracing::Instrument;

use crate::error_body;
use crate::redact::Redactor;
use crate::retry::{Idempotency, RetryPolicy, Retryable};

/// What the request path learnt about one facade call: how many attempts it
/// made and when it began. Scoped per call by [`Client::execute`](crate::Client).
#[derive(Debug)]
pub(crate) struct CallRecord {
    attempts: AtomicU32,
    started: Instant,
}

impl CallRecord {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(Self {
            attempts: AtomicU32::new(0),
            started: Instant::now(),
        })
    }

    /// Attempts sent so far.
    pub(crate) fn attempts(&self) -> u32 {
        self.attempts.load(Ordering::Relaxed)
    }

    /// Time since the call began.
    pub(crate) fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }
}

thread_local! {
    /// The record of the facade call whose future is being polled on this
    /// thread, until the request path takes it (`Client::raw()` calls have
    /// none). Set by [`Client::execute`](crate::Client)'s future around its
    /// polls of the generated call, and taken by [`RequestPath::send`],
    /// which the generated call reaches in its first poll.
    ///
    /// A thread-local rather than a tokio task-local: the record is needed
    /// only at that one moment, and a task-local is swapped in and out on
    /// every poll of the whole call.
    static CURRENT_CALL: Cell<Option<Arc<CallRecord>>> = const { Cell::new(None) };
}

/// Offers `record` to the request path for the duration of `poll`: returns
/// what `poll` returned, and whether the request path took the record.
pub(crate) fn offering_record<R>(record: &Arc<CallRecord>, poll: impl FnOnce() -> R) -> (R, bool) {
    let previous = CURRENT_CALL.replace(Some(Arc::clone(record)));
    let outcome = poll();
    let left = CURRENT_CALL.replace(previous);
    (outcome, left.is_none())
}

/// The facade's [`SendRequest`]: limit, retries, tracing, error shaping.
pub(crate) struct RequestPath {
    pub(crate) permits: Arc<Semaphore>,
    pub(crate) policy: RetryPolicy,
    pub(crate) redactor: Redactor,
}

impl SendRequest for RequestPath {
    fn send<'a>(
        &'a self,
        http: &'a reqwest::Client,
        request: reqwest::Request,
        operation: &'static str,
    ) -> SendFuture<'a> {
        let call = CURRENT_CALL.take();
        Box::pin(self.send_with_retries(http, request, operation, call))
    }
}

// The two functions below return `async move` blocks instead of being
// `async fn`s: an `async fn` copies each argument into a local of its
// future, so the request (264 bytes) would be held twice at every level.
// The boxed future stays small enough for the allocator's fast path.
impl RequestPath {
    fn send_with_retries<'a>(
        &'a self,
        http: &'a reqwest::Client,
        mut request: reqwest::Request,
        operation: &'static str,
        call: Option<Arc<CallRecord>>,
    ) -> impl Future<Output = reqwest::Result<reqwest::Response>> + Send + 'a {
        let idempotency = Idempotency::of(request.method());
        // Spans name the spec's operationId (`getAllTokens`), as the docs promise.
        let operation =
            Operation::from_function_name(operation).map_or(operation, Operation::operation_id);
        async move {
            let started = Instant::now();
            let mut attempt: u32 = 0;
            loop {
                attempt += 1;
                if let Some(call) = &call {
                    call.attempts.store(attempt, Ordering::Relaxed);
                }
                // A body that cannot be cloned (a stream) is sent once.
                let spare = request.try_clone();
                // Boxed apart from the retry loop's state: two allocations the
                // allocator serves from its small-size caches cost less than
                // one of their combined size.
                let outcome = Box::pin(self.attempt(http, request, operation, attempt)).await;
                let Some(retryable) = Retryable::classify(&outcome) else {
                    return outcome;
                };
                let Some(spare) = spare else {
                    return outcome;
                };
                if attempt >= self.policy.max_attempts() || !retryable.is_retried(idempotency) {
                    return outcome;
                }
                let delay = self.policy.delay(attempt, retryable.retry_after());
                if started.elapsed() + delay > self.policy.max_elapsed() {
                    return outcome;
                }
                tracing::debug!(
                    operation,
                    attempt,
                    delay_ms = delay.as_millis() as u64,
                    reason = %retryable,
                    "retrying"
                );
                // Let the refused answer go before waiting.
                drop(outcome);
                // Boxed: a timer is large, and only retries need one.
                Box::pin(tokio::time::sleep(delay)).await;
                request = spare;
            }
        }
    }

    /// One attempt under a permit, in its own span. An error answer's body is
    /// read here, under the permit, and reshaped (see [`error_body`]).
    fn attempt<'a>(
        &'a self,
        http: &'a reqwest::Client,
        request: reqwest::Request,
        operation: &'static str,
        attempt: u32,
    ) -> impl Future<Output = reqwest::Result<reqwest::Response>> + Send + 'a {
        let span = tracing::debug_span!(
            "logzio_shared_tokens.request",
            operation,
            attempt,
            status = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        async move {
            // The permit covers the whole attempt, error body included, and is
            // released before any backoff so waiting calls do not hold it.
            let _permit = self.permits.acquire().await;
            let sent = Instant::now();
            let outcome = http.execute(request).await;
            let span = tracing::Span::current();
            span.record("latency_ms", sent.elapsed().as_secs_f64() * 1000.0);
            match outcome {
                Ok(response) => {
                    let status = response.status();
                    span.record("status", status.as_u16());
                    if status.is_client_error() || status.is_server_error() {
                        tracing::debug!("error answer");
                        // Boxed: only error answers pay for reading and reshaping a body.
                        Box::pin(reshape_error(response, &self.redactor)).await
                    } else {
                        tracing::debug!("answer");
                        Ok(response)
                    }
                }
                Err(error) => {
                    tracing::debug!(error = %error, "no answer");
                    Err(error)
                }
            }
        }
        .instrument(span)
    }
}

/// Gives an error answer the documented `{"message": …}` body whatever the
/// server or a proxy sent, keeping its status and headers (`Retry-After`
/// included): the status decides the error, never the body.
async fn reshape_error(
    response: reqwest::Response,
    redactor: &Redactor,
) -> reqwest::Result<reqwest::Response> {
    let status = response.status();
    let version = response.version();
    let mut headers: HeaderMap = response.headers().clone();
    let body = response.bytes().await?;
    let shaped = error_body::shape(status.as_u16(), headers.get(CONTENT_TYPE), &body, redactor);
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.remove(CONTENT_LENGTH);
    headers.remove(CONTENT_ENCODING);
    let mut rebuilt = http::Response::new(shaped);
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = version;
    *rebuilt.headers_mut() = headers;
    Ok(reqwest::Response::from(rebuilt))
}
