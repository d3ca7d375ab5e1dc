//! Accessors that give one answer whatever form the server used: filter ids
//! from `filters`, legacy `filterIds` or `null`; timestamps as
//! `jiff::Timestamp` whatever unit or shape arrived (the generated
//! `UnixTime` already normalises those).
//!
//! Extension traits on the generated types: this module must never
//! re-declare them, and never expose a token value.

use logzio_shared_tokens_api::OpenEnum;
use logzio_shared_tokens_api::types::{FiltersOperator, SharedToken};

/// How long after its creation Logz.io lets a new shared token expire. The
/// API has no field to choose another lifetime; Logz.io's UI can.
pub const DEFAULT_TOKEN_LIFETIME: jiff::SignedDuration = jiff::SignedDuration::from_hours(7 * 24);

/// Tokens created before 19 August 2024 are Logz.io's legacy tokens: they
/// never expire (`expirationDate: null`). Logz.io gives the day only; taking
/// its start in UTC is our choice.
pub const LEGACY_TOKENS_CREATED_BEFORE: jiff::Timestamp =
    jiff::Timestamp::constant(1_724_025_600, 0);

/// Accessors for [`SharedToken`] that hide the API's inconsistent shapes.
///
/// ```
/// use logzio_shared_tokens::SharedTokenExt;
/// use logzio_shared_tokens::types::SharedToken;
///
/// let legacy: SharedToken = serde_json::from_str(r#"{"id": 1, "filterIds": [7], "lastUsed": [1735743699]}"#)?;
/// assert_eq!(legacy.filter_ids(), [7]);
/// assert_eq!(legacy.last_used().unwrap().to_string(), "2025-01-01T15:01:39Z");
/// # Ok::<(), serde_json::Error>(())
/// ```
pub trait SharedTokenExt {
    /// The ids of the attached filters: `filters`, else the legacy
    /// `filterIds`, else none (`null` or absent).
    fn filter_ids(&self) -> &[i32];

    /// When the token was last used; `None` if never.
    fn last_used(&self) -> Option<jiff::Timestamp>;

    /// When the token expires; `None` if it never does.
    fn expires_at(&self) -> Option<jiff::Timestamp>;

    /// How the filters combine; `OR` when not sent (our reading: Logz.io
    /// documents no default, its examples say `OR`, and the emulator uses it).
    /// A value this client does not know is kept as sent
    /// ([`OpenEnum::Unknown`]); compare with `== FiltersOperator::And`.
    fn operator(&self) -> OpenEnum<FiltersOperator>;

    /// When the token was created, as well as the API lets one tell: it
    /// reports no creation time, so this is our estimate, on our assumptions.
    /// A token that expires is taken to have been created
    /// [`DEFAULT_TOKEN_LIFETIME`] before its expiry: Logz.io's default, and the
    /// API has no field to choose another, but an admin can set another
    /// expiration in Logz.io's UI, and then the estimate is wrong. A token that
    /// never expires is taken for a legacy one (Logz.io documents that legacy
    /// tokens never expire, not that only they do), and
    /// [`LEGACY_TOKENS_CREATED_BEFORE`] is returned.
    fn estimated_creation(&self) -> jiff::Timestamp {
        match self.expires_at() {
            // Out of range only near the year -9999: the earliest instant.
            Some(expiry) => expiry
                .checked_sub(DEFAULT_TOKEN_LIFETIME)
                .unwrap_or(jiff::Timestamp::MIN),
            None => LEGACY_TOKENS_CREATED_BEFORE,
        }
    }

    /// Whether the token has expired at `now`.
    fn is_expired_at(&self, now: jiff::Timestamp) -> bool {
        self.expires_at().is_some_and(|expiry| expiry <= now)
    }
}

impl SharedTokenExt for SharedToken {
    fn filter_ids(&self) -> &[i32] {
        self.filters
            .as_deref()
            .or(self.filter_ids.as_deref())
            .unwrap_or(&[])
    }

    fn last_used(&self) -> Option<jiff::Timestamp> {
        self.last_used.map(|time| time.timestamp())
    }

    fn expires_at(&self) -> Option<jiff::Timestamp> {
        self.expiration_date.map(|time| time.timestamp())
    }

    fn operator(&self) -> OpenEnum<FiltersOperator> {
        self.filters_operator
            .clone()
            .unwrap_or(OpenEnum::Known(FiltersOperator::Or))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A token read from `json`, with an id (every response record has one).
    fn token(json: &str) -> SharedToken {
        let mut value: serde_json::Value = serde_json::from_str(json).unwrap();
        value["id"] = 1.into();
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn filter_ids_prefer_filters_then_legacy_then_empty() {
        assert_eq!(
            token(r#"{"filters":[1,2],"filterIds":[9]}"#).filter_ids(),
            [1, 2]
        );
        assert_eq!(
            token(r#"{"filters":null,"filterIds":[9]}"#).filter_ids(),
            [9]
        );
        assert!(token(r#"{"filters":null}"#).filter_ids().is_empty());
        assert!(token("{}").filter_ids().is_empty());
    }

    #[test]
    fn timestamps_and_operator() {
        let t = token(
            r#"{"lastUsed":1735743699000,"expirationDate":"1735743699.000000000","filtersOperator":"AND"}"#,
        );
        assert_eq!(t.last_used(), t.expires_at());
        assert_eq!(t.operator(), FiltersOperator::And);
        assert!(t.is_expired_at(jiff::Timestamp::now()));
        assert_eq!(
            t.estimated_creation(),
            t.expires_at().unwrap() - DEFAULT_TOKEN_LIFETIME
        );
        let never = token(r#"{"lastUsed":null}"#);
        assert_eq!(never.estimated_creation(), LEGACY_TOKENS_CREATED_BEFORE);
        assert_eq!(
            LEGACY_TOKENS_CREATED_BEFORE.to_string(),
            "2024-08-19T00:00:00Z"
        );
        assert_eq!(never.last_used(), None);
        assert_eq!(never.operator(), FiltersOperator::Or);
        assert!(!never.is_expired_at(jiff::Timestamp::now()));
    }
}
