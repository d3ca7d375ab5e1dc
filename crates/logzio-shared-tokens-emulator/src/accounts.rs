//! The emulator's data: accounts with their shared tokens and token filters,
//! the id counters, and the rules every change must obey (ids never reused,
//! filters must exist, the per-account token limit, filters in use cannot be
//! deleted). HTTP knows nothing of this module's internals and this module
//! knows nothing of HTTP: it answers in [`Failure`]s.
//!
//! How changes reach the world safely (locking, durability) is `store.rs` (the type `Store`); what every request shares around it is `shared.rs`.

use std::collections::BTreeMap;
use std::time::Duration;

use logzio_shared_tokens_api::types::{
    CreateSharedTokenRequest, FiltersOperator, QueryFilter, QueryFilterRequest,
    UpdateSharedTokenRequest,
};
use logzio_shared_tokens_api::{OpenEnum, SharedTokenValue};
use serde::{Deserialize, Serialize};

use crate::auth::TokenDigest;

/// How long a new shared token lives: 7 days by default, as Logz.io's
/// documentation site states ("Manage Shared Tokens"; neither spec file says
/// so), and the API has no field to choose.
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// The largest request body accepted; bigger ones answer 413.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Account ids handed to new accounts start above this, so they look like
/// Logz.io's and never collide with a token or filter id in an example.
const FIRST_ACCOUNT_ID: u32 = 100_000;

/// Why an operation was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Failure {
    /// A token or filter id that does not exist in the caller's account.
    NotFound {
        kind: &'static str,
        id: i64,
        account_id: u32,
    },
    /// Any other invalid request: the message says which field and why.
    BadRequest(String),
    /// The change could not be made durable (or the RNG failed); nothing changed.
    Unavailable(String),
    /// The spec asks for something the emulator does not implement yet
    /// (a required field it cannot fill); nothing changed.
    NotEmulated(String),
}

impl Failure {
    pub(crate) fn message(&self) -> String {
        match self {
            Self::NotFound {
                kind,
                id,
                account_id,
            } => format!("{kind} with id {id} not found for account {account_id}"),
            Self::BadRequest(message) | Self::Unavailable(message) | Self::NotEmulated(message) => {
                message.clone()
            }
        }
    }
}

/// A shared token as the emulator keeps it (and writes it to the state file).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StoredToken {
    pub id: i32,
    pub name: String,
    pub token: SharedTokenValue,
    pub filters: Vec<i32>,
    /// Open: a record made outside the API may hold a value the spec does not list.
    pub filters_operator: OpenEnum<FiltersOperator>,
    pub last_used: Option<i64>,
    pub expiration_date: Option<i64>,
}

/// One account: everything one permission API token can see.
#[derive(Clone, Debug)]
pub(crate) struct Account {
    pub id: u32,
    pub key: TokenDigest,
    pub tokens: BTreeMap<i32, StoredToken>,
    pub filters: BTreeMap<i32, QueryFilter>,
}

impl Account {
    fn new(id: u32, key: TokenDigest) -> Self {
        Self {
            id,
            key,
            tokens: BTreeMap::new(),
            filters: BTreeMap::new(),
        }
    }

    fn not_found(&self, kind: &'static str, id: impl Into<i64>) -> Failure {
        Failure::NotFound {
            kind,
            id: id.into(),
            account_id: self.id,
        }
    }

    pub(crate) fn token(&self, id: i32) -> Result<&StoredToken, Failure> {
        self.tokens
            .get(&id)
            .ok_or_else(|| self.not_found("token", id))
    }

    pub(crate) fn token_mut(&mut self, id: i32) -> Result<&mut StoredToken, Failure> {
        let missing = self.not_found("token", id);
        self.tokens.get_mut(&id).ok_or(missing)
    }

    pub(crate) fn filter(&self, id: i32) -> Result<&QueryFilter, Failure> {
        self.filters
            .get(&id)
            .ok_or_else(|| self.not_found("filter", id))
    }

    /// `filters` of a create or update request: unique, and each one existing here.
    fn check_filter_ids(&self, ids: &[i32]) -> Result<(), Failure> {
        for (index, id) in ids.iter().enumerate() {
            if ids[..index].contains(id) {
                return Err(Failure::BadRequest(format!(
                    "filters: filter id {id} is listed twice; the ids must be unique"
                )));
            }
            if !self.filters.contains_key(id) {
                return Err(Failure::BadRequest(format!(
                    "filters: filter with id {id} not found for account {}",
                    self.id
                )));
            }
        }
        Ok(())
    }
}

/// The next ids to hand out. Kept as i64 so "past i32::MAX" is representable;
/// persisted, so ids are never reused across restarts either.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct IdCounters {
    pub next_token_id: i64,
    pub next_filter_id: i64,
}

impl Default for IdCounters {
    fn default() -> Self {
        Self {
            next_token_id: 1,
            next_filter_id: 1,
        }
    }
}

