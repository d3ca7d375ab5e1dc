//! `cargo xtask spec-edits [--edit NAME] [--keep]`: proves on every CI run
//! that the spec-update flow works and that import-spec's labels are true for
//! Rust users. Each canned edit of `xtask/spec-edits.json` (a JSON Patch of
//! `swagger.json`) is applied alone to one copy of the workspace, which then
//! must:
//!
//! 1. get the expected verdict from `import-spec --no-corrections`;
//! 2. regenerate with `cargo xtask generate`, and give `cargo xtask check`'s
//!    expected exit code and lines (work left, or `needs hand-written work in`);
//! 3. if additive: pass `cargo semver-checks check-release` against the
//!    unedited workspace and `cargo check --workspace --all-targets`;
//! 4. behave as the edit's `run` says when the CLI is driven against the
//!    emulator (a new operation answers 501; a new required request field
//!    fails before anything is sent).
//!
//! One copy and one target directory serve every edit, so each pays only for
//! the crates its spec change touches.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Instant;

use anyhow::{Context, bail};
use serde::Deserialize;

mod emulator;

/// The canned edits, relative to the workspace root.
pub const EDITS_FILE: &str = "xtask/spec-edits.json";

/// Arguments of `cargo xtask spec-edits`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Run only the edit with this name (e.g. "new operation").
    #[arg(long)]
    pub edit: Option<String>,
    /// Keep the workspace copy (its path is printed).
    #[arg(long)]
    pub keep: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EditList {
    #[serde(rename = "about")]
    _about: String,
    edits: Vec<Edit>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Edit {
    name: String,
    label: Label,
    patch: json_patch::Patch,
    check: Expected,
    run: Option<CliRun>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Label {
    Additive,
    Breaking,
}

/// An exit code and lines the output must contain.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    exit: i32,
    prints: Vec<String>,
}

/// A CLI command run against the emulator after the edit.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CliRun {
    args: Vec<String>,
    #[serde(default)]
    stdin: String,
    exit: i32,
    #[serde(default)]
    stdout: Vec<String>,
    #[serde(default)]
    stderr: Vec<String>,
}

/// Runs the edits; fails listing every edit whose outcome was not the expected one.
pub fn run(root: &Path, args: &Args) -> anyhow::Result<()> {
    let list: EditList = read_json(&root.join(EDITS_FILE))?;
    let edits: Vec<&Edit> = list
        .edits
        .iter()
        .filter(|edit| args.edit.as_ref().is_none_or(|name| &edit.name == name))
        .collect();
    if edits.is_empty() {
        bail!("no edit named {:?} in {EDITS_FILE}", args.edit);
    }
    require_semver_checks()?;
    let scratch = tempfile::Builder::new()
        .prefix("spec-edits-")
        .tempdir()
        .context("creating a temporary directory")?;
    let copy = scratch.path().join("workspace");
    copy_workspace(root, &copy)?;
    let original_spec = std::fs::read_to_string(copy.join("swagger.json"))?;
    let mut failures = Vec::new();
    for edit in &edits {
        let started = Instant::now();
        println!("\n=== spec edit: {} (expected {:?})", edit.name, edit.label);
        let outcome = prove(root, &copy, scratch.path(), &original_spec, edit);
        restore(root, &copy)?;
        match outcome {
            Ok(()) => println!("--- ok: {} ({:.0?})", edit.name, started.elapsed()),
            Err(error) => {
                println!("--- FAILED: {}: {error:#}", edit.name);
                failures.push(format!("{}: {error:#}", edit.name));
            }
        }
    }
    if args.keep {
        println!("kept {}", scratch.keep().display());
    }
    if !failures.is_empty() {
        bail!(
            "{} spec edit(s) did not behave as documented:\n  {}",
            failures.len(),
            failures.join("\n  ")
        );
    }
    println!(
        "\nspec-edits: all {} edits behaved as documented",
        edits.len()
    );
    Ok(())
}

fn prove(
    root: &Path,
    copy: &Path,
    scratch: &Path,
    original: &str,
    edit: &Edit,
) -> anyhow::Result<()> {
    let mut spec: serde_json::Value = serde_json::from_str(original)?;
    json_patch::patch(&mut spec, &edit.patch)
        .context("the patch does not apply to swagger.json")?;
    let edited = scratch.join("edited-swagger.json");
    std::fs::write(&edited, serde_json::to_string_pretty(&spec)? + "\n")?;

    let import = xtask(copy, &["import-spec", "--no-corrections"], Some(&edited))?;
    let verdict = match edit.label {
        Label::Additive => "verdict: additive",
        Label::Breaking => "verdict: breaking",
    };
    expect(&import, "import-spec", 1, &[verdict.to_owned()])?;

    std::fs::copy(&edited, copy.join("swagger.json"))?;
    expect(&xtask(copy, &["generate"], None)?, "xtask generate", 0, &[])?;
    let check = xtask(copy, &["check"], None)?;
    expect(&check, "xtask check", edit.check.exit, &edit.check.prints)?;

    if edit.label == Label::Additive {
        let semver = cargo(copy)
            .args([
                "semver-checks",
                "check-release",
                "-p",
                "logzio-shared-tokens-api",
                "--baseline-root",
            ])
            .arg(root)
            .output()
            .context("running cargo semver-checks")?;
        expect(&semver, "cargo semver-checks (a minor change)", 0, &[])?;
        let built = cargo(copy)
            .args(["check", "--workspace", "--all-targets", "--quiet"])
            .output()
            .context("running cargo check")?;
        expect(&built, "cargo check --workspace --all-targets", 0, &[])?;
    }
    if let Some(run) = &edit.run {
        emulator::drive_cli(copy, run)?;
    }
    Ok(())
}

