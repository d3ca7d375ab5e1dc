//! `cargo xtask fuzz [--seconds N] [--target NAME] [--seed N]`: runs every
//! cargo-fuzz target in `fuzz/` for N seconds each, one after another,
//! starting from its checked-in corpus and regressions, and says which
//! targets found something (`fuzz/artifacts/<target>/`).
//!
//! New inputs that add coverage go to `target/fuzz/corpus/<target>/`, not
//! into the checked-in corpus: a run never leaves the worktree dirty, and
//! the next run on this machine starts from what the last one learnt. To
//! check some in, minimise them into `fuzz/corpus/<target>/` with
//! `cargo +nightly fuzz cmin`.
//!
//! `--seed` fixes libFuzzer's random seed and `--runs` caps the inputs, which
//! bounds a CI run. It does not make runs identical: the coverage that
//! guides libFuzzer differs between runs (most likely from hash maps
//! iterated in a random order per process), and a run on a commit that passed
//! before may still find something new (measured: two runs of the same
//! binary and seed began at different coverage and kept different inputs).
//!
//! It needs a nightly toolchain and cargo-fuzz; without them it says how to
//! get them and fails. The corpora are replayed on stable by
//! `cargo test -p logzio-hostile-input` whatever happens here.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};

use logzio_hostile_input::corpus::TARGETS;

#[derive(clap::Args)]
pub struct Args {
    /// Seconds per target.
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// libFuzzer's random seed (default: a new one each run).
    #[arg(long)]
    seed: Option<u32>,
    /// Stop each target after this many inputs (as well as after --seconds). Even with
    /// --seed, two runs may try different inputs: the coverage libFuzzer is guided by
    /// differs between runs (most likely from hash maps iterated in a random order).
    #[arg(long)]
    runs: Option<u64>,
    /// Run only this target.
    #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(TARGETS.map(|t| t.name)))]
    target: Option<String>,
}

/// Whether `cargo +nightly fuzz` can run here.
fn available(root: &Path) -> bool {
    Command::new("cargo")
        .args(["+nightly", "fuzz", "--version"])
        .current_dir(root)
        .output()
        .is_ok_and(|output| output.status.success())
}

pub fn run(root: &Path, args: &Args) -> anyhow::Result<()> {
    if !available(root) {
        bail!(
            "`cargo +nightly fuzz` is not available: install a nightly toolchain \
             (`rustup toolchain install nightly`) and cargo-fuzz (`cargo install cargo-fuzz --locked`)"
        );
    }
    let mut failed = Vec::new();
    let names = TARGETS.map(|target| target.name);
    for target in names
        .iter()
        .filter(|name| args.target.as_deref().is_none_or(|only| only == **name))
    {
        println!("=== fuzz {target} for {} s", args.seconds);
        // libFuzzer writes new inputs to the first directory and only reads the others.
        let scratch = root.join("target/fuzz/corpus").join(target);
        std::fs::create_dir_all(&scratch)
            .with_context(|| format!("cannot create {}", scratch.display()))?;
        let mut command = Command::new("cargo");
        command
            .args(["+nightly", "fuzz", "run", target])
            // No sanitizer: the workspace forbids unsafe code, and
            // uninstrumented builds run several times more inputs a second.
            .args(["--sanitizer", "none"])
            // One build directory beside the workspace's own, not fuzz/target.
            .arg("--target-dir")
            .arg(root.join("target/fuzz"))
            .arg(&scratch)
            .arg(root.join("fuzz/corpus").join(target))
            // libFuzzer refuses a corpus directory that does not exist.
            .args(Some(root.join("fuzz/regressions").join(target)).filter(|dir| dir.is_dir()))
            .arg("--")
            .arg(format!("-max_total_time={}", args.seconds))
            .args(["-timeout=30", "-rss_limit_mb=4096", "-print_final_stats=1"])
            .current_dir(root);
        if let Some(seed) = args.seed {
            command.arg(format!("-seed={seed}"));
        }
        if let Some(runs) = args.runs {
            command.arg(format!("-runs={runs}"));
        }
        let status = command
            .status()
            .with_context(|| format!("cannot run cargo fuzz for {target}"))?;
        if !status.success() {
            failed.push(*target);
        }
    }
    if !failed.is_empty() {
        bail!(
            "fuzzing found inputs that break a promise in: {} (see fuzz/artifacts/<target>/; \
             reproduce with `cargo +nightly fuzz run <target> <file>`)",
            failed.join(", ")
        );
    }
    println!("xtask fuzz: no target found anything");
    Ok(())
}
