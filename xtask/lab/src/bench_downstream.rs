//! `cargo xtask bench-downstream`: what a crate that depends on the facade
//! pays in a clean build, against a crate with what a hand-written client
//! needs (reqwest with JSON and rustls, tokio, serde, serde_json).
//!
//! A third crate measures the floor that generating in `build.rs` sets by
//! itself: the hand-written client's dependencies plus progenitor as a
//! build-dependency and the run-time crates its generated code calls
//! (progenitor-client, regress). The facade can only be as cheap as that
//! floor; what it costs above the floor is ours.
//!
//! The facade is built as a registry user gets it: `cargo package` output,
//! unpacked into a temporary directory and patched in for crates.io, so the
//! packages' `include` lists and normalised manifests are what is measured.
//! Each throwaway crate builds in a fresh target directory, with this
//! workspace's `Cargo.lock` so all three compile the same versions. Only the
//! package registry is needed; nothing is published.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

/// Our packages a dependent of the facade compiles, in dependency order, and the
/// emulator, which `cargo package` needs to resolve the facade's dev-dependencies.
const PACKAGED: &[&str] = &[
    "logzio-codegen",
    "logzio-shared-tokens-api",
    "logzio-shared-tokens-emulator",
    "logzio-shared-tokens",
];

/// What every throwaway crate also asks for: a runtime to call the client from.
const COMMON_DEPENDENCIES: &str = r#"tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
"#;

/// What a hand-written client needs beside the common dependencies.
const HAND_WRITTEN_DEPENDENCIES: &str = r#"reqwest = { version = "0.13", default-features = false, features = ["json", "rustls"] }
"#;

const FACADE_MAIN: &str = r#"#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = logzio_shared_tokens::Client::from_env()?;
    for token in client.tokens().list().await? {
        println!("{}", serde_json::to_string(&token.name)?);
    }
    Ok(())
}
"#;

const HAND_WRITTEN_MAIN: &str = r#"#[derive(serde::Deserialize)]
struct SharedToken {
    name: Option<String>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let tokens: Vec<SharedToken> = reqwest::Client::new()
        .get("https://api.logz.io/v1/shared-tokens")
        .header("X-API-TOKEN", std::env::var("LOGZIO_API_TOKEN")?)
        .send()
        .await?
        .json()
        .await?;
    for token in tokens {
        println!("{}", serde_json::to_string(&token.name)?);
    }
    Ok(())
}
"#;

/// The floor's build script: it links the generator, as a generating build
/// script does. Running a generation takes milliseconds (`cargo xtask
/// bench-codegen`); compiling the generator is the cost measured here.
const FLOOR_BUILD_RS: &str = r#"fn main() {
    let _generator = progenitor::Generator::default();
}
"#;

/// The crates our generated code and its build script use from progenitor's
/// family, at the versions in our `Cargo.lock`.
const FLOOR_CRATES: [&str; 3] = ["progenitor", "progenitor-client", "regress"];

/// One throwaway crate: what the report calls it and where it is.
struct Throwaway {
    label: &'static str,
    dir: PathBuf,
}

/// One clean build's cost: wall clock, the processor time of cargo and every
/// process it waited for (rustc, build scripts, the C compiler), and the units built.
#[derive(Clone, Copy)]
struct BuildCost {
    wall: Duration,
    cpu: Option<Duration>,
    crates_compiled: usize,
}

/// Packages the facade, builds the three throwaway crates from clean, `rounds`
/// times in a rotating order, and prints the comparison.
pub fn run(root: &Path, rounds: usize, keep: bool) -> anyhow::Result<()> {
    if rounds == 0 {
        bail!("--rounds must be at least 1");
    }
    let scratch =
        std::env::temp_dir().join(format!("logzio-bench-downstream-{}", std::process::id()));
    if scratch.exists() {
        std::fs::remove_dir_all(&scratch)
            .with_context(|| format!("clearing {}", scratch.display()))?;
    }
    std::fs::create_dir_all(&scratch).with_context(|| format!("creating {}", scratch.display()))?;
    let result = measure(root, &scratch, rounds);
    if keep {
        println!("kept {}", scratch.display());
    } else {
        let _ = std::fs::remove_dir_all(&scratch);
    }
    result
}

