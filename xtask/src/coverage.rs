//! Every operation in the spec must be reachable from each hand-written layer.
//! The facade and the CLI map `logzio_shared_tokens_api::operations::Operation`
//! with exhaustive `match`es, so a new operation does not even compile until
//! placed. The emulator is not asked what it covers: the check starts it
//! in-process and sends each operation's method and path, so its row comes
//! from the routes it really serves. This check also compares the compiled
//! catalog with the spec xtask just regenerated (a stale build would disagree)
//! and prints where every operation lives.

use anyhow::bail;
use logzio_shared_tokens_api::operations::Operation;

/// One hand-written layer: the operationIds it covers, with where.
struct Layer {
    name: &'static str,
    covered: Vec<(&'static str, &'static str)>,
}

fn layers() -> anyhow::Result<Vec<Layer>> {
    Ok(vec![
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
        Layer {
            name: "emulator",
            covered: emulator_routes()?,
        },
    ])
}

/// The operations the emulator answers, found by asking it: each operation's
/// method and path (path parameters filled with `1`) without an API token.
/// A routed operation answers 401 from its own auth check before reading
/// anything; a path or method the router lacks answers 404 or 405.
fn emulator_routes() -> anyhow::Result<Vec<(&'static str, &'static str)>> {
    use anyhow::Context;
    use logzio_shared_tokens_emulator::{Config, Emulator};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting a runtime for the emulator probe")?;
    runtime.block_on(async {
        let emulator = Emulator::start(Config::for_tests())
            .await
            .context("starting the emulator to probe its routes")?;
        let client = reqwest::Client::new();
        let mut routed = Vec::new();
        let mut failure = None;
        for op in Operation::ALL {
            let url = format!("{}{}", emulator.base_url(), fill_path_parameters(op.path()));
            let answer = match reqwest::Method::from_bytes(op.method().as_bytes()) {
                Ok(method) => client.request(method, &url).send().await,
                Err(error) => {
                    failure = Some(anyhow::anyhow!(
                        "{}: method {}: {error}",
                        op.operation_id(),
                        op.method()
                    ));
                    break;
                }
            };
            match answer {
                Ok(answer) if !matches!(answer.status().as_u16(), 404 | 405) => {
                    routed.push((op.operation_id(), op.path()));
                }
                Ok(_) => {}
                Err(error) => {
                    failure = Some(anyhow::anyhow!("probing the emulator at {url}: {error}"));
                    break;
                }
            }
        }
        emulator.shutdown().await;
        failure.map_or(Ok(routed), Err)
    })
}

/// `/v1/shared-tokens/{id}` → `/v1/shared-tokens/1`.
fn fill_path_parameters(template: &str) -> String {
    let mut path = String::new();
    let mut rest = template;
    while let Some((before, after)) = rest.split_once('{') {
        path.push_str(before);
        path.push('1');
        rest = after.split_once('}').map_or("", |(_, tail)| tail);
    }
    path.push_str(rest);
    path
}

/// Fails when a layer misses an operation of `spec` or lists one it does not have.
pub fn check(spec: &logzio_codegen::openapiv3::OpenAPI) -> anyhow::Result<()> {
    let expected = logzio_codegen::operation_ids(spec);
    let layers = layers()?;
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
            "operation coverage is incomplete:\n  {}\nEvery operation of swagger.json needs a facade method, a CLI command and an emulator route (the emulator's row lists the operations it answered other than 404/405).",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_parameters_are_filled() {
        assert_eq!(
            fill_path_parameters("/v1/shared-tokens/{id}"),
            "/v1/shared-tokens/1"
        );
        assert_eq!(fill_path_parameters("/a/{x}/b/{y}"), "/a/1/b/1");
        assert_eq!(
            fill_path_parameters("/v1/shared-tokens"),
            "/v1/shared-tokens"
        );
    }

    #[test]
    fn the_running_emulator_answers_every_operation() {
        let routed = emulator_routes().unwrap();
        assert_eq!(routed.len(), Operation::ALL.len(), "{routed:?}");
    }
}
