//! `cargo xtask bench-call-cost`: instructions per `get_token` call through
//! plain reqwest, the generated client, `Client::raw()` and the facade,
//! counted by valgrind's callgrind (so the figures repeat on a busy machine),
//! with each path's ratio to plain reqwest. Goal: facade / reqwest <= 1.10.
//!
//! Each path runs `benches/facade_call_cost.rs` twice, with `FEW` and `MANY`
//! calls after the same setup; (instructions(MANY) − instructions(FEW)) /
//! (MANY − FEW) is one call's cost, setup excluded. The in-process emulator
//! answering is part of every path's count alike.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

const PATHS: [&str; 4] = ["reqwest", "generated", "raw", "facade"];
const FEW: u64 = 200;
const MANY: u64 = 400;

pub fn run(root: &Path) -> anyhow::Result<()> {
    let valgrind = Command::new("valgrind").arg("--version").output();
    if !valgrind.is_ok_and(|output| output.status.success()) {
        bail!("valgrind is not installed (Debian: apt-get install valgrind)");
    }
    let bench = build(root)?;
    let scratch = root.join("target/bench-call-cost");
    std::fs::create_dir_all(&scratch)
        .with_context(|| format!("cannot create {}", scratch.display()))?;
    let mut per_call = Vec::new();
    for path in PATHS {
        let few = instructions(&bench, &scratch, path, FEW)?;
        let many = instructions(&bench, &scratch, path, MANY)?;
        let cost = many.checked_sub(few).with_context(|| {
            format!("{path}: {MANY} calls counted fewer instructions than {FEW}")
        })? / (MANY - FEW);
        per_call.push((path, cost));
    }
    let baseline = per_call[0].1 as f64;
    println!("instructions per get_token call (callgrind, this run):");
    for (path, cost) in &per_call {
        println!(
            "  {path:<10} {cost:>8}  {:.3} x reqwest",
            *cost as f64 / baseline
        );
    }
    Ok(())
}

/// Builds the bench binary in the release profile; returns its path.
fn build(root: &Path) -> anyhow::Result<PathBuf> {
    let output = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args([
            "bench",
            "-p",
            "logzio-shared-tokens",
            "--bench",
            "facade_call_cost",
        ])
        .args(["--no-run", "--message-format=json"])
        .current_dir(root)
        .output()
        .context("cannot run cargo bench --no-run")?;
    if !output.status.success() {
        bail!(
            "building the bench failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if message["target"]["name"] == "facade_call_cost"
            && let Some(executable) = message["executable"].as_str()
        {
            return Ok(PathBuf::from(executable));
        }
    }
    bail!("cargo did not name the facade_call_cost executable")
}

/// Instructions callgrind counts for one run of `calls` calls through `path`.
fn instructions(bench: &Path, scratch: &Path, path: &str, calls: u64) -> anyhow::Result<u64> {
    let out = scratch.join(format!("{path}.{calls}.callgrind"));
    let output = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(bench)
        .args([path, &calls.to_string()])
        .output()
        .with_context(|| format!("cannot run valgrind on {}", bench.display()))?;
    if !output.status.success() {
        bail!(
            "{path} with {calls} calls failed under callgrind:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let log = String::from_utf8_lossy(&output.stderr);
    log.lines()
        .find_map(|line| {
            line.split_once("Collected :")
                .map(|(_, count)| count.trim())
        })
        .and_then(|count| count.parse().ok())
        .with_context(|| format!("callgrind printed no instruction count for {path}"))
}
