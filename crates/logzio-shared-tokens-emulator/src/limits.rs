//! The emulator's defaults and the ranges its settings must fall in: one
//! home for both [`Config::validate`](crate::Config::validate) and the flag
//! parsers of [`crate::flags`], so a value is refused for the same reason
//! whichever way it arrives.

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::time::Duration;

/// Where the emulator listens unless told otherwise.
pub(crate) const DEFAULT_LISTEN: SocketAddr =
    SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 8080));

/// Logz.io documents at most 100 concurrent API requests per account.
pub(crate) const DEFAULT_MAX_CONCURRENT: usize = 100;

/// The `Retry-After` sent with every 429 and 503 unless configured otherwise.
/// Our choice: Logz.io documents 503 as "try again later" with no delay.
pub const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(1);

/// Why a fail rate is refused, if it is.
pub(crate) fn probability_problem(value: f64) -> Option<String> {
    (!(0.0..=1.0).contains(&value))
        .then(|| format!("fail rate {value} is not a probability between 0 and 1"))
}

/// Why a concurrency limit is refused, if it is.
pub(crate) fn max_concurrent_problem(value: usize) -> Option<String> {
    (value == 0).then(|| {
        "max concurrent requests of 0 would refuse every request; give at least 1".to_owned()
    })
}

/// Why a latency range is refused, if it is.
pub(crate) fn latency_problem(low: Duration, high: Duration) -> Option<String> {
    (low > high).then(|| {
        format!(
            "latency range {}-{} ms runs backwards (MIN-MAX)",
            low.as_millis(),
            high.as_millis()
        )
    })
}

/// Why a `Retry-After` is refused, if it is.
pub(crate) fn retry_after_problem(value: Duration) -> Option<String> {
    (value.subsec_nanos() != 0).then(|| {
        format!("Retry-After of {value:?} is not a whole number of seconds, the header's unit")
    })
}
