//! The difference between an `apply` file and the account: which filters
//! and tokens to create, update and delete, in the order they must run.
//!
//! A pure function of the file and the two lists, so re-running an applied
//! file provably plans nothing. Filters are matched by `field` and `value`,
//! tokens by name ([`super::matching`] holds both rules). It must never carry
//! a token value.

use std::collections::{BTreeMap, BTreeSet};

use logzio_shared_tokens::{
    FiltersOperator, OpenEnum, QueryFilter, SharedToken, SharedTokenExt, matching,
};
use serde_json::{Value, json};

use super::file::DesiredState;
use super::matching::{canonical_filter, filter_label, managed_token};
use crate::output::FilterNames;

/// A filter reference in a planned token: an existing id, or a filter this
/// plan creates (by its name in the file). Each carries its `field=value`,
/// the one name plans show for a filter.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FilterRef {
    /// Already in the account.
    Existing {
        /// Its id.
        id: i32,
        /// `field=value`.
        label: String,
    },
    /// Created earlier in the same plan.
    New {
        /// Its name in the file.
        key: String,
        /// `field=value`.
        label: String,
    },
}

impl std::fmt::Display for FilterRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Existing { label, .. } => f.write_str(label),
            Self::New { label, .. } => write!(f, "{label} (new)"),
        }
    }
}

/// One change, in execution order within [`Plan::changes`].
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// Create a filter named `key` in the file.
    CreateFilter {
        /// The filter's name in the file.
        key: String,
        /// Its field.
        field: String,
        /// Its value.
        value: String,
        /// Its description.
        description: Option<String>,
    },
    /// Create a token.
    CreateToken {
        /// Its name.
        name: String,
        /// Its filters.
        filters: Vec<FilterRef>,
        /// Its operator.
        operator: FiltersOperator,
    },
    /// Replace a token's filters and operator.
    UpdateToken {
        /// The token's id.
        id: i32,
        /// Its name.
        name: String,
        /// The filters it has now (duplicates of a file's filter as that filter).
        from_filters: Vec<FilterRef>,
        /// The filters it will have.
        filters: Vec<FilterRef>,
        /// The operator it has now.
        from_operator: OpenEnum<FiltersOperator>,
        /// The operator it will have.
        operator: FiltersOperator,
    },
    /// Delete a token the file does not name (`--prune`).
    DeleteToken {
        /// The token's id.
        id: i32,
        /// Its name.
        name: String,
    },
    /// Delete a filter the file does not name (`--prune`).
    DeleteFilter {
        /// The filter's id.
        id: i32,
        /// `field=value`.
        label: String,
    },
}

impl Change {
    /// One line for the plan, naming filters by `field=value`; an update
    /// shows only what changes: `~ token "ops" (id 4): filters + env=prod`.
    pub fn describe(&self) -> String {
        let list = |refs: &[FilterRef]| {
            let names: Vec<String> = refs.iter().map(ToString::to_string).collect();
            format!("[{}]", names.join(", "))
        };
        match self {
            Self::CreateFilter { field, value, .. } => {
                format!("+ filter {}", filter_label(field, value))
            }
            Self::CreateToken {
                name,
                filters,
                operator,
            } => format!(
                "+ token {name:?} filters {} operator {operator}",
                list(filters)
            ),
            Self::UpdateToken {
                id,
                name,
                from_filters,
                filters,
                from_operator,
                operator,
            } => {
                let mut parts = Vec::new();
                let added = filters.iter().filter(|f| !from_filters.contains(f));
                let removed = from_filters.iter().filter(|f| !filters.contains(f));
                let edits: Vec<String> = added
                    .map(|f| format!("+ {f}"))
                    .chain(removed.map(|f| format!("- {f}")))
                    .collect();
                if !edits.is_empty() {
                    parts.push(format!("filters {}", edits.join(", ")));
                }
                if *from_operator != OpenEnum::Known(*operator) {
                    parts.push(format!("operator {from_operator} -> {operator}"));
                }
                format!("~ token {name:?} (id {id}): {}", parts.join("; "))
            }
            Self::DeleteToken { id, name } => format!("- token {name:?} (id {id})"),
            Self::DeleteFilter { id, label } => format!("- filter {label} (id {id})"),
        }
    }

