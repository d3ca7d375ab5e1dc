//! `cargo xtask docs`: rustdoc for the crates users read.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

/// The crates whose docs are built, with their library names.
const DOCUMENTED: &[(&str, &str)] = &[
    ("logzio-shared-tokens-api", "logzio_shared_tokens_api"),
    ("logzio-shared-tokens", "logzio_shared_tokens"),
];

/// Builds the docs and prints the index pages.
pub fn build(root: &Path) -> anyhow::Result<()> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.current_dir(root).args(["doc", "--no-deps"]);
    for (package, _) in DOCUMENTED {
        command.args(["-p", package]);
    }
    let status = command.status().context("running cargo doc")?;
    if !status.success() {
        bail!("cargo doc failed ({status})");
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    println!("Open the docs:");
    for (_, library) in DOCUMENTED {
        let index = target.join("doc").join(library).join("index.html");
        if index.exists() {
            println!("  file://{}", index.display());
        }
    }
    Ok(())
}
