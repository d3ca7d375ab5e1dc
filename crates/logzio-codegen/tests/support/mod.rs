//! What the pipeline's tests share: a spec from JSON, its refusal as text,
//! and a Swagger 2.0 document with one schema under test.

use logzio_codegen::{CodegenError, SpecSource, generate};
use serde_json::{Value, json};

/// The spec as the file `spec.json`.
pub fn source(document: Value) -> SpecSource {
    SpecSource::parse("spec.json", document.to_string()).expect("the test's JSON is text")
}

/// The located problems of a refused spec, as the user reads them.
pub fn refusal(document: Value) -> Vec<String> {
    match generate(&source(document)) {
        Err(CodegenError::Spec(problems)) => problems.iter().map(ToString::to_string).collect(),
        Err(other) => panic!("expected located spec problems, got {other}"),
        Ok(_) => panic!("expected a refusal"),
    }
}

/// A Swagger 2.0 document whose one definition has the property `field` with `schema`.
pub fn spec_accepting(schema: Value) -> Value {
    json!({
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/things": {"post": {
            "operationId": "makeThing",
            "consumes": ["application/json"],
            "parameters": [{"in": "body", "name": "body", "schema": {"$ref": "#/definitions/Thing"}}],
            "responses": {"204": {"description": "made"}}
        }}},
        "definitions": {"Thing": {"type": "object", "properties": {"field": schema}}}
    })
}
