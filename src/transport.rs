//! The seam every generated call goes through: progenitor's `exec` hook hands
//! each request to the [`Transport`] the client was built with.
//!
//! The generated crate holds no API rule: by default a request goes straight
//! to `reqwest`. A layer above (the `logzio-shared-tokens` facade) installs a
//! [`SendRequest`] with its concurrency limit, retries and error shaping, and
//! so every call made on that client — typed builder or `Client::raw()` —
//! follows the same policy.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};

/// The future a [`SendRequest`] returns.
pub type SendFuture<'a> =
    Pin<Box<dyn Future<Output = reqwest::Result<reqwest::Response>> + Send + 'a>>;

/// Sends one generated request: the place to add limits, retries or tracing
/// around every operation of the client.
pub trait SendRequest: Send + Sync + 'static {
    /// Sends `request` with `http` (the client's configured `reqwest::Client`).
    /// `operation` is progenitor's name for the operation (`get_all_tokens`).
    fn send<'a>(
        &'a self,
        http: &'a reqwest::Client,
        request: reqwest::Request,
        operation: &'static str,
    ) -> SendFuture<'a>;
}

/// How a generated [`Client`](crate::Client) sends its requests. The default
/// sends each one once, as built.
#[derive(Clone, Default)]
pub struct Transport {
    sender: Option<Arc<dyn SendRequest>>,
}

impl Transport {
    /// Every request goes through `sender`.
    pub fn new(sender: Arc<dyn SendRequest>) -> Self {
        Self {
            sender: Some(sender),
        }
    }
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("custom", &self.sender.is_some())
            .finish()
    }
}

impl ClientHooks<Transport> for crate::Client {
    // Not an `async fn`: that would hold the request in its own future and
    // move it again into the sender's, on every call.
    fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> impl Future<Output = reqwest::Result<reqwest::Response>> {
        match &self.inner().sender {
            Some(sender) => Exec::Sender(sender.send(self.client(), request, info.operation_id)),
            None => Exec::Direct(self.client().execute(request)),
        }
    }
}

/// The future of [`ClientHooks::exec`]: the sender's, or reqwest's.
enum Exec<S, D> {
    Sender(S),
    Direct(D),
}

impl<S, D> Future for Exec<S, D>
where
    S: Future<Output = reqwest::Result<reqwest::Response>> + Unpin,
    D: Future<Output = reqwest::Result<reqwest::Response>> + Unpin,
{
    type Output = reqwest::Result<reqwest::Response>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.get_mut() {
            Self::Sender(sending) => Pin::new(sending).poll(cx),
            Self::Direct(sending) => Pin::new(sending).poll(cx),
        }
    }
}
