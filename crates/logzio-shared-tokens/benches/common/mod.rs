//! What the benches share: a `reqwest::Client` configured as the
//! facade configures its own, so every row compares like with like.

use logzio_shared_tokens::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};
use reqwest::header::{HeaderMap, HeaderValue};

/// The same settings the facade gives its own `reqwest::Client`.
pub fn http_client(api_token: &str) -> reqwest::Client {
    let mut token = HeaderValue::from_str(api_token).unwrap();
    token.set_sensitive(true);
    let mut headers = HeaderMap::new();
    headers.insert("X-API-TOKEN", token);
    reqwest::Client::builder()
        .default_headers(headers)
        .user_agent("bench")
        .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
        .timeout(DEFAULT_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A runtime with two workers: the emulator and the client share them, as
/// on the 2-core machines the figures are measured on.
#[allow(dead_code, reason = "the callgrind bench runs on one thread")]
pub fn two_worker_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// One `getToken` call through the path named `$path` on the [`CallPaths`]
/// `$paths`, written out where it is used: a macro rather than a function so
/// the callgrind bench counts each path's own future, not one future shared
/// by all four.
macro_rules! get_token_call {
    ($paths:expr, $path:expr) => {
        match $path {
            "reqwest" => $paths
                .plain
                .get(&$paths.url)
                .header("Accept", "application/json")
                .send()
                .await
                .unwrap()
                .error_for_status()
                .unwrap()
                .json::<logzio_shared_tokens::types::SharedToken>()
                .await
                .unwrap(),
            "generated" => $paths
                .generated
                .get_token()
                .id($paths.id)
                .send()
                .await
                .unwrap()
                .into_inner(),
            "raw" => $paths
                .facade
                .raw()
                .get_token()
                .id($paths.id)
                .send()
                .await
                .unwrap()
                .into_inner(),
            "facade" => $paths.facade.tokens().get($paths.id).await.unwrap(),
            other => panic!("unknown path {other}"),
        }
    };
}
#[allow(
    unused_imports,
    reason = "only the callgrind bench names the macro; the others call `get_token`"
)]
pub(crate) use get_token_call;

/// One emulator and the four ways the benches call `getToken` on it, each
/// with the same `reqwest::Client` settings.
pub struct CallPaths {
    pub emulator: logzio_shared_tokens_emulator::Emulator,
    pub facade: logzio_shared_tokens::Client,
    pub plain: reqwest::Client,
    pub generated: logzio_shared_tokens_api::Client,
    pub id: i32,
    pub url: String,
}

/// The paths, by the name each bench prints.
#[allow(dead_code, reason = "the criterion bench names its rows itself")]
pub const PATHS: [&str; 4] = ["reqwest", "generated", "raw", "facade"];

impl CallPaths {
    /// Starts the emulator and creates the token every call reads.
    pub async fn start() -> Self {
        let emulator = logzio_shared_tokens_emulator::Emulator::start(
            logzio_shared_tokens_emulator::Config::for_tests(),
        )
        .await
        .unwrap();
        let api_token = emulator.api_tokens()[0].clone();
        let facade = logzio_shared_tokens::Client::builder()
            .api_token(api_token.clone())
            .base_url(emulator.base_url())
            .user_agent("bench")
            .build()
            .unwrap();
        let id = facade.tokens().create("bench").send().await.unwrap().id;
        let plain = http_client(&api_token);
        let generated = logzio_shared_tokens_api::Client::new_with_client(
            emulator.base_url(),
            http_client(&api_token),
            Default::default(),
        );
        let url = format!("{}/v1/shared-tokens/{id}", emulator.base_url());
        Self {
            facade,
            plain,
            generated,
            id,
            url,
            emulator,
        }
    }

    /// One `getToken` call through `path` (one of [`PATHS`]).
    #[allow(
        dead_code,
        reason = "the callgrind bench expands the calls in its own loop"
    )]
    pub async fn get_token(&self, path: &str) -> logzio_shared_tokens::types::SharedToken {
        get_token_call!(self, path)
    }
}
