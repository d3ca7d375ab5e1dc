//! A stateful local stand-in for Logz.io's **Shared Tokens API**: the 9
//! operations under `/v1/shared-tokens…`, accounts isolated per API token,
//! Logz.io's documented errors and limits, fault injection, and optional
//! crash-safe persistence. For tests, demos and offline work.
//!
//! Embed it in a test (it listens on `127.0.0.1` with a free port):
//!
//! ```no_run
//! use logzio_shared_tokens_emulator::{Config, Emulator};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let emulator = Emulator::start(Config::for_tests()).await?;
//! let api_token = emulator.api_tokens()[0].clone();
//! let tokens: serde_json::Value = reqwest::Client::new()
//!     .get(format!("{}/v1/shared-tokens", emulator.base_url()))
//!     .header("X-API-TOKEN", api_token)
//!     .send()
//!     .await?
//!     .json()
//!     .await?;
//! assert_eq!(tokens, serde_json::json!([]));
//! emulator.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! The binary `logzio-shared-tokens-emulator` runs the same server from the
//! command line; its flags are [`EmulatorArgs`]. This crate must never be a
//! dependency of the generated client or of the facade's library code, and it
//! never logs an API token or a shared token value.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod args;
mod auth;
mod config;
mod control;
mod error;
mod http;
mod persist;
mod random;
mod runtime;
mod serve;
mod server;
mod state;
mod store;
mod wire;

pub use args::EmulatorArgs;
pub use config::Config;
pub use control::{Control, Stats};
pub use error::EmulatorError;
pub use serve::serve_until_stopped;
pub use server::{Emulator, InProcess};
pub use store::{DEFAULT_TOKEN_LIFETIME, MAX_BODY_BYTES, RETRY_AFTER_SECONDS};
