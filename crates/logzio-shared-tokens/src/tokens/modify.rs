//! `tokens().modify(id)`: change a token's filters or operator partly
//! (attach some, detach some, keep the rest and the operator).
//!
//! Logz.io documents `updateToken` as a `PUT` whose required `filters` is
//! the list of filters to attach (`[]` detaches them all) and documents no
//! call that adds or removes one filter (`logzio-public-api.yml`,
//! `updateToken` and `UpdateSharedTokenRequest`). So a partial change is
//! read-then-write: it reads the token, computes the new list here, and
//! writes the whole list back. It is not atomic: an edit another client
//! makes between the read and the write is overwritten. Keeping the
//! operator when none is given is our choice (Logz.io does not say what a
//! `PUT` without one does), so the current operator is always sent back.

use std::borrow::Borrow;

use logzio_shared_tokens_api::types::{FiltersOperator, SharedToken};

use super::{Tokens, add_filter_ids};
use crate::Error;
use crate::client::Client;
use crate::client::awaitable_by_send;
use crate::ext::SharedTokenExt;

impl Tokens {
    /// Starts a partial update of token `id`: attach filters
    /// ([`ModifyToken::add_filters`]), detach some
    /// ([`ModifyToken::remove_filters`]), change the operator; what is not
    /// mentioned is kept. Read-then-write (`getToken`, then `updateToken`),
    /// not atomic: see [`ModifyToken::send`]. To send a complete list, use
    /// [`Self::update`].
    pub fn modify(&self, id: i32) -> ModifyToken {
        ModifyToken {
            client: self.client.clone(),
            id,
            start: None,
            edits: Vec::new(),
            operator: None,
        }
    }
}

/// One edit of the filter list, applied in the order given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FilterEdit {
    Attach(i32),
    Detach(i32),
}

/// A partial token update being built: see [`Tokens::modify`].
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until `.send().await`"]
pub struct ModifyToken {
    client: Client,
    id: i32,
    /// The list the edits start from: `None` for the token's current filters.
    start: Option<Vec<i32>>,
    edits: Vec<FilterEdit>,
    operator: Option<FiltersOperator>,
}

impl ModifyToken {
    /// Attaches filter `id` (kept where it is if already attached).
    pub fn add_filter(self, id: i32) -> Self {
        self.add_filters([id])
    }

    /// Attaches the filters `ids`, in order, after those already there.
    pub fn add_filters(mut self, ids: impl IntoIterator<Item = impl Borrow<i32>>) -> Self {
        let ids = ids.into_iter().map(|id| FilterEdit::Attach(*id.borrow()));
        self.edits.extend(ids);
        self
    }

    /// Detaches filter `id` (nothing happens if it is not attached).
    pub fn remove_filter(self, id: i32) -> Self {
        self.remove_filters([id])
    }

    /// Detaches the filters `ids`. An edit given later wins: `.remove_filter(7)
    /// .add_filter(7)` ends with 7 attached, the other order without it.
    pub fn remove_filters(mut self, ids: impl IntoIterator<Item = impl Borrow<i32>>) -> Self {
        let ids = ids.into_iter().map(|id| FilterEdit::Detach(*id.borrow()));
        self.edits.extend(ids);
        self
    }

    /// Starts from `ids` instead of the token's current filters, dropping
    /// the edits given so far; later `add_`/`remove_` calls apply to this
    /// list. An empty list means a token that can read every log of the
    /// account. (With an operator too, this is [`Tokens::update`].)
    pub fn set_filters(mut self, ids: impl IntoIterator<Item = impl Borrow<i32>>) -> Self {
        let mut list = Vec::new();
        add_filter_ids(&mut list, ids);
        self.start = Some(list);
        self.edits.clear();
        self
    }

    /// How the filters combine; the token's current operator when not set.
    pub fn operator(mut self, operator: FiltersOperator) -> Self {
        self.operator = Some(operator);
        self
    }

    /// The new filter list: the start list with the edits applied in order.
    fn filters_from(&self, current: &[i32]) -> Vec<i32> {
        let mut list = self.start.clone().unwrap_or_else(|| current.to_vec());
        for edit in &self.edits {
            match *edit {
                FilterEdit::Attach(id) => add_filter_ids(&mut list, [id]),
                FilterEdit::Detach(id) => list.retain(|kept| *kept != id),
            }
        }
        list
    }

    fn changes_nothing(&self) -> bool {
        self.start.is_none() && self.edits.is_empty() && self.operator.is_none()
    }

    /// Reads the token (unless both the whole list and the operator were
    /// given), applies the edits, and writes the complete list and the
    /// operator back (`getToken`, then `updateToken`). Returns the token as
    /// the server answered the write.
    ///
    /// - Not atomic: an edit made by someone else between the read and the
    ///   write is lost (the API offers no conditional update).
    /// - [`Error::NotFound`] if the token does not exist, also when it is
    ///   deleted between the read and the write; nothing is created then.
    /// - [`Error::UnknownOperator`] if no operator was given and the token
    ///   has one this client cannot send; nothing is written then.
    /// - Nothing to change (no edit, list or operator given): only reads.
    pub async fn send(self) -> Result<SharedToken, Error> {
        let tokens = self.client.tokens();
        let (filters, operator) = match (&self.start, self.operator) {
            (Some(start), Some(operator)) => (self.filters_from(start), operator),
            (_, operator) => {
                let token = tokens.get(self.id).await?;
                if self.changes_nothing() {
                    return Ok(token);
                }
                let operator = match operator {
                    Some(operator) => operator,
                    None => tokens.sendable_operator(&token)?,
                };
                (self.filters_from(token.filter_ids()), operator)
            }
        };
        tokens
            .update(self.id, filters)
            .operator(operator)
            .send()
            .await
    }
}

awaitable_by_send!(ModifyToken => SharedToken);

#[cfg(test)]
mod tests {
    use super::*;

    fn modify() -> ModifyToken {
        let client = crate::ClientBuilder::for_emulator("http://127.0.0.1:9", "t")
            .build()
            .unwrap();
        client.tokens().modify(1)
    }

    #[test]
    fn edits_apply_in_the_order_given() {
        let add = modify().add_filters([3, 1]);
        assert_eq!(add.filters_from(&[1, 2]), [1, 2, 3]);
        let readd = modify().remove_filter(2).add_filter(2);
        assert_eq!(readd.filters_from(&[2, 5]), [5, 2]);
        let removed = modify().add_filter(2).remove_filter(2);
        assert_eq!(removed.filters_from(&[5]), [5]);
    }

    #[test]
    fn set_filters_replaces_the_start_and_drops_earlier_edits() {
        let set = modify()
            .add_filter(9)
            .set_filters([7, 8, 7])
            .remove_filter(8)
            .operator(FiltersOperator::And);
        assert_eq!(set.filters_from(&[1]), [7]);
        let cleared = modify().set_filters(Vec::<i32>::new());
        assert!(cleared.filters_from(&[1, 2]).is_empty());
        assert!(!cleared.changes_nothing() && modify().changes_nothing());
    }
}
