//! From whatever Logz.io publishes to our conventions, before any correction:
//! the Shared Tokens operations only, paths under `/v1`, the API token as the
//! `X-API-TOKEN` security scheme rather than a header parameter of every
//! operation, media types declared once, every operation under our tag.
//!
//! These are conventions of *shape*, not decisions about Logz.io's defects
//! (those live in the corrections list). This module never changes a type, a
//! field or a status code.

use anyhow::bail;
use logzio_codegen::{HTTP_METHODS, SpecSource, spec_operations};
use serde_json::{Map, Value, json};

use super::{PATH_PREFIX, TAG};

const API_TOKEN: &str = "X-API-TOKEN";
const JSON: &str = "application/json";

/// Which of Logz.io's two published shapes a file has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// The old standalone Shared Tokens file: no tags, no `/v1`, the API token
    /// as a header parameter of each operation.
    Standalone,
    /// The current full public API file: operations tagged `Manage shared tokens`.
    Current,
}

impl Shape {
    /// The name the corrections list uses in `only_in`.
    pub fn name(self) -> &'static str {
        match self {
            Shape::Standalone => "standalone",
            Shape::Current => "current",
        }
    }
}

/// The imported document in our conventions, and what was done to get there.
#[derive(Debug, Clone)]
pub struct Imported {
    /// Which shape the file had.
    pub shape: Shape,
    /// A Swagger 2.0 document holding only the Shared Tokens operations.
    pub document: Value,
    /// One line per convention applied, for the report.
    pub notes: Vec<String>,
}

/// Extracts and normalises the Shared Tokens part of `source`.
pub fn normalise(source: &SpecSource) -> anyhow::Result<Imported> {
    let file = &source.file;
    match source.document.get("swagger").and_then(Value::as_str) {
        Some("2.0") => {}
        Some(other) => bail!("{file}: Swagger version {other:?}; import-spec reads Swagger 2.0"),
        None if source.document.get("openapi").is_some() => bail!(
            "{file}: an OpenAPI 3 document; import-spec reads Swagger 2.0, which is what Logz.io publishes"
        ),
        None => bail!("{file}: not a Swagger 2.0 document (no `swagger: \"2.0\"` at the top)"),
    }
    let mut document = logzio_codegen::extract_operations(&source.document, TAG, PATH_PREFIX);
    let found = spec_operations(&document).count();
    if found == 0 {
        bail!(
            "{file}: no operation tagged {TAG:?} and no path under {PATH_PREFIX} (with or without /v1)"
        );
    }
    let shape = if spec_operations(&document).any(|op| has_tag(op.operation)) {
        Shape::Current
    } else {
        Shape::Standalone
    };
    let mut notes = vec![format!(
        "{found} operation(s) found ({})",
        match shape {
            Shape::Current => format!("tag {TAG:?}"),
            Shape::Standalone => format!("no tags; paths under {PATH_PREFIX}"),
        }
    )];
    let Some(root) = document.as_object_mut() else {
        bail!("{file}: the document is not an object");
    };
    prefix_paths(root, &mut notes);
    api_token_as_scheme(root, &mut notes);
    media_types_once(root, &mut notes);
    tidy_operations(root);
    Ok(Imported {
        shape,
        document,
        notes,
    })
}

fn has_tag(operation: &Value) -> bool {
    operation
        .get("tags")
        .and_then(Value::as_array)
        .is_some_and(|tags| tags.iter().any(|t| t.as_str() == Some(TAG)))
}

fn operations_mut(root: &mut Map<String, Value>) -> impl Iterator<Item = &mut Map<String, Value>> {
    root.get_mut("paths")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|paths| paths.values_mut())
        .filter_map(Value::as_object_mut)
        .flat_map(|item| {
            item.iter_mut()
                .filter(|(k, _)| HTTP_METHODS.contains(&k.as_str()))
                .filter_map(|(_, op)| op.as_object_mut())
        })
}

/// Our paths carry the API version, as Logz.io's current file does.
fn prefix_paths(root: &mut Map<String, Value>, notes: &mut Vec<String>) {
    let Some(Value::Object(paths)) = root.get_mut("paths") else {
        return;
    };
    let mut prefixed = 0;
    let renamed: Map<String, Value> = std::mem::take(paths)
        .into_iter()
        .map(|(path, item)| {
            if path.starts_with("/v1/") {
                (path, item)
            } else {
                prefixed += 1;
                (format!("/v1{path}"), item)
            }
        })
        .collect();
    *paths = renamed;
    if prefixed > 0 {
        notes.push(format!("paths: added the /v1 prefix to {prefixed} path(s)"));
    }
}

