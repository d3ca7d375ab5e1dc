//! The client handle; each facade call ([`Call`]) and the mapping of its
//! outcome to [`Error`]; what makes request builders awaitable. It names no
//! resource and no configuration: [`crate::config`] builds a `Client`, and
//! [`crate::tokens`] and [`crate::filters`] add their handles to it. The request
//! path itself (limit, retries, tracing) lives in [`crate::request_path`],
//! underneath the generated client.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use logzio_shared_tokens_api::Transport;
use logzio_shared_tokens_api::operations::Operation;
use progenitor_client::{ClientInfo, ResponseValue};
use serde::de::DeserializeOwned;

use crate::endpoint::Endpoint;
use crate::error::{ApiError, Error};
use crate::redact::Redactor;
use crate::region::Region;
use crate::request_path::{CallPath, RequestPath};
use crate::retry::RetryPolicy;

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
    /// The generated client, built over [`Self::request_path`].
    pub(crate) api: logzio_shared_tokens_api::Client,
    /// The request path of every call: `api`'s, and each facade call's.
    pub(crate) request_path: Arc<RequestPath>,
    pub(crate) base_url: String,
    /// The base URL again, with the region and the setting that chose it, for errors.
    pub(crate) endpoint: Endpoint,
    pub(crate) retry_policy: RetryPolicy,
    pub(crate) max_concurrent_requests: usize,
    pub(crate) redactor: Redactor,
    pub(crate) timeout: Duration,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("region", &self.inner.endpoint.region())
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
    pub(crate) fn from_inner(inner: Arc<ClientInner>) -> Self {
        Self { inner }
    }

    /// The base URL requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Where requests go, and which setting chose it (named by the errors
    /// that depend on it).
    pub fn endpoint(&self) -> &Endpoint {
        &self.inner.endpoint
    }

    /// The region, unless an explicit base URL was configured.
    pub fn region(&self) -> Option<Region> {
        self.inner.endpoint.region()
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

    /// Starts one facade call of `operation`: a generated client of its
    /// own (same base URL, same `reqwest::Client`) whose requests take this
    /// client's request path and count their attempts for the call's error.
    pub(crate) fn begin_call(&self, operation: Operation) -> Call<'_> {
        let path = Arc::new(CallPath::new(Arc::clone(&self.inner.request_path)));
        let api = logzio_shared_tokens_api::Client::new_with_client(
            &self.inner.base_url,
            self.inner.api.client().clone(),
            Transport::new(path.clone()),
        );
        Call {
            client: self,
            operation,
            api,
            path,
        }
    }
}

/// One facade call being made: send it with [`Call::api`], then turn its
/// outcome into the facade's result with [`Call::finish`].
pub(crate) struct Call<'a> {
    client: &'a Client,
    operation: Operation,
    api: logzio_shared_tokens_api::Client,
    path: Arc<CallPath>,
}

impl Call<'_> {
    /// The generated client to send this call with.
    pub(crate) fn api(&self) -> &logzio_shared_tokens_api::Client {
        &self.api
    }

    /// The call's result: the answer's value, or its error mapped to
    /// [`Error`] with the attempts made and the time taken.
    pub(crate) async fn finish<T: DeserializeOwned>(
        self,
        outcome: Result<ResponseValue<T>, ApiError>,
    ) -> Result<T, Error> {
        match outcome {
            Ok(response) => Ok(response.into_inner()),
            Err(error) => {
                let call = (self.path.attempts(), self.path.elapsed());
                let inner = &self.client.inner;
                let about = (self.operation, &inner.endpoint, &inner.redactor);
                Err(Error::from_api::<T>(error, about, call).await)
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
