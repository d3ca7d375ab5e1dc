//! How the CLI connects and what it says when it cannot: errors that name
//! the URL and the setting that chose it, a URL without a scheme, profiles
//! (each token source, precedence, refusals, `profiles list`), and the
//! no-echo prompt of `--api-token-file -` on a terminal.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::{Path, PathBuf};

use predicates::prelude::*;
use support::{Api, bare_cli};

/// A loopback URL with nothing listening (the port was free a moment ago).
fn dead_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// Quick retries, so that an unreachable URL fails in well under a second.
const FAST: &[&str] = &["--timeout", "2s"];

#[test]
fn an_unreachable_url_is_named_with_the_flag_or_variable_that_set_it() {
    let url = dead_url();
    bare_cli()
        .env("LOGZIO_API_TOKEN", "t")
        .args(FAST)
        .args(["--api-url", &url, "tokens", "list"])
        .assert()
        .code(5)
        .stderr(predicate::str::contains(format!(
            "{url} (set by --api-url)"
        )))
        .stderr(predicate::str::contains("connection failed"))
        .stderr(predicate::str::contains("region").not());
    bare_cli()
        .env("LOGZIO_API_TOKEN", "t")
        .env("LOGZIO_API_URL", &url)
        .args(FAST)
        .args(["filters", "list"])
        .assert()
        .code(5)
        .stderr(predicate::str::contains(format!(
            "{url} (set by LOGZIO_API_URL)"
        )));
}

