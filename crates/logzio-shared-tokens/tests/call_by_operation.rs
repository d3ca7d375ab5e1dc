//! `Client::call` against canned loopback answers of the kind real proxies
//! and Logz.io send, not only our emulator: it takes the request path of the
//! typed calls (retries, error shaping, typed errors).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use logzio_shared_tokens::api::operations::Operation;
use logzio_shared_tokens::{Error, InputField, OperationRequest};
use support::{Canned, CannedServer, refused_input};

fn get_token(id: &str) -> OperationRequest {
    OperationRequest::new(Operation::GetToken).path_parameter("id", id)
}

#[tokio::test]
async fn a_proxys_html_503_is_retried_and_the_json_answer_returned() {
    let server = CannedServer::start(vec![
        Canned::html(503, "<html><body>Service Unavailable</body></html>"),
        Canned::json(200, r#"{"id": 7, "name": "support", "unknownField": [1]}"#),
    ])
    .await;
    let answer = server.client().call(get_token("7")).await.unwrap();
    assert_eq!(answer["name"], "support");
    assert_eq!(answer["unknownField"][0], 1, "kept as sent");
    let received = server.received();
    assert_eq!(received.len(), 2, "retried once");
}

#[tokio::test]
async fn error_answers_map_to_typed_errors_and_bad_bodies_to_decode() {
    let server = CannedServer::start(vec![Canned::html(404, "no such path")]).await;
    let error = server.client().call(get_token("3")).await.unwrap_err();
    assert!(matches!(error, Error::NotFound { .. }), "{error:?}");

    let server = CannedServer::start(vec![Canned::json(200, "<html>ok</html>")]).await;
    let error = server.client().call(get_token("3")).await.unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");

    // An empty 2xx answer (a delete) is `null`, not an error.
    let server = CannedServer::start(vec![Canned::json(204, "")]).await;
    let request = OperationRequest::new(Operation::DeleteToken).path_parameter("id", "3");
    assert!(server.client().call(request).await.unwrap().is_null());
}

#[tokio::test]
async fn a_path_that_cannot_be_filled_is_refused_before_anything_is_sent() {
    // One answer ready, which must never be asked for.
    let server = CannedServer::start(vec![Canned::json(200, "{}")]).await;
    let error = server
        .client()
        .call(OperationRequest::new(Operation::GetToken))
        .await
        .unwrap_err();
    assert_eq!(refused_input(&error), InputField::Request);
    assert!(server.received().is_empty());
}
