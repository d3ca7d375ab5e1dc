//! Request bodies: a `body` parameter becomes `requestBody` with one entry per
//! consumed media type; `formData` fields together become one object body.

use serde_json::{Map, Value, json};

use super::Upgrader;
use crate::json_pointer::child;

/// The `formData` fields of one operation, in declaration order.
#[derive(Default)]
pub(super) struct FormFields {
    fields: Vec<(String, Value, bool)>,
    has_file: bool,
}

impl FormFields {
    pub(super) fn push(&mut self, name: &str, schema: Value, required: bool, is_file: bool) {
        self.has_file |= is_file;
        self.fields.push((name.to_owned(), schema, required));
    }

    pub(super) fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// One object schema with a property per field: multipart when a file is
    /// sent or the operation consumes multipart, URL-encoded otherwise.
    pub(super) fn into_body(self, consumes: Option<&[String]>) -> Value {
        let content_type = if self.has_file
            || consumes.is_some_and(|c| c.iter().any(|t| t == "multipart/form-data"))
        {
            "multipart/form-data"
        } else {
            "application/x-www-form-urlencoded"
        };
        let mut properties = Map::new();
        let mut required = Vec::new();
        for (name, schema, is_required) in self.fields {
            if is_required {
                required.push(json!(name));
            }
            properties.insert(name, schema);
        }
        let mut schema = json!({ "type": "object", "properties": properties });
        if !required.is_empty() {
            schema["required"] = Value::Array(required);
        }
        json!({ "content": { content_type: { "schema": schema } } })
    }
}

impl Upgrader<'_> {
    pub(super) fn body_parameter(
        &mut self,
        pointer: &str,
        parameter: &Map<String, Value>,
        consumes: &[String],
    ) -> Value {
        let schema = match parameter.get("schema") {
            Some(schema) => self.schema(&child(pointer, "schema"), schema),
            None => {
                self.refuse(pointer, "a body parameter needs a `schema`");
                Value::Null
            }
        };
        let mut content = Map::new();
        for media_type in consumes {
            content.insert(media_type.clone(), json!({ "schema": schema }));
        }
        let mut out = Map::new();
        if let Some(description) = parameter.get("description") {
            out.insert("description".into(), description.clone());
        }
        out.insert("content".into(), Value::Object(content));
        if parameter.get("required").and_then(Value::as_bool) == Some(true) {
            out.insert("required".into(), json!(true));
        }
        for (key, value) in parameter {
            if key.starts_with("x-") {
                out.insert(key.clone(), value.clone());
            }
        }
        Value::Object(out)
    }
}
