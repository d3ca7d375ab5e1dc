//! The single spec-to-client pipeline of the Logz.io Shared Tokens SDK:
//! load (JSON or YAML) → upgrade Swagger 2.0 to OpenAPI 3.0.3 → validate
//! (including the shapes that make progenitor panic) → progenitor → prettyplease.
//!
//! `build.rs` of the generated crate and `cargo xtask` both call [`generate`],
//! so the checked-in snapshot and the compiled code cannot differ. This crate
//! must never know about the facade, the CLI or the emulator.
//!
//! ```no_run
//! let generated = logzio_codegen::generate_file(std::path::Path::new("swagger.json"))?;
//! println!("{} bytes of client code", generated.client.len());
//! # Ok::<(), logzio_codegen::CodegenError>(())
//! ```

#![deny(missing_docs)]

mod error;
mod extract;
mod generate;
pub mod json_pointer;
mod lenient;
mod load;
mod preflight;
mod spec_operations;
mod upgrade;

pub use error::{CodegenError, SpecProblem};
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
