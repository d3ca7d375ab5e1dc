//! `tokens …` and `filters …`: one facade call per subcommand, printed by
//! [`Printer`]. A partial `tokens update` is the facade's
//! `tokens().modify(id)`; this module only turns the flags into its calls.
//!
//! A token value is shown in full only right after `tokens create` or with
//! `--show-secrets`; it must never appear in an error message.
//!
//! Deletes resolve every id or name first (so a typo deletes nothing), ask
//! once for all of them ([`crate::confirm`]), then delete in turn.

use logzio_shared_tokens::{
    Client, Error, FiltersOperator, ModifyToken, QueryFilter, SharedToken, SharedTokenExt,
};

use crate::cli::{ConfirmArgs, FiltersCommand, TokenRef, TokensCommand};
use crate::confirm::{self, Confirmation, TOKEN_LINKS_BREAK};
use crate::error::{CliError, describe, status_of};
use crate::output::{Printer, Reveal};

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

/// How a confirmation names a token: `token 4 "checkout-dash"`.
pub fn token_line(token: &SharedToken) -> String {
    match token.name.as_deref() {
        Some(name) => format!("token {} {name:?}", token.id),
        None => format!("token {} (no name)", token.id),
    }
}

/// Runs one `tokens` subcommand.
pub async fn tokens(
    client: &Client,
    command: TokensCommand,
    printer: &Printer,
) -> Result<(), CliError> {
    match command {
        TokensCommand::List => {
            let tokens = client
                .tokens()
                .list()
                .await
                .map_err(|error| CliError::api("tokens list", &error))?;
            printer.tokens(&tokens, printer.listed())
        }
        TokensCommand::Get { token } => {
            let token = resolve_token(client, &token, "tokens get").await?;
            printer.token(&token, printer.listed())
        }
        TokensCommand::Create {
            name,
            filters,
            operator,
        } => create_token(client, &name, &filters, operator, printer)
            .await
            .map(drop),
        TokensCommand::Update {
            id,
            filters,
            add_filters,
            remove_filters,
            no_filters,
            operator,
        } => {
            let change = FilterChange {
                replace: (!filters.is_empty()).then_some(filters),
                add: add_filters,
                remove: remove_filters,
                clear: no_filters,
            };
            update_token(client, id, &change, operator, printer)
                .await
                .map(drop)
        }
        TokensCommand::Delete { tokens, confirm } => {
            delete_tokens(client, &tokens, confirm, printer).await
        }
    }
}

/// `tokens delete TOKEN…`.
async fn delete_tokens(
    client: &Client,
    references: &[TokenRef],
    args: ConfirmArgs,
    printer: &Printer,
) -> Result<(), CliError> {
    let mut going: Vec<SharedToken> = Vec::new();
    for reference in references {
        let token = resolve_token(client, reference, "tokens delete").await?;
        if going.iter().all(|listed| listed.id != token.id) {
            going.push(token);
        }
    }
    confirm::confirm("tokens delete", args, || async {
        Ok(Confirmation {
            going: going.iter().map(token_line).collect(),
            breaks: vec![TOKEN_LINKS_BREAK.to_owned()],
            question: format!("Delete {} token(s) at {}?", going.len(), client.base_url()),
        })
    })
    .await?;
    let ids: Vec<i32> = going.iter().map(|token| token.id).collect();
    delete_in_turn("tokens delete", "token", &ids, printer, async |id| {
        client.tokens().delete(id).await
    })
    .await
}

