//! The tolerant-reader rule, decided once for every generated type: what the
//! client **sends** keeps every constraint of the spec, what it **receives**
//! accepts whatever a real server, a proxy or an older account may hold.
//!
//! Runs on the upgraded OpenAPI 3.0 document, before progenitor:
//!
//! - In schemas reached from a response, strings lose `pattern`, `minLength`
//!   and `maxLength` (a filter made in Logz.io's UI may fall outside the
//!   pattern the API enforces on creation), and inline `enum`s are dropped.
//! - A string enum `E` reached from a response is read through the component
//!   `EAsReceived`, which the generator maps to `crate::OpenEnum<types::E>`:
//!   known values become `E`, unknown ones are kept as sent, and the one-element
//!   array Logz.io's spec declares is accepted.
//! - A schema reached from both requests and responses is split: responses
//!   keep its name (the type users read), requests get a strict copy named
//!   `<Name>Request`.
//! - In response schemas, `readOnly` properties (ids the server assigns) are
//!   required: a record without one is refused once, at decode, instead of
//!   reaching users as an `Option` they must guess about.
//!
//! It must never relax a schema that is only sent, and never change what a
//! field is called or make a field that is sent required.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::error::SpecProblem;

mod schema_use;
use schema_use::{Context, collect_refs, for_each_root, reachable, roots};

const SCHEMA_REF_PREFIX: &str = "#/components/schemas/";
/// The suffix of the component a response reads an enum through.
pub(crate) const AS_RECEIVED_SUFFIX: &str = "AsReceived";
/// The suffix of the strict request copy of a schema shared with responses.
pub(crate) const REQUEST_SUFFIX: &str = "Request";
/// The string constraints that only bind what the client sends.
const SEND_ONLY_KEYWORDS: &[&str] = &["pattern", "minLength", "maxLength"];

/// What the pass decided, for the generator's settings.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Leniency {
    /// `(component read by responses, strict enum it wraps)`, e.g.
    /// `("FiltersOperatorAsReceived", "FiltersOperator")`.
    pub(crate) open_enums: Vec<(String, String)>,
}

/// Applies the rule to `document` in place.
pub(crate) fn apply(file: &str, document: &mut Value) -> Result<Leniency, Vec<SpecProblem>> {
    let Some(schemas) = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
    else {
        return Ok(Leniency::default());
    };
    let received = reachable(&schemas, roots(document, Context::Response));
    let sent = reachable(&schemas, roots(document, Context::Request));
    let enums: BTreeSet<String> = received
        .iter()
        .filter(|name| is_string_enum(&schemas[name.as_str()]))
        .cloned()
        .collect();
    let differing = differing(&schemas, &received);
    let split: BTreeSet<String> = differing
        .iter()
        .filter(|name| sent.contains(*name) && !enums.contains(*name))
        .cloned()
        .collect();
    let (added, open_enums) = new_components(file, &schemas, &split, &enums)?;
    let renames = redirect_refs(document, &split, &open_enums);
    let Some(components) = document
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return Ok(Leniency::default());
    };
    for (name, schema) in components.iter_mut() {
        if differing.contains(name) && !enums.contains(name) {
            relax(schema);
            require_read_only(schema);
            rename_refs(schema, &renames.response);
        }
    }
    for (name, mut schema) in added {
        if name.ends_with(REQUEST_SUFFIX) {
            rename_refs(&mut schema, &renames.request);
        }
        components.insert(name, schema);
    }
    Ok(Leniency { open_enums })
}

/// The components the pass adds, by name.
type NewComponents = Map<String, Value>;
/// `(open enum component, strict enum it wraps)` pairs.
type OpenEnums = Vec<(String, String)>;

/// The components the pass adds: a strict `<Name>Request` copy of each
/// schema both sent and received (`split`), and `<Enum>AsReceived` for each
/// enum read by responses (returned with the enum it wraps). Refused when a
/// name is taken.
fn new_components(
    file: &str,
    schemas: &Map<String, Value>,
    split: &BTreeSet<String>,
    enums: &BTreeSet<String>,
) -> Result<(NewComponents, OpenEnums), Vec<SpecProblem>> {
    let mut problems = Vec::new();
    let mut added = Map::new();
    for name in split {
        let copy = format!("{name}{REQUEST_SUFFIX}");
        if schemas.contains_key(&copy) {
            problems.push(name_taken(file, &copy, format!(
                "`{name}` is both sent and received, so its strict request copy is named `{copy}`, but that name is taken"
            )));
        }
        added.insert(copy, schemas[name.as_str()].clone());
    }
    let mut open_enums = Vec::new();
    for name in enums {
        let open = format!("{name}{AS_RECEIVED_SUFFIX}");
        if schemas.contains_key(&open) {
            let why = format!(
                "responses read the enum `{name}` through `{open}`, but that name is taken"
            );
            problems.push(name_taken(file, &open, why));
        }
        added.insert(
            open.clone(),
            as_received_schema(name, &schemas[name.as_str()]),
        );
        open_enums.push((open, name.clone()));
    }
    match problems.is_empty() {
        true => Ok((added, open_enums)),
        false => Err(problems),
    }
}

