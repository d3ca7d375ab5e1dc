//! Records made outside the API: in Logz.io's UI, by an older API, or before
//! a rule existed. The API's own rules (the `^[a-zA-Z0-9_@.-]+$` pattern of
//! filters, an expiry on every new token) do not bind them, so a client
//! meets them in lists it did not fill. They reach an account two ways:
//! the `foreign-records` quirk seeds every new account at start (below), and
//! [`crate::Control::add_foreign_filter`] / [`crate::Control::set_operator`]
//! add them one at a time in tests.
//!
//! Nothing here is reachable over HTTP: the API itself still refuses them.

use logzio_shared_tokens_api::SharedTokenValue;
use logzio_shared_tokens_api::types::FiltersOperator;

use crate::EmulatorError;
use crate::accounts::{Account, Failure, IdCounters, StoredToken, World, change, take_id};
use crate::random;

/// The seeded legacy token's `lastUsed`: 1 June 2024, 00:00 UTC, before
/// Logz.io introduced expiry (19 August 2024, per its docs site).
pub(crate) const LEGACY_LAST_USED_MILLIS: i64 = 1_717_200_000_000;

/// The filters the `foreign-records` quirk seeds, as `(field, value, description)`.
/// Each falls outside the API's pattern in its own way.
pub(crate) const SEEDED_FILTERS: [(&str, &str, Option<&str>); 2] = [
    (
        "kubernetes.labels.app name",
        "café: au lait",
        Some("made in the Logz.io UI: a space, a colon and a non-ASCII letter"),
    ),
    ("message", "error OR warn*", None),
];

/// The name of the seeded legacy token.
pub(crate) const SEEDED_TOKEN_NAME: &str = "legacy link (made in the UI before expiry)";

/// Adds a filter without the API's checks; returns the next filter id it got.
pub(crate) fn add_filter(
    account: &mut Account,
    counters: &mut IdCounters,
    field: &str,
    value: &str,
    description: Option<&str>,
) -> Result<i32, Failure> {
    let id = take_id(&mut counters.next_filter_id, "filter")?;
    let filter = change::filter_record(
        id,
        field.to_owned(),
        value.to_owned(),
        description.map(str::to_owned),
    )?;
    account.filters.insert(id, filter);
    Ok(id)
}

/// Seeds the accounts in `slots` (the ones created at this start: an account
/// loaded from a state file keeps what it has).
pub(crate) fn seed_new_accounts(world: &mut World, slots: &[usize]) -> Result<(), EmulatorError> {
    for &slot in slots {
        let value = SharedTokenValue::new(random::shared_token_value()?);
        let World { counters, accounts } = &mut *world;
        seed(&mut accounts[slot], counters, value).map_err(|failure| {
            EmulatorError::InvalidConfig(format!(
                "cannot seed the foreign-records quirk's records: {}",
                failure.message()
            ))
        })?;
    }
    Ok(())
}

/// Seeds a new account: [`SEEDED_FILTERS`], then a legacy token restricted
/// by both with `AND`, used on [`LEGACY_LAST_USED_MILLIS`], never expiring.
fn seed(
    account: &mut Account,
    counters: &mut IdCounters,
    value: SharedTokenValue,
) -> Result<(), Failure> {
    let mut filter_ids = Vec::new();
    for (field, filter_value, description) in SEEDED_FILTERS {
        filter_ids.push(add_filter(
            account,
            counters,
            field,
            filter_value,
            description,
        )?);
    }
    let id = take_id(&mut counters.next_token_id, "token")?;
    let token = StoredToken {
        id,
        name: SEEDED_TOKEN_NAME.to_owned(),
        token: value,
        filters: filter_ids,
        filters_operator: FiltersOperator::And.into(),
        last_used: Some(LEGACY_LAST_USED_MILLIS),
        expiration_date: None,
    };
    account.tokens.insert(id, token);
    Ok(())
}
