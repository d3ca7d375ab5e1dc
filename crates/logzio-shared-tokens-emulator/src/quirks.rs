//! The real world's shapes, on demand: the names of the quirks a user can
//! switch on (`--quirks LIST`, [`crate::Config::quirks`]) and the set that
//! holds them. What each quirk does lives where it acts: the answer shapes
//! in `reshape.rs`, records made outside the API in `foreign.rs`, tokens
//! without expiry in `shared.rs` (where a new token gets its expiry).
//!
//! With no quirk the emulator answers in the clean documented shape; a quirk
//! never changes what the emulator stores or which status it answers, only
//! how an answer looks or which records an account starts with.

use std::fmt;
use std::str::FromStr;

/// One way the real service, its proxies or older accounts differ from the
/// clean documented shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Quirk {
    /// `proxy-errors`: errors look like a proxy's or load balancer's. 429 is
    /// a `text/plain` page; 502, 503 and 504 are `text/html` pages (all keep
    /// `Retry-After`); 401 is an HTML page; 403 has an empty body.
    ProxyErrors,
    /// `filter-ids`: tokens name their filter list `filterIds`, as Logz.io's
    /// original API page shows, instead of `filters`.
    FilterIds,
    /// `seconds-timestamps`: `lastUsed` and `expirationDate` are seconds with
    /// a fraction (`1735743699.5`), as the example of Logz.io's spec, not
    /// milliseconds.
    SecondsTimestamps,
    /// `operator-array`: `filtersOperator` is a one-element array
    /// (`["AND"]`), the type Logz.io's spec declares.
    OperatorArray,
    /// `null-expiry`: tokens are created with `expirationDate: null`, like
    /// every token made before Logz.io introduced expiry (19 August 2024).
    NullExpiry,
    /// `foreign-records`: each new account starts with records made outside
    /// the API: filters whose `field`/`value` fall outside the API's pattern,
    /// and a legacy token (no expiry, used before) restricted by them.
    ForeignRecords,
    /// `unknown-fields`: every JSON object answered (tokens, filters, error
    /// bodies) carries extra fields the spec does not declare.
    UnknownFields,
}

impl Quirk {
    /// Every quirk, in the order `--help` lists them.
    pub const ALL: [Quirk; 7] = [
        Quirk::ProxyErrors,
        Quirk::FilterIds,
        Quirk::SecondsTimestamps,
        Quirk::OperatorArray,
        Quirk::NullExpiry,
        Quirk::ForeignRecords,
        Quirk::UnknownFields,
    ];

    /// The name used by `--quirks`.
    pub fn name(self) -> &'static str {
        match self {
            Quirk::ProxyErrors => "proxy-errors",
            Quirk::FilterIds => "filter-ids",
            Quirk::SecondsTimestamps => "seconds-timestamps",
            Quirk::OperatorArray => "operator-array",
            Quirk::NullExpiry => "null-expiry",
            Quirk::ForeignRecords => "foreign-records",
            Quirk::UnknownFields => "unknown-fields",
        }
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

impl fmt::Display for Quirk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Quirk {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let name = text.trim();
        Quirk::ALL
            .into_iter()
            .find(|quirk| quirk.name().eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                let known: Vec<&str> = Quirk::ALL.iter().map(|q| q.name()).collect();
                format!(
                    "`{name}` is not a quirk; the quirks are {}, `all` and `none`",
                    known.join(", ")
                )
            })
    }
}

/// A set of [`Quirk`]s; empty (the default) is the clean documented shape.
///
/// ```
/// use logzio_shared_tokens_emulator::{Quirk, Quirks};
///
/// let quirks: Quirks = "proxy-errors,operator-array".parse()?;
/// assert!(quirks.contains(Quirk::OperatorArray));
/// assert_eq!(quirks.to_string(), "proxy-errors,operator-array");
/// assert_eq!("all".parse::<Quirks>()?, Quirks::all());
/// # Ok::<(), String>(())
/// ```
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Quirks(u16);

impl Quirks {
    /// No quirk: the clean documented shape.
    pub fn none() -> Self {
        Self(0)
    }

    /// Every quirk at once.
    pub fn all() -> Self {
        Quirk::ALL.into_iter().collect()
    }

    /// This set plus `quirk`.
    pub fn with(self, quirk: Quirk) -> Self {
        Self(self.0 | quirk.bit())
    }

    /// Whether `quirk` is on.
    pub fn contains(self, quirk: Quirk) -> bool {
        self.0 & quirk.bit() != 0
    }

    /// Whether no quirk is on.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The quirks that are on, in [`Quirk::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Quirk> {
        Quirk::ALL
            .into_iter()
            .filter(move |quirk| self.contains(*quirk))
    }
}

impl FromIterator<Quirk> for Quirks {
    fn from_iter<I: IntoIterator<Item = Quirk>>(quirks: I) -> Self {
        quirks.into_iter().fold(Quirks::none(), Quirks::with)
    }
}

impl From<Quirk> for Quirks {
    fn from(quirk: Quirk) -> Self {
        Quirks::none().with(quirk)
    }
}

/// Comma-separated names, `all` for every quirk; `none` or an empty list is
/// no quirk.
impl FromStr for Quirks {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let mut quirks = Quirks::none();
        for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            quirks = if name.eq_ignore_ascii_case("all") {
                Quirks::all()
            } else if name.eq_ignore_ascii_case("none") {
                quirks
            } else {
                quirks.with(name.parse()?)
            };
        }
        Ok(quirks)
    }
}

/// The `--quirks` form: comma-separated names, `none` when empty.
impl fmt::Display for Quirks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("none");
        }
        let names: Vec<&str> = self.iter().map(Quirk::name).collect();
        f.write_str(&names.join(","))
    }
}

impl fmt::Debug for Quirks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Quirks({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_all_means_every_quirk() {
        for quirk in Quirk::ALL {
            assert_eq!(quirk.name().parse::<Quirk>(), Ok(quirk));
            let alone = Quirks::from(quirk);
            assert_eq!(alone.to_string().parse::<Quirks>(), Ok(alone));
        }
        let all: Quirks = " all ".parse().unwrap();
        assert_eq!(all.iter().count(), Quirk::ALL.len());
        assert_eq!(all.to_string().parse::<Quirks>(), Ok(all));
        assert_eq!("".parse::<Quirks>(), Ok(Quirks::none()));
        assert_eq!(Quirks::none().to_string(), "none");
        assert_eq!("none".parse::<Quirks>(), Ok(Quirks::none()));
    }

    #[test]
    fn an_unknown_name_is_refused_with_the_known_ones() {
        let error = "proxy-errors,typo".parse::<Quirks>().unwrap_err();
        assert!(error.contains("`typo`"), "{error}");
        assert!(error.contains("unknown-fields"), "{error}");
    }
}