pub(crate) fn take_id(counter: &mut i64, kind: &str) -> Result<i32, Failure> {
    let id = i32::try_from(*counter).map_err(|_| {
        Failure::BadRequest(format!(
            "the emulator has handed out every positive int32 {kind} id; start with a fresh state"
        ))
    })?;
    *counter += 1;
    Ok(id)
}

/// Everything the emulator knows. Slots `0..n` are the configured permission
/// tokens in order; accounts loaded from a state file whose token is no longer
/// configured follow them and are kept (and saved) untouched.
#[derive(Clone, Debug, Default)]
pub(crate) struct World {
    pub counters: IdCounters,
    pub accounts: Vec<Account>,
}

impl World {
    /// Puts the configured permission tokens' accounts in slots `0..n`,
    /// creating the missing ones with fresh account ids; returns the slots
    /// of the accounts it created.
    pub(crate) fn arrange(&mut self, keys: &[TokenDigest]) -> Vec<usize> {
        let mut next_id = self
            .accounts
            .iter()
            .map(|account| account.id)
            .max()
            .unwrap_or(FIRST_ACCOUNT_ID)
            .max(FIRST_ACCOUNT_ID)
            + 1;
        let mut remaining = std::mem::take(&mut self.accounts);
        let mut created = Vec::new();
        for key in keys {
            match remaining.iter().position(|account| &account.key == key) {
                Some(index) => self.accounts.push(remaining.remove(index)),
                None => {
                    created.push(self.accounts.len());
                    self.accounts.push(Account::new(next_id, *key));
                    next_id += 1;
                }
            }
        }
        self.accounts.extend(remaining);
        created
    }
}

/// What a change needs to know besides the account.
pub(crate) struct ChangeContext {
    pub now_millis: i64,
    pub max_tokens: Option<usize>,
    /// Whether new tokens get an expiry; not with the `null-expiry` quirk.
    pub tokens_expire: bool,
}

/// The operations that change an account. Each validates everything before
/// touching anything, so a refused change leaves the account as it was.
pub(crate) mod change {
    use super::*;

    pub(crate) fn create_token(
        account: &mut Account,
        counters: &mut IdCounters,
        context: &ChangeContext,
        request: CreateSharedTokenRequest,
        value: SharedTokenValue,
    ) -> Result<StoredToken, Failure> {
        let filters = request.filters.unwrap_or_default();
        account.check_filter_ids(&filters)?;
        if let Some(limit) = context.max_tokens
            && account.tokens.len() >= limit
        {
            return Err(Failure::BadRequest(format!(
                "account {} already has {limit} shared tokens, its limit; delete one first",
                account.id
            )));
        }
        let id = take_id(&mut counters.next_token_id, "token")?;
        let lifetime = i64::try_from(DEFAULT_TOKEN_LIFETIME.as_millis()).unwrap_or(i64::MAX);
        let token = StoredToken {
            id,
            name: String::from(request.token_name),
            token: value,
            filters,
            filters_operator: request
                .filters_operator
                .unwrap_or(FiltersOperator::Or)
                .into(),
            last_used: None,
            expiration_date: context
                .tokens_expire
                .then(|| context.now_millis.saturating_add(lifetime)),
        };
        account.tokens.insert(id, token.clone());
        Ok(token)
    }

    pub(crate) fn update_token(
        account: &mut Account,
        id: i32,
        request: UpdateSharedTokenRequest,
    ) -> Result<StoredToken, Failure> {
        account.token(id)?;
        account.check_filter_ids(&request.filters)?;
        let token = account.token_mut(id)?;
        token.filters = request.filters;
        if let Some(operator) = request.filters_operator {
            token.filters_operator = operator.into();
        }
        Ok(token.clone())
    }

    pub(crate) fn delete_token(account: &mut Account, id: i32) -> Result<(), Failure> {
        account.token(id)?;
        account.tokens.remove(&id);
        Ok(())
    }

    pub(crate) fn create_filter(
        account: &mut Account,
        counters: &mut IdCounters,
        request: QueryFilterRequest,
    ) -> Result<QueryFilter, Failure> {
        let id = take_id(&mut counters.next_filter_id, "filter")?;
        // `id` is read-only in the spec: whatever the client sent is replaced.
        let filter = filter_record(
            id,
            request.field.to_string(),
            request.value.to_string(),
            request.description,
        )?;
        account.filters.insert(id, filter.clone());
        Ok(filter)
    }

    /// A stored filter, built through the generated builder so that a field
    /// the spec adds later does not break the emulator's build.
    pub(crate) fn filter_record(
        id: i32,
        field: String,
        value: String,
        description: Option<String>,
    ) -> Result<QueryFilter, Failure> {
        QueryFilter::builder()
            .id(id)
            .field(field)
            .value(value)
            .description(description)
            .try_into()
            .map_err(|error| {
                Failure::NotEmulated(format!(
                    "the emulator cannot build this spec's QueryFilter yet: {error}"
                ))
            })
    }

