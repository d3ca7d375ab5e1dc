//! The human-readable report of one import: what was normalised, which
//! corrections applied or no longer apply, and the structural differences,
//! breaking ones first. It only prints; it decides nothing.

use super::corrections::{Applied, CORRECTIONS_FILE};
use super::diff::{Change, Impact};
use super::normalise::Imported;

/// Prints the report to stdout.
pub fn print(file: &str, imported: &Imported, applied: &[Applied<'_>], changes: &[Change]) {
    println!("import-spec: {file} ({} shape)", imported.shape.name());
    for note in &imported.notes {
        println!("  normalised: {note}");
    }

    let used = applied.iter().filter(|a| !a.other_shape).count();
    let stale: Vec<&Applied<'_>> = applied.iter().filter(|a| a.is_stale()).collect();
    let skipped = applied.len() - used;
    println!(
        "corrections ({CORRECTIONS_FILE}): {} applied, {} no longer apply{}",
        used - stale.len(),
        stale.len(),
        if skipped > 0 {
            format!(", {skipped} only for the other published shape")
        } else {
            String::new()
        }
    );
    for entry in &stale {
        for line in entry.stale_lines() {
            println!("  ! {line}");
        }
        println!(
            "    (decision: {}; review the entry and docs/spec-decisions.md)",
            entry.correction.decision
        );
    }

    if changes.is_empty() {
        println!("structural differences from swagger.json: none");
        println!("verdict: no structural change");
        return;
    }
    let breaking = changes
        .iter()
        .filter(|c| c.impact == Impact::Breaking)
        .count();
    println!(
        "structural differences from swagger.json: {} ({breaking} breaking, {} additive)",
        changes.len(),
        changes.len() - breaking
    );
    let mut sorted: Vec<&Change> = changes.iter().collect();
    sorted.sort_by_key(|c| c.impact);
    for change in sorted {
        let label = match change.impact {
            Impact::Breaking => "breaking",
            Impact::Additive => "additive",
        };
        println!("  {label:<8}  {}: {}", change.location, change.what);
    }
    println!("{}", verdict(breaking));
}

/// The one-line summary for the generated crate's users (docs/spec-updates.md
/// defines both words).
fn verdict(breaking: usize) -> &'static str {
    match breaking {
        0 => {
            "verdict: additive (a minor release of logzio-shared-tokens-api; existing code keeps compiling and working)"
        }
        _ => {
            "verdict: breaking (a major release of logzio-shared-tokens-api; existing code may stop compiling or fail at run time)"
        }
    }
}
