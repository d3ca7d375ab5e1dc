//! `cargo xtask import-spec` end to end: the built binary run on fixtures in
//! both of Logz.io's shapes (and on Logz.io's real files beside the clone, in
//! tests `#[ignore]`d for `.ci/run` to run with `--ignored`), against a
//! temporary copy of a workspace, so the real `swagger.json` and `generated/`
//! are never touched.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{copy_snapshot_into, workspace_root};

const XTASK: &str = env!("CARGO_BIN_EXE_xtask");

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// One of Logz.io's own files, which CI keeps in `../shared/upstream` beside the
/// clone. The tests that read one are `#[ignore]`d, and `.ci/run` runs them with
/// `--ignored` where that folder is; run so without it, they fail here.
fn upstream(name: &str) -> PathBuf {
    let path = workspace_root().join("../shared/upstream").join(name);
    assert!(
        path.exists(),
        "{} is not beside the clone: CI keeps Logz.io's files there",
        path.display()
    );
    path
}

/// A temporary workspace: a spec, a corrections list and an empty snapshot dir.
fn workspace(spec: &Path, corrections: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("xtask")).unwrap();
    std::fs::create_dir_all(dir.path().join("generated")).unwrap();
    std::fs::copy(spec, dir.path().join("swagger.json")).unwrap();
    std::fs::copy(corrections, dir.path().join("xtask/corrections.json")).unwrap();
    dir
}

fn fixture_workspace() -> tempfile::TempDir {
    workspace(&fixture("ours-swagger.json"), &fixture("corrections.json"))
}

fn real_workspace() -> tempfile::TempDir {
    let root = workspace_root();
    let dir = workspace(
        &root.join("swagger.json"),
        &root.join("xtask/corrections.json"),
    );
    copy_snapshot_into(dir.path());
    dir
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn import(path: &Path, root: &Path, write: bool) -> Run {
    let mut command = Command::new(XTASK);
    command.arg("import-spec").arg(path).arg("--root").arg(root);
    if write {
        command.arg("--write");
    }
    let output = command.output().unwrap();
    let run = Run {
        code: output.status.code().unwrap(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    };
    println!("{}{}", run.stdout, run.stderr);
    run
}

/// The report's change lines, e.g. `breaking  SharedToken.id: retyped …`.
fn change_lines(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter(|l| l.starts_with("  breaking") || l.starts_with("  additive"))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn current_shape_with_only_corrected_defects_and_new_wording_is_no_change() {
    let root = fixture_workspace();
    let run = import(&fixture("current-unchanged.yml"), root.path(), false);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("(current shape)"));
    assert!(run.stdout.contains("5 applied, 0 no longer apply"));
    assert!(
        run.stdout
            .contains("structural differences from swagger.json: none")
    );
}

#[test]
fn current_shape_with_api_changes_lists_each_with_its_impact() {
    let root = fixture_workspace();
    let run = import(&fixture("current-changed.yml"), root.path(), false);
    assert_eq!(run.code, 1);
    let expected = [
        "breaking getAllTokens parameter `nameContains` (query): new required parameter of type string",
        "breaking getToken: operation removed (GET /v1/shared-tokens/{id})",
        "breaking SharedToken.id: retyped from integer (int32) to integer (int64)",
        "breaking SharedToken.name: field removed",
        "additive getAllTokens response 429: new status, with the body of 400",
        "additive createToken request body: becomes optional",
        "additive deleteToken: new operation DELETE /v1/shared-tokens/{id}",
        "additive SharedToken.lastUsed: new optional field of type integer (int64)",
        "additive CreateSharedTokenRequest.expiresInDays: new optional field of type integer (int32)",
    ];
    assert_eq!(change_lines(&run.stdout), expected);
    assert!(run.stdout.contains("verdict: breaking"), "{}", run.stdout);
    // Nothing was written without --write.
    assert_eq!(
        std::fs::read(root.path().join("swagger.json")).unwrap(),
        std::fs::read(fixture("ours-swagger.json")).unwrap()
    );
}

#[test]
fn a_correction_fixed_upstream_is_reported_not_skipped() {
    let root = fixture_workspace();
    let run = import(&fixture("current-fixed-upstream.yml"), root.path(), false);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains(
            "correction `filters-operator-is-one-value` no longer applies at /definitions/SharedToken/properties/filtersOperator"
        ),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("4 applied, 1 no longer apply"));
    // --write refuses while the list needs review.
    let refused = import(&fixture("current-fixed-upstream.yml"), root.path(), true);
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("no longer apply"),
        "{}",
        refused.stderr
    );
}

