//! `apply FILE`: make the account match a desired-state file. Reads the
//! file, reads the account, prints the plan (with when each of the file's
//! tokens expires), asks (or takes `--yes`), then carries the changes out in
//! order with a progress bar on a terminal, and last renews the tokens
//! `--renew-expiring` selects.
//!
//! It must never apply without a confirmation or `--yes`, never delete what
//! the file does not name unless `--prune`, never renew without
//! `--renew-expiring`, and never print a token value except those of tokens
//! it creates (shown once, like `tokens create` and `rotate`, even when a
//! later change fails).

pub mod expiry;
pub mod file;
pub mod matching;
pub mod plan;

use std::collections::BTreeMap;
use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use jiff::Timestamp;
use logzio_shared_tokens::{Client, QueryFilter, SharedToken};
use serde_json::{Value, json};

use crate::cli::ApplyArgs;
use crate::confirm::{self, Confirmation, TOKEN_LINKS_BREAK};
use crate::error::{CliError, ExitStatus, describe, status_of};
use crate::output::{FilterNames, Printer, Reveal, token_json};
use crate::rotate::{self, Replacement};
use expiry::TokenExpiry;
use plan::{Change, FilterRef, Plan};

/// Runs `apply`.
pub async fn run(client: &Client, args: &ApplyArgs, printer: &Printer) -> Result<(), CliError> {
    // Checked here: clap counts the default `false` of --dry-run as given.
    if args.detailed_exitcode && !args.dry_run {
        return Err(CliError::usage(
            "apply: --detailed-exitcode needs --dry-run (it reports whether the plan is empty)",
        ));
    }
    let desired = file::load(&args.file)?;
    let (tokens_api, filters_api) = (client.tokens(), client.filters());
    let (tokens, filters) = tokio::try_join!(tokens_api.list(), filters_api.list())
        .map_err(|error| CliError::api("apply: reading the account", &error))?;
    let plan = plan::plan(&desired, &tokens, &filters, args.prune)
        .map_err(|reason| CliError::usage(format!("apply: {reason}")))?;
    let now = Timestamp::now();
    let expiry = expiry::expiry(&desired, &tokens, now, args.renew_expiring);
    let renewals: Vec<&TokenExpiry> = expiry.iter().filter(|token| token.renew).collect();
    let report = Report {
        plan: &plan,
        expiry: &expiry,
        now,
        renewing: args.renew_expiring.is_some(),
        listed: printer.listed(),
        filters: &filters,
    };

    if plan.changes.is_empty() && renewals.is_empty() {
        if printer.json() {
            return printer.json_value(&report.json(false, args.dry_run, &Executed::default()));
        }
        printer.line(format!(
            "No changes: the account matches {}.",
            args.file.display()
        ))?;
        if let Some(note) = unmanaged_note(&plan) {
            printer.line(note)?;
        }
        return report.print_expiry(printer);
    }
    if !printer.json() {
        report.print(printer)?;
    }
    if args.dry_run {
        if printer.json() {
            printer.json_value(&report.json(false, true, &Executed::default()))?;
        } else {
            printer.narrate("Dry run: nothing was changed.")?;
        }
        if args.detailed_exitcode {
            return Err(drift(args, &plan, renewals.len()));
        }
        return Ok(());
    }
    let asking = || async { Ok(confirmation(&plan, renewals.len(), client.base_url())) };
    confirm::confirm("apply", args.confirm, asking).await?;
    let names = FilterNames::new(&filters);
    let executed = execute(client, &plan, &renewals, printer, &names).await;
    report.finish(executed, printer)
}

/// Exit 7 of `--detailed-exitcode`: the plan is not empty.
fn drift(args: &ApplyArgs, plan: &Plan, renewals: usize) -> CliError {
    let renewing = match args.renew_expiring {
        Some(_) => format!(" and {renewals} renewal(s)"),
        None => String::new(),
    };
    CliError::new(
        ExitStatus::Drift,
        format!(
            "apply: the plan for {} is not empty: {} change(s){renewing} (--detailed-exitcode)",
            args.file.display(),
            plan.changes.len(),
        ),
    )
}

/// Names what the file does not manage, one line each, as the plan would
/// show their deletion; `None` when the file names everything.
fn unmanaged_note(plan: &Plan) -> Option<String> {
    if plan.unmanaged.is_empty() {
        return None;
    }
    let lines: String = plan
        .unmanaged
        .iter()
        .map(|change| format!("\n  {}", change.describe()))
        .collect();
    Some(format!(
        "{} token(s)/filter(s) in the account are not in the file; --prune would delete them:{lines}",
        plan.unmanaged.len()
    ))
}

