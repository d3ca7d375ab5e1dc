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
//! let nginx = client.filters().get_or_create("type", "nginx").await?.into_inner();
//! let token = client
//!     .tokens()
//!     .create("support team")
//!     .filters(nginx.id)
//!     .operator(FiltersOperator::Or)
//!     .await?;
//! println!("created token {:?}, expires {:?}", token.id, token.expires_at());
//!
//! for token in client.tokens().list().await? {
//!     // `token.token` prints as [redacted]; expose_secret() only to hand it over.
//!     println!("{:?} {:?} filters={:?}", token.id, token.name, token.filter_ids());
//! }
//!
//! match client.tokens().get(999_999).await {
//!     Err(logzio_shared_tokens::Error::NotFound { message }) => println!("{message}"),
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

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod client;
mod config;
mod error;
mod ext;
mod filters;
mod redact;
mod region;
mod retry;
mod tokens;

pub use client::Client;
pub use config::{
    ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_CONCURRENT_REQUESTS, DEFAULT_TIMEOUT,
    ENV_API_TOKEN, ENV_API_URL, ENV_REGION,
};
pub use error::{Error, TransportKind};
pub use ext::SharedTokenExt;
pub use filters::{CreateFilter, Filters, GetOrCreateFilter};
pub use logzio_shared_tokens_api as api;
pub use logzio_shared_tokens_api::types;
pub use logzio_shared_tokens_api::types::{FiltersOperator, QueryFilter, SharedToken};
pub use logzio_shared_tokens_api::{SharedTokenValue, UnixTime};
pub use region::Region;
pub use retry::RetryPolicy;
pub use secrecy::SecretString;
pub use tokens::{CreateToken, GetOrCreateToken, Tokens, UpdateToken};

/// Every operationId of the spec, mapped to the facade method that performs
/// it (`Type::method`). `cargo xtask check` and this crate's tests compare it
/// with `swagger.json`, so an operation added to the spec fails until it has
/// a method here.
pub const OPERATIONS: &[(&str, &str)] = &[
    ("getAllTokens", "Tokens::list"),
    ("createToken", "Tokens::create"),
    ("getToken", "Tokens::get"),
    ("updateToken", "Tokens::update"),
    ("deleteToken", "Tokens::delete"),
    ("getAllFilters", "Filters::list"),
    ("createFilter", "Filters::create"),
    ("getFilter", "Filters::get"),
    ("deleteFilter", "Filters::delete"),
];

/// The outcome of a get-or-create: what was there, or what was made.
#[derive(Clone, Debug, PartialEq)]
pub enum Ensured<T> {
    /// It already existed and was left untouched.
    Existing(T),
    /// It did not exist and was created.
    Created(T),
}

impl<T> Ensured<T> {
    /// Whether this call created it.
    pub fn was_created(&self) -> bool {
        matches!(self, Self::Created(_))
    }

    /// The token or filter, however obtained.
    pub fn into_inner(self) -> T {
        match self {
            Self::Existing(value) | Self::Created(value) => value,
        }
    }

    /// The token or filter, however obtained.
    pub fn get(&self) -> &T {
        match self {
            Self::Existing(value) | Self::Created(value) => value,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::OPERATIONS;

    /// Every spec operation has a facade method, and no stale entry remains.
    #[test]
    fn operations_cover_the_spec_exactly() {
        let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../swagger.json");
        let source = logzio_codegen::SpecSource::read(&spec).unwrap();
        let (_, openapi, _) = logzio_codegen::openapi_from_source(&source).unwrap();
        let mut in_spec = logzio_codegen::operation_ids(&openapi);
        let mut mapped: Vec<String> = OPERATIONS.iter().map(|(id, _)| (*id).to_owned()).collect();
        in_spec.sort();
        mapped.sort();
        assert_eq!(
            mapped, in_spec,
            "OPERATIONS must list every operationId of swagger.json"
        );
        for (id, method) in OPERATIONS {
            let (resource, name) = method.split_once("::").unwrap();
            assert!(
                ["Tokens", "Filters"].contains(&resource),
                "{id} -> {method}"
            );
            assert!(!name.is_empty(), "{id} -> {method}");
        }
    }
}