#[test]
fn standalone_shape_is_normalised_before_comparing() {
    let root = fixture_workspace();
    let run = import(&fixture("standalone-shape.json"), root.path(), false);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("(standalone shape)"));
    assert!(run.stdout.contains("added the /v1 prefix to 2 path(s)"));
    assert!(
        run.stdout
            .contains("removed 3 X-API-TOKEN header parameter(s)")
    );
    // The header parameter and the missing /v1 are conventions, not changes; what
    // remains is what the old file really lacks or adds.
    assert_eq!(
        change_lines(&run.stdout),
        [
            "breaking servers: https://api.logz.io removed",
            "additive SharedToken.filters: new optional field of type array of integer (int32)",
        ]
    );
}

#[test]
fn errors_exit_2_and_name_the_file() {
    let root = fixture_workspace();
    let missing = fixture("no-such-file.yml");
    let run = import(&missing, root.path(), false);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no-such-file.yml"), "{}", run.stderr);

    let run = import(&fixture("broken.yml"), root.path(), false);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("broken.yml"), "{}", run.stderr);

    // A valid spec without any Shared Tokens operation.
    let run = import(&fixture("corrections.json"), root.path(), false);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("corrections.json"), "{}", run.stderr);
}

#[test]
fn write_adopts_the_import_keeps_our_words_and_regenerates_the_snapshot() {
    let root = fixture_workspace();
    let first = import(&fixture("current-changed.yml"), root.path(), true);
    assert_eq!(first.code, 1, "changes were found (and written)");
    assert!(first.stdout.contains("write: updated swagger.json"));

    let spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.path().join("swagger.json")).unwrap())
            .unwrap();
    // Ours where the element is still the same kind of thing...
    assert_eq!(spec["info"]["title"], "Fixture: our spec");
    assert_eq!(
        spec["definitions"]["SharedToken"]["description"],
        "Our description of a shared token."
    );
    let body = &spec["paths"]["/v1/shared-tokens"]["post"]["parameters"][0];
    assert_eq!(body["required"], false);
    assert_eq!(body["description"], "Our description of the create body.");
    // ...theirs where it was retyped or is new.
    assert_eq!(
        spec["definitions"]["SharedToken"]["properties"]["id"]["description"],
        "upstream id"
    );
    assert!(
        spec.pointer("/paths/~1v1~1shared-tokens~1{id}/delete")
            .is_some()
    );
    assert!(spec.pointer("/paths/~1v1~1users").is_none());

    // Importing the same file again finds nothing: the spec now matches it.
    let again = import(&fixture("current-changed.yml"), root.path(), false);
    assert_eq!(again.code, 0);

    // The snapshot is exactly what the pipeline makes of the new spec (what `check` compares).
    let generated = logzio_codegen::generate_file(&root.path().join("swagger.json")).unwrap();
    let snapshot = |name: &str| std::fs::read_to_string(root.path().join("generated").join(name));
    assert_eq!(snapshot("openapi.json").unwrap(), generated.openapi_json);
    assert_eq!(snapshot("client.rs").unwrap(), generated.client);
    assert_eq!(snapshot("httpmock.rs").unwrap(), generated.httpmock);
    assert!(generated.client.contains("delete_token"));
}

#[test]
fn write_without_structural_change_leaves_the_spec_byte_identical() {
    let root = fixture_workspace();
    let run = import(&fixture("current-unchanged.yml"), root.path(), true);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("write: swagger.json unchanged"));
    assert_eq!(
        std::fs::read(root.path().join("swagger.json")).unwrap(),
        std::fs::read(fixture("ours-swagger.json")).unwrap()
    );
}

/// Differences between Logz.io's current file (after our corrections) and our
/// swagger.json that docs/spec-decisions.md does not decide yet; reported to
/// the lead. Remove a line when its decision lands (as a correction entry or
/// a spec change): the test fails while this list and reality disagree.
const UNDECIDED_ON_CURRENT_FILE: &[&str] = &[];