    /// The documented JSON form of a change.
    pub fn to_json(&self) -> Value {
        let refs = |refs: &[FilterRef]| -> Vec<Value> {
            refs.iter()
                .map(|r| match r {
                    FilterRef::Existing { id, .. } => json!(id),
                    FilterRef::New { key, .. } => json!(key),
                })
                .collect()
        };
        match self {
            Self::CreateFilter {
                key,
                field,
                value,
                description,
            } => json!({"action": "create", "kind": "filter", "name": key,
                "field": field, "value": value, "description": description}),
            Self::CreateToken {
                name,
                filters,
                operator,
            } => json!({"action": "create", "kind": "token", "name": name,
                "filters": refs(filters), "filtersOperator": operator.to_string()}),
            Self::UpdateToken {
                id,
                name,
                filters,
                operator,
                ..
            } => json!({"action": "update", "kind": "token", "id": id, "name": name,
                "filters": refs(filters), "filtersOperator": operator.to_string()}),
            Self::DeleteToken { id, name } => {
                json!({"action": "delete", "kind": "token", "id": id, "name": name})
            }
            Self::DeleteFilter { id, label } => {
                json!({"action": "delete", "kind": "filter", "id": id, "name": label})
            }
        }
    }
}

/// The changes, in the order they run: create filters, create and update
/// tokens, delete tokens, delete filters (so no token ever points at a
/// deleted filter).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    /// The changes.
    pub changes: Vec<Change>,
    /// Tokens and filters the file does not name, left alone without
    /// `--prune`: what `--prune` would delete.
    pub unmanaged: Vec<Change>,
}

/// Computes the plan.
pub fn plan(
    desired: &DesiredState,
    tokens: &[SharedToken],
    filters: &[QueryFilter],
    prune: bool,
) -> Result<Plan, String> {
    let mut changes = Vec::new();
    let filter_plan = plan_filters(desired, filters, &mut changes);
    let kept_tokens = plan_tokens(desired, tokens, &filter_plan, &mut changes)?;
    let (deletions, unmanaged) = not_in_file(tokens, filters, &kept_tokens, &filter_plan, prune);
    changes.extend(deletions);
    Ok(Plan { changes, unmanaged })
}

/// The file's filters as the tokens will reference them.
struct FilterPlan<'a> {
    /// File name -> reference.
    refs: BTreeMap<&'a str, FilterRef>,
    /// Every account filter with a file filter's field and value -> the
    /// reference that stands for it (kept, and equal to it when a token
    /// uses it); the lowest id stands for them all.
    same_as: BTreeMap<i32, FilterRef>,
    /// How the account's other filters are named.
    names: FilterNames,
}

impl FilterPlan<'_> {
    /// What filter `id` of a token is to the plan: the file's filter it
    /// duplicates, or itself.
    fn reference(&self, id: i32) -> FilterRef {
        self.same_as
            .get(&id)
            .cloned()
            .unwrap_or_else(|| FilterRef::Existing {
                id,
                label: self.names.name(id),
            })
    }
}

/// Creates the file's filters the account lacks; maps the others.
fn plan_filters<'a>(
    desired: &'a DesiredState,
    filters: &[QueryFilter],
    changes: &mut Vec<Change>,
) -> FilterPlan<'a> {
    let mut plan = FilterPlan {
        refs: BTreeMap::new(),
        same_as: BTreeMap::new(),
        names: FilterNames::new(filters),
    };
    for (key, wanted) in &desired.filters {
        let label = filter_label(&wanted.field, &wanted.value);
        match canonical_filter(filters, &wanted.field, &wanted.value) {
            Some(id) => {
                let reference = FilterRef::Existing { id, label };
                for filter in matching::filters_matching(filters, &wanted.field, &wanted.value) {
                    plan.same_as.insert(filter.id, reference.clone());
                }
                plan.refs.insert(key, reference);
            }
            None => {
                changes.push(Change::CreateFilter {
                    key: key.clone(),
                    field: wanted.field.clone(),
                    value: wanted.value.clone(),
                    description: wanted.description.clone(),
                });
                let reference = FilterRef::New {
                    key: key.clone(),
                    label,
                };
                plan.refs.insert(key, reference);
            }
        }
    }
    plan
}

