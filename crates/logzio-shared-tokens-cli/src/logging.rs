//! `-v` / `-vv`: tracing to stderr, set up only when asked for (so plain runs
//! pay nothing for it).
//!
//! Only this workspace's crates log at debug/trace. HTTP internals stay at
//! `info`: the facade's spans never record headers or bodies, and keeping
//! hyper quiet keeps header bytes out of the log.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// Installs the subscriber for `verbosity` (the number of `-v`).
pub fn init(verbosity: u8) {
    let directives = match verbosity {
        0 => return,
        1 => "warn,logzio_shared_tokens=debug,logzio_shared_tokens_cli=debug",
        _ => {
            "info,logzio_shared_tokens=trace,logzio_shared_tokens_cli=trace,logzio_shared_tokens_emulator=debug"
        }
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(directives))
        .with_writer(std::io::stderr)
        .with_target(true)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}
