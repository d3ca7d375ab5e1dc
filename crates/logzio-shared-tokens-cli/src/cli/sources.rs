//! Where the global options got their values: the command line or their
//! environment variable, for messages that name the setting to change.

use super::Cli;

/// Which global options took their value from their environment variable.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FromEnv {
    /// `LOGZIO_API_URL` rather than `--api-url`.
    pub api_url: bool,
    /// `LOGZIO_REGION` rather than `--region`.
    pub region: bool,
}

impl Cli {
    /// Parses `args` like `try_parse_from`, and notes in
    /// [`GlobalArgs::from_env`](super::GlobalArgs::from_env) which options came from environment variables.
    pub fn parse_noting_sources<I, T>(args: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        use clap::parser::ValueSource;
        use clap::{CommandFactory, FromArgMatches};
        let matches = Self::command().try_get_matches_from(args)?;
        let mut cli =
            Self::from_arg_matches(&matches).map_err(|error| error.format(&mut Self::command()))?;
        let from_env = |id: &str| matches.value_source(id) == Some(ValueSource::EnvVariable);
        cli.global.from_env = FromEnv {
            api_url: from_env("api_url"),
            region: from_env("region"),
        };
        Ok(cli)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_say_whether_an_option_came_from_its_variable() {
        // The process environment is the test's: only the command line is varied, and
        // each option is given there, so its source is the command line.
        let cli = Cli::parse_noting_sources([
            "x",
            "tokens",
            "list",
            "--api-url",
            "http://127.0.0.1:1",
            "--region",
            "eu",
            "--profile",
            "work",
        ])
        .unwrap();
        assert_eq!(cli.global.from_env, FromEnv::default());
        assert_eq!(cli.global.profile.as_deref(), Some("work"));
    }
}
