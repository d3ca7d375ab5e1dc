//! Test-only knobs and counters of a running emulator: things the real API
//! cannot do (move time, mark a token used, change fault injection, script
//! the next answers, add records made outside the API) so that tests of
//! audit-style tools, retry logic and tolerant readers can set up their
//! cases. Nothing here is reachable over HTTP.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use logzio_shared_tokens_api::UnixTime;

use crate::accounts::{Account, Failure, IdCounters};
use crate::shared::Shared;
use crate::{EmulatorError, Fault, foreign};

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
    /// Scripted faults answered ([`Control::fail_next`], `--fail-first`).
    pub scripted_faults: u64,
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

    /// The next `count` requests, after those already scripted, answer
    /// `fault` — before authentication, on any path, changing nothing, as a
    /// proxy in front of the API would — then the emulator answers normally.
    /// Deterministic, unlike [`Control::set_fail_rate`]:
    ///
    /// ```no_run
    /// # use logzio_shared_tokens_emulator::{Emulator, Fault};
    /// # fn doc(emulator: &Emulator) -> Result<(), Box<dyn std::error::Error>> {
    /// emulator.control().fail_next(2, Fault::html(503))?; // two load-balancer pages, then normal
    /// # Ok(()) }
    /// ```
    ///
    /// Errors if `fault`'s status is not 400 to 599.
    pub fn fail_next(&self, count: usize, fault: Fault) -> Result<(), EmulatorError> {
        self.shared
            .faults
            .push(count, fault)
            .map_err(EmulatorError::InvalidFault)
    }

    /// Scripted answers not given yet.
    pub fn pending_faults(&self) -> usize {
        self.shared.faults.pending()
    }

    /// Drops the scripted answers not given yet.
    pub fn clear_faults(&self) {
        self.shared.faults.clear();
    }

    /// Adds a filter as if made outside the API (in Logz.io's UI, or by an
    /// older API): `field` and `value` are taken as they are, even outside
    /// the `^[a-zA-Z0-9_@.-]+$` pattern the API enforces. Returns its id.
    /// With a state file, it is on disk when this returns.
    pub fn add_foreign_filter(
        &self,
        api_token: &str,
        field: &str,
        value: &str,
        description: Option<&str>,
    ) -> Result<i32, EmulatorError> {
        let slot = self.slot(api_token)?;
        self.change(slot, None, |account, counters| {
            foreign::add_filter(account, counters, field, value, description)
        })
    }

    /// Sets a token's `filtersOperator` to any string, including one the
    /// spec does not list (as a newer Logz.io might send). Same rules as
    /// [`Control::set_last_used`].
    pub fn set_operator(
        &self,
        api_token: &str,
        token_id: i32,
        operator: &str,
    ) -> Result<(), EmulatorError> {
        let slot = self.slot(api_token)?;
        self.change(slot, Some(token_id), |account, _| {
            account.token_mut(token_id)?.filters_operator =
                logzio_shared_tokens_api::OpenEnum::parse(operator);
            Ok(())
        })
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
            scripted_faults: counters.scripted_faults.load(Ordering::Relaxed),
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
        apply: impl FnOnce(&mut crate::accounts::StoredToken, Option<i64>),
    ) -> Result<(), EmulatorError> {
        if let Some(value) = millis
            && UnixTime::from_millis(value).is_none()
        {
            return Err(EmulatorError::TimestampOutOfRange { millis: value });
        }
        let slot = self.slot(api_token)?;
        self.change(slot, Some(token_id), |account, _| {
            apply(account.token_mut(token_id)?, millis);
            Ok(())
        })
    }

    /// A change to the account in `slot` that may address `token_id`; its
    /// failures as [`EmulatorError`]s.
    fn change<R>(
        &self,
        slot: usize,
        token_id: Option<i32>,
        change: impl FnOnce(&mut Account, &mut IdCounters) -> Result<R, Failure>,
    ) -> Result<R, EmulatorError> {
        self.shared
            .store
            .change(slot, change)
            .map_err(|failure| match (failure, token_id) {
                (Failure::NotFound { account_id, .. }, Some(token_id)) => {
                    EmulatorError::UnknownTokenId {
                        token_id,
                        account_id,
                    }
                }
                (other, _) => EmulatorError::NotSaved(other.message()),
            })
    }
}
