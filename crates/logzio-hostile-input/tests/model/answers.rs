//! Reading the emulator's answers back as the model's values, and checking each
//! against what the model expected: status, body shape, ids and filter references.

use serde_json::Value;

use super::{Expected, Filter, Token};

/// A token answer as the model sees it, after checking its shape.
fn token_of(value: &Value) -> (i32, Token) {
    let object = value
        .as_object()
        .unwrap_or_else(|| panic!("a token that is not an object: {value}"));
    for field in [
        "id",
        "name",
        "token",
        "filters",
        "filtersOperator",
        "lastUsed",
        "expirationDate",
    ] {
        assert!(
            object.contains_key(field),
            "a token without {field}: {value}"
        );
    }
    assert!(
        value["token"].as_str().is_some_and(|t| !t.is_empty()),
        "no token value: {value}"
    );
    assert!(
        value["lastUsed"].is_null(),
        "lastUsed set on a token nobody used: {value}"
    );
    assert!(
        value["expirationDate"].is_number(),
        "no expiration date: {value}"
    );
    let filters = match &value["filters"] {
        Value::Null => Vec::new(),
        list => serde_json::from_value(list.clone()).unwrap(),
    };
    let token = Token {
        name: value["name"].as_str().unwrap().to_owned(),
        filters,
        operator: value["filtersOperator"].as_str().unwrap().to_owned(),
    };
    (value["id"].as_i64().unwrap() as i32, token)
}

fn filter_of(value: &Value) -> (i32, Filter) {
    let filter = Filter {
        field: value["field"].as_str().unwrap().to_owned(),
        value: value["value"].as_str().unwrap().to_owned(),
        description: value
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_owned),
    };
    (value["id"].as_i64().unwrap() as i32, filter)
}

pub fn check_answer(expected: &Expected, status: u16, body: &[u8], context: &str) {
    let json = || -> Value {
        serde_json::from_slice(body)
            .unwrap_or_else(|_| panic!("{context}: not JSON: {}", String::from_utf8_lossy(body)))
    };
    let message = || {
        json()["message"]
            .as_str()
            .unwrap_or_else(|| panic!("{context}: no message"))
            .to_owned()
    };
    match expected {
        Expected::TokenList(tokens) => {
            assert_eq!(status, 200, "{context}");
            let listed: Vec<(i32, Token)> =
                json().as_array().unwrap().iter().map(token_of).collect();
            assert_eq!(&listed, tokens, "{context}");
        }
        Expected::FilterList(filters) => {
            assert_eq!(status, 200, "{context}");
            let listed: Vec<(i32, Filter)> =
                json().as_array().unwrap().iter().map(filter_of).collect();
            assert_eq!(&listed, filters, "{context}");
        }
        Expected::Token(id, token) => {
            assert_eq!(status, 200, "{context}: {}", String::from_utf8_lossy(body));
            assert_eq!(token_of(&json()), (*id, token.clone()), "{context}");
        }
        Expected::Filter(id, filter) => {
            assert_eq!(status, 200, "{context}: {}", String::from_utf8_lossy(body));
            assert_eq!(filter_of(&json()), (*id, filter.clone()), "{context}");
        }
        Expected::Empty(expected_status) => {
            assert_eq!(
                status,
                *expected_status,
                "{context}: {}",
                String::from_utf8_lossy(body)
            );
            assert!(body.is_empty(), "{context}: a body on a delete");
        }
        Expected::NotFound => {
            assert_eq!(status, 400, "{context}");
            assert!(message().contains("not found"), "{context}: {}", message());
        }
        Expected::Refused => {
            assert_eq!(status, 400, "{context}");
            assert!(!message().contains("not found"), "{context}: {}", message());
        }
        Expected::BadFilters => {
            assert_eq!(status, 400, "{context}");
            message();
        }
    }
}
