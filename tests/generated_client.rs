//! The generated client against a loopback httpmock server, stubbed with the
//! generated httpmock helpers: every operation is callable, the spec's
//! decisions decode, and no shared token value reaches `Debug`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use httpmock::MockServer;
use logzio_shared_tokens_api::mock::MockServerExt;
use logzio_shared_tokens_api::operations::Operation;
use logzio_shared_tokens_api::types::{
    CreateSharedTokenRequest, ErrorMessage, FiltersOperator, QueryFilter, QueryFilterRequest,
    SharedToken, UpdateSharedTokenRequest,
};
use logzio_shared_tokens_api::{Client, Error, OpenEnum};

const SECRET: &str = "3f1c9a7e5b2d4c6e8a0b1d3f5a7c9e1b";

fn token_json() -> serde_json::Value {
    serde_json::json!({
        "id": 7,
        "name": "support",
        "token": SECRET,
        "filters": [2, 3],
        "lastUsed": null,
        "expirationDate": 1735743699000_i64,
        "filtersOperator": "AND"
    })
}

fn client(server: &MockServer) -> Client {
    Client::new(&server.base_url(), Default::default())
}

#[test]
fn the_catalog_lists_the_nine_operations() {
    let ids: Vec<&str> = Operation::ALL.iter().map(|op| op.operation_id()).collect();
    assert_eq!(
        ids,
        [
            "getAllTokens",
            "createToken",
            "getToken",
            "updateToken",
            "deleteToken",
            "getAllFilters",
            "createFilter",
            "getFilter",
            "deleteFilter"
        ]
    );
    assert_eq!(
        Operation::GetFilter.path(),
        "/v1/shared-tokens/filters/{id}"
    );
    assert_eq!(Operation::DeleteToken.method(), "DELETE");
}

#[test]
fn debug_of_a_shared_token_never_shows_the_value() {
    let token: SharedToken = serde_json::from_value(token_json()).unwrap();
    let debug = format!("{token:?}");
    assert!(!debug.contains(SECRET), "{debug}");
    assert!(debug.contains("redacted"), "{debug}");
    assert_eq!(token.token.as_ref().unwrap().expose_secret(), SECRET);
}

#[test]
fn upstream_shapes_decode_as_decided_in_the_spec() {
    let legacy: SharedToken = serde_json::from_value(serde_json::json!({
        "id": 1, "name": "old", "filterIds": [4], "filters": null,
        "lastUsed": [1735743699000_i64], "expirationDate": 1735743699.000000000_f64,
        "filtersOperator": "OR"
    }))
    .unwrap();
    assert_eq!(legacy.filters, None);
    assert_eq!(legacy.filter_ids, Some(vec![4]));
    assert_eq!(legacy.last_used, legacy.expiration_date);
    assert_eq!(
        legacy.filters_operator,
        Some(OpenEnum::Known(FiltersOperator::Or))
    );
}

/// The create request both the stub and the call use.
/// Built as users build every generated type: through its builder, so a
/// field the spec adds later does not break this code.
fn support_token_request() -> CreateSharedTokenRequest {
    CreateSharedTokenRequest::builder()
        .token_name("support")
        .filters(Some(vec![2, 3]))
        .filters_operator(Some(FiltersOperator::And))
        .try_into()
        .unwrap()
}

fn no_filters() -> UpdateSharedTokenRequest {
    UpdateSharedTokenRequest::builder()
        .filters(vec![])
        .try_into()
        .unwrap()
}

fn error_message(message: &str) -> ErrorMessage {
    ErrorMessage::builder().message(message).try_into().unwrap()
}

fn filter_record() -> QueryFilter {
    serde_json::from_value(serde_json::json!({
        "id": 2, "field": "type", "value": "nginx", "description": "nginx only"
    }))
    .unwrap()
}

#[tokio::test]
async fn every_token_operation_round_trips_through_the_generated_client() {
    let server = MockServer::start_async().await;
    let token: SharedToken = serde_json::from_value(token_json()).unwrap();

    let list_tokens = server.get_all_tokens(|when, then| {
        let _ = when;
        then.ok(&vec![token.clone()]);
    });
    let create_token = server.create_token(|when, then| {
        when.body(&support_token_request());
        then.ok(&token);
    });
    let get_token = server.get_token(|when, then| {
        when.id(7);
        then.ok(&token);
    });
    let update_token = server.update_token(|when, then| {
        when.id(7).body(&no_filters());
        then.ok(&token);
    });
    let delete_token = server.delete_token(|when, then| {
        when.id(7);
        then.no_content();
    });

    let client = client(&server);
    let listed = client.get_all_tokens().send().await.unwrap().into_inner();
    assert_eq!(listed, vec![token.clone()]);
    let created = client
        .create_token()
        .body(support_token_request())
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(created.id, 7);
    assert_eq!(
        client.get_token().id(7).send().await.unwrap().into_inner(),
        token
    );
    client
        .update_token()
        .id(7)
        .body(UpdateSharedTokenRequest::builder().filters(vec![]))
        .send()
        .await
        .unwrap();
    client.delete_token().id(7).send().await.unwrap();

    for mock in [
        list_tokens,
        create_token,
        get_token,
        update_token,
        delete_token,
    ] {
        mock.assert_async().await;
    }
}

#[tokio::test]
async fn every_filter_operation_round_trips_through_the_generated_client() {
    let server = MockServer::start_async().await;
    let filter = filter_record();

    let list_filters = server.get_all_filters(|_, then| {
        then.ok(&vec![filter.clone()]);
    });
    let create_filter = server.create_filter(|_, then| {
        then.ok(&filter);
    });
    let get_filter = server.get_filter(|when, then| {
        when.id(2);
        then.ok(&filter);
    });
    let delete_filter = server.delete_filter(|when, then| {
        when.id(2);
        then.ok();
    });

    let client = client(&server);
    assert_eq!(
        client.get_all_filters().send().await.unwrap().into_inner(),
        vec![filter.clone()]
    );
    let new_filter: QueryFilterRequest = serde_json::from_value(serde_json::json!({
        "field": "type", "value": "nginx", "description": "nginx only"
    }))
    .unwrap();
    client
        .create_filter()
        .body(new_filter)
        .send()
        .await
        .unwrap();
    assert_eq!(
        client.get_filter().id(2).send().await.unwrap().into_inner(),
        filter
    );
    client.delete_filter().id(2).send().await.unwrap();

    for mock in [list_filters, create_filter, get_filter, delete_filter] {
        mock.assert_async().await;
    }
}

#[tokio::test]
async fn every_error_status_decodes_into_the_one_error_message() {
    let server = MockServer::start_async().await;
    server.get_token(|when, then| {
        when.id(1);
        then.bad_request(&error_message("token with id 1 not found for account 9"));
    });
    server.get_token(|when, then| {
        when.id(2);
        then.forbidden(&error_message("Insufficient privileges"));
    });
    server.get_token(|when, then| {
        when.id(3);
        then.service_unavailable(&error_message("try again later"));
    });
    let client = client(&server);
    for (id, status, message) in [
        (1, 400, "token with id 1 not found for account 9"),
        (2, 403, "Insufficient privileges"),
        (3, 503, "try again later"),
    ] {
        match client.get_token().id(id).send().await {
            Err(Error::ErrorResponse(response)) => {
                assert_eq!(response.status().as_u16(), status);
                assert_eq!(response.into_inner().message, message);
            }
            other => panic!("id {id}: expected an error response, got {other:?}"),
        }
    }
}