/// Component renames, per direction.
struct Renames {
    /// A split schema -> its strict copy.
    request: BTreeMap<String, String>,
    /// A strict enum -> its open form.
    response: BTreeMap<String, String>,
}

/// Points the operations' schemas at the new components: requests at the
/// strict copies (inside the copies too, since they are sent: the caller
/// does that), responses at the open enums.
fn redirect_refs(
    document: &mut Value,
    split: &BTreeSet<String>,
    open_enums: &[(String, String)],
) -> Renames {
    let renames = Renames {
        request: split
            .iter()
            .map(|name| (name.clone(), format!("{name}{REQUEST_SUFFIX}")))
            .collect(),
        response: open_enums
            .iter()
            .map(|(open, strict)| (strict.clone(), open.clone()))
            .collect(),
    };
    for_each_root(document, Context::Request, &mut |schema| {
        rename_refs(schema, &renames.request)
    });
    for_each_root(document, Context::Response, &mut |schema| {
        rename_refs(schema, &renames.response)
    });
    renames
}

/// The problem of a component name this pass needs but the spec already uses.
fn name_taken(file: &str, name: &str, why: String) -> SpecProblem {
    SpecProblem::new(
        file,
        &crate::json_pointer::child("/components/schemas", name),
        why,
    )
    .hint(format!("rename `{name}`"))
}

/// The received components whose response form differs from their declared
/// form: those with send-only constraints, enums or `readOnly` properties of
/// their own, and those that refer to one.
fn differing(schemas: &Map<String, Value>, received: &BTreeSet<String>) -> BTreeSet<String> {
    let mut differing: BTreeSet<String> = received
        .iter()
        .filter(|name| differs_in_responses(&schemas[name.as_str()]))
        .cloned()
        .collect();
    loop {
        let before = differing.len();
        for name in received {
            let mut refs = BTreeSet::new();
            collect_refs(&schemas[name.as_str()], &mut refs);
            if refs.iter().any(|r| differing.contains(r)) {
                differing.insert(name.clone());
            }
        }
        if differing.len() == before {
            return differing;
        }
    }
}

fn is_string_enum(schema: &Value) -> bool {
    schema.get("enum").is_some() && schema.get("type").and_then(Value::as_str) == Some("string")
}

fn differs_in_responses(schema: &Value) -> bool {
    match schema {
        Value::Object(map) => {
            SEND_ONLY_KEYWORDS.iter().any(|k| map.contains_key(*k))
                || map.contains_key("enum")
                || is_read_only(schema)
                || map
                    .iter()
                    .filter(|(key, _)| !is_literal_keyword(key))
                    .any(|(_, inner)| differs_in_responses(inner))
        }
        Value::Array(items) => items.iter().any(differs_in_responses),
        _ => false,
    }
}

/// Keywords whose values are data, not schemas: never walked into.
fn is_literal_keyword(key: &str) -> bool {
    matches!(
        key,
        "example" | "examples" | "default" | "enum" | "required"
    ) || key.starts_with("x-")
}

/// Calls `visit` on every object of `schema`, nested ones included, never
/// walking into literal data (examples, defaults, enum values).
fn walk_mut(schema: &mut Value, visit: &mut dyn FnMut(&mut Map<String, Value>)) {
    match schema {
        Value::Object(map) => {
            visit(map);
            map.iter_mut()
                .filter(|(key, _)| !is_literal_keyword(key))
                .for_each(|(_, inner)| walk_mut(inner, visit));
        }
        Value::Array(items) => items.iter_mut().for_each(|inner| walk_mut(inner, visit)),
        _ => {}
    }
}

/// Drops send-only constraints and inline enums, recursively.
fn relax(schema: &mut Value) {
    walk_mut(schema, &mut |map| {
        for keyword in SEND_ONLY_KEYWORDS.iter().chain(&["enum"]) {
            map.remove(*keyword);
        }
    });
}

fn is_read_only(schema: &Value) -> bool {
    schema.get("readOnly") == Some(&Value::Bool(true))
}

/// Adds every `readOnly` property to its object's `required`, recursively.
fn require_read_only(schema: &mut Value) {
    walk_mut(schema, &mut |map| {
        let read_only: Vec<Value> = (map.get("properties").and_then(Value::as_object))
            .into_iter()
            .flatten()
            .filter(|(_, property)| is_read_only(property))
            .map(|(name, _)| Value::String(name.clone()))
            .collect();
        if !read_only.is_empty()
            && let Value::Array(required) = map.entry("required").or_insert(Value::Array(vec![]))
        {
            let missing: Vec<Value> = read_only
                .into_iter()
                .filter(|name| !required.contains(name))
                .collect();
            required.extend(missing);
        }
    });
}

