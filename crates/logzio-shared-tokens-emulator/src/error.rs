//! Errors of the emulator's library API (starting it, loading its state,
//! the test controls). Request-level errors are HTTP answers, not these.
//! No variant ever carries an API token or a shared token value.

use std::path::PathBuf;

/// Why the emulator could not start, or why a [`crate::Control`] call failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmulatorError {
    /// The listen address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address from the configuration.
        addr: std::net::SocketAddr,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The state file exists but is not a usable emulator state file. It is
    /// left untouched.
    #[error(
        "refusing state file {}: {problem}; it was not modified (point --state at a new path, or remove the file if it is really disposable)",
        path.display()
    )]
    StateRefused {
        /// The file given as `--state`.
        path: PathBuf,
        /// What is wrong with it.
        problem: String,
    },
    /// Reading or durably writing the state file failed.
    #[error("state file {}: {action} failed: {source}", path.display())]
    StateIo {
        /// The file given as `--state`.
        path: PathBuf,
        /// What was being done (e.g. "read", "write").
        action: &'static str,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// A configuration value is out of range or inconsistent.
    #[error("invalid configuration: {0}")]
    InvalidConfig(String),
    /// The operating system's random number generator failed.
    #[error("the operating system's random number generator failed: {0}")]
    Random(String),
    /// A [`crate::Control`] call named an API token the emulator does not
    /// accept as a permission token (the token itself is not repeated here).
    #[error("the given API token is not one of the emulator's permission tokens")]
    UnknownApiToken,
    /// A [`crate::Control`] call named a shared token that does not exist in
    /// the selected account.
    #[error("token with id {token_id} not found for account {account_id}")]
    UnknownTokenId {
        /// The shared token id asked for.
        token_id: i32,
        /// The account that was searched.
        account_id: u32,
    },
    /// A change from a [`crate::Control`] call could not be saved to the
    /// state file, so it was not made.
    #[error("{0}")]
    NotSaved(String),
    /// [`crate::Control::fail_next`] was given a fault that is not an error
    /// status (400 to 599).
    #[error("{0}")]
    InvalidFault(String),
    /// A [`crate::Control`] call passed a timestamp outside the representable range.
    #[error("timestamp {millis} ms is outside the representable range")]
    TimestampOutOfRange {
        /// The rejected value.
        millis: i64,
    },
}
