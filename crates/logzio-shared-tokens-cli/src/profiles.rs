//! Profiles: named connection settings in a TOML file (the platform's
//! configuration directory, or `LOGZIO_SHARED_TOKENS_CONFIG`), each naming a
//! region or an API URL and where the API token comes from: a file, an
//! environment variable, or a command such as a password manager's.
//!
//! The token itself never sits in the file: a `token` key is refused. A token
//! file readable by others is refused (as ssh refuses such a key). A token
//! command's output is the secret: it is never put into an error, and its
//! failure names the command only.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use logzio_shared_tokens::Region;
use serde::Deserialize;

use crate::cli::parse_region;
use crate::error::{CliError, ExitStatus};

pub(crate) mod list;

/// The variable naming the configuration file (instead of the platform's directory).
pub const ENV_CONFIG: &str = "LOGZIO_SHARED_TOKENS_CONFIG";
/// The profile that applies when none is named.
pub const DEFAULT_PROFILE: &str = "default";

/// Keys that would hold the token itself.
const SECRET_KEYS: &[&str] = &["token", "api-token", "api_token", "apiToken"];

/// A profile of the configuration file.
#[derive(Debug)]
pub struct Profile {
    /// Its name: the key under `[profiles]`.
    pub name: String,
    /// The file it is in.
    pub file: PathBuf,
    /// Where requests go, unless a flag or an environment variable says.
    pub endpoint: Option<ProfileEndpoint>,
    /// Where the API token comes from, unless a flag or `LOGZIO_API_TOKEN` says.
    pub token: Option<TokenSource>,
}

/// A profile's `region` or `api-url`.
#[derive(Debug)]
pub enum ProfileEndpoint {
    /// `region = "eu"`.
    Region(Region),
    /// `api-url = "https://…"`.
    Url(String),
}

/// Where a profile's API token comes from.
#[derive(Debug)]
pub enum TokenSource {
    /// `api-token-file`: a file only its owner may read.
    File(PathBuf),
    /// `api-token-env`: the name of an environment variable.
    EnvVar(String),
    /// `api-token-command`: a program and its arguments, run without a shell.
    Command(Vec<String>),
}

/// One profile as the file spells it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ProfileEntry {
    region: Option<String>,
    api_url: Option<String>,
    api_token_file: Option<PathBuf>,
    api_token_env: Option<String>,
    api_token_command: Option<Vec<String>>,
}

/// The configuration file: where it is, and its profiles (none when it does not exist).
#[derive(Debug)]
pub struct ConfigFile {
    /// Its path.
    pub path: PathBuf,
    /// Whether it exists.
    pub exists: bool,
    /// Its profiles, by name.
    pub profiles: BTreeMap<String, Profile>,
}

impl ConfigFile {
    /// Reads the configuration file: `LOGZIO_SHARED_TOKENS_CONFIG`, or
    /// `logzio-shared-tokens/config.toml` in the platform's configuration
    /// directory. `None` when neither can be known (no home directory).
    pub fn load(env: &impl Fn(&str) -> Option<String>) -> Result<Option<Self>, CliError> {
        let Some(path) = config_path(env) else {
            return Ok(None);
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Some(Self {
                    path,
                    exists: false,
                    profiles: BTreeMap::new(),
                }));
            }
            Err(error) => {
                return Err(CliError::failure(format!(
                    "cannot read the configuration file {}: {error}",
                    path.display()
                )));
            }
        };
        let profiles = parse(&text, &path)?;
        Ok(Some(Self {
            path,
            exists: true,
            profiles,
        }))
    }

    /// The profile that applies: the one named by `--profile` or
    /// `LOGZIO_PROFILE` (an error when there is none of that name), else
    /// `default` if the file has one.
    pub fn select(config: Option<Self>, named: Option<&str>) -> Result<Option<Profile>, CliError> {
        let Some(name) = named else {
            return Ok(config.and_then(|mut config| config.profiles.remove(DEFAULT_PROFILE)));
        };
        let Some(mut config) = config else {
            return Err(CliError::usage(format!(
                "profile {name:?}: no configuration file, since the home directory is unknown; \
                 set {ENV_CONFIG} to its path"
            )));
        };
        if let Some(profile) = config.profiles.remove(name) {
            return Ok(Some(profile));
        }
        let path = config.path.display();
        let known = if !config.exists {
            format!("{path} does not exist (the CLI's README shows one)")
        } else if config.profiles.is_empty() {
            format!("{path} has no profiles")
        } else {
            let names: Vec<&str> = config.profiles.keys().map(String::as_str).collect();
            format!("the profiles of {path} are: {}", names.join(", "))
        };
        Err(CliError::usage(format!("no profile {name:?}: {known}")))
    }
}

