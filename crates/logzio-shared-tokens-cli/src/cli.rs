//! The command line as clap sees it: every subcommand, flag and help text.
//!
//! Parsing only: nothing here touches the network or a runtime, so `--help`
//! and `--version` stay fast. There is deliberately no flag that takes the API
//! token itself (argv is visible to every user of the machine); see
//! [`crate::run`] for how `--api-token` is answered.

// These doc comments are clap's help texts, shown in a terminal, where `<placeholder>`
// is the convention; rustdoc would read them as HTML tags.
#![allow(rustdoc::invalid_html_tags)]

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use logzio_shared_tokens::FiltersOperator;
use logzio_shared_tokens_emulator::Config as EmulatorConfig;

mod fail_on;
mod flag_values;
mod global;
mod sources;
mod targets;
pub use fail_on::{FailOn, FindingKind};
pub(crate) use flag_values::parse_region;
pub use flag_values::{FilterArg, FilterList};
use flag_values::{operator_parser, parse_filter, parse_filter_list, parse_name_value};
use global::refuse_output_format;
pub use global::{GlobalArgs, OutputFormat};
pub use sources::FromEnv;
pub use targets::{ConfirmArgs, TokenRef};

/// Shown under every `--help` of the top-level command.
pub(crate) const AFTER_HELP: &str = "\
Authentication:
  The API token is read from LOGZIO_API_TOKEN, or from a file with --api-token-file FILE
  (\"-\" reads standard input; on a terminal it asks, without echo), or as a profile says
  (--profile NAME; `profiles list`). It is never accepted as an argument: argv is visible to
  every user of the machine. Try the tool without an account: `logzio-shared-tokens demo`.

Exit codes:
  0  success
  1  failure (the API answered an unexpected error, a file could not be read, ...)
  2  usage error (bad flag or argument, invalid input, confirmation needed, export --output
     to an existing file without --force)
  3  not found (no token or filter with that id or name)
  4  authentication: no API token, token refused (401), or no shared-tokens permission (403)
  5  API unavailable, rate limited, timed out or unreachable: try again later
  6  audit findings matched --fail-on
  7  apply --dry-run --detailed-exitcode: the plan is not empty (drift, or tokens to renew)";

/// Manage Logz.io shared tokens and token filters from a terminal or a CI job.
#[derive(Debug, Parser)]
#[command(
    name = "logzio-shared-tokens",
    version,
    max_term_width = 100,
    after_long_help = AFTER_HELP,
    after_help = "Exit codes: 0 ok, 1 failure, 2 usage, 3 not found, 4 auth, 5 unavailable, 6 audit findings, 7 drift (--help for more, and for every option)."
)]
pub struct Cli {
    /// Options every command accepts.
    #[command(flatten)]
    pub global: GlobalArgs,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Parses `args` like `try_parse_from`, and notes in
    /// [`GlobalArgs::from_env`](super::GlobalArgs::from_env) which options came from environment variables.
    pub fn parse_noting_sources<I, T>(args: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        use clap::parser::ValueSource;
        use clap::{CommandFactory, FromArgMatches};
        let matches = Self::command().try_get_matches_from(args)?;
        let mut cli =
            Self::from_arg_matches(&matches).map_err(|error| error.format(&mut Self::command()))?;
        let from_env = |id: &str| matches.value_source(id) == Some(ValueSource::EnvVariable);
        cli.global.from_env = FromEnv {
            api_url: from_env("api_url"),
            region: from_env("region"),
        };
        Ok(cli)
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List, show, create, update and delete shared tokens
    #[command(subcommand)]
    Tokens(TokensCommand),

    /// List, show, create and delete token filters
    #[command(subcommand)]
    Filters(FiltersCommand),

    /// Report risky tokens and filters: no filters, expired or expiring, unused, orphaned
    Audit(AuditArgs),

    /// Replace a token by a new one with the same name and filters, then delete the old one
    Rotate(RotateArgs),

    /// Make the account match a TOML or YAML file of filters and tokens
    Apply(ApplyArgs),

    /// Write the account's filters and tokens as a file `apply` reads (never a token value)
    Export(ExportArgs),

    /// Call any operation of the API by its operationId, JSON to stdout (--list shows them)
    Api(ApiArgs),

    /// Run the local Shared Tokens API emulator (same flags as logzio-shared-tokens-emulator)
    Emulator(EmulatorCommand),

    /// Walk through every command against a bundled emulator (no account needed)
    Demo(DemoArgs),

    /// Print a shell completion script
    Completions(CompletionsArgs),

    /// Show the config file's profiles: region or URL, and the API token's source
    #[command(subcommand)]
    Profiles(ProfilesCommand),
}

/// `profiles …`
#[derive(Debug, Subcommand)]
pub enum ProfilesCommand {
    /// List the profiles: name, region or URL, the API token's source (never a token)
    List,
}

/// `tokens …`
#[derive(Debug, Subcommand)]
pub enum TokensCommand {
    /// List the account's shared tokens (values masked)
    List,

