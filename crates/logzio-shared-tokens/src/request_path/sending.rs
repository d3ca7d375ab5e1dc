//! The future of one request through the [`RequestPath`]: attempts, each
//! under a permit and in its own span, with a backoff between them.
//!
//! Written out as a state machine rather than `async` blocks, because every
//! call takes this path: the `async` version held the request twice (the
//! captured argument and the moved copy), needed a second allocation for the
//! attempt, and went through tokio's `Acquire` future even when a permit was
//! free. Here the first attempt starts while the generated call is first
//! polled, so the request goes straight to reqwest, and one allocation (the
//! returned box) holds everything a call needs unless it waits for a permit,
//! reads an error body or backs off (`cargo xtask bench-call-cost` measures
//! it).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll, ready};
use std::time::Instant;

use tokio::sync::{AcquireError, SemaphorePermit, TryAcquireError};
use tracing::Span;

use super::spare::Spare;
use super::{CallRecord, RequestPath, reshape_error};
use crate::retry::Idempotency;

type Boxed<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
type Answer = reqwest::Result<reqwest::Response>;

/// One request's way through the path. `E` sends a request with the
/// client (`reqwest::Client::execute`) and `F` is its future; both are
/// type parameters only because reqwest's future type cannot be named.
pub(super) struct Sending<'a, E, F> {
    path: &'a RequestPath,
    http: &'a reqwest::Client,
    execute: E,
    /// The spec's operationId, for spans and events.
    operation: &'static str,
    idempotency: Idempotency,
    call: Option<Arc<CallRecord>>,
    started: Instant,
    attempt: u32,
    /// The request, as the next attempt will send it or as a retry would
    /// rebuild it. Kept out of [`Stage`] so that changing stage moves only
    /// a few words.
    request: Request,
    stage: Stage<'a, F>,
}

#[expect(
    clippy::large_enum_variant,
    reason = "every call holds `Sent`; boxing it would cost an allocation per call"
)]
enum Request {
    /// Waiting for a permit, or rebuilt for a retry (boxed: a call whose
    /// first attempt finds a permit free never holds one).
    ToSend(Box<reqwest::Request>),
    /// Sent; what sending it again needs.
    Sent(Spare),
    /// Sent, and it cannot be sent again: its body was a stream.
    SentOnce,
}

enum Stage<'a, F> {
    /// Every permit is taken: waiting for one (boxed, as only a saturated
    /// client waits).
    Permit(Boxed<'a, Result<SemaphorePermit<'a>, AcquireError>>),
    InFlight {
        answer: F,
        span: Span,
        /// When the request was sent; only measured when the span records it.
        sent: Option<Instant>,
        permit: Option<SemaphorePermit<'a>>,
    },
    /// An error answer's body is being read and reshaped, still under the
    /// permit (boxed: only error answers pay for it).
    ErrorBody {
        reading: Boxed<'a, Answer>,
        span: Span,
        _permit: Option<SemaphorePermit<'a>>,
    },
    /// Waiting before the next attempt (boxed: a timer is large, and only
    /// retries need one).
    Backoff(Pin<Box<tokio::time::Sleep>>),
    /// The answer has been handed out.
    Finished,
}

