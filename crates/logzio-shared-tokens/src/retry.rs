//! The retry policy: which failures are tried again, how long to wait
//! between attempts, and when to give up.
//!
//! It must never retry a request the server may already have carried out
//! unless the request is idempotent (see [`RetryPolicy`]).

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};

/// How the client retries failed requests.
///
/// Retried failures: HTTP 503 (unavailable; Logz.io did not act), HTTP 429
/// (too many concurrent requests) and transport failures (connection refused
/// or reset, per-attempt timeout). Whether a failure is retried also depends
/// on the operation:
///
/// - `GET`, `PUT` and `DELETE` are idempotent: every retried failure is retried.
/// - `POST` (creating a token or a filter) is retried **only** when the server
///   answered 503 or 429, i.e. it said it did not carry out the request. After
///   a timeout or a connection failure the outcome is unknown, and creating
///   again could make a duplicate, so the error is returned instead. (Use
///   `ensure` to re-run a creation safely.)
///
/// Waiting: exponential backoff with full jitter — before retry *n* (1-based)
/// the client sleeps a random duration in `[0, min(max_backoff,
/// initial_backoff × 2^(n-1))]`, but never less than the server's
/// `Retry-After` (seconds or an HTTP date). It stops after `max_attempts`
/// attempts in all, or when the next wait would end past `max_elapsed` since
/// the first attempt; the last error is returned.
///
/// Each attempt is bounded by the client's per-attempt timeout
/// ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout)), not by this policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_elapsed: Duration,
}

impl Default for RetryPolicy {
    /// 5 attempts, backoff from 200 ms up to 10 s, give up after 60 s.
    fn default() -> Self {
        Self {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            max_elapsed: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// Exponential backoff with full jitter and the default limits (see [`Default`]).
    pub fn exponential() -> Self {
        Self::default()
    }

    /// One attempt, no retries.
    pub fn never() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Attempts in all, the first included (at least 1).
    #[must_use]
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The cap of the first backoff; later caps double.
    #[must_use]
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The largest cap any backoff can have (a `Retry-After` may still be longer).
    #[must_use]
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// No retry starts a wait that would end later than this after the first attempt began.
    #[must_use]
    pub fn with_max_elapsed(mut self, elapsed: Duration) -> Self {
        self.max_elapsed = elapsed;
        self
    }

    /// Attempts in all, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The cap of the first backoff.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The largest backoff cap.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The total time after which no further retry starts.
    pub fn max_elapsed(&self) -> Duration {
        self.max_elapsed
    }

    /// The upper bound of the jittered wait before retry `retry` (1-based).
    pub(crate) fn backoff_cap(&self, retry: u32) -> Duration {
        let doublings = retry.saturating_sub(1).min(31);
        self.initial_backoff
            .saturating_mul(1u32 << doublings)
            .min(self.max_backoff)
    }

    /// The wait before retry `retry` (1-based): full jitter, at least `retry_after`.
    pub(crate) fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        let jittered = self.backoff_cap(retry).mul_f64(random_fraction());
        jittered.max(retry_after.unwrap_or_default())
    }
}

/// Whether an operation may be repeated without changing the outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Idempotency {
    /// GET, PUT, DELETE.
    Idempotent,
    /// POST: repeated only when the server said it did not act.
    NotIdempotent,
}

impl Idempotency {
    /// The one rule, by HTTP method: every operation of the spec that is not
    /// a POST reads, replaces or deletes, so repeating it changes nothing.
    pub(crate) fn of(method: &reqwest::Method) -> Self {
        if *method == reqwest::Method::POST {
            Self::NotIdempotent
        } else {
            Self::Idempotent
        }
    }
}

/// Why an attempt may be worth repeating.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Retryable {
    /// HTTP 503 or 429: the server said it did not act; try again later.
    NotCarriedOut {
        /// The HTTP status.
        status: u16,
        /// The server's `Retry-After`.
        retry_after: Option<Duration>,
    },
    /// No answer: the request may or may not have reached the server.
    NoAnswer,
}

impl Retryable {
    /// The retryable part of an attempt's outcome, whatever its body said.
    pub(crate) fn classify(outcome: &reqwest::Result<reqwest::Response>) -> Option<Self> {
        match outcome {
            Ok(response) => {
                let status = response.status().as_u16();
                matches!(status, 429 | 503).then(|| Self::NotCarriedOut {
                    status,
                    retry_after: retry_after(response.headers()),
                })
            }
            // A request that could not even be built is not worth repeating.
            Err(error) if error.is_builder() || error.is_redirect() => None,
            Err(_) => Some(Self::NoAnswer),
        }
    }

    /// Whether this failure of this kind of operation is tried again.
    pub(crate) fn is_retried(self, idempotency: Idempotency) -> bool {
        match self {
            Self::NotCarriedOut { .. } => true,
            // Even a connect failure is not retried for POST: with pooled
            // connections reqwest cannot always tell "never sent" from "lost".
            Self::NoAnswer => idempotency == Idempotency::Idempotent,
        }
    }

