//! Turning the global flags into a facade `Client`: where requests go (a
//! region or URL), where the API token comes from, the timeout. Each setting
//! comes from the first of: its flag, its environment variable, the profile
//! (`--profile`, `LOGZIO_PROFILE`, or `default`), the facade's default.
//!
//! The token is read here and handed straight to the client builder; it must
//! never be printed, logged or put into an error message.

use std::io::{IsTerminal, Read, Write};
use std::path::Path;

use logzio_shared_tokens::{Client, ClientBuilder, ENV_API_TOKEN, Error, InputField};

use crate::cli::GlobalArgs;
use crate::error::{CliError, ExitStatus};
use crate::profiles::{ConfigFile, Profile, ProfileEndpoint};

/// What the no-echo prompt of `--api-token-file -` says on a terminal.
const TOKEN_PROMPT: &str = "Logz.io API token: ";

/// Builds the client the global flags (and the profile) describe. `env`
/// reads environment variables (the process environment in production).
pub fn client(
    global: &GlobalArgs,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Client, CliError> {
    let config = ConfigFile::load(&env)?;
    let profile = ConfigFile::select(config, global.profile.as_deref())?;
    let (builder, url_setting) = endpoint(global, profile.as_ref());
    let token = api_token(global, profile.as_ref(), &env)?;
    builder
        .api_token(token)
        .timeout(global.timeout)
        .build()
        .map_err(|error| match error {
            Error::InvalidInput {
                field: InputField::BaseUrl,
                reason,
                ..
            } => CliError::usage(format!("invalid {url_setting}: {reason}")),
            Error::InvalidInput {
                field: InputField::ApiToken,
                reason,
                ..
            } => CliError::new(ExitStatus::Auth, format!("the API token {reason}")),
            other => CliError::usage(format!("cannot configure the client: {other}")),
        })
}

/// Where requests go, named by the setting that chose it: `--api-url` or
/// `LOGZIO_API_URL` (which win over a region), `--region` or
/// `LOGZIO_REGION`, the profile's, else the facade's default region. Also
/// returns how to name the URL's setting in a usage error.
fn endpoint(global: &GlobalArgs, profile: Option<&Profile>) -> (ClientBuilder, String) {
    let builder = Client::builder();
    let with_endpoint = profile.filter(|profile| profile.endpoint.is_some());
    if let Some(url) = global
        .api_url
        .as_deref()
        .filter(|url| !url.trim().is_empty())
    {
        let setting = if global.from_env.api_url {
            note_overridden(global, logzio_shared_tokens::ENV_API_URL, with_endpoint)
        } else {
            "--api-url"
        };
        let builder = builder.base_url(url.trim()).endpoint_origin(setting);
        return (builder, setting.to_owned());
    }
    if let Some(region) = global.region {
        let setting = if global.from_env.region {
            note_overridden(global, logzio_shared_tokens::ENV_REGION, with_endpoint)
        } else {
            "--region"
        };
        return (
            builder.region(region).endpoint_origin(setting),
            setting.to_owned(),
        );
    }
    match profile.and_then(|profile| Some((profile, profile.endpoint.as_ref()?))) {
        Some((profile, ProfileEndpoint::Region(region))) => (
            builder.region(*region).endpoint_origin(profile.label()),
            profile.label(),
        ),
        Some((profile, ProfileEndpoint::Url(url))) => {
            let setting = format!("api-url of {}", profile.label());
            (
                builder
                    .base_url(url.trim())
                    .endpoint_origin(profile.label()),
                setting,
            )
        }
        None => (builder, "the default region".to_owned()),
    }
}

/// Says on stderr when a variable wins over the same setting of a profile
/// the user named: one exported for another account is easy to miss. (Over
/// the `default` profile, which applies unasked, the variable is the intent.)
fn note_overridden(
    global: &GlobalArgs,
    variable: &'static str,
    profile: Option<&Profile>,
) -> &'static str {
    if let Some(profile) = profile.filter(|_| global.profile.is_some() && !global.quiet) {
        eprintln!(
            "note: {variable} is set, so it is used instead of the setting of {}",
            profile.label()
        );
    }
    variable
}

