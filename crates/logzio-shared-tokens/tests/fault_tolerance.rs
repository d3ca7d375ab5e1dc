//! 1,000 mixed operations against the emulator with 30 % injected 503s and
//! random latency: every operation succeeds, no token is created twice, and
//! the server never sees more requests in flight than the client's limit.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use logzio_shared_tokens::{Client, RetryPolicy, SharedTokenExt};
use logzio_shared_tokens_emulator::{Config, Emulator};

const OPERATIONS: usize = 1_000;
const WORKERS: usize = 50;
const CLIENT_LIMIT: usize = 12;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_mixed_operations_survive_a_thirty_percent_fault_rate() {
    let emulator = Emulator::start(Config {
        fail_rate: 0.3,
        latency: Some((Duration::from_millis(1), Duration::from_millis(6))),
        // The server refuses anything beyond the client's own limit with a 429,
        // so a leak in the client's limit would show up as rate_limited > 0.
        max_concurrent: CLIENT_LIMIT,
        ..Config::for_tests()
    })
    .await
    .unwrap();
    let client = Client::builder()
        .api_token(emulator.api_tokens()[0].clone())
        .base_url(emulator.base_url())
        .max_concurrent_requests(CLIENT_LIMIT)
        .retry_policy(
            // 0.3^25 per call: an exhausted policy here would be a bug, not bad luck.
            RetryPolicy::exponential()
                .with_max_attempts(25)
                .with_initial_backoff(Duration::from_millis(5))
                .with_max_backoff(Duration::from_millis(50))
                .with_max_elapsed(Duration::from_secs(120)),
        )
        .build()
        .unwrap();

    let workers: Vec<_> = (0..WORKERS)
        .map(|worker| {
            let client = client.clone();
            tokio::spawn(async move { run_worker(&client, worker).await })
        })
        .collect();
    let mut done = 0;
    let mut names_created = BTreeSet::new();
    for worker in workers {
        let (count, created) = worker.await.unwrap();
        done += count;
        names_created.extend(created);
    }
    assert_eq!(done, OPERATIONS);

    let stats = emulator.stats();
    assert!(
        stats.injected_faults > 100,
        "faults were injected: {stats:?}"
    );
    assert!(
        stats.peak_in_flight <= CLIENT_LIMIT,
        "the server saw {} in flight, the limit is {CLIENT_LIMIT}",
        stats.peak_in_flight
    );
    assert_eq!(stats.rate_limited, 0, "{stats:?}");

    // No duplicate: one token per name, as many creations as names.
    let tokens = client.tokens().list().await.unwrap();
    let mut per_name: BTreeMap<String, usize> = BTreeMap::new();
    for token in &tokens {
        *per_name.entry(token.name.clone().unwrap()).or_default() += 1;
    }
    assert!(per_name.values().all(|count| *count == 1), "{per_name:?}");
    let names: BTreeSet<String> = per_name.into_keys().collect();
    assert_eq!(names, names_created);
    assert_eq!(stats.tokens_created as usize, names_created.len());
    emulator.shutdown().await;
}

/// Runs this worker's share of the operations; returns how many ran and
/// the token names it created.
async fn run_worker(client: &Client, worker: usize) -> (usize, Vec<String>) {
    let mut created = Vec::new();
    let mut token_id = None;
    let mut filter_id = None;
    let mut count = 0;
    for op in (worker..OPERATIONS).step_by(WORKERS) {
        match op / WORKERS % 8 {
            0 | 4 => {
                let name = format!("w{worker}-t{}", op % 3);
                let ensured = client.tokens().ensure(&name).await.unwrap();
                if ensured.was_created() {
                    created.push(name);
                }
                token_id = Some(ensured.into_inner().id);
            }
            1 => {
                client.tokens().list().await.unwrap();
            }
            2 => {
                let value = format!("w{worker}");
                let filter = client.filters().ensure("team", value).await.unwrap();
                filter_id = Some(filter.into_inner().id);
            }
            3 => match (token_id, filter_id) {
                (Some(token), Some(filter)) => {
                    let updated = client.tokens().update(token, [filter]).await.unwrap();
                    assert_eq!(updated.filter_ids(), [filter]);
                }
                _ => {
                    client.filters().list().await.unwrap();
                }
            },
            5 => {
                if let Some(token) = token_id {
                    client.tokens().get(token).await.unwrap();
                } else {
                    client.tokens().list().await.unwrap();
                }
            }
            6 => {
                let temporary = client
                    .filters()
                    .create("tmp", format!("w{worker}-{op}"))
                    .await
                    .unwrap();
                client.filters().get(temporary.id).await.unwrap();
            }
            _ => {
                let filters = client.filters().list().await.unwrap();
                let mine = format!("w{worker}-");
                if let Some(temporary) = filters
                    .iter()
                    .find(|f| f.field.as_str() == "tmp" && f.value.starts_with(&mine))
                {
                    client.filters().delete(temporary.id).await.unwrap();
                }
            }
        }
        count += 1;
    }
    (count, created)
}
