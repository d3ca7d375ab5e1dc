//! What each fuzz target checks, as plain functions over bytes, so that
//! libFuzzer (`fuzz/`, nightly) and the stable replay tests
//! (`tests/replay.rs`) run exactly the same code on the same inputs.
//!
//! Each `check` panics when an input breaks a promise of the SDK (a panic
//! deeper down, an error that does not say where, a secret in an error
//! text, a 500, a broken emulator invariant) and returns quietly on any
//! refusal that keeps the promises. Nothing here may catch a panic: a panic
//! is the finding.
//!
//! ```
//! // What `cargo fuzz run apply_file` does with one input:
//! logzio_hostile_input::apply_file::check(b"\x00[filters.a]\nfield = \"type\"\nvalue = \"x\"\n");
//! ```

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod apply_file;
pub mod corpus;
pub mod decode;
pub mod emulator_http;
pub mod request_script;
pub mod seeds;
pub mod spec;
pub mod spec_edits;

mod canned_server;
