//! The preflight rules for schemas, checked on every schema of the upgraded
//! document (after the tolerant-reader pass, so only what reaches typify):
//!
//! - **A `pattern` must compile** with regress, the engine typify validates
//!   it with (and the generated code runs); otherwise typify fails with no
//!   location. Found by fuzzing (`pattern: "(("`).
//! - **A schema `$ref` names one whole schema** of `components/schemas`:
//!   typify resolves a reference by its last token, and panics on `#` (the
//!   document itself). Found by fuzzing.
//! - **A schema without a usable `type`** must be one typify can turn into a
//!   type, as below.
//!
//! openapiv3 reads a schema without `type` as `SchemaKind::Any`. progenitor 0.15 and
//! typify 0.8 turn only some of those into types; the rest reach a `todo!()`
//! (`invalid type: …`, `exclusive_minimum set without minimum`, `invalid (or
//! unexpected) schema`). Fuzzing `swagger.json` found the first one (a
//! `format: password` left without its `type: string`). This rule refuses
//! every shape outside the ones they handle, with a pointer, before they run.
//!
//! Handled without `type`: nothing at all (any value), `enum` alone,
//! `allOf`/`anyOf`/`oneOf`/`not` alone, and the keywords of exactly one of
//! string (`pattern`, `minLength`, `maxLength`), object (`properties`,
//! `required`, `additionalProperties`, `minProperties`, `maxProperties`) or
//! array (`items`, `minItems`, `maxItems`, `uniqueItems`). Everything else
//! must say its `type`.

use openapiv3::{AnySchema, Schema, SchemaKind};
use serde_json::Value;

use crate::error::SpecProblem;
use crate::json_pointer::{child, section_entry};

/// The `type` values OpenAPI 3.0 defines.
const TYPES: [&str; 6] = ["string", "number", "integer", "boolean", "array", "object"];

/// Keys whose value is one schema, inside a schema.
const SCHEMA_KEYS: [&str; 3] = ["items", "additionalProperties", "not"];
/// Keys whose value is a list of schemas, inside a schema.
const SCHEMA_LIST_KEYS: [&str; 3] = ["allOf", "anyOf", "oneOf"];
/// Keys whose values are example data, never schemas.
const DATA_KEYS: [&str; 3] = ["example", "examples", "default"];

/// Checks every schema of an upgraded document: `components.schemas` and
/// every `schema` of a parameter, header or media type, with the schemas
/// nested in them.
pub(crate) fn check(file: &str, document: &Value, problems: &mut Vec<SpecProblem>) {
    if let Some(Value::Object(schemas)) = document.pointer("/components/schemas") {
        for (name, schema) in schemas {
            check_schema(file, &child("/components/schemas", name), schema, problems);
        }
    }
    for section in ["paths", "components"] {
        if let Some(value) = document.get(section) {
            find_schema_roots(file, &child("", section), value, problems);
        }
    }
}

/// Descends through the parts of the document that are not schemas and
/// checks each `schema` found there.
fn find_schema_roots(file: &str, pointer: &str, value: &Value, problems: &mut Vec<SpecProblem>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let here = child(pointer, key);
                if pointer == "/components" && key == "schemas" || DATA_KEYS.contains(&key.as_str())
                {
                    continue; // checked by `check`, or data
                }
                if key == "schema" && inner.is_object() {
                    check_schema(file, &here, inner, problems);
                } else {
                    find_schema_roots(file, &here, inner, problems);
                }
            }
        }
        Value::Array(items) => {
            for (index, inner) in items.iter().enumerate() {
                find_schema_roots(file, &child(pointer, &index.to_string()), inner, problems);
            }
        }
        _ => {}
    }
}

