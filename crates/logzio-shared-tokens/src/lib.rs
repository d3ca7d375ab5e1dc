#![doc = include_str!("../README.md")]
//!
//! Where to start: [`Client`] (built by [`ClientBuilder`]), its errors
//! [`Error`], the retry rules [`RetryPolicy`], the spec's types [`types`] and
//! the generated client [`api`].

#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod client;
mod config;
mod ensure;
mod error;
mod error_body;
mod ext;
mod filters;
pub mod matching;
mod modify;
mod redact;
mod region;
mod request_path;
mod retry;
mod rotate;
mod tokens;

pub use client::{CallFuture, Client};
pub use config::{
    ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_CONCURRENT_REQUESTS, DEFAULT_TIMEOUT,
    ENV_API_TOKEN, ENV_API_URL, ENV_REGION,
};
pub use ensure::{EnsureFilter, EnsureToken, Ensured};
pub use error::{Error, InputField, TransportKind};
pub use ext::SharedTokenExt;
pub use filters::{CreateFilter, Filters};
pub use logzio_shared_tokens_api as api;
pub use logzio_shared_tokens_api::types;
pub use logzio_shared_tokens_api::types::{FiltersOperator, QueryFilter, SharedToken};
pub use logzio_shared_tokens_api::{OpenEnum, SharedTokenValue, UnixTime};
pub use modify::ModifyToken;
pub use region::Region;
pub use retry::RetryPolicy;
pub use rotate::{PreparedRotation, RotateToken, Rotation, rotated_name};
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
