//! `tokens …` and `filters …`: one facade call per subcommand, printed by
//! [`Printer`]. A partial `tokens update` is the facade's
//! `tokens().modify(id)`; this module only turns the flags into its calls.
//!
//! A token value is shown in full only right after `tokens create` or with
//! `--show-secrets`; it must never appear in an error message.

use logzio_shared_tokens::{Client, Error, FiltersOperator, ModifyToken};

use crate::cli::{FiltersCommand, OutputFormat, TokensCommand};
use crate::error::CliError;
use crate::output::{Printer, Reveal};

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
        TokensCommand::Get { id } => {
            let token = client
                .tokens()
                .get(id)
                .await
                .map_err(|error| CliError::api(&format!("tokens get {id}"), &error))?;
            if printer.value_only() {
                return printer.value(&token);
            }
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
        TokensCommand::Delete { id } => {
            client
                .tokens()
                .delete(id)
                .await
                .map_err(|error| CliError::api(&format!("tokens delete {id}"), &error))?;
            printer.deleted("token", id)
        }
    }
}

/// `tokens create`: prints the new token (masked, or as JSON in full) and its value.
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
    match printer.format {
        OutputFormat::Json => printer.token(&token, Reveal::Full)?,
        OutputFormat::Table => {
            printer.token(&token, Reveal::Masked)?;
            printer.new_secrets(std::slice::from_ref(&token))?;
        }
        OutputFormat::Value => printer.new_secrets(std::slice::from_ref(&token))?,
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
        FiltersCommand::Delete { id } => {
            client
                .filters()
                .delete(id)
                .await
                .map_err(|error| CliError::api(&format!("filters delete {id}"), &error))?;
            printer.deleted("filter", id)
        }
    }
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