#[test]
fn a_refused_token_under_an_explicit_url_does_not_blame_the_region() {
    let api = Api::start();
    api.cli()
        .env("LOGZIO_API_TOKEN", "unknown-token-0123456789")
        .args(["tokens", "list"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("HTTP 401"))
        .stderr(predicate::str::contains(format!(
            "{} (set by --api-url)",
            api.url
        )))
        .stderr(predicate::str::contains("LOGZIO_API_TOKEN"))
        .stderr(predicate::str::contains("region").not())
        .stderr(predicate::str::contains("unknown-token").not());
}

#[test]
fn a_url_without_a_scheme_is_told_which_scheme_to_write() {
    bare_cli()
        .env("LOGZIO_API_TOKEN", "t")
        .args(["--api-url", "127.0.0.1:40305", "tokens", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid --api-url"))
        .stderr(predicate::str::contains("http://127.0.0.1:40305"))
        .stderr(predicate::str::contains("https://127.0.0.1:40305"))
        .stderr(predicate::str::contains("relative URL").not());
    bare_cli()
        .env("LOGZIO_API_TOKEN", "t")
        .env("LOGZIO_API_URL", "api-eu.logz.io")
        .args(["tokens", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid LOGZIO_API_URL"))
        .stderr(predicate::str::contains("https://api-eu.logz.io"))
        .stderr(predicate::str::contains("http://api-eu").not());
}

/// A temporary configuration directory: the config file and token files.
struct Config {
    dir: tempfile::TempDir,
}

impl Config {
    fn new(text: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config.toml"), text).unwrap();
        Self { dir }
    }

    fn path(&self) -> PathBuf {
        self.dir.path().join("config.toml")
    }

    /// Writes a token file with this Unix mode.
    fn token_file(&self, name: &str, token: &str, mode: u32) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, format!("{token}\n")).unwrap();
        set_mode(&path, mode);
        path
    }

    /// The binary with this configuration file and no API token or URL of its own.
    fn cli(&self) -> assert_cmd::Command {
        let mut command = bare_cli();
        command.env("LOGZIO_SHARED_TOKENS_CONFIG", self.path());
        command
    }
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) {}

/// How many tokens `tokens list --json` printed.
fn listed(output: &std::process::Output) -> usize {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let tokens: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    tokens.as_array().unwrap().len()
}

#[test]
fn each_token_source_of_a_profile_reaches_the_emulator() {
    let api = Api::start();
    api.token("from-profiles", &[]);
    let config = Config::new("");
    let file = config.token_file("work.token", &api.token, 0o600);
    let copy = config.token_file("for-cat.token", &api.token, 0o600);
    std::fs::write(
        config.path(),
        format!(
            "[profiles.by-file]\napi-url = {url:?}\napi-token-file = {file:?}\n\
             [profiles.by-env]\napi-url = {url:?}\napi-token-env = \"WORK_LOGZIO_TOKEN\"\n\
             [profiles.by-command]\napi-url = {url:?}\napi-token-command = [\"cat\", {copy:?}]\n",
            url = api.url,
        ),
    )
    .unwrap();
    for (profile, variable) in [
        ("by-file", None),
        ("by-env", Some(("WORK_LOGZIO_TOKEN", api.token.as_str()))),
        ("by-command", None),
    ] {
        let mut command = config.cli();
        if let Some((name, value)) = variable {
            command.env(name, value);
        }
        let output = command
            .args(["--profile", profile, "--json", "tokens", "list"])
            .output()
            .unwrap();
        assert_eq!(listed(&output), 1, "{profile}");
    }
    // LOGZIO_PROFILE names it too.
    let output = config
        .cli()
        .env("LOGZIO_PROFILE", "by-file")
        .args(["--json", "tokens", "list"])
        .output()
        .unwrap();
    assert_eq!(listed(&output), 1);
}

#[test]
fn flags_and_variables_win_over_the_profile_and_default_applies_unasked() {
    let api = Api::start();
    let dead = dead_url();
    let stale = format!("api-url = {dead:?}\napi-token-env = \"STALE_TOKEN\"\n");
    let config = Config::new(&format!(
        "[profiles.default]\n{stale}[profiles.work]\n{stale}"
    ));
    // Unasked, `default` applies: its URL is named as the profile's.
    config
        .cli()
        .env("STALE_TOKEN", "t")
        .args(FAST)
        .args(["tokens", "list"])
        .assert()
        .code(5)
        .stderr(predicate::str::contains(format!(
            "{dead} (set by profile \"default\""
        )));
    // Over `default`, the flag and LOGZIO_API_TOKEN are the intent: no note.
    config
        .cli()
        .env("STALE_TOKEN", "wrong-token-0123456789")
        .env("LOGZIO_API_TOKEN", &api.token)
        .args(["--api-url", &api.url, "tokens", "list"])
        .assert()
        .success()
        .stderr(predicate::str::contains("note:").not());
    // Over a profile named on purpose, the variables still win, and each says so.
    config
        .cli()
        .env("STALE_TOKEN", "wrong-token-0123456789")
        .env("LOGZIO_API_TOKEN", &api.token)
        .env("LOGZIO_API_URL", &api.url)
        .args(["--profile", "work", "tokens", "list"])
        .assert()
        .success()
        .stderr(predicate::str::contains("note: LOGZIO_API_TOKEN is set"))
        .stderr(predicate::str::contains("note: LOGZIO_API_URL is set"));
}

#[test]
fn a_token_command_that_fails_is_named_but_its_output_never_shown() {
    // It prints `printed-secret`, which its own words never spell.
    let config = Config::new(
        "[profiles.pm]\napi-url = \"http://127.0.0.1:9\"\n\
         api-token-command = [\"sh\", \"-c\", \"printf %s-%s printed secret; exit 3\"]\n",
    );
    config
        .cli()
        .args(["--profile", "pm", "tokens", "list"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("sh -c"))
        .stderr(predicate::str::contains("profile \"pm\""))
        .stderr(predicate::str::contains("printed-secret").not())
        .stdout(predicate::str::contains("printed-secret").not());
}

#[cfg(unix)]
#[test]
fn a_token_file_others_can_read_is_refused_with_the_chmod_to_run() {
    let config = Config::new("");
    let file = config.token_file("lax.token", "t", 0o644);
    std::fs::write(
        config.path(),
        format!("[profiles.lax]\napi-url = \"http://127.0.0.1:9\"\napi-token-file = {file:?}\n"),
    )
    .unwrap();
    config
        .cli()
        .args(["--profile", "lax", "tokens", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "chmod 600 {}",
            file.display()
        )));
}

#[test]
fn an_unknown_profile_is_a_usage_error_listing_the_known_ones() {
    let config = Config::new("[profiles.work]\nregion = \"eu\"\n[profiles.play]\n");
    config
        .cli()
        .args(["--profile", "wrok", "tokens", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no profile \"wrok\""))
        .stderr(predicate::str::contains("play, work"));
    // A token in the file is refused, whichever profile is asked for.
    let config = Config::new("[profiles.work]\nregion = \"eu\"\ntoken = \"abc-0123\"\n");
    config
        .cli()
        .args(["--profile", "work", "tokens", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("never goes into this file"))
        .stderr(predicate::str::contains("abc-0123").not());
}

#[test]
fn profiles_list_shows_each_source_and_never_a_token() {
    let config = Config::new(
        "[profiles.default]\nregion = \"eu\"\napi-token-file = \"~/.logzio-eu.token\"\n\
         [profiles.ci]\napi-url = \"https://proxy.example\"\napi-token-env = \"CI_LOGZIO_TOKEN\"\n\
         [profiles.pm]\napi-token-command = [\"pass\", \"show\", \"logzio/pm\"]\n",
    );
    config
        .cli()
        .env("CI_LOGZIO_TOKEN", "ci-secret-0123456789")
        .args(["profiles", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("region eu"))
        .stdout(predicate::str::contains(".logzio-eu.token"))
        .stdout(predicate::str::contains("env CI_LOGZIO_TOKEN"))
        .stdout(predicate::str::contains("https://proxy.example"))
        .stdout(predicate::str::contains("command pass show logzio/pm"))
        .stdout(predicate::str::contains("ci-secret").not());
    let output = config
        .cli()
        .args(["--profile", "ci", "profiles", "list", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let listed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let names: Vec<(&str, bool)> = listed["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|profile| {
            (
                profile["name"].as_str().unwrap(),
                profile["applies"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(names, [("ci", true), ("default", false), ("pm", false)]);
    assert_eq!(listed["profiles"][2]["tokenSource"]["kind"], "command");
}

/// On a terminal, `--api-token-file -` asks on stderr and the typed token is
/// not echoed; the command then runs with it.
#[cfg(unix)]
#[test]
fn a_token_typed_at_a_terminal_is_asked_for_and_not_echoed() {
    let api = Api::start();
    api.token("typed-at-a-terminal", &[]);
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_logzio-shared-tokens"));
    support::isolated(&mut command)
        .args(["--api-token-file", "-", "--api-url", &api.url])
        .args(["tokens", "list"]);
    let mut session = rexpect::session::spawn_command(command, Some(30_000)).unwrap();
    session.exp_string("Logz.io API token: ").unwrap();
    session.send_line(&api.token).unwrap();
    let screen = session.exp_eof().unwrap();
    assert!(screen.contains("typed-at-a-terminal"), "{screen}");
    assert!(
        !screen.contains(&api.token),
        "the token was echoed: {screen}"
    );
}
