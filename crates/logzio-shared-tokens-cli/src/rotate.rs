//! `rotate TOKEN`: replace a token by one with the same name, filters and
//! operator, show its value once, then delete the old token (unless
//! `--keep-old`), after the confirmation every deleting command asks.
//!
//! The sequence, its order, the name and the partial-failure error are the
//! facade's (`tokens().rotate(id)`); this module runs its steps so the
//! question comes once the facade accepted the rotation and the new value
//! is printed before the delete can fail, and words the outcome. It must
//! never print the old token's value. [`prepare`] and [`finish`] (together,
//! [`replace`]) are used by `rotate` and `apply --renew-expiring` alike.

use logzio_shared_tokens::{Client, Error, InputField, PreparedRotation, SharedToken};
use serde_json::{Value, json};

use crate::ExitStatus;
use crate::cli::{OutputFormat, RotateArgs, TokenRef};
use crate::confirm::{self, Confirmation};
use crate::error::{CliError, describe, status_of};
use crate::output::token_line;
use crate::output::{Printer, Reveal, token_json};
use crate::resources::resolve_token;

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

/// Replaces token `id`: [`prepare`], then [`finish`].
pub async fn replace(
    client: &Client,
    id: i32,
    name: Option<&str>,
    keep_old: bool,
    created: impl FnOnce(&SharedToken) -> Result<(), CliError>,
) -> Result<Replacement, CliError> {
    finish(prepare(client, id, name).await?, keep_old, created).await
}

/// The facade's first rotation step: reads token `id` and decides the
/// replacement's name (`name`, by default the old token's) and operator.
/// Changes nothing.
pub async fn prepare(
    client: &Client,
    id: i32,
    name: Option<&str>,
) -> Result<PreparedRotation, CliError> {
    let mut rotate = client.tokens().rotate(id);
    if let Some(name) = name {
        rotate = rotate.name(name);
    }
    rotate.prepare().await.map_err(|error| match error {
        Error::UnknownOperator { operator, .. } => CliError::new(
            ExitStatus::Failure,
            format!(
                "rotate {id}: the token's filtersOperator {operator:?} is not one this client can send (OR, AND); nothing was changed"
            ),
        ),
        Error::InvalidInput {
            field: InputField::TokenName,
            ..
        } => CliError::usage(format!(
            "rotate {id}: the token has no name for its replacement to keep; name the \
             replacement with --name NEW; nothing was changed"
        )),
        error => CliError::api(&format!("rotate {id}: reading the token"), &error),
    })
}

/// The rest of a rotation: creates the replacement, calls `created` with
/// it (so its value is shown before anything else can fail), then deletes
/// the old token unless `keep_old`.
///
/// An error before the replacement exists means nothing changed; a failed
/// delete is reported in [`Replacement::delete_failed`], not as an `Err`, so
/// the caller still has the new token to show.
pub async fn finish(
    prepared: PreparedRotation,
    keep_old: bool,
    created: impl FnOnce(&SharedToken) -> Result<(), CliError>,
) -> Result<Replacement, CliError> {
    let id = prepared.old.id;
    let mut rotation = prepared.create_replacement().await.map_err(|error| {
        CliError::api(
            &format!("rotate {id}: creating the replacement (nothing was changed)"),
            &error,
        )
    })?;
    created(&rotation.new)?;
    let delete_failed = match keep_old {
        true => None,
        false => rotation
            .delete_old()
            .await
            .err()
            .map(|error| both_exist(id, &error)),
    };
    Ok(Replacement {
        old_deleted: rotation.old_deleted(),
        old: rotation.old,
        new: rotation.new,
        delete_failed,
    })
}

/// The message for a rotation whose old token could not be deleted.
fn both_exist(id: i32, error: &Error) -> CliError {
    let Error::RotationIncomplete {
        old_id,
        new_id,
        source,
        ..
    } = error
    else {
        return CliError::api(&format!("rotate {id}: deleting the old token"), error);
    };
    CliError::new(
        status_of(source),
        format!(
            "rotate {id}: the replacement token {new_id} was created, but deleting the old \
             token {old_id} failed, so BOTH tokens {old_id} and {new_id} exist now; delete the old one \
             with `logzio-shared-tokens tokens delete {old_id}` ({})",
            describe(source)
        ),
    )
}

/// Runs `rotate`; returns the replacement token.
pub async fn run(
    client: &Client,
    args: &RotateArgs,
    printer: &Printer,
) -> Result<SharedToken, CliError> {
    let id = match &args.token {
        TokenRef::Id(id) => *id,
        reference @ TokenRef::Name(_) => resolve_token(client, reference, "rotate").await?.id,
    };
    let prepared = prepare(client, id, args.name.as_deref()).await?;
    if !args.keep_old {
        confirm::confirm("rotate", args.confirm, || async {
            Ok(Confirmation {
                going: vec![format!(
                    "{}, replaced by a new token {:?} with the same filters and operator",
                    token_line(&prepared.old),
                    prepared.name
                )],
                breaks: vec![
                    "Shared links and dashboards that use the old value stop working once it is \
                     deleted: give them the new one."
                        .to_owned(),
                ],
                question: format!("Rotate token {id} at {}?", client.base_url()),
            })
        })
        .await?;
    }
    // The replacement's table names its filters as `field=value`.
    let names = crate::resources::table_names(client, printer).await;
    let show_new = |new: &SharedToken| match printer.format {
        OutputFormat::Json => Ok(()),
        OutputFormat::Value => printer.new_secrets(std::slice::from_ref(new)),
        OutputFormat::Table => {
            let new_id = new.id;
            printer.narrate(format!(
                "Created replacement token {new_id} for token {id}:"
            ))?;
            printer.token(new, Reveal::Masked, &names)?;
            printer.new_secrets(std::slice::from_ref(new))
        }
    };
    let replacement = finish(prepared, args.keep_old, show_new).await?;
    if printer.json() {
        printer.json_value(&replacement.to_json(printer.listed()))?;
    }
    if let Some(error) = replacement.delete_failed {
        return Err(error);
    }
    if !printer.json() {
        if replacement.old_deleted {
            printer.narrate(format!("Deleted the old token {id}."))?;
        } else {
            printer.narrate(format!(
                "Kept the old token {id}: delete it with `logzio-shared-tokens tokens delete {id}` once the new one is in use."
            ))?;
        }
    }
    Ok(replacement.new)
}
