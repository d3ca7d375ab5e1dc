//! The `apply_file` target: bytes as an `apply` file (TOML or YAML) through
//! the CLI's file reader, its planner against a fixed account, the expiry
//! table, and back out through the serializer `export` uses.
//!
//! Promises checked: no panic; every refusal names the file; a file the
//! reader accepts is one the planner can plan (with and without `--prune`);
//! what `export` would write for an accepted file reads back as the same
//! desired state.
//!
//! Input: byte 0 picks the extension (`.toml`, `.yaml`, `.yml`); the rest
//! is the file's bytes.

use std::path::PathBuf;
use std::sync::OnceLock;

use jiff::Timestamp;
use logzio_shared_tokens::types::{QueryFilter, SharedToken};
use logzio_shared_tokens_cli::apply::file::{self, DesiredState, FileFormat};
use logzio_shared_tokens_cli::apply::{expiry, plan};

/// The account the planner compares files with: filters with duplicates,
/// tokens with and without filters, legacy `filterIds`, an unknown
/// operator, expired and never-expiring tokens.
const ACCOUNT_TOKENS: &str = r#"[
  {"id": 1, "name": "support dashboards", "filters": [10, 11], "filtersOperator": "AND",
   "lastUsed": null, "expirationDate": 1735743699000},
  {"id": 2, "name": "nginx", "filterIds": [12], "expirationDate": null},
  {"id": 3, "name": "odd operator", "filters": null, "filtersOperator": "XOR"},
  {"id": 4, "name": "", "filters": []}
]"#;
const ACCOUNT_FILTERS: &str = r#"[
  {"id": 10, "field": "type", "value": "nginx"},
  {"id": 11, "field": "env", "value": "prod", "description": "production"},
  {"id": 12, "field": "type", "value": "nginx"},
  {"id": 13, "field": "x", "value": "y"}
]"#;

/// Runs one input; panics if a promise is broken.
pub fn check(data: &[u8]) {
    let Some((format_pick, bytes)) = data.split_first() else {
        return;
    };
    let path = file_path(["toml", "yaml", "yml"][usize::from(*format_pick) % 3]);
    if let Err(error) = std::fs::write(&path, bytes) {
        panic!("cannot write {}: {error}", path.display());
    }
    let state = match file::load(&path) {
        Ok(state) => state,
        Err(error) => {
            let name = path.display().to_string();
            assert!(
                error.message.contains(&name),
                "a refusal that does not name the file: {}",
                error.message
            );
            return;
        }
    };
    plan_against_account(&state);
    let format = match FileFormat::of_path(&path) {
        Ok(format) => format,
        Err(reason) => panic!("an accepted file of no format: {reason}"),
    };
    round_trip(format, &state);
}

/// Where inputs are written: one temporary folder per process, and a file
/// name with a space, as users' files have.
fn file_path(extension: &str) -> PathBuf {
    static FOLDER: OnceLock<tempfile::TempDir> = OnceLock::new();
    let folder = FOLDER.get_or_init(|| match tempfile::tempdir() {
        Ok(folder) => folder,
        Err(error) => panic!("no temporary folder: {error}"),
    });
    folder.path().join(format!("desired state.{extension}"))
}

fn plan_against_account(state: &DesiredState) {
    let (tokens, filters) = account();
    for prune in [false, true] {
        let planned = match plan::plan(state, &tokens, &filters, prune) {
            Ok(planned) => planned,
            Err(reason) => panic!("a file the reader accepted cannot be planned: {reason}"),
        };
        for change in &planned.changes {
            let _ = (change.describe(), change.to_json());
        }
    }
    let now = Timestamp::UNIX_EPOCH;
    let table = expiry::expiry(state, &tokens, now, Some(7));
    let _ = expiry::table(&table, now, true);
    for token in &table {
        let _ = (token.to_json(now), token.describe_renewal(now));
    }
}

fn account() -> (Vec<SharedToken>, Vec<QueryFilter>) {
    match (
        serde_json::from_str(ACCOUNT_TOKENS),
        serde_json::from_str(ACCOUNT_FILTERS),
    ) {
        (Ok(tokens), Ok(filters)) => (tokens, filters),
        _ => panic!("the fixed account does not decode"),
    }
}

/// What `export` writes for `state` must read back as `state`.
fn round_trip(format: FileFormat, state: &DesiredState) {
    let written = match format.render(state) {
        Ok(written) => written,
        Err(reason) => panic!("an accepted file cannot be written back: {reason}"),
    };
    match format.parse(&written) {
        Ok(read) => assert_eq!(&read, state, "written as:\n{written}"),
        Err(reason) => panic!("what export writes does not read back: {reason}\n{written}"),
    }
}
