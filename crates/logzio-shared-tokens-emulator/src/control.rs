//! Test-only knobs and counters of a running emulator: things the real API
//! cannot do (move time, mark a token used, change fault injection) so that
//! tests of audit-style tools and retry logic can set up their cases.
//! Nothing here is reachable over HTTP.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use logzio_shared_tokens_api::UnixTime;

use crate::EmulatorError;
use crate::runtime::Shared;
use crate::store::Failure;

/// Knobs of a running emulator; cheap to clone.
#[derive(Clone)]
pub struct Control {
    pub(crate) shared: Arc<Shared>,
}

/// Counters since start.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// All requests received, including refused ones and unknown paths.
    pub requests: u64,
    /// Requests being served right now, all accounts (past the auth check).
    pub in_flight: usize,
    /// The highest number of concurrent in-flight requests seen for any one account.
    pub peak_in_flight: usize,
    /// 503s injected by the fail rate.
    pub injected_faults: u64,
    /// 429s from the per-account concurrency limit.
    pub rate_limited: u64,
    /// Successful createToken calls, all accounts.
    pub tokens_created: u64,
}

impl Control {
    /// Moves the emulator's clock forward (affects `expirationDate` of new
    /// tokens, and [`Control::now_millis`]).
    pub fn advance_clock(&self, by: Duration) {
        self.shared.advance_clock(by);
    }

    /// The emulator's current time, in milliseconds since the Unix epoch.
    pub fn now_millis(&self) -> i64 {
        self.shared.now_millis()
    }

    /// Sets a token's `lastUsed` (milliseconds since the epoch; `None` = null).
    /// `api_token` selects the account. Errors if the token id does not exist
    /// there. With a state file, the change is on disk when this returns.
    pub fn set_last_used(
        &self,
        api_token: &str,
        token_id: i32,
        millis: Option<i64>,
    ) -> Result<(), EmulatorError> {
        self.set_timestamp(api_token, token_id, millis, |token, value| {
            token.last_used = value;
        })
    }

    /// Sets a token's `expirationDate` (milliseconds since the epoch; `None`
    /// = never expires). Same rules as [`Control::set_last_used`].
    pub fn set_expiration(
        &self,
        api_token: &str,
        token_id: i32,
        millis: Option<i64>,
    ) -> Result<(), EmulatorError> {
        self.set_timestamp(api_token, token_id, millis, |token, value| {
            token.expiration_date = value;
        })
    }

    /// Changes fault injection at run time; clamped to `[0, 1]`.
    pub fn set_fail_rate(&self, probability: f64) {
        self.shared.set_fail_rate(probability);
    }

    /// The current fault-injection probability.
    pub fn fail_rate(&self) -> f64 {
        self.shared.fail_rate()
    }

    /// The account id the emulator gave to `api_token`'s account.
    pub fn account_id(&self, api_token: &str) -> Result<u32, EmulatorError> {
        let slot = self.slot(api_token)?;
        Ok(self.shared.store.account_id(slot))
    }

    /// Counters since start.
    pub fn stats(&self) -> Stats {
        let counters = &self.shared.counters;
        Stats {
            requests: counters.requests.load(Ordering::Relaxed),
            in_flight: self.shared.in_flight_now(),
            peak_in_flight: counters.peak_in_flight.load(Ordering::Relaxed),
            injected_faults: counters.injected_faults.load(Ordering::Relaxed),
            rate_limited: counters.rate_limited.load(Ordering::Relaxed),
            tokens_created: counters.tokens_created.load(Ordering::Relaxed),
        }
    }

    fn slot(&self, api_token: &str) -> Result<usize, EmulatorError> {
        self.shared
            .keyring
            .account_slot(api_token)
            .ok_or(EmulatorError::UnknownApiToken)
    }

    fn set_timestamp(
        &self,
        api_token: &str,
        token_id: i32,
        millis: Option<i64>,
        apply: impl FnOnce(&mut crate::store::StoredToken, Option<i64>),
    ) -> Result<(), EmulatorError> {
        if let Some(value) = millis
            && UnixTime::from_millis(value).is_none()
        {
            return Err(EmulatorError::TimestampOutOfRange { millis: value });
        }
        let slot = self.slot(api_token)?;
        self.shared
            .store
            .change(slot, |account, _| {
                apply(account.token_mut(token_id)?, millis);
                Ok(())
            })
            .map_err(|failure| match failure {
                Failure::NotFound { account_id, .. } => EmulatorError::UnknownTokenId {
                    token_id,
                    account_id,
                },
                other => EmulatorError::NotSaved(other.message()),
            })
    }
}
