//! The facade's read-then-write operations against the emulator on
//! 127.0.0.1: `tokens().modify(id)` (partial update) and
//! `tokens().rotate(id)` (replace, then delete).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use logzio_shared_tokens::{
    Client, ClientBuilder, Error, FiltersOperator, SharedToken, SharedTokenExt,
};
use logzio_shared_tokens_emulator::{Config, Emulator, Fault};

async fn emulator() -> (Emulator, Client) {
    let emulator = Emulator::start(Config::for_tests()).await.unwrap();
    let client = ClientBuilder::for_emulator(emulator.base_url(), &emulator.api_tokens()[0])
        .build()
        .unwrap();
    (emulator, client)
}

/// Three filters and a token restricted by the first two with `AND`.
async fn token_with_filters(client: &Client) -> (SharedToken, [i32; 3]) {
    let mut ids = [0; 3];
    for (slot, value) in ids.iter_mut().zip(["nginx", "db", "cache"]) {
        *slot = client.filters().create("type", value).await.unwrap().id;
    }
    let token = client
        .tokens()
        .create("dashboards")
        .filters(&ids[..2])
        .operator(FiltersOperator::And)
        .await
        .unwrap();
    (token, ids)
}

#[tokio::test]
async fn modify_attaches_and_detaches_and_keeps_the_rest() {
    let (emulator, client) = emulator().await;
    let (token, [nginx, db, cache]) = token_with_filters(&client).await;

    let modified = client
        .tokens()
        .modify(token.id)
        .add_filter(cache)
        .remove_filters([nginx])
        .await
        .unwrap();
    assert_eq!(modified.filter_ids(), [db, cache]);
    assert_eq!(modified.operator(), FiltersOperator::And, "operator kept");
    assert_eq!(client.tokens().get(token.id).await.unwrap(), modified);

    let requests = emulator.control().stats().requests;
    let modified = client
        .tokens()
        .modify(token.id)
        .operator(FiltersOperator::Or)
        .await
        .unwrap();
    assert_eq!(modified.filter_ids(), [db, cache], "filters kept");
    assert_eq!(modified.operator(), FiltersOperator::Or);
    assert_eq!(
        emulator.control().stats().requests - requests,
        2,
        "read, write"
    );

    // The whole list and the operator given: nothing to read.
    let requests = emulator.control().stats().requests;
    let cleared = client
        .tokens()
        .modify(token.id)
        .set_filters(Vec::<i32>::new())
        .operator(FiltersOperator::And)
        .await
        .unwrap();
    assert!(cleared.filter_ids().is_empty());
    assert_eq!(
        emulator.control().stats().requests - requests,
        1,
        "write only"
    );

    // Nothing to change: one read, and the token as it is.
    let unchanged = client.tokens().modify(token.id).await.unwrap();
    assert_eq!(unchanged, cleared);
    emulator.shutdown().await;
}

#[tokio::test]
async fn modify_of_a_missing_token_is_not_found_and_creates_nothing() {
    let (emulator, client) = emulator().await;
    let (token, [nginx, ..]) = token_with_filters(&client).await;
    client.tokens().delete(token.id).await.unwrap();

    // Refused at the read.
    let read = client.tokens().modify(token.id).add_filter(nginx).await;
    assert!(matches!(read, Err(Error::NotFound { .. })), "{read:?}");
    // Refused at the write, as when the token vanishes after the read.
    let written = client
        .tokens()
        .modify(token.id)
        .set_filters([nginx])
        .operator(FiltersOperator::Or)
        .await;
    assert!(
        matches!(written, Err(Error::NotFound { .. })),
        "{written:?}"
    );
    assert!(client.tokens().list().await.unwrap().is_empty());
    emulator.shutdown().await;
}

#[tokio::test]
async fn an_operator_this_client_cannot_send_is_never_replaced_silently() {
    let (emulator, client) = emulator().await;
    let (token, [nginx, db, _]) = token_with_filters(&client).await;
    let api_token = &emulator.api_tokens()[0];
    emulator
        .control()
        .set_operator(api_token, token.id, "XOR")
        .unwrap();

    let refused = client.tokens().modify(token.id).remove_filter(db).await;
    let Err(Error::UnknownOperator { id, operator, .. }) = refused else {
        panic!("{refused:?}");
    };
    assert_eq!((id, operator.as_str()), (token.id, "XOR"));
    let rotated = client.tokens().rotate(token.id).await;
    assert!(
        matches!(rotated, Err(Error::UnknownOperator { id, .. }) if id == token.id),
        "{rotated:?}"
    );
    assert_eq!(
        client.tokens().list().await.unwrap().len(),
        1,
        "no replacement"
    );

    // An explicit operator resolves it.
    let modified = client
        .tokens()
        .modify(token.id)
        .remove_filter(db)
        .operator(FiltersOperator::Or)
        .await
        .unwrap();
    assert_eq!(modified.filter_ids(), [nginx]);
    emulator.shutdown().await;
}

