//! Where the checked-in corpora live and which check each target runs: the
//! one list `tests/replay.rs`, `examples/write_seeds.rs` and `cargo xtask
//! fuzz` agree on.

use std::path::{Path, PathBuf};

/// A fuzz target: its name under `fuzz/fuzz_targets/` and its check.
#[derive(Clone, Copy, Debug)]
pub struct Target {
    /// The cargo-fuzz target name (and corpus folder name).
    pub name: &'static str,
    /// The check libFuzzer and the replay tests call.
    pub check: fn(&[u8]),
}

/// Every fuzz target, in the order `cargo xtask fuzz` runs them.
pub const TARGETS: [Target; 4] = [
    Target {
        name: "spec",
        check: crate::spec::check,
    },
    Target {
        name: "decode",
        check: crate::decode::check,
    },
    Target {
        name: "apply_file",
        check: crate::apply_file::check,
    },
    Target {
        name: "emulator_http",
        check: crate::emulator_http::check,
    },
];

/// The workspace root (this crate sits two levels below it).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `fuzz/corpus/<target>`: seeds plus whatever fuzzing added and was kept.
pub fn corpus_dir(target: &str) -> PathBuf {
    workspace_root().join("fuzz/corpus").join(target)
}

/// `fuzz/regressions/<target>`: inputs that once broke a promise, kept
/// after the fix so they are replayed forever.
pub fn regressions_dir(target: &str) -> PathBuf {
    workspace_root().join("fuzz/regressions").join(target)
}

/// The files of `dir`, sorted by name (missing folder: none).
pub fn files_in(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(error),
    };
    let mut files = Vec::new();
    for entry in entries {
        let path = entry?.path();
        if path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}
