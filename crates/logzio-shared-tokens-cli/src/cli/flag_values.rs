//! How the text of a flag becomes its typed value (region, operator,
//! duration), with the message clap shows when it cannot.

use std::ffi::OsStr;
use std::time::Duration;

use clap::builder::{PossibleValue, TypedValueParser};
use logzio_shared_tokens::{FiltersOperator, Region};

/// A parser function together with the values it accepts, so that help and
/// the completion scripts can offer them while the function keeps its own
/// leniency (any case, spaces) and its own error message.
#[derive(Clone)]
pub(super) struct Offering<T> {
    parse: fn(&str) -> Result<T, String>,
    values: fn() -> Vec<&'static str>,
}

impl<T: Clone + Send + Sync + 'static> TypedValueParser for Offering<T> {
    type Value = T;

    fn parse_ref(
        &self,
        command: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        self.parse.parse_ref(command, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            (self.values)().into_iter().map(PossibleValue::new),
        ))
    }
}

/// `--region`: the facade's region codes.
pub(super) fn region_parser() -> Offering<Region> {
    Offering {
        parse: parse_region,
        values: || Region::ALL.iter().map(|region| region.code()).collect(),
    }
}

/// `--operator`: `OR` or `AND`.
pub(super) fn operator_parser() -> Offering<FiltersOperator> {
    Offering {
        parse: parse_operator,
        values: || OPERATORS.iter().map(|&(_, name)| name).collect(),
    }
}

/// The operators a token can combine its filters with, as the API spells them.
const OPERATORS: [(FiltersOperator, &str); 2] =
    [(FiltersOperator::Or, "OR"), (FiltersOperator::And, "AND")];

/// A region code, refused with the facade's reason alone (clap and the
/// profile's error add what was being parsed).
pub(crate) fn parse_region(text: &str) -> Result<Region, String> {
    text.parse::<Region>().map_err(|error| match error {
        logzio_shared_tokens::Error::InvalidInput { reason, .. } => reason,
        other => other.to_string(),
    })
}

/// `OR` / `AND`, any case, as the generated `FiltersOperator` spells them.
pub(super) fn parse_operator(text: &str) -> Result<FiltersOperator, String> {
    text.trim()
        .to_ascii_uppercase()
        .parse::<FiltersOperator>()
        .map_err(|_| format!("`{text}` is not an operator; expected OR or AND"))
}

/// `30`, `30s`, `500ms` or `2m`: whole numbers, seconds when no unit is given.
pub(super) fn parse_duration(text: &str) -> Result<Duration, String> {
    let trimmed = text.trim();
    let split = trimmed
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(split);
    let amount: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration; use e.g. 30, 30s, 500ms or 2m"))?;
    let duration = match unit.trim() {
        "" | "s" => Duration::from_secs(amount),
        "ms" => Duration::from_millis(amount),
        "m" => Duration::from_secs(amount.saturating_mul(60)),
        other => {
            return Err(format!(
                "unknown unit `{other}` in `{text}`; use ms, s or m"
            ));
        }
    };
    if duration.is_zero() {
        return Err("a timeout of 0 would fail every request".to_owned());
    }
    Ok(duration)
}

/// `NAME=VALUE` (`api --path id=5`); the value may contain `=`.
pub(super) fn parse_name_value(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_owned(), value.to_owned())),
        _ => Err(format!("expected NAME=VALUE, got {text:?}")),
    }
}

/// A filter named on the command line: by id, or by its field and value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FilterArg {
    /// `7`
    Id(i32),
    /// `env=prod`: the filter with this field and value.
    Pair {
        /// The log field.
        field: String,
        /// The value it must have.
        value: String,
    },
}

/// What one `--filter` names: a FIELD=VALUE pair, or ids (`7`, or `1,2,3`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilterList(pub Vec<FilterArg>);

impl FilterList {
    /// Every filter the occurrences of a flag name, in order.
    pub fn flatten(lists: Vec<FilterList>) -> Vec<FilterArg> {
        lists.into_iter().flat_map(|list| list.0).collect()
    }
}

