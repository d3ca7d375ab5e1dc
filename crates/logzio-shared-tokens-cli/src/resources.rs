//! `tokens …` and `filters …` ([`tokens`], [`filters`]): one facade call per
//! subcommand, printed by [`Printer`]; here, what both (and `rotate`,
//! `audit`, `demo`) share: naming a token by id or name, filters by id or
//! `field=value`, deleting in turn.
//!
//! A token value is shown in full only right after `tokens create` or with
//! `--show-secrets`; it must never appear in an error message.
//!
//! Deletes resolve every id or name first (so a typo deletes nothing), ask
//! once for all of them ([`crate::confirm`]), then delete in turn.

use logzio_shared_tokens::{
    Client, Error, QueryFilter, SharedToken, SharedTokenExt, check_filter_text, matching,
};

use crate::cli::{FilterArg, TokenRef};
use crate::error::{CliError, ExitStatus};
use crate::output::{FilterNames, Printer};

pub mod filters;
pub mod tokens;

/// The token `reference` names: by id, or by a name only one token has
/// (the facade's rule; several tokens of that name is a usage error listing
/// their ids). `command` prefixes the error, e.g. `tokens get`.
pub async fn resolve_token(
    client: &Client,
    reference: &TokenRef,
    command: &str,
) -> Result<SharedToken, CliError> {
    let found = match reference {
        TokenRef::Id(id) => client.tokens().get(*id).await,
        TokenRef::Name(name) => client.tokens().get_by_name(name).await,
    };
    found.map_err(|error| CliError::api(&format!("{command} {reference}"), &error))
}

/// Deletes `ids` one after the other, printing each as it goes; at the
/// first failure, its error says which were deleted before it.
pub(crate) async fn delete_in_turn(
    kind: &str,
    ids: &[i32],
    printer: &Printer,
    delete: impl AsyncFn(i32) -> Result<(), CliError>,
) -> Result<(), CliError> {
    for (done, &id) in ids.iter().enumerate() {
        if let Err(mut error) = delete(id).await {
            if let deleted @ [_, ..] = &ids[..done] {
                let deleted: Vec<String> = deleted.iter().map(i32::to_string).collect();
                error.message = format!(
                    "{}; {kind}(s) {} were deleted before it",
                    error.message,
                    deleted.join(", ")
                );
            }
            return Err(error);
        }
        printer.deleted(kind, id)?;
    }
    Ok(())
}

/// Turns filters named on the command line into ids, listing the account's
/// filters at most once: ids are taken as given (the server says if one does
/// not exist), `FIELD=VALUE` goes by the facade's matching rule. A pair no
/// filter has is refused, never created: a typo must not make a filter that
/// widens or narrows a shared token unseen.
pub struct FilterResolver<'a> {
    client: &'a Client,
    action: &'a str,
    listed: Option<Vec<QueryFilter>>,
}

impl<'a> FilterResolver<'a> {
    /// A resolver for the command `action` (e.g. `tokens update 5`), which
    /// prefixes its errors.
    pub fn new(client: &'a Client, action: &'a str) -> Self {
        Self {
            client,
            action,
            listed: None,
        }
    }

    async fn filters(&mut self) -> Result<&[QueryFilter], CliError> {
        if self.listed.is_none() {
            let listed = self.client.filters().list().await.map_err(|error| {
                CliError::api(&format!("{}: listing the filters", self.action), &error)
            })?;
            self.listed = Some(listed);
        }
        Ok(self.listed.as_deref().unwrap_or_default())
    }

    /// The id of the filter named: for a pair, the filter that stands for it
    /// (the lowest id with that field and value).
    pub async fn id(&mut self, filter: &FilterArg) -> Result<i32, CliError> {
        match filter {
            FilterArg::Id(id) => Ok(*id),
            FilterArg::Pair { field, value } => {
                let found = matching::filter_matching(self.filters().await?, field, value);
                found
                    .map(|filter| filter.id)
                    .ok_or_else(|| self.no_such(field, value))
            }
        }
    }

