//! `paths`: path items and the operations in them.

use serde_json::{Map, Value, json};

use super::Upgrader;
use crate::HTTP_METHODS;
use crate::json_pointer::child;

impl Upgrader<'_> {
    pub(super) fn paths(&mut self, paths: Option<&Value>) -> Value {
        let Some(paths) = paths else {
            self.refuse("/paths", "`paths` is required");
            return json!({});
        };
        let Some(paths) = paths.as_object() else {
            self.refuse("/paths", "`paths` must be an object");
            return json!({});
        };
        let mut out = Map::new();
        for (path, item) in paths {
            let pointer = child("/paths", path);
            if path.starts_with("x-") {
                out.insert(path.clone(), item.clone());
                continue;
            }
            match item {
                Value::Null => {
                    self.tolerate(&pointer, "a null path item declares no operation; dropped");
                }
                Value::Object(item) => {
                    let upgraded = self.path_item(&pointer, item);
                    out.insert(path.clone(), upgraded);
                }
                _ => self.refuse(&pointer, "a path item must be an object"),
            }
        }
        Value::Object(out)
    }

    fn path_item(&mut self, pointer: &str, item: &Map<String, Value>) -> Value {
        let mut out = Map::new();
        if let Some(parameters) = item.get("parameters") {
            let (parameters, body) =
                self.parameters(&child(pointer, "parameters"), Some(parameters), None);
            if body.is_some() {
                self.refuse_with(
                    &child(pointer, "parameters"),
                    "a body or formData parameter shared by a whole path item is not supported",
                    "declare the body on each operation",
                );
            }
            if !parameters.is_empty() {
                out.insert("parameters".into(), Value::Array(parameters));
            }
        }
        for (key, value) in item {
            let here = child(pointer, key);
            match key.as_str() {
                "parameters" => {}
                "$ref" => self.refuse_with(
                    &here,
                    "a `$ref` path item is not supported",
                    "inline the path item",
                ),
                method if HTTP_METHODS.contains(&method) => match value.as_object() {
                    Some(operation) => {
                        let upgraded = self.operation(&here, operation);
                        out.insert(key.clone(), upgraded);
                    }
                    None => self.refuse(&here, "an operation must be an object"),
                },
                k if k.starts_with("x-") => {
                    out.insert(key.clone(), value.clone());
                }
                _ => self.refuse(&here, format!("unknown path item key `{key}`")),
            }
        }
        Value::Object(out)
    }

    fn operation(&mut self, pointer: &str, operation: &Map<String, Value>) -> Value {
        let consumes = self
            .media_types(operation.get("consumes"), &child(pointer, "consumes"))
            .unwrap_or_else(|| self.consumes.clone());
        let produces = self
            .media_types(operation.get("produces"), &child(pointer, "produces"))
            .unwrap_or_else(|| self.produces.clone());
        let mut out = Map::new();
        for (key, value) in operation {
            let here = child(pointer, key);
            match key.as_str() {
                "tags" | "summary" | "description" | "externalDocs" | "operationId"
                | "deprecated" | "security" => {
                    out.insert(key.clone(), value.clone());
                }
                "consumes" | "produces" | "parameters" | "responses" => {}
                "schemes" => self.tolerate(
                    &here,
                    "per-operation `schemes` has no OpenAPI 3.0 equivalent; ignored",
                ),
                k if k.starts_with("x-") => {
                    out.insert(key.clone(), value.clone());
                }
                _ => self.refuse(&here, format!("unknown operation key `{key}`")),
            }
        }
        let (parameters, body) = self.parameters(
            &child(pointer, "parameters"),
            operation.get("parameters"),
            Some(&consumes),
        );
        if !parameters.is_empty() {
            out.insert("parameters".into(), Value::Array(parameters));
        }
        if let Some(body) = body {
            out.insert("requestBody".into(), body);
        }
        let responses_pointer = child(pointer, "responses");
        match operation.get("responses") {
            Some(Value::Object(responses)) => {
                let upgraded = self.operation_responses(&responses_pointer, responses, &produces);
                out.insert("responses".into(), upgraded);
            }
            _ => self.refuse(
                &responses_pointer,
                "`responses` is required and must be an object",
            ),
        }
        Value::Object(out)
    }

    /// An operation's responses, keyed by status code, `default` or an extension.
    fn operation_responses(
        &mut self,
        pointer: &str,
        responses: &Map<String, Value>,
        produces: &[String],
    ) -> Value {
        let mut upgraded = Map::new();
        for (code, response) in responses {
            let here = child(pointer, code);
            if code.starts_with("x-") {
                upgraded.insert(code.clone(), response.clone());
                continue;
            }
            if code != "default" && !is_status_code(code) {
                self.refuse(
                    &here,
                    format!("`{code}` is not an HTTP status code or `default`"),
                );
                continue;
            }
            let response = self.response(&here, response, produces);
            upgraded.insert(code.clone(), response);
        }
        Value::Object(upgraded)
    }
}

/// `200`, or a range such as `4XX`.
fn is_status_code(code: &str) -> bool {
    code.len() == 3
        && (code.bytes().all(|b| b.is_ascii_digit())
            || (matches!(code.as_bytes()[0], b'1'..=b'5') && &code[1..] == "XX"))
}
