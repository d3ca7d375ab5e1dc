//! Where a client sends its requests, and which setting chose that: the
//! errors that depend on it (a connection that failed, an API token refused)
//! carry it, so their message says what to check and which setting to change.
//!
//! It holds no secret: [`crate::ClientBuilder::build`] refuses a base URL
//! with credentials or a query, and passes the URL through the redactor.

use std::fmt;
use std::net::IpAddr;

use crate::Error;
use crate::error::InputField;
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

/// Checks a base URL and returns it without a trailing slash (the generated
/// client appends `/v1/...`).
/// With `loopback_only`, any host that is not this machine is refused.
pub(crate) fn validate_base_url(url: &str, loopback_only: bool) -> Result<String, Error> {
    let parsed = match reqwest::Url::parse(url.trim()) {
        Ok(parsed) if !parsed.cannot_be_a_base() => parsed,
        // Without `://` there is no scheme, though `localhost:8080` parses (as the scheme
        // `localhost` and the path `8080`).
        _ if !url.contains("://") => {
            return Err(Error::invalid(InputField::BaseUrl, without_scheme(url)));
        }
        Ok(_) => {
            return Err(Error::invalid(
                InputField::BaseUrl,
                format!("{url:?} is not a URL"),
            ));
        }
        Err(error) => {
            return Err(Error::invalid(
                InputField::BaseUrl,
                format!("{url:?} is not a URL: {error}"),
            ));
        }
    };
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(Error::invalid(
            InputField::BaseUrl,
            "must not contain credentials; set the API token instead",
        ));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(Error::invalid(
            InputField::BaseUrl,
            "must not have a query or fragment",
        ));
    }
    if loopback_only && !is_loopback(&parsed) {
        return Err(Error::invalid(
            InputField::BaseUrl,
            format!(
                "{url:?} is not a loopback address; an emulator client talks to this machine only"
            ),
        ));
    }
    match parsed.scheme() {
        "https" => {}
        "http" if is_loopback(&parsed) => {}
        "http" => {
            return Err(Error::invalid(
                InputField::BaseUrl,
                format!(
                    "{url:?} uses plain http:// to a host that is not loopback; the API token would cross the network in clear text (use https://)"
                ),
            ));
        }
        other => {
            return Err(Error::invalid(
                InputField::BaseUrl,
                format!("scheme {other:?} is not supported (use https://)"),
            ));
        }
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

/// Why a URL without a scheme is refused, and the URL to write instead:
/// `https://`, or `http://` too when the host is this machine (plain http goes
/// nowhere else).
fn without_scheme(url: &str) -> String {
    let bare = url.trim();
    let as_http = reqwest::Url::parse(&format!("http://{bare}"));
    match as_http {
        Ok(parsed) if is_loopback(&parsed) => format!(
            "{bare:?} has no scheme: write http://{bare} (plain http is allowed to this machine only) or https://{bare}"
        ),
        Ok(_) => format!("{bare:?} has no scheme: write https://{bare}"),
        Err(error) => format!("{bare:?} is not a URL: {error}"),
    }
}

fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    // IPv6 hosts come bracketed: `[::1]`.
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => bare.eq_ignore_ascii_case("localhost"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_without_a_scheme_is_told_which_to_write() {
        let reason = |url| match validate_base_url(url, false) {
            Err(Error::InvalidInput {
                field: InputField::BaseUrl,
                reason,
            }) => reason,
            other => panic!("{url}: {other:?}"),
        };
        let loopback = reason("127.0.0.1:40305");
        assert!(loopback.contains("http://127.0.0.1:40305"), "{loopback}");
        assert!(loopback.contains("https://127.0.0.1:40305"), "{loopback}");
        assert!(reason("localhost:8080").contains("http://localhost:8080"));
        let remote = reason("api-eu.logz.io");
        assert!(remote.contains("https://api-eu.logz.io"), "{remote}");
        assert!(!remote.contains("http://"), "{remote}");
    }

    #[test]
    fn plain_http_only_to_loopback() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://127.3.4.5/",
            "http://[::1]:9000",
            "http://LOCALHOST:1",
            "https://api-eu.logz.io/",
            "https://proxy.example.com/logzio",
        ] {
            assert!(validate_base_url(ok, false).is_ok(), "{ok}");
        }
        assert_eq!(
            validate_base_url("http://127.0.0.1:8080/", false).unwrap(),
            "http://127.0.0.1:8080"
        );
        for refused in [
            "http://api.logz.io",
            "http://10.0.0.1",
            "http://localhost.example.com",
            "ftp://127.0.0.1",
            "https://user:pw@api.logz.io",
            "not a url",
            "127.0.0.1:8080",
            "localhost:8080",
            "api.logz.io",
        ] {
            let error = validate_base_url(refused, false).unwrap_err();
            assert!(
                matches!(
                    &error,
                    Error::InvalidInput {
                        field: InputField::BaseUrl,
                        ..
                    }
                ),
                "{refused}"
            );
        }
    }

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
