//! `$ref`s the generator cannot resolve: each shape made typify or
//! progenitor panic, and is now refused with a pointer by the preflight.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{Value, json};

mod support;
use support::{refusal, spec_accepting};

#[test]
fn a_schema_ref_that_is_not_one_whole_schema_is_refused_with_a_pointer() {
    // Found by fuzzing: typify panicked on `"$ref": "#"` ("$ref # is missing"),
    // and it finds a type by a reference's last token alone. Each of these
    // resolves, so only the preflight rule can refuse it.
    for reference in ["#", "#/definitions/Thing/properties/field", "#/paths"] {
        let problems = refusal(spec_accepting(json!({"$ref": reference})));
        assert_eq!(problems.len(), 1, "{reference}: {problems:?}");
        assert!(
            problems[0].contains("at /components/schemas/Thing/properties/field/$ref")
                && problems[0].contains("must name one schema"),
            "{reference}: {problems:?}"
        );
    }
    // An OpenAPI 3.0 document passes the upgrade unchanged and meets the same rule.
    let openapi = json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Thing": {"type": "object", "properties": {"me": {"$ref": "#"}}}}}
    });
    let problems = refusal(openapi);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("at /components/schemas/Thing/properties/me/$ref"),
        "{problems:?}"
    );
}

#[test]
fn parameter_body_and_response_refs_progenitor_cannot_look_up_are_refused() {
    // progenitor looks these up by their last token and panicked on each
    // ("key schema is missing", "key content is missing", an unwrap on `#`).
    let openapi = |operation: Value, components: Value| {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/things": {"get": operation}},
            "components": components
        })
    };
    let ok = json!({"200": {"description": "ok"}});
    let limit = json!({"name": "limit", "in": "query", "schema": {"type": "integer"}});
    let cases = [
        (
            openapi(
                json!({"operationId": "getThings", "responses": ok,
                       "parameters": [{"$ref": "#/components/parameters/limit/schema"}]}),
                json!({"parameters": {"limit": limit}}),
            ),
            "at /paths/~1things/get/parameters/0/$ref",
        ),
        (
            openapi(
                json!({"operationId": "getThings", "parameters": [{"$ref": "#"}], "responses": ok}),
                json!({}),
            ),
            "at /paths/~1things/get/parameters/0/$ref",
        ),
        (
            openapi(
                json!({"operationId": "getThings", "responses": {
                    "200": {"description": "ok"},
                    "404": {"$ref": "#/components/responses/NotFound/content"}}}),
                json!({"responses": {"NotFound": {"description": "none", "content": {}}}}),
            ),
            "at /paths/~1things/get/responses/404/$ref",
        ),
        (
            openapi(
                json!({"operationId": "getThings", "responses": ok,
                       "parameters": [{"$ref": "#/components/parameters/a"}]}),
                json!({"parameters": {"a": {"$ref": "#/components/parameters/a"}}}),
            ),
            "at /components/parameters/a/$ref",
        ),
    ];
    for (document, pointer) in cases {
        let problems = refusal(document.clone());
        assert!(
            problems.iter().any(|problem| problem.contains(pointer)),
            "{document}: {problems:?}"
        );
    }
}
