//! Token-filter operations: `client.filters().…`.
//!
//! Field and value are checked against the spec's pattern (through the
//! generated types) before anything is sent, and a refusal says the rule in
//! words derived from those types, never as the raw pattern. It must never
//! re-declare a request or response shape. Get-or-create is [`ensure`]'s,
//! which uses this module.

use logzio_shared_tokens_api::types::{
    QueryFilter, QueryFilterRequest, QueryFilterRequestField, QueryFilterRequestValue,
};

use std::sync::LazyLock;

use logzio_shared_tokens_api::operations::Operation;

use crate::client::Client;
use crate::client::awaitable_by_send;
use crate::matching::filter_matching;
use crate::{Error, InputField};

pub(crate) mod ensure;

impl Client {
    /// Token filters: list, get, create, delete, find and get-or-create.
    /// Holds a clone of this client (cheap), so its calls can be spawned.
    pub fn filters(&self) -> Filters {
        Filters {
            client: self.clone(),
        }
    }
}

/// The token filters of the client's account. Get one with [`Client::filters`].
#[derive(Clone, Debug)]
pub struct Filters {
    client: Client,
}

impl Filters {
    /// Every token filter of the account (`getAllFilters`).
    pub async fn list(&self) -> Result<Vec<QueryFilter>, Error> {
        let call = self.client.begin_call(Operation::GetAllFilters);
        let outcome = call.api().get_all_filters().send().await;
        call.finish(outcome).await
    }

    /// One token filter (`getFilter`); [`Error::NotFound`] if there is none with this id.
    pub async fn get(&self, id: i32) -> Result<QueryFilter, Error> {
        let call = self.client.begin_call(Operation::GetFilter);
        let outcome = call.api().get_filter().id(id).send().await;
        call.finish(outcome).await
    }

    /// Starts creating a filter `field` = `value` (`createFilter`); optionally
    /// add a description, then `.send().await` (or just `.await`).
    pub fn create(&self, field: impl Into<String>, value: impl Into<String>) -> CreateFilter {
        CreateFilter {
            client: self.client.clone(),
            field: field.into(),
            value: value.into(),
            description: None,
        }
    }

    /// Deletes filter `id` (`deleteFilter`).
    pub async fn delete(&self, id: i32) -> Result<(), Error> {
        let call = self.client.begin_call(Operation::DeleteFilter);
        let outcome = call.api().delete_filter().id(id).send().await;
        call.finish(outcome).await
    }

    /// The filter matching exactly `field` = `value`, if any: the lowest id
    /// when there are several ([`crate::matching::filter_matching`]). Lists
    /// all filters: one request.
    pub async fn find(&self, field: &str, value: &str) -> Result<Option<QueryFilter>, Error> {
        let filters = self.list().await?;
        Ok(filter_matching(&filters, field, value).cloned())
    }
}

/// A `createFilter` call being built: see [`Filters::create`].
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until `.send().await`"]
pub struct CreateFilter {
    pub(crate) client: Client,
    pub(crate) field: String,
    pub(crate) value: String,
    description: Option<String>,
}

impl CreateFilter {
    /// A human-readable label for the filter.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The request body, with field and value checked against the spec.
    pub(crate) fn body(&self) -> Result<QueryFilterRequest, Error> {
        let (field, value) = checked_text(&self.field, &self.value)?;
        QueryFilterRequest::builder()
            .description(self.description.clone())
            .field(field)
            .value(value)
            .try_into()
            .map_err(Error::unbuildable_body)
    }

    /// Sends the request. Retried only when the server answered 503 or 429.
    pub async fn send(self) -> Result<QueryFilter, Error> {
        let body = self.body()?;
        let call = self.client.begin_call(Operation::CreateFilter);
        let outcome = call.api().create_filter().body(body).send().await;
        call.finish(outcome).await
    }
}

awaitable_by_send!(CreateFilter => QueryFilter);

/// Checks a filter's `field` and `value` as `createFilter` would, without
/// sending anything: [`Error::InvalidInput`] (with
/// [`InputField::FilterField`] or [`InputField::FilterValue`]) says which
/// part is refused, which character, and the rule in words.
///
/// Filters made in Logz.io's UI may hold other characters (we have seen such
/// filters; Logz.io does not document its UI's rule): this decides only
/// what can be created through the API, never which existing filter matches.
///
/// ```
/// use logzio_shared_tokens::{Error, InputField, check_filter_text};
///
/// assert!(check_filter_text("kubernetes.namespace", "prod-eu").is_ok());
/// let refused = check_filter_text("env", "prod eu").unwrap_err();
/// assert!(matches!(refused, Error::InvalidInput { field: InputField::FilterValue, .. }));
/// ```
pub fn check_filter_text(field: &str, value: &str) -> Result<(), Error> {
    checked_text(field, value).map(drop)
}

