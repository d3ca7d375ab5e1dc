//! `cargo xtask bench-codegen`: times `logzio_codegen::generate` on the
//! spec, file read included: what every build of the generated crate pays in
//! its build script.

use std::path::Path;

/// The spec file, relative to the workspace root.
const SPEC: &str = "swagger.json";

/// Times `runs` runs of the pipeline after one warm-up and prints quantiles.
pub fn run(root: &Path, runs: usize) -> anyhow::Result<()> {
    let spec = root.join(SPEC);
    let generate = || logzio_codegen::generate_file(&spec).map_err(|e| anyhow::anyhow!("{e}"));
    generate()?;
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        let started = std::time::Instant::now();
        generate()?;
        samples.push(started.elapsed());
    }
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    println!(
        "codegen ({SPEC} -> formatted client + httpmock helpers), {} runs: min {:.1} ms, median {:.1} ms, p95 {:.1} ms (goal: < 100 ms)",
        samples.len(),
        at(0.0).as_secs_f64() * 1e3,
        at(0.5).as_secs_f64() * 1e3,
        at(0.95).as_secs_f64() * 1e3,
    );
    Ok(())
}
