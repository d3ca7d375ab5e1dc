//! Wall-clock time of one `get_token` call through plain reqwest, the
//! generated client, `Client::raw()` and the facade, measured in paired
//! rounds: each round times a batch of calls on every path, in an order that
//! rotates from round to round, and the figure is the median over rounds of
//! each path's time divided by plain reqwest's in the same round.
//!
//! `facade_overhead` (criterion) measures the rows one after another, so
//! whatever drifts during a run (the emulator, the machine) lands on the later
//! rows; here it lands on every path alike. Same emulator and `reqwest::Client`
//! settings as the other benches.
//!
//! Run: `cargo bench -p logzio-shared-tokens --bench facade_paired_wall_clock`.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;
use std::time::Instant;

use logzio_shared_tokens::types::SharedToken;

mod common;
use common::{CallPaths, PATHS};

const ROUNDS: usize = 24;
/// Rounds left out at the start, while connections and caches warm up.
const WARM_UP_ROUNDS: usize = 2;
const CALLS_PER_BATCH: u32 = 500;

fn main() {
    let runtime = common::two_worker_runtime();
    let paths = runtime.block_on(CallPaths::start());
    let ratios = paired_ratios(|path| runtime.block_on(paths.get_token(PATHS[path])));
    runtime.block_on(paths.emulator.shutdown());
    report(ratios);
}

/// Each path's time over plain reqwest's (path 0) in the same round, one
/// entry a round after the warm-up.
fn paired_ratios(call: impl Fn(usize) -> SharedToken) -> [Vec<f64>; 4] {
    let mut ratios: [Vec<f64>; 4] = Default::default();
    for round in 0..ROUNDS {
        let mut micros = [0.0; 4];
        for step in 0..PATHS.len() {
            let path = (step + round) % PATHS.len();
            let started = Instant::now();
            for _ in 0..CALLS_PER_BATCH {
                black_box(call(path));
            }
            micros[path] = started.elapsed().as_secs_f64() * 1e6 / f64::from(CALLS_PER_BATCH);
        }
        if round >= WARM_UP_ROUNDS {
            for path in 0..PATHS.len() {
                ratios[path].push(micros[path] / micros[0]);
            }
        }
    }
    ratios
}

/// Prints each path's median ratio and the range of its rounds.
fn report(ratios: [Vec<f64>; 4]) {
    println!(
        "wall clock per get_token call, median over {} paired rounds of {CALLS_PER_BATCH} calls:",
        ROUNDS - WARM_UP_ROUNDS
    );
    for (path, mut path_ratios) in PATHS.iter().zip(ratios).skip(1) {
        path_ratios.sort_by(f64::total_cmp);
        println!(
            "  {path:<10} {:.3} x reqwest  (rounds from {:.3} to {:.3})",
            path_ratios[path_ratios.len() / 2],
            path_ratios[0],
            path_ratios[path_ratios.len() - 1]
        );
    }
}
