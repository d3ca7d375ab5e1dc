//! The command-line flags, shared by the emulator's own binary and the
//! `logzio-shared-tokens emulator` subcommand of the CLI (which flattens
//! [`EmulatorArgs`] into its own parser). Token values given here are never
//! echoed back: clap is told to hide their environment values.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::config::{DEFAULT_MAX_CONCURRENT, DEFAULT_RETRY_AFTER};
use crate::{Config, Fault, Quirks};

/// The emulator's flags. Every flag has a `LOGZIO_EMULATOR_*` environment
/// variable; the token lists take comma-separated values there.
#[derive(Clone, clap::Args)]
pub struct EmulatorArgs {
    /// Address to listen on; port 0 picks a free port. The first line printed
    /// on stdout is the base URL actually listened on.
    #[arg(
        long,
        value_name = "ADDR",
        default_value = "127.0.0.1:8080",
        env = "LOGZIO_EMULATOR_LISTEN"
    )]
    pub listen: SocketAddr,

    /// An API token with the shared-tokens permission (repeatable); each one
    /// is its own account. Without any token flag, a dev token is generated
    /// and printed on the second line of stdout.
    #[arg(
        long = "api-token",
        value_name = "TOKEN",
        env = "LOGZIO_EMULATOR_API_TOKENS",
        value_delimiter = ',',
        hide_env_values = true
    )]
    pub api_tokens: Vec<String>,

    /// A valid API token whose account lacks the shared-tokens permission
    /// (repeatable): its requests answer 403 "Insufficient privileges".
    #[arg(
        long = "no-permission-token",
        value_name = "TOKEN",
        env = "LOGZIO_EMULATOR_NO_PERMISSION_TOKENS",
        value_delimiter = ',',
        hide_env_values = true
    )]
    pub no_permission_tokens: Vec<String>,

    /// Shared tokens allowed per account (default: unlimited); creating one
    /// more answers 400.
    #[arg(long, value_name = "N", env = "LOGZIO_EMULATOR_MAX_TOKENS")]
    pub max_tokens: Option<usize>,

    /// In-flight requests allowed per account (Logz.io documents 100); one
    /// more answers 429 with Retry-After.
    #[arg(
        long,
        value_name = "N",
        default_value_t = DEFAULT_MAX_CONCURRENT,
        value_parser = parse_at_least_one,
        env = "LOGZIO_EMULATOR_MAX_CONCURRENT"
    )]
    pub max_concurrent: usize,

    /// Probability (0 to 1) that a request answers 503 with Retry-After,
    /// decided before it changes anything.
    #[arg(
        long,
        value_name = "P",
        default_value_t = 0.0,
        value_parser = parse_probability,
        env = "LOGZIO_EMULATOR_FAIL_RATE"
    )]
    pub fail_rate: f64,

    /// Delay added to every request: `MS`, or a uniform range `MIN-MAX` (milliseconds).
    #[arg(long, value_name = "MS|MIN-MAX", value_parser = parse_latency, env = "LOGZIO_EMULATOR_LATENCY")]
    pub latency: Option<LatencyRange>,

    /// Seconds every 429 and 503 asks the client to wait (the Retry-After
    /// header); 0 lets clients retry at once, which keeps tests of retry paths fast.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = DEFAULT_RETRY_AFTER.as_secs(),
        value_parser = parse_seconds,
        env = "LOGZIO_EMULATOR_RETRY_AFTER"
    )]
    pub retry_after: u64,

    /// The real world's shapes, comma-separated (default: none, the clean
    /// documented shape): proxy-errors (HTML/text/empty error pages from a
    /// proxy), filter-ids (legacy `filterIds`), seconds-timestamps (seconds
    /// with a fraction), operator-array (`["AND"]`), null-expiry (new tokens
    /// never expire), foreign-records (each new account starts with records
    /// made outside the API), unknown-fields (extra fields in every object);
    /// or all.
    #[arg(
        long,
        value_name = "LIST",
        default_value = "none",
        value_parser = parse_quirks,
        env = "LOGZIO_EMULATOR_QUIRKS"
    )]
    pub quirks: Quirks,

    /// The first COUNT requests answer STATUS (400-599) with a BODY of json,
    /// html, text or empty (default json), before authentication and on any
    /// path, as a proxy would; then normal answers. Repeatable, in order;
    /// 429, 502, 503 and 504 carry Retry-After.
    #[arg(
        long,
        value_name = "COUNT:STATUS[:BODY]",
        value_parser = parse_fail_first,
        env = "LOGZIO_EMULATOR_FAIL_FIRST",
        value_delimiter = ','
    )]
    pub fail_first: Vec<(usize, Fault)>,

    /// Keep state in FILE: loaded at start, every acknowledged change written
    /// durably before the answer. A file that is not an emulator state file is
    /// refused and never overwritten.
    #[arg(long = "state", value_name = "FILE", env = "LOGZIO_EMULATOR_STATE")]
    pub state_file: Option<PathBuf>,
}

/// A parsed `--latency` value: an inclusive range of delays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LatencyRange {
    /// Shortest delay.
    pub min: Duration,
    /// Longest delay.
    pub max: Duration,
}

impl EmulatorArgs {
    /// The configuration these flags describe.
    pub fn into_config(self) -> Config {
        Config {
            listen: self.listen,
            api_tokens: self.api_tokens,
            no_permission_tokens: self.no_permission_tokens,
            max_tokens: self.max_tokens,
            max_concurrent: self.max_concurrent,
            fail_rate: self.fail_rate,
            latency: self.latency.map(|range| (range.min, range.max)),
            state_file: self.state_file,
            retry_after: Duration::from_secs(self.retry_after),
            quirks: self.quirks,
            fail_first: self.fail_first,
        }
    }
}