#[tokio::test]
async fn rotate_replaces_a_token_by_one_that_reads_the_same_logs() {
    let (emulator, client) = emulator().await;
    let (token, [nginx, db, _]) = token_with_filters(&client).await;

    let rotation = client.tokens().rotate(token.id).await.unwrap();
    assert!(rotation.old_deleted());
    assert_eq!(rotation.old.id, token.id);
    let new = &rotation.new;
    assert_ne!(new.id, token.id);
    assert_eq!(new.filter_ids(), [nginx, db]);
    assert_eq!(new.operator(), FiltersOperator::And);
    assert_eq!(new.name.as_deref(), Some("dashboards"), "the name is kept");
    assert!(new.token.is_some(), "the new value comes back");
    let listed = client.tokens().list().await.unwrap();
    assert_eq!(listed.iter().map(|t| t.id).collect::<Vec<_>>(), [new.id]);

    // Named by the caller, old one kept.
    let kept = client
        .tokens()
        .rotate(new.id)
        .name("dashboards v2")
        .keep_old(true)
        .await
        .unwrap();
    assert!(!kept.old_deleted());
    assert_eq!(kept.new.name.as_deref(), Some("dashboards v2"));
    assert_eq!(client.tokens().list().await.unwrap().len(), 2);
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_failed_delete_names_both_tokens_which_both_exist() {
    let (emulator, client) = emulator().await;
    let (token, _) = token_with_filters(&client).await;

    // Step by step, so the new value is held before the delete.
    let prepared = client.tokens().rotate(token.id).prepare().await.unwrap();
    assert_eq!(prepared.operator, FiltersOperator::And);
    let mut rotation = prepared.create_replacement().await.unwrap();
    let new_id = rotation.new.id;
    emulator.control().fail_next(1, Fault::json(500)).unwrap();
    let error = rotation.delete_old().await.unwrap_err();
    let Error::RotationIncomplete {
        old_id,
        new_id: reported,
        source,
        ..
    } = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!((*old_id, *reported), (token.id, new_id));
    assert!(
        matches!(**source, Error::Api { status: 500, .. }),
        "{source:?}"
    );
    assert_eq!(error.status(), Some(500));
    assert!(!error.is_retryable(), "retrying would make a third token");
    assert!(!rotation.old_deleted());
    assert_eq!(client.tokens().list().await.unwrap().len(), 2);

    // Once the cause is gone the same step finishes; already gone counts as done.
    rotation.delete_old().await.unwrap();
    rotation.delete_old().await.unwrap();
    assert!(rotation.old_deleted());
    emulator.shutdown().await;
}

#[tokio::test]
async fn get_by_name_refuses_a_name_several_tokens_share() {
    let (emulator, client) = emulator().await;
    let first = client.tokens().create("ci").await.unwrap();
    let only = client.tokens().create("ops").await.unwrap();
    assert_eq!(
        client.tokens().get_by_name("ops").await.unwrap().id,
        only.id
    );
    let second = client.tokens().create("ci").await.unwrap();

    let shared = client.tokens().get_by_name("ci").await.unwrap_err();
    let Error::AmbiguousTokenName { name, ids, .. } = &shared else {
        panic!("{shared:?}");
    };
    assert_eq!(
        (name.as_str(), ids.as_slice()),
        ("ci", &[first.id, second.id][..])
    );
    assert_eq!(shared.status(), None, "decided here, not by the server");
    // Where a lowest-id rule is wanted, the shared name is no error.
    let lowest = client.tokens().find_by_name("ci").await.unwrap();
    assert_eq!(lowest.map(|token| token.id), Some(first.id));

    let missing = client.tokens().get_by_name("CI").await.unwrap_err();
    assert!(matches!(missing, Error::NotFound { .. }), "{missing:?}");
    emulator.shutdown().await;
}