/// The plan and the expiry of the file's tokens, for printing.
struct Report<'a> {
    plan: &'a Plan,
    expiry: &'a [TokenExpiry],
    now: Timestamp,
    renewing: bool,
    /// How replaced tokens are shown (masked unless `--show-secrets`).
    listed: Reveal,
    /// The account's filters before the plan ran, to name them in tables.
    filters: &'a [QueryFilter],
}

impl Report<'_> {
    fn print(&self, printer: &Printer) -> Result<(), CliError> {
        let plan = self.plan;
        let count = |pick: fn(&Change) -> bool| plan.changes.iter().filter(|c| pick(c)).count();
        let renewals = self.expiry.iter().filter(|token| token.renew).count();
        printer.line(format!(
            "Plan: {} to create, {} to update, {} to delete{}.",
            count(|c| matches!(c, Change::CreateFilter { .. } | Change::CreateToken { .. })),
            count(|c| matches!(c, Change::UpdateToken { .. })),
            count(|c| matches!(c, Change::DeleteFilter { .. } | Change::DeleteToken { .. })),
            if self.renewing {
                format!(", {renewals} to renew")
            } else {
                String::new()
            },
        ))?;
        for change in &plan.changes {
            printer.line(format!("  {}", change.describe()))?;
        }
        for token in self.expiry.iter().filter(|token| token.renew) {
            printer.line(format!("  {}", token.describe_renewal(self.now)))?;
        }
        if let Some(note) = unmanaged_note(plan) {
            printer.line(note)?;
        }
        self.print_expiry(printer)
    }

    /// Prints what was done (new values included, also after a failure),
    /// then returns the failure if there was one.
    fn finish(&self, executed: Executed, printer: &Printer) -> Result<(), CliError> {
        let applied = executed.failure.is_none();
        if printer.json() {
            printer.json_value(&self.json(applied, false, &executed))?;
        } else if !executed.created.is_empty() {
            printer.line("Created tokens:")?;
            let known: Vec<QueryFilter> = self
                .filters
                .iter()
                .chain(&executed.created_filters)
                .cloned()
                .collect();
            printer.tokens(&executed.created, Reveal::Masked, &FilterNames::new(&known))?;
            printer.new_secrets(&executed.created)?;
        }
        if let Some(failure) = executed.failure {
            return Err(failure);
        }
        if printer.json() {
            return Ok(());
        }
        let renewed = match executed.renewed.len() {
            0 => String::new(),
            count => format!(" and {count} renewal(s)"),
        };
        printer.narrate(format!(
            "Applied {} change(s){renewed}.",
            self.plan.changes.len()
        ))
    }

    fn print_expiry(&self, printer: &Printer) -> Result<(), CliError> {
        if self.expiry.is_empty() {
            return Ok(());
        }
        printer.line("Expiry of the file's tokens:")?;
        printer.line(expiry::table(self.expiry, self.now, self.renewing))
    }

    /// `{"changes": [...], "applied": bool, "dryRun": bool, "unmanaged": n,
    /// "createdTokens": [...], "expiry": [...], "renewedTokens": [...]}`.
    fn json(&self, applied: bool, dry_run: bool, executed: &Executed) -> Value {
        json!({
            "changes": self.plan.changes.iter().map(Change::to_json).collect::<Vec<_>>(),
            "applied": applied,
            "dryRun": dry_run,
            "unmanaged": self.plan.unmanaged.len(),
            "createdTokens": executed
                .created
                .iter()
                .map(|token| token_json(token, Reveal::Full))
                .collect::<Vec<_>>(),
            "expiry": self.expiry.iter().map(|token| token.to_json(self.now)).collect::<Vec<_>>(),
            "renewedTokens": executed
                .renewed
                .iter()
                .map(|replacement| replacement.to_json(self.listed))
                .collect::<Vec<_>>(),
        })
    }
}