fn measure(root: &Path, scratch: &Path, rounds: usize) -> anyhow::Result<()> {
    let crates = throwaway_crates(root, scratch)?;
    println!(
        "clean `cargo build` of each throwaway crate, fresh target directory each, {rounds} round(s):"
    );
    // costs[crate][round]; the order rotates so no crate always builds first (or last).
    let mut costs: Vec<Vec<BuildCost>> = vec![Vec::with_capacity(rounds); crates.len()];
    for round in 0..rounds {
        for offset in 0..crates.len() {
            let index = (round + offset) % crates.len();
            let cost = clean_build(&crates[index].dir)?;
            println!(
                "  round {}: {:>6.1} s  {}",
                round + 1,
                cost.wall.as_secs_f64(),
                crates[index].label
            );
            costs[index].push(cost);
        }
    }
    report(&crates, &costs);
    Ok(())
}

/// Packages and unpacks ours, then writes the three throwaway crates: the
/// hand-written client, the generator's floor, and the facade's dependent.
fn throwaway_crates(root: &Path, scratch: &Path) -> anyhow::Result<[Throwaway; 3]> {
    let unpacked = package_and_unpack(root, scratch)?;
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).context("reading Cargo.lock")?;

    let mut patch = String::from("\n[patch.crates-io]\n");
    for (name, dir) in &unpacked {
        patch.push_str(&format!(
            "{name} = {{ path = {:?} }}\n",
            dir.display().to_string()
        ));
    }
    let mut floor_runtime = String::new();
    let mut floor_build = String::from("\n[build-dependencies]\n");
    for name in FLOOR_CRATES {
        let version = locked_version(&lock, name)?;
        if name == "progenitor" {
            floor_build.push_str(&format!(
                "{name} = {{ version = \"={version}\", default-features = false }}\n"
            ));
        } else {
            floor_runtime.push_str(&format!("{name} = \"={version}\"\n"));
        }
    }
    let hand_written = ThrowawaySpec {
        dependencies: format!("{HAND_WRITTEN_DEPENDENCIES}{COMMON_DEPENDENCIES}"),
        main: HAND_WRITTEN_MAIN,
        build_rs: None,
    };
    let floor = ThrowawaySpec {
        dependencies: format!(
            "{HAND_WRITTEN_DEPENDENCIES}{COMMON_DEPENDENCIES}{floor_runtime}{floor_build}"
        ),
        main: HAND_WRITTEN_MAIN,
        build_rs: Some(FLOOR_BUILD_RS),
    };
    let facade = ThrowawaySpec {
        dependencies: format!(
            "logzio-shared-tokens = \"{}\"\n{COMMON_DEPENDENCIES}{patch}",
            env!("CARGO_PKG_VERSION")
        ),
        main: FACADE_MAIN,
        build_rs: None,
    };
    Ok([
        Throwaway {
            label: "hand-written client (reqwest json+rustls, tokio, serde, serde_json)",
            dir: throwaway_crate(scratch, "hand-written", &hand_written, &lock)?,
        },
        Throwaway {
            label: "floor: the same + progenitor in build.rs + progenitor-client, regress",
            dir: throwaway_crate(scratch, "generator-floor", &floor, &lock)?,
        },
        Throwaway {
            label: "depends on the packaged logzio-shared-tokens",
            dir: throwaway_crate(scratch, "uses-facade", &facade, &lock)?,
        },
    ])
}

