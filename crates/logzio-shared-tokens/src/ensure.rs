//! `ensure`: converge the account on a declared token or filter, safely from
//! several processes at once.
//!
//! Logz.io keeps names unique for neither tokens nor filters, so callers that
//! start together can each find nothing and each create one. After creating,
//! an `ensure` lists again and lets the lowest id win
//! ([`crate::matching`]); if another caller's record won, it deletes the one
//! it created itself and converges on the winner. It never deletes a record
//! it did not create in the same call.
//!
//! That ends with one record when the server gives later records higher ids,
//! as the emulator does. Logz.io does not document how it assigns ids: this
//! rule and its assumption are ours.

use std::collections::BTreeSet;

use logzio_shared_tokens_api::types::{FiltersOperator, QueryFilter, SharedToken};

use crate::client::awaitable_by_send;
use crate::ext::SharedTokenExt;
use crate::filters::{CreateFilter, Filters};
use crate::matching::filter_matching;
use crate::tokens::{CreateToken, Tokens, filter_list_methods};
use crate::{Error, OpenEnum};

/// What an `ensure` did, with the record as it now is.
#[derive(Clone, Debug, PartialEq)]
#[must_use = "an `ensure` result holds the record it converged on"]
pub enum Ensured<T> {
    /// Nothing matched, so this call created it. A created token carries its
    /// value ([`SharedToken::token`]).
    Created(T),
    /// It existed but differed (a token's filters or operator), and this call
    /// updated it.
    Updated(T),
    /// It existed as declared; nothing was changed.
    Unchanged(T),
}

impl<T> Ensured<T> {
    /// Whether this call created it.
    pub fn was_created(&self) -> bool {
        matches!(self, Self::Created(_))
    }

    /// Whether this call changed the account (created or updated).
    pub fn changed(&self) -> bool {
        !matches!(self, Self::Unchanged(_))
    }

    /// The token or filter, however obtained.
    pub fn into_inner(self) -> T {
        match self {
            Self::Created(value) | Self::Updated(value) | Self::Unchanged(value) => value,
        }
    }

    /// The token or filter, however obtained.
    pub fn get(&self) -> &T {
        match self {
            Self::Created(value) | Self::Updated(value) | Self::Unchanged(value) => value,
        }
    }
}

/// Deletes a duplicate this call created; already gone counts as deleted.
async fn delete_own_duplicate(
    deleted: impl Future<Output = Result<(), Error>>,
) -> Result<(), Error> {
    match deleted.await {
        Ok(()) | Err(Error::NotFound { .. }) => Ok(()),
        Err(error) => Err(error),
    }
}

/// A token `ensure` being built: see [`Tokens::ensure`].
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until `.send().await`"]
pub struct EnsureToken {
    create: CreateToken,
}

filter_list_methods!(EnsureToken, create.filters);

impl EnsureToken {
    pub(crate) fn new(create: CreateToken) -> Self {
        Self { create }
    }

    /// How the filters must combine. When not set, an existing token keeps
    /// its operator and a new one gets the server's default (`OR`).
    pub fn operator(mut self, operator: FiltersOperator) -> Self {
        self.create = self.create.operator(operator);
        self
    }

    /// Whether `token` already has the declared filters (as a set) and
    /// operator (when one was declared).
    fn is_satisfied_by(&self, token: &SharedToken) -> bool {
        let declared: BTreeSet<i32> = self.create.filters.iter().copied().collect();
        let actual: BTreeSet<i32> = token.filter_ids().iter().copied().collect();
        let operator_ok = self
            .create
            .operator
            .is_none_or(|wanted| token.operator() == OpenEnum::Known(wanted));
        declared == actual && operator_ok
    }

    /// Updates `token` to the declared filters and operator if it differs.
    async fn converge(&self, token: SharedToken) -> Result<Ensured<SharedToken>, Error> {
        if self.is_satisfied_by(&token) {
            return Ok(Ensured::Unchanged(token));
        }
        let mut update = self.tokens().update(token.id, &self.create.filters);
        if let Some(operator) = self.create.operator {
            update = update.operator(operator);
        }
        update.send().await.map(Ensured::Updated)
    }

    fn tokens(&self) -> Tokens {
        Tokens::new(self.create.client.clone())
    }

    /// Lists the tokens; updates the one named so if it differs, or creates
    /// it if there is none. After creating, lists again: if a token of the
    /// same name has a lower id (a concurrent caller's), deletes the one just
    /// created and converges on that one instead. Two to four requests.
    ///
    /// The name is checked before anything is sent. A failure after the
    /// creation can leave the created token in place; running `ensure` again
    /// converges on the lowest id but does not delete it.
    pub async fn send(self) -> Result<Ensured<SharedToken>, Error> {
        self.create.body()?;
        let tokens = self.tokens();
        let name = self.create.name.clone();
        if let Some(existing) = tokens.find_by_name(&name).await? {
            return self.converge(existing).await;
        }
        let created = self.create.clone().send().await?;
        match tokens.find_by_name(&name).await? {
            Some(winner) if winner.id < created.id => {
                delete_own_duplicate(tokens.delete(created.id)).await?;
                self.converge(winner).await
            }
            _ => Ok(Ensured::Created(created)),
        }
    }
}

awaitable_by_send!(EnsureToken => Ensured<SharedToken>);

/// A filter `ensure` being built: see [`Filters::ensure`].
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until `.send().await`"]
pub struct EnsureFilter {
    create: CreateFilter,
}

impl EnsureFilter {
    pub(crate) fn new(create: CreateFilter) -> Self {
        Self { create }
    }

    /// The description, used only when the filter is created: the API has
    /// no operation that changes a filter, and the description plays no
    /// part in which filter matches.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.create = self.create.description(description);
        self
    }

    /// Lists the filters and creates `field` = `value` if none matches.
    /// After creating, lists again: if a matching filter has a lower id (a
    /// concurrent caller's), deletes the one just created and returns that
    /// one as [`Ensured::Unchanged`]. One to three requests.
    ///
    /// Field and value are checked before anything is sent.
    pub async fn send(self) -> Result<Ensured<QueryFilter>, Error> {
        self.create.body()?;
        let filters = Filters::new(self.create.client.clone());
        let (field, value) = (self.create.field.clone(), self.create.value.clone());
        if let Some(existing) = filters.find(&field, &value).await? {
            return Ok(Ensured::Unchanged(existing));
        }
        let created = self.create.send().await?;
        let listed = filters.list().await?;
        match filter_matching(&listed, &field, &value) {
            Some(winner) if winner.id < created.id => {
                delete_own_duplicate(filters.delete(created.id)).await?;
                Ok(Ensured::Unchanged(winner.clone()))
            }
            _ => Ok(Ensured::Created(created)),
        }
    }
}

awaitable_by_send!(EnsureFilter => Ensured<QueryFilter>);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ensured_says_what_happened() {
        assert!(Ensured::Created(1).was_created() && Ensured::Created(1).changed());
        assert!(!Ensured::Updated(2).was_created() && Ensured::Updated(2).changed());
        assert!(!Ensured::Unchanged(3).changed());
        assert_eq!(Ensured::Unchanged(3).into_inner(), 3);
        assert_eq!(*Ensured::Updated(2).get(), 2);
    }
}
