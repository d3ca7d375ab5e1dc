//! `cargo xtask`: keeps `swagger.json`, the checked-in snapshot in `generated/`
//! and the hand-written layers in sync. It calls the same
//! `logzio_codegen::generate` as `build.rs`; it never edits generated code by hand.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod bench_call_cost;
mod bench_downstream;
mod coverage;
mod docs;
mod fuzz;
mod import_spec;
mod mutants;
mod size_limits;
mod snapshot;

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
    /// Fail if the snapshot is stale, the spec is invalid, an operation is not covered, or a
    /// hand-written Rust file is over 500 lines or a fn over 80.
    Check {
        /// Another workspace root (tests use a temporary copy).
        #[arg(long, hide = true)]
        root: Option<PathBuf>,
    },
    /// Build rustdoc for the generated client and the facade, and print where to open it.
    Docs,
    /// Compare a file Logz.io publishes with swagger.json (after our corrections);
    /// exit 0 no structural change, 1 changes, 2 error. --write adopts it.
    ImportSpec(import_spec::Args),
    /// Run every cargo-fuzz target in fuzz/ (nightly + cargo-fuzz) for --seconds each.
    Fuzz(fuzz::Args),
    /// Mutation testing (cargo-mutants) of the facade's rules, the emulator's data model and
    /// persistence, the CLI's apply planner and audit, and codegen's preflight.
    Mutants(mutants::Args),
    /// Time the spec-to-formatted-Rust pipeline (what build.rs runs); goal: under 100 ms.
    BenchCodegen {
        /// How many timed runs (after one warm-up).
        #[arg(long, default_value_t = 30)]
        runs: usize,
    },
    /// Instructions per get_token call (valgrind callgrind) through plain reqwest, the
    /// generated client, Client::raw() and the facade; goal: facade / reqwest <= 1.10.
    BenchCallCost,
    /// What a crate depending on the packaged facade pays in a clean build, against a
    /// hand-written client's dependencies (reqwest json+rustls, tokio, serde, serde_json)
    /// and against that plus progenitor in build.rs (the floor the design sets); goal: a
    /// ratio of at most 1.3.
    BenchDownstream {
        /// How many rounds of the three clean builds (medians are reported).
        #[arg(long, default_value_t = 1)]
        rounds: usize,
        /// Keep the temporary directory (packages, throwaway crates, target dirs).
        #[arg(long)]
        keep: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = workspace_root();
    let result = match cli.command {
        Command::Generate { root: other } => snapshot::generate(other.as_deref().unwrap_or(&root)),
        Command::Check { root: other } => check(other.as_deref().unwrap_or(&root)),
        Command::Docs => docs::build(&root),
        Command::ImportSpec(args) => return import_spec::run_command(&root, &args),
        Command::Fuzz(args) => fuzz::run(&root, &args),
        Command::Mutants(args) => mutants::run(&root, &args),
        Command::BenchCodegen { runs } => snapshot::bench(&root, runs),
        Command::BenchCallCost => bench_call_cost::run(&root),
        Command::BenchDownstream { rounds, keep } => bench_downstream::run(&root, rounds, keep),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn check(root: &std::path::Path) -> anyhow::Result<()> {
    let generated = snapshot::check(root)?;
    coverage::check(&generated.openapi)?;
    size_limits::check(root)?;
    println!("xtask check: spec, snapshot and coverage are in sync; sizes within limits");
    Ok(())
}

/// The workspace root: xtask lives one level below it.
fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}
