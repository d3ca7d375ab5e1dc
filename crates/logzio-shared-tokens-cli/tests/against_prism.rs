//! Logz.io's own description of the API, mocked by a third party: Prism
//! serves the examples of Logz.io's public API file
//! (`../shared/upstream/logzio-public-api.yml`) statically, and every read
//! command of the CLI (`tokens list`, `tokens get`, `filters list`,
//! `filters get`, as a table and as `--json`) must succeed and print those
//! examples as the CLI README's JSON section and `docs/spec-decisions.md` say
//! they read after our normalisations.
//!
//! `.ci/prism.sh` installs Prism, starts it on 127.0.0.1 and runs this file
//! with `--ignored`, `LOGZIO_PRISM_URL` (the mock's base URL) and
//! `LOGZIO_PRISM_SPEC` (the file the mock serves) set. Every test is
//! `#[ignore]`d with that reason, so `cargo test --workspace` (which has
//! neither Node.js nor Logz.io's file) lists them as ignored, never as
//! passed; run with `--ignored` and no mock, each fails saying what to set.
//!
//! Nothing expected is written here: each value is read from the file at
//! test time, following the operation's 200 response to its schema and
//! taking what Prism's static mode serves for it (Prism's documented rule:
//! the example; else the default; else, for a string without a format,
//! `"string"`). Only the normalisations are ours.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::{Map, Value, json};

/// The mock's base URL, set by `.ci/prism.sh`.
const URL_VAR: &str = "LOGZIO_PRISM_URL";
/// The spec file the mock serves, set by `.ci/prism.sh`.
const SPEC_VAR: &str = "LOGZIO_PRISM_SPEC";
/// The tag of the Shared Tokens operations in Logz.io's full file.
const TAG: &str = "Manage shared tokens";
/// Prism only checks that the `X-API-TOKEN` header is present.
const API_TOKEN: &str = "prism-mock-api-token";
/// Below this, a Unix timestamp is seconds, not milliseconds (the rule of
/// `UnixTime` in docs/spec-decisions.md: as milliseconds it would fall
/// before March 1973).
const SECONDS_BELOW: f64 = 1e11;

/// A running mock and the document it serves.
struct Mock {
    url: String,
    spec: Value,
}

/// The mock `.ci/prism.sh` started; a test run without one fails here.
fn mock() -> &'static Mock {
    static MOCK: OnceLock<Mock> = OnceLock::new();
    MOCK.get_or_init(|| {
        let url = std::env::var(URL_VAR).unwrap_or_else(|_| {
            panic!(
                "{URL_VAR} is not set: .ci/prism.sh starts a Prism mock of Logz.io's spec, sets \
                 it and {SPEC_VAR}, and runs these tests with --ignored"
            )
        });
        let path = std::env::var(SPEC_VAR).unwrap_or_else(|_| {
            panic!("{URL_VAR} is set but {SPEC_VAR} (the file Prism serves) is not")
        });
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|error| panic!("{SPEC_VAR}={path}: {error}"));
        let spec = serde_norway::from_str(&text)
            .unwrap_or_else(|error| panic!("{SPEC_VAR}={path} is not YAML/JSON: {error}"));
        Mock { url, spec }
    })
}

impl Mock {
    /// Runs the CLI against the mock; expects success and returns stdout.
    fn run(&self, args: &[&str]) -> String {
        let output = support::bare_cli()
            .env("LOGZIO_API_TOKEN", API_TOKEN)
            .args(["--api-url", &self.url])
            .args(args)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "`{}` against Prism exited with {}: {}",
            args.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
        String::from_utf8(output.stdout).unwrap()
    }

    /// Runs the CLI with `--json` and parses what it printed.
    fn json(&self, args: &[&str]) -> Value {
        let stdout = self.run(&[&["--json"], args].concat());
        serde_json::from_str(&stdout)
            .unwrap_or_else(|error| panic!("`{}`: not JSON ({error}): {stdout}", args.join(" ")))
    }

