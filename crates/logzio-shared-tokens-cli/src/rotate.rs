//! `rotate ID`: create a replacement with the same filters and operator,
//! show its value once, then delete the old token (unless `--keep-old`).
//!
//! The order is create-then-delete so a failure never leaves the user with
//! no token; when the delete fails, both tokens exist and the message must
//! say so, with both ids. It must never print the old token's value.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use logzio_shared_tokens::{Client, OpenEnum, SharedToken, SharedTokenExt};
use serde_json::json;

use crate::ExitStatus;
use crate::cli::RotateArgs;
use crate::error::{CliError, describe, status_of};
use crate::output::{Printer, Reveal, token_json};

/// The suffix marking a rotated token's name.
const ROTATED_MARK: &str = " (rotated ";

/// `"<name> (rotated YYYY-MM-DD)"`, replacing an earlier rotation mark.
pub fn rotated_name(old: &str, today: jiff::civil::Date) -> String {
    let base = match old.rfind(ROTATED_MARK) {
        Some(at) if old.ends_with(')') => &old[..at],
        _ => old,
    };
    let base = if base.trim().is_empty() {
        "token"
    } else {
        base
    };
    format!("{base}{ROTATED_MARK}{today})")
}

/// Runs `rotate`; returns the replacement token.
pub async fn run(
    client: &Client,
    args: &RotateArgs,
    printer: &Printer,
) -> Result<SharedToken, CliError> {
    let id = args.id;
    let old = client
        .tokens()
        .get(id)
        .await
        .map_err(|error| CliError::api(&format!("rotate {id}: reading the token"), &error))?;
    let name = match &args.name {
        Some(name) => name.clone(),
        None => {
            let today = Timestamp::now().to_zoned_datetime(TimeZone::UTC).date();
            rotated_name(old.name.as_deref().unwrap_or_default(), today)
        }
    };
    // The replacement must read exactly what the old token reads: an
    // operator this client cannot send is refused, never replaced.
    let OpenEnum::Known(operator) = old.operator() else {
        return Err(CliError::new(
            ExitStatus::Failure,
            format!(
                "rotate {id}: the token's filtersOperator {:?} is not one this client can send (OR, AND); nothing was changed",
                old.operator().to_string()
            ),
        ));
    };
    let new = client
        .tokens()
        .create(name.as_str())
        .filters(old.filter_ids().iter().copied())
        .operator(operator)
        .await
        .map_err(|error| {
            CliError::api(
                &format!("rotate {id}: creating the replacement (nothing was changed)"),
                &error,
            )
        })?;
    let new_id = new.id.unwrap_or_default();

    if !printer.json() {
        printer.line(format!(
            "Created replacement token {new_id} for token {id}:"
        ))?;
        printer.token(&new, Reveal::Full)?;
        printer.line("The new token value is shown only now: store it safely.")?;
    }

    let deleted = if args.keep_old {
        Ok(false)
    } else {
        client.tokens().delete(id).await.map(|()| true)
    };
    let old_deleted = *deleted.as_ref().unwrap_or(&false);

    if printer.json() {
        printer.json_value(&json!({
            "old": token_json(&old, printer.listed()),
            "new": token_json(&new, Reveal::Full),
            "oldDeleted": old_deleted,
        }))?;
    }
    match deleted {
        Ok(true) => {
            if !printer.json() {
                printer.line(format!("Deleted the old token {id}."))?;
            }
            Ok(new)
        }
        Ok(false) => {
            if !printer.json() {
                printer.line(format!(
                    "Kept the old token {id}: delete it with `logzio-shared-tokens tokens delete {id}` once the new one is in use."
                ))?;
            }
            Ok(new)
        }
        Err(error) => Err(CliError::new(
            status_of(&error),
            format!(
                "rotate {id}: the replacement token {new_id} was created, but deleting the old \
                 token {id} failed, so BOTH tokens {id} and {new_id} exist now; delete the old one \
                 with `logzio-shared-tokens tokens delete {id}` ({})",
                describe(&error)
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotated_names_replace_an_earlier_mark() {
        let day = jiff::civil::date(2026, 11, 28);
        assert_eq!(rotated_name("support", day), "support (rotated 2026-11-28)");
        assert_eq!(
            rotated_name("support (rotated 2026-01-02)", day),
            "support (rotated 2026-11-28)"
        );
        assert_eq!(rotated_name("", day), "token (rotated 2026-11-28)");
        assert_eq!(
            rotated_name("odd (rotated x", day),
            "odd (rotated x (rotated 2026-11-28)"
        );
    }
}
