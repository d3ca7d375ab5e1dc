//! `profiles list`: each profile's name, endpoint and token source, never a
//! token, as a table or as JSON.

use std::fmt;

use logzio_shared_tokens::{ENV_API_TOKEN, Region};
use serde_json::json;

use super::{ConfigFile, DEFAULT_PROFILE, ENV_CONFIG, ProfileEndpoint, TokenSource, shown_command};
use crate::error::CliError;
use crate::output::{Printer, new_table};

impl fmt::Display for ProfileEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProfileEndpoint::Region(region) => write!(f, "region {region}"),
            ProfileEndpoint::Url(url) => f.write_str(url),
        }
    }
}

impl TokenSource {
    fn kind(&self) -> &'static str {
        match self {
            TokenSource::File(_) => "file",
            TokenSource::EnvVar(_) => "env",
            TokenSource::Command(_) => "command",
        }
    }

    fn detail(&self) -> String {
        match self {
            TokenSource::File(path) => path.display().to_string(),
            TokenSource::EnvVar(name) => name.clone(),
            TokenSource::Command(argv) => shown_command(argv),
        }
    }
}

/// `profiles list`: each profile's name, endpoint and token source, never a token.
pub fn list(
    printer: &Printer,
    named: Option<&str>,
    env: &impl Fn(&str) -> Option<String>,
) -> Result<(), CliError> {
    let config = ConfigFile::load(env)?;
    let path = config
        .as_ref()
        .map(|config| config.path.display().to_string());
    let profiles = config.map(|config| config.profiles).unwrap_or_default();
    let applies = named.unwrap_or(DEFAULT_PROFILE);
    if printer.json() {
        let listed: Vec<_> = profiles
            .values()
            .map(|profile| {
                json!({
                    "name": profile.name,
                    "region": match &profile.endpoint {
                        Some(ProfileEndpoint::Region(region)) => Some(region.code()),
                        _ => None,
                    },
                    "apiUrl": match &profile.endpoint {
                        Some(ProfileEndpoint::Url(url)) => Some(url),
                        _ => None,
                    },
                    "tokenSource": profile.token.as_ref().map(|source| json!({
                        "kind": source.kind(),
                        "value": source.detail(),
                    })),
                    "applies": profile.name == applies,
                })
            })
            .collect();
        return printer.json_value(&json!({"configFile": path, "profiles": listed}));
    }
    match &path {
        Some(path) if profiles.is_empty() => {
            eprintln!("No profiles in {path} (the CLI's README shows the format).");
            return Ok(());
        }
        Some(path) if !printer.quiet => eprintln!("Profiles in {path} (* applies now):"),
        Some(_) => {}
        None => {
            eprintln!("No configuration file: the home directory is unknown; set {ENV_CONFIG}.");
            return Ok(());
        }
    }
    let mut table = new_table(&["", "PROFILE", "API", "API TOKEN FROM"]);
    for profile in profiles.values() {
        table.add_row(vec![
            if profile.name == applies { "*" } else { "" }.to_owned(),
            profile.name.clone(),
            profile.endpoint.as_ref().map_or_else(
                || format!("(default region {})", Region::Us),
                ToString::to_string,
            ),
            profile.token.as_ref().map_or_else(
                || format!("({ENV_API_TOKEN} or --api-token-file)"),
                |source| format!("{} {}", source.kind(), source.detail()),
            ),
        ]);
    }
    printer.line(table.to_string())
}
