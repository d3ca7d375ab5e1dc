//! Property: a list in which some records carry unexpected values in their
//! non-identifying fields always decodes, and keeps every record in order.
//!
//! "Unexpected" means every value Logz.io, its UI, an older account or a
//! newer server may put there in the field's JSON kind: strings outside the
//! creation pattern or empty, operators this client has never seen (alone or
//! in the one-element array Logz.io's spec declares), timestamps in any of
//! their documented forms, `null`, absent fields, and fields the spec does not
//! declare. A value of the wrong JSON kind (a number for a name) is a
//! `Decode` error that names its path; see `tolerant_reader.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use logzio_shared_tokens::SharedTokenExt;
use logzio_shared_tokens::types::{QueryFilter, SharedToken};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9_@.-]{1,12}",
        ".{0,24}",
        Just(String::new()),
        Just("café: au lait / *".to_owned()),
    ]
}

fn optional(value: impl Strategy<Value = Value>) -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        1 => Just(None),
        1 => Just(Some(Value::Null)),
        4 => value.prop_map(Some),
    ]
}

fn timestamp() -> impl Strategy<Value = Value> {
    (0i64..4_000_000_000).prop_flat_map(|seconds| {
        prop_oneof![
            Just(json!(seconds * 1000)),
            Just(json!(seconds as f64 + 0.5)),
            Just(json!([seconds * 1000])),
            Just(json!((seconds * 1000).to_string())),
            Just(json!(
                jiff::Timestamp::from_second(seconds).unwrap().to_string()
            )),
        ]
    })
}

fn operator() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!("OR")),
        Just(json!("AND")),
        Just(json!(["AND"])),
        any_text().prop_map(Value::String),
        any_text().prop_map(|text| json!([text])),
    ]
}

fn ids() -> impl Strategy<Value = Value> {
    prop::collection::vec(any::<i32>(), 0..4).prop_map(|ids| json!(ids))
}

fn extra_fields() -> impl Strategy<Value = Vec<(String, Value)>> {
    prop::collection::vec(
        (
            "x[A-Za-z]{1,8}",
            prop_oneof![
                Just(Value::Null),
                any::<i64>().prop_map(|n| json!(n)),
                any_text().prop_map(Value::String),
                Just(json!({"nested": [1, "two", null]})),
            ],
        ),
        0..3,
    )
}

fn record(id: i32, fields: Vec<(&str, Option<Value>)>, extra: Vec<(String, Value)>) -> Value {
    let mut map = Map::new();
    map.insert("id".into(), json!(id));
    for (name, value) in fields {
        if let Some(value) = value {
            map.insert(name.into(), value);
        }
    }
    for (name, value) in extra {
        map.entry(name).or_insert(value);
    }
    Value::Object(map)
}

fn token(id: i32) -> impl Strategy<Value = Value> {
    (
        optional(any_text().prop_map(Value::String)),
        optional(any_text().prop_map(Value::String)),
        optional(ids()),
        optional(ids()),
        optional(timestamp()),
        optional(timestamp()),
        prop_oneof![Just(None), operator().prop_map(Some)],
        extra_fields(),
    )
        .prop_map(
            move |(name, value, filters, filter_ids, last_used, expires, op, extra)| {
                record(
                    id,
                    vec![
                        ("name", name),
                        ("token", value),
                        ("filters", filters),
                        ("filterIds", filter_ids),
                        ("lastUsed", last_used),
                        ("expirationDate", expires),
                        ("filtersOperator", op),
                    ],
                    extra,
                )
            },
        )
}

fn filter(id: i32) -> impl Strategy<Value = Value> {
    (
        any_text(),
        any_text(),
        optional(any_text().prop_map(Value::String)),
        extra_fields(),
    )
        .prop_map(move |(field, value, description, extra)| {
            record(
                id,
                vec![
                    ("field", Some(Value::String(field))),
                    ("value", Some(Value::String(value))),
                    ("description", description),
                ],
                extra,
            )
        })
}

fn list_of<S: Strategy<Value = Value>>(
    item: fn(i32) -> S,
) -> impl Strategy<Value = (Vec<i32>, String)> {
    prop::collection::vec(any::<i32>(), 0..40).prop_flat_map(move |ids| {
        let records: Vec<S> = ids.iter().map(|id| item(*id)).collect();
        (Just(ids), records).prop_map(|(ids, records)| (ids, Value::Array(records).to_string()))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn token_lists_keep_every_record((ids, body) in list_of(token)) {
        let tokens: Vec<SharedToken> = serde_json::from_str(&body)
            .map_err(|error| TestCaseError::fail(format!("{error}: {body}")))?;
        let decoded: Vec<i32> = tokens.iter().map(|token| token.id).collect();
        prop_assert_eq!(decoded, ids);
        for token in &tokens {
            // Every accessor answers, whatever the record held.
            let _ = (token.filter_ids(), token.last_used(), token.expires_at(), token.operator());
        }
    }

    #[test]
    fn filter_lists_keep_every_record((ids, body) in list_of(filter)) {
        let filters: Vec<QueryFilter> = serde_json::from_str(&body)
            .map_err(|error| TestCaseError::fail(format!("{error}: {body}")))?;
        let decoded: Vec<i32> = filters.iter().map(|filter| filter.id).collect();
        prop_assert_eq!(decoded, ids);
    }
}
