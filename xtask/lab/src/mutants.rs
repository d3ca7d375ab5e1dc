//! `cargo xtask mutants [--area NAME]`: mutation testing with cargo-mutants
//! over the code whose rules matter most, one area at a time,
//! and a summary per area: mutants caught by the tests, missed, timed out,
//! unviable (did not build), and the share caught among the viable ones.
//!
//! Each area names its package and files; cargo-mutants runs that package's
//! tests against every mutant. Output goes to `target/mutants/<area>/`
//! (`mutants.out/outcomes.json`, `missed.txt`). It takes hours for every
//! area on a 2-core machine, so CI does not run it (see docs/testing.md).

use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};

/// An area: a package, the files of it whose mutants are tried, and the
/// tests that run against each mutant.
struct Area {
    name: &'static str,
    package: &'static str,
    /// Cargo features the tests need (the emulator's binary is behind `cli`).
    features: &'static [&'static str],
    files: &'static [&'static str],
    /// The test targets that exercise `files`, as `cargo test` arguments; empty
    /// runs every test of the package. A subset keeps a mutant to one rebuild
    /// of a few test binaries instead of all of them.
    tests: &'static [&'static str],
}

const AREAS: [Area; 5] = [
    Area {
        name: "facade",
        package: "logzio-shared-tokens",
        features: &[],
        files: &[
            "src/retry.rs",
            "src/error.rs",
            "src/error/from_api.rs",
            "src/redact.rs",
            "src/client.rs",
            "src/ext.rs",
        ],
        tests: &[],
    },
    Area {
        name: "request-path",
        package: "logzio-shared-tokens",
        features: &[],
        files: &["src/request_path.rs"],
        // Retries and error shaping against canned servers and the emulator's
        // quirks, the trace fields (`secrets`), the permit under load
        // (`fault_tolerance`).
        tests: &[
            "--lib",
            "--test",
            "canned_responses",
            "--test",
            "tolerant_reader",
            "--test",
            "emulator_quirks",
            "--test",
            "secrets",
            "--test",
            "fault_tolerance",
        ],
    },
    Area {
        name: "emulator",
        package: "logzio-shared-tokens-emulator",
        features: &["cli"],
        files: &["src/accounts.rs", "src/store.rs", "src/persist.rs"],
        // The data model's rules, the state file, and (`protocol`) the body cap
        // declared in accounts.rs; `binary` and `quirks` test flags and quirks.
        tests: &[
            "--lib",
            "--test",
            "operations",
            "--test",
            "persistence",
            "--test",
            "protocol",
        ],
    },
    Area {
        name: "cli",
        package: "logzio-shared-tokens-cli",
        features: &[],
        files: &[
            "src/apply/plan.rs",
            "src/apply/matching.rs",
            "src/apply/mod.rs",
            "src/audit.rs",
        ],
        // The planner's and audit's unit tests, and the binary's `apply`,
        // `--renew-expiring`/`--detailed-exitcode` and `audit` runs.
        tests: &[
            "--lib",
            "--test",
            "apply",
            "--test",
            "audit_rotate",
            "--test",
            "drift_renewal",
        ],
    },
    Area {
        name: "codegen",
        package: "logzio-codegen",
        features: &[],
        files: &["src/preflight.rs", "src/preflight/schemas.rs"],
        tests: &[],
    },
];

#[derive(clap::Args)]
pub struct Args {
    /// Run only this area.
    #[arg(long, value_parser = ["facade", "request-path", "emulator", "cli", "codegen"])]
    area: Option<String>,
    /// Seconds a mutant's tests may run before it counts as timed out.
    #[arg(long, default_value_t = 120)]
    timeout: u64,
    /// Mutate this tree and build in its target/ (much faster: no copy, no clean build),
    /// skipping the baseline test run. Do not edit or commit .rs files meanwhile.
    #[arg(long)]
    in_place: bool,
}

pub fn run(root: &Path, args: &Args) -> anyhow::Result<()> {
    let installed = Command::new("cargo")
        .args(["mutants", "--version"])
        .output();
    if !installed.is_ok_and(|output| output.status.success()) {
        bail!("cargo-mutants is not installed: cargo install cargo-mutants --locked");
    }
    let mut summaries = Vec::new();
    for area in AREAS
        .iter()
        .filter(|area| args.area.as_deref().is_none_or(|only| only == area.name))
    {
        let output = root.join("target/mutants").join(area.name);
        std::fs::create_dir_all(&output)
            .with_context(|| format!("cannot create {}", output.display()))?;
        println!("=== mutants: {} ({})", area.name, area.files.join(", "));
        let mut command = Command::new("cargo");
        command
            .args(["mutants", "--package", area.package, "--no-shuffle"])
            .args(["--timeout", &args.timeout.to_string()])
            .arg("--output")
            .arg(&output)
            .current_dir(root);
        if args.in_place {
            command.args(["--in-place", "--baseline", "skip"]);
        }
        for file in area.files {
            // cargo-mutants matches paths from the workspace root.
            command
                .arg("--file")
                .arg(format!("crates/{}/{file}", area.package));
        }
        if !area.features.is_empty() {
            command.arg("--features").arg(area.features.join(","));
        }
        if !area.tests.is_empty() {
            // cargo-mutants passes what follows `--` to `cargo test`.
            command.arg("--").args(area.tests);
        }
        // cargo-mutants exits non-zero when a mutant is missed: the summary says so.
        command
            .status()
            .with_context(|| format!("cannot run cargo mutants for {}", area.name))?;
        summaries.push((
            area.name,
            summarise(&output.join("mutants.out/outcomes.json"))?,
        ));
    }
    println!("\nmutation testing, this run:");
    for (name, counts) in &summaries {
        println!("  {name:<9} {counts}");
    }
    Ok(())
}

/// Outcome counts of one cargo-mutants run.
#[derive(Default)]
struct Counts {
    caught: u32,
    missed: u32,
    timeout: u32,
    unviable: u32,
}

impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let viable = self.caught + self.missed + self.timeout;
        let share = if viable == 0 {
            "no viable mutant".to_owned()
        } else {
            // A timeout counts as caught: the mutant made the tests hang.
            format!(
                "{:.1}% caught",
                f64::from(self.caught + self.timeout) * 100.0 / f64::from(viable)
            )
        };
        write!(
            f,
            "{} caught, {} missed, {} timeout, {} unviable: {share}",
            self.caught, self.missed, self.timeout, self.unviable
        )
    }
}

fn summarise(outcomes: &Path) -> anyhow::Result<Counts> {
    let text = std::fs::read_to_string(outcomes)
        .with_context(|| format!("cannot read {}", outcomes.display()))?;
    let json: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{} is not JSON", outcomes.display()))?;
    let mut counts = Counts::default();
    for outcome in json["outcomes"].as_array().into_iter().flatten() {
        if outcome["scenario"] == "Baseline" {
            continue;
        }
        match outcome["summary"].as_str() {
            Some("CaughtMutant") => counts.caught += 1,
            Some("MissedMutant") => counts.missed += 1,
            Some("Timeout") => counts.timeout += 1,
            Some("Unviable") => counts.unviable += 1,
            _ => {}
        }
    }
    Ok(counts)
}
