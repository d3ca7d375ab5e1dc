//! What an emulator instance is told at start: the same knobs as the
//! binary's flags. `Debug` never prints an API token.

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use crate::{EmulatorError, Fault, Quirks};

/// Logz.io documents at most 100 concurrent API requests per account.
pub(crate) const DEFAULT_MAX_CONCURRENT: usize = 100;

/// The `Retry-After` sent with every 429 and 503 unless configured otherwise.
/// Our choice: Logz.io documents 503 as "try again later" with no delay.
pub const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(1);

/// Everything the binary's flags set; `Default` = the binary's defaults.
#[derive(Clone)]
pub struct Config {
    /// Where to listen; default `127.0.0.1:8080`. Port 0 picks a free port.
    pub listen: SocketAddr,
    /// API tokens whose account has the shared-tokens permission; one account each.
    /// When this and `no_permission_tokens` are both empty, a dev token is generated.
    pub api_tokens: Vec<String>,
    /// Valid API tokens whose account lacks the permission: every request answers 403.
    pub no_permission_tokens: Vec<String>,
    /// Shared tokens per account; `None` = unlimited. Creating one more answers 400.
    pub max_tokens: Option<usize>,
    /// In-flight requests per account (default 100); one more answers 429 with `Retry-After`.
    pub max_concurrent: usize,
    /// Probability in `[0, 1]` that a request answers 503 with `Retry-After`,
    /// decided before the request touches any state.
    pub fail_rate: f64,
    /// A delay drawn uniformly from this inclusive range is added to each request.
    pub latency: Option<(Duration, Duration)>,
    /// Persist every acknowledged change to this file, and load it at start.
    pub state_file: Option<PathBuf>,
    /// The `Retry-After` of every 429 and 503 the emulator sends, in whole
    /// seconds (the header's unit); default [`DEFAULT_RETRY_AFTER`]. Tests of
    /// retry paths set [`Duration::ZERO`] so a client may retry at once.
    pub retry_after: Duration,
    /// The real world's shapes, on demand (default: none, the clean
    /// documented shape). See [`crate::Quirk`] for each one.
    pub quirks: Quirks,
    /// The first requests answer these scripted faults, in order: `(count,
    /// fault)` pairs, before authentication and on any path, as a proxy in
    /// front of the API would; then the emulator answers normally. The same
    /// queue as [`crate::Control::fail_next`].
    pub fail_first: Vec<(usize, Fault)>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 8080)),
            api_tokens: Vec::new(),
            no_permission_tokens: Vec::new(),
            max_tokens: None,
            max_concurrent: DEFAULT_MAX_CONCURRENT,
            fail_rate: 0.0,
            latency: None,
            state_file: None,
            retry_after: DEFAULT_RETRY_AFTER,
            quirks: Quirks::none(),
            fail_first: Vec::new(),
        }
    }
}

impl Config {
    /// `127.0.0.1:0`, one generated permission token, no faults: what tests want.
    /// The token is in [`crate::Emulator::api_tokens`] once started.
    pub fn for_tests() -> Self {
        Self {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            ..Self::default()
        }
    }

    /// Checks ranges and consistency; [`crate::Emulator::start`] calls it.
    pub fn validate(&self) -> Result<(), EmulatorError> {
        if !(0.0..=1.0).contains(&self.fail_rate) {
            return Err(EmulatorError::InvalidConfig(format!(
                "fail rate {} is not a probability between 0 and 1",
                self.fail_rate
            )));
        }
        if self.max_concurrent == 0 {
            return Err(EmulatorError::InvalidConfig(
                "max concurrent requests must be at least 1".into(),
            ));
        }
        if let Some((low, high)) = self.latency
            && low > high
        {
            return Err(EmulatorError::InvalidConfig(format!(
                "latency range {}-{} ms runs backwards",
                low.as_millis(),
                high.as_millis()
            )));
        }
        if self.retry_after.subsec_nanos() != 0 {
            return Err(EmulatorError::InvalidConfig(format!(
                "Retry-After of {:?} is not a whole number of seconds, the header's unit",
                self.retry_after
            )));
        }
        if let Some(problem) = self
            .fail_first
            .iter()
            .find_map(|(_, fault)| fault.problem())
        {
            return Err(EmulatorError::InvalidConfig(problem));
        }
        let all = self.api_tokens.iter().chain(&self.no_permission_tokens);
        for (index, token) in all.clone().enumerate() {
            if token.is_empty() || token.bytes().any(|b| !(0x21..0x7f).contains(&b)) {
                return Err(EmulatorError::InvalidConfig(format!(
                    "API token #{} is empty or has characters that cannot travel in an HTTP header",
                    index + 1
                )));
            }
            if all.clone().skip(index + 1).any(|other| other == token) {
                return Err(EmulatorError::InvalidConfig(format!(
                    "API token #{} is given more than once",
                    index + 1
                )));
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Token counts only: the values are credentials.
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field(
                "api_tokens",
                &format_args!("[{} redacted]", self.api_tokens.len()),
            )
            .field(
                "no_permission_tokens",
                &format_args!("[{} redacted]", self.no_permission_tokens.len()),
            )
            .field("max_tokens", &self.max_tokens)
            .field("max_concurrent", &self.max_concurrent)
            .field("fail_rate", &self.fail_rate)
            .field("latency", &self.latency)
            .field("state_file", &self.state_file)
            .field("retry_after", &self.retry_after)
            .field("quirks", &self.quirks)
            .field("fail_first", &self.fail_first)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_tokens() {
        let config = Config {
            api_tokens: vec!["very-secret-api-token".into()],
            no_permission_tokens: vec!["another-secret".into()],
            ..Config::for_tests()
        };
        let printed = format!("{config:?}");
        assert!(!printed.contains("secret"), "{printed}");
        assert!(printed.contains("[1 redacted]"), "{printed}");
    }

    #[test]
    fn validate_refuses_bad_values() {
        let bad = [
            Config {
                fail_rate: 1.5,
                ..Config::for_tests()
            },
            Config {
                max_concurrent: 0,
                ..Config::for_tests()
            },
            Config {
                latency: Some((Duration::from_millis(5), Duration::from_millis(1))),
                ..Config::for_tests()
            },
            Config {
                api_tokens: vec!["a".into(), "a".into()],
                ..Config::for_tests()
            },
            Config {
                api_tokens: vec!["has space".into()],
                ..Config::for_tests()
            },
            Config {
                retry_after: Duration::from_millis(1_500),
                ..Config::for_tests()
            },
            Config {
                fail_first: vec![(1, Fault::json(200))],
                ..Config::for_tests()
            },
        ];
        for config in bad {
            assert!(config.validate().is_err(), "{config:?}");
        }
        assert!(Config::for_tests().validate().is_ok());
        let immediate = Config {
            retry_after: Duration::ZERO,
            ..Config::for_tests()
        };
        assert!(immediate.validate().is_ok());
    }
}
