//! What the hand-written layers (facade, CLI, emulator) lack for the spec at
//! hand, found in separate processes so that xtask itself never links them:
//!
//! 1. `cargo build -p xtask-operation-coverage --keep-going`, read as JSON: a
//!    crate that does not compile is reported as
//!    `needs hand-written work in <crate>: <first error>`.
//! 2. The built binary prints, for each operation of the compiled catalog, the
//!    facade method and CLI command that cover it and what the emulator
//!    answers it with. An operation without them is reported as work left;
//!    it is usable meanwhile through `Client::call`, `logzio-shared-tokens api`
//!    and the emulator's 501.
//!
//! Compile errors fail `check`; coverage gaps are a report, not a failure, so
//! a spec with a new operation can land before its curated code does.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, bail};
use serde::Deserialize;

/// The package whose binary reports coverage (xtask/operation-coverage).
const COVERAGE_PACKAGE: &str = "xtask-operation-coverage";

/// One row of the coverage binary's output.
#[derive(Debug, Deserialize)]
struct Row {
    operation: String,
    facade: Option<String>,
    cli: Option<String>,
    emulator: String,
}

/// What the check found.
#[derive(Debug, Default)]
pub struct Findings {
    /// Crates that do not compile, each with its first error.
    pub compile_errors: Vec<String>,
    /// Operations a layer does not cover yet.
    pub work_left: Vec<String>,
}

