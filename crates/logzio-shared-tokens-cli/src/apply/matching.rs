//! How `apply` recognises the file's filters and tokens in the account, in
//! one place: `plan` applies these rules and `export` writes files that rely
//! on them, so the two cannot disagree.
//!
//! - A filter is its `field` and `value`: every filter with both equal is the
//!   same filter to `apply`; the lowest id stands for them when one is needed.
//! - A token is its name: the lowest id of that name is the one `apply`
//!   manages; the others count as unnamed (left alone, or deleted by `--prune`).
//!
//! These are our rules: Logz.io documents neither filter identity nor
//! unique token names. "Lowest id wins" has one home, the facade's
//! `logzio_shared_tokens::matching`; this module only names it for `apply`.

use logzio_shared_tokens::{QueryFilter, SharedToken, matching};

/// A filter's field and value as text.
pub fn filter_text(filter: &QueryFilter) -> (&str, &str) {
    (filter.field.as_str(), filter.value.as_str())
}

/// `field=value`: how plans, audits and exported files name a filter. The
/// API allows no `=` in a field, so the text names exactly one filter.
pub fn filter_label(field: &str, value: &str) -> String {
    format!("{field}={value}")
}

/// The id that stands for filter `field` = `value`: the lowest id with both
/// (the facade's rule, [`matching::filter_matching`]).
pub fn canonical_filter(filters: &[QueryFilter], field: &str, value: &str) -> Option<i32> {
    matching::filter_matching(filters, field, value).map(|filter| filter.id)
}

/// The token `apply` manages under `name`: the lowest id with that name (the
/// facade's rule, [`matching::token_named`]).
pub fn managed_token<'a>(tokens: &'a [SharedToken], name: &str) -> Option<&'a SharedToken> {
    matching::token_named(tokens, name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_lowest_id_stands_for_duplicates() {
        let filters: Vec<QueryFilter> =
            [(7, "type", "nginx"), (3, "type", "nginx"), (5, "env", "x")]
                .into_iter()
                .map(|(id, field, value)| {
                    serde_json::from_value(json!({"id": id, "field": field, "value": value}))
                        .unwrap()
                })
                .collect();
        assert_eq!(canonical_filter(&filters, "type", "nginx"), Some(3));
        assert_eq!(canonical_filter(&filters, "type", "x"), None);
        let tokens: Vec<SharedToken> = [(9, "a"), (4, "a"), (2, "b")]
            .into_iter()
            .map(|(id, name)| serde_json::from_value(json!({"id": id, "name": name})).unwrap())
            .collect();
        assert_eq!(managed_token(&tokens, "a").map(|t| t.id), Some(4));
        assert!(managed_token(&tokens, "c").is_none());
        assert_eq!(filter_label("kubernetes.ns", "prod"), "kubernetes.ns=prod");
    }
}
