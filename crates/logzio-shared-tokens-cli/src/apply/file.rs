//! The `apply` file: the desired filters and tokens, by name, in TOML or
//! YAML (chosen by the file's extension).
//!
//! ```toml
//! [filters.nginx]
//! field = "type"
//! value = "nginx"
//! description = "nginx access logs"
//!
//! [tokens."support dashboards"]
//! filters = ["nginx"]
//! operator = "OR"
//! ```
//!
//! Parsing and validation only: everything a file can get wrong is reported
//! here with the file's name, before any request is sent. A file holds no
//! secret (token values are never part of it).

use std::collections::BTreeMap;
use std::path::Path;

use logzio_shared_tokens::FiltersOperator;
use logzio_shared_tokens::types::{
    CreateSharedTokenRequestTokenName, QueryFilterRequestField, QueryFilterRequestValue,
};
use serde::Deserialize;

use crate::error::CliError;

/// The whole file.
#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DesiredState {
    /// Filters keyed by a name local to the file (used by `tokens.*.filters`).
    #[serde(default)]
    pub filters: BTreeMap<String, DesiredFilter>,
    /// Tokens keyed by their name in Logz.io.
    #[serde(default)]
    pub tokens: BTreeMap<String, DesiredToken>,
}

/// One filter. In the account it is recognised by `field` and `value`.
#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DesiredFilter {
    /// The log field.
    pub field: String,
    /// The value it must have.
    pub value: String,
    /// Used when the filter is created (the API cannot change it later).
    #[serde(default)]
    pub description: Option<String>,
}

/// One token.
#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DesiredToken {
    /// Names of filters of this file.
    #[serde(default)]
    pub filters: Vec<String>,
    /// `OR` or `AND`; `OR` (the API's default) when absent.
    #[serde(default)]
    pub operator: Option<String>,
}

impl DesiredToken {
    /// The operator, validated.
    pub fn operator(&self) -> Result<FiltersOperator, String> {
        match &self.operator {
            None => Ok(FiltersOperator::Or),
            Some(text) => text
                .trim()
                .to_ascii_uppercase()
                .parse()
                .map_err(|_| format!("operator {text:?} is not OR or AND")),
        }
    }
}

/// Reads and validates a desired-state file.
pub fn load(path: &Path) -> Result<DesiredState, CliError> {
    let text = std::fs::read_to_string(path).map_err(|error| {
        CliError::failure(format!("apply: cannot read {}: {error}", path.display()))
    })?;
    let extension = path
        .extension()
        .and_then(|ext| ext.to_str())
        .map(str::to_ascii_lowercase);
    let state = match extension.as_deref() {
        Some("toml") => parse_toml(&text),
        Some("yaml" | "yml") => parse_yaml(&text),
        _ => {
            return Err(CliError::usage(format!(
                "apply: {} must end in .toml, .yaml or .yml",
                path.display()
            )));
        }
    }
    .map_err(|reason| CliError::usage(format!("apply: {}: {reason}", path.display())))?;
    validate(&state)
        .map_err(|reason| CliError::usage(format!("apply: {}: {reason}", path.display())))?;
    Ok(state)
}

/// Parses TOML text.
pub fn parse_toml(text: &str) -> Result<DesiredState, String> {
    toml::from_str(text).map_err(|error| one_line(&error.to_string()))
}

/// Parses YAML text (an empty document is an empty state).
pub fn parse_yaml(text: &str) -> Result<DesiredState, String> {
    if text.trim().is_empty() {
        return Ok(DesiredState::default());
    }
    serde_norway::from_str(text).map_err(|error| one_line(&error.to_string()))
}

fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Checks what the API would refuse, and references between sections.
pub fn validate(state: &DesiredState) -> Result<(), String> {
    let mut seen: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    for (name, filter) in &state.filters {
        QueryFilterRequestField::try_from(filter.field.as_str()).map_err(|_| {
            format!(
                "filters.{name}.field {:?} may hold only letters, digits and _ @ . -",
                filter.field
            )
        })?;
        QueryFilterRequestValue::try_from(filter.value.as_str()).map_err(|_| {
            format!(
                "filters.{name}.value {:?} may hold only letters, digits and _ @ . -",
                filter.value
            )
        })?;
        if let Some(other) = seen.insert((&filter.field, &filter.value), name) {
            return Err(format!(
                "filters {other} and {name} are the same filter ({}={}); keep one",
                filter.field, filter.value
            ));
        }
    }
    for (name, token) in &state.tokens {
        CreateSharedTokenRequestTokenName::try_from(name.as_str())
            .map_err(|error| format!("token name {name:?}: {error}"))?;
        token
            .operator()
            .map_err(|reason| format!("tokens.{name:?}: {reason}"))?;
        for filter in &token.filters {
            if !state.filters.contains_key(filter) {
                return Err(format!(
                    "tokens.{name:?} uses filter {filter:?}, which the [filters] section does not define"
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOML: &str = r#"
[filters.nginx]
field = "type"
value = "nginx"
description = "nginx access logs"

[filters.prod]
field = "env"
value = "prod"

[tokens."support dashboards"]
filters = ["nginx", "prod"]
operator = "and"

[tokens.everything]
"#;

    const YAML: &str = r#"
filters:
  nginx: {field: type, value: nginx, description: nginx access logs}
  prod:
    field: env
    value: prod
tokens:
  support dashboards:
    filters: [nginx, prod]
    operator: and
  everything: {}
"#;

    #[test]
    fn toml_and_yaml_describe_the_same_state() {
        let toml = parse_toml(TOML).unwrap();
        let yaml = parse_yaml(YAML).unwrap();
        assert_eq!(toml, yaml);
        validate(&toml).unwrap();
        assert_eq!(
            toml.tokens["support dashboards"].operator().unwrap(),
            FiltersOperator::And
        );
        assert_eq!(
            toml.tokens["everything"].operator().unwrap(),
            FiltersOperator::Or
        );
    }

    #[test]
    fn mistakes_are_named() {
        let unknown = parse_toml("[tokens.a]\nfilter = [\"x\"]\n").unwrap_err();
        assert!(unknown.contains("filter"), "{unknown}");
        let dangling = parse_toml("[tokens.a]\nfilters = [\"x\"]\n").unwrap();
        assert!(validate(&dangling).unwrap_err().contains("\"x\""));
        let bad_value =
            parse_toml("[filters.a]\nfield = \"type\"\nvalue = \"two words\"\n").unwrap();
        assert!(
            validate(&bad_value)
                .unwrap_err()
                .contains("filters.a.value")
        );
        let twice = parse_toml(
            "[filters.a]\nfield = \"t\"\nvalue = \"v\"\n[filters.b]\nfield = \"t\"\nvalue = \"v\"\n",
        )
        .unwrap();
        assert!(validate(&twice).unwrap_err().contains("same filter"));
        let operator = parse_toml("[tokens.a]\noperator = \"XOR\"\n").unwrap();
        assert!(validate(&operator).unwrap_err().contains("XOR"));
        assert_eq!(parse_yaml("  \n").unwrap(), DesiredState::default());
    }
}
