//! Every operation in the spec must be reachable from each hand-written layer.
//! Each layer maps `logzio_shared_tokens_api::operations::Operation` with an
//! exhaustive `match`, so a new operation does not even compile until placed.
//! This check compares the compiled catalog with the spec xtask just
//! regenerated (a stale build would disagree) and prints where every
//! operation lives.

use anyhow::bail;
use logzio_shared_tokens_api::operations::Operation;

/// One hand-written layer: the operationIds it covers, with where.
struct Layer {
    name: &'static str,
    covered: Vec<(&'static str, &'static str)>,
}

fn layers() -> Vec<Layer> {
    vec![
        Layer {
            name: "facade",
            covered: Operation::ALL
                .iter()
                .map(|&op| (op.operation_id(), logzio_shared_tokens::method_for(op)))
                .collect(),
        },
        Layer {
            name: "CLI",
            covered: Operation::ALL
                .iter()
                .map(|&op| (op.operation_id(), logzio_shared_tokens_cli::command_for(op)))
                .collect(),
        },
        // The emulator's router is built from Operation::ALL through an
        // exhaustive match (its `http::handler_for`): complete by construction.
        Layer {
            name: "emulator",
            covered: Operation::ALL
                .iter()
                .map(|&op| (op.operation_id(), op.path()))
                .collect(),
        },
    ]
}

/// Fails when a layer misses an operation of `spec` or lists one it does not have.
pub fn check(spec: &logzio_codegen::openapiv3::OpenAPI) -> anyhow::Result<()> {
    let expected = logzio_codegen::operation_ids(spec);
    let layers = layers();
    let mut problems = Vec::new();
    for layer in &layers {
        for id in &expected {
            if !layer.covered.iter().any(|(covered, _)| covered == id) {
                problems.push(format!(
                    "{}: operation `{id}` has no implementation",
                    layer.name
                ));
            }
        }
        for (id, place) in &layer.covered {
            if !expected.iter().any(|e| e == id) {
                problems.push(format!(
                    "{}: `{place}` covers `{id}`, which swagger.json does not declare",
                    layer.name
                ));
            }
        }
    }
    if !problems.is_empty() {
        bail!(
            "operation coverage is incomplete:\n  {}\nEvery operation of swagger.json needs a facade method, a CLI command and an emulator route.",
            problems.join("\n  ")
        );
    }
    for id in &expected {
        let places: Vec<String> = layers
            .iter()
            .filter_map(|layer| {
                layer
                    .covered
                    .iter()
                    .find(|(covered, _)| covered == id)
                    .map(|(_, place)| format!("{} `{place}`", layer.name))
            })
            .collect();
        println!("  {id:<14} {}", places.join(", "));
    }
    Ok(())
}
