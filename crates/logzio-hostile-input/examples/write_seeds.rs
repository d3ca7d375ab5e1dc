//! Writes the seed corpora into `fuzz/corpus/<target>/seed-*` from our real
//! inputs: `swagger.json` (as JSON, as YAML, and lightly edited), the
//! emulator's own answers, the `apply` file examples of the docs, and the
//! request sequences of the emulator's protocol tests.
//!
//! `cargo run -p logzio-hostile-input --example write_seeds`; the replay
//! tests fail if a seed written here is missing from the checked-in corpus.

use std::process::ExitCode;

use logzio_hostile_input::corpus::corpus_dir;
use logzio_hostile_input::seeds;

fn main() -> ExitCode {
    for (target, seeds) in seeds::all() {
        let folder = corpus_dir(target);
        if let Err(error) = std::fs::create_dir_all(&folder) {
            eprintln!("cannot create {}: {error}", folder.display());
            return ExitCode::FAILURE;
        }
        for (name, bytes) in seeds {
            let path = folder.join(format!("seed-{name}"));
            if let Err(error) = std::fs::write(&path, bytes) {
                eprintln!("cannot write {}: {error}", path.display());
                return ExitCode::FAILURE;
            }
        }
        println!("{target}: seeds written to {}", folder.display());
    }
    ExitCode::SUCCESS
}
