//! Rendering results: tables for people, JSON for scripts, both on stdout.
//!
//! A shared token value leaves this module masked unless the caller says it
//! may be shown (`--show-secrets`, or the one time right after creation).
//! The JSON shapes here are the CLI's documented, stable interface: change
//! them only together with the crate's README ("JSON output").

use std::collections::BTreeMap;
use std::io::{self, Write};

use comfy_table::{ContentArrangement, Table, presets};
use logzio_shared_tokens::{QueryFilter, SharedToken, SharedTokenExt, SharedTokenValue};
use serde_json::{Map, Value, json};

use crate::apply::matching::filter_label;
use crate::cli::{Command, OutputFormat, TokensCommand};
use crate::error::CliError;

/// Whether a token value may be printed in full.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reveal {
    /// Masked: `…` and the last four characters.
    Masked,
    /// In full.
    Full,
}

/// Where and how results are printed.
#[derive(Clone, Copy, Debug)]
pub struct Printer {
    /// Table, JSON or a new token's value alone.
    pub format: OutputFormat,
    /// `--show-secrets`.
    pub show_secrets: bool,
    /// `--quiet`: results only, no notes or confirmations.
    pub quiet: bool,
}

impl Printer {
    /// Whether output is JSON.
    pub fn json(&self) -> bool {
        self.format == OutputFormat::Json
    }

    /// Whether output is a token's value alone (`--output value`).
    pub fn value_only(&self) -> bool {
        self.format == OutputFormat::Value
    }

    /// A confirmation of what was done ("Deleted token 7."): on stdout beside a
    /// table, on stderr when stdout carries only a value, never with `--quiet`.
    pub fn narrate(&self, text: impl AsRef<str>) -> Result<(), CliError> {
        if self.quiet {
            return Ok(());
        }
        if self.value_only() {
            eprintln!("{}", text.as_ref());
            return Ok(());
        }
        self.line(text)
    }

    /// A note or hint for the person at the terminal: on stderr, never with `--quiet`.
    pub fn note(&self, text: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("note: {}", text.as_ref());
        }
    }

    /// The values of tokens just created, each on a line of its own (a table
    /// cell would wrap it at the terminal's width), with the truth about when
    /// they can be seen again. With `--output value`, the values alone.
    /// Callers print the tokens themselves (masked) or their JSON.
    pub fn new_secrets(&self, tokens: &[SharedToken]) -> Result<(), CliError> {
        for token in tokens {
            let value = value_of(token)?;
            if !self.value_only() {
                self.line(format!("Value of {}:", token_line(token)))?;
            }
            self.line(value)?;
        }
        let id = match tokens {
            [] => return Ok(()),
            [token] => token.id.to_string(),
            _ => "ID".to_owned(),
        };
        self.note(format!(
            "store the value now: from here on it is masked; `logzio-shared-tokens tokens get {id} \
             --show-secrets` shows it again to anyone holding this API token"
        ));
        Ok(())
    }

    /// The reveal rule for listed tokens (masked unless `--show-secrets`).
    pub fn listed(&self) -> Reveal {
        if self.show_secrets {
            Reveal::Full
        } else {
            Reveal::Masked
        }
    }

    /// Writes `text` and a newline to stdout. A closed pipe (`| head`) is not an error.
    pub fn line(&self, text: impl AsRef<str>) -> Result<(), CliError> {
        self.text(&format!("{}\n", text.as_ref()))
    }

    /// Writes `text` as it is to stdout (a document that ends its own lines).
    pub fn text(&self, text: &str) -> Result<(), CliError> {
        let mut stdout = io::stdout().lock();
        let written = stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush());
        match written {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(()),
            Err(error) => Err(CliError::failure(format!(
                "could not write to standard output: {error}"
            ))),
        }
    }

    /// Prints a JSON document (pretty, one per command).
    pub fn json_value(&self, value: &Value) -> Result<(), CliError> {
        let text = serde_json::to_string_pretty(value)
            .map_err(|error| CliError::failure(format!("could not encode JSON: {error}")))?;
        self.line(text)
    }

    /// `tokens get --show-secrets --output value`: the value alone.
    pub fn value(&self, token: &SharedToken) -> Result<(), CliError> {
        self.line(value_of(token)?)
    }

    /// Prints tokens as a table (filters as `field=value`, from `names`) or
    /// a JSON array (filter ids, the documented shape).
    pub fn tokens(
        &self,
        tokens: &[SharedToken],
        reveal: Reveal,
        names: &FilterNames,
    ) -> Result<(), CliError> {
        if self.json() {
            let items = tokens.iter().map(|t| token_json(t, reveal)).collect();
            return self.json_value(&Value::Array(items));
        }
        if tokens.is_empty() {
            return self.line("No shared tokens.");
        }
        self.line(token_table(tokens, reveal, names).to_string())
    }

    /// Prints one token as a table or a JSON object.
    pub fn token(
        &self,
        token: &SharedToken,
        reveal: Reveal,
        names: &FilterNames,
    ) -> Result<(), CliError> {
        if self.json() {
            return self.json_value(&token_json(token, reveal));
        }
        self.line(token_table(std::slice::from_ref(token), reveal, names).to_string())
    }

    /// Prints filters as a table or a JSON array.
    pub fn filters(&self, filters: &[QueryFilter]) -> Result<(), CliError> {
        if self.json() {
            let items = filters.iter().map(filter_json).collect();
            return self.json_value(&Value::Array(items));
        }
        if filters.is_empty() {
            return self.line("No token filters.");
        }
        self.line(filter_table(filters).to_string())
    }

    /// Prints one filter as a table or a JSON object.
    pub fn filter(&self, filter: &QueryFilter) -> Result<(), CliError> {
        if self.json() {
            return self.json_value(&filter_json(filter));
        }
        self.line(filter_table(std::slice::from_ref(filter)).to_string())
    }

    /// Confirms a deletion: `{"deleted": {"kind": …, "id": …}}` or a sentence.
    pub fn deleted(&self, kind: &str, id: i32) -> Result<(), CliError> {
        if self.json() {
            return self.json_value(&json!({ "deleted": { "kind": kind, "id": id } }));
        }
        self.narrate(format!("Deleted {kind} {id}."))
    }
}