    /// The filter named, as the account has it: by id, read (`getFilter`);
    /// for a pair, the listed filter that stands for it (the lowest id).
    pub async fn filter(&mut self, named: &FilterArg) -> Result<QueryFilter, CliError> {
        let FilterArg::Pair { field, value } = named else {
            return self.read(named).await;
        };
        match matching::filter_matching(self.filters().await?, field, value) {
            Some(found) => Ok(found.clone()),
            None => Err(self.no_such(field, value)),
        }
    }

    /// The one filter named, for acting on it: for a pair that several
    /// filters share, the facade's [`Error::AmbiguousFilter`]
    /// (`matching::only_filter_matching`), a usage error listing their ids.
    pub async fn only_filter(&mut self, named: &FilterArg) -> Result<QueryFilter, CliError> {
        let FilterArg::Pair { field, value } = named else {
            return self.read(named).await;
        };
        match matching::only_filter_matching(self.filters().await?, field, value) {
            Ok(found) => Ok(found.clone()),
            Err(Error::NotFound { .. }) => Err(self.no_such(field, value)),
            Err(other) => Err(CliError::api(self.action, &other)),
        }
    }

    /// A filter named by its id, read from the API (which says if there is none).
    async fn read(&mut self, named: &FilterArg) -> Result<QueryFilter, CliError> {
        let id = self.id(named).await?;
        let read = self.client.filters().get(id).await;
        read.map_err(|error| CliError::api(&format!("{} {id}", self.action), &error))
    }

    /// One id per filter named, as [`Self::id`].
    pub async fn ids(&mut self, named: &[FilterArg]) -> Result<Vec<i32>, CliError> {
        let mut ids = Vec::with_capacity(named.len());
        for filter in named {
            ids.push(self.id(filter).await?);
        }
        Ok(ids)
    }

    /// Every id a filter named stands for: for a pair, all filters with that
    /// field and value (removing "env=prod" must not leave a duplicate of it).
    pub async fn all_ids(&mut self, named: &[FilterArg]) -> Result<Vec<i32>, CliError> {
        let mut ids = Vec::with_capacity(named.len());
        for filter in named {
            match filter {
                FilterArg::Id(id) => ids.push(*id),
                FilterArg::Pair { field, value } => {
                    let before = ids.len();
                    let filters = self.filters().await?;
                    ids.extend(matching::filters_matching(filters, field, value).map(|f| f.id));
                    if ids.len() == before {
                        return Err(self.no_such(field, value));
                    }
                }
            }
        }
        Ok(ids)
    }

    /// How to name the account's filters in tables: from the list already
    /// read, else as [`table_names`] does.
    pub async fn names(&self, printer: &Printer) -> FilterNames {
        match &self.listed {
            Some(filters) => FilterNames::new(filters),
            None => table_names(self.client, printer).await,
        }
    }

    fn no_such(&self, field: &str, value: &str) -> CliError {
        let next = match check_filter_text(field, value) {
            Ok(()) => format!(
                "create it with `logzio-shared-tokens filters create {field} {value}`, or list the \
                 filters with `logzio-shared-tokens filters list`"
            ),
            Err(refused) => format!("it cannot be created through the API ({refused})"),
        };
        CliError::new(
            ExitStatus::NotFound,
            format!(
                "{}: no filter {field}={value} in the account; {next}",
                self.action
            ),
        )
    }
}

/// How a token table names filters: lists them, only for a table (JSON
/// shows ids, the documented shape). The table is what was asked for, so a
/// failure to list filters leaves their ids in it, with a note on stderr.
pub async fn table_names(client: &Client, printer: &Printer) -> FilterNames {
    if printer.json() {
        return FilterNames::default();
    }
    match client.filters().list().await {
        Ok(filters) => FilterNames::new(&filters),
        Err(error) => {
            printer.note(format!(
                "the filters could not be listed to name them, so the table shows their ids: {}",
                crate::error::describe(&error)
            ));
            FilterNames::default()
        }
    }
}

/// The tokens filter `filter_id` restricts (those that list it).
pub fn tokens_restricted_by(
    tokens: &[SharedToken],
    filter_id: i32,
) -> impl Iterator<Item = &SharedToken> {
    tokens
        .iter()
        .filter(move |token| token.filter_ids().contains(&filter_id))
}
