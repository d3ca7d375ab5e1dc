//! Client configuration: the API token, where to send requests (a Logz.io
//! region or an explicit URL), timeouts, retries, the concurrency limit.
//!
//! It must never print the API token (held as a `SecretString`, which `Debug`
//! shows as `[REDACTED]`), and never let the token travel over plain `http://`
//! to a host that is not this machine.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use logzio_shared_tokens_api::Transport;
use reqwest::header::{HeaderMap, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

use crate::Error;
use crate::base_url::validate_base_url;
use crate::client::{Client, ClientInner};
use crate::endpoint::{Endpoint, EndpointOrigin};
use crate::environment::{ENV_API_TOKEN, ENV_API_URL, ENV_REGION};
use crate::error::InputField;
use crate::redact::Redactor;
use crate::region::Region;
use crate::request_path::RequestPath;
use crate::retry::RetryPolicy;

/// The header that carries the API token.
const API_TOKEN_HEADER: &str = "X-API-TOKEN";

/// Parsing a region code is configuration: it is here, not in `region.rs`,
/// so that [`Region`] stays below [`Error`] (whose messages name the region).
impl FromStr for Region {
    type Err = Error;

    /// Parses a region code, ignoring case and surrounding spaces.
    fn from_str(code: &str) -> Result<Self, Error> {
        parse_region(code, InputField::Region)
    }
}

/// The region whose code is `code`; a refusal names `field`, the input it came from.
fn parse_region(code: &str, field: InputField) -> Result<Region, Error> {
    let wanted = code.trim();
    let found = Region::ALL
        .into_iter()
        .find(|region| region.code().eq_ignore_ascii_case(wanted));
    found.ok_or_else(|| {
        let known: Vec<&str> = Region::ALL.iter().map(|r| r.code()).collect();
        let expected = known.join(", ");
        Error::invalid(
            field,
            format!("unknown region {wanted:?}; expected one of {expected}"),
        )
    })
}

impl Client {
    /// A builder: set at least the API token.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from `LOGZIO_API_TOKEN`, `LOGZIO_REGION` and
    /// `LOGZIO_API_URL` (see [`ClientBuilder::from_env`]).
    pub fn from_env() -> Result<Self, Error> {
        ClientBuilder::from_env()?.build()
    }
}

/// Logz.io's concurrent-request limit per account: the default of
/// [`ClientBuilder::max_concurrent_requests`].
pub const DEFAULT_MAX_CONCURRENT_REQUESTS: usize = 100;
/// Default of [`ClientBuilder::connect_timeout`].
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default of [`ClientBuilder::timeout`] (per attempt).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Builds a [`Client`]. Only the API token is required; the region defaults
/// to [`Region::Us`].
///
/// ```
/// use std::time::Duration;
/// use logzio_shared_tokens::{Client, Region, RetryPolicy};
///
/// let client = Client::builder()
///     .api_token("00000000-0000-0000-0000-000000000000")
///     .region(Region::Eu)
///     .timeout(Duration::from_secs(20))
///     .retry_policy(RetryPolicy::exponential().with_max_attempts(3))
///     .build()?;
/// assert_eq!(client.base_url(), "https://api-eu.logz.io");
/// # Ok::<(), logzio_shared_tokens::Error>(())
/// ```
// `Debug` is derived: `SecretString` shows itself as `[REDACTED]`.
#[derive(Clone, Debug)]
#[must_use = "a builder does nothing until `.build()`"]
pub struct ClientBuilder {
    api_token: Option<SecretString>,
    region: Region,
    /// Whether [`Self::region`] was called: otherwise the region is the default.
    region_chosen: bool,
    base_url: Option<String>,
    /// What [`Self::endpoint_origin`] named.
    endpoint_origin: Option<String>,
    connect_timeout: Duration,
    timeout: Duration,
    retry_policy: RetryPolicy,
    max_concurrent_requests: usize,
    user_agent: String,
    /// Set by [`ClientBuilder::for_emulator`]: its fast retries are for a
    /// local server only, never for Logz.io.
    loopback_only: bool,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl ClientBuilder {
    /// A builder with the defaults: region `us`, 10 s connect timeout, 30 s
    /// per attempt, [`RetryPolicy::default`], 100 concurrent requests.
    pub fn new() -> Self {
        Self {
            api_token: None,
            region: Region::Us,
            region_chosen: false,
            base_url: None,
            endpoint_origin: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            retry_policy: RetryPolicy::default(),
            max_concurrent_requests: DEFAULT_MAX_CONCURRENT_REQUESTS,
            user_agent: format!("logzio-shared-tokens-rs/{}", env!("CARGO_PKG_VERSION")),
            loopback_only: false,
        }
    }

    /// A builder for a local emulator (`logzio-shared-tokens-emulator`): its
    /// base URL (`emulator.base_url()`) and one of its API tokens
    /// (`emulator.api_tokens()[0]`). Plain `http://` is fine, and
    /// [`Self::build`] refuses any host that is not loopback. Made for tests:
    /// 5 s per attempt, at most 4 attempts, backoff from 5 ms to 50 ms; the
    /// waits still honour the emulator's `Retry-After` (start it with a
    /// `Retry-After` of 0 to test error paths fast). Every other setting can
    /// be changed before `build`.
    ///
    /// ```
    /// use logzio_shared_tokens::ClientBuilder;
    ///
    /// let client = ClientBuilder::for_emulator("http://127.0.0.1:8080", "emulator-api-token").build()?;
    /// assert_eq!(client.retry_policy().max_attempts(), 4);
    /// // Fast retries against Logz.io itself would break its limits: refused.
    /// assert!(ClientBuilder::for_emulator("https://api.logz.io", "token").build().is_err());
    /// # Ok::<(), logzio_shared_tokens::Error>(())
    /// ```
    pub fn for_emulator(base_url: impl Into<String>, api_token: impl Into<String>) -> Self {
        let mut builder = Self::new()
            .base_url(base_url)
            .api_token(api_token)
            .timeout(Duration::from_secs(5))
            .retry_policy(
                RetryPolicy::exponential()
                    .with_max_attempts(4)
                    .with_initial_backoff(Duration::from_millis(5))
                    .with_max_backoff(Duration::from_millis(50))
                    .with_max_elapsed(Duration::from_secs(20)),
            );
        builder.loopback_only = true;
        builder
    }

    /// A builder configured from `LOGZIO_API_TOKEN` (required),
    /// `LOGZIO_REGION` and `LOGZIO_API_URL` (which wins over the region);
    /// errors that depend on the endpoint name the variable that chose it.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_env_with(|name| std::env::var(name).ok())
    }

    /// Like [`Self::from_env`], reading variables through `lookup` (for tests
    /// and for configuration sources other than the process environment).
    pub fn from_env_with(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let present = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
        let token = present(ENV_API_TOKEN)
            .ok_or_else(|| Error::invalid(InputField::ApiTokenVariable, "is not set"))?;
        let mut builder = Self::new().api_token(token.trim());
        if let Some(code) = present(ENV_REGION) {
            let region = parse_region(&code, InputField::RegionVariable)?;
            builder = builder.region(region).endpoint_origin(ENV_REGION);
        }
        if let Some(url) = present(ENV_API_URL) {
            builder = builder.base_url(url.trim()).endpoint_origin(ENV_API_URL);
        }
        Ok(builder)
    }

    /// The account's API token (sent as the sensitive `X-API-TOKEN` header).
    pub fn api_token(mut self, token: impl Into<String>) -> Self {
        self.api_token = Some(SecretString::from(token.into()));
        self
    }

    /// The API token, already held as a secret (e.g. from a secrets manager).
    pub fn api_token_secret(mut self, token: SecretString) -> Self {
        self.api_token = Some(token);
        self
    }

    /// The Logz.io region of the account (ignored when [`Self::base_url`] is set).
    /// Forgets an earlier [`Self::endpoint_origin`], which named another setting.
    pub fn region(mut self, region: Region) -> Self {
        self.region = region;
        self.region_chosen = true;
        self.endpoint_origin = None;
        self
    }

    /// An explicit base URL, e.g. an emulator's `http://127.0.0.1:8080`.
    /// `https://` is required unless the host is loopback (`127.0.0.0/8`,
    /// `::1`, `localhost`); checked by [`Self::build`].
    /// Forgets an earlier [`Self::endpoint_origin`], which named another setting.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self.endpoint_origin = None;
        self
    }

    /// Names the setting the region or base URL came from (`--api-url`, an
    /// environment variable, an entry of a configuration file); call it after
    /// [`Self::region`] or [`Self::base_url`]: errors that
    /// depend on where requests go, [`Error::Transport`] and
    /// [`Error::Unauthorized`], show it with the URL (see [`Endpoint`]), so
    /// the reader knows which setting to change. Never put a secret here.
    pub fn endpoint_origin(mut self, setting: impl Into<String>) -> Self {
        self.endpoint_origin = Some(setting.into());
        self
    }

    /// How long establishing a connection may take.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long **one attempt** may take, from sending the request to the end
    /// of the response body. With retries a call can take longer: the
    /// [`RetryPolicy`] bounds the total.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How failures are retried.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = policy;
        self
    }

    /// The most requests in flight at once, shared by every clone of the
    /// client (Logz.io allows 100 per account; at least 1).
    pub fn max_concurrent_requests(mut self, limit: usize) -> Self {
        self.max_concurrent_requests = limit;
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Validates the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let token = self
            .api_token
            .ok_or_else(|| Error::invalid(InputField::ApiToken, "is required"))?;
        if token.expose_secret().trim().is_empty() {
            return Err(Error::invalid(InputField::ApiToken, "is empty"));
        }
        if self.max_concurrent_requests == 0 {
            return Err(Error::invalid(
                InputField::MaxConcurrentRequests,
                "must be at least 1",
            ));
        }
        let redactor = Redactor::new(token.clone());
        let base_url = match &self.base_url {
            // `for_emulator` always sets a base URL, so `loopback_only` needs no other arm.
            // A refusal quotes the URL, which may hold the API token pasted by mistake.
            Some(url) => {
                validate_base_url(url, self.loopback_only).map_err(|error| match error {
                    Error::InvalidInput { field, reason } => {
                        Error::invalid(field, redactor.redact(&reason))
                    }
                    other => other,
                })?
            }
            None => self.region.base_url().to_owned(),
        };
        // Without a TLS feature reqwest would fail every https request at send time with a
        // scheme error; say what is missing once, here.
        if !cfg!(any(feature = "rustls", feature = "native-tls")) && base_url.starts_with("https:")
        {
            return Err(Error::invalid(
                InputField::BaseUrl,
                "https needs a TLS backend: enable the `rustls` (default) or `native-tls` feature of logzio-shared-tokens",
            ));
        }

        let mut token_header = HeaderValue::from_str(token.expose_secret()).map_err(|_| {
            Error::invalid(
                InputField::ApiToken,
                "contains characters not allowed in an HTTP header",
            )
        })?;
        token_header.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert(API_TOKEN_HEADER, token_header);

        let http = reqwest::Client::builder()
            .default_headers(headers)
            .user_agent(self.user_agent.as_str())
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            // Our choice: Logz.io documents no redirect for this API, and reqwest
            // would carry the API token header to whatever host one names. A 3xx
            // is an error.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|error| Error::invalid(InputField::HttpClient, error.to_string()))?;

        let region = self.base_url.is_none().then_some(self.region);
        let origin = match self.endpoint_origin {
            Some(setting) => EndpointOrigin::Setting(setting),
            None if self.base_url.is_some() || self.region_chosen => EndpointOrigin::Code,
            None => EndpointOrigin::DefaultRegion,
        };
        let endpoint = Endpoint::new(redactor.redact(&base_url), region, origin);
        let request_path = Arc::new(RequestPath {
            permits: Arc::new(tokio::sync::Semaphore::new(self.max_concurrent_requests)),
            policy: self.retry_policy.clone(),
            redactor: redactor.clone(),
        });
        let api = logzio_shared_tokens_api::Client::new_with_client(
            &base_url,
            http,
            Transport::new(request_path.clone()),
        );
        Ok(Client::from_inner(Arc::new(ClientInner {
            api,
            request_path,
            base_url,
            endpoint,
            retry_policy: self.retry_policy,
            max_concurrent_requests: self.max_concurrent_requests,
            redactor,
            timeout: self.timeout,
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_env_reads_the_three_variables() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(key, _)| *key == name)
                    .map(|(_, value)| (*value).to_owned())
            }
        };
        let client = ClientBuilder::from_env_with(env(&[(ENV_API_TOKEN, "t"), (ENV_REGION, "Au")]))
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(client.base_url(), "https://api-au.logz.io");
        assert_eq!(client.region(), Some(Region::Au));
        let client = ClientBuilder::from_env_with(env(&[
            (ENV_API_TOKEN, "t"),
            (ENV_REGION, "eu"),
            (ENV_API_URL, "http://127.0.0.1:1/"),
        ]))
        .unwrap()
        .build()
        .unwrap();
        assert_eq!(client.base_url(), "http://127.0.0.1:1");
        assert_eq!(client.region(), None);
        let missing = ClientBuilder::from_env_with(env(&[(ENV_REGION, "eu")])).unwrap_err();
        assert!(matches!(
            missing,
            Error::InvalidInput {
                field: InputField::ApiTokenVariable,
                ..
            }
        ));
        let bad = ClientBuilder::from_env_with(env(&[(ENV_API_TOKEN, "t"), (ENV_REGION, "xx")]))
            .unwrap_err();
        assert!(matches!(
            bad,
            Error::InvalidInput {
                field: InputField::RegionVariable,
                ..
            }
        ));
    }

    #[test]
    fn debug_never_shows_the_api_token() {
        let builder = ClientBuilder::new().api_token("tok-very-secret");
        let text = format!("{builder:?}");
        assert!(!text.contains("very-secret"), "{text}");
        assert!(text.contains("[REDACTED]"), "{text}");
        let client = builder.build().unwrap();
        let text = format!("{client:?}");
        assert!(!text.contains("very-secret"), "{text}");
        let from_secret =
            ClientBuilder::new().api_token_secret(SecretString::from("tok-very-secret"));
        assert!(!format!("{from_secret:?}").contains("very-secret"));
        assert!(from_secret.build().is_ok());
    }

    #[test]
    fn the_endpoint_names_the_setting_that_chose_it() {
        let origin = |builder: ClientBuilder| builder.build().unwrap().endpoint().origin().clone();
        let builder = || ClientBuilder::new().api_token("t");
        assert_eq!(origin(builder()), EndpointOrigin::DefaultRegion);
        assert_eq!(origin(builder().region(Region::Eu)), EndpointOrigin::Code);
        let url = "https://logzio.example";
        assert_eq!(origin(builder().base_url(url)), EndpointOrigin::Code);
        let named = builder().region(Region::Eu).endpoint_origin("--region");
        assert_eq!(
            origin(named),
            EndpointOrigin::Setting("--region".to_owned())
        );
        let lookup =
            |name: &str| (name == ENV_API_TOKEN || name == ENV_REGION).then(|| "eu".to_owned());
        let from_env = ClientBuilder::from_env_with(lookup).unwrap();
        assert_eq!(
            origin(from_env.clone()),
            EndpointOrigin::Setting(ENV_REGION.to_owned())
        );
        // A setting made in code after the variable was read is no longer the variable's.
        assert_eq!(origin(from_env.base_url(url)), EndpointOrigin::Code);
    }

    #[test]
    fn a_refused_url_never_shows_the_api_token() {
        let token = "tok-pasted-into-the-url";
        let refused = ClientBuilder::new()
            .api_token(token)
            .base_url(format!("http://{token}.example"))
            .build()
            .unwrap_err();
        assert!(matches!(
            refused,
            Error::InvalidInput {
                field: InputField::BaseUrl,
                ..
            }
        ));
        assert!(!refused.to_string().contains(token), "{refused}");
    }

    #[test]
    fn settings_after_the_token_keep_it() {
        let builder = ClientBuilder::new()
            .api_token("t")
            .connect_timeout(Duration::from_millis(1500));
        assert!(format!("{builder:?}").contains("connect_timeout: 1.5s"));
        assert!(builder.build().is_ok());
    }

    #[test]
    fn build_refuses_what_cannot_work() {
        assert!(ClientBuilder::new().build().is_err());
        assert!(ClientBuilder::new().api_token("  ").build().is_err());
        assert!(ClientBuilder::new().api_token("a\nb").build().is_err());
        assert!(
            ClientBuilder::new()
                .api_token("t")
                .max_concurrent_requests(0)
                .build()
                .is_err()
        );
    }
}
