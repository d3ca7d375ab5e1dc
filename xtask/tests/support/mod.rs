//! What the xtask tests share: where the real workspace is, and copying its reviewed
//! snapshot into a temporary workspace, so a test never writes to the real one.

use std::path::{Path, PathBuf};

/// The workspace this xtask belongs to.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Copies the real `generated/` snapshot into `root/generated`, which must exist.
pub fn copy_snapshot_into(root: &Path) {
    let real = workspace_root().join("generated");
    for name in ["openapi.json", "client.rs", "httpmock.rs"] {
        std::fs::copy(real.join(name), root.join("generated").join(name))
            .unwrap_or_else(|error| panic!("copying generated/{name}: {error}"));
    }
}