    /// Show one shared token (value masked)
    Get {
        /// The token's id, or its name when no other token has that name
        #[arg(value_name = "TOKEN")]
        token: TokenRef,
    },

    /// Create a shared token and print its value
    Create {
        /// The token's name
        name: String,

        /// A filter to attach, by id or FIELD=VALUE (repeatable; a comma separates ids, and belongs to a value)
        #[arg(long = "filter", value_name = "FILTER", value_parser = parse_filter_list)]
        filters: Vec<FilterList>,

        /// How the filters combine [default: OR]
        #[arg(long, value_name = "OPERATOR", value_parser = operator_parser())]
        operator: Option<FiltersOperator>,
    },

    /// Change a token's filters or operator (other filters are kept unless --filter or --no-filters)
    Update {
        /// The token's id
        id: i32,

        /// Replace the filters with these, by id or FIELD=VALUE (repeatable; a comma separates ids, and belongs to a value)
        #[arg(long = "filter", value_name = "FILTER", value_parser = parse_filter_list)]
        filters: Vec<FilterList>,

        /// Attach this filter too, by id or FIELD=VALUE (repeatable)
        #[arg(long = "add-filter", value_name = "FILTER", value_parser = parse_filter_list)]
        add_filters: Vec<FilterList>,

        /// Detach this filter, by id or FIELD=VALUE: every filter with that field and value (repeatable)
        #[arg(long = "remove-filter", value_name = "FILTER", value_parser = parse_filter_list)]
        remove_filters: Vec<FilterList>,

        /// Detach every filter (the token can then read all of the account's logs)
        #[arg(long, conflicts_with_all = ["filters", "add_filters"])]
        no_filters: bool,

        /// How the filters combine
        #[arg(long, value_name = "OPERATOR", value_parser = operator_parser())]
        operator: Option<FiltersOperator>,
    },

    /// Delete shared tokens (links and dashboards shared with them stop working)
    Delete {
        /// Ids, or names no other token has (one confirmation for all of them)
        #[arg(value_name = "TOKEN", required = true)]
        tokens: Vec<TokenRef>,

        /// Asking first, or --yes
        #[command(flatten)]
        confirm: ConfirmArgs,
    },
}

/// `filters …`
#[derive(Debug, Subcommand)]
pub enum FiltersCommand {
    /// List the account's token filters
    List,

    /// Show one token filter
    Get {
        /// The filter's id, or FIELD=VALUE (the lowest id with them)
        #[arg(value_name = "FILTER", value_parser = parse_filter)]
        filter: FilterArg,
    },

    /// Create a token filter FIELD = VALUE (letters, digits, _ @ . -); an existing one is shown
    Create {
        /// The log field to match, e.g. type
        field: String,

        /// The value it must have, e.g. nginx
        value: String,

        /// A label for people
        #[arg(long)]
        description: Option<String>,

        /// Create a new filter even when one with this field and value exists
        #[arg(long)]
        allow_duplicate: bool,
    },

    /// Delete token filters
    Delete {
        /// The filters: ids or FIELD=VALUE (one confirmation for all of them)
        #[arg(value_name = "FILTER", required = true, value_parser = parse_filter)]
        ids: Vec<FilterArg>,

        /// Asking first, or --yes
        #[command(flatten)]
        confirm: ConfirmArgs,
    },
}

/// `audit`
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Report tokens that expire within DAYS days
    #[arg(long, value_name = "DAYS", default_value_t = 3)]
    pub expiring_within: u32,

    /// Report tokens last used more than DAYS days ago, or never used and created longer ago
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    pub unused_for: u32,

    /// Exit with code 6 when a finding of these kinds exists (comma-separated, or "any")
    #[arg(long, value_name = "KINDS", value_delimiter = ',')]
    pub fail_on: Vec<FailOn>,
}

/// `rotate`
#[derive(Debug, Args)]
pub struct RotateArgs {
    /// The token to replace: its id, or its name when no other token has that name
    #[arg(value_name = "TOKEN")]
    pub token: TokenRef,

    /// The new token's name [default: the old token's name]
    #[arg(long, value_name = "NEW")]
    pub name: Option<String>,

