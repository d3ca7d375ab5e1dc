//! `logzio-shared-tokens api OPERATION_ID …`: any operation of the generated
//! catalog, with JSON in and out (like `gh api` and `oxide api`), so an
//! operation added to the spec is usable before it has a curated command.
//!
//! Everything a user can get wrong (the operation id, the path parameters,
//! the body) is refused with a usage error before a client is even built;
//! the call itself goes through the facade's [`Client::call`], with the same
//! auth, region, retries, redaction and exit codes as every other command.

use std::io::Read;
use std::path::{Path, PathBuf};

use logzio_shared_tokens::api::operations::Operation;
use logzio_shared_tokens::{Client, OperationRequest, mask_secret_properties};
use serde_json::{Value, json};

use crate::cli::ApiArgs;
use crate::error::CliError;
use crate::output::{Printer, new_table};

/// A checked `api` invocation, ready to send.
#[derive(Debug)]
pub(crate) struct ApiCall {
    request: OperationRequest,
}

impl ApiCall {
    /// Checks `args` against the catalog; `None` for `--list`.
    pub(crate) fn parse(args: &ApiArgs) -> Result<Option<Self>, CliError> {
        let Some(id) = args.operation.as_deref() else {
            return Ok(None);
        };
        let mut request = OperationRequest::new(operation(id)?);
        for (name, value) in &args.path {
            request = request.path_parameter(name, value);
        }
        for (name, value) in &args.query {
            request = request.query_parameter(name, value);
        }
        if let Some(body) = args.body.as_deref() {
            request = request.body(read_body(body)?);
        }
        request
            .filled_path()
            .map_err(|problem| CliError::usage(format!("api {id}: {problem}")))?;
        Ok(Some(Self { request }))
    }

    /// Sends the call and prints the answer's JSON (secrets masked unless
    /// `--show-secrets`); an empty answer prints nothing.
    pub(crate) async fn send(self, client: &Client, printer: &Printer) -> Result<(), CliError> {
        let id = self.request.operation().operation_id();
        let mut answer = client
            .call(self.request)
            .await
            .map_err(|error| CliError::api(&format!("api {id}"), &error))?;
        if answer.is_null() {
            return Ok(());
        }
        if !printer.show_secrets {
            mask_secret_properties(&mut answer);
        }
        printer.json_value(&answer)
    }
}

/// The operation named `id`, or a usage error with the closest names.
fn operation(id: &str) -> Result<Operation, CliError> {
    if let Some(operation) = Operation::from_operation_id(id) {
        return Ok(operation);
    }
    let mut close: Vec<(f64, &str)> = Operation::ALL
        .iter()
        .map(|op| op.operation_id())
        .map(|known| {
            (
                strsim::jaro_winkler(&id.to_lowercase(), &known.to_lowercase()),
                known,
            )
        })
        .filter(|(score, _)| *score > 0.7)
        .collect();
    close.sort_by(|a, b| b.0.total_cmp(&a.0));
    let hint = match close.as_slice() {
        [] => String::new(),
        some => {
            let names: Vec<&str> = some.iter().take(3).map(|(_, name)| *name).collect();
            format!("; did you mean {}?", names.join(", "))
        }
    };
    Err(CliError::usage(format!(
        "api: no operation `{id}` in the spec{hint} (`logzio-shared-tokens api --list` shows them all)"
    )))
}

/// The body from `path` (`-`: standard input), which must be JSON.
fn read_body(path: &Path) -> Result<Value, CliError> {
    let (text, from) = if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|error| {
                CliError::usage(format!("api --body -: cannot read standard input: {error}"))
            })?;
        (text, "standard input".to_owned())
    } else {
        let text = std::fs::read_to_string(path).map_err(|error| {
            CliError::usage(format!(
                "api --body {}: cannot read it: {error}",
                path.display()
            ))
        })?;
        (text, PathBuf::from(path).display().to_string())
    };
    serde_json::from_str(&text)
        .map_err(|error| CliError::usage(format!("api --body: {from} is not JSON: {error}")))
}

/// `api --list`: each operation's id, method, path and summary.
pub(crate) fn list(printer: &Printer) -> Result<(), CliError> {
    if printer.json() {
        let items = Operation::ALL
            .iter()
            .map(|op| {
                json!({
                    "operationId": op.operation_id(),
                    "method": op.method(),
                    "path": op.path(),
                    "summary": op.summary(),
                })
            })
            .collect();
        return printer.json_value(&Value::Array(items));
    }
    let mut table = new_table(&["OPERATION", "METHOD", "PATH", "SUMMARY"]);
    for op in Operation::ALL {
        table.add_row([op.operation_id(), op.method(), op.path(), op.summary()]);
    }
    printer.line(table.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(operation: &str, path: &[(&str, &str)]) -> ApiArgs {
        ApiArgs {
            operation: Some(operation.to_owned()),
            path: path
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            query: Vec::new(),
            body: None,
            list: false,
        }
    }

    #[test]
    fn an_unknown_operation_is_a_usage_error_naming_the_closest() {
        let error = ApiCall::parse(&args("getTokn", &[])).unwrap_err();
        assert_eq!(error.status, crate::ExitStatus::Usage);
        assert!(
            error.message.contains("did you mean getToken"),
            "{}",
            error.message
        );
    }

    #[test]
    fn path_parameters_are_checked_before_anything_is_sent() {
        for bad in [&[][..], &[("name", "x")][..]] {
            let error = ApiCall::parse(&args("getToken", bad)).unwrap_err();
            assert_eq!(error.status, crate::ExitStatus::Usage, "{}", error.message);
        }
        assert!(
            ApiCall::parse(&args("getToken", &[("id", "5")]))
                .unwrap()
                .is_some()
        );
    }
}