/// The version of `name` in a `Cargo.lock`; an error if it is absent or there twice.
fn locked_version(lock: &str, name: &str) -> anyhow::Result<String> {
    #[derive(serde::Deserialize)]
    struct Lock {
        package: Vec<LockedPackage>,
    }
    #[derive(serde::Deserialize)]
    struct LockedPackage {
        name: String,
        version: String,
    }
    let lock: Lock = toml::from_str(lock).context("reading Cargo.lock as TOML")?;
    let mut versions = lock
        .package
        .into_iter()
        .filter(|package| package.name == name)
        .map(|package| package.version);
    let Some(version) = versions.next() else {
        bail!("Cargo.lock has no package {name}");
    };
    if versions.next().is_some() {
        bail!("Cargo.lock has more than one version of {name}");
    }
    Ok(version)
}

/// Medians over the rounds, and ratios taken within each round (so a round
/// built on a busier machine does not count against one crate alone).
fn report(crates: &[Throwaway; 3], costs: &[Vec<BuildCost>]) {
    println!("median of the rounds:");
    for (throwaway, rounds) in crates.iter().zip(costs) {
        let wall = median(rounds.iter().map(|cost| cost.wall.as_secs_f64()));
        let cpu = median_cpu(rounds);
        let crates_compiled = rounds.last().map_or(0, |cost| cost.crates_compiled);
        let cpu = cpu.map_or("n/a".to_string(), |seconds| format!("{seconds:.1} s"));
        println!(
            "  {wall:>6.1} s wall  {cpu:>8} CPU  {crates_compiled:>4} crates  {}",
            throwaway.label
        );
    }
    let [hand_written, floor, facade] = [&costs[0], &costs[1], &costs[2]];
    println!(
        "ratio to the hand-written client (wall, median of the rounds' ratios): facade {:.2} (goal: at most 1.3), floor {:.2}",
        paired_ratio(facade, hand_written, |cost| Some(cost.wall)),
        paired_ratio(floor, hand_written, |cost| Some(cost.wall)),
    );
    println!(
        "ratio of processor time: facade {:.2}, floor {:.2}; facade over floor (our own share): wall {:.2}, processor {:.2}",
        paired_ratio(facade, hand_written, |cost| cost.cpu),
        paired_ratio(floor, hand_written, |cost| cost.cpu),
        paired_ratio(facade, floor, |cost| Some(cost.wall)),
        paired_ratio(facade, floor, |cost| cost.cpu),
    );
    if let (Some(facade), Some(hand_written)) = (facade.last(), hand_written.last()) {
        println!(
            "{} more crates compiled than the hand-written client",
            facade.crates_compiled as i64 - hand_written.crates_compiled as i64
        );
    }
}

/// The median of round-by-round ratios of `of` to `to`; NaN when a measure is missing.
fn paired_ratio(
    of: &[BuildCost],
    to: &[BuildCost],
    measure: impl Fn(&BuildCost) -> Option<Duration>,
) -> f64 {
    median(
        of.iter()
            .zip(to)
            .map(|(of, to)| match (measure(of), measure(to)) {
                (Some(of), Some(to)) => of.as_secs_f64() / to.as_secs_f64(),
                _ => f64::NAN,
            }),
    )
}

fn median_cpu(rounds: &[BuildCost]) -> Option<f64> {
    let seconds: Option<Vec<f64>> = rounds
        .iter()
        .map(|cost| cost.cpu.map(|cpu| cpu.as_secs_f64()))
        .collect();
    seconds.map(|seconds| median(seconds.into_iter()))
}

