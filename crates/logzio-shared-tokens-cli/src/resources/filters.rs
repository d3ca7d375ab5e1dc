//! `filters …`. Creating a filter finds before it makes (the facade's
//! `ensure`); deleting one names the tokens it restricts.

use logzio_shared_tokens::{Client, Ensured, Error, QueryFilter, SharedToken};

use super::{FilterResolver, delete_in_turn, tokens_restricted_by};
use crate::cli::{ConfirmArgs, FilterArg, FiltersCommand};
use crate::confirm::{self, Confirmation};
use crate::error::CliError;
use crate::output::Printer;
use crate::output::token_line;

/// Runs one `filters` subcommand.
pub async fn run(
    client: &Client,
    command: FiltersCommand,
    printer: &Printer,
) -> Result<(), CliError> {
    match command {
        FiltersCommand::List => {
            let filters = client
                .filters()
                .list()
                .await
                .map_err(|error| CliError::api("filters list", &error))?;
            printer.filters(&filters)
        }
        FiltersCommand::Get { filter } => {
            let found = FilterResolver::new(client, "filters get")
                .filter(&filter)
                .await?;
            printer.filter(&found)
        }
        FiltersCommand::Create {
            field,
            value,
            description,
            allow_duplicate,
        } => {
            let wanted = NewFilter {
                field: &field,
                value: &value,
                description: description.as_deref(),
                allow_duplicate,
            };
            create_filter(client, &wanted, printer).await.map(drop)
        }
        FiltersCommand::Delete { ids, confirm } => {
            delete_filters(client, &ids, confirm, printer).await
        }
    }
}

/// `filters delete FILTER_ID…`: the confirmation names the tokens each
/// filter restricts, since they are what its deletion changes.
async fn delete_filters(
    client: &Client,
    requested: &[FilterArg],
    args: ConfirmArgs,
    printer: &Printer,
) -> Result<(), CliError> {
    let mut resolver = FilterResolver::new(client, "filters delete");
    let mut going = Vec::new();
    for named in requested {
        let filter = resolver.only_filter(named).await?;
        if going
            .iter()
            .all(|listed: &QueryFilter| listed.id != filter.id)
        {
            going.push(filter);
        }
    }
    confirm::confirm("filters delete", args, || filter_deletion(client, &going)).await?;
    let ids: Vec<i32> = going.iter().map(|filter| filter.id).collect();
    delete_in_turn("filter", &ids, printer, async |id| {
        match client.filters().delete(id).await {
            Ok(()) => Ok(()),
            Err(error) => Err(filter_delete_refused(client, id, &error).await),
        }
    })
    .await
}

/// The confirmation of `filters delete`: each filter with the tokens it
/// restricts (one list of the tokens).
async fn filter_deletion(client: &Client, going: &[QueryFilter]) -> Result<Confirmation, CliError> {
    let tokens = client
        .tokens()
        .list()
        .await
        .map_err(|error| CliError::api("filters delete: reading the tokens", &error))?;
    let mut lines = Vec::new();
    let mut restricting = false;
    for filter in going {
        let label = crate::apply::matching::filter_label(&filter.field, &filter.value);
        lines.push(format!("filter {} {label}", filter.id));
        let users: Vec<String> = tokens_restricted_by(&tokens, filter.id)
            .map(|token| format!("  restricts {}", token_line(token)))
            .collect();
        restricting |= !users.is_empty();
        if users.is_empty() {
            lines.push("  restricts no token".to_owned());
        }
        lines.extend(users);
    }
    let breaks = match restricting {
        false => Vec::new(),
        true => vec![
            "A token restricted by a deleted filter could read more of the account's logs \
             without it; the API may refuse while a token uses the filter: detach it first \
             with `logzio-shared-tokens tokens update TOKEN --remove-filter FILTER_ID`."
                .to_owned(),
        ],
    };
    Ok(Confirmation {
        going: lines,
        breaks,
        question: format!("Delete {} filter(s) at {}?", going.len(), client.base_url()),
    })
}

/// Why `filters delete ID` failed. A refusal while tokens still use the
/// filter names the command that detaches it (the server's message names
/// the API operation, which a CLI user cannot type).
async fn filter_delete_refused(client: &Client, id: i32, error: &Error) -> CliError {
    let action = format!("filters delete {id}");
    // Only an answer that is not one of the specific kinds (auth, not
    // found, unavailable, ...) can be this refusal; check whether tokens
    // use the filter before saying so.
    if !matches!(error, Error::Api { .. }) {
        return CliError::api(&action, error);
    }
    let (tokens_api, filters_api) = (client.tokens(), client.filters());
    let Ok((tokens, filter)) = tokio::try_join!(tokens_api.list(), filters_api.get(id)) else {
        return CliError::api(&action, error);
    };
    let users: Vec<&SharedToken> = tokens_restricted_by(&tokens, id).collect();
    let Some(first) = users.first() else {
        return CliError::api(&action, error);
    };
    let label = crate::apply::matching::filter_label(filter.field.as_str(), filter.value.as_str());
    let listed: Vec<String> = users
        .iter()
        .map(|token| {
            format!(
                "{} ({:?})",
                token.id,
                token.name.as_deref().unwrap_or_default()
            )
        })
        .collect();
    let status = error
        .status()
        .map_or_else(String::new, |status| format!(", HTTP {status}"));
    CliError::new(
        crate::error::status_of(error),
        format!(
            "{action}: the API refused{status}: filter {id} ({label}) is attached to token(s) {}; \
             detaching it widens or narrows what they can read, so detach it first, e.g. \
             `logzio-shared-tokens tokens update {} --remove-filter {id}`, then delete it",
            listed.join(", "),
            first.id,
        ),
    )
}

/// What `filters create` was asked for.
#[derive(Clone, Copy, Debug)]
pub struct NewFilter<'a> {
    /// The log field.
    pub field: &'a str,
    /// The value it must have.
    pub value: &'a str,
    /// `--description`.
    pub description: Option<&'a str>,
    /// `--allow-duplicate`: create even when the pair exists.
    pub allow_duplicate: bool,
}

/// `filters create`: the facade's `ensure` (an existing filter with the
/// same field and value is shown, not duplicated), or a plain create with
/// `--allow-duplicate`. Returns the filter and whether it was created.
pub async fn create_filter(
    client: &Client,
    wanted: &NewFilter<'_>,
    printer: &Printer,
) -> Result<(QueryFilter, bool), CliError> {
    let NewFilter {
        field,
        value,
        description,
        allow_duplicate,
    } = *wanted;
    let action = format!("filters create {field} {value}");
    let ensured = if allow_duplicate {
        let mut create = client.filters().create(field, value);
        if let Some(description) = description {
            create = create.description(description);
        }
        create.await.map(Ensured::Created)
    } else {
        let mut ensure = client.filters().ensure(field, value);
        if let Some(description) = description {
            ensure = ensure.description(description);
        }
        ensure.await
    };
    let ensured = ensured.map_err(|error| CliError::api(&action, &error))?;
    let created = ensured.was_created();
    let filter = ensured.into_inner();
    if !created && !printer.json() {
        printer.note(format!(
            "A filter {field}={value} exists already (id {}); nothing was created \
             (--allow-duplicate creates another).",
            filter.id
        ));
    }
    printer.filter(&filter)?;
    Ok((filter, created))
}