/// The API token is a security scheme set once, not an argument of every method.
fn api_token_as_scheme(root: &mut Map<String, Value>, notes: &mut Vec<String>) {
    let mut removed = 0;
    for op in operations_mut(root) {
        if let Some(Value::Array(parameters)) = op.get_mut("parameters") {
            let before = parameters.len();
            parameters.retain(|p| !is_api_token_parameter(p));
            removed += before - parameters.len();
            if parameters.is_empty() {
                op.remove("parameters");
            }
        }
    }
    if removed > 0 {
        notes.push(format!(
            "API token: removed {removed} {API_TOKEN} header parameter(s); the token is the {API_TOKEN} security scheme"
        ));
    }
    let definitions = root
        .entry("securityDefinitions")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(definitions) = definitions
        && !definitions.contains_key(API_TOKEN)
    {
        definitions.insert(
            API_TOKEN.to_owned(),
            json!({"type": "apiKey", "in": "header", "name": API_TOKEN}),
        );
        notes.push(format!(
            "API token: declared the {API_TOKEN} apiKey security scheme"
        ));
    }
    if !root.contains_key("security") {
        root.insert("security".into(), json!([{ API_TOKEN: [] }]));
        notes.push(format!("API token: applied {API_TOKEN} to every operation"));
    }
}

fn is_api_token_parameter(parameter: &Value) -> bool {
    parameter.get("in").and_then(Value::as_str) == Some("header")
        && parameter
            .get("name")
            .and_then(Value::as_str)
            .is_some_and(|n| n.eq_ignore_ascii_case(API_TOKEN))
}

/// `consumes`/`produces` declared once at the top when every operation agrees.
fn media_types_once(root: &mut Map<String, Value>, notes: &mut Vec<String>) {
    for key in ["consumes", "produces"] {
        let global = root.get(key).cloned();
        let effective = global.clone().unwrap_or_else(|| json!([JSON]));
        let mut hoisted = 0;
        for op in operations_mut(root) {
            if op.get(key) == Some(&effective) {
                op.remove(key);
                hoisted += 1;
            }
        }
        if global.is_none() {
            root.insert(key.to_owned(), effective);
        }
        if hoisted > 0 {
            notes.push(format!(
                "{key}: declared once for the document instead of on {hoisted} operation(s)"
            ));
        }
    }
}

/// Every operation under our tag; no empty `headers` on responses.
fn tidy_operations(root: &mut Map<String, Value>) {
    for op in operations_mut(root) {
        if !has_tag(&Value::Object(op.clone())) {
            op.insert("tags".into(), json!([TAG]));
        }
        if let Some(Value::Object(responses)) = op.get_mut("responses") {
            for response in responses.values_mut().filter_map(Value::as_object_mut) {
                if response
                    .get("headers")
                    .and_then(Value::as_object)
                    .is_some_and(Map::is_empty)
                {
                    response.remove("headers");
                }
            }
        }
    }
    let tags = root.entry("tags").or_insert_with(|| json!([]));
    if let Value::Array(tags) = tags
        && !tags
            .iter()
            .any(|t| t.get("name").and_then(Value::as_str) == Some(TAG))
    {
        tags.push(json!({ "name": TAG }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(document: Value) -> SpecSource {
        SpecSource::parse("fixture.json", document.to_string()).unwrap()
    }

    #[test]
    fn standalone_shape_gets_v1_and_the_security_scheme() {
        let imported = normalise(&source(json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/shared-tokens/{id}": {"get": {
                "operationId": "getToken",
                "produces": ["application/json"],
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "type": "integer"},
                    {"name": "X-API-TOKEN", "in": "header", "required": false, "type": "string"}
                ],
                "responses": {"200": {"description": "ok", "headers": {}}}
            }}}
        })))
        .unwrap();
        assert_eq!(imported.shape, Shape::Standalone);
        let doc = &imported.document;
        let op = &doc["paths"]["/v1/shared-tokens/{id}"]["get"];
        assert_eq!(op["parameters"].as_array().unwrap().len(), 1);
        assert_eq!(op["tags"], json!([TAG]));
        assert!(op.get("produces").is_none());
        assert!(op["responses"]["200"].get("headers").is_none());
        assert_eq!(doc["securityDefinitions"][API_TOKEN]["type"], "apiKey");
        assert_eq!(doc["security"], json!([{API_TOKEN: []}]));
        assert_eq!(doc["produces"], json!([JSON]));
    }

    #[test]
    fn refuses_a_file_without_shared_tokens_operations() {
        let error = normalise(&source(json!({
            "swagger": "2.0", "info": {"title": "t", "version": "1"},
            "paths": {"/v1/users": {"get": {"operationId": "x", "responses": {}}}}
        })))
        .unwrap_err();
        assert!(error.to_string().contains("fixture.json"), "{error}");
    }

    #[test]
    fn refuses_openapi_3() {
        let error = normalise(&source(json!({"openapi": "3.0.3"}))).unwrap_err();
        assert!(error.to_string().contains("OpenAPI 3"), "{error}");
    }
}
