//! `--state FILE`: what survives a restart, what a bad file does, and the
//! real binary killed with SIGKILL in the middle of a stream of writes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use logzio_shared_tokens_emulator::{Config, Emulator, EmulatorError};
use serde_json::{Value, json};
use support::Api;

fn config(state: &Path, tokens: &[&str]) -> Config {
    Config {
        api_tokens: tokens.iter().map(|t| (*t).to_owned()).collect(),
        state_file: Some(state.to_owned()),
        ..Config::for_tests()
    }
}

#[tokio::test]
async fn everything_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");

    let emulator = Emulator::start(config(&state, &["a", "b"])).await.unwrap();
    let a = Api::new(emulator.base_url(), Some("a"));
    let b = a.as_token(Some("b"));
    let account_a = emulator.control().account_id("a").unwrap();
    let filter = a.create_filter("type", "nginx").await;
    let token = a.create_token("kept", &[filter]).await;
    let token_id = token["id"].as_i64().unwrap();
    let deleted = a.create_token("deleted", &[]).await["id"].as_i64().unwrap();
    a.call("deleteToken", Some(deleted), None).await;
    emulator
        .control()
        .set_last_used("a", token_id as i32, Some(1_700_000_000_000))
        .unwrap();
    b.create_token("b's", &[]).await;
    emulator.shutdown().await;

    // Restart with the tokens in another order: accounts follow their tokens.
    let emulator = Emulator::start(config(&state, &["b", "a"])).await.unwrap();
    let a = Api::new(emulator.base_url(), Some("a"));
    assert_eq!(emulator.control().account_id("a").unwrap(), account_a);
    let after = a.call("getToken", Some(token_id), None).await.json();
    let mut expected = token.clone();
    expected["lastUsed"] = json!(1_700_000_000_000_i64);
    assert_eq!(after, expected, "the value, filters and timestamps survive");
    assert_eq!(
        a.call("getAllTokens", None, None)
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(a.call("getFilter", Some(filter), None).await.status, 200);
    let b = a.as_token(Some("b"));
    assert_eq!(
        b.call("getAllTokens", None, None).await.json()[0]["name"],
        "b's"
    );
    // Ids continue after the highest ever handed out, deleted ones included.
    let next = a.create_token("next", &[]).await["id"].as_i64().unwrap();
    assert!(next > deleted, "{next} > {deleted}");
    emulator.shutdown().await;

    // An account whose token is no longer configured is kept, not dropped.
    let emulator = Emulator::start(config(&state, &["a"])).await.unwrap();
    emulator.shutdown().await;
    let emulator = Emulator::start(config(&state, &["b"])).await.unwrap();
    let b = Api::new(emulator.base_url(), Some("b"));
    assert_eq!(
        b.call("getAllTokens", None, None).await.json()[0]["name"],
        "b's"
    );
    emulator.shutdown().await;

    // The file never holds an API token.
    let text = std::fs::read_to_string(&state).unwrap();
    assert!(!text.contains("\"a\"") && !text.contains("\"b\""));
}

#[tokio::test]
async fn foreign_or_corrupt_files_are_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let spec =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../swagger.json")).unwrap();
    let valid = {
        let state = dir.path().join("valid.json");
        Emulator::start(config(&state, &["a"]))
            .await
            .unwrap()
            .shutdown()
            .await;
        std::fs::read(&state).unwrap()
    };
    let truncated = valid[..valid.len() / 2].to_vec();
    let future_version = String::from_utf8(valid.clone())
        .unwrap()
        .replace("\"version\": 1", "\"version\": 99")
        .into_bytes();
    for (name, bytes, reason) in [
        ("spec.json", spec, "not an emulator state file"),
        ("truncated.json", truncated, "not JSON"),
        ("empty.json", Vec::new(), "empty"),
        ("future.json", future_version, "version 99"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        let error = Emulator::start(config(&path, &["a"])).await.unwrap_err();
        assert!(
            matches!(&error, EmulatorError::StateRefused { .. }),
            "{name}: {error}"
        );
        let message = error.to_string();
        assert!(message.contains(reason), "{name}: {message}");
        assert!(message.contains(name), "{name}: {message}");
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{name} was modified");
    }
}

