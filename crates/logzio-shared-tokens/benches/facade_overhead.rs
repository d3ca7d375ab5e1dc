//! What the facade costs, three rows in one run against the same in-process
//! emulator on 127.0.0.1, each with the same `reqwest::Client` settings
//! (default headers, user agent, timeouts, gzip): plain `reqwest` decoding
//! into the generated `SharedToken`, the generated client with the default
//! transport, and the facade (its request path: permit, retry policy, span,
//! error shaping). Then decoding a 10,000-token list into the lenient
//! generated types against a plain `#[derive(Deserialize)]` struct with the
//! same fields, from the same bytes.
//!
//! Run: `cargo bench -p logzio-shared-tokens --bench facade_overhead`; the
//! last lines print the ratios of the medians. Goals: facade / reqwest
//! <= 1.05, lenient / plain decode <= 1.2.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use logzio_shared_tokens::types::SharedToken;

mod common;
use common::CallPaths;

fn sequential_get(c: &mut Criterion) {
    let runtime = common::two_worker_runtime();
    let paths = runtime.block_on(CallPaths::start());
    let mut group = c.benchmark_group("get_token");
    for (row, path) in [
        ("1_reqwest", "reqwest"),
        ("2_generated", "generated"),
        ("3_facade", "facade"),
    ] {
        group.bench_function(row, |b| {
            b.iter(|| black_box(runtime.block_on(paths.get_token(path))))
        });
    }
    group.finish();
    runtime.block_on(paths.emulator.shutdown());
}

/// The generated `SharedToken`'s fields as plain serde types: what a
/// hand-written client would decode into.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct PlainToken {
    id: Option<i32>,
    name: Option<String>,
    token: Option<String>,
    filters: Option<Vec<i32>>,
    filter_ids: Option<Vec<i32>>,
    last_used: Option<i64>,
    expiration_date: Option<i64>,
    filters_operator: Option<String>,
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
    group.bench_function("1_plain_struct", |b| {
        b.iter(|| {
            let decoded: Vec<PlainToken> = serde_json::from_slice(black_box(&body)).unwrap();
            assert_eq!(decoded.len(), 10_000);
            decoded
        })
    });
    group.bench_function("2_lenient_generated", |b| {
        b.iter(|| {
            let decoded: Vec<SharedToken> = serde_json::from_slice(black_box(&body)).unwrap();
            assert_eq!(decoded.len(), 10_000);
            decoded
        })
    });
    group.finish();
}

/// Criterion's median estimate for one benchmark of this run, in ns.
fn median_ns(group: &str, name: &str) -> Option<f64> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let path = target
        .join("criterion")
        .join(group)
        .join(name)
        .join("new/estimates.json");
    let estimates: serde_json::Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    estimates["median"]["point_estimate"].as_f64()
}

fn ratios(_: &mut Criterion) {
    let rows = [
        ("get_token", "1_reqwest", "2_generated"),
        ("get_token", "1_reqwest", "3_facade"),
        ("decode", "1_plain_struct", "2_lenient_generated"),
    ];
    println!("\nratios of the medians (this run):");
    for (group, baseline, row) in rows {
        match (median_ns(group, baseline), median_ns(group, row)) {
            (Some(base), Some(value)) => println!(
                "  {group}: {row} / {baseline} = {:.3}  ({:.1} µs / {:.1} µs)",
                value / base,
                value / 1000.0,
                base / 1000.0
            ),
            _ => println!("  {group}: {row} / {baseline}: not measured in this run"),
        }
    }
}

criterion_group!(benches, sequential_get, decode_ten_thousand_tokens, ratios);
criterion_main!(benches);