    /// Refuses to delete a filter a token still uses: silently detaching it
    /// would widen what that shared token can read.
    pub(crate) fn delete_filter(account: &mut Account, id: i32) -> Result<(), Failure> {
        account.filter(id)?;
        let users: Vec<String> = account
            .tokens
            .values()
            .filter(|token| token.filters.contains(&id))
            .map(|token| token.id.to_string())
            .collect();
        if !users.is_empty() {
            return Err(Failure::BadRequest(format!(
                "filter with id {id} is attached to shared token(s) {} of account {}; \
                 remove it from them with updateToken first (deleting it would widen what they can read)",
                users.join(", "),
                account.id
            )));
        }
        account.filters.remove(&id);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account() -> (Account, IdCounters) {
        (Account::new(100_001, [7; 32]), IdCounters::default())
    }

    fn context() -> ChangeContext {
        ChangeContext {
            now_millis: 1_000,
            max_tokens: Some(2),
            tokens_expire: true,
        }
    }

    fn filter(field: &str) -> QueryFilterRequest {
        serde_json::from_value(serde_json::json!({"field": field, "value": "v", "id": 999}))
            .unwrap()
    }

    fn create_request(filters: &[i32]) -> CreateSharedTokenRequest {
        serde_json::from_value(serde_json::json!({"tokenName": "t", "filters": filters})).unwrap()
    }

    #[test]
    fn ids_are_never_reused_and_client_ids_are_ignored() {
        let (mut account, mut counters) = account();
        let first = change::create_filter(&mut account, &mut counters, filter("a")).unwrap();
        assert_eq!(first.id, 1);
        change::delete_filter(&mut account, 1).unwrap();
        let second = change::create_filter(&mut account, &mut counters, filter("b")).unwrap();
        assert_eq!(second.id, 2);
    }

    #[test]
    fn token_rules_hold_and_refusals_change_nothing() {
        let (mut account, mut counters) = account();
        let value = || SharedTokenValue::new("v");
        let refused = change::create_token(
            &mut account,
            &mut counters,
            &context(),
            create_request(&[5]),
            value(),
        );
        assert_eq!(
            refused.unwrap_err().message(),
            "filters: filter with id 5 not found for account 100001"
        );
        assert_eq!(counters, IdCounters::default());
        let filter = change::create_filter(&mut account, &mut counters, filter("a")).unwrap();
        let filter_id = filter.id;
        let token = change::create_token(
            &mut account,
            &mut counters,
            &context(),
            create_request(&[filter_id]),
            value(),
        )
        .unwrap();
        assert_eq!(token.filters_operator, FiltersOperator::Or);
        assert_eq!(
            token.expiration_date,
            Some(1_000 + DEFAULT_TOKEN_LIFETIME.as_millis() as i64)
        );
        let in_use = change::delete_filter(&mut account, filter_id).unwrap_err();
        assert!(in_use.message().contains("attached to shared token(s) 1"));
        change::create_token(
            &mut account,
            &mut counters,
            &context(),
            create_request(&[]),
            value(),
        )
        .unwrap();
        let limit = change::create_token(
            &mut account,
            &mut counters,
            &context(),
            create_request(&[]),
            value(),
        );
        assert!(limit.unwrap_err().message().contains("limit"));
        let cleared = change::update_token(
            &mut account,
            token.id,
            UpdateSharedTokenRequest::builder()
                .filters(vec![])
                .try_into()
                .unwrap(),
        )
        .unwrap();
        assert!(cleared.filters.is_empty());
        change::delete_filter(&mut account, filter_id).unwrap();
    }

    #[test]
    fn duplicate_filter_ids_are_refused() {
        let (mut account, mut counters) = account();
        change::create_filter(&mut account, &mut counters, filter("a")).unwrap();
        let error = account.check_filter_ids(&[1, 1]).unwrap_err();
        assert!(error.message().contains("listed twice"));
    }

    #[test]
    fn ids_stop_at_int32_max() {
        let (mut account, _) = account();
        let mut counters = IdCounters {
            next_token_id: 1,
            next_filter_id: i64::from(i32::MAX),
        };
        assert!(change::create_filter(&mut account, &mut counters, filter("a")).is_ok());
        let error = change::create_filter(&mut account, &mut counters, filter("b")).unwrap_err();
        assert!(error.message().contains("every positive int32 filter id"));
    }

    #[test]
    fn arrange_keeps_known_accounts_and_adds_new_ones() {
        let mut world = World::default();
        assert_eq!(world.arrange(&[[1; 32], [2; 32]]), [0, 1]);
        let ids: Vec<u32> = world.accounts.iter().map(|a| a.id).collect();
        assert_eq!(ids, [100_001, 100_002]);
        assert_eq!(world.arrange(&[[2; 32], [3; 32]]), [1]);
        let ids: Vec<u32> = world.accounts.iter().map(|a| a.id).collect();
        assert_eq!(ids, [100_002, 100_003, 100_001]);
    }
}