fn check_schema(file: &str, pointer: &str, schema: &Value, problems: &mut Vec<SpecProblem>) {
    let Value::Object(map) = schema else {
        return;
    };
    if let Some(reference) = map.get("$ref") {
        check_reference(file, pointer, reference, problems);
        return;
    }
    // The document deserialized as a whole already, so each schema does too;
    // one that does not is reported by that step, not here.
    if let Some(Value::String(pattern)) = map.get("pattern")
        && let Err(error) = regress::Regex::new(pattern)
    {
        problems.push(
            SpecProblem::new(
                file,
                &child(pointer, "pattern"),
                format!("the pattern is not a regular expression typify can compile: {error}"),
            )
            .hint("write an ECMA-262 regular expression, as JSON Schema specifies"),
        );
    }
    check_enum_values(file, pointer, map, problems);
    if let Ok(Schema {
        schema_kind: SchemaKind::Any(any),
        schema_data,
    }) = serde_json::from_value::<Schema>(schema.clone())
        && let Some(problem) = untyped_problem(file, pointer, &any, schema_data.nullable)
    {
        problems.push(problem);
    }
    for (key, inner) in map {
        let here = child(pointer, key);
        match (key.as_str(), inner) {
            ("properties", Value::Object(properties)) => {
                for (name, property) in properties {
                    check_schema(file, &child(&here, name), property, problems);
                }
            }
            (key, Value::Object(_)) if SCHEMA_KEYS.contains(&key) => {
                check_schema(file, &here, inner, problems)
            }
            (key, Value::Array(items)) if SCHEMA_LIST_KEYS.contains(&key) => {
                for (index, item) in items.iter().enumerate() {
                    check_schema(file, &child(&here, &index.to_string()), item, problems);
                }
            }
            _ => {}
        }
    }
}

/// A schema `$ref` must name one whole schema of `components/schemas`:
/// typify finds a reference's type by its last token alone, and panics on
/// `#` (the document itself) or a name that is not a schema. Found by
/// fuzzing (`"$ref": "#"` on a property).
fn check_reference(file: &str, pointer: &str, reference: &Value, problems: &mut Vec<SpecProblem>) {
    let Some(reference) = reference.as_str() else {
        return; // not a string: openapiv3 refuses the document, with a pointer
    };
    if section_entry(reference, "components/schemas").is_none() {
        problems.push(
            SpecProblem::new(
                file,
                &child(pointer, "$ref"),
                format!("a schema `$ref` must name one schema, not `{reference}`"),
            )
            .hint("point at a whole schema: \"#/definitions/NAME\" in Swagger 2.0, \"#/components/schemas/NAME\" in OpenAPI 3.0"),
        );
    }
}

/// Each `enum` value must be of the schema's declared `type` (or null):
/// typify refuses any other with no location ("unexpected value type").
/// Found by fuzzing (`type: string` with `enum: [null, 1, "a"]`).
fn check_enum_values(
    file: &str,
    pointer: &str,
    map: &serde_json::Map<String, Value>,
    problems: &mut Vec<SpecProblem>,
) {
    let (Some(Value::String(typ)), Some(Value::Array(values))) = (map.get("type"), map.get("enum"))
    else {
        return;
    };
    for (index, value) in values.iter().enumerate() {
        let fits = match typ.as_str() {
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            _ => true, // an unknown type is refused by the upgrade
        };
        if !fits && !value.is_null() {
            problems.push(
                SpecProblem::new(
                    file,
                    &child(&child(pointer, "enum"), &index.to_string()),
                    format!("the enum value is not of the schema's type `{typ}`"),
                )
                .hint("list only values of the declared type (or null)"),
            );
        }
    }
}