impl std::fmt::Debug for EmulatorArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The same redaction as Config's Debug.
        std::fmt::Debug::fmt(&self.clone().into_config(), f)
    }
}

fn parse_at_least_one(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(0) => Err("0 would refuse every request; give at least 1".into()),
        Ok(value) => Ok(value),
        Err(_) => Err(format!("`{text}` is not a whole number")),
    }
}

fn parse_seconds(text: &str) -> Result<u64, String> {
    text.trim()
        .parse::<u64>()
        .map_err(|_| format!("`{text}` is not a whole number of seconds (0 or more)"))
}

fn parse_quirks(text: &str) -> Result<Quirks, String> {
    text.parse()
}

fn parse_fail_first(text: &str) -> Result<(usize, Fault), String> {
    let (count, fault) = text
        .split_once(':')
        .ok_or_else(|| format!("`{text}` is not COUNT:STATUS[:BODY], e.g. 2:503:html"))?;
    let count = count
        .trim()
        .parse::<usize>()
        .map_err(|_| format!("`{count}` is not a whole number of requests"))?;
    Ok((count, fault.parse()?))
}

fn parse_probability(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{value} is not a probability between 0 and 1"))
    }
}

fn parse_latency(text: &str) -> Result<LatencyRange, String> {
    let millis = |part: &str| -> Result<Duration, String> {
        part.trim()
            .parse::<u64>()
            .map(Duration::from_millis)
            .map_err(|_| format!("`{part}` is not a whole number of milliseconds"))
    };
    let (min, max) = match text.split_once('-') {
        Some((low, high)) => (millis(low)?, millis(high)?),
        None => {
            let single = millis(text)?;
            (single, single)
        }
    };
    if min > max {
        return Err(format!("the range `{text}` runs backwards (MIN-MAX)"));
    }
    Ok(LatencyRange { min, max })
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: EmulatorArgs,
    }

    fn parse(args: &[&str]) -> Result<Config, clap::Error> {
        let argv = std::iter::once("emulator").chain(args.iter().copied());
        Cli::try_parse_from(argv).map(|cli| cli.args.into_config())
    }

    #[test]
    fn defaults_match_config_default() {
        let parsed = parse(&[]).unwrap();
        let default = Config::default();
        assert_eq!(parsed.listen, default.listen);
        assert_eq!(parsed.max_concurrent, default.max_concurrent);
        assert_eq!(parsed.fail_rate, default.fail_rate);
        assert_eq!(parsed.retry_after, default.retry_after);
        assert!(parsed.quirks.is_empty() && parsed.fail_first.is_empty());
        assert!(parsed.api_tokens.is_empty() && parsed.latency.is_none());
    }

    #[test]
    fn every_flag_is_read() {
        let config = parse(&[
            "--listen",
            "127.0.0.1:0",
            "--api-token",
            "a",
            "--api-token",
            "b",
            "--no-permission-token",
            "c",
            "--max-tokens",
            "3",
            "--max-concurrent",
            "7",
            "--fail-rate",
            "0.25",
            "--latency",
            "5-10",
            "--state",
            "/tmp/x.json",
            "--retry-after",
            "0",
            "--quirks",
            "proxy-errors,null-expiry",
            "--fail-first",
            "2:503:html",
            "--fail-first",
            "1:429",
        ])
        .unwrap();
        assert_eq!(config.listen.port(), 0);
        assert_eq!(config.api_tokens, ["a", "b"]);
        assert_eq!(config.no_permission_tokens, ["c"]);
        assert_eq!(config.max_tokens, Some(3));
        assert_eq!(config.max_concurrent, 7);
        assert_eq!(config.fail_rate, 0.25);
        assert_eq!(
            config.latency,
            Some((Duration::from_millis(5), Duration::from_millis(10)))
        );
        assert_eq!(
            config.state_file.as_deref(),
            Some(std::path::Path::new("/tmp/x.json"))
        );
        assert_eq!(config.retry_after, Duration::ZERO);
        assert_eq!(config.quirks.to_string(), "proxy-errors,null-expiry");
        assert_eq!(
            config.fail_first,
            [(2, Fault::html(503)), (1, Fault::json(429))]
        );
    }

    #[test]
    fn single_latency_is_a_fixed_delay() {
        let config = parse(&["--latency", "20"]).unwrap();
        let fixed = Duration::from_millis(20);
        assert_eq!(config.latency, Some((fixed, fixed)));
    }

    #[test]
    fn bad_values_are_refused_with_the_reason() {
        for (args, reason) in [
            (&["--fail-rate", "2"][..], "probability"),
            (&["--fail-rate", "x"][..], "not a number"),
            (&["--latency", "9-3"][..], "backwards"),
            (&["--latency", "fast"][..], "milliseconds"),
            (&["--max-concurrent", "0"][..], "0"),
            (&["--retry-after=-1"][..], "seconds"),
            (&["--retry-after", "0.5"][..], "seconds"),
            (
                &["--quirks", "proxy-errors,typo"][..],
                "`typo` is not a quirk",
            ),
            (&["--fail-first", "503"][..], "COUNT:STATUS"),
            (&["--fail-first", "2:200"][..], "400 to 599"),
            (&["--fail-first", "2:503:xml"][..], "body kind"),
        ] {
            let error = parse(args).err().unwrap().to_string();
            assert!(error.contains(reason), "{args:?}: {error}");
        }
    }
}
