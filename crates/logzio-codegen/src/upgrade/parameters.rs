//! Parameters: a Swagger 2.0 list splits into OpenAPI 3.0 parameters (path,
//! query, header; their type moves into a `schema`) and at most one request
//! body (a `body` parameter, or the `formData` fields together).

use serde_json::{Map, Value, json};

use super::Upgrader;
use super::request_bodies::FormFields;
use super::schemas::VALUE_LIMITS;
use crate::json_pointer::{child, section_entry};

/// Keys of a non-body parameter that describe its value (they move into
/// `schema`), in the order they are copied there.
fn parameter_value_keys() -> impl Iterator<Item = &'static str> {
    let before: &[&str] = &["type", "format", "items", "collectionFormat", "default"];
    let after: &[&str] = &["enum", "multipleOf", "x-nullable"];
    before.iter().chain(VALUE_LIMITS).chain(after).copied()
}

/// What a parameter list is turning into.
#[derive(Default)]
struct Split {
    parameters: Vec<Value>,
    body: Option<Value>,
    form: FormFields,
}

impl Upgrader<'_> {
    /// Splits Swagger 2.0 parameters into OpenAPI 3.0 parameters and a request body.
    /// `consumes` is `None` for path-level parameters (which may not carry a body).
    pub(super) fn parameters(
        &mut self,
        pointer: &str,
        parameters: Option<&Value>,
        consumes: Option<&[String]>,
    ) -> (Vec<Value>, Option<Value>) {
        let Some(parameters) = parameters else {
            return (Vec::new(), None);
        };
        let Some(list) = parameters.as_array() else {
            self.refuse(pointer, "`parameters` must be an array");
            return (Vec::new(), None);
        };
        let mut split = Split::default();
        for (i, parameter) in list.iter().enumerate() {
            let here = child(pointer, &i.to_string());
            let Some(parameter) = parameter.as_object() else {
                self.refuse(&here, "a parameter must be an object");
                continue;
            };
            match parameter.get("$ref") {
                Some(reference) => self.parameter_ref(&here, reference, consumes, &mut split),
                None => self.inline_parameter(&here, parameter, consumes, &mut split),
            }
        }
        if !split.form.is_empty() {
            if split.body.is_some() {
                self.refuse(
                    pointer,
                    "an operation cannot have both a body and formData parameters",
                );
            } else {
                split.body = Some(split.form.into_body(consumes));
            }
        }
        (split.parameters, split.body)
    }

    /// A `$ref` into the top-level `parameters`: a parameter, or the request
    /// body when the target is a body or formData parameter.
    fn parameter_ref(
        &mut self,
        here: &str,
        reference: &Value,
        consumes: Option<&[String]>,
        split: &mut Split,
    ) {
        match reference
            .as_str()
            .and_then(|r| section_entry(r, "parameters"))
        {
            Some(name) if self.body_parameters.contains(name) => {
                if self.body_allowed(here, consumes, &split.body).is_some() {
                    split.body =
                        Some(json!({ "$ref": format!("#/components/requestBodies/{name}") }));
                }
            }
            Some(name) => {
                split
                    .parameters
                    .push(json!({ "$ref": format!("#/components/parameters/{name}") }));
            }
            None => self.refuse_with(
                &child(here, "$ref"),
                "a parameter `$ref` must name one entry of `parameters`: `#/parameters/NAME`",
                "move the parameter into the top-level `parameters` section",
            ),
        }
    }

    fn inline_parameter(
        &mut self,
        here: &str,
        parameter: &Map<String, Value>,
        consumes: Option<&[String]>,
        split: &mut Split,
    ) {
        let location = parameter.get("in").and_then(Value::as_str).unwrap_or("");
        match location {
            "body" => {
                if let Some(consumes) = self.body_allowed(here, consumes, &split.body) {
                    split.body = Some(self.body_parameter(here, parameter, consumes));
                }
            }
            "formData" => {
                let Some(name) = parameter.get("name").and_then(Value::as_str) else {
                    self.refuse(here, "a parameter needs a `name`");
                    return;
                };
                let is_file = parameter.get("type").and_then(Value::as_str) == Some("file");
                let schema = self.parameter_schema(here, parameter);
                let required = parameter.get("required").and_then(Value::as_bool) == Some(true);
                split.form.push(name, schema, required, is_file);
            }
            "path" | "query" | "header" => {
                let upgraded = self.plain_parameter(here, parameter, location);
                split.parameters.push(upgraded);
            }
            other => self.refuse(
                &child(here, "in"),
                format!("unknown parameter location `{other}`"),
            ),
        }
    }

    /// The media types a body parameter at `here` may use, or `None` (refused)
    /// on a path item or beside another body.
    fn body_allowed<'c>(
        &mut self,
        here: &str,
        consumes: Option<&'c [String]>,
        body: &Option<Value>,
    ) -> Option<&'c [String]> {
        let Some(consumes) = consumes else {
            self.refuse(here, "a body parameter is not allowed on a path item");
            return None;
        };
        if body.is_some() {
            self.refuse(here, "an operation may have only one body parameter");
            return None;
        }
        Some(consumes)
    }

    fn plain_parameter(
        &mut self,
        pointer: &str,
        parameter: &Map<String, Value>,
        location: &str,
    ) -> Value {
        let mut out = Map::new();
        for (key, value) in parameter {
            match key.as_str() {
                "name" | "in" | "description" | "required" | "deprecated" | "allowEmptyValue" => {
                    out.insert(key.clone(), value.clone());
                }
                "example" => {
                    self.tolerate(
                        &child(pointer, key),
                        "`example` on a non-body parameter is OpenAPI 3.0; carried over",
                    );
                    out.insert(key.clone(), value.clone());
                }
                "schema" if !parameter.contains_key("type") => {}
                k if parameter_value_keys().any(|known| known == k) => {}
                k if k.starts_with("x-") => {
                    out.insert(key.clone(), value.clone());
                }
                _ => self.refuse(
                    &child(pointer, key),
                    format!("unknown parameter key `{key}`"),
                ),
            }
        }
        if !parameter.get("name").is_some_and(Value::is_string) {
            self.refuse(pointer, "a parameter needs a `name` string");
        }
        if location == "path" && parameter.get("required").and_then(Value::as_bool) != Some(true) {
            self.tolerate(
                pointer,
                "a path parameter must be required; marked required",
            );
            out.insert("required".into(), json!(true));
        }
        if let Some(format) = parameter.get("collectionFormat").and_then(Value::as_str) {
            let (style, explode) = self.collection_style(pointer, format, location);
            out.insert("style".into(), json!(style));
            out.insert("explode".into(), json!(explode));
        }
        let schema = match parameter.get("schema") {
            Some(schema) if !parameter.contains_key("type") => {
                self.tolerate(
                    &child(pointer, "schema"),
                    "a non-body parameter with `schema` instead of `type` (OpenAPI 3.0 style); used as the schema",
                );
                self.schema(&child(pointer, "schema"), schema)
            }
            _ => self.parameter_schema(pointer, parameter),
        };
        out.insert("schema".into(), schema);
        Value::Object(out)
    }

    /// `collectionFormat` as OpenAPI 3.0 `style` and `explode`.
    fn collection_style(
        &mut self,
        pointer: &str,
        format: &str,
        location: &str,
    ) -> (&'static str, bool) {
        match (format, location) {
            ("csv", "query") => ("form", false),
            ("csv", _) => ("simple", false),
            ("multi", "query") => ("form", true),
            ("ssv", "query") => ("spaceDelimited", false),
            ("pipes", "query") => ("pipeDelimited", false),
            (other, _) => {
                self.refuse(
                    &child(pointer, "collectionFormat"),
                    format!("collectionFormat `{other}` has no OpenAPI 3.0 equivalent for a {location} parameter"),
                );
                ("form", false)
            }
        }
    }

    /// The schema of a non-body parameter (or of a parameter's `items`, or of
    /// a response header).
    pub(super) fn parameter_schema(
        &mut self,
        pointer: &str,
        parameter: &Map<String, Value>,
    ) -> Value {
        let mut schema = Map::new();
        match parameter.get("type").and_then(Value::as_str) {
            Some("file") => {
                schema.insert("type".into(), json!("string"));
                schema.insert("format".into(), json!("binary"));
            }
            Some(t @ ("string" | "number" | "integer" | "boolean" | "array")) => {
                schema.insert("type".into(), json!(t));
            }
            Some(other) => {
                self.refuse(
                    &child(pointer, "type"),
                    format!("unknown parameter type `{other}`"),
                );
            }
            None => {
                self.refuse(pointer, "a non-body parameter needs a `type`");
            }
        }
        for key in parameter_value_keys() {
            let Some(value) = parameter.get(key) else {
                continue;
            };
            match key {
                "type" | "collectionFormat" => {}
                "format" if schema.contains_key("format") => {}
                "x-nullable" => {
                    schema.insert("nullable".into(), value.clone());
                }
                "items" => match value.as_object() {
                    Some(items) => {
                        let items = self.parameter_schema(&child(pointer, "items"), items);
                        schema.insert("items".into(), items);
                    }
                    None => self.refuse(&child(pointer, "items"), "`items` must be an object"),
                },
                _ => {
                    schema.insert(key.to_owned(), value.clone());
                }
            }
        }
        Value::Object(schema)
    }
}
