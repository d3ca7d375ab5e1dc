//! Every operation in the spec must be reachable from each hand-written layer.
//! The layers map `logzio_shared_tokens_api::operations::Operation` with
//! exhaustive `match`es (a new operation does not compile until placed); this
//! check adds the readable report and catches entries for operations the spec
//! no longer has.

use anyhow::bail;

/// One hand-written layer and the operationIds it says it covers.
struct Layer {
    name: &'static str,
    covered: Vec<&'static str>,
}

fn layers() -> Vec<Layer> {
    Vec::new()
}

/// Fails when a layer misses an operation of `spec` or lists one it does not have.
pub fn check(spec: &logzio_codegen::openapiv3::OpenAPI) -> anyhow::Result<()> {
    let expected = logzio_codegen::operation_ids(spec);
    let mut problems = Vec::new();
    for layer in layers() {
        for id in &expected {
            if !layer.covered.contains(&id.as_str()) {
                problems.push(format!(
                    "{}: operation `{id}` has no implementation",
                    layer.name
                ));
            }
        }
        for id in &layer.covered {
            if !expected.iter().any(|e| e == id) {
                problems.push(format!(
                    "{}: covers `{id}`, which the spec does not declare",
                    layer.name
                ));
            }
        }
    }
    if !problems.is_empty() {
        bail!(
            "operation coverage is incomplete:\n  {}",
            problems.join("\n  ")
        );
    }
    Ok(())
}