    /// What Prism serves for the 200 answer of `operation_id`.
    fn served(&self, operation_id: &str) -> Value {
        let operation = self.operation(operation_id);
        let ok = &operation["responses"]["200"];
        if let Some(example) = ok.pointer("/examples/application~1json") {
            return example.clone();
        }
        let schema = ok
            .get("schema")
            .unwrap_or_else(|| panic!("{operation_id}: the 200 answer has no schema"));
        self.static_example(schema, operation_id)
    }

    /// The Shared Tokens operation with this `operationId`.
    fn operation(&self, operation_id: &str) -> &Value {
        let paths = self.spec["paths"].as_object().expect("the spec has paths");
        paths
            .values()
            .filter_map(Value::as_object)
            .flat_map(|item| item.values())
            .find(|operation| {
                operation["operationId"] == operation_id
                    && operation["tags"]
                        .as_array()
                        .is_some_and(|tags| tags.iter().any(|tag| tag == TAG))
            })
            .unwrap_or_else(|| panic!("no operation {operation_id} tagged {TAG:?} in the spec"))
    }

    /// Prism's static generation, as its mocking guide documents it, for the
    /// schema kinds the Shared Tokens answers use; any other kind stops the
    /// test rather than guessing what Prism would serve.
    fn static_example(&self, schema: &Value, at: &str) -> Value {
        let schema = self.resolve(schema, at);
        if let Some(value) = schema.get("example").or_else(|| schema.get("default")) {
            return value.clone();
        }
        // A nullable scalar without an example is served as `null`, a formatted
        // one as a value for its format: neither occurs here, so neither is guessed.
        let plain = ["format", "x-nullable", "nullable"]
            .iter()
            .all(|keyword| schema.get(keyword).is_none());
        match schema["type"].as_str() {
            Some("object") => {
                let properties = schema["properties"]
                    .as_object()
                    .cloned()
                    .unwrap_or_default();
                let object: Map<String, Value> = properties
                    .iter()
                    .map(|(name, property)| {
                        let value = self.static_example(property, &format!("{at}.{name}"));
                        (name.clone(), value)
                    })
                    .collect();
                Value::Object(object)
            }
            Some("array") => json!([self.static_example(&schema["items"], &format!("{at}[]"))]),
            Some("string") if plain => json!("string"),
            Some("integer" | "number") if plain => json!(0),
            _ => panic!(
                "{at}: no example, and this test does not know what Prism serves for {schema}"
            ),
        }
    }

    /// Follows a local `$ref`.
    fn resolve<'a>(&'a self, schema: &'a Value, at: &str) -> &'a Value {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let target = reference
                    .strip_prefix('#')
                    .and_then(|pointer| self.spec.pointer(pointer))
                    .unwrap_or_else(|| panic!("{at}: dangling $ref {reference}"));
                self.resolve(target, at)
            }
            None => schema,
        }
    }
}

/// A token as the CLI's `--json` prints it (the CLI's README, "JSON output"): the
/// API's field names, the value masked to `…` and its last four characters,
/// `filters` always a list, one operator, timestamps in integer milliseconds.
fn expected_token(served: &Value) -> Value {
    let value = served["token"]
        .as_str()
        .unwrap_or_else(|| panic!("the token example has no string value: {served}"));
    let tail: String = value
        .chars()
        .skip(value.chars().count().saturating_sub(4))
        .collect();
    json!({
        "id": served["id"],
        "name": served["name"],
        "token": format!("…{tail}"),
        "tokenMasked": true,
        "filters": filter_ids(&served["filters"]),
        "filtersOperator": one_operator(&served["filtersOperator"]),
        "expirationDate": unix_millis("expirationDate", &served["expirationDate"]),
        "lastUsed": unix_millis("lastUsed", &served["lastUsed"]),
    })
}

/// A filter as the CLI's `--json` prints it: the API's object, with
/// `description` always present.
fn expected_filter(served: &Value) -> Value {
    json!({
        "id": served["id"],
        "field": served["field"],
        "value": served["value"],
        "description": served["description"],
    })
}

/// `null` means no filter is attached (Logz.io's description): an empty list.
fn filter_ids(served: &Value) -> Value {
    match served {
        Value::Null => json!([]),
        Value::Array(_) => served.clone(),
        other => panic!("filters: an example this test does not know: {other}"),
    }
}