fn checked_text(
    field: &str,
    value: &str,
) -> Result<(QueryFilterRequestField, QueryFilterRequestValue), Error> {
    let checked_field = QueryFilterRequestField::try_from(field).map_err(|error| {
        refusal::<QueryFilterRequestField>(InputField::FilterField, field, &error)
    })?;
    let checked_value = QueryFilterRequestValue::try_from(value).map_err(|error| {
        refusal::<QueryFilterRequestValue>(InputField::FilterValue, value, &error)
    })?;
    Ok((checked_field, checked_value))
}

/// What a filter's field and value may hold, in words: `only letters (a-z,
/// A-Z), digits and _ @ . -` for the spec's pattern today. The generated
/// request types are the judge; see [`check_filter_text`].
pub fn filter_text_rule() -> &'static str {
    static RULE: LazyLock<String> = LazyLock::new(|| {
        let field = rule_in_words::<QueryFilterRequestField>();
        let value = rule_in_words::<QueryFilterRequestValue>();
        if field == value {
            field
        } else {
            format!("the field {field}; the value {value}")
        }
    });
    &RULE
}

/// Says in words which printable ASCII characters the generated type `T`
/// accepts on their own. The pattern itself lives only in the spec (the
/// generated crate does not expose it), so it is read back by asking `T`.
fn rule_in_words<T: for<'a> TryFrom<&'a str>>() -> String {
    let accepts = |c: &char| T::try_from(c.encode_utf8(&mut [0; 4])).is_ok();
    let letters = ('a'..='z').chain('A'..='Z').all(|c| accepts(&c));
    let digits = ('0'..='9').all(|c| accepts(&c));
    let others: Vec<String> = (' '..='~')
        // Letters and digits are said as classes when all of them pass.
        .filter(|c| {
            let said = (letters && c.is_ascii_alphabetic()) || (digits && c.is_ascii_digit());
            !said
        })
        .filter(accepts)
        .map(String::from)
        .collect();
    let mut parts = Vec::new();
    if letters {
        parts.push("letters (a-z, A-Z)".to_owned());
    }
    if digits {
        parts.push("digits".to_owned());
    }
    if !others.is_empty() {
        parts.push(others.join(" "));
    }
    match parts.split_last() {
        Some((last, [])) => format!("only {last}"),
        Some((last, rest)) => format!("only {} and {last}", rest.join(", ")),
        None => "nothing that can be typed".to_owned(),
    }
}

/// Why `text` is refused as `field`: empty, or the first character the type
/// refuses on its own, and the rule in words. Only when neither explains the
/// refusal (a spec rule this wording does not know) is the generated
/// message shown.
fn refusal<T: for<'a> TryFrom<&'a str>>(
    field: InputField,
    text: &str,
    error: &impl std::fmt::Display,
) -> Error {
    let rule = rule_in_words::<T>();
    let reason = if text.is_empty() {
        format!("a filter {field} must not be empty; it may hold {rule}")
    } else if let Some((position, refused)) = text
        .chars()
        .enumerate()
        .find(|(_, c)| T::try_from(c.encode_utf8(&mut [0; 4])).is_err())
    {
        format!(
            "{text:?} has {refused:?} at character {}: a filter {field} may hold {rule} \
             (the API accepts no other characters, though filters made in Logz.io's UI may hold them)",
            position + 1
        )
    } else {
        format!("{text:?} is not one the API accepts: {error}")
    };
    Error::invalid(field, reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words are read back from the generated types, so they follow the
    /// spec's pattern; this pins what they say for today's spec.
    #[test]
    fn the_rule_is_said_in_words_derived_from_the_spec() {
        assert_eq!(
            filter_text_rule(),
            "only letters (a-z, A-Z), digits and - . @ _"
        );
        let reason = |error: Error| match error {
            Error::InvalidInput { field, reason } => (field, reason),
            other => panic!("expected InvalidInput, got {other:?}"),
        };
        let (field, why) = reason(check_filter_text("kube ns", "x").unwrap_err());
        assert_eq!(field, InputField::FilterField);
        assert!(why.contains("' ' at character 5"), "{why}");
        let (field, why) = reason(check_filter_text("env", "").unwrap_err());
        assert_eq!(field, InputField::FilterValue);
        assert!(why.contains("must not be empty"), "{why}");
        let (_, why) = reason(check_filter_text("env", "prod/eu").unwrap_err());
        assert!(why.contains("'/' at character 5"), "{why}");
        assert!(check_filter_text("user@host.example", "a_b-c.d").is_ok());
    }
}
