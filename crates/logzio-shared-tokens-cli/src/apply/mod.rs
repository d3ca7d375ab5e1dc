//! `apply FILE`: make the account match a desired-state file. Reads the
//! file, reads the account, prints the plan, asks (or takes `--yes`), then
//! carries the changes out in order with a progress bar on a terminal.
//!
//! It must never apply without a confirmation or `--yes`, never delete what
//! the file does not name unless `--prune`, and never print a token value
//! except those of tokens it creates (shown once, like `tokens create`).

pub mod file;
pub mod matching;
pub mod plan;

use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use logzio_shared_tokens::Client;
use serde_json::{Value, json};

use crate::cli::ApplyArgs;
use crate::error::{CliError, ExitStatus};
use crate::output::{Printer, Reveal, token_json};
use plan::{Change, FilterRef, Plan};

/// Runs `apply`.
pub async fn run(client: &Client, args: &ApplyArgs, printer: &Printer) -> Result<(), CliError> {
    let desired = file::load(&args.file)?;
    let (tokens_api, filters_api) = (client.tokens(), client.filters());
    let (tokens, filters) = tokio::try_join!(tokens_api.list(), filters_api.list())
        .map_err(|error| CliError::api("apply: reading the account", &error))?;
    let plan = plan::plan(&desired, &tokens, &filters, args.prune)
        .map_err(|reason| CliError::usage(format!("apply: {reason}")))?;

    if plan.changes.is_empty() {
        if printer.json() {
            return printer.json_value(&plan_json(&plan, false, args.dry_run, Vec::new()));
        }
        return printer.line(format!(
            "No changes: the account matches {}.{}",
            args.file.display(),
            unmanaged_note(&plan)
        ));
    }
    if !printer.json() {
        print_plan(&plan, printer)?;
    }
    if args.dry_run {
        if printer.json() {
            return printer.json_value(&plan_json(&plan, false, true, Vec::new()));
        }
        return printer.line("Dry run: nothing was changed.");
    }
    if !args.yes {
        confirm(&plan, client.base_url())?;
    }
    let created = execute(client, &plan, printer).await?;
    if printer.json() {
        return printer.json_value(&plan_json(&plan, true, false, created));
    }
    printer.line(format!("Applied {} change(s).", plan.changes.len()))
}

fn unmanaged_note(plan: &Plan) -> String {
    if plan.unmanaged == 0 {
        String::new()
    } else {
        format!(
            " {} token(s)/filter(s) in the account are not in the file (--prune deletes them).",
            plan.unmanaged
        )
    }
}

fn print_plan(plan: &Plan, printer: &Printer) -> Result<(), CliError> {
    let count = |pick: fn(&Change) -> bool| plan.changes.iter().filter(|c| pick(c)).count();
    printer.line(format!(
        "Plan: {} to create, {} to update, {} to delete.{}",
        count(|c| matches!(c, Change::CreateFilter { .. } | Change::CreateToken { .. })),
        count(|c| matches!(c, Change::UpdateToken { .. })),
        count(|c| matches!(c, Change::DeleteFilter { .. } | Change::DeleteToken { .. })),
        unmanaged_note(plan)
    ))?;
    for change in &plan.changes {
        printer.line(format!("  {}", change.describe()))?;
    }
    Ok(())
}

/// `{"changes": [...], "applied": bool, "dryRun": bool, "createdTokens": [...]}`.
fn plan_json(plan: &Plan, applied: bool, dry_run: bool, created: Vec<Value>) -> Value {
    json!({
        "changes": plan.changes.iter().map(Change::to_json).collect::<Vec<_>>(),
        "applied": applied,
        "dryRun": dry_run,
        "unmanaged": plan.unmanaged,
        "createdTokens": created,
    })
}

/// Asks on the terminal; refuses when there is no terminal to ask on.
fn confirm(plan: &Plan, base_url: &str) -> Result<(), CliError> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(CliError::usage(
            "apply: not applied: confirmation is needed and standard input is not a terminal; \
             pass --yes to apply (or --dry-run to only print the plan)",
        ));
    }
    let mut stderr = std::io::stderr();
    let _ = write!(
        stderr,
        "Apply {} change(s) to {base_url}? [y/N] ",
        plan.changes.len()
    );
    let _ = stderr.flush();
    let mut answer = String::new();
    stdin
        .lock()
        .read_line(&mut answer)
        .map_err(|error| CliError::failure(format!("apply: cannot read the answer: {error}")))?;
    if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
        Ok(())
    } else {
        Err(CliError::new(
            ExitStatus::Failure,
            "apply: not applied (not confirmed)",
        ))
    }
}

fn progress(total: usize) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}") {
        bar.set_style(style);
    }
    bar
}

/// Carries the plan out in order; returns the created tokens (JSON, values shown).
async fn execute(client: &Client, plan: &Plan, printer: &Printer) -> Result<Vec<Value>, CliError> {
    let bar = progress(plan.changes.len());
    let mut new_filters: BTreeMap<&str, i32> = BTreeMap::new();
    let mut created_tokens = Vec::new();
    let total = plan.changes.len();
    for (index, change) in plan.changes.iter().enumerate() {
        let line = change.describe();
        bar.set_message(line.clone());
        let stopped = |error: &logzio_shared_tokens::Error| {
            let mut failed = CliError::api(
                &format!("apply: change {} of {total} ({line})", index + 1),
                error,
            );
            failed.message.push_str(&format!(
                "; the {index} change(s) before it were applied: fix the cause and re-run apply to finish"
            ));
            failed
        };
        let resolve = |refs: &[FilterRef]| -> Vec<i32> {
            refs.iter()
                .filter_map(|r| match r {
                    FilterRef::Existing(id) => Some(*id),
                    FilterRef::New(name) => new_filters.get(name.as_str()).copied(),
                })
                .collect()
        };
        match change {
            Change::CreateFilter {
                key,
                field,
                value,
                description,
            } => {
                let mut create = client.filters().create(field, value);
                if let Some(description) = description {
                    create = create.description(description);
                }
                let filter = create.await.map_err(|e| stopped(&e))?;
                new_filters.insert(key, filter.id.unwrap_or_default());
            }
            Change::CreateToken {
                name,
                filters,
                operator,
            } => {
                let token = client
                    .tokens()
                    .create(name.as_str())
                    .filters(resolve(filters))
                    .operator(*operator)
                    .await
                    .map_err(|e| stopped(&e))?;
                created_tokens.push(token);
            }
            Change::UpdateToken {
                id,
                filters,
                operator,
                ..
            } => {
                client
                    .tokens()
                    .update(*id, resolve(filters))
                    .operator(*operator)
                    .await
                    .map_err(|e| stopped(&e))?;
            }
            Change::DeleteToken { id, .. } => {
                client.tokens().delete(*id).await.map_err(|e| stopped(&e))?;
            }
            Change::DeleteFilter { id, .. } => {
                client
                    .filters()
                    .delete(*id)
                    .await
                    .map_err(|e| stopped(&e))?;
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    if !printer.json() && !created_tokens.is_empty() {
        printer.line("Created tokens (their values are shown only now: store them safely):")?;
        printer.tokens(&created_tokens, Reveal::Full)?;
    }
    Ok(created_tokens
        .iter()
        .map(|token| token_json(token, Reveal::Full))
        .collect())
}
