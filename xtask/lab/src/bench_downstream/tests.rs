//! The bench's own arithmetic and its reading of Cargo.lock.

use super::*;

const LOCK: &str = r#"version = 4

[[package]]
name = "progenitor"
version = "0.15.1"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "progenitor-client"
version = "0.15.2"

[[package]]
name = "syn"
version = "2.0.119"

[[package]]
name = "syn"
version = "3.0.10"
"#;

#[test]
fn a_locked_version_is_read_by_exact_name() {
    assert_eq!(locked_version(LOCK, "progenitor").unwrap(), "0.15.1");
    assert_eq!(locked_version(LOCK, "progenitor-client").unwrap(), "0.15.2");
}

#[test]
fn the_workspace_lock_names_each_crate_the_floor_pins_once() {
    let lock =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../Cargo.lock")).unwrap();
    for name in FLOOR_CRATES {
        assert!(locked_version(&lock, name).is_ok(), "{name}");
    }
}

#[test]
fn a_missing_or_doubled_package_is_an_error() {
    assert!(locked_version(LOCK, "regress").is_err());
    assert!(locked_version(LOCK, "syn").is_err());
}

#[test]
fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
    assert_eq!(median([3.0, 1.0, 2.0].into_iter()), 2.0);
    assert_eq!(median([4.0, 1.0, 3.0, 2.0].into_iter()), 2.5);
    assert!(median(std::iter::empty()).is_nan());
}

#[test]
fn ratios_are_paired_round_by_round() {
    let cost = |seconds: u64| BuildCost {
        wall: Duration::from_secs(seconds),
        cpu: None,
        crates_compiled: 1,
    };
    // Round by round: 3.0, 1.0, 1.2, so the median is 1.2; the ratio of the
    // medians (30 s / 20 s = 1.5) would mix rounds measured under different loads.
    let of = [cost(30), cost(20), cost(60)];
    let to = [cost(10), cost(20), cost(50)];
    assert_eq!(paired_ratio(&of, &to, |cost| Some(cost.wall)), 1.2);
    assert!(paired_ratio(&of, &to, |cost| cost.cpu).is_nan());
}
