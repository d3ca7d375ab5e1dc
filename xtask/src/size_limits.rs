//! The house's file-size limit, checked so it stays true: no hand-written Rust file over
//! 500 lines. Hand-written means every `.rs` file below the root except `generated/` (the
//! reviewed snapshot), any `target/` (build output and OUT_DIR) and hidden directories.
//!
//! The function half of the limits (no `fn` over 80 lines) is clippy's `too_many_lines`,
//! set in the root `Cargo.toml` and `clippy.toml`, so it needs no parser here.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// The longest hand-written Rust file, in lines.
const MAX_FILE_LINES: usize = 500;

/// Fails with one line per hand-written Rust file over the limit.
pub fn check(root: &Path) -> anyhow::Result<()> {
    let mut excesses = Vec::new();
    for path in hand_written_rust_files(root)? {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let lines = text.lines().count();
        if lines > MAX_FILE_LINES {
            let shown = path.strip_prefix(root).unwrap_or(&path).display();
            excesses.push(format!("{shown}: {lines} lines (at most {MAX_FILE_LINES})"));
        }
    }
    if excesses.is_empty() {
        return Ok(());
    }
    bail!(
        "hand-written Rust files over the size limit; split each along what its parts do:\n  {}",
        excesses.join("\n  ")
    )
}

/// Every `.rs` file below `root`, sorted, skipping `generated/`, `target/` and hidden
/// directories.
fn hand_written_rust_files(root: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut directories = vec![root.to_path_buf()];
    while let Some(directory) = directories.pop() {
        let entries = std::fs::read_dir(&directory)
            .with_context(|| format!("listing {}", directory.display()))?;
        for entry in entries {
            let path = entry
                .with_context(|| format!("listing {}", directory.display()))?
                .path();
            let name = path
                .file_name()
                .and_then(|name| name.to_str())
                .unwrap_or("");
            if path.is_dir() {
                let skipped = name.starts_with('.')
                    || name == "target"
                    || (directory == root && name == "generated");
                if !skipped {
                    directories.push(path);
                }
            } else if name.ends_with(".rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_check_names_each_hand_written_file_over_the_limit() {
        let root = tempfile::tempdir().unwrap_or_else(|error| panic!("tempdir: {error}"));
        let write = |relative: &str, lines: usize| {
            let path = root.path().join(relative);
            std::fs::create_dir_all(path.parent().unwrap_or(root.path()))
                .and_then(|()| std::fs::write(&path, "();\n".repeat(lines)))
                .unwrap_or_else(|error| panic!("writing {relative}: {error}"));
        };
        write("src/fits.rs", MAX_FILE_LINES);
        assert!(check(root.path()).is_ok());

        write("src/long.rs", MAX_FILE_LINES + 1);
        write("crates/a/tests/long_test.rs", MAX_FILE_LINES + 2);
        write("generated/client.rs", 2000);
        write("target/debug/build/out.rs", 2000);
        write(".hidden/long.rs", 2000);
        write("src/long.txt", 2000);
        let message = format!(
            "{:#}",
            check(root.path()).err().unwrap_or_else(|| panic!("passed"))
        );
        assert!(
            message.contains("src/long.rs: 501 lines (at most 500)"),
            "{message}"
        );
        assert!(
            message.contains("crates/a/tests/long_test.rs: 502 lines (at most 500)"),
            "{message}"
        );
        for not_named in ["fits.rs", "generated", "target", ".hidden", "long.txt"] {
            assert!(!message.contains(not_named), "{not_named}: {message}");
        }
    }
}
