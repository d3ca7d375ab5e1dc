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
    Client, Ensured, Error, FiltersOperator, ModifyToken, QueryFilter, SharedToken, SharedTokenExt,
    check_filter_text, matching,
};

use crate::cli::{ConfirmArgs, FilterArg, FiltersCommand, OutputFormat, TokenRef, TokensCommand};
use crate::confirm::{self, Confirmation, TOKEN_LINKS_BREAK};
use crate::error::{CliError, ExitStatus, describe, status_of};
use crate::output::{FilterNames, Printer, Reveal};

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
            let ids = resolver.ids(&filters).await?;
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
                    false => Some(resolver.ids(&filters).await?),
                },
                add: resolver.ids(&add_filters).await?,
                remove: resolver.all_ids(&remove_filters).await?,
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
        client.tokens().delete(id).await.map_err(|error| {
            CliError::new(
                status_of(&error),
                format!("tokens delete {id}: {}", describe(&error)),
            )
        })
    })
    .await
}

/// Deletes `ids` one after the other, printing each as it goes; at the
/// first failure, its error says which were deleted before it.
async fn delete_in_turn(
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
            eprintln!(
                "note: the filters could not be listed to name them, so the table shows their \
                 ids: {}",
                crate::error::describe(&error)
            );
            FilterNames::default()
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
        FiltersCommand::Get { filter } => {
            let found = match &filter {
                FilterArg::Id(id) => client.filters().get(*id).await,
                FilterArg::Pair { .. } => {
                    let action = format!("filters get {filter}");
                    let id = FilterResolver::new(client, &action).id(&filter).await?;
                    client.filters().get(id).await
                }
            };
            let found =
                found.map_err(|error| CliError::api(&format!("filters get {filter}"), &error))?;
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
        printer.line(format!(
            "A filter {field}={value} exists already (id {}); nothing was created \
             (--allow-duplicate creates another).",
            filter.id
        ))?;
    }
    printer.filter(&filter)?;
    Ok((filter, created))
}
