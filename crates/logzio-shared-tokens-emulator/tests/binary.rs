//! The `logzio-shared-tokens-emulator` binary: what it prints, its flags,
//! how it refuses bad input, and that it stops cleanly on SIGTERM.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;
use support::Api;

fn emulator() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_logzio-shared-tokens-emulator"));
    for variable in [
        "LOGZIO_EMULATOR_LISTEN",
        "LOGZIO_EMULATOR_API_TOKENS",
        "LOGZIO_EMULATOR_NO_PERMISSION_TOKENS",
        "LOGZIO_EMULATOR_MAX_TOKENS",
        "LOGZIO_EMULATOR_MAX_CONCURRENT",
        "LOGZIO_EMULATOR_FAIL_RATE",
        "LOGZIO_EMULATOR_LATENCY",
        "LOGZIO_EMULATOR_STATE",
        "LOGZIO_EMULATOR_RETRY_AFTER",
        "LOGZIO_EMULATOR_QUIRKS",
        "LOGZIO_EMULATOR_FAIL_FIRST",
    ] {
        command.env_remove(variable);
    }
    command
}

struct Running {
    child: Child,
    stdout: BufReader<ChildStdout>,
}

/// A failing test must not leave an emulator process behind.
impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Running {
    fn start(command: &mut Command) -> Self {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Self { child, stdout }
    }

    fn line(&mut self) -> String {
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        line.trim_end().to_owned()
    }

    /// SIGTERM, then the exit status and stderr.
    fn terminate(mut self) -> (std::process::ExitStatus, String) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(sent.success());
        let deadline = Instant::now() + Duration::from_secs(10);
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "no exit within 10 s of SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut stderr = String::new();
        self.child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        (status, stderr)
    }
}

#[tokio::test]
async fn without_token_flags_it_prints_the_url_then_a_dev_token() {
    let mut running = Running::start(emulator().args(["--listen", "127.0.0.1:0"]));
    let base_url = running.line();
    let header = running.line();
    assert!(base_url.starts_with("http://127.0.0.1:"), "{base_url}");
    let token = header
        .strip_prefix("X-API-TOKEN: ")
        .unwrap_or_else(|| panic!("second line: {header}"));
    let api = Api::new(&base_url, Some(token));
    assert_eq!(api.call("getAllTokens", None, None).await.json(), json!([]));
    let (status, stderr) = running.terminate();
    assert!(status.success(), "{status}");
    assert!(!stderr.contains(token), "stderr shows the token: {stderr}");
}

#[tokio::test]
async fn every_flag_takes_effect() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let mut running = Running::start(emulator().args([
        "--listen",
        "127.0.0.1:0",
        "--api-token",
        "t1",
        "--api-token",
        "t2",
        "--no-permission-token",
        "t3",
        "--max-tokens",
        "1",
        "--max-concurrent",
        "5",
        "--fail-rate",
        "0",
        "--latency",
        "1-2",
        "--state",
        state.to_str().unwrap(),
    ]));
    let base_url = running.line();
    let api = Api::new(&base_url, Some("t1"));
    api.create_token("only", &[]).await;
    let over = api
        .call("createToken", None, Some(json!({"tokenName": "two"})))
        .await;
    assert_eq!(over.status, 400, "--max-tokens 1");
    assert_eq!(
        api.as_token(Some("t2"))
            .call("getAllTokens", None, None)
            .await
            .status,
        200
    );
    assert_eq!(
        api.as_token(Some("t3"))
            .call("getAllTokens", None, None)
            .await
            .status,
        403
    );
    assert!(
        std::fs::read_to_string(&state)
            .unwrap()
            .contains("\"only\"")
    );
    let (status, stderr) = running.terminate();
    assert!(status.success(), "{status}: {stderr}");
    for secret in ["t1", "t2", "t3"] {
        assert!(!stderr.contains(secret), "stderr shows {secret}: {stderr}");
    }
}

#[tokio::test]
async fn flags_come_from_the_environment_too() {
    let mut running = Running::start(
        emulator()
            .env("LOGZIO_EMULATOR_LISTEN", "127.0.0.1:0")
            .env("LOGZIO_EMULATOR_API_TOKENS", "e1,e2")
            .env("LOGZIO_EMULATOR_FAIL_RATE", "1")
            .env("LOGZIO_EMULATOR_RETRY_AFTER", "0"),
    );
    let base_url = running.line();
    let answer = Api::new(&base_url, Some("e2"))
        .call("getAllTokens", None, None)
        .await;
    assert_eq!(answer.status, 503);
    assert_eq!(answer.retry_after().as_deref(), Some("0"));
    running.terminate();
}

#[tokio::test]
async fn quirks_and_scripted_faults_come_from_flags() {
    let mut running = Running::start(emulator().args([
        "--listen",
        "127.0.0.1:0",
        "--api-token",
        "q1",
        "--quirks",
        "all",
        "--fail-first",
        "1:503:html",
        "--retry-after",
        "0",
    ]));
    let base_url = running.line();
    let api = Api::new(&base_url, Some("q1"));
    let list_tokens = || api.send_unchecked(api.request(reqwest::Method::GET, "/v1/shared-tokens"));
    let first = list_tokens().await;
    assert_eq!(first.status, 503);
    assert_eq!(first.retry_after().as_deref(), Some("0"));
    assert!(String::from_utf8_lossy(&first.bytes).contains("<html>"));
    // Then the seeded legacy token, in every quirk's shape.
    let list = list_tokens().await.json();
    let legacy = &list[0];
    assert_eq!(legacy["filterIds"], json!([1, 2]), "{legacy}");
    assert_eq!(legacy["filtersOperator"], json!(["AND"]));
    assert_eq!(legacy["lastUsed"], json!(1_717_200_000.0));
    assert_eq!(legacy["expirationDate"], serde_json::Value::Null);
    assert_eq!(legacy["createdBy"], "logzio-ui");
    let (status, _) = running.terminate();
    assert!(status.success(), "{status}");
}

#[test]
fn help_lists_every_flag() {
    let output = emulator().arg("--help").output().unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    for flag in [
        "--listen",
        "--api-token",
        "--no-permission-token",
        "--max-tokens",
        "--max-concurrent",
        "--fail-rate",
        "--latency",
        "--state",
        "--retry-after",
        "--quirks",
        "--fail-first",
    ] {
        assert!(help.contains(flag), "{flag} missing from --help");
    }
}

#[test]
fn bad_input_is_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let foreign = dir.path().join("notes.json");
    std::fs::write(&foreign, b"{\"my\": \"notes\"}").unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["--fail-rate", "1.5"], "probability"),
        (vec!["--latency", "10-1"], "backwards"),
        (vec!["--retry-after", "soon"], "whole number of seconds"),
        (vec!["--quirks", "proxy-errors,nonsense"], "not a quirk"),
        (vec!["--fail-first", "2:200"], "400 to 599"),
        (vec!["--listen", "not-an-address"], "--listen"),
        (
            vec![
                "--listen",
                "127.0.0.1:0",
                "--state",
                foreign.to_str().unwrap(),
            ],
            "not an emulator state file",
        ),
    ];
    for (args, reason) in cases {
        let output = emulator().args(&args).output().unwrap();
        assert!(!output.status.success(), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(reason), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?} printed a URL");
    }
    assert_eq!(std::fs::read(&foreign).unwrap(), b"{\"my\": \"notes\"}");
}

#[test]
fn a_busy_port_is_reported() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let output = emulator()
        .args(["--listen", &addr, "--api-token", "x"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("cannot listen on {addr}")),
        "{stderr}"
    );
}