/// The API token: `--api-token-file`, else `LOGZIO_API_TOKEN`, else the
/// profile's source.
fn api_token(
    global: &GlobalArgs,
    profile: Option<&Profile>,
    env: &impl Fn(&str) -> Option<String>,
) -> Result<String, CliError> {
    let profile_source = profile.and_then(|profile| Some((profile, profile.token.as_ref()?)));
    let token = if let Some(path) = &global.api_token_file {
        read_token_file(path)?
    } else if let Some(token) = env(ENV_API_TOKEN).filter(|token| !token.trim().is_empty()) {
        note_overridden(global, ENV_API_TOKEN, profile.filter(|p| p.token.is_some()));
        token
    } else if let Some((profile, source)) = profile_source {
        return source.read(profile, env);
    } else {
        String::new()
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
                "no API token: {source}; set {ENV_API_TOKEN}, pass --api-token-file FILE or use a \
                 profile (--profile NAME) (to try the tool without an account, run \
                 `logzio-shared-tokens demo`)"
            ),
        ));
    }
    Ok(token.to_owned())
}

fn read_token_file(path: &Path) -> Result<String, CliError> {
    let mut text = String::new();
    let read = if path.as_os_str() == "-" {
        if std::io::stdin().is_terminal() {
            read_typed_token().map(|typed| text = typed)
        } else {
            std::io::stdin().read_to_string(&mut text).map(|_| ())
        }
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

/// Asks on stderr (stdout may be a pipe) and reads from the terminal without echo.
fn read_typed_token() -> std::io::Result<String> {
    let mut stderr = std::io::stderr();
    stderr.write_all(TOKEN_PROMPT.as_bytes())?;
    stderr.flush()?;
    rpassword::read_password()
}

fn warn_if_readable_by_others(path: &Path) {
    if crate::profiles::readable_by_others(path) {
        eprintln!(
            "warning: {} can be read by other users; consider `chmod 600 {}`",
            path.display(),
            path.display()
        );
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::Cli;

    /// Variables as `pairs` say, with no configuration file (so that the
    /// machine's own profiles play no part).
    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name: &str| {
            if name == crate::profiles::ENV_CONFIG {
                return Some("/nonexistent/logzio-shared-tokens/config.toml".to_owned());
            }
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        }
    }

    fn global(args: &[&str]) -> GlobalArgs {
        let argv = ["logzio-shared-tokens"]
            .iter()
            .chain(args)
            .chain(&["tokens", "list"]);
        Cli::try_parse_from(argv).unwrap().global
    }

    #[test]
    fn token_comes_from_the_environment_or_a_file() {
        let no_env = env_of(&[]);
        let error = client(&global(&[]), &no_env).unwrap_err();
        assert_eq!(error.status, ExitStatus::Auth);
        assert!(
            error.message.contains("LOGZIO_API_TOKEN"),
            "{}",
            error.message
        );

        let env = env_of(&[(ENV_API_TOKEN, " env-token \n")]);
        let built = client(&global(&["--region", "eu"]), &env).unwrap();
        assert_eq!(built.base_url(), "https://api-eu.logz.io");

        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("token");
        std::fs::write(&file, "file-token\n").unwrap();
        let path = file.to_str().unwrap();
        let built = client(
            &global(&["--api-token-file", path, "--api-url", "http://127.0.0.1:9"]),
            &no_env,
        )
        .unwrap();
        assert_eq!(built.base_url(), "http://127.0.0.1:9");

        std::fs::write(&file, "  \n").unwrap();
        let error = client(&global(&["--api-token-file", path]), env).unwrap_err();
        assert!(error.message.contains("is empty"), "{}", error.message);
    }

    #[test]
    fn plain_http_to_a_remote_host_is_a_usage_error() {
        let env = env_of(&[(ENV_API_TOKEN, "t")]);
        let error = client(&global(&["--api-url", "http://api.logz.io"]), env).unwrap_err();
        assert_eq!(error.status, ExitStatus::Usage);
        assert!(error.message.contains("--api-url"), "{}", error.message);
    }
}
