//! Instructions per `get_token` call, counted by valgrind's callgrind, so
//! the figure repeats whatever else the machine is doing (wall-clock rows
//! are in `facade_overhead`). Each path runs in its own process:
//! `facade_call_cost PATH CALLS` makes CALLS sequential calls after the same
//! setup; the difference between two call counts divided by the difference
//! of calls is the cost of one call, setup excluded.
//!
//! Run all of it: `cargo xtask bench-call-cost`.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;

mod common;
use common::{CallPaths, PATHS, get_token_call};
use logzio_shared_tokens::types::SharedToken;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(path), Some(calls)) = (args.next(), args.next()) else {
        eprintln!("usage: facade_call_cost reqwest|generated|raw|facade CALLS");
        std::process::exit(2);
    };
    let calls: u32 = calls.parse().unwrap();
    assert!(PATHS.contains(&path.as_str()), "unknown path {path}");
    // One thread: the emulator and the client share it, as one sequential
    // caller would, and callgrind's count does not depend on scheduling.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let paths = CallPaths::start().await;
        // The calls are expanded here (`get_token_call!`) rather than made
        // through `CallPaths::get_token`, whose one future for every path
        // would add its own moves to each call counted.
        for _ in 0..calls {
            let token: SharedToken = get_token_call!(paths, path.as_str());
            black_box(token);
        }
        paths.emulator.shutdown().await;
    });
}
