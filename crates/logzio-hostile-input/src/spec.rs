//! The `spec` target: bytes as a spec file through logzio-codegen's public
//! pipeline (load → upgrade → lenient pass → preflight → progenitor →
//! prettyplease), exactly as `build.rs` runs it.
//!
//! Promises checked: no panic (progenitor's and typify's included: a shape
//! that makes them panic must be refused by a preflight rule first); every
//! refusal names the file, and every refusal about the document's content
//! also names a JSON pointer (a `Generator` or `Format` error, which has
//! none, is a finding).
//!
//! Input: first byte 0 or 1 = an edit script for our `swagger.json`
//! ([`crate::spec_edits`]), written out as JSON (0) or YAML (1); anything
//! else = the whole input is the file's text.

use logzio_codegen::{CodegenError, SpecSource, generate};

use crate::spec_edits::edited_swagger;

/// The name the pipeline is given for the file; every error must carry it.
pub const FILE: &str = "fuzzed/swagger.json";

/// Runs one input; panics if a promise is broken.
pub fn check(data: &[u8]) {
    let Some(text) = spec_text(data) else {
        return;
    };
    let source = match SpecSource::parse(FILE, text) {
        Ok(source) => source,
        Err(error) => return check_refusal(&error),
    };
    match generate(&source) {
        Ok(generated) => {
            for warning in &generated.warnings {
                assert_eq!(warning.file, FILE, "a warning without the file: {warning}");
            }
            assert!(
                !generated.client.is_empty(),
                "an empty client was generated"
            );
        }
        Err(error) => check_refusal(&error),
    }
}

/// The file's text for `data`: an edited `swagger.json` or the bytes as
/// text (`None` if they are not UTF-8: reading such a file fails with the
/// file's name before any parsing).
pub fn spec_text(data: &[u8]) -> Option<String> {
    match data.split_first() {
        Some((0, script)) => serde_json::to_string_pretty(&edited_swagger(script)).ok(),
        Some((1, script)) => serde_norway::to_string(&edited_swagger(script)).ok(),
        _ => std::str::from_utf8(data).ok().map(str::to_owned),
    }
}

fn check_refusal(error: &CodegenError) {
    let text = error.to_string();
    assert!(
        text.starts_with(FILE),
        "a refusal that does not start with the file's name: {text}"
    );
    match error {
        CodegenError::Parse { file, .. } => assert_eq!(file, FILE),
        CodegenError::Spec(problems) => {
            assert!(!problems.is_empty(), "a Spec refusal without a problem");
            for problem in problems {
                assert_eq!(problem.file, FILE, "{problem}");
                assert!(
                    problem.pointer.is_empty() || problem.pointer.starts_with('/'),
                    "not a JSON pointer: {:?} in {problem}",
                    problem.pointer
                );
            }
        }
        CodegenError::Generator { .. } | CodegenError::Format { .. } => {
            panic!(
                "a refusal without a JSON pointer (needs a preflight rule that locates it): {text}"
            )
        }
        other => panic!("an unexpected kind of refusal: {other}"),
    }
}
