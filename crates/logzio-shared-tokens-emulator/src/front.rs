//! What stands in front of every route, outermost first: the request
//! counter, then the scripted faults ([`crate::faults`]), answered as a proxy
//! in front of the API would, before authentication and touching no state.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::faults;
use crate::shared::Shared;

/// The middleware in front of the API: the next scripted answer if one is
/// queued, else the request goes through.
pub(crate) async fn answer_scripted(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    match shared.faults.take() {
        Some((status, body)) => {
            shared
                .counters
                .scripted_faults
                .fetch_add(1, Ordering::Relaxed);
            faults::answer(status, body, shared.retry_after_seconds)
        }
        None => next.run(request).await,
    }
}

pub(crate) async fn count_request(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    shared.counters.requests.fetch_add(1, Ordering::Relaxed);
    next.run(request).await
}