/// How tables name filters: `field=value`, as people think of them, with
/// the id added when several filters share the pair (so the table still
/// tells them apart). A filter missing from the list (or every filter, when
/// the list could not be read) is shown by its id.
#[derive(Clone, Debug, Default)]
pub struct FilterNames {
    names: BTreeMap<i32, String>,
}

impl FilterNames {
    /// The names of the account's `filters`.
    pub fn new(filters: &[QueryFilter]) -> Self {
        let label =
            |filter: &QueryFilter| filter_label(filter.field.as_str(), filter.value.as_str());
        let mut uses: BTreeMap<String, usize> = BTreeMap::new();
        for filter in filters {
            *uses.entry(label(filter)).or_default() += 1;
        }
        let names = filters
            .iter()
            .map(|filter| {
                let name = label(filter);
                let shared = uses.get(&name).is_some_and(|count| *count > 1);
                let name = match shared {
                    true => format!("{name} (id {})", filter.id),
                    false => name,
                };
                (filter.id, name)
            })
            .collect();
        Self { names }
    }

    /// The name of filter `id`.
    pub fn name(&self, id: i32) -> String {
        self.names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }
}

/// How confirmations and notes name a token: `token 4 "checkout-dash"`.
pub fn token_line(token: &SharedToken) -> String {
    match token.name.as_deref() {
        Some(name) => format!("token {} {name:?}", token.id),
        None => format!("token {} (no name)", token.id),
    }
}

/// `--output value` prints one secret: refused (exit 2, before any request)
/// for the commands that print none.
pub fn check_value_output(command: &Command, show_secrets: bool) -> Result<(), CliError> {
    match command {
        Command::Tokens(TokensCommand::Create { .. }) | Command::Rotate(_) => Ok(()),
        Command::Tokens(TokensCommand::Get { .. }) if show_secrets => Ok(()),
        Command::Tokens(TokensCommand::Get { .. }) => Err(CliError::usage(
            "--output value with `tokens get` prints the token's value in full: add \
             --show-secrets to say so",
        )),
        _ => Err(CliError::usage(
            "--output value prints a token's value alone, so only `tokens create`, `rotate` and \
             `tokens get --show-secrets` take it; use --output table or --output json here",
        )),
    }
}

/// A token's value in full, for the one who asked to see it.
fn value_of(token: &SharedToken) -> Result<&str, CliError> {
    token
        .token
        .as_ref()
        .map(SharedTokenValue::expose_secret)
        .ok_or_else(|| {
            CliError::failure(format!(
                "the API sent token {} without its value, so there is no value to print",
                token.id
            ))
        })
}

/// Below this terminal width, tables are not wrapped to fit.
const MIN_WRAP_WIDTH: u16 = 40;

/// A new table in the CLI's style.
pub fn new_table(header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.iter().copied());
    // A terminal that reports no usable width (a bare pty reports 0) would
    // squeeze every column to one character: don't wrap at all then.
    if table.width().is_none_or(|width| width < MIN_WRAP_WIDTH) {
        table.set_content_arrangement(ContentArrangement::Disabled);
    }
    table
}

