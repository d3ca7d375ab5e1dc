//! Logz.io regions: each account lives in one, and its region decides the
//! API host. It must never invent a host outside Logz.io's published list.

use std::fmt;

/// A Logz.io region: the account's region decides the API host.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Region {
    /// US East (Northern Virginia): `https://api.logz.io`.
    Us,
    /// Asia Pacific (Sydney): `https://api-au.logz.io`.
    Au,
    /// Canada (Central): `https://api-ca.logz.io`.
    Ca,
    /// Europe (Frankfurt): `https://api-eu.logz.io`.
    Eu,
    /// Europe (Netherlands): `https://api-nl.logz.io`.
    Nl,
    /// Europe (London): `https://api-uk.logz.io`.
    Uk,
    /// West US 2 (Washington): `https://api-wa.logz.io`.
    Wa,
}

impl Region {
    /// Every region, in the order Logz.io lists them.
    pub const ALL: [Region; 7] = [
        Region::Us,
        Region::Au,
        Region::Ca,
        Region::Eu,
        Region::Nl,
        Region::Uk,
        Region::Wa,
    ];

    /// The region's code: `us`, `au`, `ca`, `eu`, `nl`, `uk` or `wa`.
    pub fn code(self) -> &'static str {
        match self {
            Region::Us => "us",
            Region::Au => "au",
            Region::Ca => "ca",
            Region::Eu => "eu",
            Region::Nl => "nl",
            Region::Uk => "uk",
            Region::Wa => "wa",
        }
    }

    /// The API base URL of the region, without a trailing slash.
    pub fn base_url(self) -> &'static str {
        match self {
            Region::Us => "https://api.logz.io",
            Region::Au => "https://api-au.logz.io",
            Region::Ca => "https://api-ca.logz.io",
            Region::Eu => "https://api-eu.logz.io",
            Region::Nl => "https://api-nl.logz.io",
            Region::Uk => "https://api-uk.logz.io",
            Region::Wa => "https://api-wa.logz.io",
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_parse_in_any_case_and_display_their_code() {
        assert_eq!("EU".parse::<Region>().unwrap(), Region::Eu);
        assert_eq!(" wa ".parse::<Region>().unwrap(), Region::Wa);
        assert_eq!(Region::Uk.to_string(), "uk");
        assert_eq!(Region::Us.base_url(), "https://api.logz.io");
        assert_eq!(Region::Nl.base_url(), "https://api-nl.logz.io");
        for region in Region::ALL {
            assert_eq!(region.code().parse::<Region>().unwrap(), region);
        }
        let error = "mars".parse::<Region>().unwrap_err().to_string();
        assert!(
            error.contains("mars") && error.contains("us, au"),
            "{error}"
        );
    }
}
