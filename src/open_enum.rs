//! How responses carry a string enum of the spec: a known value, or any other
//! string kept exactly as sent (an account may hold values this client has
//! never seen). Requests use the strict enum itself.
//!
//! It must never refuse a string, and never turn an unknown value into a
//! known one.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A value of the strict enum `E` as a response carried it.
///
/// Reads a string (or the one-element array of a string that Logz.io's spec
/// declares for `filtersOperator`); writes the string back as it came, so an
/// unknown value round-trips.
///
/// ```
/// use logzio_shared_tokens_api::OpenEnum;
/// use logzio_shared_tokens_api::types::FiltersOperator;
///
/// let and: OpenEnum<FiltersOperator> = serde_json::from_str(r#"["AND"]"#)?;
/// assert_eq!(and, FiltersOperator::And);
/// let other: OpenEnum<FiltersOperator> = serde_json::from_str(r#""NOT""#)?;
/// assert_eq!(other.known(), None);
/// assert_eq!(other.to_string(), "NOT");
/// assert_eq!(serde_json::to_string(&other)?, r#""NOT""#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum OpenEnum<E> {
    /// One of the values the spec lists.
    Known(E),
    /// A value the spec does not list, exactly as the server sent it.
    Unknown(String),
}

impl<E> OpenEnum<E> {
    /// The known value, if it is one.
    pub fn known(&self) -> Option<&E> {
        match self {
            Self::Known(value) => Some(value),
            Self::Unknown(_) => None,
        }
    }
}

impl<E: FromStr> OpenEnum<E> {
    /// Classifies `text`: a known value of `E`, or kept as sent.
    pub fn parse(text: &str) -> Self {
        match text.parse() {
            Ok(known) => Self::Known(known),
            Err(_) => Self::Unknown(text.to_owned()),
        }
    }
}

impl<E> From<E> for OpenEnum<E> {
    fn from(known: E) -> Self {
        Self::Known(known)
    }
}

impl<E: PartialEq> PartialEq<E> for OpenEnum<E> {
    fn eq(&self, other: &E) -> bool {
        self.known() == Some(other)
    }
}

impl<E: fmt::Display> fmt::Display for OpenEnum<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Known(value) => value.fmt(f),
            Self::Unknown(text) => f.write_str(text),
        }
    }
}

impl<E: Serialize> Serialize for OpenEnum<E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Known(value) => value.serialize(serializer),
            Self::Unknown(text) => serializer.serialize_str(text),
        }
    }
}

impl<'de, E: FromStr> Deserialize<'de> for OpenEnum<E> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(OpenEnumVisitor(std::marker::PhantomData))
    }
}

struct OpenEnumVisitor<E>(std::marker::PhantomData<E>);

impl<'de, E: FromStr> Visitor<'de> for OpenEnumVisitor<E> {
    type Value = OpenEnum<E>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, or an array of exactly one string")
    }

    fn visit_str<Er: de::Error>(self, text: &str) -> Result<Self::Value, Er> {
        Ok(OpenEnum::parse(text))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let Some(only) = seq.next_element::<OneString>()? else {
            return Err(de::Error::invalid_length(0, &self));
        };
        if seq.next_element::<de::IgnoredAny>()?.is_some() {
            return Err(de::Error::invalid_length(2, &self));
        }
        Ok(OpenEnum::parse(&only.0))
    }
}

/// One string element, borrowed or not.
struct OneString(String);

impl<'de> Deserialize<'de> for OneString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(OneString)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::FiltersOperator;

    type Operator = OpenEnum<FiltersOperator>;

    #[test]
    fn reads_strings_and_one_element_arrays() {
        let read = |json: &str| serde_json::from_str::<Operator>(json);
        assert_eq!(read(r#""OR""#).unwrap(), FiltersOperator::Or);
        assert_eq!(read(r#"["AND"]"#).unwrap(), FiltersOperator::And);
        assert_eq!(
            read(r#"["XOR"]"#).unwrap(),
            OpenEnum::Unknown("XOR".to_owned())
        );
        assert_eq!(read(r#""or""#).unwrap(), OpenEnum::Unknown("or".to_owned()));
        assert!(read("[]").is_err());
        assert!(read(r#"["OR","AND"]"#).is_err());
        assert!(read("7").is_err());
    }

    #[test]
    fn writes_back_what_it_read() {
        for json in [r#""OR""#, r#""AND""#, r#""something new""#] {
            let value: Operator = serde_json::from_str(json).unwrap();
            assert_eq!(serde_json::to_string(&value).unwrap(), json);
        }
    }
}
