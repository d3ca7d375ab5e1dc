//! Deterministic faults: "the next N requests answer 503 as an HTML page,
//! then normal". A queue of scripted answers, filled by
//! [`crate::Control::fail_next`] or `--fail-first`, answered (by `front.rs`'s
//! middleware) in front of everything else — before authentication, on any path, touching no state —
//! as a proxy or load balancer in front of the API would. Also the pages
//! such a proxy sends, which the `proxy-errors` quirk reuses.
//!
//! It must never answer from the queue once it is empty, and never change
//! anything behind it.

use std::collections::VecDeque;
use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;

/// What the body of a scripted fault is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FaultBody {
    /// `{"message": "…"}`, `application/json`: the API's own error shape.
    Json,
    /// A load balancer's error page, `text/html`.
    Html,
    /// A proxy's one-line answer, `text/plain`.
    PlainText,
    /// No body at all.
    Empty,
}

impl FaultBody {
    fn name(self) -> &'static str {
        match self {
            FaultBody::Json => "json",
            FaultBody::Html => "html",
            FaultBody::PlainText => "text",
            FaultBody::Empty => "empty",
        }
    }
}

/// One scripted answer: an error status and the shape of its body. 429, 502,
/// 503 and 504 carry the configured `Retry-After`.
///
/// ```
/// use logzio_shared_tokens_emulator::{Fault, FaultBody};
///
/// assert_eq!(Fault::html(503), Fault::new(503, FaultBody::Html));
/// assert_eq!("429:text".parse::<Fault>()?, Fault::plain_text(429));
/// assert_eq!("503".parse::<Fault>()?, Fault::json(503));
/// # Ok::<(), String>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Fault {
    status: u16,
    body: FaultBody,
}

impl Fault {
    /// `status` (checked to be 400–599 when scheduled) with a `body` of this shape.
    pub fn new(status: u16, body: FaultBody) -> Self {
        Self { status, body }
    }

    /// `status` with the API's own `{"message": …}` body.
    pub fn json(status: u16) -> Self {
        Self::new(status, FaultBody::Json)
    }

    /// `status` with a load balancer's HTML page.
    pub fn html(status: u16) -> Self {
        Self::new(status, FaultBody::Html)
    }

    /// `status` with a proxy's `text/plain` line.
    pub fn plain_text(status: u16) -> Self {
        Self::new(status, FaultBody::PlainText)
    }

    /// `status` with no body.
    pub fn empty(status: u16) -> Self {
        Self::new(status, FaultBody::Empty)
    }

    /// The HTTP status answered.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The shape of the body answered.
    pub fn body(&self) -> FaultBody {
        self.body
    }

    /// The status to answer, if it is an error status (400 to 599).
    pub(crate) fn error_status(&self) -> Result<StatusCode, String> {
        StatusCode::from_u16(self.status)
            .ok()
            .filter(|status| status.is_client_error() || status.is_server_error())
            .ok_or_else(|| {
                format!(
                    "a scripted fault must be an error status (400 to 599), not {}",
                    self.status
                )
            })
    }

    /// Why this fault cannot be answered, if it cannot.
    pub(crate) fn problem(&self) -> Option<String> {
        self.error_status().err()
    }
}

/// A scripted answer, with `Retry-After` where a client is asked to come back.
pub(crate) fn answer(status: StatusCode, body: FaultBody, retry_after_seconds: u64) -> Response {
    let mut response = page(status, body);
    if asks_to_retry(status) {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_seconds));
    }
    response
}

/// `STATUS[:json|html|text|empty]`; the body defaults to `json`.
impl FromStr for Fault {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let (status, body) = text.trim().split_once(':').unwrap_or((text.trim(), "json"));
        let status: u16 = status
            .parse()
            .map_err(|_| format!("`{status}` is not an HTTP status"))?;
        let body = [
            FaultBody::Json,
            FaultBody::Html,
            FaultBody::PlainText,
            FaultBody::Empty,
        ]
        .into_iter()
        .find(|kind| kind.name().eq_ignore_ascii_case(body.trim()))
        .ok_or_else(|| format!("`{body}` is not a body kind: json, html, text or empty"))?;
        let fault = Fault::new(status, body);
        match fault.problem() {
            Some(problem) => Err(problem),
            None => Ok(fault),
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.status, self.body.name())
    }
}