impl<'a, E, F> Sending<'a, E, F>
where
    E: Fn(&'a reqwest::Client, reqwest::Request) -> F,
{
    /// The request path's future for `request`, which it sends at once if
    /// a permit is free (the caller is being polled: this is its first
    /// poll), so that the request is moved straight to reqwest instead of
    /// into this future first.
    pub(super) fn start(
        path: &'a RequestPath,
        http: &'a reqwest::Client,
        execute: E,
        request: reqwest::Request,
        operation: &'static str,
        call: Option<Arc<CallRecord>>,
    ) -> Pin<Box<Self>> {
        let mut sending = Box::new(Self {
            path,
            http,
            execute,
            idempotency: Idempotency::of(request.method()),
            operation,
            call,
            started: Instant::now(),
            attempt: 0,
            request: Request::SentOnce,
            stage: Stage::Finished,
        });
        sending.attempt_with(request);
        Box::into_pin(sending)
    }

    /// Sends `request` under a free permit, or starts waiting for one.
    fn attempt_with(&mut self, request: reqwest::Request) {
        match self.path.permits.try_acquire() {
            Ok(permit) => self.send(request, Some(permit)),
            Err(TryAcquireError::NoPermits) => {
                self.request = Request::ToSend(Box::new(request));
                self.stage = Stage::Permit(Box::pin(self.path.permits.acquire()));
            }
            Err(TryAcquireError::Closed) => self.send(request, None),
        }
    }

    /// The request waiting to be sent.
    fn take_request_to_send(&mut self) -> reqwest::Request {
        match std::mem::replace(&mut self.request, Request::SentOnce) {
            Request::ToSend(request) => *request,
            Request::Sent(_) | Request::SentOnce => {
                unreachable!("a permit is awaited and a backoff made only with a request to send")
            }
        }
    }

    /// Sends `request` under `permit` (`None` only if the semaphore were
    /// closed, which this crate never does), in a new span, keeping its
    /// spare.
    fn send(&mut self, request: reqwest::Request, permit: Option<SemaphorePermit<'a>>) {
        self.attempt += 1;
        if let Some(call) = &self.call {
            call.attempts.store(self.attempt, Ordering::Relaxed);
        }
        let span = tracing::debug_span!(
            "logzio_shared_tokens.request",
            operation = self.operation,
            attempt = self.attempt,
            status = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        self.request = Spare::of(&request).map_or(Request::SentOnce, Request::Sent);
        let sent = (!span.is_disabled()).then(Instant::now);
        let answer = {
            let _entered = span.enter();
            (self.execute)(self.http, request)
        };
        self.stage = Stage::InFlight {
            answer,
            span,
            sent,
            permit,
        };
    }

    /// The attempt in flight was answered (or failed): records it in its
    /// span, then starts reading an error answer's body or decides on a
    /// retry. `None` when the call goes on.
    fn answered(
        &mut self,
        answer: Answer,
        span: Span,
        sent: Option<Instant>,
        permit: Option<SemaphorePermit<'a>>,
    ) -> Option<Answer> {
        if let Some(sent) = sent {
            span.record("latency_ms", sent.elapsed().as_secs_f64() * 1000.0);
        }
        let entered = span.enter();
        let response = match answer {
            Ok(response) => response,
            Err(error) => {
                tracing::debug!(error = %error, "no answer");
                drop(entered);
                drop(permit);
                return self.after_attempt(Err(error));
            }
        };
        let status = response.status();
        span.record("status", status.as_u16());
        if !(status.is_client_error() || status.is_server_error()) {
            tracing::debug!("answer");
            drop(entered);
            drop(permit);
            return self.after_attempt(Ok(response));
        }
        tracing::debug!("error answer");
        drop(entered);
        self.stage = Stage::ErrorBody {
            reading: Box::pin(reshape_error(response, &self.path.redactor)),
            span,
            _permit: permit,
        };
        None
    }

    /// After an attempt: the answer to hand out, or `None` when a backoff
    /// before the next attempt has begun.
    fn after_attempt(&mut self, answer: Answer) -> Option<Answer> {
        // The URL that was sent, carried by the answer or the error.
        let sent_to = match &answer {
            Ok(response) => Some(response.url()),
            Err(error) => error.url(),
        };
        let (Some(url), Request::Sent(_)) = (sent_to, &self.request) else {
            return Some(answer);
        };
        let Some(delay) = self.path.retry_delay(
            &answer,
            self.attempt,
            self.started,
            self.idempotency,
            self.operation,
        ) else {
            return Some(answer);
        };
        let url = url.clone();
        let Request::Sent(spare) = std::mem::replace(&mut self.request, Request::SentOnce) else {
            return Some(answer);
        };
        self.request = Request::ToSend(Box::new(spare.into_request(url)));
        // Let the refused answer go before waiting.
        drop(answer);
        self.stage = Stage::Backoff(Box::pin(tokio::time::sleep(delay)));
        None
    }
}

impl<'a, E, F> Future for Sending<'a, E, F>
where
    E: Fn(&'a reqwest::Client, reqwest::Request) -> F + Unpin,
    F: Future<Output = Answer> + Unpin,
{
    type Output = Answer;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Answer> {
        let this = self.get_mut();
        loop {
            match &mut this.stage {
                Stage::Permit(acquire) => {
                    let permit = ready!(acquire.as_mut().poll(cx)).ok();
                    let request = this.take_request_to_send();
                    this.send(request, permit);
                }
                Stage::InFlight { answer, span, .. } => {
                    let answer = {
                        let _entered = span.enter();
                        ready!(Pin::new(answer).poll(cx))
                    };
                    let Stage::InFlight {
                        span, sent, permit, ..
                    } = std::mem::replace(&mut this.stage, Stage::Finished)
                    else {
                        unreachable!("matched InFlight above")
                    };
                    if let Some(answer) = this.answered(answer, span, sent, permit) {
                        return Poll::Ready(answer);
                    }
                }
                Stage::ErrorBody { reading, span, .. } => {
                    let answer = {
                        let _entered = span.enter();
                        ready!(reading.as_mut().poll(cx))
                    };
                    // Ends the span and releases the permit.
                    this.stage = Stage::Finished;
                    if let Some(answer) = this.after_attempt(answer) {
                        return Poll::Ready(answer);
                    }
                }
                Stage::Backoff(sleep) => {
                    ready!(sleep.as_mut().poll(cx));
                    this.stage = Stage::Finished;
                    let request = this.take_request_to_send();
                    this.attempt_with(request);
                }
                Stage::Finished => panic!("a request future was polled after it completed"),
            }
        }
    }
}
