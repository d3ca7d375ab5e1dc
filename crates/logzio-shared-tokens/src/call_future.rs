//! Builders that are futures: every request builder of the facade can be
//! `.await`ed directly (or sent with `.send().await`), and owns a clone of the
//! client, so the future is `'static` and can be spawned.

use std::future::Future;
use std::pin::Pin;

use crate::Error;

/// The future of a builder's call.
pub type CallFuture<T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'static>>;

/// `IntoFuture` for a builder whose `send(self)` is an `async fn` returning
/// `Result<$output, Error>`.
macro_rules! await_by_send {
    ($builder:ty => $output:ty) => {
        impl ::std::future::IntoFuture for $builder {
            type Output = Result<$output, $crate::Error>;
            type IntoFuture = $crate::call_future::CallFuture<$output>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    };
}

pub(crate) use await_by_send;
