//! `tokens().rotate(id)`: replace a token by a new one that reads exactly
//! the same logs (same filters, same operator) under the same name, then
//! delete the old one.
//!
//! The API has no call that renews a token's value or its expiry, so a
//! rotation is three calls: read the old token, create the replacement,
//! delete the old one. The order is ours and chosen so that a failure never
//! leaves the account without a token: when the delete fails, both exist
//! and [`Error::RotationIncomplete`] names both ids. The new value is
//! returned once by the create; nothing here may log or format it.

use logzio_shared_tokens_api::types::{FiltersOperator, SharedToken};

use super::Tokens;
use crate::client::Client;
use crate::client::awaitable_by_send;
use crate::ext::SharedTokenExt;
use crate::{Error, InputField};

impl Tokens {
    /// Starts replacing token `id` by a new token with the same filters and
    /// operator, then deleting it (`getToken`, `createToken`,
    /// `deleteToken`): see [`RotateToken::send`]. The new token keeps the
    /// old one's name unless [`RotateToken::name`] gives another.
    pub fn rotate(&self, id: i32) -> RotateToken {
        RotateToken {
            client: self.client.clone(),
            id,
            name: None,
            keep_old: false,
        }
    }
}

/// A rotation being built: see [`Tokens::rotate`]. `.send().await` (or
/// `.await`) runs every step; [`Self::prepare`] runs them one at a time.
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until `.send().await`"]
pub struct RotateToken {
    client: Client,
    id: i32,
    name: Option<String>,
    keep_old: bool,
}

impl RotateToken {
    /// The replacement's name; by default the old token's own name, so
    /// whatever finds the token by its name (an `apply` file, `ensure`,
    /// a dashboard set-up script) finds the replacement after the rotation.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Keeps the old token: [`Self::send`] creates the replacement only,
    /// and the old one is left for the caller to delete once the new one is
    /// in use.
    pub fn keep_old(mut self, keep_old: bool) -> Self {
        self.keep_old = keep_old;
        self
    }

    /// Step 1: reads the old token (`getToken`) and decides the
    /// replacement's name and operator. Changes nothing.
    ///
    /// [`Error::InvalidInput`] for [`InputField::TokenName`] if the old
    /// token has no name to keep and [`Self::name`] gave none.
    ///
    /// [`Error::UnknownOperator`] if the old token's operator is one this
    /// client cannot send: a replacement with another operator would read
    /// other logs, so none is made.
    pub async fn prepare(self) -> Result<PreparedRotation, Error> {
        let tokens = self.client.tokens();
        let old = tokens.get(self.id).await?;
        let operator = tokens.sendable_operator(&old)?;
        let name = match self.name {
            Some(name) => name,
            None => match old.name.as_deref().filter(|name| !name.trim().is_empty()) {
                Some(name) => name.to_owned(),
                // Inventing one would hand the account a name nobody chose.
                None => {
                    return Err(Error::invalid(
                        InputField::TokenName,
                        format!(
                            "token {} has no name for its replacement to keep; give the \
                             replacement a name",
                            self.id
                        ),
                    ));
                }
            },
        };
        Ok(PreparedRotation {
            client: self.client,
            old,
            name,
            operator,
        })
    }

    /// Runs every step: reads the old token, creates the replacement, and
    /// deletes the old token unless [`Self::keep_old`].
    ///
    /// An error from the read or the create means the old token is
    /// untouched (after a timed-out create the replacement may exist
    /// anyway; see [`crate::RetryPolicy`]). A failed delete is
    /// [`Error::RotationIncomplete`]: both tokens exist, and the new
    /// token is not returned (get it with [`Tokens::get`] on `new_id`), so
    /// run the steps one at a time ([`Self::prepare`]) to hold the new
    /// value before the delete.
    pub async fn send(self) -> Result<Rotation, Error> {
        let keep_old = self.keep_old;
        let mut rotation = self.prepare().await?.create_replacement().await?;
        if !keep_old {
            rotation.delete_old().await?;
        }
        Ok(rotation)
    }
}

awaitable_by_send!(RotateToken => Rotation);

/// A rotation whose old token has been read: see [`RotateToken::prepare`].
#[derive(Clone, Debug)]
#[must_use = "nothing is created until `.create_replacement().await`"]
pub struct PreparedRotation {
    client: Client,
    /// The token to replace, as read.
    pub old: SharedToken,
    /// The replacement's name.
    pub name: String,
    /// The replacement's operator: the old token's.
    pub operator: FiltersOperator,
}

impl PreparedRotation {
    /// Step 2: creates the replacement (`createToken`) with the old token's
    /// filters and operator. The old token is untouched.
    pub async fn create_replacement(self) -> Result<Rotation, Error> {
        let new = self
            .client
            .tokens()
            .create(self.name.as_str())
            .filters(self.old.filter_ids())
            .operator(self.operator)
            .send()
            .await?;
        Ok(Rotation {
            client: self.client,
            old: self.old,
            new,
            old_deleted: false,
        })
    }
}

/// A rotation whose replacement exists.
#[derive(Clone, Debug)]
pub struct Rotation {
    client: Client,
    /// The replaced token, as read before the replacement was made.
    pub old: SharedToken,
    /// The replacement, with its value ([`SharedToken::token`]).
    pub new: SharedToken,
    old_deleted: bool,
}

impl Rotation {
    /// Whether the old token is gone (deleted by [`Self::delete_old`]).
    pub fn old_deleted(&self) -> bool {
        self.old_deleted
    }

    /// Step 3: deletes the old token (`deleteToken`). Already gone counts
    /// as deleted. On any other failure both tokens exist:
    /// [`Error::RotationIncomplete`] with both ids and the cause.
    pub async fn delete_old(&mut self) -> Result<(), Error> {
        let (old_id, new_id) = (self.old.id, self.new.id);
        match self.client.tokens().delete(old_id).await {
            Ok(()) | Err(Error::NotFound { .. }) => {
                self.old_deleted = true;
                Ok(())
            }
            Err(error) => Err(Error::RotationIncomplete {
                old_id,
                new_id,
                source: Box::new(error),
            }),
        }
    }
}