    /// The delay the server asked for.
    pub(crate) fn retry_after(self) -> Option<Duration> {
        match self {
            Self::NotCarriedOut { retry_after, .. } => retry_after,
            Self::NoAnswer => None,
        }
    }
}

impl std::fmt::Display for Retryable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotCarriedOut { status, .. } => write!(f, "HTTP {status}"),
            Self::NoAnswer => f.write_str("no answer"),
        }
    }
}

/// The `Retry-After` header as a delay: whole seconds or an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    static HTTP_DATE: jiff::fmt::rfc2822::DateTimeParser =
        jiff::fmt::rfc2822::DateTimeParser::new();
    let when = HTTP_DATE.parse_timestamp(value).ok()?;
    let until = jiff::Timestamp::now().duration_until(when);
    // A date in the past means "now".
    Some(Duration::try_from(until).unwrap_or(Duration::ZERO))
}

/// A uniformly distributed number in `[0, 1)`. Jitter needs spread, not
/// cryptographic quality: std's randomly keyed hasher over a counter gives it
/// without another dependency.
fn random_fraction() -> f64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    // The top 53 bits fill an f64 mantissa exactly.
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn never_makes_one_attempt_and_keeps_the_other_defaults() {
        let (never, default) = (RetryPolicy::never(), RetryPolicy::default());
        assert_eq!(never.max_attempts(), 1);
        assert_eq!(default.max_attempts(), 5);
        assert_eq!(never.initial_backoff(), default.initial_backoff());
        assert_eq!(never.max_backoff(), default.max_backoff());
        assert_eq!(never.max_elapsed(), default.max_elapsed());
    }

    #[test]
    fn backoff_settings_read_back_as_set() {
        let default = RetryPolicy::default();
        assert_eq!(default.initial_backoff(), Duration::from_millis(200));
        assert_eq!(default.max_backoff(), Duration::from_secs(10));
        let policy = default
            .with_initial_backoff(Duration::from_millis(30))
            .with_max_backoff(Duration::from_millis(900));
        assert_eq!(policy.initial_backoff(), Duration::from_millis(30));
        assert_eq!(policy.max_backoff(), Duration::from_millis(900));
    }

    #[test]
    fn a_request_that_cannot_be_built_is_not_retried() {
        let outcome = reqwest::Client::new().get("not a url").build().map(|_| ());
        let Err(error) = outcome else {
            panic!("a relative URL should not build");
        };
        assert!(error.is_builder());
        assert_eq!(Retryable::classify(&Err(error)), None);
    }

    #[test]
    fn reasons_read_as_what_came_back() {
        let refused = Retryable::NotCarriedOut {
            status: 503,
            retry_after: None,
        };
        assert_eq!(refused.to_string(), "HTTP 503");
        assert_eq!(Retryable::NoAnswer.to_string(), "no answer");
    }

    #[test]
    fn backoff_caps_double_up_to_the_maximum() {
        let policy = RetryPolicy::default()
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_millis(700));
        let caps: Vec<u128> = (1..=5).map(|n| policy.backoff_cap(n).as_millis()).collect();
        assert_eq!(caps, [100, 200, 400, 700, 700]);
        assert_eq!(policy.backoff_cap(1000), Duration::from_millis(700));
    }

    #[test]
    fn delays_are_jittered_within_the_cap_and_honour_retry_after() {
        let policy = RetryPolicy::default().with_initial_backoff(Duration::from_millis(100));
        let delays: Vec<Duration> = (0..200).map(|_| policy.delay(1, None)).collect();
        assert!(delays.iter().all(|d| *d <= Duration::from_millis(100)));
        let distinct: std::collections::HashSet<_> = delays.iter().collect();
        assert!(distinct.len() > 100, "jitter should spread delays");
        assert!(policy.delay(1, Some(Duration::from_secs(3))) >= Duration::from_secs(3));
    }

    #[test]
    fn post_is_retried_only_when_the_server_said_it_did_not_act() {
        let not_carried_out = Retryable::NotCarriedOut {
            status: 503,
            retry_after: None,
        };
        assert!(not_carried_out.is_retried(Idempotency::NotIdempotent));
        assert!(not_carried_out.is_retried(Idempotency::Idempotent));
        assert!(!Retryable::NoAnswer.is_retried(Idempotency::NotIdempotent));
        assert!(Retryable::NoAnswer.is_retried(Idempotency::Idempotent));
        assert_eq!(
            Idempotency::of(&reqwest::Method::POST),
            Idempotency::NotIdempotent
        );
        for method in [
            reqwest::Method::GET,
            reqwest::Method::PUT,
            reqwest::Method::DELETE,
        ] {
            assert_eq!(Idempotency::of(&method), Idempotency::Idempotent);
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
        let later = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(120);
        let date = jiff::fmt::rfc2822::DateTimePrinter::new()
            .timestamp_to_rfc9110_string(&later)
            .unwrap();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(&date).unwrap());
        let delay = retry_after(&headers).unwrap();
        assert!(
            delay > Duration::from_secs(100) && delay <= Duration::from_secs(120),
            "{delay:?}"
        );
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers), None);
    }
}
