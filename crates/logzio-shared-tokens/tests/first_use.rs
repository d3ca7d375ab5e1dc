//! What a new user ran into on a first use of the facade against the
//! emulator, each now a test named after the behaviour that fixed it. The
//! security behaviours come first: filters that accumulate, and ids that are
//! never `Option` (a `None` id used to mean a token with no filter at all).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeSet;
use std::future::IntoFuture;
use std::time::Duration;

use logzio_shared_tokens::{
    ClientBuilder, Ensured, Error, FiltersOperator, RetryPolicy, SharedTokenExt,
};
use logzio_shared_tokens_emulator::Config;
use support::{Canned, CannedServer, decode_location, emulator_and_client};

fn sorted(ids: &[i32]) -> Vec<i32> {
    let set: BTreeSet<i32> = ids.iter().copied().collect();
    set.into_iter().collect()
}

/// `.filters(a).filters(b)` used to keep only `b`, silently.
#[tokio::test]
async fn filters_accumulate_and_only_set_filters_replaces() {
    let (emulator, client) = emulator_and_client(Config::for_tests()).await;
    let nginx = client.filters().create("type", "nginx").await.unwrap().id;
    let prod = client.filters().create("env", "prod").await.unwrap().id;
    let eu = client.filters().create("region", "eu").await.unwrap().id;

    let token = client
        .tokens()
        .create("two filters")
        .filters([nginx])
        .filters([prod])
        .operator(FiltersOperator::And)
        .await
        .unwrap();
    assert_eq!(token.filter_ids(), [nginx, prod]);

    let token = client
        .tokens()
        .create("one by one")
        .filter(nginx)
        .filter(prod)
        .filter(nginx)
        .await
        .unwrap();
    assert_eq!(token.filter_ids(), [nginx, prod], "duplicates are dropped");

    // Update: the list given to `update` plus what is added.
    let updated = client
        .tokens()
        .update(token.id, [nginx])
        .filter(eu)
        .await
        .unwrap();
    assert_eq!(sorted(updated.filter_ids()), sorted(&[nginx, eu]));

    // Replacing is explicit.
    let replaced = client
        .tokens()
        .update(token.id, [nginx, prod])
        .set_filters([eu])
        .await
        .unwrap();
    assert_eq!(replaced.filter_ids(), [eu]);
    // A borrowed slice works as well as an array.
    let only_eu: &[i32] = &[eu];
    let created = client
        .tokens()
        .create("replaced")
        .filters([nginx, prod])
        .set_filters(only_eu)
        .await
        .unwrap();
    assert_eq!(created.filter_ids(), [eu]);
    emulator.shutdown().await;
}

/// Ids used to be `Option<i32>`; `.filters(nginx.id)` compiled because an
/// `Option` is iterable, and `None` meant a token that reads every log.
#[tokio::test]
async fn ids_are_plain_i32_and_a_record_without_one_is_refused_at_decode() {
    let (emulator, client) = emulator_and_client(Config::for_tests()).await;
    let a = client.filters().create("type", "a").await.unwrap();
    let b = client.filters().create("type", "b").await.unwrap();
    let (a_id, b_id): (i32, i32) = (a.id, b.id);
    // Two ids, no unwrap: this did not compile before.
    let token = client
        .tokens()
        .create("restricted")
        .filters([a.id, b.id])
        .await
        .unwrap();
    let token_id: i32 = token.id;
    assert_eq!(token.filter_ids(), [a_id, b_id]);
    assert_eq!(client.tokens().get(token_id).await.unwrap().id, token_id);
    emulator.shutdown().await;

    // A server record without an id never reaches the user as a guess.
    let server = CannedServer::start(vec![Canned::json(
        200,
        r#"[{"id": 1, "name": "fine"}, {"name": "no id", "filters": [7]}]"#,
    )])
    .await;
    let error = server.client().tokens().list().await.unwrap_err();
    assert_eq!(
        decode_location(&error),
        ("getAllTokens", "[1]"),
        "the record without an id"
    );

    let server = CannedServer::start(vec![Canned::json(
        200,
        r#"{"field": "type", "value": "x"}"#,
    )])
    .await;
    let error = server.client().filters().get(3).await.unwrap_err();
    assert_eq!(decode_location(&error).0, "getFilter");
}

/// Retries used to be impossible to speed up in tests (the emulator always
/// said `Retry-After: 1`), and the final error did not say it had been
/// retried.
#[tokio::test]
async fn retries_are_fast_to_test_and_the_error_counts_them() {
    let (emulator, _) = emulator_and_client(Config {
        fail_rate: 1.0,
        retry_after: Duration::ZERO,
        ..Config::for_tests()
    })
    .await;
    let client = ClientBuilder::for_emulator(emulator.base_url(), &emulator.api_tokens()[0])
        .retry_policy(RetryPolicy::exponential().with_max_attempts(3))
        .build()
        .unwrap();
    let error = client.tokens().list().await.unwrap_err();
    let Error::Unavailable {
        retry_after,
        attempts,
        ..
    } = &error
    else {
        panic!("expected Unavailable, got {error:?}");
    };
    assert_eq!(*retry_after, Some(Duration::ZERO));
    assert_eq!(*attempts, 3);
    assert_eq!(error.attempts(), Some(3));
    assert!(error.is_retryable());
    assert!(
        error.to_string().contains("after 3 attempts over"),
        "{error}"
    );
    assert_eq!(emulator.stats().requests, 3);
    emulator.shutdown().await;
}

