//! `cargo xtask check` and `generate` on a temporary copy of the spec and
//! snapshot: in sync passes; an edited spec, a stale snapshot or a broken spec
//! fails with the fix to run.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;
use std::process::Command;

use support::{copy_snapshot_into, workspace_root};

const XTASK: &str = env!("CARGO_BIN_EXE_xtask");

fn copy_of_spec_and_snapshot() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        workspace_root().join("swagger.json"),
        dir.path().join("swagger.json"),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("generated")).unwrap();
    copy_snapshot_into(dir.path());
    dir
}

fn xtask(command: &str, root: &Path) -> (i32, String) {
    let output = Command::new(XTASK)
        .args([command, "--root"])
        .arg(root)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap(), text)
}

fn edit_spec(root: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let path = root.join("swagger.json");
    let mut spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    edit(&mut spec);
    std::fs::write(&path, serde_json::to_string_pretty(&spec).unwrap()).unwrap();
}

#[test]
fn the_checked_in_snapshot_is_in_sync() {
    let dir = copy_of_spec_and_snapshot();
    let (code, text) = xtask("check", dir.path());
    assert_eq!(code, 0, "{text}");
    // A copy of the spec and snapshot alone has no hand-written layers to
    // build; check says so (the layers' report is proved on whole-workspace
    // copies by `cargo xtask spec-edits`).
    assert!(text.contains("spec and snapshot in sync"), "{text}");
    assert!(text.contains("hand-written layers not checked"), "{text}");
}

#[test]
fn editing_the_spec_without_regenerating_fails_with_a_diff_and_the_fix() {
    let dir = copy_of_spec_and_snapshot();
    edit_spec(dir.path(), |spec| {
        spec["definitions"]["SharedToken"]["properties"]["name"]["description"] =
            "A renamed description.".into();
    });
    let (code, text) = xtask("check", dir.path());
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("generated/client.rs is stale"), "{text}");
    assert!(
        text.contains("+        ///A renamed description."),
        "{text}"
    );
    assert!(text.contains("Run `cargo xtask generate`"), "{text}");

    let (code, text) = xtask("generate", dir.path());
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("wrote     generated/client.rs"), "{text}");
    let (code, text) = xtask("check", dir.path());
    assert_eq!(code, 0, "{text}");
}

#[test]
fn a_broken_spec_fails_with_its_json_pointer() {
    let dir = copy_of_spec_and_snapshot();
    edit_spec(dir.path(), |spec| {
        spec["paths"]["/v1/shared-tokens"]["get"]
            .as_object_mut()
            .unwrap()
            .remove("operationId");
    });
    let (code, text) = xtask("check", dir.path());
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("at /paths/~1v1~1shared-tokens/get: the operation has no `operationId`"),
        "{text}"
    );
}
