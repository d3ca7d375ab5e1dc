//! What an emulator instance is told at start: [`Config`], the one type of
//! the emulator's settings. With the `cli` feature it is also the binary's
//! flags (clap derive; the CLI's `emulator` subcommand flattens it), and
//! each field's doc comment is that flag's help text. Every range check
//! lives in [`crate::limits`], used by [`Config::validate`] and by the flag parsers alike.
//! `Debug` never prints an API token.

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use crate::limits::{
    DEFAULT_LISTEN, DEFAULT_MAX_CONCURRENT, DEFAULT_RETRY_AFTER, latency_problem,
    max_concurrent_problem, probability_problem, retry_after_problem,
};
use crate::{EmulatorError, Fault, Quirks};

/// The emulator's settings; `Default` = the binary's defaults (listen on
/// `127.0.0.1:8080`, a generated dev token, no limits but Logz.io's 100
/// concurrent requests, no faults, the clean shape). Tests usually start
/// from [`Config::for_tests`].
///
/// With the `cli` feature each field is a flag with a `LOGZIO_EMULATOR_*`
/// environment variable (the token lists take comma-separated values
/// there; their values are never shown in `--help`). In Rust, `latency` is
/// an inclusive `(min, max)` range, `retry_after` a whole number of seconds
/// as a `Duration`, and `fail_first` is the queue of
/// [`crate::Control::fail_next`].
#[derive(Clone)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct Config {
    /// Address to listen on; port 0 picks a free port. The first line printed
    /// on stdout is the base URL actually listened on.
    #[cfg_attr(
        feature = "cli",
        arg(
            long,
            value_name = "ADDR",
            default_value_t = DEFAULT_LISTEN,
            env = "LOGZIO_EMULATOR_LISTEN"
        )
    )]
    pub listen: SocketAddr,

    /// An API token with the shared-tokens permission (repeatable); each one
    /// is its own account. Without any token flag, a dev token is generated
    /// and printed on the second line of stdout.
    #[cfg_attr(
        feature = "cli",
        arg(
            long = "api-token",
            value_name = "TOKEN",
            env = "LOGZIO_EMULATOR_API_TOKENS",
            value_delimiter = ',',
            hide_env_values = true
        )
    )]
    pub api_tokens: Vec<String>,

    /// A valid API token whose account lacks the shared-tokens permission
    /// (repeatable): its requests answer 403 "Insufficient privileges".
    #[cfg_attr(
        feature = "cli",
        arg(
            long = "no-permission-token",
            value_name = "TOKEN",
            env = "LOGZIO_EMULATOR_NO_PERMISSION_TOKENS",
            value_delimiter = ',',
            hide_env_values = true
        )
    )]
    pub no_permission_tokens: Vec<String>,

    /// Shared tokens allowed per account (default: unlimited); creating one
    /// more answers 400.
    #[cfg_attr(
        feature = "cli",
        arg(long, value_name = "N", env = "LOGZIO_EMULATOR_MAX_TOKENS")
    )]
    pub max_tokens: Option<usize>,

    /// In-flight requests allowed per account (Logz.io documents 100); one
    /// more answers 429 with Retry-After.
    #[cfg_attr(
        feature = "cli",
        arg(
            long,
            value_name = "N",
            default_value_t = DEFAULT_MAX_CONCURRENT,
            value_parser = crate::flags::parse_max_concurrent,
            env = "LOGZIO_EMULATOR_MAX_CONCURRENT"
        )
    )]
    pub max_concurrent: usize,

    /// Probability (0 to 1) that a request answers 503 with Retry-After,
    /// decided before it changes anything.
    #[cfg_attr(
        feature = "cli",
        arg(
            long,
            value_name = "P",
            default_value_t = 0.0,
            value_parser = crate::flags::parse_probability,
            env = "LOGZIO_EMULATOR_FAIL_RATE"
        )
    )]
    pub fail_rate: f64,

    /// Delay added to every request: `MS`, or a uniform range `MIN-MAX` (milliseconds).
    #[cfg_attr(
        feature = "cli",
        arg(
            long,
            value_name = "MS|MIN-MAX",
            value_parser = crate::flags::parse_latency,
            env = "LOGZIO_EMULATOR_LATENCY"
        )
    )]
    pub latency: Option<(Duration, Duration)>,

    /// Seconds every 429 and 503 asks the client to wait (the Retry-After
    /// header); 0 lets clients retry at once, which keeps tests of retry paths fast.
    #[cfg_attr(
        feature = "cli",
        arg(
            long,
            value_name = "SECONDS",
            default_value = crate::flags::DEFAULT_RETRY_AFTER_SECONDS.as_str(),
            value_parser = crate::flags::parse_seconds,
            env = "LOGZIO_EMULATOR_RETRY_AFTER"
        )
    )]
    pub retry_after: Duration,

    /// The real world's shapes, comma-separated (default: none, the clean
    /// documented shape): proxy-errors (HTML/text/empty error pages from a
    /// proxy), filter-ids (legacy `filterIds`), seconds-timestamps (seconds
    /// with a fraction), operator-array (`["AND"]`), null-expiry (new tokens
    /// never expire), foreign-records (each new account starts with records
    /// made outside the API), unknown-fields (extra fields in every object);
    /// or all.
    #[cfg_attr(
        feature = "cli",
        arg(
            long,
            value_name = "LIST",
            default_value = "none",
            value_parser = crate::flags::parse_quirks,
            env = "LOGZIO_EMULATOR_QUIRKS"
        )
    )]
    pub quirks: Quirks,

    /// The first COUNT requests answer STATUS (400-599) with a BODY of json,
    /// html, text or empty (default json), before authentication and on any
    /// path, as a proxy would; then normal answers. Repeatable, in order;
    /// 429, 502, 503 and 504 carry Retry-After.
    #[cfg_attr(
        feature = "cli",
        arg(
            long,
            value_name = "COUNT:STATUS[:BODY]",
            value_parser = crate::flags::parse_fail_first,
            env = "LOGZIO_EMULATOR_FAIL_FIRST",
            value_delimiter = ','
        )
    )]
    pub fail_first: Vec<(usize, Fault)>,

    /// Keep state in FILE: loaded at start, every acknowledged change written
    /// durably before the answer. A file that is not an emulator state file is
    /// refused and never overwritten.
    #[cfg_attr(
        feature = "cli",
        arg(long = "state", value_name = "FILE", env = "LOGZIO_EMULATOR_STATE")
    )]
    pub state_file: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: DEFAULT_LISTEN,
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
        let problem = probability_problem(self.fail_rate)
            .or_else(|| max_concurrent_problem(self.max_concurrent))
            .or_else(|| {
                self.latency
                    .and_then(|(low, high)| latency_problem(low, high))
            })
            .or_else(|| retry_after_problem(self.retry_after))
            .or_else(|| {
                self.fail_first
                    .iter()
                    .find_map(|(_, fault)| fault.problem())
            })
            .or_else(|| self.api_token_problem());
        match problem {
            Some(problem) => Err(EmulatorError::InvalidConfig(problem)),
            None => Ok(()),
        }
    }

    /// An API token that could not travel in a header, or one given twice.
    fn api_token_problem(&self) -> Option<String> {
        let all = self.api_tokens.iter().chain(&self.no_permission_tokens);
        for (index, token) in all.clone().enumerate() {
            if token.is_empty() || token.bytes().any(|b| !(0x21..0x7f).contains(&b)) {
                return Some(format!(
                    "API token #{} is empty or has characters that cannot travel in an HTTP header",
                    index + 1
                ));
            }
            if all.clone().skip(index + 1).any(|other| other == token) {
                return Some(format!("API token #{} is given more than once", index + 1));
            }
        }
        None
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
