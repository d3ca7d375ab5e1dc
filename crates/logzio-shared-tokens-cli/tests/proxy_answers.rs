//! The CLI against answers our emulator never gives by default, served by a
//! canned loopback server: a load balancer's HTML 503, a proxy's text 429,
//! HTML and empty auth errors, Logz.io's declared operator array, an
//! operator this client has never seen, and filters made outside the API.
//! Each must end with the same exit code and advice as its JSON form.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use support::bare_cli;

/// One canned answer: status, content type, extra header, body.
#[derive(Clone)]
struct Answer {
    status: u16,
    content_type: &'static str,
    retry_after: Option<&'static str>,
    body: String,
}

fn answer(status: u16, content_type: &'static str, body: &str) -> Answer {
    Answer {
        status,
        content_type,
        retry_after: None,
        body: body.to_owned(),
    }
}

fn busy(status: u16, content_type: &'static str, body: &str) -> Answer {
    Answer {
        retry_after: Some("0"),
        ..answer(status, content_type, body)
    }
}

const LOAD_BALANCER_PAGE: &str = "<html><head><title>503 Service Temporarily Unavailable</title></head><body><h1>503 Service Temporarily Unavailable</h1><hr>nginx</body></html>";

/// Answers requests in order (the last one repeats) on 127.0.0.1.
struct CannedServer {
    runtime: tokio::runtime::Runtime,
    url: String,
    requests: Arc<AtomicUsize>,
}

impl CannedServer {
    fn start(answers: Vec<Answer>) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(AtomicUsize::new(0));
        let answers = Arc::new(Mutex::new(answers));
        let counter = requests.clone();
        let app = axum::Router::new().fallback(move || {
            let index = counter.fetch_add(1, Ordering::SeqCst);
            let answers = answers.clone();
            async move {
                let answers = answers.lock().unwrap();
                respond(&answers[index.min(answers.len() - 1)])
            }
        });
        runtime.spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            runtime,
            url,
            requests,
        }
    }

    fn run(&self, args: &[&str]) -> std::process::Output {
        let _guard = self.runtime.enter();
        bare_cli()
            .env("LOGZIO_API_TOKEN", "canned-api-token-0123456789")
            .args(["--api-url", &self.url])
            .args(args)
            .output()
            .unwrap()
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

fn respond(answer: &Answer) -> Response {
    let mut response = (
        StatusCode::from_u16(answer.status).unwrap(),
        answer.body.clone(),
    )
        .into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(answer.content_type),
    );
    if let Some(seconds) = answer.retry_after {
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static(seconds));
    }
    response
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json(output: &std::process::Output) -> Value {
    assert!(output.status.success(), "{}", stderr(output));
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn an_html_503_is_retried_and_the_third_attempt_succeeds() {
    let server = CannedServer::start(vec![
        busy(503, "text/html", LOAD_BALANCER_PAGE),
        busy(503, "text/html", LOAD_BALANCER_PAGE),
        answer(200, "application/json", r#"[{"id": 1, "name": "ok"}]"#),
    ]);
    let output = server.run(&["--json", "tokens", "list"]);
    assert_eq!(json(&output)[0]["name"], "ok");
    assert_eq!(server.requests(), 3);
}

#[test]
fn a_text_429_is_retried() {
    let server = CannedServer::start(vec![
        busy(429, "text/plain", "Too Many Requests"),
        answer(200, "application/json", "[]"),
    ]);
    let output = server.run(&["--json", "filters", "list"]);
    assert_eq!(json(&output), serde_json::json!([]));
    assert_eq!(server.requests(), 2);
}

#[test]
fn a_503_page_that_never_clears_exits_5_saying_what_came_back() {
    let server = CannedServer::start(vec![busy(503, "text/html", LOAD_BALANCER_PAGE)]);
    let output = server.run(&["tokens", "list"]);
    assert_eq!(output.status.code(), Some(5), "{}", stderr(&output));
    let text = stderr(&output);
    assert!(text.contains("temporarily unavailable"), "{text}");
    assert!(text.contains("attempts over"), "{text}");
    assert!(server.requests() > 1);
}

#[test]
fn an_html_401_is_unauthorized() {
    let server = CannedServer::start(vec![answer(401, "text/html", "<h1>401</h1>")]);
    let output = server.run(&["tokens", "list"]);
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("LOGZIO_API_TOKEN"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_empty_403_is_forbidden_with_the_advice() {
    let server = CannedServer::start(vec![answer(403, "text/plain", "")]);
    let output = server.run(&["filters", "get", "3"]);
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    let text = stderr(&output);
    assert!(text.contains("forbidden"), "{text}");
    assert!(text.contains("Logz.io support"), "{text}");
    assert!(text.contains("empty body"), "{text}");
}

#[test]
fn declared_and_unknown_operators_print_and_keep_the_list() {
    let server = CannedServer::start(vec![answer(
        200,
        "application/json",
        r#"[
            {"id": 1, "name": "declared", "filtersOperator": ["AND"], "filters": [3]},
            {"id": 2, "name": "unknown", "filtersOperator": "NOT", "somethingNew": true}
        ]"#,
    )]);
    let tokens = json(&server.run(&["--json", "tokens", "list"]));
    assert_eq!(tokens[0]["filtersOperator"], "AND");
    assert_eq!(tokens[1]["filtersOperator"], "NOT");
    let table = server.run(&["tokens", "list"]);
    assert!(table.status.success(), "{}", stderr(&table));
    assert!(String::from_utf8_lossy(&table.stdout).contains("NOT"));
}

#[test]
fn filters_made_outside_the_api_are_listed() {
    let server = CannedServer::start(vec![answer(
        200,
        "application/json",
        r#"[{"id": 7, "field": "kubernetes.labels.app name", "value": "café: au lait"}]"#,
    )]);
    let filters = json(&server.run(&["--json", "filters", "list"]));
    assert_eq!(filters[0]["field"], "kubernetes.labels.app name");
    assert_eq!(filters[0]["value"], "café: au lait");
}

#[test]
fn an_undecodable_success_names_where_and_exits_1() {
    let server = CannedServer::start(vec![answer(
        200,
        "application/json",
        r#"[{"id": 1}, {"id": 2, "lastUsed": "never-print-this"}]"#,
    )]);
    let output = server.run(&["tokens", "list"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(
        text.contains("getAllTokens response: [1].lastUsed"),
        "{text}"
    );
    assert!(!text.contains("never-print-this"), "{text}");
}
