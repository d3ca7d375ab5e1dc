//! Token-filter operations: `client.filters().…`.
//!
//! Field and value are checked against the spec's pattern (through the
//! generated types) before anything is sent. It must never re-declare a
//! request or response shape. Get-or-create is [`ensure`]'s, which uses
//! this module.

use logzio_shared_tokens_api::types::{
    QueryFilter, QueryFilterRequest, QueryFilterRequestField, QueryFilterRequestValue,
};

use logzio_shared_tokens_api::operations::Operation;

use crate::Error;
use crate::client::Client;
use crate::client::awaitable_by_send;
use crate::matching::filter_matching;

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
        let field = QueryFilterRequestField::try_from(self.field.as_str()).map_err(|error| {
            Error::invalid(
                crate::InputField::FilterField,
                format!("{:?} {error}", self.field),
            )
        })?;
        let value = QueryFilterRequestValue::try_from(self.value.as_str()).map_err(|error| {
            Error::invalid(
                crate::InputField::FilterValue,
                format!("{:?} {error}", self.value),
            )
        })?;
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