    /// Keep the old token (delete it yourself once the new one is in use); nothing is deleted,
    /// so nothing is asked
    #[arg(long)]
    pub keep_old: bool,

    /// Asking first, or --yes
    #[command(flatten)]
    pub confirm: ConfirmArgs,
}

/// `apply`
#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// The desired state: a .toml, .yaml or .yml file (format in the README)
    pub file: PathBuf,

    /// Asking first, or --yes
    #[command(flatten)]
    pub confirm: ConfirmArgs,

    /// Print the plan and change nothing
    #[arg(long, conflicts_with = "yes")]
    pub dry_run: bool,

    /// Also delete the tokens and filters the file does not name
    #[arg(long)]
    pub prune: bool,

    /// With --dry-run: exit 7 when the plan is not empty (drift), 0 when it is
    #[arg(long)]
    pub detailed_exitcode: bool,

    /// Replace the file's tokens that expire within DAYS days (0: only expired ones) the way
    /// `rotate` does, keeping their names, and print each new value
    #[arg(long, value_name = "DAYS")]
    pub renew_expiring: Option<u32>,
}

/// `export`
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The file format [default: from --output's extension, else toml]
    #[arg(long, value_enum)]
    pub format: Option<ExportFormat>,

    /// Write to FILE (.toml, .yaml or .yml) instead of standard output
    #[arg(long = "output", short = 'o', id = "output_file", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Replace FILE if it exists
    #[arg(long, requires = "output_file")]
    pub force: bool,

    /// Takes the id of the global `--output table|json` so that clap does not
    /// propagate it here: in `export`, `--output` names the file. Never given.
    #[arg(
        id = "output",
        long = "output-format",
        hide = true,
        value_parser = refuse_output_format
    )]
    pub shadowed_output_format: Option<OutputFormat>,
}

/// `api`
#[derive(Debug, Args)]
pub struct ApiArgs {
    /// The operation's operationId, e.g. getToken (`api --list` shows them all)
    #[arg(value_name = "OPERATION_ID", required_unless_present = "list")]
    pub operation: Option<String>,

    /// A path parameter, e.g. --path id=5 (repeatable)
    #[arg(long = "path", value_name = "NAME=VALUE", value_parser = parse_name_value)]
    pub path: Vec<(String, String)>,

    /// A query parameter (repeatable)
    #[arg(long = "query", value_name = "NAME=VALUE", value_parser = parse_name_value)]
    pub query: Vec<(String, String)>,

    /// The JSON request body: a file, or - for standard input
    #[arg(long, value_name = "FILE")]
    pub body: Option<PathBuf>,

    /// List every operation: its id, method, path and summary
    #[arg(long, conflicts_with_all = ["operation", "path", "query", "body"])]
    pub list: bool,
}

/// What `export --format` can name: the formats `apply` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// TOML, with comments on what `apply` will not manage
    Toml,
    /// YAML
    Yaml,
}

/// `emulator`: the emulator binary's own flags.
#[derive(Debug, Args)]
pub struct EmulatorCommand {
    /// The emulator's flags: its settings type, with the `cli` feature.
    #[command(flatten)]
    pub config: EmulatorConfig,
}

/// `demo`
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Run the full walk-through against the account of LOGZIO_API_TOKEN instead of the
    /// bundled emulator (creates and then deletes a demo token and filter there)
    #[arg(long, conflicts_with = "emulator")]
    pub against_real_account: bool,
    /// Use the bundled emulator even when an API token is configured (without it, a configured
    /// token gets a read-only look at its account: list filters, list tokens, audit)
    #[arg(long)]
    pub emulator: bool,
}

/// `completions`
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to generate completions for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_export_output_names_the_file_and_elsewhere_the_format() {
        let parse = |args: &[&str]| Cli::try_parse_from(args.iter().copied());
        let export = parse(&["x", "export", "--output", "a.toml", "--force"]).unwrap();
        match export.command {
            Command::Export(args) => {
                assert_eq!(args.output, Some(PathBuf::from("a.toml")));
                assert!(args.force);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(export.global.format(), OutputFormat::Table);
        let listed = parse(&["x", "tokens", "list", "--output", "json"]).unwrap();
        assert_eq!(listed.global.format(), OutputFormat::Json);
        let before = parse(&["x", "--output", "json", "export"]).unwrap();
        assert_eq!(before.global.format(), OutputFormat::Json);
        assert!(parse(&["x", "export", "--output-format", "json"]).is_err());
        assert!(parse(&["x", "export", "--force"]).is_err());
    }

    #[test]
    fn clap_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
