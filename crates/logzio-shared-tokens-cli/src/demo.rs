//! `demo`: the README's first command. Starts the bundled emulator
//! in-process on 127.0.0.1 (a free port) and walks through the tool: create
//! a filter, create a token, list, update, audit, rotate, delete — printing
//! each step and the command that does it.
//!
//! It must work with no credentials and no network. With an API token
//! configured (and no `--emulator`), it only *reads* the account — filters,
//! tokens, audit — so the README's main job runs against Logz.io when
//! credentials are given without ever changing anything there; the mutating
//! walk-through touches a real account only with `--against-real-account`.

use logzio_shared_tokens::{Client, ENV_API_TOKEN};
use logzio_shared_tokens_emulator::{Config, Emulator};

use crate::cli::{AuditArgs, ConfirmArgs, DemoArgs, GlobalArgs, RotateArgs, TokenRef};
use crate::error::CliError;
use crate::output::FilterNames;
use crate::output::Printer;
use crate::resources::filters::{NewFilter, create_filter};
use crate::resources::tokens::{FilterChange, create_token, update_token};
use crate::{audit, connect, rotate};

const STEPS: usize = 7;

/// Runs the demo.
pub async fn run(global: &GlobalArgs, args: &DemoArgs, printer: &Printer) -> Result<(), CliError> {
    if args.against_real_account {
        let client = connect::client(global, |name| std::env::var(name).ok())?;
        eprintln!(
            "demo: running against the real account at {}: it creates a demo filter and token and deletes them at the end",
            client.base_url()
        );
        let suffix = jiff::Timestamp::now().as_second().to_string();
        return walk(&client, printer, &suffix).await;
    }
    if !args.emulator
        && (std::env::var_os(ENV_API_TOKEN).is_some()
            || global.api_token_file.is_some()
            || global.profile.is_some())
    {
        let client = connect::client(global, |name| std::env::var(name).ok())?;
        return read_only_look(&client, printer).await;
    }
    let emulator = Emulator::start(Config::for_tests())
        .await
        .map_err(|error| {
            CliError::failure(format!("demo: cannot start the bundled emulator: {error}"))
        })?;
    let api_token = emulator
        .api_tokens()
        .first()
        .cloned()
        .ok_or_else(|| CliError::failure("demo: the bundled emulator has no API token"))?;
    let client = Client::builder()
        .api_token(api_token)
        .base_url(emulator.base_url())
        .timeout(global.timeout)
        .build()
        .map_err(|error| CliError::failure(format!("demo: {error}")))?;
    note(
        printer,
        &format!(
            "Started the bundled Logz.io Shared Tokens emulator at {} (in this process, stopped at the end).",
            emulator.base_url()
        ),
    )?;
    let result = walk(&client, printer, "demo").await;
    emulator.shutdown().await;
    if result.is_ok() {
        note(
            printer,
            "\nDone. Keep an emulator running with `logzio-shared-tokens emulator --listen 127.0.0.1:8080`, \
             or point the tool at your account with LOGZIO_API_TOKEN and --region (see --help).",
        )?;
    }
    result
}

/// The main job with credentials: what the account has and what `audit`
/// finds, changing nothing.
async fn read_only_look(client: &Client, printer: &Printer) -> Result<(), CliError> {
    note(
        printer,
        &format!(
            "Reading your account at {} (read-only: nothing is created, changed or deleted; \
             `demo --emulator` runs the full walk-through on the bundled emulator instead).",
            client.base_url()
        ),
    )?;
    note(
        printer,
        "\n== Step 1/3: the account's token filters\n$ logzio-shared-tokens filters list",
    )?;
    crate::resources::filters::run(client, crate::cli::FiltersCommand::List, printer).await?;
    note(
        printer,
        "\n== Step 2/3: the account's shared tokens (values masked)\n$ logzio-shared-tokens tokens list",
    )?;
    crate::resources::tokens::run(client, crate::cli::TokensCommand::List, printer).await?;
    note(
        printer,
        "\n== Step 3/3: what Logz.io's guidance warns about\n$ logzio-shared-tokens audit",
    )?;
    let audit_args = AuditArgs {
        expiring_within: 3,
        unused_for: 30,
        fail_on: Vec::new(),
    };
    audit::run(client, &audit_args, printer).await
}

/// Headings go to stdout for tables, to stderr for JSON (stdout stays JSON only).
fn note(printer: &Printer, text: &str) -> Result<(), CliError> {
    if printer.json() {
        eprintln!("{text}");
        Ok(())
    } else {
        printer.line(text)
    }
}

fn step(printer: &Printer, number: usize, title: &str, command: &str) -> Result<(), CliError> {
    note(
        printer,
        &format!("\n== Step {number}/{STEPS}: {title}\n$ logzio-shared-tokens {command}"),
    )
}

/// What the walk created and has not deleted yet (cleaned up on failure).
#[derive(Default)]
struct Created {
    filter: Option<i32>,
    token: Option<i32>,
}