#[tokio::test]
async fn an_unwritable_state_path_fails_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no-such-dir").join("state.json");
    let error = Emulator::start(config(&path, &["a"])).await.unwrap_err();
    assert!(matches!(error, EmulatorError::StateIo { .. }), "{error}");
}

/// The binary, started on `state`, with its base URL read from stdout.
struct Running {
    child: Child,
    base_url: String,
}

/// A failing test must not leave an emulator process behind.
impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The binary's command line for `state`, not started yet.
fn binary_on(state: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_logzio-shared-tokens-emulator"));
    command
        .args([
            "--listen",
            "127.0.0.1:0",
            "--api-token",
            "load-token",
            "--state",
        ])
        .arg(state)
        .env_remove("LOGZIO_EMULATOR_API_TOKENS")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    command
}

fn spawn_binary(state: &Path) -> Running {
    spawn(binary_on(state))
}

fn spawn(mut command: Command) -> Running {
    let mut child = command.spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(
        line.starts_with("http://127.0.0.1:"),
        "first line: {line:?}"
    );
    Running {
        child,
        base_url: line.trim().to_owned(),
    }
}

/// `--state state.json`: a bare file name is in the working directory. Its
/// parent path is empty, which is no directory to write in or fsync.
#[test]
fn a_bare_state_file_name_is_written_in_the_working_directory() {
    let dir = tempfile::tempdir().unwrap();
    let mut command = binary_on(Path::new("state.json"));
    command.current_dir(dir.path());
    drop(spawn(command));
    let saved: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("state.json")).unwrap()).unwrap();
    assert_eq!(saved["format"], "logzio-shared-tokens-emulator/state");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_in_the_middle_of_writes_loses_no_acknowledged_write() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let mut running = spawn_binary(&state);
    let api = Api::new(&running.base_url, Some("load-token"));

    let acknowledged: Arc<Mutex<Vec<i64>>> = Arc::default();
    let workers: Vec<_> = (0..8)
        .map(|worker| {
            let api = api.clone();
            let acknowledged = Arc::clone(&acknowledged);
            tokio::spawn(async move {
                for n in 0.. {
                    let sent = api
                        .request(reqwest::Method::POST, "/v1/shared-tokens")
                        .json(&json!({"tokenName": format!("w{worker}-{n}")}))
                        .send()
                        .await;
                    // Once the process is gone, requests fail: the worker is done.
                    let Ok(response) = sent else { break };
                    if response.status() != 200 {
                        break;
                    }
                    let Ok(token) = response.json::<Value>().await else {
                        break;
                    };
                    acknowledged
                        .lock()
                        .unwrap()
                        .push(token["id"].as_i64().unwrap());
                }
            })
        })
        .collect();

    // Kill while writes are streaming in: after a fair number were acknowledged.
    let deadline = Instant::now() + Duration::from_secs(30);
    while acknowledged.lock().unwrap().len() < 200 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    running.child.kill().unwrap(); // SIGKILL on Unix
    running.child.wait().unwrap();
    for worker in workers {
        worker.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() >= 200,
        "only {} writes",
        acknowledged.len()
    );

    let mut restarted = spawn_binary(&state);
    let api = Api::new(&restarted.base_url, Some("load-token"));
    let listed = api.call("getAllTokens", None, None).await.json();
    let present: std::collections::HashSet<i64> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|token| token["id"].as_i64().unwrap())
        .collect();
    let lost: Vec<_> = acknowledged
        .iter()
        .filter(|id| !present.contains(id))
        .collect();
    assert!(lost.is_empty(), "acknowledged but lost: {lost:?}");
    // New ids still never collide with what was handed out before the kill.
    let next = api.create_token("after", &[]).await["id"].as_i64().unwrap();
    assert!(acknowledged.iter().all(|id| *id < next));
    restarted.child.kill().unwrap();
    restarted.child.wait().unwrap();
}
