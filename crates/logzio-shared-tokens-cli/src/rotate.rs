//! `rotate ID`: create a replacement with the same filters and operator,
//! show its value once, then delete the old token (unless `--keep-old`).
//!
//! The order is create-then-delete so a failure never leaves the user with
//! no token; when the delete fails, both tokens exist and the message must
//! say so, with both ids. It must never print the old token's value.
//! [`replace`] is the one implementation of that sequence: `rotate` and
//! `apply --renew-expiring` both call it.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use logzio_shared_tokens::{Client, OpenEnum, SharedToken, SharedTokenExt};
use serde_json::{Value, json};

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

/// What [`replace`] did.
#[derive(Debug)]
pub struct Replacement {
    /// The token that was replaced, as read before the replacement.
    pub old: SharedToken,
    /// The replacement (its value in full: shown once by the caller).
    pub new: SharedToken,
    /// Whether the old token was deleted.
    pub old_deleted: bool,
    /// Why deleting the old token failed: both tokens exist then.
    pub delete_failed: Option<CliError>,
}

impl Replacement {
    /// The documented JSON form: `{"old": token, "new": token, "oldDeleted": bool}`
    /// (the old token as `old` says, the new one in full).
    pub fn to_json(&self, old: Reveal) -> Value {
        json!({
            "old": token_json(&self.old, old),
            "new": token_json(&self.new, Reveal::Full),
            "oldDeleted": self.old_deleted,
        })
    }
}

/// Replaces token `id`: reads it, creates a token named `name` (by default
/// `"<old name> (rotated YYYY-MM-DD)"`) with its filters and operator, calls
/// `created` with the new token (so its value is shown before anything else
/// can fail), then deletes the old token unless `keep_old`.
///
/// An error before the replacement exists means nothing changed; a failed
/// delete is reported in [`Replacement::delete_failed`], not as an `Err`, so
/// the caller still has the new token to show.
pub async fn replace(
    client: &Client,
    id: i32,
    name: Option<&str>,
    keep_old: bool,
    created: impl FnOnce(&SharedToken) -> Result<(), CliError>,
) -> Result<Replacement, CliError> {
    let old = client
        .tokens()
        .get(id)
        .await
        .map_err(|error| CliError::api(&format!("rotate {id}: reading the token"), &error))?;
    let name = match name {
        Some(name) => name.to_owned(),
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
        .filters(old.filter_ids())
        .operator(operator)
        .await
        .map_err(|error| {
            CliError::api(
                &format!("rotate {id}: creating the replacement (nothing was changed)"),
                &error,
            )
        })?;
    created(&new)?;
    let new_id = new.id;
    let (old_deleted, delete_failed) = if keep_old {
        (false, None)
    } else {
        match client.tokens().delete(id).await {
            Ok(()) => (true, None),
            Err(error) => (
                false,
                Some(CliError::new(
                    status_of(&error),
                    format!(
                        "rotate {id}: the replacement token {new_id} was created, but deleting the old \
                     token {id} failed, so BOTH tokens {id} and {new_id} exist now; delete the old one \
                     with `logzio-shared-tokens tokens delete {id}` ({})",
                        describe(&error)
                    ),
                )),
            ),
        }
    };
    Ok(Replacement {
        old,
        new,
        old_deleted,
        delete_failed,
    })
}

/// Runs `rotate`; returns the replacement token.
pub async fn run(
    client: &Client,
    args: &RotateArgs,
    printer: &Printer,
) -> Result<SharedToken, CliError> {
    let id = args.id;
    let show_new = |new: &SharedToken| {
        if printer.json() {
            return Ok(());
        }
        let new_id = new.id;
        printer.line(format!(
            "Created replacement token {new_id} for token {id}:"
        ))?;
        printer.token(new, Reveal::Full)?;
        printer.line("The new token value is shown only now: store it safely.")
    };
    let replacement = replace(client, id, args.name.as_deref(), args.keep_old, show_new).await?;
    if printer.json() {
        printer.json_value(&replacement.to_json(printer.listed()))?;
    }
    if let Some(error) = replacement.delete_failed {
        return Err(error);
    }
    if !printer.json() {
        if replacement.old_deleted {
            printer.line(format!("Deleted the old token {id}."))?;
        } else {
            printer.line(format!(
                "Kept the old token {id}: delete it with `logzio-shared-tokens tokens delete {id}` once the new one is in use."
            ))?;
        }
    }
    Ok(replacement.new)
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