fn rename_refs(schema: &mut Value, renames: &BTreeMap<String, String>) {
    walk_mut(schema, &mut |map| {
        if let Some(Value::String(reference)) = map.get_mut("$ref")
            && let Some(new) = reference
                .strip_prefix(SCHEMA_REF_PREFIX)
                .and_then(|name| renames.get(name))
        {
            *reference = format!("{SCHEMA_REF_PREFIX}{new}");
        }
    });
}

/// The documented shape of an enum as responses may carry it: any string, or
/// a one-element array of one (the form Logz.io's spec declares).
fn as_received_schema(name: &str, strict: &Value) -> Value {
    let known = strict.get("enum").cloned().unwrap_or(Value::Null);
    let mut schema = serde_json::json!({
        "description": format!(
            "`{name}` as a response carries it: one of the known values, any other string (kept as sent), or a one-element array of either."
        ),
        "anyOf": [
            {"type": "string"},
            {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 1}
        ],
        "x-known-values": known,
    });
    if let (Some(map), Some(nullable)) = (schema.as_object_mut(), strict.get("nullable")) {
        map.insert("nullable".into(), nullable.clone());
    }
    schema
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn document() -> Value {
        json!({
            "openapi": "3.0.3",
            "paths": {
                "/filters": {
                    "post": {
                        "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Filter"}}}},
                        "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Filter"}}}}}
                    },
                    "get": {
                        "responses": {"200": {"content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Token"}}}}}}
                    },
                    "put": {
                        "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Update"}}}},
                        "responses": {"204": {"description": "done"}}
                    }
                }
            },
            "components": {"schemas": {
                "Filter": {"type": "object", "properties": {
                    "id": {"type": "integer", "readOnly": true},
                    "field": {"type": "string", "pattern": "^[a-z]+$", "minLength": 1, "example": "type"}
                }},
                "Operator": {"type": "string", "enum": ["OR", "AND"]},
                "Token": {"type": "object", "properties": {"op": {"$ref": "#/components/schemas/Operator"}, "name": {"type": "string"}}},
                "Update": {"type": "object", "properties": {
                    "op": {"$ref": "#/components/schemas/Operator"},
                    "name": {"type": "string", "minLength": 1}
                }}
            }}
        })
    }

    #[test]
    fn responses_are_relaxed_and_requests_keep_every_constraint() {
        let mut doc = document();
        let leniency = apply("spec.json", &mut doc).unwrap();
        assert_eq!(
            leniency.open_enums,
            [("OperatorAsReceived".to_owned(), "Operator".to_owned())]
        );
        let schemas = &doc["components"]["schemas"];
        // Received: no pattern, no minLength; example kept.
        assert_eq!(
            schemas["Filter"]["properties"]["field"],
            json!({"type": "string", "example": "type"})
        );
        // Sent: the strict copy, and the request refers to it.
        assert_eq!(
            schemas["FilterRequest"]["properties"]["field"]["pattern"],
            "^[a-z]+$"
        );
        // The id the server assigns is required in what is read, not in what is sent.
        assert_eq!(schemas["Filter"]["required"], json!(["id"]));
        assert!(schemas["FilterRequest"].get("required").is_none());
        assert_eq!(
            doc.pointer("/paths/~1filters/post/requestBody/content/application~1json/schema/$ref"),
            Some(&json!("#/components/schemas/FilterRequest"))
        );
        assert_eq!(
            doc.pointer(
                "/paths/~1filters/post/responses/200/content/application~1json/schema/$ref"
            ),
            Some(&json!("#/components/schemas/Filter"))
        );
        // The response-only object reads the enum in its open form...
        assert_eq!(
            schemas["Token"]["properties"]["op"]["$ref"],
            "#/components/schemas/OperatorAsReceived"
        );
        assert_eq!(
            schemas["OperatorAsReceived"]["x-known-values"],
            json!(["OR", "AND"])
        );
        // ...while the request-only object and the enum itself stay strict.
        assert_eq!(
            schemas["Update"],
            document()["components"]["schemas"]["Update"]
        );
        assert_eq!(
            schemas["Operator"],
            document()["components"]["schemas"]["Operator"]
        );
        assert!(schemas.get("UpdateRequest").is_none());
        assert!(schemas.get("TokenRequest").is_none());
    }

    #[test]
    fn a_taken_copy_name_is_refused_with_its_pointer() {
        let mut doc = document();
        doc["components"]["schemas"]["FilterRequest"] = json!({"type": "object"});
        let problems = apply("spec.json", &mut doc).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].pointer, "/components/schemas/FilterRequest");
    }

    #[test]
    fn a_document_without_components_is_left_alone() {
        let mut doc = json!({"openapi": "3.0.3", "paths": {}});
        assert_eq!(apply("spec.json", &mut doc).unwrap(), Leniency::default());
        assert_eq!(doc, json!({"openapi": "3.0.3", "paths": {}}));
    }
}
