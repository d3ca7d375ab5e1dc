//! The options every command accepts, and how results are printed.

use std::path::PathBuf;
use std::time::Duration;

use clap::{ArgAction, Args, ValueEnum};
use logzio_shared_tokens::Region;

use super::flag_values::{parse_duration, region_parser};
use super::sources::FromEnv;

/// How results are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Human-readable tables.
    Table,
    /// JSON documents for scripts (the shapes are documented in the README).
    Json,
    /// Only a shared token's value and a newline, for piping into a password store
    /// (`tokens create`, `rotate`, `tokens get --show-secrets`)
    Value,
}

/// Options every command accepts.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// The Logz.io region of the account [default: us]
    #[arg(
        long,
        global = true,
        env = "LOGZIO_REGION",
        value_name = "REGION",
        value_parser = region_parser()
    )]
    pub region: Option<Region>,

    /// The API's base URL; wins over --region (e.g. an emulator's http://127.0.0.1:8080)
    #[arg(long, global = true, env = "LOGZIO_API_URL", value_name = "URL")]
    pub api_url: Option<String>,

    /// Read the API token from FILE instead of LOGZIO_API_TOKEN ("-": standard input; on a
    /// terminal it asks, without echo)
    #[arg(long, global = true, value_name = "FILE")]
    pub api_token_file: Option<PathBuf>,

    /// Region or URL and API token source from this profile of the config file; flags and
    /// LOGZIO_* variables win [default: "default", if there is one]
    #[arg(long, global = true, env = "LOGZIO_PROFILE", value_name = "NAME")]
    pub profile: Option<String>,

    /// Which of the options above came from their environment variable
    /// rather than the command line, for messages that name the setting to
    /// change. Filled in by [`Cli::parse_noting_sources`](super::Cli::parse_noting_sources);
    /// not an option.
    #[arg(skip)]
    pub from_env: FromEnv,

    /// Output format (`-o value`: only a new or shown token value, for a password store)
    #[arg(short, long, global = true, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,

    /// Shorthand for --output json
    #[arg(long, global = true, conflicts_with = "output")]
    pub json: bool,

    /// Print only results: no notes, hints, progress or confirmations (errors and warnings
    /// still go to stderr)
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Show shared token values in full (they are masked otherwise, except right after creation)
    #[arg(long, global = true, hide_short_help = true)]
    pub show_secrets: bool,

    /// Time limit of each request attempt: 30, 30s, 500ms or 2m
    #[arg(
        long,
        global = true,
        value_name = "DURATION",
        default_value = "30s",
        value_parser = parse_duration,
        hide_short_help = true
    )]
    pub timeout: Duration,

    /// Trace requests and retries on stderr (-vv for more); secrets are never logged
    #[arg(short, long, global = true, action = ArgAction::Count, hide_short_help = true)]
    pub verbose: u8,
}

impl GlobalArgs {
    /// The output format, `--json` included.
    pub fn format(&self) -> OutputFormat {
        if self.json {
            OutputFormat::Json
        } else {
            self.output
        }
    }
}

/// `export --output`: refused with a pointer to `--format` (export writes a file format, not an
/// output format).
pub(super) fn refuse_output_format(_: &str) -> Result<OutputFormat, String> {
    Err("export writes TOML or YAML: use --format, and --output FILE for a file".to_owned())
}
