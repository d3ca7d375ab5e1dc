//! `tokens …` and `filters …`: one facade call per spec operation (plus a
//! read before a partial `tokens update`), printed by [`Printer`].
//!
//! A token value is shown in full only right after `tokens create` or with
//! `--show-secrets`; it must never appear in an error message.

use logzio_shared_tokens::{Client, FiltersOperator, OpenEnum, SharedTokenExt};

use crate::cli::{FiltersCommand, TokensCommand};
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

/// How `tokens update` changes the filter list.
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
    /// Whether the current filters must be read to compute the new list.
    fn needs_current(&self) -> bool {
        !self.clear && self.replace.is_none()
    }

    /// The new filter list, given the current one.
    fn apply(&self, current: &[i32]) -> Vec<i32> {
        let mut ids: Vec<i32> = if self.clear {
            Vec::new()
        } else {
            self.replace.clone().unwrap_or_else(|| current.to_vec())
        };
        for id in &self.add {
            if !ids.contains(id) {
                ids.push(*id);
            }
        }
        ids.retain(|id| !self.remove.contains(id));
        ids
    }

    fn is_empty(&self) -> bool {
        self.replace.is_none() && self.add.is_empty() && self.remove.is_empty() && !self.clear
    }
}

/// `tokens update`: the API replaces the whole filter list, so a partial
/// change (add, remove, operator only) reads the token first.
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
    let action = format!("tokens update {id}");
    let (current, current_operator) = if change.needs_current() || operator.is_none() {
        let token = client
            .tokens()
            .get(id)
            .await
            .map_err(|error| CliError::api(&action, &error))?;
        (token.filter_ids().to_vec(), Some(token.operator()))
    } else {
        (Vec::new(), None)
    };
    let filters = change.apply(&current);
    let mut update = client.tokens().update(id, filters);
    // The operator is sent every time: a PUT that omits it could reset it.
    // One this client cannot send is never replaced silently.
    let operator = match (operator, current_operator) {
        (Some(operator), _) => Some(operator),
        (None, Some(OpenEnum::Known(current))) => Some(current),
        (None, Some(OpenEnum::Unknown(current))) => {
            return Err(CliError::usage(format!(
                "tokens update {id}: the token's filtersOperator {current:?} is not one this client can send; give --operator OR or --operator AND"
            )));
        }
        (None, None) => None,
    };
    if let Some(operator) = operator {
        update = update.operator(operator);
    }
    let token = update
        .await
        .map_err(|error| CliError::api(&action, &error))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_changes_combine_in_order() {
        let add = FilterChange {
            add: vec![3, 1],
            ..FilterChange::default()
        };
        assert_eq!(add.apply(&[1, 2]), [1, 2, 3]);
        let replace = FilterChange {
            replace: Some(vec![7, 8]),
            remove: vec![8],
            ..FilterChange::default()
        };
        assert_eq!(replace.apply(&[1]), [7]);
        assert!(!replace.needs_current());
        let clear = FilterChange {
            clear: true,
            ..FilterChange::default()
        };
        assert!(clear.apply(&[1, 2]).is_empty());
        assert!(FilterChange::default().is_empty());
    }
}