/// Statuses whose answer carries `Retry-After`: the client is asked to come back.
pub(crate) fn asks_to_retry(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
}

/// An error answer of `status` shaped as `body`, without `Retry-After`.
pub(crate) fn page(status: StatusCode, body: FaultBody) -> Response {
    let title = format!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("Error")
    );
    let (content_type, text) = match body {
        FaultBody::Json => (
            Some("application/json"),
            serde_json::json!({ "message": format!("{title} (scripted fault)") }).to_string(),
        ),
        FaultBody::Html => (
            Some("text/html"),
            format!(
                "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n\
                 <center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n\
                 </body>\r\n</html>\r\n"
            ),
        ),
        FaultBody::PlainText => (Some("text/plain"), title),
        FaultBody::Empty => (None, String::new()),
    };
    let mut response = Response::new(Body::from(text));
    *response.status_mut() = status;
    if let Some(content_type) = content_type {
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    response
}

/// The scripted answers still to give, in order.
#[derive(Default)]
pub(crate) struct FaultQueue {
    /// How many answers are queued: lets a request skip the lock when none are.
    pending: AtomicUsize,
    /// `(answers left, status, body)` runs, in order.
    queue: Mutex<VecDeque<(usize, StatusCode, FaultBody)>>,
}

impl FaultQueue {
    /// Queues `count` answers of `fault` after those already queued; refuses
    /// a fault that is not an error status.
    pub(crate) fn push(&self, count: usize, fault: Fault) -> Result<(), String> {
        let status = fault.error_status()?;
        if count == 0 {
            return Ok(());
        }
        let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        queue.push_back((count, status, fault.body));
        self.pending.fetch_add(count, Ordering::AcqRel);
        Ok(())
    }

    /// The next scripted answer, if any is left.
    pub(crate) fn take(&self) -> Option<(StatusCode, FaultBody)> {
        if self.pending.load(Ordering::Acquire) == 0 {
            return None;
        }
        let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        let (remaining, status, body) = queue.front_mut()?;
        let next = (*status, *body);
        *remaining -= 1;
        if *remaining == 0 {
            queue.pop_front();
        }
        self.pending.fetch_sub(1, Ordering::AcqRel);
        Some(next)
    }

    pub(crate) fn pending(&self) -> usize {
        self.pending.load(Ordering::Acquire)
    }

    pub(crate) fn clear(&self) {
        let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        queue.clear();
        self.pending.store(0, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_queue_answers_in_order_then_nothing() {
        let queue = FaultQueue::default();
        queue.push(2, Fault::html(503)).unwrap();
        queue.push(0, Fault::json(502)).unwrap();
        queue.push(1, Fault::plain_text(429)).unwrap();
        assert!(queue.push(1, Fault::json(302)).is_err());
        assert_eq!(queue.pending(), 3);
        let unavailable = (StatusCode::SERVICE_UNAVAILABLE, FaultBody::Html);
        assert_eq!(queue.take(), Some(unavailable));
        assert_eq!(queue.take(), Some(unavailable));
        let limited = (StatusCode::TOO_MANY_REQUESTS, FaultBody::PlainText);
        assert_eq!(queue.take(), Some(limited));
        assert_eq!(queue.take(), None);
        queue.push(5, Fault::empty(403)).unwrap();
        queue.clear();
        assert_eq!((queue.pending(), queue.take()), (0, None));
    }

    #[test]
    fn faults_parse_from_their_flag_form() {
        assert_eq!("504:html".parse::<Fault>(), Ok(Fault::html(504)));
        assert_eq!("403:EMPTY".parse::<Fault>(), Ok(Fault::empty(403)));
        assert_eq!(Fault::plain_text(429).to_string(), "429:text");
        for bad in ["200", "abc", "503:xml", "600:json"] {
            assert!(bad.parse::<Fault>().is_err(), "{bad}");
        }
    }
}
