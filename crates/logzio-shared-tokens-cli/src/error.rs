//! The CLI's one error type: a one-line message saying what failed and what
//! to do, and the documented exit code it ends the process with.
//!
//! Messages are built from the facade's `Error` Display, which never contains
//! the API token or a shared token value; nothing here may add one.

use std::fmt;
use std::process::ExitCode;

use logzio_shared_tokens::{ENV_API_TOKEN, Error as ApiError};

/// The documented exit codes (also listed in `--help` and the README).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: success.
    Success = 0,
    /// 1: any failure without a more specific code.
    Failure = 1,
    /// 2: a bad flag, argument or input; a confirmation was needed; or
    /// `export --output` would replace a file without `--force`.
    Usage = 2,
    /// 3: no token or filter with that id.
    NotFound = 3,
    /// 4: no API token, token refused (401), or no shared-tokens permission (403).
    Auth = 4,
    /// 5: API unavailable, rate limited, timed out or unreachable.
    Unavailable = 5,
    /// 6: `audit` found something `--fail-on` names.
    Findings = 6,
    /// 7: `apply --dry-run --detailed-exitcode` planned changes: the account
    /// differs from the file (drift), or tokens are due for renewal.
    Drift = 7,
}

impl ExitStatus {
    /// The numeric code.
    pub fn code(self) -> u8 {
        self as u8
    }
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> Self {
        ExitCode::from(status.code())
    }
}

/// A failure to report on stderr, with its exit code.
#[derive(Debug)]
pub struct CliError {
    /// The exit code.
    pub status: ExitStatus,
    /// One line: what failed, why, and what to do.
    pub message: String,
}

impl CliError {
    /// An error with an explicit status.
    pub fn new(status: ExitStatus, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    /// A usage error (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(ExitStatus::Usage, message)
    }

    /// A generic failure (exit 1).
    pub fn failure(message: impl Into<String>) -> Self {
        Self::new(ExitStatus::Failure, message)
    }

    /// An API error, prefixed by what was being done (e.g. `tokens get 5`),
    /// with advice on what to do next.
    pub fn api(action: &str, error: &ApiError) -> Self {
        Self::new(status_of(error), format!("{action}: {}", describe(error)))
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {}

/// The exit status an API error maps to.
pub fn status_of(error: &ApiError) -> ExitStatus {
    match error {
        ApiError::NotFound { .. } => ExitStatus::NotFound,
        ApiError::Unauthorized { .. } | ApiError::Forbidden { .. } => ExitStatus::Auth,
        ApiError::RateLimited { .. }
        | ApiError::Unavailable { .. }
        | ApiError::Transport { .. } => ExitStatus::Unavailable,
        ApiError::InvalidInput { .. }
        | ApiError::UnknownOperator { .. }
        | ApiError::AmbiguousTokenName { .. }
        | ApiError::AmbiguousFilter { .. } => ExitStatus::Usage,
        ApiError::RotationIncomplete { source, .. } => status_of(source),
        _ => ExitStatus::Failure,
    }
}

/// The facade's message plus what the user can do about it.
pub fn describe(error: &ApiError) -> String {
    match error {
        ApiError::NotFound { message, .. } => format!(
            "not found ({message}); list the ids with `logzio-shared-tokens tokens list` or `filters list`"
        ),
        // The facade's message names the endpoint, the setting that chose it, and whether
        // a region could be to blame; the CLI adds where the token came from.
        ApiError::Unauthorized { .. } => format!(
            "{error}; check the API token ({ENV_API_TOKEN}, --api-token-file or the profile's \
             source) and the setting named above"
        ),
        ApiError::RateLimited { .. } => format!(
            "{error}; too many concurrent requests for this account (Logz.io allows 100): try again shortly"
        ),
        ApiError::Unavailable { .. } => {
            format!("{error}; nothing was changed by this request: try again later")
        }
        ApiError::Transport { .. } => format!(
            "{error}; check the network, the setting named above and --timeout, then try again"
        ),
        other => other.to_string(),
    }
}
