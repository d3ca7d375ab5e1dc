//! Builders that are futures: every request builder of the facade can be
//! `.await`ed directly (or sent with `.send().await`), and owns a clone of the
//! client, so the future is `'static` and can be spawned.

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;

use crate::Error;

/// The future of a builder's call.
pub type CallFuture<T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'static>>;

/// A builder's call once it has been polled: builders are futures themselves
/// (so `tokio::spawn(client.tokens().create("bg"))` compiles), and the first
/// poll turns a clone of the builder into this call. A clone of a builder is a
/// call not yet started. The `Mutex` is never locked (polling has `&mut`);
/// it only keeps builders `Sync`, as they were before they held a call, so a
/// future that borrows a builder across an `.await` stays `Send`.
pub struct Sent<T>(Mutex<Option<CallFuture<T>>>);

impl<T> Default for Sent<T> {
    fn default() -> Self {
        Self(Mutex::new(None))
    }
}

impl<T> Clone for Sent<T> {
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl<T> std::fmt::Debug for Sent<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sent").finish_non_exhaustive()
    }
}

impl<T> Sent<T> {
    /// Polls the call, starting it with `start` on the first poll.
    pub(crate) fn poll_with(
        &mut self,
        cx: &mut std::task::Context<'_>,
        start: impl FnOnce() -> CallFuture<T>,
    ) -> std::task::Poll<Result<T, Error>> {
        // Nothing ever locks the mutex, so it cannot be poisoned; if it were,
        // the call inside is still whole.
        let slot = match self.0.get_mut() {
            Ok(slot) => slot,
            Err(poisoned) => poisoned.into_inner(),
        };
        let call = match slot.take() {
            Some(call) => call,
            None => start(),
        };
        slot.insert(call).as_mut().poll(cx)
    }
}

/// `Future` for a builder (with a `sent: Sent<$output>` field) whose
/// `send(self)` is an `async fn` returning `Result<$output, Error>`. `.await`,
/// `.send().await` and `tokio::spawn(builder)` all send the same request.
macro_rules! await_by_send {
    ($builder:ty => $output:ty) => {
        impl ::std::future::Future for $builder {
            type Output = Result<$output, $crate::Error>;

            fn poll(
                self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
            ) -> ::std::task::Poll<Self::Output> {
                let this = self.get_mut();
                // Moved out while polling so the first poll can clone the builder.
                let mut sent = ::std::mem::take(&mut this.sent);
                let poll = sent.poll_with(cx, || Box::pin(this.clone().send()));
                this.sent = sent;
                poll
            }
        }
    };
}

pub(crate) use await_by_send;