async fn walk(client: &Client, printer: &Printer, suffix: &str) -> Result<(), CliError> {
    let mut created = Created::default();
    let result = steps(client, printer, suffix, &mut created).await;
    if result.is_err() {
        // Best effort: leave the account as it was.
        if let Some(id) = created.token {
            let _ = client.tokens().delete(id).await;
        }
        if let Some(id) = created.filter {
            let _ = client.filters().delete(id).await;
        }
    }
    result
}

/// The seven steps, in three acts; `created` always says what exists.
async fn steps(
    client: &Client,
    printer: &Printer,
    suffix: &str,
    created: &mut Created,
) -> Result<(), CliError> {
    let (filter_id, token_id) = create_and_list(client, printer, suffix, created).await?;
    let new_id = update_audit_rotate(client, printer, token_id).await?;
    created.token = Some(new_id);
    delete_both(client, printer, new_id, filter_id, created).await
}

/// Steps 1-3: a filter, a token restricted by it, the list. Returns their ids.
async fn create_and_list(
    client: &Client,
    printer: &Printer,
    suffix: &str,
    created: &mut Created,
) -> Result<(i32, i32), CliError> {
    let value = format!("logzio-shared-tokens-{suffix}");
    let description = "demo: only documents of this type";
    step(
        printer,
        1,
        "create a token filter (what a token may read)",
        &format!("filters create type {value} --description {description:?}"),
    )?;
    // Always a new filter: the walk deletes it at the end, and must never
    // delete one that existed before it.
    let wanted = NewFilter {
        field: "type",
        value: &value,
        description: Some(description),
        allow_duplicate: true,
    };
    let (filter, _) = create_filter(client, &wanted, printer).await?;
    let filter_id = filter.id;
    created.filter = Some(filter_id);

    let name = format!("dashboards-{suffix}");
    step(
        printer,
        2,
        "create a shared token restricted by that filter (its value is shown once)",
        &format!("tokens create {name} --filter {filter_id}"),
    )?;
    let names = FilterNames::new(std::slice::from_ref(&filter));
    let token = create_token(client, &name, &[filter_id], None, printer, &names).await?;
    let token_id = token.id;
    created.token = Some(token_id);

    step(printer, 3, "list the tokens (values masked)", "tokens list")?;
    crate::resources::tokens::run(client, crate::cli::TokensCommand::List, printer).await?;
    Ok((filter_id, token_id))
}

/// Steps 4-6: a risky update, the audit that flags it, a rotation. Returns
/// the replacement's id (the old token is deleted by the rotation).
async fn update_audit_rotate(
    client: &Client,
    printer: &Printer,
    token_id: i32,
) -> Result<i32, CliError> {
    step(
        printer,
        4,
        "update the token: remove its filters (a risky change, see the next step)",
        &format!("tokens update {token_id} --no-filters"),
    )?;
    let clear = FilterChange {
        clear: true,
        ..FilterChange::default()
    };
    update_token(
        client,
        token_id,
        &clear,
        None,
        printer,
        &FilterNames::default(),
    )
    .await?;

    step(
        printer,
        5,
        "audit: an unfiltered token reads every log; the filter is now orphaned",
        "audit",
    )?;
    let audit_args = AuditArgs {
        expiring_within: 3,
        unused_for: 30,
        fail_on: Vec::new(),
    };
    audit::run(client, &audit_args, printer).await?;

    step(
        printer,
        6,
        "rotate the token: a replacement with the same name and filters, then the old one is \
         deleted (--yes: no question, as in a script)",
        &format!("rotate {token_id} --yes"),
    )?;
    let rotate_args = RotateArgs {
        token: TokenRef::Id(token_id),
        name: None,
        keep_old: false,
        confirm: ConfirmArgs { yes: true },
    };
    let replacement = rotate::run(client, &rotate_args, printer).await?;
    Ok(replacement.id)
}

/// Step 7: deletes the token and the filter, in that order.
async fn delete_both(
    client: &Client,
    printer: &Printer,
    token_id: i32,
    filter_id: i32,
    created: &mut Created,
) -> Result<(), CliError> {
    step(
        printer,
        7,
        "delete the token and the filter",
        &format!(
            "tokens delete {token_id} --yes && logzio-shared-tokens filters delete {filter_id} --yes"
        ),
    )?;
    let delete_token = crate::cli::TokensCommand::Delete {
        tokens: vec![TokenRef::Id(token_id)],
        confirm: ConfirmArgs { yes: true },
    };
    crate::resources::tokens::run(client, delete_token, printer).await?;
    created.token = None;
    let delete_filter = crate::cli::FiltersCommand::Delete {
        ids: vec![crate::cli::FilterArg::Id(filter_id)],
        confirm: ConfirmArgs { yes: true },
    };
    crate::resources::filters::run(client, delete_filter, printer).await?;
    created.filter = None;
    Ok(())
}