/// Creates or updates the file's tokens, matched by name; returns the ids
/// of the account's tokens the file manages.
fn plan_tokens(
    desired: &DesiredState,
    tokens: &[SharedToken],
    filter_plan: &FilterPlan<'_>,
    changes: &mut Vec<Change>,
) -> Result<BTreeSet<i32>, String> {
    let mut kept_tokens = BTreeSet::new();
    for (name, wanted) in &desired.tokens {
        let operator = wanted.operator()?;
        let mut wanted_refs: Vec<FilterRef> = Vec::new();
        for filter in &wanted.filters {
            let reference = filter_plan
                .refs
                .get(filter.as_str())
                .ok_or_else(|| format!("token {name:?} uses undefined filter {filter:?}"))?;
            if !wanted_refs.contains(reference) {
                wanted_refs.push(reference.clone());
            }
        }
        let Some(token) = managed_token(tokens, name) else {
            changes.push(Change::CreateToken {
                name: name.clone(),
                filters: wanted_refs,
                operator,
            });
            continue;
        };
        kept_tokens.insert(token.id);
        let mut from_filters: Vec<FilterRef> = Vec::new();
        for id in token.filter_ids() {
            let reference = filter_plan.reference(*id);
            if !from_filters.contains(&reference) {
                from_filters.push(reference);
            }
        }
        let current: BTreeSet<&FilterRef> = from_filters.iter().collect();
        let target: BTreeSet<&FilterRef> = wanted_refs.iter().collect();
        if current != target || token.operator() != operator {
            changes.push(Change::UpdateToken {
                id: token.id,
                name: name.clone(),
                from_filters,
                filters: wanted_refs,
                from_operator: token.operator(),
                operator,
            });
        }
    }
    Ok(kept_tokens)
}

/// The account's tokens and filters the file does not name (tokens first,
/// by id): deletions with `prune`, else what `--prune` would delete.
fn not_in_file(
    tokens: &[SharedToken],
    filters: &[QueryFilter],
    kept_tokens: &BTreeSet<i32>,
    filter_plan: &FilterPlan<'_>,
    prune: bool,
) -> (Vec<Change>, Vec<Change>) {
    let mut sorted_tokens: Vec<&SharedToken> = tokens.iter().collect();
    sorted_tokens.sort_by_key(|t| t.id);
    let token_deletions = sorted_tokens
        .into_iter()
        .filter(|token| !kept_tokens.contains(&token.id))
        .map(|token| Change::DeleteToken {
            id: token.id,
            name: token.name.clone().unwrap_or_default(),
        });
    let mut sorted_filters: Vec<&QueryFilter> = filters.iter().collect();
    sorted_filters.sort_by_key(|f| f.id);
    let filter_deletions = sorted_filters
        .into_iter()
        .filter(|filter| !filter_plan.same_as.contains_key(&filter.id))
        // The pair alone: `describe` adds the id, so a pair several filters share
        // is told apart without `FilterNames`' own `(id N)`.
        .map(|filter| Change::DeleteFilter {
            id: filter.id,
            label: filter_label(&filter.field, &filter.value),
        });
    let deletions: Vec<Change> = token_deletions.chain(filter_deletions).collect();
    match prune {
        true => (deletions, Vec::new()),
        false => (Vec::new(), deletions),
    }
}

#[cfg(test)]
mod tests {
    use super::super::file::parse_toml;
    use super::*;

