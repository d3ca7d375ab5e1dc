//! The commands that delete (`tokens delete`, `filters delete`, `rotate`)
//! through the binary against the in-process emulator: one confirmation
//! rule (asked on a terminal, `--yes` to skip, refused without either),
//! several ids per delete, tokens named by a unique name, and a rotation
//! that keeps the name so an `apply` file still matches.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use predicates::prelude::*;
use serde_json::{Value, json};
use support::Api;

/// Every JSON document on stdout (a delete prints one per deleted record).
fn documents(stdout: &[u8]) -> Vec<Value> {
    serde_json::Deserializer::from_slice(stdout)
        .into_iter::<Value>()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn id_of(token: &Value) -> String {
    token["id"].as_i64().unwrap().to_string()
}

#[test]
fn after_a_rotation_the_exported_file_still_matches_the_account() {
    let api = Api::start();
    let prod = api.filter("env", "prod");
    let dash = api.token("payments-dash", &[prod]);
    api.token("checkout-dash", &[]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shared-tokens.toml");
    let file = file.to_str().unwrap();
    api.cli()
        .args(["export", "--output", file])
        .assert()
        .success();

    let rotated = api.json(&["rotate", &id_of(&dash), "--yes"]);
    assert_eq!(rotated["oldDeleted"], true);
    assert_eq!(rotated["new"]["name"], "payments-dash");
    assert_ne!(rotated["new"]["id"], dash["id"]);
    api.cli()
        .args(["apply", file, "--prune", "--dry-run", "--detailed-exitcode"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("No changes"));

    // A new name is a change the file sees: the same check reports drift.
    let renamed = api.json(&[
        "rotate",
        &id_of(&rotated["new"]),
        "--name",
        "payments-2027",
        "--yes",
    ]);
    assert_eq!(renamed["new"]["name"], "payments-2027");
    api.cli()
        .args(["apply", file, "--prune", "--dry-run", "--detailed-exitcode"])
        .assert()
        .code(7)
        .stdout(predicate::str::contains("payments-dash"));
}

#[test]
fn without_a_terminal_a_delete_needs_yes_and_changes_nothing_without_it() {
    let api = Api::start();
    let prod = api.filter("env", "prod");
    let token = api.token("ci", &[]);
    let id = id_of(&token);
    let refusals: [&[&str]; 3] = [
        &["tokens", "delete", &id],
        &["filters", "delete", &prod.to_string()],
        &["rotate", &id],
    ];
    for args in refusals {
        api.fails(args, 2, &["--yes", "standard input is not a terminal"])
            .stdout("");
    }
    assert_eq!(api.token_ids(), [token["id"].as_i64().unwrap()]);
    assert_eq!(api.json(&["filters", "list"]).as_array().unwrap().len(), 1);

    // --keep-old deletes nothing, so it asks nothing.
    let kept = api.json(&["rotate", &id, "--keep-old"]);
    assert_eq!(kept["oldDeleted"], false);
    assert_eq!(api.token_ids().len(), 2);

    // -y is --yes.
    api.cli()
        .args(["filters", "delete", &prod.to_string(), "-y"])
        .assert()
        .success()
        .stdout(format!("Deleted filter {prod}.\n"));
}

#[test]
fn several_ids_are_deleted_by_one_command_and_a_missing_one_deletes_none() {
    let api = Api::start();
    let ids: Vec<String> = ["a", "b", "c"]
        .iter()
        .map(|name| id_of(&api.token(name, &[])))
        .collect();
    let filters: Vec<String> = ["one", "two"]
        .iter()
        .map(|value| api.filter("type", value).to_string())
        .collect();

    api.fails(
        &["tokens", "delete", &ids[0], "4242", "--yes"],
        3,
        &["4242"],
    );
    assert_eq!(api.token_ids().len(), 3, "nothing deleted");

    let output = api
        .cli()
        .args([
            "--json", "tokens", "delete", &ids[0], &ids[2], &ids[0], "--yes",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let as_number = |id: &String| id.parse::<i64>().unwrap();
    assert_eq!(
        documents(&output.stdout),
        [
            json!({"deleted": {"kind": "token", "id": as_number(&ids[0])}}),
            json!({"deleted": {"kind": "token", "id": as_number(&ids[2])}}),
        ],
        "one document per deleted token, a repeated id once"
    );
    assert_eq!(api.token_ids(), [as_number(&ids[1])]);

    api.cli()
        .args(["filters", "delete", &filters[0], &filters[1], "--yes"])
        .assert()
        .success()
        .stdout(format!(
            "Deleted filter {}.\nDeleted filter {}.\n",
            filters[0], filters[1]
        ));
    assert_eq!(api.json(&["filters", "list"]), json!([]));
}

#[test]
fn a_token_is_named_by_a_unique_name_as_well_as_by_its_id() {
    let api = Api::start();
    let first = api.token("checkout-dash", &[]);
    let second = api.token("checkout-dash", &[]);
    let payments = api.token("payments-dash", &[]);

    assert_eq!(
        api.json(&["tokens", "get", "payments-dash"])["id"],
        payments["id"]
    );
    let ids = format!("ids {}, {}", id_of(&first), id_of(&second));
    for command in [
        &["tokens", "get", "checkout-dash"][..],
        &["tokens", "delete", "checkout-dash", "--yes"],
        &["rotate", "checkout-dash", "--yes"],
    ] {
        api.fails(command, 2, &[&ids, "name one by its id"]);
    }
    api.fails(&["tokens", "get", "no-such-dash"], 3, &["no-such-dash"]);
    api.fails(&["rotate", "no-such-dash", "--yes"], 3, &["no-such-dash"]);
    assert_eq!(api.token_ids().len(), 3, "nothing changed");

    let rotated = api.json(&["rotate", "payments-dash", "--yes"]);
    assert_eq!(rotated["old"]["id"], payments["id"]);
    assert_eq!(rotated["new"]["name"], "payments-dash");
    let deleted = api.json(&["tokens", "delete", "payments-dash", "--yes"]);
    assert_eq!(deleted["deleted"]["id"], rotated["new"]["id"]);
    assert_eq!(
        api.token_ids(),
        [
            first["id"].as_i64().unwrap(),
            second["id"].as_i64().unwrap()
        ]
    );
}

/// The confirmation on a pseudo-terminal: what it lists, and what each
/// answer does.
#[cfg(unix)]
mod on_a_terminal {
    use rexpect::process::WaitStatus;
    use rexpect::session::PtySession;

    use super::*;

    /// The binary on a new pseudo-terminal, pointed at the emulator.
    fn spawn(api: &Api, args: &[&str]) -> PtySession {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_logzio-shared-tokens"));
        support::isolated(&mut command)
            .env("LOGZIO_API_TOKEN", &api.token)
            .args(["--api-url", &api.url])
            .args(args);
        rexpect::session::spawn_command(command, Some(30_000)).unwrap()
    }

    /// Waits for the question, returns everything shown before it.
    fn question(session: &mut PtySession, question: &str) -> String {
        session.exp_string(&format!("{question} [y/N] ")).unwrap()
    }

    fn exit_code(session: &mut PtySession) -> i32 {
        match session.process().wait().unwrap() {
            WaitStatus::Exited(_, code) => code,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn tokens_delete_lists_every_token_and_what_breaks_then_obeys_the_answer() {
        let api = Api::start();
        let a = api.token("checkout-dash", &[]);
        let b = api.token("payments-dash", &[]);
        let asked = format!("Delete 2 token(s) at {}?", api.url);
        let args = ["tokens", "delete", "checkout-dash", &id_of(&b)];

        let mut declined = spawn(&api, &args);
        let shown = question(&mut declined, &asked);
        assert!(
            shown.contains(&format!("token {} \"checkout-dash\"", id_of(&a))),
            "{shown}"
        );
        assert!(
            shown.contains(&format!("token {} \"payments-dash\"", id_of(&b))),
            "{shown}"
        );
        assert!(shown.contains("Shared links and dashboards"), "{shown}");
        declined.send_line("n").unwrap();
        declined
            .exp_string("not confirmed; nothing was changed")
            .unwrap();
        assert_eq!(exit_code(&mut declined), 1);
        assert_eq!(api.token_ids().len(), 2);

        let mut confirmed = spawn(&api, &args);
        question(&mut confirmed, &asked);
        confirmed.send_line("y").unwrap();
        confirmed
            .exp_string(&format!("Deleted token {}.", id_of(&b)))
            .unwrap();
        assert_eq!(exit_code(&mut confirmed), 0);
        assert_eq!(api.token_ids(), Vec::<i64>::new());
    }

    #[test]
    fn filters_delete_names_the_tokens_each_filter_restricts() {
        let api = Api::start();
        let used = api.filter("env", "prod");
        let unused = api.filter("type", "nginx");
        let token = api.token("checkout-dash", &[used]);

        let mut session = spawn(
            &api,
            &["filters", "delete", &used.to_string(), &unused.to_string()],
        );
        let shown = question(&mut session, &format!("Delete 2 filter(s) at {}?", api.url));
        let expected = format!(
            "filter {used} env=prod\r\n    restricts token {} \"checkout-dash\"\r\n  \
             filter {unused} type=nginx\r\n    restricts no token",
            id_of(&token)
        );
        assert!(shown.contains(&expected), "{shown}");
        assert!(shown.contains("--remove-filter"), "{shown}");
        session.send_line("no").unwrap();
        assert_eq!(exit_code(&mut session), 1);
        assert_eq!(api.json(&["filters", "list"]).as_array().unwrap().len(), 2);
    }

    #[test]
    fn rotate_asks_before_the_replacement_is_made() {
        let api = Api::start();
        let old = api.token("payments-dash", &[]);
        let mut session = spawn(&api, &["rotate", "payments-dash"]);
        let shown = question(
            &mut session,
            &format!("Rotate token {} at {}?", id_of(&old), api.url),
        );
        assert!(
            shown.contains("replaced by a new token \"payments-dash\""),
            "{shown}"
        );
        assert!(shown.contains("old value stop working"), "{shown}");
        assert_eq!(api.token_ids().len(), 1, "nothing made before the answer");
        session.send_line("y").unwrap();
        session
            .exp_string(&format!("Deleted the old token {}.", id_of(&old)))
            .unwrap();
        assert_eq!(exit_code(&mut session), 0);
        let listed = api.json(&["tokens", "list"]);
        assert_eq!(listed.as_array().unwrap().len(), 1);
        assert_eq!(listed[0]["name"], "payments-dash");
        assert_ne!(listed[0]["id"], old["id"]);
    }
}
