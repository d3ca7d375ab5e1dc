//! The client handle, the mapping of each call's outcome to [`Error`], and
//! what makes request builders awaitable.
//! The request path itself (limit, retries, tracing) lives in
//! [`crate::request_path`], underneath the generated client.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use logzio_shared_tokens_api::operations::Operation;
use progenitor_client::ResponseValue;
use serde::de::DeserializeOwned;

use crate::config::ClientBuilder;
use crate::error::{ApiError, Error};
use crate::filters::Filters;
use crate::redact::Redactor;
use crate::region::Region;
use crate::request_path::{CallRecord, offer_record};
use crate::retry::RetryPolicy;
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
    /// The generated client, built over [`crate::request_path::RequestPath`].
    pub(crate) api: logzio_shared_tokens_api::Client,
    pub(crate) base_url: String,
    pub(crate) region: Option<Region>,
    pub(crate) retry_policy: RetryPolicy,
    pub(crate) max_concurrent_requests: usize,
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
    /// Holds a clone of this client (cheap), so its calls can be spawned:
    /// `tokio::spawn(client.tokens().create("bg").send())`, or
    /// `.into_future()` in place of `.send()`.
    pub fn tokens(&self) -> Tokens {
        Tokens::new(self.clone())
    }

    /// Token filters: list, get, create, delete, find and get-or-create.
    /// Holds a clone of this client (cheap), so its calls can be spawned.
    pub fn filters(&self) -> Filters {
        Filters::new(self.clone())
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

    /// The redactor of this client's secrets, for server text kept in an [`Error`].
    pub(crate) fn redactor(&self) -> &Redactor {
        &self.inner.redactor
    }

    /// The generated client underneath (same base URL and headers). Its
    /// calls take the same request path as this client's — the shared
    /// concurrency limit, the retry policy, error bodies reshaped to
    /// `{"message"}` — but return the generated types and
    /// `progenitor_client::Error` instead of [`Error`].
    pub fn raw(&self) -> &logzio_shared_tokens_api::Client {
        &self.inner.api
    }

    /// Runs one call of `operation` (a future of the generated client) and
    /// maps its outcome. Retries happen underneath, in the request path; the
    /// call record lets the error say how many attempts were made.
    pub(crate) fn execute<T, Call>(&self, operation: Operation, call: Call) -> Execute<'_, Call>
    where
        Call: Future<Output = Result<ResponseValue<T>, ApiError>>,
    {
        Execute {
            call,
            record: CallRecord::new(),
            offered: false,
            client: self,
            operation,
            mapping_error: None,
        }
    }
}

pin_project_lite::pin_project! {
    /// The future of one facade call: the generated call, which hands its
    /// [`CallRecord`] to the request path, then, only for a failure, the
    /// error mapping.
    ///
    /// Written out rather than as an `async` block, which would hold the
    /// generated call's future twice (the captured value and the awaited
    /// one) and move both with every call: this keeps each call's future
    /// about half the size, measured with `-Zprint-type-sizes`.
    pub(crate) struct Execute<'a, Call> {
        #[pin]
        call: Call,
        record: Arc<CallRecord>,
        // Whether the request path has taken the record (then no more offers).
        offered: bool,
        client: &'a Client,
        operation: Operation,
        // Boxed: only failures pay for the mapping's future.
        mapping_error: Option<Pin<Box<dyn Future<Output = Error> + Send + 'a>>>,
    }
}

impl<'a, T, Call> Future for Execute<'a, Call>
where
    T: DeserializeOwned + Send + 'a,
    Call: Future<Output = Result<ResponseValue<T>, ApiError>>,
{
    type Output = Result<T, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        loop {
            if let Some(mapping) = this.mapping_error.as_mut() {
                return mapping.as_mut().poll(cx).map(Err);
            }
            let polled = if *this.offered {
                this.call.as_mut().poll(cx)
            } else {
                let offer = offer_record(this.record);
                let polled = this.call.as_mut().poll(cx);
                *this.offered = offer.taken();
                polled
            };
            match ready!(polled) {
                Ok(response) => return Poll::Ready(Ok(response.into_inner())),
                Err(error) => {
                    let client: &'a Client = this.client;
                    let call = (this.record.attempts(), this.record.elapsed());
                    *this.mapping_error = Some(Box::pin(Error::from_api::<T>(
                        error,
                        *this.operation,
                        call,
                        &client.inner.redactor,
                    )));
                }
            }
        }
    }
}

/// The future of a builder's call (`IntoFuture::IntoFuture` of every request
/// builder): `'static`, so it can be spawned.
pub type CallFuture<T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'static>>;

/// Makes a builder awaitable: `builder.await` is `builder.send().await`, and
/// `builder.into_future()` is the call's future, boxed so it can be named.
macro_rules! awaitable_by_send {
    ($builder:ty => $output:ty) => {
        impl ::std::future::IntoFuture for $builder {
            type Output = Result<$output, $crate::Error>;
            type IntoFuture = $crate::client::CallFuture<$output>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    };
}

pub(crate) use awaitable_by_send;
