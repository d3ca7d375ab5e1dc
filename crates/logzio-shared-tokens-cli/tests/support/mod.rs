//! Test fixture: an emulator started in this test process on 127.0.0.1 (a
//! free port), kept on its own runtime while the `logzio-shared-tokens`
//! binary runs against it through `--api-url` and `LOGZIO_API_TOKEN`; and a
//! loopback proxy that makes the emulator fail token deletions on demand.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use assert_cmd::Command;
use logzio_shared_tokens_emulator::{Config, Control, Emulator};
use serde_json::Value;

/// Variables that would point the binary somewhere else.
const CLEARED_ENV: &[&str] = &[
    "LOGZIO_API_TOKEN",
    "LOGZIO_REGION",
    "LOGZIO_API_URL",
    "LOGZIO_PROFILE",
    "RUST_LOG",
];

/// A configuration file that does not exist: the machine's own profiles
/// (a `default` one applies unasked) stay out of the tests.
pub const NO_CONFIG_FILE: &str = "/nonexistent/logzio-shared-tokens/config.toml";

/// Keeps the machine's own settings (variables, profiles) away from a
/// command started by hand (on a pseudo-terminal).
pub fn isolated(command: &mut std::process::Command) -> &mut std::process::Command {
    for name in CLEARED_ENV {
        command.env_remove(name);
    }
    command.env("LOGZIO_SHARED_TOKENS_CONFIG", NO_CONFIG_FILE)
}

/// A running emulator and the means to run the CLI against it.
pub struct Api {
    runtime: tokio::runtime::Runtime,
    emulator: Option<Emulator>,
    /// The base URL the CLI is pointed at (the emulator, or the proxy).
    pub url: String,
    /// An API token with the permission.
    pub token: String,
}

impl Api {
    /// An emulator with one generated token.
    pub fn start() -> Self {
        Self::with_config(Config::for_tests())
    }

    /// An emulator with this configuration (listening on 127.0.0.1:0).
    pub fn with_config(config: Config) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let emulator = runtime.block_on(Emulator::start(config)).unwrap();
        let url = emulator.base_url().to_owned();
        let token = emulator.api_tokens()[0].clone();
        Self {
            runtime,
            emulator: Some(emulator),
            url,
            token,
        }
    }

    /// The emulator's knobs.
    pub fn control(&self) -> Control {
        self.emulator.as_ref().unwrap().control()
    }

    /// A facade client for the emulator, to set up accounts in-process.
    pub fn client(&self) -> logzio_shared_tokens::Client {
        logzio_shared_tokens::ClientBuilder::new()
            .api_token(self.token.clone())
            .base_url(self.url.clone())
            .build()
            .unwrap()
    }

    /// Runs `future` on the emulator's runtime (e.g. calls of [`Api::client`]).
    pub fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    /// The binary, pointed at the emulator, with a clean environment.
    pub fn cli(&self) -> Command {
        let mut command = bare_cli();
        command
            .env("LOGZIO_API_TOKEN", &self.token)
            .args(["--api-url", &self.url]);
        command
    }

    /// Runs the binary with `args` and asserts that it exits with `code` and that its
    /// stderr says each of `says`; returns the assertion for more.
    pub fn fails(&self, args: &[&str], code: i32, says: &[&str]) -> assert_cmd::assert::Assert {
        let mut assert = self.cli().args(args).assert().code(code);
        for text in says {
            assert = assert.stderr(predicates::str::contains(*text));
        }
        assert
    }

    /// The ids of the account's tokens, as `tokens list --json` prints them, in its order.
    pub fn token_ids(&self) -> Vec<i64> {
        self.json(&["tokens", "list"])
            .as_array()
            .unwrap()
            .iter()
            .map(|token| token["id"].as_i64().unwrap())
            .collect()
    }

    /// Runs the binary with `args` on a pseudo-terminal (util-linux `script`),
    /// typing `typed`; returns its exit code and everything the terminal showed.
    pub fn on_terminal(&self, args: &[&str], typed: &str) -> (Option<i32>, String) {
        let binary = env!("CARGO_BIN_EXE_logzio-shared-tokens");
        let words: Vec<String> = [binary, "--api-url", &self.url]
            .iter()
            .chain(args)
            .map(|word| format!("'{word}'"))
            .collect();
        let mut command = Command::new("script");
        for name in CLEARED_ENV {
            command.env_remove(name);
        }
        let output = command
            .args([
                "--quiet",
                "--return",
                "--command",
                &words.join(" "),
                "/dev/null",
            ])
            .env("LOGZIO_API_TOKEN", &self.token)
            .env("LOGZIO_SHARED_TOKENS_CONFIG", NO_CONFIG_FILE)
            .write_stdin(typed)
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        let screen = String::from_utf8_lossy(&output.stdout).into_owned();
        (output.status.code(), screen)
    }

    /// Runs the CLI with `--json`, expects success, parses stdout.
    pub fn json(&self, args: &[&str]) -> Value {
        let output = self.cli().arg("--json").args(args).output().unwrap();
        assert!(
            output.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
            panic!(
                "{args:?}: stdout is not JSON ({error}): {}",
                String::from_utf8_lossy(&output.stdout)
            )
        })
    }

    /// Creates a filter through the CLI and returns its id.
    pub fn filter(&self, field: &str, value: &str) -> i64 {
        self.json(&["filters", "create", field, value])["id"]
            .as_i64()
            .unwrap()
    }

    /// Creates a token through the CLI and returns its JSON.
    pub fn token(&self, name: &str, filters: &[i64]) -> Value {
        let mut args = vec!["tokens".to_owned(), "create".to_owned(), name.to_owned()];
        for id in filters {
            args.push("--filter".to_owned());
            args.push(id.to_string());
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        self.json(&args)
    }

    /// Puts a proxy in front of the emulator that, while `fail_deletes` is
    /// set, turns the emulator's fail rate to 1 for token deletions (so they
    /// answer 503) and back to 0 for everything else. The CLI then talks to
    /// the proxy.
    pub fn fail_token_deletes_via_proxy(&mut self) -> Arc<AtomicBool> {
        let fail_deletes = Arc::new(AtomicBool::new(true));
        let state = ProxyState {
            upstream: self.url.clone(),
            control: self.control(),
            fail_deletes: fail_deletes.clone(),
            http: reqwest::Client::new(),
        };
        let listener = self
            .runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        self.url = format!("http://{}", listener.local_addr().unwrap());
        let app = axum::Router::new().fallback(forward).with_state(state);
        self.runtime.spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        fail_deletes
    }
}

