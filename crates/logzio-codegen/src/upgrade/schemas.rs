//! Schemas: `definitions` references move to `components/schemas`, `file`
//! becomes a binary string, `x-nullable` becomes `nullable`, a property-level
//! `required: true` moves to its parent's list; the rest is copied or refused.

use serde_json::{Map, Value, json};

use super::Upgrader;
use crate::json_pointer::{child, section_entry};

/// The limits a value may declare, in a schema and on a non-body parameter alike.
pub(super) const VALUE_LIMITS: &[&str] = &[
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
];

/// Schema keywords (besides [`VALUE_LIMITS`]) whose meaning is the same in
/// Swagger 2.0 and OpenAPI 3.0.
const SCHEMA_COPIED: &[&str] = &[
    "format",
    "title",
    "description",
    "default",
    "multipleOf",
    "maxProperties",
    "minProperties",
    "required",
    "enum",
    "readOnly",
    "xml",
    "externalDocs",
    "example",
    // OpenAPI 3.0 keywords met in hand-edited 2.0 files; their meaning is the same.
    "nullable",
    "deprecated",
    "writeOnly",
];

impl Upgrader<'_> {
    pub(super) fn schema(&mut self, pointer: &str, schema: &Value) -> Value {
        let Some(schema) = schema.as_object() else {
            if let Some(text) = schema.as_str() {
                self.refuse_with(
                    pointer,
                    format!("a string (`{text}`) stands where a schema belongs"),
                    "write {\"$ref\": \"...\"} or an inline schema object",
                );
            } else {
                self.refuse(pointer, "a schema must be an object");
            }
            return Value::Null;
        };
        if let Some(reference) = schema.get("$ref") {
            // Siblings of `$ref` are ignored by both 2.0 and 3.0; keeping only the
            // reference makes that explicit.
            return match reference.as_str() {
                Some(reference) => {
                    json!({ "$ref": self.schema_ref(&child(pointer, "$ref"), reference) })
                }
                None => {
                    self.refuse(&child(pointer, "$ref"), "`$ref` must be a string");
                    Value::Null
                }
            };
        }
        let mut out = Map::new();
        let mut required: Vec<Value> = match schema.get("required") {
            None => Vec::new(),
            Some(Value::Array(list)) => list.clone(),
            Some(_) => {
                self.refuse(
                    &child(pointer, "required"),
                    "a schema's `required` must be an array of property names",
                );
                Vec::new()
            }
        };
        for (key, value) in schema {
            self.schema_keyword(&child(pointer, key), key, value, &mut out, &mut required);
        }
        if !required.is_empty() {
            out.insert("required".into(), Value::Array(required));
        }
        Value::Object(out)
    }

    /// One keyword of a schema object, upgraded into `out`.
    fn schema_keyword(
        &mut self,
        here: &str,
        key: &str,
        value: &Value,
        out: &mut Map<String, Value>,
        required: &mut Vec<Value>,
    ) {
        match key {
            "required" => {}
            "type" => self.schema_type(here, value, out),
            "format" if out.get("format").is_some() => {}
            "x-nullable" => {
                out.insert("nullable".into(), value.clone());
            }
            "discriminator" => match value {
                Value::String(property) => {
                    out.insert("discriminator".into(), json!({ "propertyName": property }));
                }
                other => {
                    out.insert("discriminator".into(), other.clone());
                }
            },
            "properties" => {
                let Some(properties) = value.as_object() else {
                    self.refuse(here, "`properties` must be an object");
                    return;
                };
                let upgraded = self.properties(here, properties, required);
                out.insert("properties".into(), upgraded);
            }
            "items" => {
                if value.is_array() {
                    self.refuse(here, "tuple-style `items` arrays are not supported");
                    return;
                }
                let items = self.schema(here, value);
                out.insert("items".into(), items);
            }
            "additionalProperties" => {
                let upgraded = match value {
                    Value::Bool(_) => value.clone(),
                    _ => self.schema(here, value),
                };
                out.insert("additionalProperties".into(), upgraded);
            }
            "allOf" | "anyOf" | "oneOf" => {
                let Some(list) = value.as_array() else {
                    self.refuse(here, format!("`{key}` must be an array of schemas"));
                    return;
                };
                let mut upgraded = Vec::new();
                for (i, item) in list.iter().enumerate() {
                    upgraded.push(self.schema(&child(here, &i.to_string()), item));
                }
                out.insert(key.to_owned(), Value::Array(upgraded));
            }
            "not" => {
                let upgraded = self.schema(here, value);
                out.insert("not".into(), upgraded);
            }
            k if SCHEMA_COPIED.contains(&k) || VALUE_LIMITS.contains(&k) || k.starts_with("x-") => {
                out.insert(key.to_owned(), value.clone());
            }
            _ => self.refuse(here, format!("unsupported schema keyword `{key}`")),
        }
    }

    /// `type`: one string in OpenAPI 3.0; `file` becomes a binary string.
    fn schema_type(&mut self, here: &str, value: &Value, out: &mut Map<String, Value>) {
        match value.as_str() {
            Some("file") => {
                out.insert("type".into(), json!("string"));
                out.insert("format".into(), json!("binary"));
            }
            Some(t @ ("string" | "number" | "integer" | "boolean" | "array" | "object")) => {
                out.insert("type".into(), json!(t));
            }
            Some(other) => self.refuse(here, format!("unknown schema type `{other}`")),
            None => self.refuse_with(
                here,
                "`type` must be one string in OpenAPI 3.0",
                "use `x-nullable: true` for a nullable value",
            ),
        }
    }

    /// Each property upgraded; a property-level `required` flag moves into
    /// the parent's `required` list.
    fn properties(
        &mut self,
        here: &str,
        properties: &Map<String, Value>,
        required: &mut Vec<Value>,
    ) -> Value {
        let mut upgraded = Map::new();
        for (name, property) in properties {
            let property_pointer = child(here, name);
            let mut property = property.clone();
            if let Some((is_required, object)) = property
                .as_object_mut()
                .and_then(|p| p.get("required").and_then(Value::as_bool).map(|f| (f, p)))
            {
                object.remove("required");
                self.tolerate(
                    &child(&property_pointer, "required"),
                    "a property-level `required` flag; moved into the parent's `required` list",
                );
                if is_required && !required.iter().any(|r| r == name) {
                    required.push(json!(name));
                }
            }
            let property = self.schema(&property_pointer, &property);
            upgraded.insert(name.clone(), property);
        }
        Value::Object(upgraded)
    }

    fn schema_ref(&mut self, pointer: &str, reference: &str) -> String {
        if let Some(name) = section_entry(reference, "definitions") {
            format!("#/components/schemas/{name}")
        } else if reference.starts_with('#') {
            // Left as written; the preflight refuses a schema `$ref` that is
            // not one whole schema, in 2.0 and 3.0 documents alike.
            reference.to_owned()
        } else {
            self.refuse_with(
                pointer,
                format!("external reference `{reference}` is not supported"),
                "bring the referenced schema into `definitions`",
            );
            reference.to_owned()
        }
    }
}
