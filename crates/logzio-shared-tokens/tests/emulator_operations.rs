//! Every operation and every error variant of the facade against the
//! emulator, started in-process on 127.0.0.1.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use logzio_shared_tokens::{
    ClientBuilder, Ensured, Error, FiltersOperator, InputField, SharedTokenExt,
};
use logzio_shared_tokens_emulator::{Config, Emulator};
use support::{emulator_and_client, fast_retries};

#[tokio::test]
async fn every_filter_operation_round_trips() {
    let (emulator, client) = emulator_and_client(Config::for_tests()).await;

    // Filters: create, list, get.
    let nginx = client
        .filters()
        .create("type", "nginx")
        .description("nginx logs only")
        .send()
        .await
        .unwrap();
    let nginx_id = nginx.id;
    assert_eq!(nginx.field, "type");
    assert_eq!(nginx.description.as_deref(), Some("nginx logs only"));
    let env = client.filters().create("env", "prod").await.unwrap();
    assert_eq!(client.filters().list().await.unwrap().len(), 2);
    assert_eq!(client.filters().get(nginx_id).await.unwrap(), nginx);

    // Delete.
    client.filters().delete(nginx_id).await.unwrap();
    assert!(matches!(
        client.filters().get(nginx_id).await,
        Err(Error::NotFound { .. })
    ));
    assert_eq!(client.filters().list().await.unwrap(), vec![env]);
    emulator.shutdown().await;
}

#[tokio::test]
async fn every_token_operation_round_trips() {
    let (emulator, client) = emulator_and_client(Config::for_tests()).await;
    let nginx_id = client.filters().create("type", "nginx").await.unwrap().id;
    let env_id = client.filters().create("env", "prod").await.unwrap().id;

    // Tokens: create with filters and operator, get, list.
    let created = client
        .tokens()
        .create("support team")
        .filters([nginx_id, env_id])
        .operator(FiltersOperator::And)
        .send()
        .await
        .unwrap();
    let id = created.id;
    assert!(
        created.token.is_some(),
        "the token value comes back on create"
    );
    assert_eq!(created.filter_ids(), [nginx_id, env_id]);
    assert_eq!(created.operator(), FiltersOperator::And);
    let expires = created.expires_at().unwrap();
    let lifetime = expires.duration_since(jiff::Timestamp::now());
    assert!(
        lifetime > jiff::SignedDuration::from_hours(24 * 7 - 1)
            && lifetime <= jiff::SignedDuration::from_hours(24 * 7),
        "{lifetime:?}"
    );
    assert_eq!(created.last_used(), None);
    let fetched = client.tokens().get(id).await.unwrap();
    assert_eq!(fetched.name.as_deref(), Some("support team"));
    assert_eq!(client.tokens().list().await.unwrap().len(), 1);

    // lastUsed as the server reports it.
    let used_at = 1_735_743_699_000;
    emulator
        .control()
        .set_last_used(&emulator.api_tokens()[0], id, Some(used_at))
        .unwrap();
    let fetched = client.tokens().get(id).await.unwrap();
    assert_eq!(fetched.last_used().unwrap().as_millisecond(), used_at);

    // Update: replace filters, then clear them.
    let updated = client
        .tokens()
        .update(id, [env_id])
        .operator(FiltersOperator::Or)
        .await
        .unwrap();
    assert_eq!(updated.filter_ids(), [env_id]);
    assert_eq!(updated.operator(), FiltersOperator::Or);
    let cleared = client
        .tokens()
        .update(id, Vec::<i32>::new())
        .send()
        .await
        .unwrap();
    assert!(cleared.filter_ids().is_empty());

    // Delete.
    client.tokens().delete(id).await.unwrap();
    assert!(matches!(
        client.tokens().get(id).await,
        Err(Error::NotFound { .. })
    ));
    emulator.shutdown().await;
}

