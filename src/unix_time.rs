//! Timestamps of shared tokens (`lastUsed`, `expirationDate`), read in every
//! form Logz.io has documented: a number of milliseconds (its description), a
//! number of seconds with a fraction (its example, `1735743699.000000000`), a
//! one-element array of either (its declared type), or a numeric or RFC 3339
//! string. `null` is absence and is handled by the `Option` around the field.
//! See docs/spec-decisions.md.

use std::fmt;

use serde::de::{self, SeqAccess, Visitor};

/// Values at or above this are milliseconds: as seconds they would be past
/// the year 5000, as milliseconds they are after March 1973.
const MILLISECONDS_THRESHOLD: f64 = 1e11;

/// A point in time from the API, normalised to milliseconds since the Unix epoch.
/// Serialises as an integer number of milliseconds (Logz.io's documented unit).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixTime(jiff::Timestamp);

impl UnixTime {
    /// From milliseconds since the Unix epoch; `None` outside jiff's range.
    pub fn from_millis(millis: i64) -> Option<Self> {
        jiff::Timestamp::from_millisecond(millis).ok().map(Self)
    }

    /// From a number in either unit (see the module docs for the rule).
    pub fn from_number(value: f64) -> Option<Self> {
        if !value.is_finite() {
            return None;
        }
        let millis = if value.abs() >= MILLISECONDS_THRESHOLD {
            value
        } else {
            value * 1000.0
        };
        // Rounded to the nearest millisecond, not truncated: the API has no sub-millisecond
        // precision, and seconds times 1000 can land just below the millisecond meant
        // (1.005 s is 1004.999… ms in f64). `as` saturates, and `from_millis` refuses
        // what is outside jiff's range.
        Self::from_millis(millis.round() as i64)
    }

    /// Milliseconds since the Unix epoch.
    pub fn as_millis(&self) -> i64 {
        self.0.as_millisecond()
    }

    /// As a `jiff::Timestamp`, for arithmetic and formatting.
    pub fn timestamp(&self) -> jiff::Timestamp {
        self.0
    }
}

impl From<jiff::Timestamp> for UnixTime {
    fn from(timestamp: jiff::Timestamp) -> Self {
        Self(timestamp)
    }
}

impl fmt::Debug for UnixTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UnixTime({})", self.0)
    }
}

impl fmt::Display for UnixTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl serde::Serialize for UnixTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.as_millis())
    }
}

impl<'de> serde::Deserialize<'de> for UnixTime {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(UnixTimeVisitor)
    }
}

struct UnixTimeVisitor;

impl UnixTimeVisitor {
    fn number<E: de::Error>(value: f64) -> Result<UnixTime, E> {
        UnixTime::from_number(value)
            .ok_or_else(|| E::custom(format!("timestamp {value} is out of range")))
    }
}

impl<'de> Visitor<'de> for UnixTimeVisitor {
    type Value = UnixTime;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Unix time in seconds or milliseconds, a one-element array of one, or an RFC 3339 string")
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<UnixTime, E> {
        Self::number(value as f64)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<UnixTime, E> {
        Self::number(value as f64)
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<UnixTime, E> {
        Self::number(value)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<UnixTime, E> {
        if let Ok(number) = value.trim().parse::<f64>() {
            return Self::number(number);
        }
        value
            .parse::<jiff::Timestamp>()
            .map(UnixTime)
            .map_err(|_| E::invalid_value(de::Unexpected::Str(value), &self))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<UnixTime, A::Error> {
        let Some(first) = seq.next_element::<UnixTime>()? else {
            return Err(de::Error::invalid_length(0, &"one timestamp"));
        };
        if seq.next_element::<de::IgnoredAny>()?.is_some() {
            return Err(de::Error::invalid_length(2, &"one timestamp"));
        }
        Ok(first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<UnixTime, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn every_documented_form_means_the_same_instant() {
        let expected = UnixTime::from_millis(1_735_743_699_000).unwrap();
        for form in [
            "1735743699000",
            "1735743699.000000000",
            "1735743699",
            "[1735743699000]",
            "[1735743699.5]",
            "\"1735743699000\"",
            "\"2025-01-01T15:01:39Z\"",
        ] {
            let parsed = parse(form).unwrap();
            assert_eq!(
                parsed.as_millis() / 1000,
                expected.as_millis() / 1000,
                "{form}"
            );
        }
    }

    #[test]
    fn refuses_what_is_not_a_timestamp() {
        for form in ["[]", "[1, 2]", "\"soon\"", "true", "{}"] {
            assert!(parse(form).is_err(), "{form}");
        }
    }

    #[test]
    fn seconds_with_a_fraction_round_to_the_nearest_millisecond() {
        assert_eq!(UnixTime::from_number(1.005).unwrap().as_millis(), 1005);
        assert_eq!(UnixTime::from_number(1.0006).unwrap().as_millis(), 1001);
        assert_eq!(UnixTime::from_number(1.0004).unwrap().as_millis(), 1000);
    }

    #[test]
    fn serialises_as_milliseconds() {
        let time = UnixTime::from_millis(1_735_743_699_123).unwrap();
        assert_eq!(serde_json::to_string(&time).unwrap(), "1735743699123");
        assert_eq!(time.to_string(), "2025-01-01T15:01:39.123Z");
    }
}