fn token_table(tokens: &[SharedToken], reveal: Reveal, names: &FilterNames) -> Table {
    let now = jiff::Timestamp::now();
    let mut table = new_table(&[
        "ID",
        "NAME",
        "TOKEN",
        "FILTERS",
        "OPERATOR",
        "EXPIRES",
        "LAST USED",
    ]);
    for token in tokens {
        let filters = token
            .filter_ids()
            .iter()
            .map(|id| names.name(*id))
            .collect::<Vec<_>>()
            .join(", ");
        let expires = match token.expires_at() {
            Some(at) if at <= now => format!("{} (expired)", short_time(at)),
            Some(at) => short_time(at),
            None => "never".to_owned(),
        };
        table.add_row(vec![
            token.id.to_string(),
            token.name.clone().unwrap_or_default(),
            token_value(token.token.as_ref(), reveal).unwrap_or_default(),
            if filters.is_empty() {
                "none (all logs)".to_owned()
            } else {
                filters
            },
            token.operator().to_string(),
            expires,
            token
                .last_used()
                .map_or_else(|| "never".to_owned(), short_time),
        ]);
    }
    table
}

fn filter_table(filters: &[QueryFilter]) -> Table {
    let mut table = new_table(&["ID", "FIELD", "VALUE", "DESCRIPTION"]);
    for filter in filters {
        table.add_row(vec![
            filter.id.to_string(),
            filter.field.to_string(),
            filter.value.to_string(),
            filter.description.clone().unwrap_or_default(),
        ]);
    }
    table
}

/// A timestamp as `2026-12-05 01:00 UTC`.
pub fn short_time(at: jiff::Timestamp) -> String {
    at.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

/// The token value as it may be shown.
fn token_value(value: Option<&SharedTokenValue>, reveal: Reveal) -> Option<String> {
    value.map(|value| match reveal {
        Reveal::Full => value.expose_secret().to_owned(),
        Reveal::Masked => value.masked(),
    })
}

/// The documented JSON shape of a token: the API's own field names, with
/// `filters` always a list, `filtersOperator` always present, timestamps in
/// integer milliseconds or `null`, and `token` masked unless revealed.
pub fn token_json(token: &SharedToken, reveal: Reveal) -> Value {
    let mut object = Map::new();
    object.insert("id".into(), json!(token.id));
    object.insert("name".into(), json!(token.name));
    object.insert(
        "token".into(),
        json!(token_value(token.token.as_ref(), reveal)),
    );
    object.insert("tokenMasked".into(), json!(reveal == Reveal::Masked));
    object.insert("filters".into(), json!(token.filter_ids()));
    object.insert(
        "filtersOperator".into(),
        json!(token.operator().to_string()),
    );
    object.insert(
        "expirationDate".into(),
        json!(token.expires_at().map(|at| at.as_millisecond())),
    );
    object.insert(
        "lastUsed".into(),
        json!(token.last_used().map(|at| at.as_millisecond())),
    );
    Value::Object(object)
}

/// The documented JSON shape of a filter: the API's own object, with
/// `description` always present (`null` when unset).
pub fn filter_json(filter: &QueryFilter) -> Value {
    json!({
        "id": filter.id,
        "field": filter.field.as_str(),
        "value": filter.value.as_str(),
        "description": filter.description,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> SharedToken {
        serde_json::from_value(json!({
            "id": 4,
            "name": "support",
            "token": "0123456789abcdef-tail",
            "filters": null,
            "expirationDate": 1_735_743_699_000_i64,
            "lastUsed": null
        }))
        .unwrap()
    }

    #[test]
    fn token_json_is_normalised_and_masked_by_default() {
        let value = token_json(&sample(), Reveal::Masked);
        assert_eq!(value["token"], "…tail");
        assert_eq!(value["tokenMasked"], true);
        assert_eq!(value["filters"], json!([]));
        assert_eq!(value["filtersOperator"], "OR");
        assert_eq!(value["expirationDate"], 1_735_743_699_000_i64);
        assert_eq!(value["lastUsed"], Value::Null);
        let full = token_json(&sample(), Reveal::Full);
        assert_eq!(full["token"], "0123456789abcdef-tail");
        assert_eq!(full["tokenMasked"], false);
    }

    #[test]
    fn filters_are_named_by_field_and_value_and_duplicates_keep_their_id() {
        let filters: Vec<QueryFilter> = serde_json::from_value(json!([
            {"id": 1, "field": "env", "value": "prod"},
            {"id": 2, "field": "type", "value": "nginx"},
            {"id": 3, "field": "type", "value": "nginx"},
        ]))
        .unwrap();
        let names = FilterNames::new(&filters);
        assert_eq!(names.name(1), "env=prod");
        assert_eq!(names.name(3), "type=nginx (id 3)");
        assert_eq!(names.name(9), "9");
    }

    #[test]
    fn token_table_never_shows_a_masked_value() {
        let text = token_table(&[sample()], Reveal::Masked, &FilterNames::default()).to_string();
        assert!(!text.contains("0123456789abcdef"), "{text}");
        assert!(text.contains("…tail"), "{text}");
        assert!(text.contains("none (all logs)"), "{text}");
        assert!(text.contains("(expired)"), "{text}");
    }
}