fn config_path(env: &impl Fn(&str) -> Option<String>) -> Option<PathBuf> {
    if let Some(path) = env(ENV_CONFIG).filter(|path| !path.trim().is_empty()) {
        return Some(PathBuf::from(path));
    }
    use etcetera::BaseStrategy;
    let base = etcetera::choose_base_strategy().ok()?;
    Some(
        base.config_dir()
            .join("logzio-shared-tokens")
            .join("config.toml"),
    )
}

fn parse(text: &str, path: &Path) -> Result<BTreeMap<String, Profile>, CliError> {
    let invalid = |reason: String| CliError::usage(format!("{}: {reason}", path.display()));
    let mut table: toml::Table =
        toml::from_str(text).map_err(|error| invalid(syntax_error(text, &error)))?;
    if let Some(other) = table.keys().find(|key| *key != "profiles") {
        return Err(invalid(format!(
            "unknown key {other:?}: the file holds [profiles.NAME] tables only"
        )));
    }
    let Some(profiles) = table.remove("profiles") else {
        return Ok(BTreeMap::new());
    };
    let toml::Value::Table(profiles) = profiles else {
        return Err(invalid(
            "`profiles` must be a table of [profiles.NAME] tables".to_owned(),
        ));
    };
    profiles
        .into_iter()
        .map(|(name, entry)| {
            let profile = profile(&name, entry, path)
                .map_err(|reason| invalid(format!("profile {name:?}: {reason}")))?;
            Ok((name, profile))
        })
        .collect()
}

/// Where and why the file is not TOML, without the parser's quote of the line:
/// that line may be an API token written where it never belongs.
fn syntax_error(text: &str, error: &toml::de::Error) -> String {
    let message = error.message().trim_end();
    let Some(before) = error.span().and_then(|span| text.get(..span.start)) else {
        return message.to_owned();
    };
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map_or(0, |start| start.chars().count())
        + 1;
    format!("line {line}, column {column}: {message}")
}

fn profile(name: &str, entry: toml::Value, file: &Path) -> Result<Profile, String> {
    // Checked before deserializing: serde's "invalid type" message would quote the value.
    if !entry.is_table() {
        return Err("must be a [profiles.NAME] table".to_owned());
    }
    if let toml::Value::Table(keys) = &entry
        && let Some(key) = SECRET_KEYS.iter().find(|key| keys.contains_key(**key))
    {
        return Err(format!(
            "{key:?}: the API token never goes into this file (anyone who can read it, or a \
             backup of it, would have it); name where it comes from instead: api-token-file, \
             api-token-env or api-token-command"
        ));
    }
    let entry = ProfileEntry::deserialize(entry).map_err(|error| error.message().to_owned())?;
    let endpoint = match (entry.region, entry.api_url) {
        (Some(_), Some(_)) => {
            return Err("set region or api-url, not both (the URL would win)".to_owned());
        }
        (Some(code), None) => Some(ProfileEndpoint::Region(parse_region(&code)?)),
        (None, Some(url)) => Some(ProfileEndpoint::Url(url)),
        (None, None) => None,
    };
    let token = match (
        entry.api_token_file,
        entry.api_token_env,
        entry.api_token_command,
    ) {
        (None, None, None) => None,
        (Some(path), None, None) => Some(TokenSource::File(token_file_path(&path, file))),
        (None, Some(variable), None) => Some(TokenSource::EnvVar(variable)),
        (None, None, Some(command)) if command.is_empty() => {
            return Err(
                "api-token-command is empty: give the program and its arguments, \
                        e.g. [\"pass\", \"show\", \"logzio\"]"
                    .to_owned(),
            );
        }
        (None, None, Some(command)) => Some(TokenSource::Command(command)),
        _ => {
            return Err(
                "name one of api-token-file, api-token-env and api-token-command".to_owned(),
            );
        }
    };
    Ok(Profile {
        name: name.to_owned(),
        file: file.to_owned(),
        endpoint,
        token,
    })
}

