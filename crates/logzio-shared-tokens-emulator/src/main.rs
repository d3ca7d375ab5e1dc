//! `logzio-shared-tokens-emulator`: runs the emulator until Ctrl-C or SIGTERM.
//! stdout line 1 is the base URL; line 2, only when no token flag was given,
//! is the generated dev token as a ready-to-send header. Nothing else ever
//! prints a token.

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser;
use logzio_shared_tokens_emulator::{Emulator, EmulatorArgs};

/// A stateful local Logz.io Shared Tokens API, for tests, demos and offline work.
#[derive(Parser)]
#[command(name = "logzio-shared-tokens-emulator", version, about)]
struct Cli {
    #[command(flatten)]
    emulator: EmulatorArgs,
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

async fn run(args: EmulatorArgs) -> ExitCode {
    let config = args.into_config();
    let state = config.state_file.clone();
    let emulator = match Emulator::start(config).await {
        Ok(emulator) => emulator,
        Err(error) => {
            eprintln!("logzio-shared-tokens-emulator: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{}", emulator.base_url());
    if emulator.generated_dev_token()
        && let Some(token) = emulator.api_tokens().first()
    {
        let _ = writeln!(stdout, "X-API-TOKEN: {token}");
    }
    let _ = stdout.flush();
    drop(stdout);
    eprintln!(
        "logzio-shared-tokens-emulator: serving {} account(s) at {}{}; Ctrl-C to stop",
        emulator.api_tokens().len(),
        emulator.base_url(),
        state.map_or_else(String::new, |path| format!(", state in {}", path.display())),
    );
    wait_for_stop_signal().await;
    emulator.shutdown().await;
    ExitCode::SUCCESS
}

async fn wait_for_stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
