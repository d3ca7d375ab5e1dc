//! [`Shared`]: what every request, the test controls and the statistics share: the store,
//! the keyring, the per-account in-flight counts, the fault and latency knobs,
//! the scripted faults, the quirks, the (movable) clock and the counters.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::accounts::{Account, ChangeContext, Failure, IdCounters};
use crate::auth::Keyring;
use crate::faults::FaultQueue;
use crate::quirks::{Quirk, Quirks};
use crate::random::FastRandom;
use crate::store::Store;

/// Counters behind [`crate::Stats`].
#[derive(Default)]
pub(crate) struct Counters {
    pub requests: AtomicU64,
    pub peak_in_flight: AtomicUsize,
    pub injected_faults: AtomicU64,
    pub rate_limited: AtomicU64,
    pub scripted_faults: AtomicU64,
    pub tokens_created: AtomicU64,
}

pub(crate) struct Shared {
    pub store: Store,
    pub keyring: Keyring,
    /// In-flight requests per permission account, indexed by slot.
    in_flight: Vec<AtomicUsize>,
    max_concurrent: usize,
    max_tokens: Option<usize>,
    /// An f64 probability, stored as bits so it can change at run time.
    fail_rate_bits: AtomicU64,
    latency: Option<(Duration, Duration)>,
    random: FastRandom,
    clock_offset_millis: AtomicI64,
    pub counters: Counters,
    /// The `Retry-After` of every 429 and 503, in seconds.
    pub retry_after_seconds: u64,
    pub quirks: Quirks,
    /// Answers to give before anything else, in order.
    pub faults: FaultQueue,
}

/// Holds one of an account's concurrent-request places until dropped.
pub(crate) struct InFlight {
    shared: Arc<Shared>,
    slot: usize,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.shared.in_flight[self.slot].fetch_sub(1, Ordering::AcqRel);
    }
}

pub(crate) struct Knobs {
    pub max_concurrent: usize,
    pub max_tokens: Option<usize>,
    pub fail_rate: f64,
    pub latency: Option<(Duration, Duration)>,
    pub retry_after: Duration,
    pub quirks: Quirks,
}

impl Shared {
    pub(crate) fn new(
        store: Store,
        keyring: Keyring,
        accounts: usize,
        knobs: Knobs,
        random: FastRandom,
    ) -> Self {
        Self {
            store,
            keyring,
            in_flight: (0..accounts).map(|_| AtomicUsize::new(0)).collect(),
            max_concurrent: knobs.max_concurrent,
            max_tokens: knobs.max_tokens,
            fail_rate_bits: AtomicU64::new(knobs.fail_rate.to_bits()),
            latency: knobs.latency,
            random,
            clock_offset_millis: AtomicI64::new(0),
            counters: Counters::default(),
            retry_after_seconds: knobs.retry_after.as_secs(),
            quirks: knobs.quirks,
            faults: FaultQueue::default(),
        }
    }

    /// Takes one of the account's in-flight places, or `None` when all
    /// `max_concurrent` are taken.
    pub(crate) fn enter(self: &Arc<Self>, slot: usize) -> Option<InFlight> {
        let now = self.in_flight[slot].fetch_add(1, Ordering::AcqRel) + 1;
        let guard = InFlight {
            shared: Arc::clone(self),
            slot,
        };
        if now > self.max_concurrent {
            drop(guard);
            self.counters.rate_limited.fetch_add(1, Ordering::Relaxed);
            return None;
        }
        self.counters
            .peak_in_flight
            .fetch_max(now, Ordering::Relaxed);
        Some(guard)
    }

    pub(crate) fn in_flight_now(&self) -> usize {
        self.in_flight
            .iter()
            .map(|count| count.load(Ordering::Acquire))
            .sum()
    }

    pub(crate) fn draw_latency(&self) -> Option<Duration> {
        let (low, high) = self.latency?;
        let millis = |d: Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        Some(Duration::from_millis(
            self.random.between(millis(low), millis(high)),
        ))
    }

    /// Whether this request gets an injected 503.
    pub(crate) fn draw_fault(&self) -> bool {
        let rate = self.fail_rate();
        let fault = rate > 0.0 && self.random.unit() < rate;
        if fault {
            self.counters
                .injected_faults
                .fetch_add(1, Ordering::Relaxed);
        }
        fault
    }

    pub(crate) fn fail_rate(&self) -> f64 {
        f64::from_bits(self.fail_rate_bits.load(Ordering::Relaxed))
    }

    pub(crate) fn set_fail_rate(&self, probability: f64) {
        let clamped = if probability.is_nan() {
            0.0
        } else {
            probability.clamp(0.0, 1.0)
        };
        self.fail_rate_bits
            .store(clamped.to_bits(), Ordering::Relaxed);
    }

    /// The emulator's "now" in milliseconds since the epoch: the system clock
    /// plus however far the tests moved it.
    pub(crate) fn now_millis(&self) -> i64 {
        let system = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        system.saturating_add(self.clock_offset_millis.load(Ordering::Relaxed))
    }

    pub(crate) fn advance_clock(&self, by: Duration) {
        let millis = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        let _ =
            self.clock_offset_millis
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |offset| {
                    Some(offset.saturating_add(millis))
                });
    }

    pub(crate) fn change_context(&self) -> ChangeContext {
        ChangeContext {
            now_millis: self.now_millis(),
            max_tokens: self.max_tokens,
            tokens_expire: !self.quirks.contains(Quirk::NullExpiry),
        }
    }

    /// [`Store::change`] from async code: off the runtime's threads when it
    /// has to wait for the disk.
    pub(crate) async fn change<R, F>(self: &Arc<Self>, slot: usize, change: F) -> Result<R, Failure>
    where
        R: Send + 'static,
        F: FnOnce(&mut Account, &mut IdCounters) -> Result<R, Failure> + Send + 'static,
    {
        if !self.store.is_persistent() {
            return self.store.change(slot, change);
        }
        let shared = Arc::clone(self);
        tokio::task::spawn_blocking(move || shared.store.change(slot, change))
            .await
            .unwrap_or_else(|_| {
                Err(Failure::Unavailable(
                    "the emulator's save task stopped; the change may not have been made".into(),
                ))
            })
    }
}
