//! Test helpers: a raw HTTP server on 127.0.0.1 that answers each request
//! with the next canned response (for shapes the emulator never produces:
//! legacy fields, odd timestamps, HTML error pages, hangs, dropped
//! connections), a client builder pointed at a base URL, an in-process
//! emulator with its client, and the parts of an error tests look at.
//!
//! It records every request it receives so tests can count attempts; it must
//! never listen beyond loopback.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use logzio_shared_tokens::{Client, ClientBuilder, Error, InputField, RetryPolicy};
use logzio_shared_tokens_emulator::{Config, Emulator};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// The API token tests configure; the secret tests search for it.
pub const API_TOKEN: &str = "test-api-token-0f9e8d7c6b5a";

/// One canned answer.
#[derive(Clone, Debug)]
pub enum Canned {
    /// A complete HTTP response.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    },
    /// Read the request, then say nothing for this long (to trigger timeouts).
    Hang(Duration),
    /// Read the request, then close the connection without answering.
    Close,
}

impl Canned {
    pub fn json(status: u16, body: &str) -> Self {
        Self::Respond {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.to_owned(),
        }
    }

    pub fn with_header(self, name: &str, value: &str) -> Self {
        match self {
            Self::Respond {
                status,
                mut headers,
                body,
            } => {
                headers.push((name.to_owned(), value.to_owned()));
                Self::Respond {
                    status,
                    headers,
                    body,
                }
            }
            other => other,
        }
    }

    pub fn html(status: u16, body: &str) -> Self {
        Self::Respond {
            status,
            headers: vec![("Content-Type".into(), "text/html".into())],
            body: body.to_owned(),
        }
    }
}

/// A request as received: the request line and the raw headers and body.
#[derive(Clone, Debug)]
pub struct Received {
    pub request_line: String,
    pub head: String,
    pub body: String,
}

/// The canned server. Answers in order; the last answer repeats.
pub struct CannedServer {
    pub base_url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl CannedServer {
    pub async fn start(answers: Vec<Canned>) -> Self {
        assert!(!answers.is_empty());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = received.clone();
        tokio::spawn(async move {
            let mut index = 0usize;
            loop {
                let Ok((mut socket, _)) = listener.accept().await else {
                    return;
                };
                let answer = answers[index.min(answers.len() - 1)].clone();
                index += 1;
                let log = log.clone();
                tokio::spawn(async move {
                    let Some(request) = read_request(&mut socket).await else {
                        return;
                    };
                    log.lock().unwrap().push(request);
                    match answer {
                        Canned::Respond {
                            status,
                            headers,
                            body,
                        } => {
                            let mut text = format!(
                                "HTTP/1.1 {status} Canned\r\nContent-Length: {}\r\nConnection: close\r\n",
                                body.len()
                            );
                            for (name, value) in headers {
                                text.push_str(&format!("{name}: {value}\r\n"));
                            }
                            text.push_str("\r\n");
                            text.push_str(&body);
                            let _ = socket.write_all(text.as_bytes()).await;
                            let _ = socket.shutdown().await;
                        }
                        Canned::Hang(duration) => tokio::time::sleep(duration).await,
                        Canned::Close => drop(socket),
                    }
                });
            }
        });
        Self { base_url, received }
    }

    /// Everything received so far.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// A client for this server: no retry waits longer than a few ms.
    pub fn client(&self) -> Client {
        client_builder(&self.base_url).build().unwrap()
    }
}

/// A builder for `base_url` with the test token and fast retries.
pub fn client_builder(base_url: &str) -> ClientBuilder {
    Client::builder()
        .api_token(API_TOKEN)
        .base_url(base_url)
        .timeout(Duration::from_secs(5))
        .retry_policy(fast_retries(4))
}

/// An emulator started with `config`, and a client of its first account.
pub async fn emulator_and_client(config: Config) -> (Emulator, Client) {
    let emulator = Emulator::start(config).await.unwrap();
    let client = ClientBuilder::for_emulator(emulator.base_url(), &emulator.api_tokens()[0])
        .build()
        .unwrap();
    (emulator, client)
}

/// The operation and the place in the body a `Decode` error names; any other error fails
/// the test.
pub fn decode_location(error: &Error) -> (&'static str, &str) {
    match error {
        Error::Decode {
            operation, path, ..
        } => (operation, path),
        other => panic!("expected Decode, got {other:?}"),
    }
}

/// The server's message of a `NotFound` error; any other error fails the test.
pub fn not_found_message(error: &Error) -> &str {
    match error {
        Error::NotFound { message, .. } => message,
        other => panic!("expected NotFound, got {other:?}"),
    }
}

/// The server's message of a `Forbidden` error; any other error fails the test.
pub fn forbidden_message(error: &Error) -> &str {
    match error {
        Error::Forbidden { message, .. } => message,
        other => panic!("expected Forbidden, got {other:?}"),
    }
}

/// The input an `InvalidInput` error refuses; any other error fails the test.
pub fn refused_input(error: &Error) -> InputField {
    match error {
        Error::InvalidInput { field, .. } => *field,
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

/// Exponential backoff with tiny waits, for tests.
pub fn fast_retries(attempts: u32) -> RetryPolicy {
    RetryPolicy::exponential()
        .with_max_attempts(attempts)
        .with_initial_backoff(Duration::from_millis(5))
        .with_max_backoff(Duration::from_millis(20))
        .with_max_elapsed(Duration::from_secs(30))
}

async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<Received> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let read = socket.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
        if let Some(end) = find(&buffer, b"\r\n\r\n") {
            break end;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let length = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let body_start = head_end + 4;
    while buffer.len() < body_start + length {
        let read = socket.read(&mut chunk).await.ok()?;
        if read == 0 {
            break;
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
    let body = String::from_utf8_lossy(&buffer[body_start.min(buffer.len())..]).into_owned();
    let request_line = head.lines().next().unwrap_or_default().to_owned();
    Some(Received {
        request_line,
        head,
        body,
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}
