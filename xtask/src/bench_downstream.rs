//! `cargo xtask bench-downstream`: what a crate that depends on the facade
//! pays in a clean build, against a crate with what a hand-written client
//! needs (reqwest with JSON and rustls, tokio, serde, serde_json).
//!
//! The facade is built as a registry user gets it: `cargo package` output,
//! unpacked into a temporary directory and patched in for crates.io, so the
//! packages' `include` lists and normalised manifests are what is measured.
//! Each throwaway crate builds in its own fresh target directory, with this
//! workspace's `Cargo.lock` so both sides compile the same versions. Only
//! the package registry is needed; nothing is published.

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

/// What both throwaway crates also ask for: a runtime to call the client from.
const COMMON_DEPENDENCIES: &str = r#"tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
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

/// One clean build's cost.
struct BuildCost {
    elapsed: Duration,
    crates_compiled: usize,
}

/// Packages the facade, builds both throwaway crates from clean and prints the comparison.
pub fn run(root: &Path, keep: bool) -> anyhow::Result<()> {
    let scratch =
        std::env::temp_dir().join(format!("logzio-bench-downstream-{}", std::process::id()));
    if scratch.exists() {
        std::fs::remove_dir_all(&scratch)
            .with_context(|| format!("clearing {}", scratch.display()))?;
    }
    std::fs::create_dir_all(&scratch).with_context(|| format!("creating {}", scratch.display()))?;
    let result = measure(root, &scratch);
    if keep {
        println!("kept {}", scratch.display());
    } else {
        let _ = std::fs::remove_dir_all(&scratch);
    }
    result
}

fn measure(root: &Path, scratch: &Path) -> anyhow::Result<()> {
    let unpacked = package_and_unpack(root, scratch)?;
    let lock = std::fs::read(root.join("Cargo.lock")).context("reading Cargo.lock")?;

    let mut patch = String::from("\n[patch.crates-io]\n");
    for (name, dir) in &unpacked {
        patch.push_str(&format!(
            "{name} = {{ path = {:?} }}\n",
            dir.display().to_string()
        ));
    }
    let facade = throwaway_crate(
        scratch,
        "uses-facade",
        &format!(
            "logzio-shared-tokens = \"{}\"\n{COMMON_DEPENDENCIES}{patch}",
            env!("CARGO_PKG_VERSION")
        ),
        FACADE_MAIN,
        &lock,
    )?;
    let hand_written = throwaway_crate(
        scratch,
        "hand-written",
        &format!(
            "reqwest = {{ version = \"0.13\", default-features = false, features = [\"json\", \"rustls\"] }}\n{COMMON_DEPENDENCIES}"
        ),
        HAND_WRITTEN_MAIN,
        &lock,
    )?;

    println!("clean `cargo build` of each throwaway crate, fresh target directory each:");
    let baseline = clean_build(&hand_written)?;
    report(
        "hand-written client (reqwest json+rustls, tokio, serde, serde_json)",
        &baseline,
    );
    let with_facade = clean_build(&facade)?;
    report("depends on the packaged logzio-shared-tokens", &with_facade);
    let ratio = with_facade.elapsed.as_secs_f64() / baseline.elapsed.as_secs_f64();
    println!(
        "ratio {ratio:.2} (goal: at most 1.3); {} more crates compiled",
        with_facade.crates_compiled as i64 - baseline.crates_compiled as i64
    );
    Ok(())
}

fn report(what: &str, cost: &BuildCost) {
    println!(
        "  {:>6.1} s  {:>4} crates  {what}",
        cost.elapsed.as_secs_f64(),
        cost.crates_compiled
    );
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

fn throwaway_crate(
    scratch: &Path,
    name: &str,
    dependencies: &str,
    main: &str,
    lock: &[u8],
) -> anyhow::Result<PathBuf> {
    let dir = scratch.join(name);
    std::fs::create_dir_all(dir.join("src"))?;
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[workspace]\n\n[dependencies]\n{dependencies}"
    );
    std::fs::write(dir.join("Cargo.toml"), manifest)?;
    std::fs::write(dir.join("src/main.rs"), main)?;
    // The same versions as this workspace; cargo drops the entries the crate does not use.
    std::fs::write(dir.join("Cargo.lock"), lock)?;
    Ok(dir)
}

/// A clean debug build in a fresh target directory; counts the `Compiling` lines.
fn clean_build(dir: &Path) -> anyhow::Result<BuildCost> {
    let target = dir.join("target");
    let mut command = cargo(dir);
    command
        .args(["build", "--quiet", "--message-format=json"])
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS");
    let started = Instant::now();
    let output = command
        .output()
        .with_context(|| format!("running cargo build in {}", dir.display()))?;
    let elapsed = started.elapsed();
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
        elapsed,
        crates_compiled,
    })
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
