//! The round-trip property: for an account built by any sequence of
//! operations (duplicate filters, tokens sharing a name, awkward names,
//! deletions, refused deletions), `export` then `apply --dry-run` plans no
//! changes, in TOML and in YAML, and the export holds no token value.
//!
//! Bounded: 24 cases of at most 14 operations, each on a fresh in-process
//! emulator on 127.0.0.1 (operations through the facade, export and apply
//! through the binary).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeSet;

use logzio_shared_tokens::{Client, FiltersOperator};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::Value;
use support::Api;

/// Field and value pools: small, so that duplicates happen; every character
/// the API allows in them, `.` (significant in TOML keys) included.
const FIELDS: &[&str] = &["type", "kubernetes.namespace", "user@host", "a-b_c", "env"];
const VALUES: &[&str] = &["nginx", "prod", "1.2.3", "x-y@z_w", "."];

/// Names that mean something else unquoted in TOML or YAML.
const AWKWARD_NAMES: &[&str] = &[
    "null",
    "~",
    "true",
    "no",
    "1.5",
    "-",
    "[a]",
    "a.b",
    "x = y",
    "# not a comment",
    "'",
    "\"",
    " ",
    "key: value",
    "{}",
    "Zürich",
    "東京",
    "🙂",
];

/// Characters random names are made of.
const NAME_CHARS: &[char] = &[
    'a', 'Z', '0', ' ', '"', '\'', '\\', '.', '=', '[', ']', '#', ':', '-', '{', '}', ',', '&',
    '*', '!', '?', '|', '>', '@', '`', '%', 'é', 'ß', '日', '🙂', '\t', '\n', '\u{2028}',
];

#[derive(Clone, Debug)]
enum Operation {
    CreateFilter {
        field: Index,
        value: Index,
        description: Option<String>,
    },
    CreateToken {
        name: String,
        filters: Vec<Index>,
        and: bool,
    },
    UpdateToken {
        token: Index,
        filters: Vec<Index>,
        and: bool,
    },
    DeleteToken {
        token: Index,
    },
    /// Refused by the API while a token uses the filter: that is part of the test.
    DeleteFilter {
        filter: Index,
    },
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(AWKWARD_NAMES).prop_map(str::to_owned),
        prop::collection::vec(prop::sample::select(NAME_CHARS), 1..10)
            .prop_map(|chars| chars.into_iter().collect()),
        // Few distinct plain names, so that tokens share them.
        prop::sample::select(&["ops", "support"][..]).prop_map(str::to_owned),
    ]
}

fn operation() -> impl Strategy<Value = Operation> {
    let picks = || prop::collection::vec(any::<Index>(), 0..3);
    prop_oneof![
        3 => (any::<Index>(), any::<Index>(), prop::option::of(name())).prop_map(
            |(field, value, description)| Operation::CreateFilter { field, value, description }
        ),
        4 => (name(), picks(), any::<bool>())
            .prop_map(|(name, filters, and)| Operation::CreateToken { name, filters, and }),
        2 => (any::<Index>(), picks(), any::<bool>())
            .prop_map(|(token, filters, and)| Operation::UpdateToken { token, filters, and }),
        1 => any::<Index>().prop_map(|token| Operation::DeleteToken { token }),
        1 => any::<Index>().prop_map(|filter| Operation::DeleteFilter { filter }),
    ]
}

/// Runs the operations; returns every token value handed out.
fn build_account(api: &Api, operations: &[Operation]) -> Vec<String> {
    let client = api.client();
    let mut values = Vec::new();
    api.block_on(async {
        for operation in operations {
            if let Some(value) = run_operation(&client, operation).await {
                values.push(value);
            }
        }
    });
    values
}

/// The ids of the account's filters and tokens, as the API lists them.
async fn current_ids(client: &Client) -> (Vec<i32>, Vec<i32>) {
    let filters = client.filters().list().await.unwrap();
    let tokens = client.tokens().list().await.unwrap();
    (
        filters.iter().map(|filter| filter.id).collect(),
        tokens.iter().map(|token| token.id).collect(),
    )
}

