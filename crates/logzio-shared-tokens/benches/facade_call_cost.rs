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

use logzio_shared_tokens::Client;
use logzio_shared_tokens::types::SharedToken;
use logzio_shared_tokens_emulator::{Config, Emulator};

mod common;
use common::http_client;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(path), Some(calls)) = (args.next(), args.next()) else {
        eprintln!("usage: facade_call_cost reqwest|generated|raw|facade CALLS");
        std::process::exit(2);
    };
    let calls: u32 = calls.parse().unwrap();
    // One thread: the emulator and the client share it, as one sequential
    // caller would, and callgrind's count does not depend on scheduling.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let emulator = Emulator::start(Config::for_tests()).await.unwrap();
        let api_token = emulator.api_tokens()[0].clone();
        let facade = Client::builder()
            .api_token(api_token.clone())
            .base_url(emulator.base_url())
            .user_agent("bench")
            .build()
            .unwrap();
        let id = facade.tokens().create("bench").send().await.unwrap().id;
        let plain = http_client(&api_token);
        let generated = logzio_shared_tokens_api::Client::new_with_client(
            emulator.base_url(),
            http_client(&api_token),
            Default::default(),
        );
        let url = format!("{}/v1/shared-tokens/{id}", emulator.base_url());
        for _ in 0..calls {
            let token: SharedToken = match path.as_str() {
                "reqwest" => plain
                    .get(&url)
                    .header("Accept", "application/json")
                    .send()
                    .await
                    .unwrap()
                    .error_for_status()
                    .unwrap()
                    .json()
                    .await
                    .unwrap(),
                "generated" => generated
                    .get_token()
                    .id(id)
                    .send()
                    .await
                    .unwrap()
                    .into_inner(),
                "raw" => facade
                    .raw()
                    .get_token()
                    .id(id)
                    .send()
                    .await
                    .unwrap()
                    .into_inner(),
                "facade" => facade.tokens().get(id).await.unwrap(),
                other => panic!("unknown path {other}"),
            };
            black_box(token);
        }
        emulator.shutdown().await;
    });
}
