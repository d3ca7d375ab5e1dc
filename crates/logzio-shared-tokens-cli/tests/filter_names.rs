//! Filters by `field=value` through the binary against the in-process
//! emulator: naming them on the command line, seeing them in tables and
//! plans, `filters create` of an existing pair, duplicate filters in
//! `audit`, and errors that say the rule and the next command.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use predicates::prelude::*;
use serde_json::{Value, json};
use support::Api;

fn id_of(value: &Value) -> String {
    value["id"].as_i64().unwrap().to_string()
}

#[test]
fn filters_are_named_by_field_and_value_on_the_command_line() {
    let api = Api::start();
    let prod = api.filter("env", "prod");
    let nginx = api.filter("type", "nginx");

    let token = api.json(&["tokens", "create", "dash", "--filter", "env=prod"]);
    assert_eq!(token["filters"], json!([prod]));
    let id = id_of(&token);

    // Ids and pairs mix; a pair names every filter with it when removing.
    let twin = api.json(&["filters", "create", "env", "prod", "--allow-duplicate"]);
    let twin = twin["id"].as_i64().unwrap();
    api.json(&["tokens", "update", &id, "--add-filter", &twin.to_string()]);
    let updated = api.json(&[
        "tokens",
        "update",
        &id,
        "--add-filter",
        "type=nginx",
        "--remove-filter",
        "env=prod",
    ]);
    assert_eq!(updated["filters"], json!([nginx]));
    // With duplicates, a pair stands for the lowest id (the facade's rule).
    assert_eq!(api.json(&["filters", "get", "env=prod"])["id"], prod);

    // A pair no filter has is refused, not created; the error says how to create it.
    api.fails(
        &["tokens", "create", "other", "--filter", "env=staging"],
        3,
        &[
            "no filter env=staging in the account",
            "logzio-shared-tokens filters create env staging",
        ],
    );
    api.fails(
        &["tokens", "update", &id, "--filter", "env=two words"],
        3,
        &[
            "no filter env=two words",
            "cannot be created through the API",
        ],
    );
    api.fails(
        &["tokens", "create", "other", "--filter", "prod"],
        2,
        &["FIELD=VALUE"],
    );
    assert_eq!(api.token_ids().len(), 1);
    assert_eq!(api.json(&["filters", "list"]).as_array().unwrap().len(), 3);
}

#[test]
fn tables_and_plans_name_filters_and_plans_show_only_changes() {
    let api = Api::start();
    let prod = api.filter("env", "prod");
    let token = api.token("dash", &[prod]);

    let table = api.cli().args(["tokens", "list"]).output().unwrap();
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(table.contains("env=prod"), "{table}");

    // The file keeps the token's operator and adds a filter: the plan says
    // only that, by field and value.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("desired.toml");
    std::fs::write(
        &file,
        "[filters.prod]\nfield = \"env\"\nvalue = \"prod\"\n\
         [filters.nginx]\nfield = \"type\"\nvalue = \"nginx\"\n\
         [tokens.dash]\nfilters = [\"prod\", \"nginx\"]\n",
    )
    .unwrap();
    let plan = api
        .cli()
        .args(["apply", file.to_str().unwrap(), "--dry-run"])
        .output()
        .unwrap();
    let plan = String::from_utf8(plan.stdout).unwrap();
    let expected = format!(
        "  + filter type=nginx\n  ~ token \"dash\" (id {}): filters + type=nginx (new)\n",
        id_of(&token)
    );
    assert!(plan.contains(&expected), "{plan}");
    assert!(!plan.contains("operator"), "{plan}");
}

#[test]
fn creating_an_existing_filter_shows_it_unless_a_duplicate_is_asked_for() {
    let api = Api::start();
    let prod = api.filter("env", "prod");
    api.cli()
        .args(["filters", "create", "env", "prod"])
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "note: A filter env=prod exists already (id {prod}); nothing was created"
        )));
    assert_eq!(api.json(&["filters", "create", "env", "prod"])["id"], prod);
    api.cli()
        .args(["filters", "create", "env", "prod", "--quiet"])
        .assert()
        .success()
        .stderr(predicate::str::is_empty());
    assert_eq!(api.json(&["filters", "list"]).as_array().unwrap().len(), 1);
    let second = api.json(&["filters", "create", "env", "prod", "--allow-duplicate"]);
    assert_ne!(second["id"], prod);
    assert_eq!(api.json(&["filters", "list"]).as_array().unwrap().len(), 2);
}

