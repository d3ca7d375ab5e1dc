//! A stateful local stand-in for Logz.io's **Shared Tokens API**: the 9
//! operations under `/v1/shared-tokens…`, accounts isolated per API token,
//! Logz.io's documented errors and limits (and ours where it is silent, such
//! as 401 for an unknown API token and 429 over the concurrency limit: the
//! README's emulator section says which is which), fault injection, the real
//! world's shapes on demand, and optional crash-safe persistence. For tests,
//! demos and offline work.
//!
//! Embed it in a test (it listens on `127.0.0.1` with a free port):
//!
//! ```no_run
//! use logzio_shared_tokens::ClientBuilder;
//! use logzio_shared_tokens_emulator::{Config, Emulator};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let emulator = Emulator::start(Config::for_tests()).await?;
//! // The facade's client for it, in one line (loopback only, fast retries).
//! let client = ClientBuilder::for_emulator(emulator.base_url(), &emulator.api_tokens()[0]).build()?;
//! assert!(client.tokens().list().await?.is_empty());
//! emulator.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! # Fast retries, the real world's shapes, deterministic faults
//!
//! By default the emulator answers in the clean documented shape. For tests
//! of retry paths and tolerant readers:
//!
//! - [`Config::retry_after`] (`--retry-after SECONDS`, default 1): the
//!   `Retry-After` of every 429 and 503; `Duration::ZERO` lets a client
//!   retry at once.
//! - [`Config::quirks`] (`--quirks LIST`): what real deployments send —
//!   proxy error pages, Logz.io's legacy and declared shapes, records made
//!   outside the API, unknown fields. One [`Quirk`] each; `all` for every one.
//! - [`Control::fail_next`] (`--fail-first COUNT:STATUS[:BODY]`): "the next
//!   N requests answer this [`Fault`], then normal", answered in front of
//!   everything as a proxy would.
//! - [`Control::add_foreign_filter`] and [`Control::set_operator`]: single
//!   records no API call could make.
//!
//! ```no_run
//! use std::time::Duration;
//! use logzio_shared_tokens_emulator::{Config, Emulator, Fault, Quirk, Quirks};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let emulator = Emulator::start(Config {
//!     retry_after: Duration::ZERO,
//!     quirks: [Quirk::OperatorArray, Quirk::ForeignRecords].into_iter().collect::<Quirks>(),
//!     ..Config::for_tests()
//! })
//! .await?;
//! emulator.control().fail_next(2, Fault::html(503))?; // two load-balancer pages first
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
mod faults;
mod foreign;
mod http;
mod persist;
mod quirks;
mod random;
mod reshape;
mod runtime;
mod serve;
mod server;
mod state;
mod store;
mod wire;

pub use args::EmulatorArgs;
pub use config::{Config, DEFAULT_RETRY_AFTER};
pub use control::{Control, Stats};
pub use error::EmulatorError;
pub use faults::{Fault, FaultBody};
pub use quirks::{Quirk, Quirks};
pub use serve::serve_until_stopped;
pub use server::{Emulator, InProcess};
pub use store::{DEFAULT_TOKEN_LIFETIME, MAX_BODY_BYTES};
