//! `tokens …`. A partial `tokens update` is the facade's
//! `tokens().modify(id)`; this module only turns the flags into its calls.

use logzio_shared_tokens::{Client, Error, FiltersOperator, ModifyToken, SharedToken};

use super::{FilterResolver, delete_in_turn, resolve_token, table_names};
use crate::cli::{ConfirmArgs, FilterList, OutputFormat, TokenRef, TokensCommand};
use crate::confirm::{self, Confirmation, TOKEN_LINKS_BREAK};
use crate::error::CliError;
use crate::output::token_line;
use crate::output::{FilterNames, Printer, Reveal};

/// Runs one `tokens` subcommand.
pub async fn run(
    client: &Client,
    command: TokensCommand,
    printer: &Printer,
) -> Result<(), CliError> {
    match command {
        TokensCommand::List => {
            let tokens_api = client.tokens();
            let (tokens, names) = tokio::join!(tokens_api.list(), table_names(client, printer));
            let tokens = tokens.map_err(|error| CliError::api("tokens list", &error))?;
            printer.tokens(&tokens, printer.listed(), &names)
        }
        TokensCommand::Get { token } => {
            if printer.value_only() {
                let token = resolve_token(client, &token, "tokens get").await?;
                return printer.value(&token);
            }
            let (found, names) = tokio::join!(
                resolve_token(client, &token, "tokens get"),
                table_names(client, printer)
            );
            printer.token(&found?, printer.listed(), &names)
        }
        TokensCommand::Create {
            name,
            filters,
            operator,
        } => {
            let action = format!("tokens create {name:?}");
            let mut resolver = FilterResolver::new(client, &action);
            let ids = resolver.ids(&FilterList::flatten(filters)).await?;
            let names = resolver.names(printer).await;
            create_token(client, &name, &ids, operator, printer, &names)
                .await
                .map(drop)
        }
        TokensCommand::Update {
            id,
            filters,
            add_filters,
            remove_filters,
            no_filters,
            operator,
        } => {
            let action = format!("tokens update {id}");
            let mut resolver = FilterResolver::new(client, &action);
            let change = FilterChange {
                replace: match filters.is_empty() {
                    true => None,
                    false => Some(resolver.ids(&FilterList::flatten(filters)).await?),
                },
                add: resolver.ids(&FilterList::flatten(add_filters)).await?,
                remove: resolver
                    .all_ids(&FilterList::flatten(remove_filters))
                    .await?,
                clear: no_filters,
            };
            let names = resolver.names(printer).await;
            update_token(client, id, &change, operator, printer, &names)
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
    delete_in_turn("token", &ids, printer, async |id| {
        client
            .tokens()
            .delete(id)
            .await
            .map_err(|error| CliError::api(&format!("tokens delete {id}"), &error))
    })
    .await
}

/// `tokens create`: prints the new token (masked, or as JSON in full) and its value.
pub async fn create_token(
    client: &Client,
    name: &str,
    filters: &[i32],
    operator: Option<FiltersOperator>,
    printer: &Printer,
    names: &FilterNames,
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
        OutputFormat::Json => printer.token(&token, Reveal::Full, names)?,
        OutputFormat::Table => {
            printer.token(&token, Reveal::Masked, names)?;
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
    names: &FilterNames,
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
    printer.token(&token, printer.listed(), names)?;
    Ok(token)
}
