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
//! Parsing, validation and serialization: everything a file can get wrong
//! is reported here with the file's name, before any request is sent; and
//! `export` writes files through the same types and serializers, so what it
//! writes is what `apply` reads. A file holds no secret (token values are
//! never part of it).

use std::collections::BTreeMap;
use std::path::Path;

use logzio_shared_tokens::types::CreateSharedTokenRequestTokenName;
use logzio_shared_tokens::{FiltersOperator, check_filter_text};
use serde::{Deserialize, Serialize};

use crate::error::CliError;

/// The whole file.
#[derive(Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DesiredState {
    /// Filters keyed by a name local to the file (used by `tokens.*.filters`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub filters: BTreeMap<String, DesiredFilter>,
    /// Tokens keyed by their name in Logz.io.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tokens: BTreeMap<String, DesiredToken>,
}

/// One filter. In the account it is recognised by `field` and `value`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DesiredFilter {
    /// The log field.
    pub field: String,
    /// The value it must have.
    pub value: String,
    /// Used when the filter is created (the API cannot change it later).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// One token.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DesiredToken {
    /// Names of filters of this file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filters: Vec<String>,
    /// `OR` or `AND`; `OR` (the API's default) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
}

/// A token's operator when its entry names none: `OR`, the API's default.
pub const DEFAULT_OPERATOR: FiltersOperator = FiltersOperator::Or;

/// The `operator` entry that describes `operator`: none for the default.
pub fn operator_entry(operator: FiltersOperator) -> Option<String> {
    (operator != DEFAULT_OPERATOR).then(|| operator.to_string())
}

impl DesiredToken {
    /// The operator, validated.
    pub fn operator(&self) -> Result<FiltersOperator, String> {
        match &self.operator {
            None => Ok(DEFAULT_OPERATOR),
            Some(text) => text
                .trim()
                .to_ascii_uppercase()
                .parse()
                .map_err(|_| format!("operator {text:?} is not OR or AND")),
        }
    }
}

/// The two formats a file can have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileFormat {
    /// `.toml`
    Toml,
    /// `.yaml` or `.yml`
    Yaml,
}

impl FileFormat {
    /// The format a file's extension selects (`apply` knows no other way).
    pub fn of_path(path: &Path) -> Result<Self, String> {
        let extension = path
            .extension()
            .and_then(|ext| ext.to_str())
            .map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("toml") => Ok(Self::Toml),
            Some("yaml" | "yml") => Ok(Self::Yaml),
            _ => Err(format!(
                "{} must end in .toml, .yaml or .yml",
                path.display()
            )),
        }
    }

    /// Parses text of this format.
    pub fn parse(self, text: &str) -> Result<DesiredState, String> {
        match self {
            Self::Toml => parse_toml(text),
            Self::Yaml => parse_yaml(text),
        }
    }

    /// Serializes `state` in this format (no comments).
    pub fn render(self, state: &DesiredState) -> Result<String, String> {
        match self {
            Self::Toml => toml::to_string(state).map_err(|error| one_line(&error.to_string())),
            Self::Yaml => {
                serde_norway::to_string(state).map_err(|error| one_line(&error.to_string()))
            }
        }
    }
}

/// Reads and validates a desired-state file.
pub fn load(path: &Path) -> Result<DesiredState, CliError> {
    let text = std::fs::read_to_string(path).map_err(|error| {
        CliError::failure(format!("apply: cannot read {}: {error}", path.display()))
    })?;
    let format =
        FileFormat::of_path(path).map_err(|reason| CliError::usage(format!("apply: {reason}")))?;
    let state = format
        .parse(&text)
        .map_err(|reason| CliError::usage(format!("apply: {}: {reason}", path.display())))?;
    validate(&state, format)
        .map_err(|reason| CliError::usage(format!("apply: {}: {reason}", path.display())))?;
    Ok(state)
}

/// Parses TOML text. A refusal keeps the parser's lines (the place, a
/// snippet of the file with a caret under the fault, and the reason), so it
/// starts on a line of its own.
pub fn parse_toml(text: &str) -> Result<DesiredState, String> {
    toml::from_str(text).map_err(|error| format!("\n{}", error.to_string().trim_end()))
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

/// Checks what the API would refuse (the facade's rules), and references
/// between sections, in the words of the file's `format`.
pub fn validate(state: &DesiredState, format: FileFormat) -> Result<(), String> {
    let mut seen: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    for (name, filter) in &state.filters {
        check_filter_text(&filter.field, &filter.value).map_err(|refused| match refused {
            logzio_shared_tokens::Error::InvalidInput { field, reason, .. } => {
                format!("filters.{name}.{field}: {reason}")
            }
            other => format!("filters.{name}: {other}"),
        })?;
        if let Some(other) = seen.insert((&filter.field, &filter.value), name) {
            return Err(format!(
                "filters {other} and {name} are the same filter ({}={}); keep one",
                filter.field, filter.value
            ));
        }
    }
    let token_path = |name: &str| match format {
        FileFormat::Toml => format!("tokens.{name:?}"),
        FileFormat::Yaml => format!("tokens.{name}"),
    };
    let filters_section = match format {
        FileFormat::Toml => "the [filters] table",
        FileFormat::Yaml => "the filters: mapping",
    };
    for (name, token) in &state.tokens {
        check_token_name(name).map_err(|reason| format!("token name {name:?}: {reason}"))?;
        token
            .operator()
            .map_err(|reason| format!("{}: {reason}", token_path(name)))?;
        for filter in &token.filters {
            if !state.filters.contains_key(filter) {
                return Err(format!(
                    "{} uses filter {filter:?}, which {filters_section} does not define",
                    token_path(name)
                ));
            }
        }
    }
    Ok(())
}

/// Whether the API would accept `name` as a new token's name (the spec's
/// request type decides).
pub fn check_token_name(name: &str) -> Result<(), String> {
    CreateSharedTokenRequestTokenName::try_from(name)
        .map(drop)
        .map_err(|error| error.to_string())
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
        validate(&toml, FileFormat::Toml).unwrap();
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
        // The parser's snippet stays on its lines, the caret under the key.
        assert!(
            unknown.contains("\n2 | filter = [\"x\"]\n  | ^^^^^^\n"),
            "{unknown}"
        );
        let dangling = parse_toml("[tokens.a]\nfilters = [\"x\"]\n").unwrap();
        let toml_words = validate(&dangling, FileFormat::Toml).unwrap_err();
        assert!(toml_words.contains("[filters] table"), "{toml_words}");
        let yaml_words = validate(&dangling, FileFormat::Yaml).unwrap_err();
        assert!(yaml_words.contains("filters: mapping") && !yaml_words.contains('['));
        let bad_value =
            parse_toml("[filters.a]\nfield = \"type\"\nvalue = \"two words\"\n").unwrap();
        let refused = validate(&bad_value, FileFormat::Toml).unwrap_err();
        assert!(
            refused.contains("filters.a.value") && refused.contains("' ' at character 4"),
            "{refused}"
        );
        let twice = parse_toml(
            "[filters.a]\nfield = \"t\"\nvalue = \"v\"\n[filters.b]\nfield = \"t\"\nvalue = \"v\"\n",
        )
        .unwrap();
        assert!(
            validate(&twice, FileFormat::Toml)
                .unwrap_err()
                .contains("same filter")
        );
        let operator = parse_toml("[tokens.a]\noperator = \"XOR\"\n").unwrap();
        assert!(
            validate(&operator, FileFormat::Yaml)
                .unwrap_err()
                .contains("XOR")
        );
        assert_eq!(parse_yaml("  \n").unwrap(), DesiredState::default());
    }
}
