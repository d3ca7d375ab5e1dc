//! `cargo xtask import-spec PATH [--write]`: reads a file Logz.io publishes,
//! cuts out the Shared Tokens operations, brings them to our conventions,
//! re-applies our reviewed corrections (`xtask/corrections.json`) and prints
//! what changed in the *API* compared with our `swagger.json`, each change
//! marked breaking or additive for users of the generated client.
//!
//! Exit codes: 0 no structural change, 1 changes found (or a correction no
//! longer applies), 2 error. It never edits `swagger.json` unless `--write` is
//! given, and never copies Logz.io's prose over ours where the structure is
//! unchanged.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use logzio_codegen::SpecSource;
use serde_json::Value;

mod corrections;
mod diff;
mod flows;
mod normalise;
mod operation_diff;
mod report;
mod schema_diff;
mod structure;
mod write;

pub use corrections::CORRECTIONS_FILE;

/// The tag of the Shared Tokens operations in Logz.io's full public API file.
pub const TAG: &str = "Manage shared tokens";
/// The path prefix (without `/v1`) that finds them in files without tags.
pub const PATH_PREFIX: &str = "/shared-tokens";

/// Arguments of `cargo xtask import-spec`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A Swagger 2.0 file published by Logz.io (JSON or YAML): the standalone
    /// Shared Tokens file or the full public API description.
    pub path: PathBuf,
    /// Rewrite swagger.json from the imported file (keeping our descriptions
    /// where the structure is unchanged) and regenerate the snapshot.
    #[arg(long)]
    pub write: bool,
    /// PATH is already in our conventions (an edited copy of swagger.json):
    /// compare it as it is, applying no corrections.
    #[arg(long, conflicts_with = "write")]
    pub no_corrections: bool,
    /// The workspace whose swagger.json, corrections list and generated/ are used
    /// (defaults to this one; tests point it at a copy).
    #[arg(long, hide = true)]
    pub root: Option<PathBuf>,
}

/// What one import found.
pub struct Outcome {
    /// Structural differences between the corrected import and swagger.json.
    pub changes: Vec<diff::Change>,
    /// Corrections whose expected upstream value was not found.
    pub stale_corrections: usize,
}

/// Runs the command and maps the outcome to the documented exit codes.
pub fn run_command(default_root: &Path, args: &Args) -> ExitCode {
    let root = args.root.as_deref().unwrap_or(default_root);
    match run(root, &args.path, args.write, args.no_corrections) {
        Ok(outcome) if outcome.changes.is_empty() && outcome.stale_corrections == 0 => {
            ExitCode::SUCCESS
        }
        Ok(_) => ExitCode::from(1),
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// Imports `upstream`, prints the report, and with `write` updates `root`'s spec and snapshot.
pub fn run(
    root: &Path,
    upstream: &Path,
    write: bool,
    no_corrections: bool,
) -> anyhow::Result<Outcome> {
    let source = SpecSource::read(upstream).map_err(|e| anyhow::anyhow!("{e}"))?;
    let imported = normalise::normalise(&source)?;
    let list = corrections::load(root)?;
    let mut document = imported.document.clone();
    let applied = if no_corrections {
        Vec::new()
    } else {
        corrections::apply(&list, imported.shape, &mut document)
    };

    let ours_path = root.join(crate::snapshot::SPEC);
    let ours_text = std::fs::read_to_string(&ours_path)
        .with_context(|| format!("reading {}", ours_path.display()))?;
    let ours: Value = serde_json::from_str(&ours_text)
        .with_context(|| format!("{} is not valid JSON", ours_path.display()))?;

    let changes = diff::compare(&source.file, &ours, &document)?;

    report::print(&source.file, &imported, &applied, &changes);
    let stale_corrections = applied.iter().filter(|a| a.is_stale()).count();

    if write {
        if stale_corrections > 0 {
            bail!(
                "not writing {}: {stale_corrections} correction(s) no longer apply. Review {} and docs/spec-decisions.md first.",
                crate::snapshot::SPEC,
                CORRECTIONS_FILE
            );
        }
        write::write_back(root, &ours, &document)?;
    }
    Ok(Outcome {
        changes,
        stale_corrections,
    })
}
