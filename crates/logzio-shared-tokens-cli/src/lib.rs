#![doc = include_str!("../README.md")]
//!
//! Where to start: [`run`] (what the binary's `main` does), [`Cli`] (the clap
//! definition) and [`command_for`] (each spec operation's command).

#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

mod api;
pub mod apply;
mod audit;
mod cli;
mod completions;
mod confirm;
mod connect;
mod coverage;
mod demo;
mod emulator_cmd;
mod error;
mod export;
mod logging;
mod output;
mod profiles;
mod resources;
mod rotate;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};

pub use audit::{AuditWindows, Finding, findings};
pub use cli::{
    ApiArgs, ApplyArgs, AuditArgs, Cli, Command, CompletionsArgs, ConfirmArgs, DemoArgs,
    EmulatorCommand, ExportArgs, ExportFormat, FailOn, FilterArg, FiltersCommand, FindingKind,
    FromEnv, GlobalArgs, OutputFormat, ProfilesCommand, RotateArgs, TokenRef, TokensCommand,
};
pub use coverage::command_for;
pub use error::{CliError, ExitStatus};

/// The message for a token given on the command line.
const TOKEN_IN_ARGV: &str = "the API token is never accepted as an argument (--api-token): argv is \
     visible to every user of this machine and is kept in shell history; set LOGZIO_API_TOKEN, \
     pass --api-token-file FILE (\"-\" reads it from standard input, asking on a terminal), or \
     use a profile (--profile NAME)";

/// Parses `args` (the binary's name first), runs the command, reports any
/// error on stderr as one line, and returns the documented exit code.
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::parse_noting_sources(args) {
        Ok(cli) => cli,
        Err(error) => return clap_error(&error),
    };
    match execute(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", error.message);
            error.status.into()
        }
    }
}

/// Usage errors exit 2, `--help`/`--version` exit 0 (clap's own codes);
/// `--api-token` gets an explanation instead of "unexpected argument".
fn clap_error(error: &clap::Error) -> ExitCode {
    if error.kind() == ErrorKind::UnknownArgument
        && let Some(ContextValue::String(argument)) = error.get(ContextKind::InvalidArg)
        && is_token_flag(argument)
    {
        // The argument may carry the token (`--api-token=…`): never echo it.
        eprintln!("error: {TOKEN_IN_ARGV}");
        return ExitStatus::Usage.into();
    }
    let _ = error.print();
    ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(ExitStatus::Usage.code()))
}

fn is_token_flag(argument: &str) -> bool {
    let name = argument.split('=').next().unwrap_or(argument);
    matches!(name, "--api-token" | "--token" | "--api-key")
}

fn execute(cli: Cli) -> Result<(), CliError> {
    logging::init(cli.global.verbose);
    let printer = output::Printer {
        format: cli.global.format(),
        show_secrets: cli.global.show_secrets,
        quiet: cli.global.quiet,
    };
    if printer.value_only() {
        output::check_value_output(&cli.command, printer.show_secrets)?;
    }
    match cli.command {
        Command::Completions(args) => completions::print(args.shell, &printer),
        Command::Emulator(command) => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .map_err(runtime_error)?;
            runtime.block_on(emulator_cmd::run(command.config))
        }
        Command::Profiles(ProfilesCommand::List) => {
            profiles::list::list(&printer, cli.global.profile.as_deref(), &|name| {
                std::env::var(name).ok()
            })
        }
        Command::Demo(args) => current_thread()?.block_on(demo::run(&cli.global, &args, &printer)),
        // Checked before a client is built: a typo needs no API token to be told.
        Command::Api(args) => match api::ApiCall::parse(&args)? {
            None => api::list(&printer),
            Some(call) => {
                let client = connect::client(&cli.global, |name| std::env::var(name).ok())?;
                current_thread()?.block_on(call.send(&client, &printer))
            }
        },
        command => {
            let client = connect::client(&cli.global, |name| std::env::var(name).ok())?;
            current_thread()?.block_on(dispatch(&client, command, &printer))
        }
    }
}

async fn dispatch(
    client: &logzio_shared_tokens::Client,
    command: Command,
    printer: &output::Printer,
) -> Result<(), CliError> {
    match command {
        Command::Tokens(command) => resources::tokens::run(client, command, printer).await,
        Command::Filters(command) => resources::filters::run(client, command, printer).await,
        Command::Audit(args) => audit::run(client, &args, printer).await,
        Command::Rotate(args) => rotate::run(client, &args, printer).await.map(drop),
        Command::Apply(args) => apply::run(client, &args, printer).await,
        Command::Export(args) => export::run(client, &args, printer).await,
        Command::Emulator(_)
        | Command::Demo(_)
        | Command::Completions(_)
        | Command::Api(_)
        | Command::Profiles(_) => Err(CliError::failure(
            "internal error: this command is run before dispatch",
        )),
    }
}

fn current_thread() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(runtime_error)
}

fn runtime_error(error: std::io::Error) -> CliError {
    CliError::failure(format!("cannot start the async runtime: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_flags_are_recognised_with_or_without_a_value() {
        assert!(is_token_flag("--api-token"));
        assert!(is_token_flag("--api-token=abc"));
        assert!(is_token_flag("--token"));
        assert!(!is_token_flag("--api-token-file"));
        assert!(!is_token_flag("--api-url"));
    }
}
