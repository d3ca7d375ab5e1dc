//! Which record stands for a name, decided once. Logz.io documents neither
//! token names nor filter field/value pairs as unique, and an account can
//! hold duplicates (made by hand, or by two callers at once), so several
//! records can share one; the **lowest id wins**. This is our rule, not Logz.io's: it is what
//! [`Tokens::find_by_name`](crate::Tokens::find_by_name),
//! [`Filters::find`](crate::Filters::find), the `ensure` builders and the
//! CLI's `apply` agree on, so they can never pick different records.
//! Where a person names one token to read, delete or rotate, a guess is
//! not good enough: [`only_token_named`] refuses a shared name instead.
//!
//! Pure functions over lists already fetched: they never send a request.

use logzio_shared_tokens_api::types::{QueryFilter, SharedToken};

use crate::Error;

/// The token that stands for `name`: the lowest id among the tokens named
/// exactly `name`, or `None`.
///
/// ```
/// use logzio_shared_tokens::{SharedToken, matching::token_named};
///
/// let tokens: Vec<SharedToken> = serde_json::from_str(
///     r#"[{"id": 9, "name": "ci"}, {"id": 4, "name": "ci"}, {"id": 2, "name": "ops"}]"#,
/// )?;
/// assert_eq!(token_named(&tokens, "ci").map(|token| token.id), Some(4));
/// assert!(token_named(&tokens, "CI").is_none());
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn token_named<'a>(tokens: &'a [SharedToken], name: &str) -> Option<&'a SharedToken> {
    tokens
        .iter()
        .filter(|token| token.name.as_deref() == Some(name))
        .min_by_key(|token| token.id)
}

/// The one token named exactly `name`, for a person who named it:
/// [`Error::NotFound`] when none is, [`Error::AmbiguousTokenName`] (with
/// every id, ascending) when several are, since acting on the wrong one of
/// them (deleting it, rotating it) cannot be undone.
///
/// ```
/// use logzio_shared_tokens::{Error, SharedToken, matching::only_token_named};
///
/// let tokens: Vec<SharedToken> = serde_json::from_str(
///     r#"[{"id": 9, "name": "ci"}, {"id": 4, "name": "ci"}, {"id": 2, "name": "ops"}]"#,
/// )?;
/// assert_eq!(only_token_named(&tokens, "ops").map(|token| token.id).ok(), Some(2));
/// assert!(matches!(
///     only_token_named(&tokens, "ci"),
///     Err(Error::AmbiguousTokenName { ids, .. }) if ids == [4, 9]
/// ));
/// assert!(matches!(only_token_named(&tokens, "CI"), Err(Error::NotFound { .. })));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn only_token_named<'a>(
    tokens: &'a [SharedToken],
    name: &str,
) -> Result<&'a SharedToken, Error> {
    let mut named: Vec<&SharedToken> = tokens
        .iter()
        .filter(|token| token.name.as_deref() == Some(name))
        .collect();
    match named.as_slice() {
        [] => Err(Error::NotFound {
            message: format!("no token is named {name:?}"),
        }),
        [token] => Ok(token),
        _ => {
            named.sort_by_key(|token| token.id);
            Err(Error::AmbiguousTokenName {
                name: name.to_owned(),
                ids: named.iter().map(|token| token.id).collect(),
            })
        }
    }
}

/// The filter that stands for `field` = `value`: the lowest id among the
/// filters with exactly that field and value, or `None`. The description
/// plays no part: two filters that match the same documents are one filter.
pub fn filter_matching<'a>(
    filters: &'a [QueryFilter],
    field: &str,
    value: &str,
) -> Option<&'a QueryFilter> {
    filters_matching(filters, field, value).min_by_key(|filter| filter.id)
}

/// The one filter with exactly `field` and `value`, for a person who named it
/// to act on it: [`Error::NotFound`] when none has them,
/// [`Error::AmbiguousFilter`] (with every id, ascending) when several do,
/// since which duplicate to delete is the person's choice, not the
/// lowest-id rule's.
///
/// ```
/// use logzio_shared_tokens::{Error, QueryFilter, matching::only_filter_matching};
///
/// let filters: Vec<QueryFilter> = serde_json::from_str(
///     r#"[{"id": 9, "field": "env", "value": "prod"}, {"id": 4, "field": "env", "value": "prod"},
///         {"id": 2, "field": "env", "value": "dev"}]"#,
/// )?;
/// assert_eq!(only_filter_matching(&filters, "env", "dev").map(|f| f.id).ok(), Some(2));
/// assert!(matches!(
///     only_filter_matching(&filters, "env", "prod"),
///     Err(Error::AmbiguousFilter { ids, .. }) if ids == [4, 9]
/// ));
/// assert!(matches!(only_filter_matching(&filters, "env", "qa"), Err(Error::NotFound { .. })));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn only_filter_matching<'a>(
    filters: &'a [QueryFilter],
    field: &str,
    value: &str,
) -> Result<&'a QueryFilter, Error> {
    let mut found: Vec<&QueryFilter> = filters_matching(filters, field, value).collect();
    match found.as_slice() {
        [] => Err(Error::NotFound {
            message: format!("no filter has {field}={value}"),
        }),
        [filter] => Ok(filter),
        _ => {
            found.sort_by_key(|filter| filter.id);
            Err(Error::AmbiguousFilter {
                field: field.to_owned(),
                value: value.to_owned(),
                ids: found.iter().map(|filter| filter.id).collect(),
            })
        }
    }
}

/// Every filter with exactly `field` and `value`, in list order: the one
/// [`filter_matching`] picks and its duplicates, which match the same
/// documents (a token holding any of them holds "the" filter).
///
/// ```
/// use logzio_shared_tokens::{QueryFilter, matching::filters_matching};
///
/// let filters: Vec<QueryFilter> = serde_json::from_str(
///     r#"[{"id": 9, "field": "env", "value": "prod"}, {"id": 4, "field": "env", "value": "prod"},
///         {"id": 2, "field": "env", "value": "dev"}]"#,
/// )?;
/// let ids: Vec<i32> = filters_matching(&filters, "env", "prod").map(|f| f.id).collect();
/// assert_eq!(ids, [9, 4]);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn filters_matching<'a>(
    filters: &'a [QueryFilter],
    field: &str,
    value: &str,
) -> impl Iterator<Item = &'a QueryFilter> {
    filters
        .iter()
        .filter(move |filter| filter.field == field && filter.value == value)
}
