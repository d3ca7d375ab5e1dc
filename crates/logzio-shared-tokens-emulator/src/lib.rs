#![doc = include_str!("../README.md")]
//!
//! Where to start: [`Emulator`], its [`Config`], and [`EmulatorArgs`] (the
//! binary's flags).

#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]
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
pub use server::Emulator;
pub use store::{DEFAULT_TOKEN_LIFETIME, MAX_BODY_BYTES, RETRY_AFTER_SECONDS};