impl Drop for Api {
    fn drop(&mut self) {
        if let Some(emulator) = self.emulator.take() {
            self.runtime.block_on(emulator.shutdown());
        }
    }
}

/// The binary with none of the LOGZIO_* variables of the test's environment.
pub fn bare_cli() -> Command {
    let mut command = Command::cargo_bin("logzio-shared-tokens").unwrap();
    for name in CLEARED_ENV {
        command.env_remove(name);
    }
    command.env("LOGZIO_SHARED_TOKENS_CONFIG", NO_CONFIG_FILE);
    command.timeout(std::time::Duration::from_secs(60));
    command
}

#[derive(Clone)]
struct ProxyState {
    upstream: String,
    control: Control,
    fail_deletes: Arc<AtomicBool>,
    http: reqwest::Client,
}

async fn forward(
    axum::extract::State(state): axum::extract::State<ProxyState>,
    request: axum::extract::Request,
) -> axum::response::Response {
    let (parts, body) = request.into_parts();
    let path = parts
        .uri
        .path_and_query()
        .map_or("/", |pq| pq.as_str())
        .to_owned();
    let is_token_delete = parts.method == reqwest::Method::DELETE
        && path.starts_with("/v1/shared-tokens/")
        && !path.starts_with("/v1/shared-tokens/filters");
    let fail = is_token_delete && state.fail_deletes.load(Ordering::SeqCst);
    state.control.set_fail_rate(if fail { 1.0 } else { 0.0 });
    let body = axum::body::to_bytes(body, 1 << 20).await.unwrap();
    let mut headers = parts.headers.clone();
    headers.remove(reqwest::header::HOST);
    headers.remove(reqwest::header::CONTENT_LENGTH);
    let answer = state
        .http
        .request(parts.method, format!("{}{path}", state.upstream))
        .headers(headers)
        .body(body)
        .send()
        .await
        .unwrap();
    let mut response = axum::response::Response::builder().status(answer.status());
    for (name, value) in answer.headers() {
        if name != reqwest::header::CONTENT_LENGTH && name != reqwest::header::TRANSFER_ENCODING {
            response = response.header(name, value);
        }
    }
    let bytes = answer.bytes().await.unwrap();
    response.body(axum::body::Body::from(bytes)).unwrap()
}