/// The confirmation of an apply: the plan is printed already; what breaks
/// is the links of the tokens it deletes or renews.
fn confirmation(plan: &Plan, renewals: usize, base_url: &str) -> Confirmation {
    let deletes_tokens = plan
        .changes
        .iter()
        .any(|change| matches!(change, Change::DeleteToken { .. }));
    let mut breaks = Vec::new();
    if deletes_tokens {
        breaks.push(TOKEN_LINKS_BREAK.to_owned());
    }
    if renewals > 0 {
        breaks.push(
            "A renewed token's old value is deleted too: give its shared links and dashboards \
             the new one."
                .to_owned(),
        );
    }
    Confirmation {
        going: Vec::new(),
        breaks,
        question: format!(
            "Apply {} change(s) to {base_url}?",
            plan.changes.len() + renewals
        ),
    }
}

fn progress(total: usize, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}") {
        bar.set_style(style);
    }
    bar
}

/// What [`execute`] did, and where it stopped.
#[derive(Debug, Default)]
struct Executed {
    /// Tokens it created (values in full: shown once).
    created: Vec<SharedToken>,
    /// Filters it created.
    created_filters: Vec<QueryFilter>,
    /// Tokens it renewed.
    renewed: Vec<Replacement>,
    /// The change that failed; the ones before it were carried out.
    failure: Option<CliError>,
}

/// Carries the plan out in order, then the renewals. Stops at the first
/// failure, keeping what was done so the caller can still show new values.
async fn execute(
    client: &Client,
    plan: &Plan,
    renewals: &[&TokenExpiry],
    printer: &Printer,
    names: &FilterNames,
) -> Executed {
    let total = plan.changes.len() + renewals.len();
    let bar = progress(total, printer.quiet);
    let mut executed = Executed::default();
    let stopped = |index: usize, line: &str, status: ExitStatus, cause: String| {
        CliError::new(
            status,
            format!(
                "apply: change {} of {total} ({line}): {cause}; the {index} change(s) before it \
                 were applied: fix the cause and re-run apply to finish",
                index + 1
            ),
        )
    };
    let mut new_filters: BTreeMap<&str, i32> = BTreeMap::new();
    for (index, change) in plan.changes.iter().enumerate() {
        let line = change.describe();
        bar.set_message(line.clone());
        if let Err(error) = apply_change(client, change, &mut new_filters, &mut executed).await {
            executed.failure = Some(stopped(index, &line, status_of(&error), describe(&error)));
            bar.finish_and_clear();
            return executed;
        }
        bar.inc(1);
    }
    for (offset, token) in renewals.iter().enumerate() {
        let index = plan.changes.len() + offset;
        let line = format!("renew token {:?}", token.name);
        bar.set_message(line.clone());
        let Some(id) = token.id else { continue };
        let show = |new: &SharedToken| {
            if printer.json() {
                return Ok(());
            }
            bar.suspend(|| {
                printer.line(format!(
                    "Renewed token {:?}: token {} replaces token {id}:",
                    token.name, new.id
                ))?;
                printer.token(new, Reveal::Masked, names)?;
                printer.new_secrets(std::slice::from_ref(new))
            })
        };
        let failed = match rotate::replace(client, id, Some(&token.name), false, show).await {
            Ok(mut replacement) => {
                let failed = replacement.delete_failed.take();
                executed.renewed.push(replacement);
                failed
            }
            Err(error) => Some(error),
        };
        if let Some(error) = failed {
            // Not "re-run apply": with both tokens of the name left, a re-run
            // would renew the old one again. The message says what to delete.
            executed.failure = Some(CliError::new(
                error.status,
                format!(
                    "apply: change {} of {total} ({line}): {}; the {index} change(s) before it \
                     were applied",
                    index + 1,
                    error.message
                ),
            ));
            break;
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    executed
}

/// Carries out one change; a created filter's id is remembered for the
/// tokens after it, a created token is kept to show its value.
async fn apply_change<'a>(
    client: &Client,
    change: &'a Change,
    new_filters: &mut BTreeMap<&'a str, i32>,
    executed: &mut Executed,
) -> Result<(), logzio_shared_tokens::Error> {
    let resolve = |refs: &[FilterRef]| -> Vec<i32> {
        refs.iter()
            .filter_map(|r| match r {
                FilterRef::Existing { id, .. } => Some(*id),
                FilterRef::New { key, .. } => new_filters.get(key.as_str()).copied(),
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
            let filter = create.await?;
            new_filters.insert(key, filter.id);
            executed.created_filters.push(filter);
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
                .await?;
            executed.created.push(token);
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
                .await?;
        }
        Change::DeleteToken { id, .. } => client.tokens().delete(*id).await?,
        Change::DeleteFilter { id, .. } => client.filters().delete(*id).await?,
    }
    Ok(())
}
