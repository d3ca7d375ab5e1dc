//! A loopback server that answers every request with whatever answer the
//! `decode` target set last, and a facade client pointed at it: the facade's
//! whole decoding path (request path, error shaping, error mapping) runs
//! against real HTTP without leaving the process.

use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, Response, StatusCode};
use logzio_shared_tokens::{Client, RetryPolicy};
use tokio::runtime::Runtime;

/// The API token the client sends; it must never appear in an error.
pub(crate) const API_TOKEN: &str = "fuzz-api-token-4f1d09b2c6e7";

/// One canned answer.
#[derive(Clone, Debug, Default)]
pub(crate) struct Answer {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

pub(crate) struct CannedServer {
    pub runtime: Runtime,
    pub client: Client,
    answer: Arc<Mutex<Answer>>,
}

impl CannedServer {
    /// The server started on first use, shared by every input of the process.
    pub(crate) fn get() -> &'static CannedServer {
        static SERVER: OnceLock<CannedServer> = OnceLock::new();
        SERVER.get_or_init(|| match start() {
            Ok(server) => server,
            Err(error) => panic!("the canned loopback server could not start: {error}"),
        })
    }

    pub(crate) fn answer_with(&self, answer: Answer) {
        let mut slot = self
            .answer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *slot = answer;
    }
}

fn start() -> Result<CannedServer, String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(|error| format!("runtime: {error}"))?;
    let answer = Arc::new(Mutex::new(Answer::default()));
    let served = Arc::clone(&answer);
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .map_err(|error| format!("bind: {error}"))?;
    let address = listener
        .local_addr()
        .map_err(|error| format!("address: {error}"))?;
    let app = axum::Router::new().fallback(move || {
        let answer = served
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone();
        async move { respond(answer) }
    });
    runtime.spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let client = Client::builder()
        .api_token(API_TOKEN)
        .base_url(format!("http://{address}"))
        .retry_policy(RetryPolicy::never())
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|error| format!("client: {error}"))?;
    Ok(CannedServer {
        runtime,
        client,
        answer,
    })
}

fn respond(answer: Answer) -> Response<Body> {
    let mut response = Response::new(Body::from(answer.body));
    *response.status_mut() = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    for (name, value) in answer.headers {
        if let Ok(value) = HeaderValue::from_str(&value) {
            response.headers_mut().append(name, value);
        }
    }
    response
}