/// Deletes `ids` one after the other, printing each as it goes; at the
/// first failure, says which were deleted before it.
async fn delete_in_turn(
    command: &str,
    kind: &str,
    ids: &[i32],
    printer: &Printer,
    delete: impl AsyncFn(i32) -> Result<(), Error>,
) -> Result<(), CliError> {
    for (done, &id) in ids.iter().enumerate() {
        if let Err(error) = delete(id).await {
            let before = match &ids[..done] {
                [] => String::new(),
                deleted => format!(
                    "; {kind}(s) {} were deleted before it",
                    deleted
                        .iter()
                        .map(i32::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            return Err(CliError::new(
                status_of(&error),
                format!("{command} {id}: {}{before}", describe(&error)),
            ));
        }
        printer.deleted(kind, id)?;
    }
    Ok(())
}

/// `tokens create`: prints the new token with its value, once.
pub async fn create_token(
    client: &Client,
    name: &str,
    filters: &[i32],
    operator: Option<FiltersOperator>,
    printer: &Printer,
) -> Result<logzio_shared_tokens::SharedToken, CliError> {
    let mut create = client
        .tokens()
        .create(name)
        .filters(filters.iter().copied());
    if let Some(operator) = operator {
        create = create.operator(operator);
    }
    let token = create
        .await
        .map_err(|error| CliError::api(&format!("tokens create {name:?}"), &error))?;
    printer.token(&token, Reveal::Full)?;
    if !printer.json() {
        printer.line("The token value is shown only now: store it safely.")?;
    }
    Ok(token)
}

/// The filter flags of `tokens update`.
#[derive(Debug, Default)]
pub struct FilterChange {
    /// `--filter`: the new list.
    pub replace: Option<Vec<i32>>,
    /// `--add-filter`.
    pub add: Vec<i32>,
    /// `--remove-filter`.
    pub remove: Vec<i32>,
    /// `--no-filters`.
    pub clear: bool,
}

impl FilterChange {
    /// The facade call the flags ask for: the list from `--filter` or
    /// `--no-filters` (else the token's own), then the additions, then the
    /// removals.
    fn modify(&self, client: &Client, id: i32) -> ModifyToken {
        let mut modify = client.tokens().modify(id);
        if self.clear {
            modify = modify.set_filters(Vec::<i32>::new());
        } else if let Some(list) = &self.replace {
            modify = modify.set_filters(list);
        }
        modify.add_filters(&self.add).remove_filters(&self.remove)
    }

    fn is_empty(&self) -> bool {
        self.replace.is_none() && self.add.is_empty() && self.remove.is_empty() && !self.clear
    }
}

/// `tokens update`: the facade's partial update (read-then-write when the
/// flags leave something to keep).
pub async fn update_token(
    client: &Client,
    id: i32,
    change: &FilterChange,
    operator: Option<FiltersOperator>,
    printer: &Printer,
) -> Result<logzio_shared_tokens::SharedToken, CliError> {
    if change.is_empty() && operator.is_none() {
        return Err(CliError::usage(format!(
            "tokens update {id}: nothing to change; give --filter, --add-filter, --remove-filter, \
             --no-filters or --operator"
        )));
    }
    let mut modify = change.modify(client, id);
    if let Some(operator) = operator {
        modify = modify.operator(operator);
    }
    let token = modify.await.map_err(|error| match error {
        Error::UnknownOperator { operator, .. } => CliError::usage(format!(
            "tokens update {id}: the token's filtersOperator {operator:?} is not one this client can send; give --operator OR or --operator AND"
        )),
        error => CliError::api(&format!("tokens update {id}"), &error),
    })?;
    printer.token(&token, printer.listed())?;
    Ok(token)
}

/// Runs one `filters` subcommand.
pub async fn filters(
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
        FiltersCommand::Get { id } => {
            let filter = client
                .filters()
                .get(id)
                .await
                .map_err(|error| CliError::api(&format!("filters get {id}"), &error))?;
            printer.filter(&filter)
        }
        FiltersCommand::Create {
            field,
            value,
            description,
        } => create_filter(client, &field, &value, description.as_deref(), printer)
            .await
            .map(drop),
        FiltersCommand::Delete { ids, confirm } => {
            delete_filters(client, &ids, confirm, printer).await
        }
    }
}

/// `filters delete FILTER_ID…`: the confirmation names the tokens each
/// filter restricts, since they are what its deletion changes.
async fn delete_filters(
    client: &Client,
    requested: &[i32],
    args: ConfirmArgs,
    printer: &Printer,
) -> Result<(), CliError> {
    let mut going = Vec::new();
    for &id in requested {
        if going.iter().any(|filter: &QueryFilter| filter.id == id) {
            continue;
        }
        let filter = client
            .filters()
            .get(id)
            .await
            .map_err(|error| CliError::api(&format!("filters delete {id}"), &error))?;
        going.push(filter);
    }
    confirm::confirm("filters delete", args, || filter_deletion(client, &going)).await?;
    let ids: Vec<i32> = going.iter().map(|filter| filter.id).collect();
    delete_in_turn("filters delete", "filter", &ids, printer, async |id| {
        client.filters().delete(id).await
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
        lines.push(format!(
            "filter {} {}={}",
            filter.id, filter.field, filter.value
        ));
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

/// The tokens filter `filter_id` restricts (those that list it).
pub fn tokens_restricted_by(
    tokens: &[SharedToken],
    filter_id: i32,
) -> impl Iterator<Item = &SharedToken> {
    tokens
        .iter()
        .filter(move |token| token.filter_ids().contains(&filter_id))
}

/// `filters create`.
pub async fn create_filter(
    client: &Client,
    field: &str,
    value: &str,
    description: Option<&str>,
    printer: &Printer,
) -> Result<logzio_shared_tokens::QueryFilter, CliError> {
    let mut create = client.filters().create(field, value);
    if let Some(description) = description {
        create = create.description(description);
    }
    let filter = create
        .await
        .map_err(|error| CliError::api(&format!("filters create {field}={value}"), &error))?;
    printer.filter(&filter)?;
    Ok(filter)
}
