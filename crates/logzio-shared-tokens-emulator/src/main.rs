//! `logzio-shared-tokens-emulator`: runs the emulator until Ctrl-C or SIGTERM.
//! stdout line 1 is the base URL; line 2, only when no token flag was given,
//! is the generated dev token as a ready-to-send header. Nothing else ever
//! prints a token.

use std::process::ExitCode;

use clap::Parser;
use logzio_shared_tokens_emulator::{Config, serve_until_stopped};

/// A stateful local Logz.io Shared Tokens API, for tests, demos and offline work.
#[derive(Parser)]
#[command(name = "logzio-shared-tokens-emulator", version, about)]
struct Cli {
    #[command(flatten)]
    emulator: Config,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("logzio-shared-tokens-emulator: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(cli.emulator))
}

async fn run(config: Config) -> ExitCode {
    match serve_until_stopped(config, "logzio-shared-tokens-emulator").await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("logzio-shared-tokens-emulator: {error}");
            ExitCode::FAILURE
        }
    }
}
