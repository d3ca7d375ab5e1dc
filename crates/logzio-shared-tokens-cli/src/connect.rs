//! Turning the global flags into a facade `Client`: where the API token comes
//! from (`LOGZIO_API_TOKEN` or `--api-token-file`), the region or URL, the
//! timeout.
//!
//! The token is read here and handed straight to the client builder; it must
//! never be printed, logged or put into an error message.

use std::io::Read;
use std::path::Path;

use logzio_shared_tokens::{Client, ENV_API_TOKEN, Error, InputField, Region};

use crate::cli::GlobalArgs;
use crate::error::{CliError, ExitStatus};

/// Builds the client the global flags describe. `env` reads environment
/// variables (the process environment in production).
pub fn client(
    global: &GlobalArgs,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Client, CliError> {
    let token = api_token(global, env)?;
    let mut builder = Client::builder()
        .api_token(token)
        .region(global.region.unwrap_or(Region::Us))
        .timeout(global.timeout);
    if let Some(url) = global
        .api_url
        .as_deref()
        .filter(|url| !url.trim().is_empty())
    {
        builder = builder.base_url(url.trim());
    }
    builder.build().map_err(|error| match error {
        Error::InvalidInput {
            field: InputField::BaseUrl,
            reason,
            ..
        } => CliError::usage(format!("invalid --api-url / LOGZIO_API_URL: {reason}")),
        Error::InvalidInput {
            field: InputField::ApiToken,
            reason,
            ..
        } => CliError::new(ExitStatus::Auth, format!("the API token {reason}")),
        other => CliError::usage(format!("cannot configure the client: {other}")),
    })
}

/// The API token: `--api-token-file` wins over `LOGZIO_API_TOKEN`.
fn api_token(
    global: &GlobalArgs,
    env: impl Fn(&str) -> Option<String>,
) -> Result<String, CliError> {
    let token = match &global.api_token_file {
        Some(path) => read_token_file(path)?,
        None => env(ENV_API_TOKEN).unwrap_or_default(),
    };
    let token = token.trim();
    if token.is_empty() {
        let source = match &global.api_token_file {
            Some(path) => format!("{} is empty", path.display()),
            None => format!("{ENV_API_TOKEN} is not set"),
        };
        return Err(CliError::new(
            ExitStatus::Auth,
            format!(
                "no API token: {source}; set {ENV_API_TOKEN} or pass --api-token-file FILE \
                 (to try the tool without an account, run `logzio-shared-tokens demo`)"
            ),
        ));
    }
    Ok(token.to_owned())
}

fn read_token_file(path: &Path) -> Result<String, CliError> {
    let mut text = String::new();
    let read = if path.as_os_str() == "-" {
        std::io::stdin().read_to_string(&mut text).map(|_| ())
    } else {
        warn_if_readable_by_others(path);
        std::fs::File::open(path).and_then(|mut file| file.read_to_string(&mut text).map(|_| ()))
    };
    read.map_err(|error| {
        CliError::usage(format!(
            "cannot read the API token from --api-token-file {}: {error}",
            path.display()
        ))
    })?;
    Ok(text)
}

#[cfg(unix)]
fn warn_if_readable_by_others(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(metadata) = std::fs::metadata(path)
        && metadata.permissions().mode() & 0o077 != 0
    {
        eprintln!(
            "warning: {} can be read by other users; consider `chmod 600 {}`",
            path.display(),
            path.display()
        );
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_path: &Path) {}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::Cli;

    fn global(args: &[&str]) -> GlobalArgs {
        let argv = ["logzio-shared-tokens"]
            .iter()
            .chain(args)
            .chain(&["tokens", "list"]);
        Cli::try_parse_from(argv).unwrap().global
    }

    #[test]
    fn token_comes_from_the_environment_or_a_file() {
        let no_env = |_: &str| None;
        let error = client(&global(&[]), no_env).unwrap_err();
        assert_eq!(error.status, ExitStatus::Auth);
        assert!(
            error.message.contains("LOGZIO_API_TOKEN"),
            "{}",
            error.message
        );

        let env = |name: &str| (name == ENV_API_TOKEN).then(|| " env-token \n".to_owned());
        let built = client(&global(&["--region", "eu"]), env).unwrap();
        assert_eq!(built.base_url(), "https://api-eu.logz.io");

        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("token");
        std::fs::write(&file, "file-token\n").unwrap();
        let path = file.to_str().unwrap();
        let built = client(
            &global(&["--api-token-file", path, "--api-url", "http://127.0.0.1:9"]),
            no_env,
        )
        .unwrap();
        assert_eq!(built.base_url(), "http://127.0.0.1:9");

        std::fs::write(&file, "  \n").unwrap();
        let error = client(&global(&["--api-token-file", path]), env).unwrap_err();
        assert!(error.message.contains("is empty"), "{}", error.message);
    }

    #[test]
    fn plain_http_to_a_remote_host_is_a_usage_error() {
        let env = |_: &str| Some("t".to_owned());
        let error = client(&global(&["--api-url", "http://api.logz.io"]), env).unwrap_err();
        assert_eq!(error.status, ExitStatus::Usage);
        assert!(error.message.contains("--api-url"), "{}", error.message);
    }
}
