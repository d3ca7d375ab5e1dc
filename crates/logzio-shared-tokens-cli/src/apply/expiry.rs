//! When each token the file names expires, and which of them
//! `apply --renew-expiring DAYS` replaces.
//!
//! Logz.io's tokens expire 7 days after creation by default (its "Manage
//! Shared Tokens" page; an admin can choose another expiry in the UI, and
//! tokens created before 19 August 2024 never expire). The API has no call to
//! extend a token, so renewing means replacing it, as `rotate` does. Nothing
//! is renewed unless the flag asks for it. A pure function of the file, the
//! token list and "now".

use jiff::Timestamp;
use logzio_shared_tokens::{SharedToken, SharedTokenExt};
use serde_json::{Value, json};

use super::file::DesiredState;
use super::matching::managed_token;
use crate::audit::expires_within;
use crate::output::{new_table, short_time};

/// One token of the file, as the account has it.
#[derive(Clone, Debug, PartialEq)]
pub struct TokenExpiry {
    /// Its name (the file's key).
    pub name: String,
    /// The token `apply` manages under that name; `None` when the plan creates it.
    pub id: Option<i32>,
    /// When it expires; `None` when it never does or does not exist yet.
    pub expires_at: Option<Timestamp>,
    /// Whether `--renew-expiring` replaces it.
    pub renew: bool,
}

impl TokenExpiry {
    /// `new`, `never`, `expired` or `valid` (at `now`).
    pub fn status(&self, now: Timestamp) -> &'static str {
        match (self.id, self.expires_at) {
            (None, _) => "new",
            (Some(_), None) => "never",
            (Some(_), Some(at)) if at <= now => "expired",
            (Some(_), Some(_)) => "valid",
        }
    }

    /// `{"name", "id", "expirationDate", "status", "renew"}` (milliseconds or `null`).
    pub fn to_json(&self, now: Timestamp) -> Value {
        json!({
            "name": self.name,
            "id": self.id,
            "expirationDate": self.expires_at.map(|at| at.as_millisecond()),
            "status": self.status(now),
            "renew": self.renew,
        })
    }

    /// The EXPIRES cell: `2026-12-05 01:00 UTC (in 6 days)`.
    fn describe(&self, now: Timestamp) -> String {
        match (self.id, self.expires_at) {
            (None, _) => "new: Logz.io sets it on creation".to_owned(),
            (Some(_), None) => "never".to_owned(),
            (Some(_), Some(at)) if at <= now => format!("{} (expired)", short_time(at)),
            (Some(_), Some(at)) => {
                let days = (at.as_second() - now.as_second()) / 86_400;
                let left = match days {
                    0 => "in less than a day".to_owned(),
                    1 => "in 1 day".to_owned(),
                    n => format!("in {n} days"),
                };
                format!("{} ({left})", short_time(at))
            }
        }
    }

    /// The plan line of a renewal (only tokens that exist are renewed).
    pub fn describe_renewal(&self, now: Timestamp) -> String {
        format!(
            "-/+ token {:?} ({}): renew, expires {}: a new token with the same name, filters \
             and operator; the old one is deleted",
            self.name,
            self.id
                .map_or_else(|| "not created yet".to_owned(), |id| format!("id {id}")),
            self.describe(now)
        )
    }
}

/// The file's tokens in file order, with `renew` set for those expiring
/// within `renew_within` days (expired ones included) when it is given.
pub fn expiry(
    desired: &DesiredState,
    tokens: &[SharedToken],
    now: Timestamp,
    renew_within: Option<u32>,
) -> Vec<TokenExpiry> {
    desired
        .tokens
        .keys()
        .map(|name| {
            let managed = managed_token(tokens, name);
            let expires_at = managed.and_then(SharedTokenExt::expires_at);
            TokenExpiry {
                name: name.clone(),
                id: managed.map(|token| token.id),
                expires_at,
                renew: match (renew_within, expires_at) {
                    (Some(days), Some(at)) => expires_within(at, now, days),
                    _ => false,
                },
            }
        })
        .collect()
}

/// The table printed under the plan.
pub fn table(expiry: &[TokenExpiry], now: Timestamp, renewing: bool) -> String {
    let mut header = vec!["TOKEN", "ID", "EXPIRES"];
    if renewing {
        header.push("RENEW");
    }
    let mut table = new_table(&header);
    for token in expiry {
        let mut row = vec![
            token.name.clone(),
            token.id.map_or_else(|| "-".to_owned(), |id| id.to_string()),
            token.describe(now),
        ];
        if renewing {
            row.push(if token.renew { "yes" } else { "no" }.to_owned());
        }
        table.add_row(row);
    }
    table.to_string()
}

#[cfg(test)]
mod tests {
    use super::super::file::parse_toml;
    use super::*;

    fn token(id: i32, name: &str, expires: Option<i64>) -> SharedToken {
        serde_json::from_value(json!({"id": id, "name": name, "expirationDate": expires})).unwrap()
    }

    #[test]
    fn renewal_takes_only_tokens_expiring_within_the_window() {
        let now: Timestamp = "2026-11-28T12:00:00Z".parse().unwrap();
        let day = 86_400_000;
        let ms = now.as_millisecond();
        let desired = parse_toml(
            "[tokens.soon]\n[tokens.later]\n[tokens.gone]\n[tokens.legacy]\n[tokens.new]\n",
        )
        .unwrap();
        let tokens = [
            token(1, "soon", Some(ms + 2 * day)),
            token(2, "later", Some(ms + 9 * day)),
            token(3, "gone", Some(ms - day)),
            token(4, "legacy", None),
            token(5, "soon", Some(ms - 5 * day)),
        ];
        let list = |within| {
            expiry(&desired, &tokens, now, within)
                .into_iter()
                .map(|t| (t.name.clone(), t.status(now), t.renew))
                .collect::<Vec<_>>()
        };
        let s = |name: &str| name.to_owned();
        assert_eq!(
            list(Some(3)),
            [
                (s("gone"), "expired", true),
                (s("later"), "valid", false),
                (s("legacy"), "never", false),
                (s("new"), "new", false),
                (s("soon"), "valid", true),
            ]
        );
        assert!(list(None).iter().all(|(_, _, renew)| !renew));
        let only_expired: Vec<_> = list(Some(0)).into_iter().filter(|t| t.2).collect();
        assert_eq!(only_expired, [(s("gone"), "expired", true)]);
        let soon = &expiry(&desired, &tokens, now, Some(3))[4];
        assert_eq!(
            soon.id,
            Some(1),
            "the lowest id of the name is the managed one"
        );
        assert_eq!(soon.describe(now), "2026-11-30 12:00 UTC (in 2 days)");
    }
}
