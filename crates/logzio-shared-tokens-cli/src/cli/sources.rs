//! Where the global options got their values: the command line or their
//! environment variable, for messages that name the setting to change.

/// Which global options took their value from their environment variable.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FromEnv {
    /// `LOGZIO_API_URL` rather than `--api-url`.
    pub api_url: bool,
    /// `LOGZIO_REGION` rather than `--region`.
    pub region: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;

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
