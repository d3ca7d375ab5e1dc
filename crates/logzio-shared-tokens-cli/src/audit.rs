//! `audit`: what Logz.io's guidance on shared tokens warns about, found in
//! one read of the tokens and the filters.
//!
//! The checks are a pure function of the two lists and "now", so they are
//! unit-tested without a server. It reads only; it must never change the
//! account, and never print a token value.

use jiff::{SignedDuration, Timestamp};
use logzio_shared_tokens::{Client, QueryFilter, SharedToken, SharedTokenExt, matching};
use serde_json::{Value, json};

use crate::apply::matching::{filter_label, filter_text};
use crate::cli::{AuditArgs, FindingKind};
use crate::error::{CliError, ExitStatus};
use crate::output::{Printer, new_table, short_time};

/// One finding about one token or filter.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// What is wrong.
    pub kind: FindingKind,
    /// `token` or `filter`.
    pub subject: &'static str,
    /// The token's or filter's id.
    pub id: i32,
    /// The token's name, or the filter's `field=value`.
    pub name: String,
    /// A sentence for people.
    pub detail: String,
}

/// The windows of the time-based checks.
#[derive(Clone, Copy, Debug)]
pub struct AuditWindows {
    /// `--expiring-within`, in days.
    pub expiring_within_days: u32,
    /// `--unused-for`, in days.
    pub unused_for_days: u32,
}

fn days(count: u32) -> SignedDuration {
    SignedDuration::from_hours(i64::from(count) * 24)
}

/// Whether `expiry` falls within `within_days` days of `now` (or before it):
/// the "expiring" of `audit --expiring-within` and `apply --renew-expiring`.
pub(crate) fn expires_within(expiry: Timestamp, now: Timestamp, within_days: u32) -> bool {
    expiry <= now + days(within_days)
}

/// All findings, tokens (by id) first, then filters.
pub fn findings(
    tokens: &[SharedToken],
    filters: &[QueryFilter],
    now: Timestamp,
    windows: AuditWindows,
) -> Vec<Finding> {
    let mut found = Vec::new();
    let mut sorted: Vec<&SharedToken> = tokens.iter().collect();
    sorted.sort_by_key(|token| token.id);
    for token in sorted {
        let finding = |kind, detail: String| Finding {
            kind,
            subject: "token",
            id: token.id,
            name: token.name.clone().unwrap_or_default(),
            detail,
        };
        if token.filter_ids().is_empty() {
            found.push(finding(
                FindingKind::NoFilters,
                "no filters: it can read all of the account's logs".to_owned(),
            ));
        }
        if let Some(expiry) = token.expires_at() {
            if expiry <= now {
                found.push(finding(
                    FindingKind::Expired,
                    format!("expired on {}", short_time(expiry)),
                ));
            } else if expires_within(expiry, now, windows.expiring_within_days) {
                found.push(finding(
                    FindingKind::Expiring,
                    format!(
                        "expires on {} (within {} days)",
                        short_time(expiry),
                        windows.expiring_within_days
                    ),
                ));
            }
        }
        let window_start = now - days(windows.unused_for_days);
        match token.last_used() {
            // A token created within the window has had no time to be used
            // yet; the API reports no creation time, the facade estimates it.
            None if token.estimated_creation() < window_start => found.push(finding(
                FindingKind::NeverUsed,
                format!(
                    "never used, and created more than {} days ago",
                    windows.unused_for_days
                ),
            )),
            None => {}
            Some(used) if used < window_start => found.push(finding(
                FindingKind::Unused,
                format!(
                    "last used on {} (more than {} days ago)",
                    short_time(used),
                    windows.unused_for_days
                ),
            )),
            Some(_) => {}
        }
    }
    found.extend(filter_findings(tokens, filters));
    found
}

/// The filters' findings, by id: orphans and duplicates.
fn filter_findings(tokens: &[SharedToken], filters: &[QueryFilter]) -> Vec<Finding> {
    let mut found = Vec::new();
    let mut sorted: Vec<&QueryFilter> = filters.iter().collect();
    sorted.sort_by_key(|filter| filter.id);
    for filter in sorted {
        let used = crate::resources::tokens_restricted_by(tokens, filter.id).next();
        if used.is_none() {
            found.push(Finding {
                kind: FindingKind::OrphanFilter,
                subject: "filter",
                id: filter.id,
                name: {
                    let (field, value) = filter_text(filter);
                    filter_label(field, value)
                },
                detail: "attached to no token".to_owned(),
            });
        }
        let (field, value) = filter_text(filter);
        if let Some(kept) = matching::filter_matching(filters, field, value)
            && kept.id != filter.id
        {
            found.push(Finding {
                kind: FindingKind::DuplicateFilter,
                subject: "filter",
                id: filter.id,
                name: filter_label(field, value),
                detail: format!(
                    "same field and value as filter {}, which stands for both; move its tokens \
                     there, then delete this one",
                    kept.id
                ),
            });
        }
    }
    found
}

