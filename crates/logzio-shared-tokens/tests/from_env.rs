//! `Client::from_env` reads the process environment. Its rules are tested through
//! `ClientBuilder::from_env_with` (no process state); this checks that the real
//! environment reaches them. Setting variables in a running test process is unsound
//! (other tests' threads read them), so the test runs itself again as a child
//! process with the environment it wants.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use logzio_shared_tokens::{
    Client, ENV_API_TOKEN, ENV_API_URL, ENV_REGION, EndpointOrigin, Error, InputField,
};

/// Set in the child: what it should find (`configured` or `no-token`).
const CHILD_CASE: &str = "FROM_ENV_TEST_CASE";
const TEST_NAME: &str = "from_env_reads_the_process_environment";

#[test]
fn from_env_reads_the_process_environment() {
    match std::env::var(CHILD_CASE).as_deref() {
        Ok("configured") => {
            let client = Client::from_env().unwrap();
            assert_eq!(client.base_url(), "http://127.0.0.1:9");
            let setting = EndpointOrigin::Setting(ENV_API_URL.to_owned());
            assert_eq!(client.endpoint().origin(), &setting);
        }
        Ok("no-token") => assert!(matches!(
            Client::from_env(),
            Err(Error::InvalidInput {
                field: InputField::ApiTokenVariable,
                ..
            })
        )),
        _ => {
            run_child("configured", Some("00000000-0000-0000-0000-000000000000"));
            run_child("no-token", None);
        }
    }
}

fn run_child(case: &str, api_token: Option<&str>) {
    let mut child = Command::new(std::env::current_exe().unwrap());
    child
        .args(["--exact", TEST_NAME, "--test-threads=1"])
        .env(CHILD_CASE, case)
        .env(ENV_API_URL, "http://127.0.0.1:9/")
        .env_remove(ENV_REGION)
        .env_remove(ENV_API_TOKEN);
    if let Some(token) = api_token {
        child.env(ENV_API_TOKEN, token);
    }
    let output = child.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "case {case}: {stdout}");
    // The child must have run the test, not filtered it out.
    assert!(stdout.contains("1 passed"), "case {case}: {stdout}");
}
