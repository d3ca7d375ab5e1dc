//! The emulator as a foreground program, shared by the
//! `logzio-shared-tokens-emulator` binary and the CLI's `emulator` subcommand so
//! both keep one stdout contract: line 1 is the base URL; line 2, only when no
//! token flag was given, the generated dev token as a ready-to-send header.
//! Nothing else ever prints a token.

use std::io::Write as _;

use crate::{Config, Emulator, EmulatorError};

/// Starts the emulator with `config` (in the programs, parsed from the
/// flags), prints the contract lines, and serves
/// until Ctrl-C or SIGTERM, then shuts down gracefully. `program` prefixes the
/// messages on stderr.
pub async fn serve_until_stopped(config: Config, program: &str) -> Result<(), EmulatorError> {
    let state = config.state_file.clone();
    let emulator = Emulator::start(config).await?;
    {
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "{}", emulator.base_url());
        if emulator.generated_dev_token()
            && let Some(token) = emulator.api_tokens().first()
        {
            let _ = writeln!(stdout, "X-API-TOKEN: {token}");
        }
        let _ = stdout.flush();
    }
    eprintln!(
        "{program}: serving {} account(s) at {}{}; Ctrl-C to stop",
        emulator.api_tokens().len(),
        emulator.base_url(),
        state.map_or_else(String::new, |path| format!(", state in {}", path.display())),
    );
    let token_hint = if emulator.generated_dev_token() {
        "<the token above>"
    } else {
        "<one of the --api-token values>"
    };
    eprintln!(
        "{program}: try `LOGZIO_API_URL={} LOGZIO_API_TOKEN={token_hint} logzio-shared-tokens tokens list`",
        emulator.base_url()
    );
    wait_for_stop_signal().await;
    emulator.shutdown().await;
    Ok(())
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
