//! Where a client sends its requests, and which setting chose that: the
//! errors that depend on it (a connection that failed, an API token refused)
//! carry it, so their message says what to check and which setting to change.
//!
//! It holds no secret: [`crate::ClientBuilder::build`] refuses a base URL
//! with credentials or a query ([`crate::base_url`]), and passes the URL
//! through the redactor.

use std::fmt;

use crate::region::Region;

/// The API a client talks to: its base URL, the region that gave it (unless
/// an explicit base URL was set), and where that came from.
///
/// `Display` reads `https://api-eu.logz.io (region eu, set by LOGZIO_REGION)`
/// or `http://127.0.0.1:8080 (set by --api-url)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    url: String,
    region: Option<Region>,
    origin: EndpointOrigin,
}

/// Which setting chose a client's [`Endpoint`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EndpointOrigin {
    /// Nothing did: the default region, `us`.
    DefaultRegion,
    /// [`ClientBuilder::region`](crate::ClientBuilder::region) or
    /// [`ClientBuilder::base_url`](crate::ClientBuilder::base_url), with no
    /// [`ClientBuilder::endpoint_origin`](crate::ClientBuilder::endpoint_origin).
    Code,
    /// The setting the caller named: an environment variable, a flag, an
    /// entry of a configuration file.
    Setting(String),
}

impl Endpoint {
    pub(crate) fn new(url: String, region: Option<Region>, origin: EndpointOrigin) -> Self {
        Self {
            url,
            region,
            origin,
        }
    }

    /// The base URL requests go to, without a trailing slash.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The region the URL is Logz.io's for; `None` when an explicit base
    /// URL was configured (then the region settings play no part).
    pub fn region(&self) -> Option<Region> {
        self.region
    }

    /// Which setting chose this endpoint.
    pub fn origin(&self) -> &EndpointOrigin {
        &self.origin
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url)?;
        match (&self.region, &self.origin) {
            (Some(region), EndpointOrigin::DefaultRegion) => {
                write!(f, " (region {region}, the default)")
            }
            (Some(region), EndpointOrigin::Setting(setting)) => {
                write!(f, " (region {region}, set by {setting})")
            }
            (Some(region), _) => write!(f, " (region {region})"),
            (None, EndpointOrigin::Setting(setting)) => write!(f, " (set by {setting})"),
            (None, _) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_the_url_the_region_and_the_setting() {
        let shown = |region, origin| Endpoint::new("https://x".into(), region, origin).to_string();
        assert_eq!(
            shown(Some(Region::Us), EndpointOrigin::DefaultRegion),
            "https://x (region us, the default)"
        );
        assert_eq!(
            shown(
                Some(Region::Eu),
                EndpointOrigin::Setting("LOGZIO_REGION".into())
            ),
            "https://x (region eu, set by LOGZIO_REGION)"
        );
        assert_eq!(
            shown(Some(Region::Eu), EndpointOrigin::Code),
            "https://x (region eu)"
        );
        assert_eq!(
            shown(None, EndpointOrigin::Setting("--api-url".into())),
            "https://x (set by --api-url)"
        );
        assert_eq!(shown(None, EndpointOrigin::Code), "https://x");
    }
}
