//! The client most users want for Logz.io's **Shared Tokens API**: one-line
//! configuration (regions, `from_env`), resource-style calls over all 9
//! operations, typed errors, retries with backoff, a concurrency limit shared
//! by all clones, and secrets that never print.
//!
//! ```no_run
//! use logzio_shared_tokens::{Client, FiltersOperator, SharedTokenExt};
//!
//! # async fn run() -> Result<(), logzio_shared_tokens::Error> {
//! // LOGZIO_API_TOKEN, and LOGZIO_REGION (e.g. `eu`) or LOGZIO_API_URL.
//! let client = Client::from_env()?;
//!
//! // Filters accumulate: the token may read only nginx logs of production.
//! let nginx = client.filters().ensure("type", "nginx").await?.into_inner();
//! let prod = client.filters().ensure("env", "prod").await?.into_inner();
//! let token = client
//!     .tokens()
//!     .create("support team")
//!     .filter(nginx.id)
//!     .filter(prod.id)
//!     .operator(FiltersOperator::And)
//!     .await?;
//! println!("created token {}, expires {:?}", token.id, token.expires_at());
//!
//! // At every start of an app: creates or updates, from many processes at once.
//! let outcome = client
//!     .tokens()
//!     .ensure("dashboards")
//!     .filters([nginx.id, prod.id])
//!     .operator(FiltersOperator::And)
//!     .await?;
//! println!("{outcome:?}");
//!
//! for token in client.tokens().list().await? {
//!     // `token.token` prints as [redacted]; expose_secret() only to hand it over.
//!     println!("{} {:?} filters={:?}", token.id, token.name, token.filter_ids());
//! }
//!
//! match client.tokens().get(999_999).await {
//!     Err(logzio_shared_tokens::Error::NotFound { message, .. }) => println!("{message}"),
//!     other => println!("{other:?}"),
//! }
//! # Ok(())
//! # }
//! ```
//!
//! This crate adds behaviour to the generated client
//! ([`logzio_shared_tokens_api`], re-exported as [`api`]); the request and
//! response types are the spec's own ([`types`]). Retries are described on
//! [`RetryPolicy`], errors on [`Error`]. Each request runs in a
//! `logzio_shared_tokens.request` tracing span (operation, attempt, status,
//! latency) that never records a header or a body.
//!
//! Against a local emulator (`logzio-shared-tokens-emulator`) a client is one
//! line: [`ClientBuilder::for_emulator`].

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod call_future;
mod client;
mod config;
mod ensure;
mod error;
mod error_body;
mod ext;
mod filters;
pub mod matching;
mod redact;
mod region;
mod request_path;
mod retry;
mod tokens;

pub use call_future::CallFuture;
pub use client::Client;
pub use config::{
    ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_CONCURRENT_REQUESTS, DEFAULT_TIMEOUT,
    ENV_API_TOKEN, ENV_API_URL, ENV_REGION,
};
pub use ensure::{EnsureFilter, EnsureToken, Ensured};
pub use error::{Error, TransportKind};
pub use ext::SharedTokenExt;
pub use filters::{CreateFilter, Filters};
pub use logzio_shared_tokens_api as api;
pub use logzio_shared_tokens_api::types;
pub use logzio_shared_tokens_api::types::{FiltersOperator, QueryFilter, SharedToken};
pub use logzio_shared_tokens_api::{OpenEnum, SharedTokenValue, UnixTime};
pub use region::Region;
pub use retry::RetryPolicy;
pub use secrecy::SecretString;
pub use tokens::{CreateToken, Tokens, UpdateToken};

/// The facade method that performs each operation of the spec (`Type::method`).
/// An exhaustive `match` on the generated operation catalog: an operation added
/// to `swagger.json` does not compile until it has a method here, and
/// `cargo xtask check` prints the map next to the CLI's.
pub fn method_for(operation: api::operations::Operation) -> &'static str {
    use api::operations::Operation;
    match operation {
        Operation::GetAllTokens => "Tokens::list",
        Operation::CreateToken => "Tokens::create",
        Operation::GetToken => "Tokens::get",
        Operation::UpdateToken => "Tokens::update",
        Operation::DeleteToken => "Tokens::delete",
        Operation::GetAllFilters => "Filters::list",
        Operation::CreateFilter => "Filters::create",
        Operation::GetFilter => "Filters::get",
        Operation::DeleteFilter => "Filters::delete",
    }
}
