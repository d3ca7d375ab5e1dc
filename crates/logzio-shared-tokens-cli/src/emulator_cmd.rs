//! `emulator`: the emulator binary inside this one, with the same flags
//! ([`EmulatorArgs`], flattened) and the same stdout contract, both kept in
//! the emulator library's `serve_until_stopped`.

use logzio_shared_tokens_emulator::{EmulatorArgs, serve_until_stopped};

use crate::error::CliError;

/// Runs the emulator until Ctrl-C or SIGTERM.
pub async fn run(args: EmulatorArgs) -> Result<(), CliError> {
    serve_until_stopped(args, "emulator")
        .await
        .map_err(|error| CliError::failure(format!("emulator: {error}")))
}
