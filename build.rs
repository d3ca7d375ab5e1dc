//! Generates the client from `swagger.json` at compile time, through the same
//! `logzio_codegen::generate` that `cargo xtask generate` snapshots.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    println!("cargo:rerun-if-changed=swagger.json");
    println!("cargo:rerun-if-changed=build.rs");

    let Some(out_dir) = std::env::var_os("OUT_DIR").map(PathBuf::from) else {
        println!("cargo::error=OUT_DIR is not set: build.rs must be run by cargo");
        return ExitCode::FAILURE;
    };
    let generated = match logzio_codegen::generate_file(Path::new("swagger.json")) {
        Ok(generated) => generated,
        Err(error) => {
            println!("cargo::error=swagger.json cannot be turned into a client:");
            for line in error.to_string().lines() {
                println!("cargo::error=  {line}");
            }
            println!(
                "cargo::error=Fix swagger.json (the pointer is an RFC 6901 path into it), then run `cargo xtask check`."
            );
            return ExitCode::FAILURE;
        }
    };
    for (name, text) in [
        ("client.rs", &generated.client),
        ("httpmock.rs", &generated.httpmock),
    ] {
        if let Err(error) = std::fs::write(out_dir.join(name), text) {
            println!("cargo::error=cannot write {name} to OUT_DIR: {error}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
