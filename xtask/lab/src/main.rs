//! `cargo xtask fuzz | mutants | bench-codegen | bench-call-cost | bench-downstream`:
//! the lab tools. xtask forwards these commands here, to a crate of their
//! own, so the spec commands build only xtask and `logzio-codegen` whatever
//! state the hand-written crates are in.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod bench_call_cost;
mod bench_codegen;
mod bench_downstream;
mod fuzz;
mod mutants;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "The lab tools of the Logz.io Shared Tokens SDK: fuzzing, mutation testing, benchmarks"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
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
    /// generated client, Client::raw() and the facade.
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
        Command::Fuzz(args) => fuzz::run(&root, &args),
        Command::Mutants(args) => mutants::run(&root, &args),
        Command::BenchCodegen { runs } => bench_codegen::run(&root, runs),
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

/// The workspace root: this crate lives at `xtask/lab`.
fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .ancestors()
        .nth(2)
        .map_or_else(|| manifest_dir.to_path_buf(), Path::to_path_buf)
}