#[tokio::test]
async fn ensure_creates_then_updates_what_differs_then_leaves_alone() {
    let (emulator, client) = emulator_and_client(Config::for_tests()).await;
    let first = client.filters().ensure("type", "nginx").await.unwrap();
    let second = client.filters().ensure("type", "nginx").await.unwrap();
    assert!(first.was_created() && matches!(second, Ensured::Unchanged(_)));
    assert_eq!(first.get(), second.get());
    let nginx = first.into_inner().id;
    let prod = client.filters().create("env", "prod").await.unwrap().id;

    let created = client.tokens().ensure("ci").filter(nginx).await.unwrap();
    assert!(created.was_created());
    let ci = created.into_inner();
    assert_eq!(ci.filter_ids(), [nginx]);
    let same = client.tokens().ensure("ci").filter(nginx).await.unwrap();
    assert_eq!(
        same,
        Ensured::Unchanged(client.tokens().get(ci.id).await.unwrap())
    );

    let updated = client
        .tokens()
        .ensure("ci")
        .filters([prod, nginx])
        .operator(FiltersOperator::And)
        .await
        .unwrap();
    let Ensured::Updated(updated) = updated else {
        panic!("expected Updated, got {updated:?}")
    };
    assert_eq!(updated.id, ci.id);
    assert_eq!(updated.operator(), FiltersOperator::And);
    let mut ids = updated.filter_ids().to_vec();
    ids.sort_unstable();
    assert_eq!(ids, {
        let mut expected = vec![nginx, prod];
        expected.sort_unstable();
        expected
    });
    // Order does not matter, and an operator not declared is not compared.
    let again = client
        .tokens()
        .ensure("ci")
        .filters([nginx, prod])
        .await
        .unwrap();
    assert!(!again.changed(), "{again:?}");
    assert_eq!(emulator.stats().tokens_created, 1);

    let found = client.tokens().find_by_name("ci").await.unwrap().unwrap();
    assert_eq!(found.id, ci.id);
    assert!(
        client
            .tokens()
            .find_by_name("nobody")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        client
            .filters()
            .find("type", "apache")
            .await
            .unwrap()
            .is_none()
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn not_found_carries_the_server_message() {
    let (emulator, client) = emulator_and_client(Config::for_tests()).await;
    let error = client.tokens().get(424_242).await.unwrap_err();
    match &error {
        Error::NotFound { message, .. } => {
            assert!(
                message.contains("token with id 424242 not found"),
                "{message}"
            )
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
    assert!(!error.is_retryable());
    let error = client.filters().delete(7).await.unwrap_err();
    assert!(
        matches!(error, Error::NotFound { ref message, .. } if message.contains("filter with id 7"))
    );
    let error = client.tokens().update(99, [1]).await.unwrap_err();
    assert!(matches!(error, Error::NotFound { .. }), "{error:?}");
    emulator.shutdown().await;
}

#[tokio::test]
async fn an_unknown_api_token_is_unauthorized() {
    let emulator = Emulator::start(Config::for_tests()).await.unwrap();
    let client = ClientBuilder::for_emulator(emulator.base_url(), "not-a-known-token")
        .build()
        .unwrap();
    let error = client.tokens().list().await.unwrap_err();
    assert!(matches!(error, Error::Unauthorized { .. }), "{error:?}");
    assert_eq!(error.status(), Some(401));
    assert_eq!(emulator.stats().requests, 1, "401 must not be retried");
    emulator.shutdown().await;
}

#[tokio::test]
async fn an_account_without_the_permission_is_forbidden() {
    let config = Config {
        no_permission_tokens: vec!["no-permission-token".into()],
        ..Config::for_tests()
    };
    let emulator = Emulator::start(config).await.unwrap();
    let client = ClientBuilder::for_emulator(emulator.base_url(), "no-permission-token")
        .build()
        .unwrap();
    let error = client.filters().list().await.unwrap_err();
    match &error {
        Error::Forbidden { message, .. } => assert_eq!(message, "Insufficient privileges"),
        other => panic!("expected Forbidden, got {other:?}"),
    }
    assert!(error.to_string().contains("shared-tokens permission"));
    emulator.shutdown().await;
}

#[tokio::test]
async fn exhausted_retries_on_503_are_unavailable() {
    let config = Config {
        fail_rate: 1.0,
        // Retry at once: the test of the retry path stays fast.
        retry_after: Duration::ZERO,
        ..Config::for_tests()
    };
    let (emulator, client) = emulator_and_client(config).await;
    // Two attempts, then the error.
    let client = ClientBuilder::for_emulator(client.base_url(), &emulator.api_tokens()[0])
        .retry_policy(fast_retries(2))
        .build()
        .unwrap();
    let error = client.tokens().create("never").await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Unavailable {
                retry_after: Some(_),
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.is_retryable());
    let stats = emulator.stats();
    assert_eq!(
        (stats.requests, stats.injected_faults, stats.tokens_created),
        (2, 2, 0)
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn over_the_account_limit_without_retries_is_rate_limited() {
    let config = Config {
        max_concurrent: 1,
        latency: Some((Duration::from_millis(150), Duration::from_millis(200))),
        ..Config::for_tests()
    };
    let (emulator, _) = emulator_and_client(config).await;
    let client = ClientBuilder::for_emulator(emulator.base_url(), &emulator.api_tokens()[0])
        .retry_policy(logzio_shared_tokens::RetryPolicy::never())
        .max_concurrent_requests(4)
        .build()
        .unwrap();
    let calls: Vec<_> = (0..4)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.tokens().list().await })
        })
        .collect();
    let mut limited = 0;
    for call in calls {
        match call.await.unwrap() {
            Ok(_) => {}
            Err(Error::RateLimited { retry_after, .. }) => {
                assert!(retry_after.is_some());
                limited += 1;
            }
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    assert!(limited >= 1, "4 concurrent calls against a limit of 1");
    assert_eq!(emulator.stats().rate_limited, limited);
    emulator.shutdown().await;
}

#[tokio::test]
async fn other_refusals_are_api_errors() {
    let config = Config {
        max_tokens: Some(1),
        ..Config::for_tests()
    };
    let (emulator, client) = emulator_and_client(config).await;
    client.tokens().create("one").await.unwrap();
    let error = client.tokens().create("two").await.unwrap_err();
    match &error {
        Error::Api {
            status: 400,
            message,
            ..
        } => assert!(message.contains("limit"), "{message}"),
        other => panic!("expected Api 400, got {other:?}"),
    }
    assert_eq!(error.status(), Some(400));
    emulator.shutdown().await;
}

#[tokio::test]
async fn invalid_input_never_reaches_the_server() {
    let (emulator, client) = emulator_and_client(Config::for_tests()).await;
    let error = client.filters().create("type", "ngi nx").await.unwrap_err();
    // The rule in words, with the refused character, never the raw pattern.
    assert!(
        matches!(error, Error::InvalidInput { field: InputField::FilterValue, ref reason, .. }
            if reason.contains("' ' at character 4")
                && reason.contains(logzio_shared_tokens::filter_text_rule())
                && reason.contains("Logz.io's UI")
                && !reason.contains('^')),
        "{error:?}"
    );
    assert_eq!(emulator.stats().requests, 0);
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_stopped_server_is_a_transport_error() {
    let (emulator, client) = emulator_and_client(Config::for_tests()).await;
    emulator.shutdown().await;
    let error = client.tokens().list().await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert!(error.is_retryable());
}
