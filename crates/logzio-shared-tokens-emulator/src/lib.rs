#![doc = include_str!("../README.md")]
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
//! Where to start: [`Emulator`] and its [`Config`] (with the `cli` feature,
//! also the binary's flags, as a `clap::Args`).

#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

mod accounts;
mod auth;
mod config;
mod control;
mod error;
mod faults;
#[cfg(feature = "cli")]
mod flags;
mod foreign;
mod front;
mod http;
mod limits;
mod persist;
mod quirks;
mod random;
mod reshape;
mod serve;
mod server;
mod shared;
mod store;
mod wire;

pub use accounts::{DEFAULT_TOKEN_LIFETIME, MAX_BODY_BYTES};
pub use config::Config;
pub use control::{Control, Stats};
pub use error::EmulatorError;
pub use faults::{Fault, FaultBody};
pub use limits::DEFAULT_RETRY_AFTER;
pub use quirks::{Quirk, Quirks};
pub use serve::serve_until_stopped;
pub use server::{Emulator, InProcess};
