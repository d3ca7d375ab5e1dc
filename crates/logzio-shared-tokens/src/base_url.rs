//! What a base URL must be before a client sends the API token to it: a URL
//! (one without a scheme is told which to write), without credentials, a
//! query or a fragment, and `https://` unless the host is this machine.

use std::net::IpAddr;

use crate::Error;
use crate::error::InputField;

/// Checks a base URL and returns it without a trailing slash (the generated
/// client appends `/v1/...`).
/// With `loopback_only`, any host that is not this machine is refused.
pub(crate) fn validate_base_url(url: &str, loopback_only: bool) -> Result<String, Error> {
    let refuse = |reason: String| Err(Error::invalid(InputField::BaseUrl, reason));
    let parsed = match reqwest::Url::parse(url.trim()) {
        Ok(parsed) if !parsed.cannot_be_a_base() => parsed,
        // Without `://` there is no scheme, though `localhost:8080` parses (as the scheme
        // `localhost` and the path `8080`).
        _ if !url.contains("://") => return refuse(without_scheme(url)),
        Ok(_) => return refuse(format!("{url:?} is not a URL")),
        Err(error) => return refuse(format!("{url:?} is not a URL: {error}")),
    };
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return refuse("must not contain credentials; set the API token instead".to_owned());
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return refuse("must not have a query or fragment".to_owned());
    }
    if loopback_only && !is_loopback(&parsed) {
        return refuse(format!(
            "{url:?} is not a loopback address; an emulator client talks to this machine only"
        ));
    }
    match parsed.scheme() {
        "https" => {}
        "http" if is_loopback(&parsed) => {}
        "http" => {
            return refuse(format!(
                "{url:?} uses plain http:// to a host that is not loopback; the API token would cross the network in clear text (use https://)"
            ));
        }
        other => return refuse(format!("scheme {other:?} is not supported (use https://)")),
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
}