/// Builds and runs the coverage report of the workspace at `root` against
/// `expected`, the spec's operationIds; prints where each operation lives.
pub fn check(root: &Path, expected: &[String]) -> anyhow::Result<Findings> {
    let mut findings = Findings::default();
    let binary = match build(root)? {
        Built::Binary(binary) => binary,
        Built::Errors(errors) => {
            findings.compile_errors = errors;
            return Ok(findings);
        }
    };
    let output = Command::new(&binary)
        .output()
        .with_context(|| format!("running {}", binary.display()))?;
    if !output.status.success() {
        bail!(
            "{COVERAGE_PACKAGE} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let mut rows = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let row: Row = serde_json::from_str(line)
            .with_context(|| format!("{COVERAGE_PACKAGE} printed an unexpected line: {line}"))?;
        rows.insert(row.operation.clone(), row);
    }
    for id in expected {
        let Some(row) = rows.remove(id) else {
            bail!(
                "the compiled operation catalog lacks `{id}`, which swagger.json declares: \
                 the build is older than the spec (run `cargo xtask generate`, then check again)"
            );
        };
        print_row(&row);
        findings.work_left.extend(work_left(&row));
    }
    if let Some(extra) = rows.keys().next() {
        bail!("the compiled operation catalog has `{extra}`, which swagger.json does not declare");
    }
    Ok(findings)
}

fn print_row(row: &Row) {
    println!("{}", row_line(row));
}

/// `  getToken       facade `Tokens::get`, CLI `tokens get`, emulator: emulated`.
fn row_line(row: &Row) -> String {
    let quoted = |place: &Option<String>| {
        place
            .as_deref()
            .map_or_else(|| "-".to_owned(), |words| format!("`{words}`"))
    };
    format!(
        "  {:<14} facade {}, CLI {}, emulator: {}",
        row.operation,
        quoted(&row.facade),
        quoted(&row.cli),
        row.emulator
    )
}

/// The hand-written work an operation still needs, one line per layer.
fn work_left(row: &Row) -> Vec<String> {
    let id = &row.operation;
    let mut left = Vec::new();
    if row.facade.is_none() {
        left.push(format!(
            "logzio-shared-tokens: `{id}` has no curated method (usable now: Client::call)"
        ));
    }
    if row.cli.is_none() {
        left.push(format!(
            "logzio-shared-tokens-cli: `{id}` has no curated command (usable now: logzio-shared-tokens api {id})"
        ));
    }
    match row.emulator.as_str() {
        "emulated" => {}
        "not emulated" => left.push(format!(
            "logzio-shared-tokens-emulator: `{id}` is not emulated (it answers 501)"
        )),
        other => left.push(format!(
            "logzio-shared-tokens-emulator: `{id}` is {other} (a bug: every operation of the catalog is routed)"
        )),
    }
    left
}

enum Built {
    Binary(std::path::PathBuf),
    Errors(Vec<String>),
}

/// Builds the coverage binary; `Errors` holds one line per crate that failed.
fn build(root: &Path) -> anyhow::Result<Built> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(root)
        .args([
            "build",
            "--keep-going",
            "--message-format=json",
            "--package",
        ])
        .arg(COVERAGE_PACKAGE)
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"))
        .stdin(Stdio::null())
        .output()
        .context("running cargo build for the coverage report")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let messages = stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<CargoMessage>(line).ok());
    let (errors, binary) = read_messages(messages);
    if output.status.success() {
        return binary.map(Built::Binary).with_context(|| {
            format!("cargo built {COVERAGE_PACKAGE} but named no executable for it")
        });
    }
    if errors.is_empty() {
        bail!(
            "cargo build -p {COVERAGE_PACKAGE} failed ({}) without a compiler error:\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(Built::Errors(errors))
}

/// The part of cargo's `--message-format=json` lines this reads.
#[derive(Debug, Deserialize)]
struct CargoMessage {
    reason: String,
    package_id: Option<String>,
    message: Option<Diagnostic>,
    executable: Option<std::path::PathBuf>,
    target: Option<Target>,
}

#[derive(Debug, Deserialize)]
struct Target {
    name: String,
}

#[derive(Debug, Deserialize)]
struct Diagnostic {
    level: String,
    message: String,
    #[serde(default)]
    spans: Vec<Span>,
}

#[derive(Debug, Deserialize)]
struct Span {
    file_name: String,
    line_start: u64,
    is_primary: bool,
}

/// One `needs hand-written work in <crate>: <first error>` line per crate
/// with errors (and how many more it has), and the coverage executable.
fn read_messages(
    messages: impl Iterator<Item = CargoMessage>,
) -> (Vec<String>, Option<std::path::PathBuf>) {
    let mut first: BTreeMap<String, (String, usize)> = BTreeMap::new();
    let mut executable = None;
    for message in messages {
        match message.reason.as_str() {
            "compiler-message" => {
                let (Some(package), Some(diagnostic)) = (&message.package_id, &message.message)
                else {
                    continue;
                };
                if diagnostic.level != "error" || diagnostic.spans.is_empty() {
                    continue; // warnings, and "aborting due to N errors"
                }
                let place = diagnostic
                    .spans
                    .iter()
                    .find(|span| span.is_primary)
                    .map(|span| format!(" ({}:{})", span.file_name, span.line_start))
                    .unwrap_or_default();
                first
                    .entry(package_name(package))
                    .and_modify(|(_, count)| *count += 1)
                    .or_insert((format!("{}{place}", diagnostic.message), 1));
            }
            "compiler-artifact"
                if message.target.as_ref().map(|t| t.name.as_str()) == Some(COVERAGE_PACKAGE) =>
            {
                executable = message.executable.or(executable);
            }
            _ => {}
        }
    }
    let errors = first
        .into_iter()
        .map(|(package, (error, count))| {
            let more = match count {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            };
            if package == "logzio-shared-tokens-api" {
                format!(
                    "the generated crate logzio-shared-tokens-api does not compile: {error}{more}"
                )
            } else {
                format!("needs hand-written work in {package}: {error}{more}")
            }
        })
        .collect();
    (errors, executable)
}

/// A package's name from a cargo package id: `path+file:///w/crates/x#x-y@0.1.0`
/// names it after `#`; `path+file:///w/crates/x#0.1.0` (name = directory) does not.
fn package_name(id: &str) -> String {
    let (source, fragment) = id.split_once('#').unwrap_or((id, ""));
    match fragment.split_once('@') {
        Some((name, _)) => name.to_owned(),
        None => source
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or(source)
            .to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names_come_from_either_form_of_package_id() {
        assert_eq!(
            package_name("path+file:///w/crates/emu#logzio-shared-tokens-emulator@0.1.0"),
            "logzio-shared-tokens-emulator"
        );
        assert_eq!(
            package_name("path+file:///w/crates/logzio-shared-tokens#0.1.0"),
            "logzio-shared-tokens"
        );
    }

    #[test]
    fn the_first_error_of_each_crate_is_reported_with_its_place_and_count() {
        let lines = [
            r#"{"reason":"compiler-message","package_id":"path+file:///w/crates/e#logzio-shared-tokens-emulator@0.1.0","message":{"level":"error","message":"missing field `created_at`","spans":[{"file_name":"src/wire.rs","line_start":21,"is_primary":true}]}}"#,
            r#"{"reason":"compiler-message","package_id":"path+file:///w/crates/e#logzio-shared-tokens-emulator@0.1.0","message":{"level":"error","message":"second","spans":[{"file_name":"src/http.rs","line_start":2,"is_primary":true}]}}"#,
            r#"{"reason":"compiler-message","package_id":"path+file:///w/crates/e#logzio-shared-tokens-emulator@0.1.0","message":{"level":"error","message":"aborting due to 2 previous errors","spans":[]}}"#,
            r#"{"reason":"compiler-message","package_id":"path+file:///w/crates/f#logzio-shared-tokens@0.1.0","message":{"level":"warning","message":"unused","spans":[{"file_name":"src/a.rs","line_start":1,"is_primary":true}]}}"#,
        ];
        let messages = lines
            .iter()
            .map(|line| serde_json::from_str::<CargoMessage>(line).unwrap());
        let (errors, executable) = read_messages(messages);
        assert_eq!(
            errors,
            [
                "needs hand-written work in logzio-shared-tokens-emulator: missing field `created_at` (src/wire.rs:21) (and 1 more)"
            ]
        );
        assert_eq!(executable, None);
    }

    #[test]
    fn an_operation_without_curated_code_is_work_left_in_each_layer() {
        let row = Row {
            operation: "updateFilter".into(),
            facade: None,
            cli: None,
            emulator: "not emulated".into(),
        };
        let left = work_left(&row);
        assert_eq!(left.len(), 3, "{left:?}");
        assert!(left[1].contains("logzio-shared-tokens api updateFilter"));
        let covered = Row {
            operation: "getToken".into(),
            facade: Some("Tokens::get".into()),
            cli: Some("tokens get".into()),
            emulator: "emulated".into(),
        };
        assert!(work_left(&covered).is_empty());
        assert_eq!(
            row_line(&covered),
            "  getToken       facade `Tokens::get`, CLI `tokens get`, emulator: emulated"
        );
        assert!(row_line(&row).contains("facade -, CLI -, emulator: not emulated"));
    }
}
