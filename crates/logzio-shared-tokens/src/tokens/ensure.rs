//! `tokens().ensure(name)`: get-or-create a token by name, converging its
//! filters and operator; the race rule is [`crate::ensured`]'s.

use std::collections::BTreeSet;

use logzio_shared_tokens_api::types::{FiltersOperator, SharedToken};

use super::{CreateToken, Tokens, filter_list_methods};
use crate::client::awaitable_by_send;
use crate::ensured::{Ensured, delete_own_duplicate};
use crate::ext::SharedTokenExt;
use crate::{Error, OpenEnum};

impl Tokens {
    /// Starts making sure a token named `name` exists with exactly the
    /// filters and the operator given: creates it if it is missing, updates
    /// it if they differ, and says which it did ([`Ensured`](crate::Ensured)). Safe to run at
    /// every start of an application, from several processes at once: see
    /// [`EnsureToken::send`].
    pub fn ensure(&self, name: impl Into<String>) -> EnsureToken {
        EnsureToken {
            create: self.create(name),
        }
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
    /// How the filters must combine. When not set, an existing token keeps
    /// its operator and a new one gets the server's choice (Logz.io documents no
    /// default; the emulator uses `OR`).
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
        self.create.client.tokens()
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
