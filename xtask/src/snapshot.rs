//! The checked-in snapshot of the pipeline's output: written by `generate`,
//! compared byte for byte by `check`.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use logzio_codegen::Generated;

/// The spec file, relative to the workspace root.
pub const SPEC: &str = "swagger.json";
/// Where the snapshot lives, relative to the workspace root.
pub const SNAPSHOT_DIR: &str = "generated";

fn snapshot_files(generated: &Generated) -> [(&'static str, &str); 3] {
    [
        ("openapi.json", generated.openapi_json.as_str()),
        ("client.rs", generated.client.as_str()),
        ("httpmock.rs", generated.httpmock.as_str()),
    ]
}

fn run_pipeline(root: &Path) -> anyhow::Result<Generated> {
    let generated = logzio_codegen::generate_file(&root.join(SPEC))
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("{SPEC} does not generate a client"))?;
    if !generated.warnings.is_empty() {
        let lines: Vec<String> = generated
            .warnings
            .iter()
            .map(|w| format!("  {w}"))
            .collect();
        bail!(
            "{SPEC} relies on tolerated defects; our own spec must be clean:\n{}",
            lines.join("\n")
        );
    }
    Ok(generated)
}

/// Writes the snapshot; prints what changed.
pub fn generate(root: &Path) -> anyhow::Result<()> {
    let generated = run_pipeline(root)?;
    let dir = root.join(SNAPSHOT_DIR);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    for (name, text) in snapshot_files(&generated) {
        let path: PathBuf = dir.join(name);
        let current = std::fs::read_to_string(&path).ok();
        if current.as_deref() == Some(text) {
            println!("unchanged {SNAPSHOT_DIR}/{name}");
            continue;
        }
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        println!("wrote     {SNAPSHOT_DIR}/{name}");
    }
    Ok(())
}

/// Regenerates in memory and fails with a diff summary when the snapshot is stale.
pub fn check(root: &Path) -> anyhow::Result<Generated> {
    let generated = run_pipeline(root)?;
    let mut stale = Vec::new();
    for (name, expected) in snapshot_files(&generated) {
        let path = root.join(SNAPSHOT_DIR).join(name);
        let actual = std::fs::read_to_string(&path).unwrap_or_default();
        if actual != expected {
            stale.push(format!(
                "{SNAPSHOT_DIR}/{name} is stale:\n{}",
                diff_summary(&actual, expected, &format!("{SNAPSHOT_DIR}/{name}"))
            ));
        }
    }
    if !stale.is_empty() {
        bail!(
            "{}\nThe snapshot does not match {SPEC}. Run `cargo xtask generate`, review `git diff {SNAPSHOT_DIR}/`, and commit it with the spec.",
            stale.join("\n")
        );
    }
    Ok(generated)
}

/// A unified diff, cut to a readable length.
fn diff_summary(old: &str, new: &str, name: &str) -> String {
    const MAX_LINES: usize = 60;
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(2)
        .header(
            &format!("{name} (checked in)"),
            &format!("{name} (from {SPEC})"),
        )
        .to_string();
    let total = text.lines().count();
    let mut shown: Vec<&str> = text.lines().take(MAX_LINES).collect();
    if total > MAX_LINES {
        shown.push("...");
    }
    let (added, removed) =
        diff.iter_all_changes()
            .fold((0, 0), |(a, r), change| match change.tag() {
                similar::ChangeTag::Insert => (a + 1, r),
                similar::ChangeTag::Delete => (a, r + 1),
                similar::ChangeTag::Equal => (a, r),
            });
    format!(
        "{}\n({added} line(s) to add, {removed} to remove; {total} diff lines in all)",
        shown.join("\n")
    )
}
