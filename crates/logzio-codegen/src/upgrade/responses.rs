//! Responses: the schema moves under `content`, one entry per produced media
//! type (with its example); headers get a `schema`; `$ref`s follow the move
//! of `responses` into `components`.

use serde_json::{Map, Value, json};

use super::Upgrader;
use crate::json_pointer::{child, section_entry};

impl Upgrader<'_> {
    pub(super) fn response(
        &mut self,
        pointer: &str,
        response: &Value,
        produces: &[String],
    ) -> Value {
        let Some(response) = response.as_object() else {
            self.refuse(pointer, "a response must be an object");
            return Value::Null;
        };
        if let Some(reference) = response.get("$ref") {
            return self.response_ref(pointer, reference);
        }
        let mut out = Map::new();
        match response.get("description") {
            Some(Value::String(description)) => {
                out.insert("description".into(), json!(description));
            }
            _ => {
                self.tolerate(pointer, "a response needs a `description`; using \"\"");
                out.insert("description".into(), json!(""));
            }
        }
        if let Some(schema) = response.get("schema") {
            let content = self.response_content(pointer, response, schema, produces);
            out.insert("content".into(), content);
        }
        if let Some(headers) = response.get("headers") {
            match headers.as_object() {
                Some(headers) if !headers.is_empty() => {
                    let upgraded = self.response_headers(&child(pointer, "headers"), headers);
                    out.insert("headers".into(), upgraded);
                }
                Some(_) => {}
                None => self.refuse(&child(pointer, "headers"), "`headers` must be an object"),
            }
        }
        for (key, value) in response {
            match key.as_str() {
                "description" | "schema" | "headers" | "examples" => {}
                k if k.starts_with("x-") => {
                    out.insert(key.clone(), value.clone());
                }
                _ => self.refuse(
                    &child(pointer, key),
                    format!("unknown response key `{key}`"),
                ),
            }
        }
        Value::Object(out)
    }

    fn response_ref(&mut self, pointer: &str, reference: &Value) -> Value {
        match reference
            .as_str()
            .and_then(|r| section_entry(r, "responses"))
        {
            Some(name) => json!({ "$ref": format!("#/components/responses/{name}") }),
            None => {
                self.refuse(
                    &child(pointer, "$ref"),
                    "a response `$ref` must name one entry of `responses`: `#/responses/NAME`",
                );
                Value::Null
            }
        }
    }

    fn response_content(
        &mut self,
        pointer: &str,
        response: &Map<String, Value>,
        schema: &Value,
        produces: &[String],
    ) -> Value {
        let schema = self.schema(&child(pointer, "schema"), schema);
        let examples = response.get("examples").and_then(Value::as_object);
        let mut content = Map::new();
        for media_type in produces {
            let mut entry = Map::new();
            entry.insert("schema".into(), schema.clone());
            if let Some(example) = examples.and_then(|e| e.get(media_type)) {
                entry.insert("example".into(), example.clone());
            }
            content.insert(media_type.clone(), Value::Object(entry));
        }
        Value::Object(content)
    }

    fn response_headers(&mut self, pointer: &str, headers: &Map<String, Value>) -> Value {
        let mut upgraded = Map::new();
        for (name, header) in headers {
            let here = child(pointer, name);
            let Some(header) = header.as_object() else {
                self.refuse(&here, "a header must be an object");
                continue;
            };
            let mut entry = Map::new();
            if let Some(description) = header.get("description") {
                entry.insert("description".into(), description.clone());
            }
            entry.insert("schema".into(), self.parameter_schema(&here, header));
            upgraded.insert(name.clone(), Value::Object(entry));
        }
        Value::Object(upgraded)
    }
}
