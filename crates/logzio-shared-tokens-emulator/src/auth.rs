//! Who is calling: maps an `X-API-TOKEN` value to an account. API tokens are
//! kept only as SHA-256 digests and compared in constant time against every
//! known digest, so neither timing nor memory dumps reveal them, and the state
//! file can name accounts without storing their tokens.

use subtle::{ConditionallySelectable, ConstantTimeEq};

/// SHA-256 of an API token: the account's key in memory and on disk.
pub(crate) type TokenDigest = [u8; 32];

pub(crate) fn digest(api_token: &str) -> TokenDigest {
    hmac_sha256::Hash::hash(api_token.as_bytes())
}

/// What an API token grants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Caller {
    /// A permission token: its account's slot in the store.
    Account(usize),
    /// A valid token whose account lacks the shared-tokens permission.
    NoPermission,
    /// Not an API token the emulator knows.
    Unknown,
}

/// The known API tokens, as digests.
pub(crate) struct Keyring {
    /// Permission tokens; the index is the account's slot in the store.
    permission: Vec<TokenDigest>,
    no_permission: Vec<TokenDigest>,
}

impl Keyring {
    pub(crate) fn new(permission: Vec<TokenDigest>, no_permission: Vec<TokenDigest>) -> Self {
        Self {
            permission,
            no_permission,
        }
    }

    /// Looks the token up, visiting every known digest whatever matches.
    pub(crate) fn identify(&self, api_token: &[u8]) -> Caller {
        let presented: TokenDigest = hmac_sha256::Hash::hash(api_token);
        // Slot numbers are small; u64 lets `conditional_select` pick without branching.
        let mut slot = 0u64;
        let mut is_account = subtle::Choice::from(0);
        for (index, known) in self.permission.iter().enumerate() {
            let matches = known.ct_eq(&presented);
            slot = u64::conditional_select(&slot, &(index as u64), matches);
            is_account |= matches;
        }
        let mut is_no_permission = subtle::Choice::from(0);
        for known in &self.no_permission {
            is_no_permission |= known.ct_eq(&presented);
        }
        if bool::from(is_account) {
            Caller::Account(slot as usize)
        } else if bool::from(is_no_permission) {
            Caller::NoPermission
        } else {
            Caller::Unknown
        }
    }

    /// The slot of a permission token, for the test controls.
    pub(crate) fn account_slot(&self, api_token: &str) -> Option<usize> {
        match self.identify(api_token.as_bytes()) {
            Caller::Account(slot) => Some(slot),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifies_each_kind_of_caller() {
        let keyring = Keyring::new(vec![digest("a"), digest("b")], vec![digest("c")]);
        assert_eq!(keyring.identify(b"a"), Caller::Account(0));
        assert_eq!(keyring.identify(b"b"), Caller::Account(1));
        assert_eq!(keyring.identify(b"c"), Caller::NoPermission);
        assert_eq!(keyring.identify(b"d"), Caller::Unknown);
        assert_eq!(keyring.identify(b""), Caller::Unknown);
        assert_eq!(keyring.account_slot("b"), Some(1));
        assert_eq!(keyring.account_slot("c"), None);
    }
}