/// `~/…` is under the home directory; a relative path is beside the configuration file.
fn token_file_path(path: &Path, config_file: &Path) -> PathBuf {
    if let Ok(below_home) = path.strip_prefix("~")
        && let Ok(home) = etcetera::home_dir()
    {
        return home.join(below_home);
    }
    match config_file.parent() {
        Some(directory) if path.is_relative() => directory.join(path),
        _ => path.to_owned(),
    }
}

impl Profile {
    /// How errors and notes name it: `profile "work" (FILE)`.
    pub fn label(&self) -> String {
        format!("profile {:?} ({})", self.name, self.file.display())
    }
}

impl TokenSource {
    /// Reads the API token. Never puts it, or a command's output, into an error.
    pub fn read(
        &self,
        profile: &Profile,
        env: &impl Fn(&str) -> Option<String>,
    ) -> Result<String, CliError> {
        let no_token = |reason: String| {
            CliError::new(
                ExitStatus::Auth,
                format!("no API token: {reason} ({})", profile.label()),
            )
        };
        let token = match self {
            TokenSource::File(path) => {
                refuse_if_readable_by_others(path, profile)?;
                std::fs::read_to_string(path).map_err(|error| {
                    CliError::usage(format!(
                        "cannot read the API token file {} of {}: {error}",
                        path.display(),
                        profile.label()
                    ))
                })?
            }
            TokenSource::EnvVar(name) => env(name).unwrap_or_default(),
            TokenSource::Command(argv) => run_token_command(argv).map_err(no_token)?,
        };
        let token = token.trim();
        if token.is_empty() {
            return Err(no_token(match self {
                TokenSource::File(path) => format!("{} is empty", path.display()),
                TokenSource::EnvVar(name) => format!("{name} is not set"),
                TokenSource::Command(argv) => {
                    format!("the command `{}` printed nothing", shown_command(argv))
                }
            }));
        }
        Ok(token.to_owned())
    }
}

/// Runs a token command without a shell: stdout is the token; stderr goes to
/// the user (a password manager's prompt or complaint); stdin is closed so
/// that it cannot take input meant for this command.
fn run_token_command(argv: &[String]) -> Result<String, String> {
    let shown = shown_command(argv);
    let (program, arguments) = argv
        .split_first()
        .ok_or_else(|| "api-token-command is empty".to_owned())?;
    let output = Command::new(program)
        .args(arguments)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|error| format!("cannot run the command `{shown}`: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "the command `{shown}` failed ({}); its own messages, if any, are above",
            output.status
        ));
    }
    String::from_utf8(output.stdout)
        .map_err(|_| format!("the command `{shown}` printed something that is not UTF-8 text"))
}

/// A command as a person would type it (words with spaces or quotes quoted).
fn shown_command(argv: &[String]) -> String {
    let words: Vec<String> = argv
        .iter()
        .map(|word| {
            if word.is_empty()
                || word.contains(|c: char| c.is_whitespace() || c == '"' || c == '\'')
            {
                format!("{word:?}")
            } else {
                word.clone()
            }
        })
        .collect();
    words.join(" ")
}

/// Refused for a profile's token file, as ssh refuses such a key: the
/// file is kept for good, so a lax mode is not a one-off.
fn refuse_if_readable_by_others(path: &Path, profile: &Profile) -> Result<(), CliError> {
    if readable_by_others(path) {
        return Err(CliError::usage(format!(
            "the API token file {path} of {} can be read or changed by other users, so it is \
             not used; run `chmod 600 {path}`",
            profile.label(),
            path = path.display(),
        )));
    }
    Ok(())
}

/// Whether users other than the owner (its group, or anyone) may read or
/// write the file; `false` where it cannot be told (not Unix, or no file).
#[cfg(unix)]
pub(crate) fn readable_by_others(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|metadata| metadata.permissions().mode() & 0o077 != 0)
}