    fn token(id: i32, name: &str, filters: Option<Vec<i32>>, operator: &str) -> SharedToken {
        serde_json::from_value(
            json!({"id": id, "name": name, "filters": filters, "filtersOperator": operator}),
        )
        .unwrap()
    }

    fn filter(id: i32, field: &str, value: &str) -> QueryFilter {
        serde_json::from_value(json!({"id": id, "field": field, "value": value})).unwrap()
    }

    const FILE: &str = r#"
[filters.nginx]
field = "type"
value = "nginx"
[filters.prod]
field = "env"
value = "prod"
[tokens.support]
filters = ["nginx", "prod"]
operator = "AND"
[tokens.ops]
filters = ["nginx"]
"#;

    #[test]
    fn empty_account_creates_everything_in_order() {
        let desired = parse_toml(FILE).unwrap();
        let plan = plan(&desired, &[], &[], true).unwrap();
        let lines: Vec<String> = plan.changes.iter().map(Change::describe).collect();
        assert_eq!(
            lines,
            [
                "+ filter type=nginx",
                "+ filter env=prod",
                "+ token \"ops\" filters [type=nginx (new)] operator OR",
                "+ token \"support\" filters [type=nginx (new), env=prod (new)] operator AND",
            ]
        );
    }

    #[test]
    fn matching_account_plans_nothing_and_differences_are_found() {
        let desired = parse_toml(FILE).unwrap();
        let filters = [
            filter(1, "type", "nginx"),
            filter(2, "env", "prod"),
            filter(3, "x", "y"),
        ];
        let tokens = [
            token(10, "support", Some(vec![2, 1]), "AND"),
            token(11, "ops", Some(vec![1]), "OR"),
            token(12, "stray", None, "OR"),
        ];
        let same = plan(&desired, &tokens, &filters, false).unwrap();
        assert!(same.changes.is_empty(), "{same:?}");
        let unmanaged: Vec<String> = same.unmanaged.iter().map(Change::describe).collect();
        assert_eq!(
            unmanaged,
            ["- token \"stray\" (id 12)", "- filter x=y (id 3)"]
        );

        let pruned = plan(&desired, &tokens, &filters, true).unwrap();
        let lines: Vec<String> = pruned.changes.iter().map(Change::describe).collect();
        assert_eq!(lines, ["- token \"stray\" (id 12)", "- filter x=y (id 3)"]);
        let shared_pair = [filters.as_slice(), &[filter(4, "x", "y")]].concat();
        let pruned = plan(&desired, &tokens, &shared_pair, true).unwrap();
        let lines: Vec<String> = pruned.changes.iter().map(Change::describe).collect();
        let deleted = ["- filter x=y (id 3)", "- filter x=y (id 4)"];
        assert_eq!(
            lines[1..],
            deleted,
            "a shared pair is named once, with each id"
        );
        assert_eq!(pruned.changes[1].to_json()["name"], "x=y");

        let drifted = [
            token(10, "support", Some(vec![1]), "AND"),
            token(11, "ops", Some(vec![1, 3]), "AND"),
        ];
        let fix = plan(&desired, &drifted, &filters, false).unwrap();
        let lines: Vec<String> = fix.changes.iter().map(Change::describe).collect();
        assert_eq!(
            lines,
            [
                "~ token \"ops\" (id 11): filters - x=y; operator AND -> OR",
                "~ token \"support\" (id 10): filters + env=prod",
            ]
        );
    }

    #[test]
    fn duplicate_filters_are_the_file_filter_and_are_never_pruned() {
        let desired = parse_toml(FILE).unwrap();
        let filters = [
            filter(1, "type", "nginx"),
            filter(2, "env", "prod"),
            filter(5, "type", "nginx"),
        ];
        let tokens = [
            token(10, "support", Some(vec![5, 2]), "AND"),
            token(11, "ops", Some(vec![1, 5]), "OR"),
        ];
        let same = plan(&desired, &tokens, &filters, true).unwrap();
        assert!(same.changes.is_empty(), "{same:?}");
        assert!(same.unmanaged.is_empty());
    }
}
