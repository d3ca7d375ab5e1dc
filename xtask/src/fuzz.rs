//! `cargo xtask fuzz [--seconds N] [--target NAME]`: runs every cargo-fuzz
//! target in `fuzz/` for N seconds each, one after another, on its
//! checked-in corpus (new inputs that add coverage are added to it), and
//! says which targets found something (`fuzz/artifacts/<target>/`).
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
        let status = Command::new("cargo")
            .args(["+nightly", "fuzz", "run", target])
            // No sanitizer: the workspace forbids unsafe code, and
            // uninstrumented builds run several times more inputs a second.
            .args(["--sanitizer", "none"])
            // One build directory beside the workspace's own, not fuzz/target.
            .arg("--target-dir")
            .arg(root.join("target/fuzz"))
            .arg("--")
            .arg(format!("-max_total_time={}", args.seconds))
            .args(["-timeout=30", "-rss_limit_mb=4096", "-print_final_stats=1"])
            .current_dir(root)
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