/// Puts back the unedited spec and snapshot.
fn restore(root: &Path, copy: &Path) -> anyhow::Result<()> {
    for name in [
        "swagger.json",
        "generated/openapi.json",
        "generated/client.rs",
        "generated/httpmock.rs",
    ] {
        std::fs::copy(root.join(name), copy.join(name))
            .with_context(|| format!("restoring {name}"))?;
    }
    Ok(())
}

/// `cargo` in `dir` (in the copy: with the build directory it shares).
fn cargo(dir: &Path) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(dir).stdin(Stdio::null());
    command
}

/// `cargo xtask ARGS [FILE]` in the copy.
fn xtask(copy: &Path, args: &[&str], file: Option<&Path>) -> anyhow::Result<Output> {
    let mut command = cargo(copy);
    command
        .args(["run", "--quiet", "--package", "xtask", "--"])
        .args(args);
    if let Some(file) = file {
        command.arg(file);
    }
    command
        .output()
        .with_context(|| format!("running cargo xtask {}", args.join(" ")))
}

/// Fails unless `output` exited with `code` and printed each of `lines`.
fn expect(output: &Output, what: &str, code: i32, lines: &[String]) -> anyhow::Result<()> {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let missing: Vec<&String> = lines
        .iter()
        .filter(|line| !text.contains(line.as_str()))
        .collect();
    if output.status.code() != Some(code) || !missing.is_empty() {
        bail!(
            "{what}: expected exit {code} printing {missing:?}; got {}:\n{}",
            output.status,
            tail(&text)
        );
    }
    Ok(())
}

/// The last 40 lines: enough to see why, without flooding the CI log.
fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}

fn require_semver_checks() -> anyhow::Result<()> {
    let found = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["semver-checks", "--version"])
        .output()
        .is_ok_and(|output| output.status.success());
    if !found {
        bail!(
            "cargo-semver-checks is not installed: cargo install --locked cargo-semver-checks@0.51.0"
        );
    }
    Ok(())
}

/// Copies the files git tracks (no build output), and points the copy's
/// cargo at the workspace's build directory.
fn copy_workspace(root: &Path, copy: &Path) -> anyhow::Result<()> {
    let listed = Command::new("git")
        .current_dir(root)
        .args(["ls-files", "-z"])
        .output()
        .context("running git ls-files")?;
    if !listed.status.success() {
        bail!(
            "git ls-files failed: {}",
            String::from_utf8_lossy(&listed.stderr)
        );
    }
    for name in listed
        .stdout
        .split(|&b| b == 0)
        .filter(|name| !name.is_empty())
    {
        let name = PathBuf::from(String::from_utf8_lossy(name).into_owned());
        let (from, to) = (root.join(&name), copy.join(&name));
        if !from.is_file() {
            continue; // deleted in the work tree, not yet in the index
        }
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(&from, &to).with_context(|| format!("copying {}", name.display()))?;
    }
    // Intermediate artifacts are shared with the workspace (the copy reuses every
    // dependency already built); binaries go to the copy's own target directory.
    // cargo names a workspace crate's artifacts by its path *within* the
    // workspace, so the copy's crates would overwrite the workspace's own; a
    // patch release of the copy's workspace version names them apart.
    bump_workspace_version(&copy.join("Cargo.toml"))?;
    let shared =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let config = copy.join(".cargo/config.toml");
    let mut text = std::fs::read_to_string(&config).unwrap_or_default();
    if text.lines().any(|line| line.trim() == "[build]") {
        bail!(
            "{} has a [build] table already: spec-edits appends its own, so move its keys there",
            config.display()
        );
    }
    text.push_str(&format!(
        "\n[build]\ntarget-dir = {:?}\nbuild-dir = {:?}\n",
        copy.join("target").display().to_string(),
        shared.display().to_string()
    ));
    std::fs::create_dir_all(copy.join(".cargo"))?;
    std::fs::write(&config, text)?;
    Ok(())
}

/// `[workspace.package] version = "0.1.0"` → `"0.1.1"`: still matched by every
/// `version = "0.1.0"` requirement between the workspace's crates, and a patch
/// release is what an additive change of a 0.x crate is to cargo-semver-checks.
fn bump_workspace_version(manifest: &Path) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(manifest)?;
    let section = text
        .find("[workspace.package]")
        .context("the workspace manifest has no [workspace.package]")?;
    let at = section
        + text[section..]
            .find("\nversion = \"")
            .context("[workspace.package] has no version")?
        + "\nversion = \"".len();
    let end = at + text[at..].find('"').context("unterminated version")?;
    let version = &text[at..end];
    let (major_minor, patch) = version
        .rsplit_once('.')
        .with_context(|| format!("version {version:?} is not MAJOR.MINOR.PATCH"))?;
    let patch: u64 = patch
        .parse()
        .with_context(|| format!("version {version:?}: patch"))?;
    let bumped = format!("{}{major_minor}.{}{}", &text[..at], patch + 1, &text[end..]);
    std::fs::write(manifest, bumped)?;
    Ok(())
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> anyhow::Result<T> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text)
        .with_context(|| format!("{} is not a valid edit list", path.display()))
}