/// The median (the mean of the middle two for an even count); NaN for none.
fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut values: Vec<f64> = values.collect();
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// `cargo package` (no verify: the bench builds them) and unpacks each `.crate`.
fn package_and_unpack(root: &Path, scratch: &Path) -> anyhow::Result<Vec<(String, PathBuf)>> {
    let packages = scratch.join("packages");
    let mut command = cargo(root);
    command.args(["package", "--no-verify", "--allow-dirty", "--target-dir"]);
    command.arg(&packages);
    for name in PACKAGED {
        command.args(["-p", name]);
    }
    run_quietly(&mut command, "cargo package")?;
    let version = env!("CARGO_PKG_VERSION");
    let unpacked_root = scratch.join("unpacked");
    std::fs::create_dir_all(&unpacked_root)?;
    let mut unpacked = Vec::new();
    for name in PACKAGED {
        let file = packages
            .join("package")
            .join(format!("{name}-{version}.crate"));
        let mut tar = Command::new("tar");
        tar.arg("-xzf").arg(&file).arg("-C").arg(&unpacked_root);
        run_quietly(&mut tar, &format!("unpacking {}", file.display()))?;
        unpacked.push((
            name.to_string(),
            unpacked_root.join(format!("{name}-{version}")),
        ));
    }
    Ok(unpacked)
}

/// What one throwaway crate is made of.
struct ThrowawaySpec {
    /// The `[dependencies]` table's lines, and any table after it.
    dependencies: String,
    main: &'static str,
    build_rs: Option<&'static str>,
}

fn throwaway_crate(
    scratch: &Path,
    name: &str,
    spec: &ThrowawaySpec,
    lock: &str,
) -> anyhow::Result<PathBuf> {
    let dir = scratch.join(name);
    std::fs::create_dir_all(dir.join("src"))?;
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[workspace]\n\n[dependencies]\n{}",
        spec.dependencies
    );
    std::fs::write(dir.join("Cargo.toml"), manifest)?;
    std::fs::write(dir.join("src/main.rs"), spec.main)?;
    if let Some(build_rs) = spec.build_rs {
        std::fs::write(dir.join("build.rs"), build_rs)?;
    }
    // The same versions as this workspace; cargo drops the entries the crate does not use.
    std::fs::write(dir.join("Cargo.lock"), lock)?;
    Ok(dir)
}

/// A clean debug build in a fresh target directory; counts the units built.
fn clean_build(dir: &Path) -> anyhow::Result<BuildCost> {
    let target = dir.join("target");
    if target.exists() {
        std::fs::remove_dir_all(&target)
            .with_context(|| format!("clearing {}", target.display()))?;
    }
    let mut command = cargo(dir);
    command
        .args(["build", "--quiet", "--message-format=json"])
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS");
    let cpu_before = children_cpu_time();
    let started = Instant::now();
    let output = command
        .output()
        .with_context(|| format!("running cargo build in {}", dir.display()))?;
    let wall = started.elapsed();
    let cpu = match (cpu_before, children_cpu_time()) {
        (Some(before), Some(after)) => after.checked_sub(before),
        _ => None,
    };
    if !output.status.success() {
        bail!(
            "cargo build in {} failed:\n{}",
            dir.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    // One compiler-artifact message per compiled unit that is a library or binary target.
    let crates_compiled = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|line| line.contains("\"reason\":\"compiler-artifact\""))
        .filter(|line| !line.contains("\"kind\":[\"custom-build\"]"))
        .count();
    Ok(BuildCost {
        wall,
        cpu,
        crates_compiled,
    })
}

/// User and system time of every finished child process this one waited for,
/// and of theirs (cargo waits for rustc, rustc for the linker).
#[cfg(unix)]
fn children_cpu_time() -> Option<Duration> {
    use nix::sys::resource::{UsageWho, getrusage};
    use nix::sys::time::TimeValLike;
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).ok()?;
    let micros = usage.user_time().num_microseconds() + usage.system_time().num_microseconds();
    u64::try_from(micros).ok().map(Duration::from_micros)
}

#[cfg(not(unix))]
fn children_cpu_time() -> Option<Duration> {
    None
}

fn cargo(dir: &Path) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(dir).env_remove("CARGO_TARGET_DIR");
    command
}

fn run_quietly(command: &mut Command, what: &str) -> anyhow::Result<()> {
    let output = command
        .output()
        .with_context(|| format!("running {what}"))?;
    if !output.status.success() {
        bail!(
            "{what} failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests;
