//! `emulator`: the emulator binary inside this one, with the same flags
//! (the emulator's [`Config`], flattened) and the same stdout contract, both
//! kept in the emulator library's `serve_until_stopped`.

use logzio_shared_tokens_emulator::{Config, serve_until_stopped};

use crate::error::CliError;

/// Runs the emulator until Ctrl-C or SIGTERM.
pub async fn run(config: Config) -> Result<(), CliError> {
    serve_until_stopped(config, "emulator")
        .await
        .map_err(|error| CliError::failure(format!("emulator: {error}")))
}