/// Runs `audit`: prints the findings; exit 6 when one matches `--fail-on`.
pub async fn run(client: &Client, args: &AuditArgs, printer: &Printer) -> Result<(), CliError> {
    let (tokens_api, filters_api) = (client.tokens(), client.filters());
    let (tokens, filters) = tokio::try_join!(tokens_api.list(), filters_api.list())
        .map_err(|error| CliError::api("audit", &error))?;
    let windows = AuditWindows {
        expiring_within_days: args.expiring_within,
        unused_for_days: args.unused_for,
    };
    let found = findings(&tokens, &filters, Timestamp::now(), windows);
    print(&found, tokens.len(), filters.len(), printer)?;
    let failing = found
        .iter()
        .filter(|finding| {
            args.fail_on
                .iter()
                .any(|&kind| finding.kind.selected_by(kind))
        })
        .count();
    if failing > 0 {
        return Err(CliError::new(
            ExitStatus::Findings,
            format!("audit: {failing} finding(s) of the kinds given to --fail-on"),
        ));
    }
    Ok(())
}

/// Prints findings as a table or as `{"findings": [...], "summary": {...}}`.
pub fn print(
    found: &[Finding],
    tokens: usize,
    filters: usize,
    printer: &Printer,
) -> Result<(), CliError> {
    if printer.json() {
        let items: Vec<Value> = found
            .iter()
            .map(|finding| {
                json!({
                    "kind": finding.kind.name(),
                    "subject": finding.subject,
                    "id": finding.id,
                    "name": finding.name,
                    "detail": finding.detail,
                })
            })
            .collect();
        return printer.json_value(&json!({
            "findings": items,
            "summary": { "tokens": tokens, "filters": filters, "findings": found.len() },
        }));
    }
    if found.is_empty() {
        return printer.line(format!(
            "No findings ({tokens} tokens, {filters} filters checked)."
        ));
    }
    let mut table = new_table(&["KIND", "SUBJECT", "ID", "NAME", "DETAIL"]);
    for finding in found {
        table.add_row(vec![
            finding.kind.name(),
            finding.subject.to_owned(),
            finding.id.to_string(),
            finding.name.clone(),
            finding.detail.clone(),
        ]);
    }
    printer.line(table.to_string())?;
    printer.line(format!(
        "{} finding(s) in {tokens} tokens and {filters} filters.",
        found.len()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::FailOn;

    const NOW_MS: i64 = 1_800_000_000_000;
    const DAY_MS: i64 = 24 * 3600 * 1000;

    fn token(
        id: i32,
        filters: Option<Vec<i32>>,
        expires: Option<i64>,
        used: Option<i64>,
    ) -> SharedToken {
        serde_json::from_value(json!({
            "id": id, "name": format!("t{id}"), "filters": filters,
            "expirationDate": expires, "lastUsed": used,
        }))
        .unwrap()
    }

    fn filter(id: i32) -> QueryFilter {
        serde_json::from_value(json!({"id": id, "field": "type", "value": format!("v{id}")}))
            .unwrap()
    }

    #[test]
    fn duplicates_are_the_filters_after_the_lowest_id() {
        let now = Timestamp::from_millisecond(NOW_MS).unwrap();
        let windows = AuditWindows {
            expiring_within_days: 3,
            unused_for_days: 30,
        };
        let same = |id: i32| -> QueryFilter {
            serde_json::from_value(json!({"id": id, "field": "env", "value": "prod"})).unwrap()
        };
        let tokens = [token(1, Some(vec![7, 3, 5]), None, Some(NOW_MS))];
        let found = findings(
            &tokens,
            &[same(7), same(3), same(5), filter(4)],
            now,
            windows,
        );
        assert!(kinds(&found, 3, "filter").is_empty(), "{found:?}");
        assert_eq!(kinds(&found, 5, "filter"), ["duplicate-filter"]);
        assert_eq!(kinds(&found, 7, "filter"), ["duplicate-filter"]);
        assert_eq!(kinds(&found, 4, "filter"), ["orphan-filter"]);
    }

    #[test]
    fn never_used_waits_until_the_token_is_older_than_the_window() {
        let now = Timestamp::from_millisecond(NOW_MS).unwrap();
        let windows = AuditWindows {
            expiring_within_days: 0,
            unused_for_days: 5,
        };
        let lifetime = 7 * DAY_MS;
        let tokens = [
            // created just now (expires in the default lifetime): not yet
            token(1, Some(vec![]), Some(NOW_MS + lifetime), None),
            // created exactly 5 days ago: not yet
            token(2, Some(vec![]), Some(NOW_MS - 5 * DAY_MS + lifetime), None),
            // created 5 days and a moment ago: never used
            token(
                3,
                Some(vec![]),
                Some(NOW_MS - 5 * DAY_MS - 1 + lifetime),
                None,
            ),
            // a legacy token (never expires): created before August 2024
            token(4, Some(vec![]), None, None),
        ];
        let found = findings(&tokens, &[], now, windows);
        assert_eq!(kinds(&found, 1, "token"), ["no-filters"]);
        assert_eq!(kinds(&found, 2, "token"), ["no-filters"]);
        assert_eq!(kinds(&found, 3, "token"), ["no-filters", "never-used"]);
        assert_eq!(kinds(&found, 4, "token"), ["no-filters", "never-used"]);
    }

    fn kinds(found: &[Finding], id: i32, subject: &str) -> Vec<String> {
        found
            .iter()
            .filter(|f| f.id == id && f.subject == subject)
            .map(|f| f.kind.name())
            .collect()
    }

    #[test]
    fn each_check_fires_on_its_case_only() {
        let now = Timestamp::from_millisecond(NOW_MS).unwrap();
        let windows = AuditWindows {
            expiring_within_days: 3,
            unused_for_days: 30,
        };
        let tokens = [
            // healthy: filtered, expires in 10 days, used yesterday
            token(
                1,
                Some(vec![10]),
                Some(NOW_MS + 10 * DAY_MS),
                Some(NOW_MS - DAY_MS),
            ),
            // no filters, expired 30 days ago (so created 37 days ago), never used
            token(2, None, Some(NOW_MS - 30 * DAY_MS), None),
            // expiring in 2 days, unused for 31 days
            token(
                3,
                Some(vec![10]),
                Some(NOW_MS + 2 * DAY_MS),
                Some(NOW_MS - 31 * DAY_MS),
            ),
            // never expires, empty filter list, used 29 days ago
            token(4, Some(vec![]), None, Some(NOW_MS - 29 * DAY_MS)),
        ];
        let found = findings(&tokens, &[filter(10), filter(11)], now, windows);
        assert!(kinds(&found, 1, "token").is_empty(), "{found:?}");
        assert_eq!(
            kinds(&found, 2, "token"),
            ["no-filters", "expired", "never-used"]
        );
        assert_eq!(kinds(&found, 3, "token"), ["expiring", "unused"]);
        assert_eq!(kinds(&found, 4, "token"), ["no-filters"]);
        assert!(kinds(&found, 10, "filter").is_empty());
        assert_eq!(kinds(&found, 11, "filter"), ["orphan-filter"]);
    }

    #[test]
    fn each_window_includes_its_edge_and_no_more() {
        let now = Timestamp::from_millisecond(NOW_MS).unwrap();
        let windows = AuditWindows {
            expiring_within_days: 3,
            unused_for_days: 30,
        };
        let tokens = [
            // expires exactly now: expired; used exactly 30 days ago: not yet unused
            token(1, Some(vec![]), Some(NOW_MS), Some(NOW_MS - 30 * DAY_MS)),
            // expires exactly at the window's end: expiring; used a moment past 30 days
            token(
                2,
                Some(vec![]),
                Some(NOW_MS + 3 * DAY_MS),
                Some(NOW_MS - 30 * DAY_MS - 1),
            ),
            // expires a moment after the window: nothing
            token(3, Some(vec![]), Some(NOW_MS + 3 * DAY_MS + 1), Some(NOW_MS)),
        ];
        let found = findings(&tokens, &[], now, windows);
        assert_eq!(kinds(&found, 1, "token"), ["no-filters", "expired"]);
        assert_eq!(
            kinds(&found, 2, "token"),
            ["no-filters", "expiring", "unused"]
        );
        assert_eq!(kinds(&found, 3, "token"), ["no-filters"]);
    }

    #[test]
    fn fail_on_selects_kinds() {
        assert!(FindingKind::Expired.selected_by(FailOn::Any));
        assert!(FindingKind::Expired.selected_by(FailOn::Kind(FindingKind::Expired)));
        assert!(!FindingKind::Expired.selected_by(FailOn::Kind(FindingKind::Expiring)));
        assert!(FindingKind::OrphanFilter.selected_by(FailOn::Kind(FindingKind::OrphanFilter)));
        assert_eq!(FindingKind::NeverUsed.name(), "never-used");
    }
}