impl std::fmt::Display for FilterArg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Id(id) => write!(f, "{id}"),
            Self::Pair { field, value } => write!(f, "{field}={value}"),
        }
    }
}

/// `7` or `env=prod`. The API allows no `=` in a field, so the first `=`
/// ends it; the value is everything after, as typed: commas and spaces
/// included, since filters made in Logz.io's UI can hold them.
pub(super) fn parse_filter(text: &str) -> Result<FilterArg, String> {
    let id_text = text.trim();
    if !id_text.is_empty() && id_text.bytes().all(|byte| byte.is_ascii_digit()) {
        return id_text
            .parse()
            .map(FilterArg::Id)
            .map_err(|_| format!("filter id {id_text} is too large"));
    }
    match text.split_once('=') {
        Some((field, value)) if !field.is_empty() && !value.is_empty() => Ok(FilterArg::Pair {
            field: field.to_owned(),
            value: value.to_owned(),
        }),
        _ => Err(format!(
            "expected a filter id (e.g. 7) or FIELD=VALUE (e.g. env=prod), got {text:?}"
        )),
    }
}

/// `--filter 1,2` names two ids; a comma anywhere else belongs to a
/// FIELD=VALUE value (filters made in Logz.io's UI can hold one).
pub(super) fn parse_filter_list(text: &str) -> Result<FilterList, String> {
    let pieces: Vec<&str> = text.split(',').collect();
    let is_id =
        |piece: &&str| !piece.trim().is_empty() && piece.trim().bytes().all(|b| b.is_ascii_digit());
    if pieces.len() > 1 && pieces.iter().all(is_id) {
        return pieces
            .into_iter()
            .map(parse_filter)
            .collect::<Result<_, _>>()
            .map(FilterList);
    }
    parse_filter(text).map(|filter| FilterList(vec![filter]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_ids_or_field_value_pairs() {
        assert_eq!(parse_filter("7").unwrap(), FilterArg::Id(7));
        let pair = parse_filter("kubernetes.ns=a=b").unwrap();
        assert_eq!(
            pair,
            FilterArg::Pair {
                field: "kubernetes.ns".into(),
                value: "a=b".into()
            }
        );
        assert_eq!(pair.to_string(), "kubernetes.ns=a=b");
        assert!(parse_filter("prod").unwrap_err().contains("FIELD=VALUE"));
        let ids = parse_filter_list(" 1, 2").unwrap();
        assert_eq!(ids.0, [FilterArg::Id(1), FilterArg::Id(2)]);
        let with_comma = parse_filter_list("msg=a,7").unwrap();
        let pair = FilterArg::Pair {
            field: "msg".to_owned(),
            value: "a,7".to_owned(),
        };
        assert_eq!(with_comma.0, [pair]);
        assert!(parse_filter("=prod").is_err() && parse_filter("env=").is_err());
        assert!(
            parse_filter("99999999999")
                .unwrap_err()
                .contains("too large")
        );
    }

    #[test]
    fn durations_accept_the_documented_forms() {
        assert_eq!(parse_duration("30").unwrap(), Duration::from_secs(30));
        assert_eq!(parse_duration("45s").unwrap(), Duration::from_secs(45));
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("2m").unwrap(), Duration::from_secs(120));
        assert!(parse_duration("0").unwrap_err().contains("0"));
        assert!(
            parse_duration("fast")
                .unwrap_err()
                .contains("not a duration")
        );
        assert!(parse_duration("3h").unwrap_err().contains("unit"));
    }

    #[test]
    fn offered_operators_are_spelled_as_the_api_spells_them() {
        for (operator, name) in OPERATORS {
            assert_eq!(operator.to_string(), name);
            assert_eq!(parse_operator(name).unwrap(), operator);
        }
    }

    #[test]
    fn operators_parse_in_any_case() {
        assert_eq!(parse_operator("and").unwrap(), FiltersOperator::And);
        assert_eq!(parse_operator(" Or ").unwrap(), FiltersOperator::Or);
        assert!(parse_operator("xor").unwrap_err().contains("OR or AND"));
    }
}