fn untyped_problem(
    file: &str,
    pointer: &str,
    any: &AnySchema,
    nullable: bool,
) -> Option<SpecProblem> {
    let hint = "declare the schema's `type` (string, number, integer, boolean, array or object)";
    if let Some(typ) = any.typ.as_deref() {
        if TYPES.contains(&typ) {
            return None;
        }
        return Some(
            SpecProblem::new(
                file,
                &child(pointer, "type"),
                format!("`{typ}` is not an OpenAPI 3.0 type"),
            )
            .hint(hint),
        );
    }
    let string = any.pattern.is_some() || any.min_length.is_some() || any.max_length.is_some();
    let number = any.multiple_of.is_some()
        || any.minimum.is_some()
        || any.maximum.is_some()
        || any.exclusive_minimum.is_some()
        || any.exclusive_maximum.is_some();
    let object = !any.properties.is_empty()
        || !any.required.is_empty()
        || any.additional_properties.is_some()
        || any.min_properties.is_some()
        || any.max_properties.is_some();
    let array = any.items.is_some()
        || any.min_items.is_some()
        || any.max_items.is_some()
        || any.unique_items.is_some();
    let kinds = [string, number, object, array]
        .into_iter()
        .filter(|kind| *kind)
        .count();
    let enumerated = !any.enumeration.is_empty();
    let composed = !any.all_of.is_empty()
        || !any.any_of.is_empty()
        || !any.one_of.is_empty()
        || any.not.is_some();
    let reason = if any.format.is_some() && !string {
        "has a `format` but no `type`"
    } else if number {
        "has number keywords but no `type`"
    } else if kinds > 1 {
        "has keywords of several types but no `type`"
    } else if kinds == 1 && nullable {
        // progenitor guesses the type of these, and guesses an array for a string
        "is `nullable` with type keywords but no `type`"
    } else if kinds == 1 && (enumerated || composed) {
        "mixes type keywords with `enum` or `allOf`/`anyOf`/`oneOf`/`not` but has no `type`"
    } else {
        return None;
    };
    Some(SpecProblem::new(file, pointer, format!("the schema {reason}")).hint(hint))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// The pointers of the problems `check` finds in `document`.
    fn pointers(document: &Value) -> Vec<String> {
        let mut problems = Vec::new();
        check("spec.json", document, &mut problems);
        problems
            .into_iter()
            .map(|problem| problem.pointer)
            .collect()
    }

    /// A document whose one component schema is `schema`.
    fn component(schema: Value) -> Value {
        json!({"components": {"schemas": {"Thing": schema}}})
    }

    #[test]
    fn inline_schemas_of_parameters_bodies_and_responses_are_checked_once() {
        let bad = json!({"format": "password"});
        let document = json!({
            "paths": {"/things": {"post": {
                "parameters": [{"name": "q", "in": "query", "schema": bad}],
                "requestBody": {"content": {"application/json": {"schema": bad}}},
                "responses": {"200": {"content": {"application/json": {
                    "schema": {"type": "array", "items": bad},
                    // Example data is never a schema, whatever its keys.
                    "example": {"schema": bad}
                }}}}
            }}},
            "components": {"schemas": {"Thing": bad}}
        });
        assert_eq!(
            pointers(&document),
            [
                "/components/schemas/Thing",
                "/paths/~1things/post/parameters/0/schema",
                "/paths/~1things/post/requestBody/content/application~1json/schema",
                "/paths/~1things/post/responses/200/content/application~1json/schema/items",
            ]
        );
    }

    #[test]
    fn component_responses_are_searched_and_component_schemas_are_checked_once() {
        let bad = json!({"format": "password"});
        let document = json!({"components": {
            // A property named `schema` is a schema, found once, as a property.
            "schemas": {"Thing": {"type": "object", "properties": {"schema": bad}}},
            "responses": {"Err": {"content": {"application/json": {"schema": bad}}}}
        }});
        assert_eq!(
            pointers(&document),
            [
                "/components/schemas/Thing/properties/schema",
                "/components/responses/Err/content/application~1json/schema",
            ]
        );
    }

    #[test]
    fn nested_schemas_are_checked_and_data_keywords_are_not() {
        let bad = json!({"format": "password"});
        let document = component(json!({
            "type": "object",
            "properties": {"a": bad, "b": {"allOf": [bad]}, "c": {"not": bad}},
            "additionalProperties": bad,
            // Values of these are data, not schemas.
            "example": bad,
            "default": {"format": "x"},
            "enum": [bad]
        }));
        assert_eq!(
            pointers(&document),
            [
                "/components/schemas/Thing/properties/a",
                "/components/schemas/Thing/properties/b/allOf/0",
                "/components/schemas/Thing/properties/c/not",
                "/components/schemas/Thing/additionalProperties",
            ]
        );
    }

    #[test]
    fn every_type_keyword_counts_for_its_kind() {
        // Each keyword beside one of another kind (or, for numbers, alone) is refused; if a
        // keyword were not counted, its schema would pass as a single kind.
        let refused = [
            json!({"pattern": "a", "items": {}}),
            json!({"minLength": 1, "items": {}}),
            json!({"maxLength": 1, "items": {}}),
            json!({"multipleOf": 2}),
            json!({"minimum": 1}),
            json!({"maximum": 1}),
            json!({"minimum": 1, "exclusiveMinimum": true}),
            json!({"maximum": 1, "exclusiveMaximum": true}),
            json!({"properties": {"a": {"type": "string"}}, "maxLength": 1}),
            json!({"required": ["a"], "maxLength": 1}),
            json!({"additionalProperties": {"type": "string"}, "maxLength": 1}),
            json!({"minProperties": 1, "maxLength": 1}),
            json!({"maxProperties": 1, "maxLength": 1}),
            json!({"items": {"type": "string"}, "maxLength": 1}),
            json!({"minItems": 1, "maxLength": 1}),
            json!({"maxItems": 1, "maxLength": 1}),
            json!({"uniqueItems": true, "maxLength": 1}),
            json!({"maxLength": 1, "enum": ["a"]}),
            json!({"maxLength": 1, "allOf": [{"type": "string"}]}),
            json!({"maxLength": 1, "anyOf": [{"type": "string"}]}),
            json!({"maxLength": 1, "oneOf": [{"type": "string"}]}),
            json!({"maxLength": 1, "not": {"type": "integer"}}),
            json!({"maxLength": 1, "nullable": true}),
        ];
        for schema in refused {
            assert_eq!(
                pointers(&component(schema.clone())),
                ["/components/schemas/Thing"],
                "{schema}"
            );
        }
        let accepted = [
            json!({}),
            json!({"type": "string", "format": "password"}),
            json!({"maxLength": 1}),
            json!({"pattern": "a", "format": "email"}),
            json!({"items": {"type": "string"}, "minItems": 1}),
            json!({"enum": ["a"]}),
            json!({"oneOf": [{"type": "string"}]}),
        ];
        for schema in accepted {
            assert!(pointers(&component(schema.clone())).is_empty(), "{schema}");
        }
    }

    #[test]
    fn enum_values_must_be_of_the_declared_type() {
        let document = component(json!({"type": "string", "enum": [null, 1, "a", true]}));
        assert_eq!(
            pointers(&document),
            [
                "/components/schemas/Thing/enum/1",
                "/components/schemas/Thing/enum/3"
            ]
        );
        for (typ, good, bad) in [
            ("integer", json!(3), json!(1.5)),
            ("number", json!(1.5), json!("1.5")),
            ("boolean", json!(false), json!(0)),
            ("array", json!([1]), json!({})),
            ("object", json!({}), json!([])),
        ] {
            let document = component(json!({"type": typ, "enum": [good, bad]}));
            assert_eq!(
                pointers(&document),
                ["/components/schemas/Thing/enum/1"],
                "{typ}"
            );
        }
    }

    #[test]
    fn an_unknown_type_is_pointed_at() {
        assert_eq!(
            pointers(&component(json!({"type": "text"}))),
            ["/components/schemas/Thing/type"]
        );
    }
}