/// Logz.io declares an array of strings and documents one value: the CLI
/// prints that one value.
fn one_operator(served: &Value) -> Value {
    match served {
        Value::String(_) => served.clone(),
        Value::Array(items) if items.len() == 1 && items[0].is_string() => items[0].clone(),
        other => panic!("filtersOperator: an example this test does not know: {other}"),
    }
}

/// Logz.io declares an array of int64, documents one timestamp in
/// milliseconds or `null`, and gives seconds with a fraction as the example:
/// the CLI prints integer milliseconds.
fn unix_millis(field: &str, served: &Value) -> Value {
    match served {
        Value::Null => Value::Null,
        Value::Array(items) if items.len() == 1 => unix_millis(field, &items[0]),
        Value::Number(number) => {
            let number = number.as_f64().unwrap();
            let millis = if number < SECONDS_BELOW {
                number * 1000.0
            } else {
                number
            };
            json!(millis.round() as i64)
        }
        other => panic!("{field}: an example this test does not know: {other}"),
    }
}

/// A table's rows, each as header → cell (the CLI's tables have one line per row
/// when stdout is not a terminal).
fn table_rows(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut lines = text
        .lines()
        .filter(|line| line.starts_with('│'))
        .map(|line| {
            line.trim_matches('│')
                .split('┆')
                .map(|cell| cell.trim().to_owned())
                .collect::<Vec<_>>()
        });
    let header = lines
        .next()
        .unwrap_or_else(|| panic!("no table header in: {text}"));
    lines
        .map(|cells| {
            assert_eq!(
                cells.len(),
                header.len(),
                "a row with other columns: {text}"
            );
            header.iter().cloned().zip(cells).collect()
        })
        .collect()
}

/// The table row of a token, from its expected JSON form.
/// `filters` is what the mock serves for `getAllFilters`: tables name a
/// filter by its `field=value` (with its id when another filter shares the
/// pair), and by its id alone when the list does not hold it.
fn token_row(token: &Value, filters: &[Value]) -> BTreeMap<String, String> {
    let now = jiff::Timestamp::now();
    let pair = |filter: &Value| format!("{}={}", text(&filter["field"]), text(&filter["value"]));
    let name = |id: &Value| match filters.iter().find(|filter| &filter["id"] == id) {
        Some(filter) if filters.iter().filter(|f| pair(f) == pair(filter)).count() > 1 => {
            format!("{} (id {id})", pair(filter))
        }
        Some(filter) => pair(filter),
        None => id.to_string(),
    };
    let time = |field: &str| {
        token[field]
            .as_i64()
            .map(|millis| jiff::Timestamp::from_millisecond(millis).unwrap())
    };
    let filters: Vec<String> = token["filters"]
        .as_array()
        .unwrap()
        .iter()
        .map(name)
        .collect();
    let expires = match time("expirationDate") {
        Some(at) if at <= now => format!("{} (expired)", short_time(at)),
        Some(at) => short_time(at),
        None => "never".to_owned(),
    };
    row([
        ("ID", token["id"].to_string()),
        ("NAME", text(&token["name"])),
        ("TOKEN", text(&token["token"])),
        (
            "FILTERS",
            if filters.is_empty() {
                "none (all logs)".to_owned()
            } else {
                filters.join(", ")
            },
        ),
        ("OPERATOR", text(&token["filtersOperator"])),
        ("EXPIRES", expires),
        (
            "LAST USED",
            time("lastUsed").map_or_else(|| "never".to_owned(), short_time),
        ),
    ])
}

/// The table row of a filter, from its expected JSON form.
fn filter_row(filter: &Value) -> BTreeMap<String, String> {
    row([
        ("ID", filter["id"].to_string()),
        ("FIELD", text(&filter["field"])),
        ("VALUE", text(&filter["value"])),
        ("DESCRIPTION", text(&filter["description"])),
    ])
}