#[test]
fn audit_flags_duplicate_filters_and_waits_before_never_used() {
    let api = Api::start();
    let prod = api.filter("env", "prod");
    let token = api.token("fresh", &[prod]);

    // Created seconds ago: not yet never-used, and one filter is no duplicate.
    api.cli()
        .args(["audit", "--fail-on", "never-used,duplicate-filter"])
        .assert()
        .success();

    let twin = api.json(&["filters", "create", "env", "prod", "--allow-duplicate"]);
    api.cli()
        .args(["audit", "--fail-on", "duplicate-filter"])
        .assert()
        .code(6)
        .stdout(predicate::str::contains("duplicate-filter"));
    let found = api.json(&["audit"]);
    let duplicate = found["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|finding| finding["kind"] == "duplicate-filter")
        .unwrap();
    assert_eq!(duplicate["id"], twin["id"]);
    assert_eq!(duplicate["name"], "env=prod");

    // Created (as its expiry tells) 31 days ago and never used.
    let day_ms = 24 * 3600 * 1000;
    let created = api.control().now_millis() - 31 * day_ms;
    let id = i32::try_from(token["id"].as_i64().unwrap()).unwrap();
    api.control()
        .set_expiration(&api.token, id, Some(created + 7 * day_ms))
        .unwrap();
    api.cli()
        .args(["audit", "--fail-on", "never-used"])
        .assert()
        .code(6);
    api.cli()
        .args(["audit", "--unused-for", "40", "--fail-on", "never-used"])
        .assert()
        .success();
}

#[test]
fn errors_say_the_rule_the_command_and_keep_the_file_snippet() {
    let api = Api::start();
    let refused = api.fails(
        &["filters", "create", "env", "two words"],
        2,
        &[
            "' ' at character 4",
            "letters (a-z, A-Z), digits and",
            "Logz.io's UI",
        ],
    );
    refused.stderr(predicate::str::contains("pattern").not());

    let prod = api.filter("env", "prod");
    let token = api.token("dash", &[prod]);
    api.fails(
        &["filters", "delete", &prod.to_string(), "--yes"],
        1,
        &[
            "attached to token(s)",
            &format!(
                "logzio-shared-tokens tokens update {} --remove-filter {prod}",
                id_of(&token)
            ),
        ],
    )
    .stderr(predicate::str::contains("updateToken").not());

    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("bad.toml");
    std::fs::write(&toml, "[tokens.a]\nfilter = [\"x\"]\n").unwrap();
    api.fails(
        &["apply", toml.to_str().unwrap(), "--dry-run"],
        2,
        &["\n2 | filter = [\"x\"]\n  | ^^^^^^\n"],
    );
    let yaml = dir.path().join("bad.yaml");
    std::fs::write(&yaml, "tokens:\n  a:\n    filters: [x]\n").unwrap();
    api.fails(
        &["apply", yaml.to_str().unwrap(), "--dry-run"],
        2,
        &["tokens.a uses filter \"x\", which the filters: mapping does not define"],
    )
    .stderr(predicate::str::contains("[filters]").not());
}

#[test]
fn filters_delete_takes_a_pair_that_names_one_filter() {
    let api = Api::start();
    let staging = api.filter("env", "staging");
    let prod = api.filter("env", "prod");
    let twin = api.json(&["filters", "create", "env", "prod", "--allow-duplicate"]);

    // A pair several filters share names no one filter: exit 2, with their ids, nothing deleted.
    api.fails(
        &["filters", "delete", "env=prod", "--yes"],
        2,
        &[
            "2 filters have env=prod",
            &format!("ids {prod}, {}", id_of(&twin)),
        ],
    );
    api.fails(
        &["filters", "delete", "env=nope", "--yes"],
        3,
        &["no filter env=nope"],
    );
    let deleted = api.json(&["filters", "delete", "env=staging", "--yes"]);
    assert_eq!(deleted["deleted"]["id"], staging);
    let left: Vec<Value> = api.json(&["filters", "list"]).as_array().unwrap().clone();
    assert_eq!(left.len(), 2, "{left:?}");
}

#[test]
fn filters_made_in_the_ui_are_named_by_their_exact_text() {
    let api = Api::start();
    let ui_filter = |field: &str, value: &str| {
        let control = api.control();
        i64::from(
            control
                .add_foreign_filter(&api.token, field, value, None)
                .unwrap(),
        )
    };
    // Values the API would refuse to create, but Logz.io's UI can make.
    let spaced = ui_filter("env", "two words");
    let with_comma = ui_filter("msg", "a,b");
    let with_equals = ui_filter("msg", "a=b");

    let token = api.json(&["tokens", "create", "ui", "--filter", "env=two words"]);
    assert_eq!(token["filters"], json!([spaced]));
    let id = id_of(&token);
    // A comma belongs to the value: one filter, not `msg=a` and a filter `b`.
    let updated = api.json(&[
        "tokens",
        "update",
        &id,
        "--add-filter",
        "msg=a,b",
        "--add-filter",
        "msg=a=b",
    ]);
    assert_eq!(updated["filters"], json!([spaced, with_comma, with_equals]));
    let removed = api.json(&["tokens", "update", &id, "--remove-filter", "msg=a,b"]);
    assert_eq!(removed["filters"], json!([spaced, with_equals]));
    assert_eq!(api.json(&["filters", "get", "msg=a=b"])["id"], with_equals);

    api.json(&["tokens", "delete", &id, "--yes"]);
    api.cli()
        .args(["filters", "delete", "msg=a,b", "--yes"])
        .assert()
        .success();
    let left: Vec<i64> = api
        .json(&["filters", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|filter| filter["id"].as_i64().unwrap())
        .collect();
    assert_eq!(left, [spaced, with_equals]);
}
