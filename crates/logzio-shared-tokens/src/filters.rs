//! Token-filter operations: `client.filters().…`.
//!
//! Field and value are checked against the spec's pattern (through the
//! generated types) before anything is sent. It must never re-declare a
//! request or response shape.

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use logzio_shared_tokens_api::types::{QueryFilter, QueryFilterField, QueryFilterValue};

use crate::client::{Client, Operation};
use crate::retry::Idempotency::{Idempotent, NotIdempotent};
use crate::{Ensured, Error};

const GET_ALL_FILTERS: Operation = Operation {
    id: "getAllFilters",
    idempotency: Idempotent,
};
const CREATE_FILTER: Operation = Operation {
    id: "createFilter",
    idempotency: NotIdempotent,
};
const GET_FILTER: Operation = Operation {
    id: "getFilter",
    idempotency: Idempotent,
};
const DELETE_FILTER: Operation = Operation {
    id: "deleteFilter",
    idempotency: Idempotent,
};

/// A boxed future, so builders can be `.await`ed directly.
type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'a>>;

/// The token filters of the client's account. Get one with [`Client::filters`].
#[derive(Clone, Copy, Debug)]
pub struct Filters<'a> {
    client: &'a Client,
}

impl<'a> Filters<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// Every token filter of the account (`getAllFilters`).
    pub async fn list(&self) -> Result<Vec<QueryFilter>, Error> {
        self.client
            .execute(GET_ALL_FILTERS, |api| api.get_all_filters().send())
            .await
    }

    /// One token filter (`getFilter`); [`Error::NotFound`] if there is none with this id.
    pub async fn get(&self, id: i32) -> Result<QueryFilter, Error> {
        self.client
            .execute(GET_FILTER, |api| api.get_filter().id(id).send())
            .await
    }

    /// Starts creating a filter `field` = `value` (`createFilter`); optionally
    /// add a description, then `.send().await` (or just `.await`).
    pub fn create(&self, field: impl Into<String>, value: impl Into<String>) -> CreateFilter<'a> {
        CreateFilter {
            client: self.client,
            field: field.into(),
            value: value.into(),
            description: None,
        }
    }

    /// Deletes filter `id` (`deleteFilter`).
    pub async fn delete(&self, id: i32) -> Result<(), Error> {
        self.client
            .execute(DELETE_FILTER, |api| api.delete_filter().id(id).send())
            .await
    }

    /// The filter matching exactly `field` = `value`, if any (the lowest id
    /// when there are several). Lists all filters: one request.
    pub async fn find(&self, field: &str, value: &str) -> Result<Option<QueryFilter>, Error> {
        let filters = self.list().await?;
        Ok(filters
            .into_iter()
            .filter(|filter| filter.field.as_str() == field && filter.value.as_str() == value)
            .min_by_key(|filter| filter.id))
    }

    /// Starts a get-or-create: returns the existing filter `field` = `value`
    /// untouched, or creates it. Safe to re-run; not atomic against a
    /// concurrent creator of the same filter.
    pub fn get_or_create(
        &self,
        field: impl Into<String>,
        value: impl Into<String>,
    ) -> GetOrCreateFilter<'a> {
        GetOrCreateFilter {
            create: self.create(field, value),
        }
    }
}

/// A `createFilter` call being built: see [`Filters::create`].
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until `.send().await`"]
pub struct CreateFilter<'a> {
    client: &'a Client,
    field: String,
    value: String,
    description: Option<String>,
}

impl<'a> CreateFilter<'a> {
    /// A human-readable label for the filter.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The request body, with field and value checked against the spec.
    fn body(&self) -> Result<QueryFilter, Error> {
        let field = QueryFilterField::try_from(self.field.as_str())
            .map_err(|error| Error::invalid("field", format!("{:?} {error}", self.field)))?;
        let value = QueryFilterValue::try_from(self.value.as_str())
            .map_err(|error| Error::invalid("value", format!("{:?} {error}", self.value)))?;
        Ok(QueryFilter {
            description: self.description.clone(),
            field,
            id: None,
            value,
        })
    }

    /// Sends the request. Retried only when the server answered 503 or 429.
    pub async fn send(self) -> Result<QueryFilter, Error> {
        let body = self.body()?;
        self.client
            .execute(CREATE_FILTER, |api| {
                api.create_filter().body(body.clone()).send()
            })
            .await
    }
}

impl<'a> IntoFuture for CreateFilter<'a> {
    type Output = Result<QueryFilter, Error>;
    type IntoFuture = BoxFuture<'a, QueryFilter>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// A get-or-create of a filter being built: see [`Filters::get_or_create`].
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until `.send().await`"]
pub struct GetOrCreateFilter<'a> {
    create: CreateFilter<'a>,
}

impl<'a> GetOrCreateFilter<'a> {
    /// Description for the filter if it has to be created.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.create = self.create.description(description);
        self
    }

    /// Looks the filter up, and creates it only if it is absent.
    pub async fn send(self) -> Result<Ensured<QueryFilter>, Error> {
        self.create.body()?;
        let filters = Filters::new(self.create.client);
        if let Some(existing) = filters.find(&self.create.field, &self.create.value).await? {
            return Ok(Ensured::Existing(existing));
        }
        self.create.send().await.map(Ensured::Created)
    }
}

impl<'a> IntoFuture for GetOrCreateFilter<'a> {
    type Output = Result<Ensured<QueryFilter>, Error>;
    type IntoFuture = BoxFuture<'a, Ensured<QueryFilter>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