fn row<const N: usize>(cells: [(&str, String); N]) -> BTreeMap<String, String> {
    cells
        .into_iter()
        .map(|(header, cell)| (header.to_owned(), cell))
        .collect()
}

/// A string cell; `null` is an empty cell.
fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

/// The tables' time format, e.g. `2025-01-01 15:01 UTC`.
fn short_time(at: jiff::Timestamp) -> String {
    at.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

fn served_list(mock: &Mock, operation_id: &str) -> Vec<Value> {
    match mock.served(operation_id) {
        Value::Array(items) if !items.is_empty() => items,
        other => panic!("{operation_id}: Prism serves no list item to check: {other}"),
    }
}

/// The id to ask for: the example's own.
fn id_of(served: &Value) -> String {
    served["id"].to_string()
}

#[test]
#[ignore = "needs a Prism mock: .ci/prism.sh starts one and runs these with --ignored"]
fn tokens_list_as_json_prints_logzios_example() {
    let mock = mock();
    let expected: Vec<Value> = served_list(mock, "getAllTokens")
        .iter()
        .map(expected_token)
        .collect();
    assert_eq!(mock.json(&["tokens", "list"]), Value::Array(expected));
}

#[test]
#[ignore = "needs a Prism mock: .ci/prism.sh starts one and runs these with --ignored"]
fn tokens_list_as_a_table_prints_logzios_example() {
    let mock = mock();
    let filters = served_list(mock, "getAllFilters");
    let expected: Vec<_> = served_list(mock, "getAllTokens")
        .iter()
        .map(|served| token_row(&expected_token(served), &filters))
        .collect();
    assert_eq!(table_rows(&mock.run(&["tokens", "list"])), expected);
}

#[test]
#[ignore = "needs a Prism mock: .ci/prism.sh starts one and runs these with --ignored"]
fn tokens_get_as_json_prints_logzios_example() {
    let mock = mock();
    let served = mock.served("getToken");
    let printed = mock.json(&["tokens", "get", &id_of(&served)]);
    assert_eq!(printed, expected_token(&served));
}

#[test]
#[ignore = "needs a Prism mock: .ci/prism.sh starts one and runs these with --ignored"]
fn tokens_get_as_a_table_prints_logzios_example() {
    let mock = mock();
    let served = mock.served("getToken");
    let printed = mock.run(&["tokens", "get", &id_of(&served)]);
    assert_eq!(
        table_rows(&printed),
        vec![token_row(
            &expected_token(&served),
            &served_list(mock, "getAllFilters")
        )]
    );
}

#[test]
#[ignore = "needs a Prism mock: .ci/prism.sh starts one and runs these with --ignored"]
fn filters_list_as_json_prints_logzios_example() {
    let mock = mock();
    let expected: Vec<Value> = served_list(mock, "getAllFilters")
        .iter()
        .map(expected_filter)
        .collect();
    assert_eq!(mock.json(&["filters", "list"]), Value::Array(expected));
}

#[test]
#[ignore = "needs a Prism mock: .ci/prism.sh starts one and runs these with --ignored"]
fn filters_list_as_a_table_prints_logzios_example() {
    let mock = mock();
    let expected: Vec<_> = served_list(mock, "getAllFilters")
        .iter()
        .map(|served| filter_row(&expected_filter(served)))
        .collect();
    assert_eq!(table_rows(&mock.run(&["filters", "list"])), expected);
}

#[test]
#[ignore = "needs a Prism mock: .ci/prism.sh starts one and runs these with --ignored"]
fn filters_get_as_json_prints_logzios_example() {
    let mock = mock();
    let served = mock.served("getFilter");
    let printed = mock.json(&["filters", "get", &id_of(&served)]);
    assert_eq!(printed, expected_filter(&served));
}

#[test]
#[ignore = "needs a Prism mock: .ci/prism.sh starts one and runs these with --ignored"]
fn filters_get_as_a_table_prints_logzios_example() {
    let mock = mock();
    let served = mock.served("getFilter");
    let printed = mock.run(&["filters", "get", &id_of(&served)]);
    assert_eq!(
        table_rows(&printed),
        vec![filter_row(&expected_filter(&served))]
    );
}
