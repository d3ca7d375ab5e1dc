//! What the facade costs: sequential `getToken` calls through the facade
//! versus the same request made with plain `reqwest` (same connection
//! settings, same decoding into the generated `SharedToken`) against the
//! same in-process emulator on 127.0.0.1; and the time to decode a
//! 10,000-token list into the generated types.
//!
//! Run: `cargo bench -p logzio-shared-tokens --bench facade_overhead`.
//! The goal is facade/raw <= 1.05 at the median (criterion's estimates.json).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use logzio_shared_tokens::Client;
use logzio_shared_tokens::types::SharedToken;
use logzio_shared_tokens_emulator::{Config, Emulator};

fn sequential_get(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let emulator = runtime
        .block_on(Emulator::start(Config::for_tests()))
        .unwrap();
    let api_token = emulator.api_tokens()[0].clone();
    let client = Client::builder()
        .api_token(api_token.clone())
        .base_url(emulator.base_url())
        .build()
        .unwrap();
    let id = runtime
        .block_on(client.tokens().create("bench").filters([]).send())
        .unwrap()
        .id
        .unwrap();

    // The raw side: a reqwest client configured like the facade's own.
    let raw = reqwest::Client::builder()
        .gzip(true)
        .timeout(logzio_shared_tokens::DEFAULT_TIMEOUT)
        .connect_timeout(logzio_shared_tokens::DEFAULT_CONNECT_TIMEOUT)
        .build()
        .unwrap();
    let url = format!("{}/v1/shared-tokens/{id}", emulator.base_url());

    let mut group = c.benchmark_group("get_token");
    group.bench_function("facade", |b| {
        b.iter(|| black_box(runtime.block_on(client.tokens().get(id)).unwrap()))
    });
    group.bench_function("raw_reqwest", |b| {
        b.iter(|| {
            let token: SharedToken = runtime
                .block_on(async {
                    raw.get(&url)
                        .header("X-API-TOKEN", &api_token)
                        .header("Accept", "application/json")
                        .send()
                        .await?
                        .error_for_status()?
                        .json()
                        .await
                })
                .unwrap();
            black_box(token)
        })
    });
    group.finish();
    runtime.block_on(emulator.shutdown());
}

fn decode_ten_thousand_tokens(c: &mut Criterion) {
    let tokens: Vec<serde_json::Value> = (0..10_000)
        .map(|i| {
            serde_json::json!({
                "id": i,
                "name": format!("token number {i}"),
                "token": format!("{:08x}-0000-4000-8000-{:012x}", i, i * 7919),
                "filters": if i % 3 == 0 { serde_json::Value::Null } else { serde_json::json!([i, i + 1]) },
                "filtersOperator": if i % 2 == 0 { "OR" } else { "AND" },
                "expirationDate": 1_735_743_699_000_i64 + i64::from(i),
                "lastUsed": if i % 4 == 0 { serde_json::Value::Null } else { serde_json::json!(1_735_000_000_000_i64) },
            })
        })
        .collect();
    let body = serde_json::to_vec(&tokens).unwrap();
    let mut group = c.benchmark_group("decode");
    group.throughput(criterion::Throughput::Bytes(body.len() as u64));
    group.bench_function("list_of_10000_tokens", |b| {
        b.iter(|| {
            let decoded: Vec<SharedToken> = serde_json::from_slice(black_box(&body)).unwrap();
            assert_eq!(decoded.len(), 10_000);
            decoded
        })
    });
    group.finish();
}

criterion_group!(benches, sequential_get, decode_ten_thousand_tokens);
criterion_main!(benches);
