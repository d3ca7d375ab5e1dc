//! The shared token value: the one field of the API that is a credential.
//! The spec marks it `format: password` and the pipeline maps that format here,
//! so no generated `Debug` can print it.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq;

/// A shared token's secret value. `Debug` and `Display` print `[redacted]`;
/// read it with [`SharedTokenValue::expose_secret`], and only to hand it over.
#[derive(Clone)]
pub struct SharedTokenValue(SecretString);

impl SharedTokenValue {
    /// Wraps a token value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(SecretString::from(value.into()))
    }

    /// The token value itself. Every call site is a place where it can leak: keep them few.
    pub fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }

    /// A form safe to show: the last four characters behind an ellipsis
    /// (`…a1b2`), or `…` alone for values too short to hide anything.
    pub fn masked(&self) -> String {
        let value = self.expose_secret();
        let count = value.chars().count();
        if count < 16 {
            return "…".to_owned();
        }
        let tail: String = value.chars().skip(count - 4).collect();
        format!("…{tail}")
    }
}

impl fmt::Debug for SharedTokenValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SharedTokenValue([redacted])")
    }
}

impl fmt::Display for SharedTokenValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl PartialEq for SharedTokenValue {
    fn eq(&self, other: &Self) -> bool {
        self.expose_secret()
            .as_bytes()
            .ct_eq(other.expose_secret().as_bytes())
            .into()
    }
}

impl Eq for SharedTokenValue {}

impl serde::Serialize for SharedTokenValue {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose_secret())
    }
}

impl<'de> serde::Deserialize<'de> for SharedTokenValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}

impl From<String> for SharedTokenValue {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_value() {
        let value = SharedTokenValue::new("0123456789abcdef-secret-tail");
        assert!(!format!("{value:?}").contains("secret"));
        assert!(!format!("{value}").contains("secret"));
        assert_eq!(value.masked(), "…tail");
    }

    #[test]
    fn round_trips_through_json_and_compares_by_value() {
        let value: SharedTokenValue = serde_json::from_str("\"abc\"").unwrap();
        assert_eq!(value.expose_secret(), "abc");
        assert_eq!(serde_json::to_string(&value).unwrap(), "\"abc\"");
        assert_eq!(value, SharedTokenValue::new("abc"));
        assert_ne!(value, SharedTokenValue::new("abd"));
        assert_eq!(SharedTokenValue::new("short").masked(), "…");
    }
}