/// The filter ids `picks` point at among `filters`, each once, in ascending order.
fn picked_filters(picks: &[Index], filters: &[i32]) -> Vec<i32> {
    let ids: BTreeSet<i32> = picks
        .iter()
        .filter(|_| !filters.is_empty())
        .map(|index| *index.get(filters))
        .collect();
    ids.into_iter().collect()
}

fn operator(and: bool) -> FiltersOperator {
    if and {
        FiltersOperator::And
    } else {
        FiltersOperator::Or
    }
}

/// Runs one operation through the facade, on ids the account holds now; returns the
/// token value a create hands out.
async fn run_operation(client: &Client, operation: &Operation) -> Option<String> {
    let (filters, tokens) = current_ids(client).await;
    match operation {
        Operation::CreateFilter {
            field,
            value,
            description,
        } => {
            let mut create = client
                .filters()
                .create(*field.get(FIELDS), *value.get(VALUES));
            if let Some(description) = description {
                create = create.description(description);
            }
            create.await.unwrap();
        }
        Operation::CreateToken {
            name,
            filters: picks,
            and,
        } => {
            let token = client
                .tokens()
                .create(name.as_str())
                .filters(picked_filters(picks, &filters))
                .operator(operator(*and))
                .await
                .unwrap();
            return Some(token.token.as_ref().unwrap().expose_secret().to_owned());
        }
        Operation::UpdateToken {
            token,
            filters: picks,
            and,
        } if !tokens.is_empty() => {
            client
                .tokens()
                .update(*token.get(&tokens), picked_filters(picks, &filters))
                .operator(operator(*and))
                .await
                .unwrap();
        }
        Operation::DeleteToken { token } if !tokens.is_empty() => {
            client.tokens().delete(*token.get(&tokens)).await.unwrap();
        }
        Operation::DeleteFilter { filter } if !filters.is_empty() => {
            // Refused when a token uses it; either outcome is a valid account.
            let _ = client.filters().delete(*filter.get(&filters)).await;
        }
        _ => {}
    }
    None
}

/// Tokens `apply` does not manage: all but the lowest id of each name.
fn second_of_a_name(api: &Api) -> usize {
    let client = api.client();
    let tokens = api.block_on(client.tokens().list()).unwrap();
    let names: BTreeSet<String> = tokens
        .iter()
        .map(|token| token.name.clone().unwrap_or_default())
        .collect();
    tokens.len() - names.len()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 24,
        max_shrink_iters: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn export_then_apply_plans_no_changes(
        operations in prop::collection::vec(operation(), 0..14),
        yaml in any::<bool>(),
    ) {
        let api = Api::start();
        let values = build_account(&api, &operations);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(if yaml { "account.yaml" } else { "account.toml" });

        let export = api.cli().arg("export").arg("--output").arg(&file).output().unwrap();
        prop_assert!(
            export.status.success(),
            "export failed: {}",
            String::from_utf8_lossy(&export.stderr)
        );
        let text = std::fs::read_to_string(&file).unwrap();
        for value in &values {
            prop_assert!(!text.contains(value.as_str()), "a token value in:\n{}", text);
        }

        let apply = api
            .cli()
            .args(["--json", "apply"])
            .arg(&file)
            .args(["--dry-run", "--detailed-exitcode"])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&apply.stdout);
        prop_assert_eq!(
            apply.status.code(),
            Some(0),
            "plan not empty for:\n{}\nplan: {}\nstderr: {}",
            text,
            stdout,
            String::from_utf8_lossy(&apply.stderr)
        );
        let plan: Value = serde_json::from_str(&stdout).unwrap();
        prop_assert_eq!(plan["changes"].as_array().map(Vec::len), Some(0));
        // Every filter and every first token of a name is in the file.
        prop_assert_eq!(plan["unmanaged"].as_u64(), Some(second_of_a_name(&api) as u64));
    }
}
