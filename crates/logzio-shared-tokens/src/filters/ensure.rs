//! `filters().ensure(field, value)`: get-or-create a filter; the race rule
//! is [`crate::ensured`]'s.

use logzio_shared_tokens_api::types::QueryFilter;

use super::{CreateFilter, Filters};
use crate::Error;
use crate::client::awaitable_by_send;
use crate::ensured::{Ensured, delete_own_duplicate};
use crate::matching::filter_matching;

impl Filters {
    /// Starts making sure a filter `field` = `value` exists: creates it if it
    /// is missing, and says whether it did ([`Ensured`](crate::Ensured)).
    /// Safe to run at every start of an application, from several processes
    /// at once: see [`EnsureFilter::send`].
    pub fn ensure(&self, field: impl Into<String>, value: impl Into<String>) -> EnsureFilter {
        EnsureFilter {
            create: self.create(field, value),
        }
    }
}

/// A filter `ensure` being built: see [`Filters::ensure`].
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until `.send().await`"]
pub struct EnsureFilter {
    create: CreateFilter,
}

impl EnsureFilter {
    /// The description, used only when the filter is created: the API has
    /// no operation that changes a filter, and the description plays no
    /// part in which filter matches.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.create = self.create.description(description);
        self
    }

    /// Lists the filters and creates `field` = `value` if none matches.
    /// After creating, lists again: if a matching filter has a lower id (a
    /// concurrent caller's), deletes the one just created and returns that
    /// one as [`Ensured::Unchanged`]. One to three requests.
    ///
    /// Field and value are checked before anything is sent.
    pub async fn send(self) -> Result<Ensured<QueryFilter>, Error> {
        self.create.body()?;
        let filters = self.create.client.filters();
        let (field, value) = (self.create.field.clone(), self.create.value.clone());
        if let Some(existing) = filters.find(&field, &value).await? {
            return Ok(Ensured::Unchanged(existing));
        }
        let created = self.create.send().await?;
        let listed = filters.list().await?;
        match filter_matching(&listed, &field, &value) {
            Some(winner) if winner.id < created.id => {
                delete_own_duplicate(filters.delete(created.id)).await?;
                Ok(Ensured::Unchanged(winner.clone()))
            }
            _ => Ok(Ensured::Created(created)),
        }
    }
}

awaitable_by_send!(EnsureFilter => Ensured<QueryFilter>);