#[test]
#[ignore = "needs Logz.io's files in ../shared/upstream: .ci/run runs these with --ignored"]
fn logzio_current_file_matches_our_spec_after_corrections() {
    let path = upstream("logzio-public-api.yml");
    let root = real_workspace();
    let run = import(&path, root.path(), false);
    assert!(run.stdout.contains("(current shape)"));
    assert!(run.stdout.contains("9 operation(s) found"));
    assert!(
        run.stdout.contains(", 0 no longer apply"),
        "every correction must still apply to Logz.io's current file"
    );
    assert_eq!(change_lines(&run.stdout), UNDECIDED_ON_CURRENT_FILE);
    assert_eq!(run.code, i32::from(!UNDECIDED_ON_CURRENT_FILE.is_empty()));

    // Adopting it changes only structure: every line of ours that is not one
    // of the differences above survives byte for byte.
    let ours = std::fs::read_to_string(root.path().join("swagger.json")).unwrap();
    let written = import(&path, root.path(), true);
    assert_eq!(written.code, run.code);
    let after = std::fs::read_to_string(root.path().join("swagger.json")).unwrap();
    let diff = similar::TextDiff::from_lines(&ours, &after);
    let changed: Vec<String> = diff
        .iter_all_changes()
        .filter(|c| c.tag() != similar::ChangeTag::Equal)
        .map(|c| c.value().trim().to_owned())
        .collect();
    assert!(
        changed.iter().all(|l| l.starts_with("\"required\"")
            || l.starts_with("\"readOnly\"")
            || l.starts_with("\"minLength\"")),
        "unexpected lines changed: {changed:?}"
    );
    if UNDECIDED_ON_CURRENT_FILE.is_empty() {
        assert_eq!(
            after, ours,
            "no structural change must mean a byte-identical spec"
        );
    }
    assert_eq!(import(&path, root.path(), false).code, 0);
}

#[test]
#[ignore = "needs Logz.io's files in ../shared/upstream: .ci/run runs these with --ignored"]
fn logzio_standalone_file_is_read_and_its_gaps_reported() {
    let path = upstream("public-api-shared-tokens-swagger.json");
    let root = real_workspace();
    let run = import(&path, root.path(), false);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("(standalone shape)"));
    assert!(run.stdout.contains("7 operation(s) found"));
    assert!(
        run.stdout
            .contains("removed 7 X-API-TOKEN header parameter(s)")
    );
    let lines = change_lines(&run.stdout);
    for expected in [
        "breaking getFilter: operation removed (GET /v1/shared-tokens/filters/{id})",
        "breaking deleteFilter: operation removed (DELETE /v1/shared-tokens/filters/{id})",
        "breaking SharedToken.lastUsed: field removed",
    ] {
        assert!(lines.iter().any(|l| l == expected), "missing {expected}");
    }
    // The old `default` delete answer is corrected to 204, so it is no change.
    assert!(
        !lines
            .iter()
            .any(|l| l.contains("deleteToken response 204") || l.contains("default")),
        "{lines:?}"
    );
    // Corrections written for defects the old file does not have are reported.
    assert!(
        run.stdout
            .contains("correction `timestamps-are-one-number` no longer applies")
    );
}

#[test]
fn an_edited_copy_of_our_spec_is_judged_as_it_is_with_no_corrections() {
    let root = real_workspace();
    let mut spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.path().join("swagger.json")).unwrap())
            .unwrap();
    spec["definitions"]["SharedToken"]["properties"]["createdAt"] =
        serde_json::json!({"type": "integer", "format": "int64"});
    let edited = root.path().join("edited.json");
    std::fs::write(&edited, serde_json::to_string_pretty(&spec).unwrap()).unwrap();

    let judge = |spec: &Path| {
        Command::new(XTASK)
            .args(["import-spec", "--no-corrections"])
            .arg(spec)
            .arg("--root")
            .arg(root.path())
            .output()
            .unwrap()
    };
    let output = judge(&edited);
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("0 applied, 0 no longer apply"), "{stdout}");
    assert_eq!(
        change_lines(&stdout),
        ["additive SharedToken.createdAt: new optional field of type integer (int64)"]
    );
    assert!(stdout.contains("verdict: additive"), "{stdout}");

    // Judged against itself, the unedited spec is no change.
    let same = judge(&root.path().join("swagger.json"));
    let stdout = String::from_utf8(same.stdout).unwrap();
    assert_eq!(same.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("verdict: no structural change"), "{stdout}");
}
