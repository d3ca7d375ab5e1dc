//! The one path every request of a facade client takes, installed as the
//! generated client's [`Transport`](logzio_shared_tokens_api::Transport), so
//! typed calls and [`Client::raw`](crate::Client::raw) alike get it:
//! concurrency permit → attempt (traced) → error-body shaping → retry decision.
//!
//! It must never record a header value or a body in a span or event, never
//! retry a POST the server may have carried out, and never let a body decide
//! what a status means.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use logzio_shared_tokens_api::operations::Operation;
use logzio_shared_tokens_api::{SendFuture, SendRequest};
use reqwest::ResponseBuilderExt;
use reqwest::header::{CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, HeaderValue};
use tokio::sync::Semaphore;
use tracing::Instrument;

use crate::error_body;
use crate::redact::Redactor;
use crate::retry::{Idempotency, RetryPolicy, Retryable};

type Answer = reqwest::Result<reqwest::Response>;

/// The facade's [`SendRequest`]: limit, retries, tracing, error shaping.
/// Installed as is under [`Client::raw`](crate::Client::raw); each facade
/// call takes it through a [`CallPath`] of its own.
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
        Box::pin(self.send_with_retries(http, request, operation, None))
    }
}

/// The request path as one facade call takes it: the client's
/// [`RequestPath`], counting the attempts it sends for this call, so that the
/// call's error can say how many were made and over how long. Installed in a
/// generated client made for the call (`Client::begin_call`):
/// the generated builders hand their request to the transport and nothing
/// else, so the client is the one way to tell the path which call it serves.
pub(crate) struct CallPath {
    path: Arc<RequestPath>,
    attempts: AtomicU32,
    started: Instant,
}

impl CallPath {
    pub(crate) fn new(path: Arc<RequestPath>) -> Self {
        Self {
            path,
            attempts: AtomicU32::new(0),
            started: Instant::now(),
        }
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

impl SendRequest for CallPath {
    fn send<'a>(
        &'a self,
        http: &'a reqwest::Client,
        request: reqwest::Request,
        operation: &'static str,
    ) -> SendFuture<'a> {
        Box::pin(
            self.path
                .send_with_retries(http, request, operation, Some(&self.attempts)),
        )
    }
}

impl RequestPath {
    /// Sends `request` (`operation` is progenitor's name for it) until an
    /// answer is final or the policy says stop; `attempts`, when a facade
    /// call is counting, learns each attempt as it is sent.
    async fn send_with_retries(
        &self,
        http: &reqwest::Client,
        mut request: reqwest::Request,
        operation: &'static str,
        attempts: Option<&AtomicU32>,
    ) -> Answer {
        // Spans name the spec's operationId (`getAllTokens`), as the docs promise.
        let operation =
            Operation::from_function_name(operation).map_or(operation, Operation::operation_id);
        let idempotency = Idempotency::of(request.method());
        let started = Instant::now();
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            if let Some(attempts) = attempts {
                attempts.store(attempt, Ordering::Relaxed);
            }
            // A request whose body is a stream cannot be copied: it is sent once.
            let copy_for_retry = request.try_clone();
            let answer = self.attempt(http, request, operation, attempt).await;
            let Some(copy) = copy_for_retry else {
                return answer;
            };
            let Some(delay) = self.retry_delay(&answer, attempt, started, idempotency, operation)
            else {
                return answer;
            };
            // Let the refused answer go before waiting.
            drop(answer);
            tokio::time::sleep(delay).await;
            request = copy;
        }
    }

    /// One attempt, in its own span, under a permit that also covers reading
    /// an error answer's body (reshaped: see [`error_body`]) and is released
    /// before any backoff, so waiting calls do not hold it.
    async fn attempt(
        &self,
        http: &reqwest::Client,
        request: reqwest::Request,
        operation: &'static str,
        attempt: u32,
    ) -> Answer {
        let span = tracing::debug_span!(
            "logzio_shared_tokens.request",
            operation,
            attempt,
            status = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        async {
            // Fails only if the semaphore is closed, which this crate never does.
            let _permit = self.permits.acquire().await;
            let span = tracing::Span::current();
            // Measured only when the span records it.
            let sent = (!span.is_disabled()).then(Instant::now);
            let answer = http.execute(request).await;
            if let Some(sent) = sent {
                span.record("latency_ms", sent.elapsed().as_secs_f64() * 1000.0);
            }
            let response = match answer {
                Ok(response) => response,
                Err(error) => {
                    tracing::debug!(error = %error, "no answer");
                    return Err(error);
                }
            };
            let status = response.status();
            span.record("status", status.as_u16());
            if status.is_client_error() || status.is_server_error() {
                tracing::debug!("error answer");
                reshape_error(response, &self.redactor).await
            } else {
                tracing::debug!("answer");
                Ok(response)
            }
        }
        .instrument(span)
        .await
    }

    /// How long to wait before trying `answer`'s request again, or `None`
    /// to hand `answer` to the caller: the policy's attempts and time are
    /// spent, or the answer is final or not safe to repeat.
    fn retry_delay(
        &self,
        answer: &Answer,
        attempt: u32,
        started: Instant,
        idempotency: Idempotency,
        operation: &'static str,
    ) -> Option<Duration> {
        let retryable = Retryable::classify(answer)?;
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
    // placeholder there) and on a failure to read it, which then still say
    // where the request went.
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
