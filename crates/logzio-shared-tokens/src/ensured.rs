//! What an `ensure` did ([`Ensured`]): shared by
//! [`Tokens::ensure`](crate::Tokens::ensure) and
//! [`Filters::ensure`](crate::Filters::ensure).
//!
//! `ensure` converges the account on a declared token or filter, safely
//! from several processes at once.
//!
//! Logz.io documents neither token names nor filter field/value pairs as
//! unique, so we assume the API accepts duplicates: callers that start
//! together can each find nothing and each create one. After creating,
//! an `ensure` lists again and lets the lowest id win
//! ([`crate::matching`]); if another caller's record won, it deletes the one
//! it created itself and converges on the winner. It never deletes a record
//! it did not create in the same call.
//!
//! That ends with one record when the server gives later records higher ids,
//! as the emulator does. Logz.io does not document how it assigns ids: this
//! rule and its assumption are ours.

use crate::Error;

/// What an `ensure` did, with the record as it now is.
#[derive(Clone, Debug, PartialEq)]
#[must_use = "an `ensure` result holds the record it converged on"]
pub enum Ensured<T> {
    /// Nothing matched, so this call created it. A created token carries its
    /// value ([`SharedToken::token`](crate::SharedToken::token)).
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
pub(crate) async fn delete_own_duplicate(
    deleted: impl Future<Output = Result<(), Error>>,
) -> Result<(), Error> {
    match deleted.await {
        Ok(()) | Err(Error::NotFound { .. }) => Ok(()),
        Err(error) => Err(error),
    }
}

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