/// Whether users other than the owner may read or write the file: not told
/// by a mode outside Unix.
#[cfg(not(unix))]
pub(crate) fn readable_by_others(_path: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Result<BTreeMap<String, Profile>, CliError> {
        parse(text, Path::new("/cfg/config.toml"))
    }

    #[test]
    fn a_profile_names_an_endpoint_and_a_token_source_never_the_token() {
        let profiles = parsed(
            "[profiles.work]\nregion = \"EU\"\napi-token-file = \"work.token\"\n\
             [profiles.ci]\napi-url = \"https://proxy.example\"\napi-token-env = \"CI_TOKEN\"\n\
             [profiles.pm]\napi-token-command = [\"pass\", \"show\", \"logzio\"]\n",
        )
        .unwrap();
        let work = &profiles["work"];
        assert!(matches!(
            work.endpoint,
            Some(ProfileEndpoint::Region(Region::Eu))
        ));
        assert!(
            matches!(&work.token, Some(TokenSource::File(path)) if path == Path::new("/cfg/work.token"))
        );
        assert!(
            matches!(&profiles["ci"].token, Some(TokenSource::EnvVar(name)) if name == "CI_TOKEN")
        );
        assert!(
            matches!(&profiles["pm"].token, Some(TokenSource::Command(argv)) if argv.len() == 3)
        );
        assert!(profiles["pm"].endpoint.is_none());

        for refused in [
            "[profiles.x]\ntoken = \"abc\"\n",
            "[profiles.x]\napi_token = \"abc\"\n",
            "[profiles.x]\nregion = \"eu\"\napi-url = \"https://a\"\n",
            "[profiles.x]\napi-token-env = \"A\"\napi-token-file = \"f\"\n",
            "[profiles.x]\napi-token-command = []\n",
            "[profiles.x]\nregion = \"mars\"\n",
            "[profiles.x]\nfavourite = 1\n",
            "token = \"abc\"\n",
        ] {
            let error = parsed(refused).unwrap_err();
            assert_eq!(error.status, ExitStatus::Usage, "{refused}");
        }
    }

    #[test]
    fn a_token_written_into_the_file_by_mistake_is_never_quoted() {
        for mistake in [
            "[profiles.x]\ntoken = tok-secret-value\n",
            "[profiles.x]\nregion = \"eu\"\ntok-secret-value\n",
            "[profiles]\nx = \"tok-secret-value\"\n",
            "[profiles.x]\napi-token-env = \"tok-secret-value\" extra\n",
        ] {
            let error = parsed(mistake).unwrap_err();
            assert_eq!(error.status, ExitStatus::Usage, "{mistake}");
            assert!(
                !error.message.contains("secret"),
                "{mistake}: {}",
                error.message
            );
            assert!(
                error.message.contains("/cfg/config.toml"),
                "{}",
                error.message
            );
        }
        let unquoted = parsed("[profiles.x]\n\ntoken = tok-secret-value\n").unwrap_err();
        assert!(
            unquoted.message.contains("line 3, column"),
            "{}",
            unquoted.message
        );
    }

    #[test]
    fn a_named_profile_must_exist_and_default_applies_only_when_present() {
        let config = |text: &str| ConfigFile {
            path: PathBuf::from("/cfg/config.toml"),
            exists: true,
            profiles: parsed(text).unwrap(),
        };
        let both = "[profiles.default]\n[profiles.work]\n";
        let chosen = ConfigFile::select(Some(config(both)), None)
            .unwrap()
            .unwrap();
        assert_eq!(chosen.name, "default");
        assert!(
            ConfigFile::select(Some(config("[profiles.work]\n")), None)
                .unwrap()
                .is_none()
        );
        let missing = ConfigFile::select(Some(config(both)), Some("play")).unwrap_err();
        assert_eq!(missing.status, ExitStatus::Usage);
    }

    #[test]
    fn commands_show_as_typed() {
        let argv = |words: &[&str]| words.iter().map(|w| (*w).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            shown_command(&argv(&["pass", "show", "a b"])),
            "pass show \"a b\""
        );
    }
}
