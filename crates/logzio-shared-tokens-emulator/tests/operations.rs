//! The 9 operations over real HTTP: what they return, the rules they enforce,
//! account isolation, the test controls. Every answer is checked against
//! swagger.json by the support module.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use logzio_shared_tokens_emulator::{Config, EmulatorError};
use serde_json::{Value, json};
use support::{Api, start};

fn two_accounts() -> Config {
    Config {
        api_tokens: vec!["account-a-token".into(), "account-b-token".into()],
        ..Config::for_tests()
    }
}

#[tokio::test]
async fn a_filter_is_created_read_and_deleted() {
    let (emulator, api) = start(Config::for_tests()).await;
    let nginx = api.create_filter("type", "nginx").await;
    api.create_filter("env", "prod").await;
    let filter = api.call("getFilter", Some(nginx), None).await;
    assert_eq!(filter.status, 200);
    assert_eq!(
        filter.json(),
        json!({"id": nginx, "field": "type", "value": "nginx"})
    );
    let filters = api.call("getAllFilters", None, None).await;
    assert_eq!(filters.json().as_array().unwrap().len(), 2);

    let account = emulator
        .control()
        .account_id(&emulator.api_tokens()[0])
        .unwrap();
    let deleted = api.call("deleteFilter", Some(nginx), None).await;
    assert_eq!(deleted.status, 200);
    assert!(deleted.bytes.is_empty());
    let gone = api.call("getFilter", Some(nginx), None).await;
    assert_eq!(
        gone.message(),
        format!("filter with id {nginx} not found for account {account}")
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_token_goes_through_its_whole_life() {
    let (emulator, api) = start(Config::for_tests()).await;

    let list = api.call("getAllTokens", None, None).await;
    assert_eq!((list.status, list.json()), (200, json!([])));

    let nginx = api.create_filter("type", "nginx").await;
    let prod = api.create_filter("env", "prod").await;
    let created = api
        .call(
            "createToken",
            None,
            Some(
                json!({"tokenName": "Support", "filters": [nginx, prod], "filtersOperator": "AND"}),
            ),
        )
        .await;
    assert_eq!(created.status, 200);
    let created = created.json();
    let id = created["id"].as_i64().unwrap();
    assert!(id > 0);
    assert_eq!(created["name"], "Support");
    assert_eq!(created["filters"], json!([nginx, prod]));
    assert_eq!(created["filtersOperator"], "AND");
    assert_eq!(created["lastUsed"], Value::Null);
    let value = created["token"].as_str().unwrap();
    assert_eq!(value.len(), 36, "128 random bits, UUID-shaped");

    let fetched = api.call("getToken", Some(id), None).await;
    assert_eq!(fetched.json(), created);
    let listed = api.call("getAllTokens", None, None).await;
    assert_eq!(listed.json(), json!([created.clone()]));

    // Replace the filters; the operator stays when not given.
    let updated = api
        .call("updateToken", Some(id), Some(json!({"filters": [prod]})))
        .await;
    assert_eq!(updated.status, 200);
    assert_eq!(updated.json()["filters"], json!([prod]));
    assert_eq!(updated.json()["filtersOperator"], "AND");
    assert_eq!(updated.json()["token"], created["token"]);
    // `[]` removes every filter, and the answer says `null`.
    let cleared = api
        .call(
            "updateToken",
            Some(id),
            Some(json!({"filters": [], "filtersOperator": "OR"})),
        )
        .await;
    assert_eq!(cleared.json()["filters"], Value::Null);
    assert_eq!(cleared.json()["filtersOperator"], "OR");

    let deleted = api.call("deleteToken", Some(id), None).await;
    assert_eq!(deleted.status, 204);
    assert!(deleted.bytes.is_empty());
    let gone = api.call("getToken", Some(id), None).await;
    assert_eq!(gone.status, 400);
    let account = emulator
        .control()
        .account_id(&emulator.api_tokens()[0])
        .unwrap();
    assert_eq!(
        gone.message(),
        format!("token with id {id} not found for account {account}")
    );
    let again = api.call("deleteToken", Some(id), None).await;
    assert_eq!(again.status, 400);

    assert_eq!(emulator.stats().tokens_created, 1);
    emulator.shutdown().await;
}

#[tokio::test]
async fn new_tokens_expire_seven_days_after_creation_on_the_emulator_clock() {
    let (emulator, api) = start(Config::for_tests()).await;
    let control = emulator.control();
    // Logz.io: shared tokens expire 7 days after creation by default
    // (../shared/upstream/README.md), in milliseconds here.
    let week: i64 = 7 * 24 * 3600 * 1000;

    let before = control.now_millis();
    let token = api.create_token("now", &[]).await;
    let after = control.now_millis();
    let expires = token["expirationDate"].as_i64().unwrap();
    assert!((before + week..=after + week).contains(&expires), "{token}");
    assert_eq!(token["filters"], Value::Null);
    assert_eq!(token["filtersOperator"], "OR");

    let month = Duration::from_secs(30 * 24 * 3600);
    control.advance_clock(month);
    let later = api.create_token("later", &[]).await;
    let later_expires = later["expirationDate"].as_i64().unwrap();
    assert!(later_expires >= before + week + month.as_millis() as i64);
    emulator.shutdown().await;
}

#[tokio::test]
async fn controls_set_last_used_and_expiration() {
    let (emulator, api) = start(Config::for_tests()).await;
    let control = emulator.control();
    let api_token = emulator.api_tokens()[0].clone();
    let id = api.create_token("audited", &[]).await["id"]
        .as_i64()
        .unwrap() as i32;

    control
        .set_last_used(&api_token, id, Some(1_735_743_699_000))
        .unwrap();
    control.set_expiration(&api_token, id, None).unwrap();
    let token = api.call("getToken", Some(id.into()), None).await.json();
    assert_eq!(token["lastUsed"], 1_735_743_699_000_i64);
    assert_eq!(token["expirationDate"], Value::Null);

    control.set_last_used(&api_token, id, None).unwrap();
    let token = api.call("getToken", Some(id.into()), None).await.json();
    assert_eq!(token["lastUsed"], Value::Null);

    assert!(matches!(
        control.set_last_used(&api_token, 9999, Some(1)),
        Err(EmulatorError::UnknownTokenId { token_id: 9999, .. })
    ));
    assert!(matches!(
        control.set_expiration("not-a-token", id, Some(1)),
        Err(EmulatorError::UnknownApiToken)
    ));
    assert!(matches!(
        control.set_expiration(&api_token, id, Some(i64::MAX)),
        Err(EmulatorError::TimestampOutOfRange { .. })
    ));
    emulator.shutdown().await;
}

#[tokio::test]
async fn accounts_never_see_or_touch_each_other() {
    let (emulator, a) = start(two_accounts()).await;
    let b = a.as_token(Some("account-b-token"));
    let account_b = emulator.control().account_id("account-b-token").unwrap();
    assert_ne!(
        emulator.control().account_id("account-a-token").unwrap(),
        account_b
    );

    let filter = a.create_filter("type", "secret").await;
    let token = a.create_token("a's", &[filter]).await;
    let token_id = token["id"].as_i64().unwrap();

    assert_eq!(b.call("getAllTokens", None, None).await.json(), json!([]));
    assert_eq!(b.call("getAllFilters", None, None).await.json(), json!([]));
    let get = b.call("getToken", Some(token_id), None).await;
    assert_eq!(
        (get.status, get.message()),
        (
            400,
            format!("token with id {token_id} not found for account {account_b}")
        )
    );
    assert_eq!(b.call("getFilter", Some(filter), None).await.status, 400);
    let update = b
        .call("updateToken", Some(token_id), Some(json!({"filters": []})))
        .await;
    assert_eq!(update.status, 400);
    assert_eq!(
        b.call("deleteToken", Some(token_id), None).await.status,
        400
    );
    assert_eq!(b.call("deleteFilter", Some(filter), None).await.status, 400);
    // B cannot attach A's filter either.
    let borrow = b
        .call(
            "createToken",
            None,
            Some(json!({"tokenName": "b", "filters": [filter]})),
        )
        .await;
    assert_eq!(borrow.status, 400);
    assert!(
        borrow
            .message()
            .contains(&format!("filter with id {filter}"))
    );

    // A's data is untouched.
    assert_eq!(a.call("getToken", Some(token_id), None).await.json(), token);
    emulator.shutdown().await;
}

#[tokio::test]
async fn ids_are_positive_and_never_reused() {
    let (emulator, api) = start(Config::for_tests()).await;
    let first = api.create_token("one", &[]).await["id"].as_i64().unwrap();
    api.call("deleteToken", Some(first), None).await;
    let second = api.create_token("two", &[]).await["id"].as_i64().unwrap();
    assert!(second > first && first > 0);

    let filter = api.create_filter("a", "b").await;
    api.call("deleteFilter", Some(filter), None).await;
    assert!(api.create_filter("a", "b").await > filter);

    let values: std::collections::HashSet<String> = create_tokens_collecting_values(&api, 20).await;
    assert_eq!(values.len(), 20, "token values are unique");
    emulator.shutdown().await;
}

async fn create_tokens_collecting_values(
    api: &Api,
    count: usize,
) -> std::collections::HashSet<String> {
    let mut values = std::collections::HashSet::new();
    for index in 0..count {
        let token = api.create_token(&format!("t{index}"), &[]).await;
        values.insert(token["token"].as_str().unwrap().to_owned());
    }
    values
}

#[tokio::test]
async fn a_filter_in_use_cannot_be_deleted_until_detached() {
    let (emulator, api) = start(Config::for_tests()).await;
    let filter = api.create_filter("type", "nginx").await;
    let first = api.create_token("one", &[filter]).await["id"]
        .as_i64()
        .unwrap();
    let second = api.create_token("two", &[filter]).await["id"]
        .as_i64()
        .unwrap();

    let refused = api.call("deleteFilter", Some(filter), None).await;
    assert_eq!(refused.status, 400);
    let message = refused.message();
    assert!(message.contains(&format!("{first}, {second}")), "{message}");
    assert_eq!(api.call("getFilter", Some(filter), None).await.status, 200);

    for token in [first, second] {
        api.call("updateToken", Some(token), Some(json!({"filters": []})))
            .await;
    }
    assert_eq!(
        api.call("deleteFilter", Some(filter), None).await.status,
        200
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn the_token_limit_is_per_account() {
    let config = Config {
        max_tokens: Some(2),
        ..two_accounts()
    };
    let (emulator, a) = start(config).await;
    let b = a.as_token(Some("account-b-token"));
    let first = a.create_token("1", &[]).await["id"].as_i64().unwrap();
    a.create_token("2", &[]).await;
    let over = a
        .call("createToken", None, Some(json!({"tokenName": "3"})))
        .await;
    assert_eq!(over.status, 400);
    assert!(over.message().contains("limit"), "{}", over.message());
    // Another account has its own allowance.
    b.create_token("b1", &[]).await;
    // Deleting one makes room again.
    a.call("deleteToken", Some(first), None).await;
    a.create_token("3", &[]).await;
    assert_eq!(emulator.stats().tokens_created, 4);
    emulator.shutdown().await;
}

#[tokio::test]
async fn the_client_cannot_choose_a_filter_id() {
    let (emulator, api) = start(Config::for_tests()).await;
    let answer = api
        .call(
            "createFilter",
            None,
            Some(json!({"id": 77, "field": "f", "value": "v", "description": "label"})),
        )
        .await;
    assert_eq!(answer.status, 200);
    let filter = answer.json();
    assert_ne!(filter["id"], 77);
    assert_eq!(filter["description"], "label");
    // Undeclared fields are ignored, whatever their value (null included).
    let answer = api
        .call(
            "createFilter",
            None,
            Some(json!({"field": "f", "value": "v", "": null, "extra": [null]})),
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.json());
    emulator.shutdown().await;
}

#[tokio::test]
async fn shutdown_closes_the_port() {
    let (emulator, api) = start(Config::for_tests()).await;
    api.create_token("t", &[]).await;
    let base = emulator.base_url().to_owned();
    emulator.shutdown().await;
    let refused = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .get(format!("{base}/v1/shared-tokens"))
        .timeout(Duration::from_secs(5))
        .send()
        .await;
    assert!(refused.is_err());
}
