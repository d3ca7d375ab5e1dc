#![doc = include_str!("../README.md")]
//!
//! Where to start: [`generate_file`] and [`generate`], their result
//! [`Generated`], and [`CodegenError`].

#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod additive;
mod api_version_header;
mod error;
#[cfg(feature = "import")]
mod extract;
mod generate;
pub mod json_pointer;
mod lenient;
mod load;
mod operation_catalog;
mod preflight;
mod spec_operations;
mod upgrade;

pub use error::{CodegenError, SpecProblem};
#[cfg(feature = "import")]
#[cfg_attr(docsrs, doc(cfg(feature = "import")))]
pub use extract::extract_operations;
pub use generate::{Generated, generate, generate_file};
pub use load::SpecSource;
/// The OpenAPI 3.0 model the pipeline produces, re-exported so callers use the same version.
pub use openapiv3;
pub use spec_operations::{HTTP_METHODS, SpecOperation, spec_operations};
pub use upgrade::{Upgraded, upgrade};

/// The operationIds a document declares, in path order: what the facade, the
/// CLI and the emulator must each cover.
pub fn operation_ids(spec: &openapiv3::OpenAPI) -> Vec<String> {
    spec.paths
        .paths
        .values()
        .filter_map(|item| item.as_item())
        .flat_map(|item| item.iter().filter_map(|(_, op)| op.operation_id.clone()))
        .collect()
}
