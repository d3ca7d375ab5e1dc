#![doc = include_str!("../README.md")]
//!
//! Where to start: [`Client`] (built by [`ClientBuilder`]), its errors
//! [`Error`], the retry rules [`RetryPolicy`], the spec's types [`types`] and
//! the generated client [`api`].

#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod any_operation;
mod base_url;
mod client;
mod config;
mod endpoint;
mod ensured;
mod environment;
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

pub use any_operation::mask_secret_properties;
pub use client::{CallFuture, Client};
pub use config::{
    ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_CONCURRENT_REQUESTS, DEFAULT_TIMEOUT,
};
pub use endpoint::{Endpoint, EndpointOrigin};
pub use ensured::Ensured;
pub use environment::{ENV_API_TOKEN, ENV_API_URL, ENV_REGION};
pub use error::{Error, InputField, TransportKind};
pub use ext::{DEFAULT_TOKEN_LIFETIME, LEGACY_TOKENS_CREATED_BEFORE, SharedTokenExt};
pub use filters::ensure::EnsureFilter;
pub use filters::{CreateFilter, Filters, check_filter_text, filter_text_rule};
pub use logzio_shared_tokens_api as api;
pub use logzio_shared_tokens_api::OperationRequest;
pub use logzio_shared_tokens_api::types;
pub use logzio_shared_tokens_api::types::{FiltersOperator, QueryFilter, SharedToken};
pub use logzio_shared_tokens_api::{OpenEnum, SharedTokenValue, UnixTime};
pub use region::Region;
pub use retry::RetryPolicy;
pub use secrecy::SecretString;
pub use tokens::ensure::EnsureToken;
pub use tokens::modify::ModifyToken;
pub use tokens::rotate::{PreparedRotation, RotateToken, Rotation};
pub use tokens::{CreateToken, Tokens, UpdateToken};

/// The facade method that performs each operation of the spec (`Type::method`),
/// or `None` for an operation that has no curated method yet (a new one in
/// `swagger.json`): [`Client::call`] reaches every operation of the catalog
/// meanwhile, and `cargo xtask check` lists what is left beside the CLI's map.
pub fn method_for(operation: api::operations::Operation) -> Option<&'static str> {
    use api::operations::Operation;
    Some(match operation {
        Operation::GetAllTokens => "Tokens::list",
        Operation::CreateToken => "Tokens::create",
        Operation::GetToken => "Tokens::get",
        Operation::UpdateToken => "Tokens::update",
        Operation::DeleteToken => "Tokens::delete",
        Operation::GetAllFilters => "Filters::list",
        Operation::CreateFilter => "Filters::create",
        Operation::GetFilter => "Filters::get",
        Operation::DeleteFilter => "Filters::delete",
        _ => return None,
    })
}

/// The repository's Markdown pages that no crate uses as its front page, compiled
/// here as doctests so that their Rust examples cannot rot. The facade is the
/// crate whose dependencies those examples need (itself, and as dev-dependencies
/// the emulator and tokio). Only under `cfg(doctest)`: the published package
/// holds none of these files. `tests/markdown.rs` at the repository's root fails
/// when a Markdown file with a Rust block is included nowhere.
#[cfg(doctest)]
mod markdown {
    #[doc = include_str!("../../../README.md")]
    mod front_page {}
    #[doc = include_str!("../../../CONTRIBUTING.md")]
    mod contributing {}
    #[doc = include_str!("../../../docs/spec-updates.md")]
    mod spec_updates {}
    #[doc = include_str!("../../../docs/benchmarks.md")]
    mod benchmarks {}
    #[doc = include_str!("../../../docs/testing.md")]
    mod testing {}
}
