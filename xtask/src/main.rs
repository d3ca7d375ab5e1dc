//! `cargo xtask`: keeps `swagger.json`, the checked-in snapshot in `generated/`
//! and the hand-written layers in sync. It calls the same
//! `logzio_codegen::generate` as `build.rs`; it never edits generated code by hand.
//!
//! It links only `logzio-codegen`: the hand-written crates are built and run
//! in separate processes (`check`'s layer report), and the lab tools live in
//! `xtask/lab`, so a spec change that breaks them never stops xtask from
//! starting.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod docs;
mod import_spec;
mod layers;
mod module_cycles;
mod size_limits;
mod snapshot;
mod spec_edits;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Repository automation for the Logz.io Shared Tokens SDK"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the checked-in snapshot in generated/ from swagger.json.
    Generate {
        /// Another workspace root (tests use a temporary copy).
        #[arg(long, hide = true)]
        root: Option<PathBuf>,
    },
    /// Fail if the snapshot is stale, the spec is invalid, a hand-written crate does not
    /// compile, or a hand-written Rust file is over 500 lines (a fn over 80 is clippy's
    /// `too_many_lines`); list what the facade, the CLI and the emulator do not cover yet.
    Check {
        /// Another workspace root (tests use a temporary copy).
        #[arg(long, hide = true)]
        root: Option<PathBuf>,
    },
    /// Build rustdoc for the generated client and the facade, and print where to open it.
    Docs,
    /// Fail if a module of a hand-written crate imports one that imports it back, directly
    /// or through others (reads the crates with cargo-modules, pinned).
    ModuleCycles,
    /// Compare a file Logz.io publishes with swagger.json (after our corrections);
    /// exit 0 no structural change, 1 changes, 2 error. --write adopts it.
    ImportSpec(import_spec::Args),
    /// Prove the spec-update flow on a copy of the workspace: each canned edit of
    /// xtask/spec-edits.json gets its import-spec verdict, check result, semver-checks and
    /// build outcome (needs cargo-semver-checks).
    SpecEdits(spec_edits::Args),
    /// Lab: run every cargo-fuzz target in fuzz/ (see `cargo xtask fuzz --help`).
    #[command(disable_help_flag = true)]
    Fuzz(LabArgs),
    /// Lab: mutation testing with cargo-mutants (see `cargo xtask mutants --help`).
    #[command(disable_help_flag = true)]
    Mutants(LabArgs),
    /// Lab: time the spec-to-formatted-Rust pipeline that build.rs runs.
    #[command(disable_help_flag = true)]
    BenchCodegen(LabArgs),
    /// Lab: instructions per get_token call (valgrind callgrind), facade against reqwest.
    #[command(disable_help_flag = true)]
    BenchCallCost(LabArgs),
    /// Lab: what a crate depending on the packaged facade pays in a clean build.
    #[command(disable_help_flag = true)]
    BenchDownstream(LabArgs),
}

/// A lab command's own arguments, handed on unread.
#[derive(clap::Args)]
struct LabArgs {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
    args: Vec<std::ffi::OsString>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = workspace_root();
    let result = match cli.command {
        Command::Generate { root: other } => snapshot::generate(other.as_deref().unwrap_or(&root)),
        Command::Check { root: other } => check(other.as_deref().unwrap_or(&root)),
        Command::Docs => docs::build(&root),
        Command::ModuleCycles => module_cycles::check(&root),
        Command::ImportSpec(args) => return import_spec::run_command(&root, &args),
        Command::SpecEdits(args) => spec_edits::run(&root, &args),
        Command::Fuzz(lab) => return run_lab(&root, "fuzz", lab),
        Command::Mutants(lab) => return run_lab(&root, "mutants", lab),
        Command::BenchCodegen(lab) => return run_lab(&root, "bench-codegen", lab),
        Command::BenchCallCost(lab) => return run_lab(&root, "bench-call-cost", lab),
        Command::BenchDownstream(lab) => return run_lab(&root, "bench-downstream", lab),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn check(root: &Path) -> anyhow::Result<()> {
    let generated = snapshot::check(root)?;
    size_limits::check(root)?;
    if !root.join("Cargo.toml").is_file() {
        println!("xtask check: spec and snapshot in sync; sizes within limits");
        println!(
            "  (hand-written layers not checked: {} is no workspace)",
            root.display()
        );
        return Ok(());
    }
    let expected = logzio_codegen::operation_ids(&generated.openapi);
    let findings = layers::check(root, &expected)?;
    if !findings.compile_errors.is_empty() {
        anyhow::bail!(
            "the spec is in sync, but the hand-written crates do not compile with it:\n  {}\n\
             Fix them where the errors point (docs/spec-updates.md says which spec changes need this).",
            findings.compile_errors.join("\n  ")
        );
    }
    if findings.work_left.is_empty() {
        println!("xtask check: spec, snapshot and coverage are in sync; sizes within limits");
    } else {
        println!(
            "xtask check: spec and snapshot in sync, every crate compiles; work left (usable meanwhile as noted):"
        );
        for line in &findings.work_left {
            println!("  {line}");
        }
    }
    Ok(())
}

/// Runs a lab command in `xtask-lab`'s own process (xtask/lab).
fn run_lab(root: &Path, command: &str, lab: LabArgs) -> ExitCode {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = std::process::Command::new(cargo)
        .current_dir(root)
        .args(["run", "--quiet", "--package", "xtask-lab", "--", command])
        .args(lab.args)
        .status();
    match status {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(status) => ExitCode::from(
            status
                .code()
                .map_or(1, |code| u8::try_from(code).unwrap_or(1)),
        ),
        Err(error) => {
            eprintln!("error: running the lab tools (cargo run -p xtask-lab): {error}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: xtask lives one level below it.
fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}
