//! The client handle and the one path every request takes: concurrency
//! permit → attempt (traced) → error mapping → retry decision.
//!
//! It must never record a header value or a response body in a span or
//! event, and never retry a POST the server may have carried out.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use progenitor_client::ResponseValue;
use tokio::sync::Semaphore;
use tracing::Instrument;

use crate::config::ClientBuilder;
use crate::error::{ApiError, Error};
use crate::filters::Filters;
use crate::redact::Redactor;
use crate::region::Region;
use crate::retry::{Idempotency, RetryPolicy, is_retried};
use crate::tokens::Tokens;

/// A client for the Shared Tokens API of one Logz.io account.
///
/// Cheap to clone: clones share the HTTP connection pool and the
/// concurrency limit. Build one with [`Client::builder`] or
/// [`Client::from_env`], then use [`Client::tokens`] and [`Client::filters`].
#[derive(Clone)]
pub struct Client {
    inner: Arc<ClientInner>,
}

pub(crate) struct ClientInner {
    pub(crate) api: logzio_shared_tokens_api::Client,
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    pub(crate) region: Option<Region>,
    pub(crate) retry_policy: RetryPolicy,
    pub(crate) max_concurrent_requests: usize,
    pub(crate) permits: Arc<Semaphore>,
    pub(crate) redactor: Redactor,
    pub(crate) timeout: Duration,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("region", &self.inner.region)
            .field("timeout", &self.inner.timeout)
            .field("retry_policy", &self.inner.retry_policy)
            .field(
                "max_concurrent_requests",
                &self.inner.max_concurrent_requests,
            )
            .finish_non_exhaustive()
    }
}

/// One operation of the spec, as the request path needs to know it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Operation {
    /// The spec's operationId (recorded in the tracing span).
    pub(crate) id: &'static str,
    pub(crate) idempotency: Idempotency,
}

impl Client {
    /// A builder: set at least the API token.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from `LOGZIO_API_TOKEN`, `LOGZIO_REGION` and
    /// `LOGZIO_API_URL` (see [`ClientBuilder::from_env`]).
    pub fn from_env() -> Result<Self, Error> {
        ClientBuilder::from_env()?.build()
    }

    pub(crate) fn from_inner(inner: Arc<ClientInner>) -> Self {
        Self { inner }
    }

    /// Shared tokens: list, get, create, update, delete, find and get-or-create by name.
    pub fn tokens(&self) -> Tokens<'_> {
        Tokens::new(self)
    }

    /// Token filters: list, get, create, delete, find and get-or-create.
    pub fn filters(&self) -> Filters<'_> {
        Filters::new(self)
    }

    /// The base URL requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The region, unless an explicit base URL was configured.
    pub fn region(&self) -> Option<Region> {
        self.inner.region
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry_policy
    }

    /// The limit of requests in flight, shared by all clones.
    pub fn max_concurrent_requests(&self) -> usize {
        self.inner.max_concurrent_requests
    }

    /// The per-attempt timeout.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// The generated client underneath (same base URL and headers), for
    /// calls without this crate's retries, limit and error mapping.
    pub fn raw(&self) -> &logzio_shared_tokens_api::Client {
        &self.inner.api
    }

    /// The configured `reqwest` client (API token header included, marked sensitive).
    pub fn http_client(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// Runs one operation under the concurrency limit and the retry policy.
    /// `call` builds and sends one attempt on the generated client.
    pub(crate) async fn execute<'a, T, F, Fut>(
        &'a self,
        operation: Operation,
        call: F,
    ) -> Result<T, Error>
    where
        F: Fn(&'a logzio_shared_tokens_api::Client) -> Fut,
        Fut: Future<Output = Result<ResponseValue<T>, ApiError>>,
    {
        let inner: &'a ClientInner = &self.inner;
        let policy = &inner.retry_policy;
        let started = Instant::now();
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let span = tracing::debug_span!(
                "logzio_shared_tokens.request",
                operation = operation.id,
                attempt,
                status = tracing::field::Empty,
                latency_ms = tracing::field::Empty,
            );
            let outcome = async {
                // The permit covers the whole attempt, body included, and is
                // released before any backoff so waiting calls do not hold it.
                let Ok(_permit) = inner.permits.acquire().await else {
                    return Err(Error::Transport {
                        kind: crate::TransportKind::Interrupted,
                        source: None,
                    });
                };
                let sent = Instant::now();
                let result = call(&inner.api).await;
                let latency_ms = sent.elapsed().as_secs_f64() * 1000.0;
                let span = tracing::Span::current();
                span.record("latency_ms", latency_ms);
                match result {
                    Ok(response) => {
                        span.record("status", response.status().as_u16());
                        tracing::debug!("request succeeded");
                        Ok(response.into_inner())
                    }
                    Err(error) => {
                        let error = Error::from_api(error, &inner.redactor).await;
                        if let Some(status) = error.status() {
                            span.record("status", status);
                        }
                        tracing::debug!(error = %error, "request failed");
                        Err(error)
                    }
                }
            }
            .instrument(span)
            .await;

            let error = match outcome {
                Ok(value) => return Ok(value),
                Err(error) => error,
            };
            if attempt >= policy.max_attempts() || !is_retried(&error, operation.idempotency) {
                return Err(error);
            }
            let delay = policy.delay(attempt, error.retry_after());
            if started.elapsed() + delay > policy.max_elapsed() {
                return Err(error);
            }
            tracing::debug!(
                operation = operation.id,
                attempt,
                delay_ms = delay.as_millis() as u64,
                error = %error,
                "retrying"
            );
            tokio::time::sleep(delay).await;
        }
    }
}
