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
use reqwest::ResponseBuilderExt;
use reqwest::header::{CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, HeaderValue};
use tokio::sync::Semaphore;

mod sending;
mod spare;

use crate::error_body;
use crate::redact::Redactor;
use crate::retry::{Idempotency, RetryPolicy, Retryable};
use sending::Sending;

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

/// Offers `record` to the request path until the returned offer is asked
/// whether it was taken (or dropped), e.g. around one poll of a call.
/// A guard rather than a closure around the poll: the poll's output then
/// stays where it is instead of being moved out through the closure.
pub(crate) fn offer_record(record: &Arc<CallRecord>) -> RecordOffer {
    RecordOffer {
        previous: Some(CURRENT_CALL.replace(Some(Arc::clone(record)))),
    }
}

/// An offer made by [`offer_record`].
pub(crate) struct RecordOffer {
    /// What the thread-local held before; `None` once withdrawn.
    previous: Option<Option<Arc<CallRecord>>>,
}

impl RecordOffer {
    /// Withdraws the offer; whether the request path took the record.
    pub(crate) fn taken(mut self) -> bool {
        self.withdraw()
    }

    fn withdraw(&mut self) -> bool {
        match self.previous.take() {
            Some(previous) => CURRENT_CALL.replace(previous).is_none(),
            None => false,
        }
    }
}

impl Drop for RecordOffer {
    // A poll that panics must not leave the record offered to the next call
    // polled on this thread.
    fn drop(&mut self) {
        self.withdraw();
    }
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
        // Spans name the spec's operationId (`getAllTokens`), as the docs promise.
        let operation =
            Operation::from_function_name(operation).map_or(operation, Operation::operation_id);
        Sending::start(
            self,
            http,
            reqwest::Client::execute,
            request,
            operation,
            call,
        )
    }
}

impl RequestPath {
    /// How long to wait before trying `outcome`'s request again, or `None`
    /// to hand `outcome` to the caller: the policy's attempts and time are
    /// spent, or the answer is final or not safe to repeat.
    fn retry_delay(
        &self,
        outcome: &reqwest::Result<reqwest::Response>,
        attempt: u32,
        started: Instant,
        idempotency: Idempotency,
        operation: &'static str,
    ) -> Option<Duration> {
        let retryable = Retryable::classify(outcome)?;
        if attempt >= self.policy.max_attempts() || !retryable.is_retried(idempotency) {
            return None;
        }
        let delay = self.policy.delay(attempt, retryable.retry_after());
        if started.elapsed() + delay > self.policy.max_elapsed() {
            return None;
        }
        tracing::debug!(
            operation,
            attempt,
            delay_ms = delay.as_millis() as u64,
            reason = %retryable,
            "retrying"
        );
        Some(delay)
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
    // Kept on the reshaped answer (reqwest's conversion would put a
    // placeholder there) and on a failure to read it: a retry is sent there.
    let url = response.url().clone();
    let mut headers: HeaderMap = response.headers().clone();
    let body = match response.bytes().await {
        Ok(body) => body,
        Err(error) => return Err(error.with_url(url)),
    };
    let shaped = error_body::shape(status.as_u16(), headers.get(CONTENT_TYPE), &body, redactor);
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.remove(CONTENT_LENGTH);
    headers.remove(CONTENT_ENCODING);
    // Only the URL extension is set, which cannot make the builder fail.
    let mut rebuilt = http::Response::builder()
        .url(url)
        .body(())
        .unwrap_or_default()
        .map(|()| shaped);
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = version;
    *rebuilt.headers_mut() = headers;
    Ok(reqwest::Response::from(rebuilt))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_offer_taken_by_the_request_path_says_so_and_leaves_nothing_behind() {
        let record = CallRecord::new();
        let offer = offer_record(&record);
        let taken = CURRENT_CALL.take();
        assert!(taken.is_some_and(|taken| Arc::ptr_eq(&taken, &record)));
        assert!(offer.taken());
        assert!(CURRENT_CALL.take().is_none());
    }

    #[test]
    fn an_offer_not_taken_is_withdrawn_whether_asked_or_dropped() {
        let record = CallRecord::new();
        assert!(!offer_record(&record).taken());
        assert!(CURRENT_CALL.take().is_none());
        // Dropped without asking, as when the poll it surrounds panics.
        drop(offer_record(&record));
        assert!(CURRENT_CALL.take().is_none());
    }

    #[test]
    fn an_offer_inside_another_restores_the_outer_one() {
        let outer = CallRecord::new();
        let inner = CallRecord::new();
        let outer_offer = offer_record(&outer);
        assert!(!offer_record(&inner).taken());
        let left = CURRENT_CALL.take();
        assert!(left.is_some_and(|left| Arc::ptr_eq(&left, &outer)));
        assert!(outer_offer.taken());
    }

    #[tokio::test]
    async fn a_reshaped_error_answer_keeps_its_status_headers_and_url() {
        let url = reqwest::Url::parse("http://127.0.0.1:9/v1/shared-tokens/7").unwrap();
        let answer = http::Response::builder()
            .status(503)
            .header("Retry-After", "3")
            .header(CONTENT_TYPE, "text/html")
            .url(url.clone())
            .body("<html>busy</html>")
            .unwrap();
        let redactor = Redactor::new(secrecy::SecretString::from("api-token-value"));
        let shaped = reshape_error(reqwest::Response::from(answer), &redactor)
            .await
            .unwrap();
        assert_eq!(shaped.status(), 503);
        assert_eq!(shaped.url(), &url);
        assert_eq!(shaped.headers()["Retry-After"], "3");
        assert_eq!(shaped.headers()[CONTENT_TYPE], "application/json");
        let body: serde_json::Value = shaped.json().await.unwrap();
        assert!(
            body["message"]
                .as_str()
                .is_some_and(|m| m.contains("text/html"))
        );
    }
}