/// `get_or_create` used to leave a differing token alone, and 8 copies of an
/// app starting together left 8 tokens and 16 filters.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_concurrent_ensures_leave_one_token_and_one_filter_per_name() {
    let (emulator, client) = emulator_and_client(Config::for_tests()).await;
    let starts: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                let nginx = client.filters().ensure("type", "nginx").await?.into_inner();
                let prod = client.filters().ensure("env", "prod").await?.into_inner();
                client
                    .tokens()
                    .ensure("app")
                    .filters([nginx.id, prod.id])
                    .operator(FiltersOperator::And)
                    .await
            })
        })
        .collect();
    let mut ids = BTreeSet::new();
    for start in starts {
        ids.insert(start.await.unwrap().unwrap().into_inner().id);
    }
    let tokens = client.tokens().list().await.unwrap();
    let filters = client.filters().list().await.unwrap();
    assert_eq!(tokens.len(), 1, "{tokens:?}");
    assert_eq!(filters.len(), 2, "{filters:?}");
    assert_eq!(ids, BTreeSet::from([tokens[0].id]), "all converged on one");
    let filter_ids: Vec<i32> = filters.iter().map(|filter| filter.id).collect();
    assert_eq!(sorted(tokens[0].filter_ids()), sorted(&filter_ids));
    assert_eq!(tokens[0].operator(), FiltersOperator::And);

    // A token that differs is updated, in place.
    let narrowed = client
        .tokens()
        .ensure("app")
        .filter(filter_ids[0])
        .await
        .unwrap();
    assert!(
        matches!(&narrowed, Ensured::Updated(token) if token.id == tokens[0].id && token.filter_ids() == [filter_ids[0]]),
        "{narrowed:?}"
    );
    emulator.shutdown().await;
}

/// `update(id, token.filter_ids())` used not to compile (`&i32`).
#[tokio::test]
async fn update_takes_filter_ids_by_reference() {
    let (emulator, client) = emulator_and_client(Config::for_tests()).await;
    let nginx = client.filters().create("type", "nginx").await.unwrap();
    let model = client
        .tokens()
        .create("model")
        .filter(nginx.id)
        .await
        .unwrap();
    let copy = client.tokens().create("copy").await.unwrap();
    let updated = client
        .tokens()
        .update(copy.id, model.filter_ids())
        .await
        .unwrap();
    assert_eq!(updated.filter_ids(), model.filter_ids());
    let ids: Vec<i32> = vec![nginx.id];
    let again = client.tokens().update(copy.id, &ids).await.unwrap();
    assert_eq!(again.filter_ids(), [nginx.id]);
    emulator.shutdown().await;
}

/// `assert_eq!(filter.field, "type")` used not to compile.
#[tokio::test]
async fn response_strings_compare_with_str() {
    let (emulator, client) = emulator_and_client(Config::for_tests()).await;
    let filter = client.filters().create("type", "nginx").await.unwrap();
    assert_eq!(filter.field, "type");
    assert_eq!(filter.value, "nginx");
    let listed = client.filters().list().await.unwrap();
    assert!(
        listed
            .iter()
            .any(|f| f.field == "type" && f.value == "nginx")
    );
    emulator.shutdown().await;
}

/// Builders used to borrow the client, so their calls could not be
/// spawned. They own a clone now: the future of `.send()` or of
/// `.into_future()` (what `.await` uses) can be spawned.
#[tokio::test]
async fn builders_and_what_they_send_can_be_spawned() {
    let (emulator, client) = emulator_and_client(Config::for_tests()).await;
    let created = tokio::spawn(client.tokens().create("bg").into_future());
    let sent = tokio::spawn(client.tokens().create("bg sent").send());
    let filter = tokio::spawn(client.filters().ensure("type", "bg").into_future());
    let token = created.await.unwrap().unwrap();
    assert_eq!(token.name.as_deref(), Some("bg"));
    assert_eq!(
        sent.await.unwrap().unwrap().name.as_deref(),
        Some("bg sent")
    );
    assert!(filter.await.unwrap().unwrap().was_created());
    // One request per spawned call.
    assert_eq!(client.tokens().list().await.unwrap().len(), 2);
    emulator.shutdown().await;
}

/// Builders are plain data (`Send + Sync + 'static`), so a future that holds
/// one across an `.await` can itself be spawned.
#[test]
fn builders_are_send_sync_and_static() {
    fn plain_data<T: Send + Sync + 'static>() {}
    plain_data::<logzio_shared_tokens::CreateToken>();
    plain_data::<logzio_shared_tokens::UpdateToken>();
    plain_data::<logzio_shared_tokens::ModifyToken>();
    plain_data::<logzio_shared_tokens::RotateToken>();
    plain_data::<logzio_shared_tokens::EnsureToken>();
    plain_data::<logzio_shared_tokens::CreateFilter>();
    plain_data::<logzio_shared_tokens::EnsureFilter>();
}
