//! How the text of each flag (or its `LOGZIO_EMULATOR_*` variable) becomes
//! a [`Config`](crate::Config) value, for its clap derive (`cli` feature):
//! the emulator's binary and the `logzio-shared-tokens emulator`
//! subcommand. Range checks are [`crate::limits`]'s, shared with
//! [`Config::validate`](crate::Config::validate); this module only parses.

use std::sync::LazyLock;
use std::time::Duration;

use crate::limits::{
    DEFAULT_RETRY_AFTER, latency_problem, max_concurrent_problem, probability_problem,
};
use crate::{Fault, Quirks};

/// `--retry-after`'s default as the flag's text.
pub(crate) static DEFAULT_RETRY_AFTER_SECONDS: LazyLock<String> =
    LazyLock::new(|| DEFAULT_RETRY_AFTER.as_secs().to_string());

/// Refuses a value with one of [`crate::limits`]'s reasons.
fn refuse_if<T>(value: T, problem: Option<String>) -> Result<T, String> {
    match problem {
        Some(problem) => Err(problem),
        None => Ok(value),
    }
}

pub(crate) fn parse_max_concurrent(text: &str) -> Result<usize, String> {
    let value = text
        .trim()
        .parse::<usize>()
        .map_err(|_| format!("`{text}` is not a whole number"))?;
    refuse_if(value, max_concurrent_problem(value))
}

pub(crate) fn parse_seconds(text: &str) -> Result<Duration, String> {
    text.trim()
        .parse::<u64>()
        .map(Duration::from_secs)
        .map_err(|_| format!("`{text}` is not a whole number of seconds (0 or more)"))
}

pub(crate) fn parse_quirks(text: &str) -> Result<Quirks, String> {
    text.parse()
}

pub(crate) fn parse_fail_first(text: &str) -> Result<(usize, Fault), String> {
    let (count, fault) = text
        .split_once(':')
        .ok_or_else(|| format!("`{text}` is not COUNT:STATUS[:BODY], e.g. 2:503:html"))?;
    let count = count
        .trim()
        .parse::<usize>()
        .map_err(|_| format!("`{count}` is not a whole number of requests"))?;
    Ok((count, fault.parse()?))
}

pub(crate) fn parse_probability(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    refuse_if(value, probability_problem(value))
}

pub(crate) fn parse_latency(text: &str) -> Result<(Duration, Duration), String> {
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
    refuse_if((min, max), latency_problem(min, max))
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::Config;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        config: Config,
    }

    fn parse(args: &[&str]) -> Result<Config, clap::Error> {
        let argv = std::iter::once("emulator").chain(args.iter().copied());
        Cli::try_parse_from(argv).map(|cli| cli.config)
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
        assert!(parsed.validate().is_ok());
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
