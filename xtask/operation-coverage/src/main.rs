//! One JSON line per operation of the compiled catalog: its `operationId`,
//! the facade method and the CLI command that cover it (`null`: none yet),
//! and what the emulator answers it with (`emulated`, `not emulated` for its
//! 501, or `not routed`).
//!
//! `cargo xtask check` builds and runs this binary as a separate process: a
//! hand-written crate that no longer compiles is then reported as work left,
//! and never stops xtask itself from starting.

use std::process::ExitCode;

use logzio_shared_tokens_api::operations::Operation;
use logzio_shared_tokens_emulator::{Config, Emulator};
use serde_json::json;

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: starting a runtime for the emulator probe: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(emulator_answers()) {
        Ok(answers) => {
            for (&operation, emulator) in Operation::ALL.iter().zip(answers) {
                let line = json!({
                    "operation": operation.operation_id(),
                    "facade": logzio_shared_tokens::method_for(operation),
                    "cli": logzio_shared_tokens_cli::command_for(operation),
                    "emulator": emulator,
                });
                println!("{line}");
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// What the emulator answers each operation's method and path (path
/// parameters filled with `1`) without an API token: a route it implements
/// checks auth first (401), one it does not answers 501, and a path or method
/// its router lacks answers 404 or 405.
async fn emulator_answers() -> Result<Vec<&'static str>, String> {
    let emulator = Emulator::start(Config::for_tests())
        .await
        .map_err(|error| format!("starting the emulator to probe its routes: {error}"))?;
    let client = reqwest::Client::new();
    let mut answers = Vec::new();
    let mut failure = None;
    for &operation in Operation::ALL {
        let url = format!(
            "{}{}",
            emulator.base_url(),
            fill_path_parameters(operation.path())
        );
        let method = match reqwest::Method::from_bytes(operation.method().as_bytes()) {
            Ok(method) => method,
            Err(error) => {
                failure = Some(format!(
                    "{}: method {}: {error}",
                    operation.operation_id(),
                    operation.method()
                ));
                break;
            }
        };
        match client.request(method, &url).send().await {
            Ok(answer) => answers.push(match answer.status().as_u16() {
                501 => "not emulated",
                404 | 405 => "not routed",
                _ => "emulated",
            }),
            Err(error) => {
                failure = Some(format!("probing the emulator at {url}: {error}"));
                break;
            }
        }
    }
    emulator.shutdown().await;
    failure.map_or(Ok(answers), Err)
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
    fn the_emulator_routes_every_operation_of_the_catalog() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let answers = runtime.block_on(emulator_answers()).unwrap();
        assert_eq!(answers.len(), Operation::ALL.len());
        // A new operation may be "not emulated" yet (501), never unknown to the router.
        assert!(!answers.contains(&"not routed"), "{answers:?}");
        let get_token = Operation::ALL
            .iter()
            .position(|&op| op == Operation::GetToken);
        assert_eq!(get_token.map(|at| answers[at]), Some("emulated"));
    }
}
