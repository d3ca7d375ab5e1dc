//! Swagger 2.0 → OpenAPI 3.0.3, on plain JSON values.
//!
//! General enough for everything Logz.io's full public spec uses, not just the
//! Shared Tokens part. It never guesses: a construct it cannot translate
//! faithfully is refused with a JSON pointer. The few upstream defects it
//! tolerates are listed in `TOLERATED` (and in docs/spec-decisions.md) and
//! come back as warnings, so nothing is fixed silently.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use crate::error::{SpecProblem, child};

/// The OpenAPI version every upgraded document declares.
pub const OPENAPI_VERSION: &str = "3.0.3";

/// Defects in published Swagger 2.0 files that the upgrade repairs (with a
/// warning) because their intent is unambiguous. Everything else is refused.
pub const TOLERATED: &[&str] = &[
    "a missing `info.version` (set to \"0.0.0\")",
    "a `null` path item (dropped: it declares no operation)",
    "a property-level `required: true` (moved into the parent's `required` list)",
    "a path parameter without `required: true` (path parameters are always required)",
    "a response without `description` (set to \"\")",
    "an `example` on a non-body parameter (an OpenAPI 3.0 keyword; carried over as is)",
    "a `schema` instead of `type` on a non-body parameter (OpenAPI 3.0 style; used as the schema)",
];

/// The result of upgrading one document.
#[derive(Debug, Clone)]
pub struct Upgraded {
    /// The OpenAPI 3.0.x document.
    pub document: Value,
    /// Tolerated defects, each located; empty for a clean input.
    pub warnings: Vec<SpecProblem>,
}

/// Upgrades a Swagger 2.0 document to OpenAPI 3.0.3; passes OpenAPI 3.0.x through.
pub fn upgrade(file: &str, document: &Value) -> Result<Upgraded, Vec<SpecProblem>> {
    let Some(root) = document.as_object() else {
        return Err(vec![SpecProblem::new(
            file,
            "",
            "the document is not a JSON/YAML object",
        )]);
    };
    if let Some(version) = root.get("openapi") {
        return match version.as_str() {
            Some(v) if v.starts_with("3.0.") => {
                let dangling = dangling_refs(file, document);
                if dangling.is_empty() {
                    Ok(Upgraded {
                        document: document.clone(),
                        warnings: Vec::new(),
                    })
                } else {
                    Err(dangling)
                }
            }
            Some(v) if v.starts_with("3.1") => Err(vec![
                SpecProblem::new(file, "/openapi", format!("OpenAPI {v} is not supported"))
                    .hint("progenitor reads OpenAPI 3.0.x; provide a Swagger 2.0 or OpenAPI 3.0.x document"),
            ]),
            _ => Err(vec![SpecProblem::new(
                file,
                "/openapi",
                format!("unsupported OpenAPI version {version}"),
            )]),
        };
    }
    if root.contains_key("swaggerVersion") {
        return Err(vec![
            SpecProblem::new(file, "/swaggerVersion", "Swagger 1.x is not supported")
                .hint("convert it to Swagger 2.0 first"),
        ]);
    }
    match root.get("swagger").and_then(Value::as_str) {
        Some("2.0") => {}
        Some(other) => {
            return Err(vec![SpecProblem::new(
                file,
                "/swagger",
                format!("Swagger {other} is not supported; only \"2.0\" is"),
            )]);
        }
        None => {
            return Err(vec![
                SpecProblem::new(
                    file,
                    "",
                    "neither `swagger: \"2.0\"` nor `openapi: 3.0.x` is declared",
                )
                .hint("start the document with \"swagger\": \"2.0\""),
            ]);
        }
    }

    // References are checked in the input, so every pointer names a place in
    // the file the user edits, not in the upgraded document.
    let dangling = dangling_refs(file, document);
    if !dangling.is_empty() {
        return Err(dangling);
    }
    let mut upgrader = Upgrader::new(file, root);
    let document = upgrader.document();
    if upgrader.problems.is_empty() {
        Ok(Upgraded {
            document,
            warnings: upgrader.warnings,
        })
    } else {
        Err(upgrader.problems)
    }
}

use crate::HTTP_METHODS;

const SCHEMA_COPIED: &[&str] = &[
    "format",
    "title",
    "description",
    "default",
    "multipleOf",
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

/// Keys of a non-body parameter that describe its value (they move into `schema`).
const PARAMETER_VALUE_KEYS: &[&str] = &[
    "type",
    "format",
    "items",
    "collectionFormat",
    "default",
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
    "enum",
    "multipleOf",
    "x-nullable",
];

struct Upgrader<'a> {
    file: &'a str,
    root: &'a Map<String, Value>,
    consumes: Vec<String>,
    produces: Vec<String>,
    body_parameters: BTreeSet<String>,
    problems: Vec<SpecProblem>,
    warnings: Vec<SpecProblem>,
}

impl<'a> Upgrader<'a> {
    fn new(file: &'a str, root: &'a Map<String, Value>) -> Self {
        let mut upgrader = Self {
            file,
            root,
            consumes: Vec::new(),
            produces: Vec::new(),
            body_parameters: BTreeSet::new(),
            problems: Vec::new(),
            warnings: Vec::new(),
        };
        upgrader.consumes = upgrader
            .media_types(root.get("consumes"), "/consumes")
            .unwrap_or_else(|| vec!["application/json".to_owned()]);
        upgrader.produces = upgrader
            .media_types(root.get("produces"), "/produces")
            .unwrap_or_else(|| vec!["application/json".to_owned()]);
        if let Some(Value::Object(parameters)) = root.get("parameters") {
            for (name, parameter) in parameters {
                let location = parameter.get("in").and_then(Value::as_str);
                if matches!(location, Some("body") | Some("formData")) {
                    upgrader.body_parameters.insert(name.clone());
                }
            }
        }
        upgrader
    }

    fn refuse(&mut self, pointer: &str, problem: impl Into<String>) {
        self.problems
            .push(SpecProblem::new(self.file, pointer, problem));
    }

    fn refuse_with(&mut self, pointer: &str, problem: impl Into<String>, hint: &str) {
        self.problems
            .push(SpecProblem::new(self.file, pointer, problem).hint(hint));
    }

    fn tolerate(&mut self, pointer: &str, problem: impl Into<String>) {
        self.warnings
            .push(SpecProblem::new(self.file, pointer, problem));
    }

    fn media_types(&mut self, value: Option<&Value>, pointer: &str) -> Option<Vec<String>> {
        let value = value?;
        let Some(list) = value.as_array() else {
            self.refuse(pointer, "must be an array of media types");
            return None;
        };
        let mut types = Vec::new();
        for (i, item) in list.iter().enumerate() {
            match item.as_str() {
                Some(s) => types.push(s.to_owned()),
                None => self.refuse(
                    &child(pointer, &i.to_string()),
                    "a media type must be a string",
                ),
            }
        }
        Some(types)
    }

    fn document(&mut self) -> Value {
        let root = self.root;
        let mut out = Map::new();
        out.insert("openapi".into(), json!(OPENAPI_VERSION));
        out.insert("info".into(), self.info(root.get("info")));
        let servers = self.servers();
        if !servers.is_empty() {
            out.insert("servers".into(), Value::Array(servers));
        }
        for key in ["tags", "externalDocs", "security"] {
            if let Some(value) = root.get(key) {
                out.insert(key.into(), value.clone());
            }
        }
        out.insert("paths".into(), self.paths(root.get("paths")));
        let components = self.components();
        if !components.is_empty() {
            out.insert("components".into(), Value::Object(components));
        }
        for (key, value) in root {
            match key.as_str() {
                "swagger"
                | "info"
                | "host"
                | "basePath"
                | "schemes"
                | "consumes"
                | "produces"
                | "paths"
                | "definitions"
                | "parameters"
                | "responses"
                | "securityDefinitions"
                | "security"
                | "tags"
                | "externalDocs"
                | "x-servers" => {}
                k if k.starts_with("x-") => {
                    out.insert(key.clone(), value.clone());
                }
                _ => self.refuse(&child("", key), format!("unknown top-level key `{key}`")),
            }
        }
        Value::Object(out)
    }

    fn info(&mut self, info: Option<&Value>) -> Value {
        let Some(Value::Object(info)) = info else {
            self.refuse("/info", "`info` is missing or not an object");
            return json!({"title": "", "version": "0.0.0"});
        };
        let mut info = info.clone();
        if !info.contains_key("title") {
            self.refuse("/info/title", "`info.title` is required");
        }
        if !info.get("version").is_some_and(Value::is_string) {
            self.tolerate(
                "/info/version",
                "`info.version` is missing; using \"0.0.0\"",
            );
            info.insert("version".into(), json!("0.0.0"));
        }
        Value::Object(info)
    }

    fn servers(&mut self) -> Vec<Value> {
        let root = self.root;
        let base_path = match root.get("basePath").and_then(Value::as_str) {
            Some("/") | None => "",
            Some(path) => path.trim_end_matches('/'),
        };
        if let Some(listed) = root.get("x-servers") {
            let Some(listed) = listed.as_array() else {
                self.refuse("/x-servers", "must be an array of server objects");
                return Vec::new();
            };
            let mut servers = Vec::new();
            for (i, server) in listed.iter().enumerate() {
                let pointer = format!("/x-servers/{i}");
                let Some(url) = server.get("url").and_then(Value::as_str) else {
                    self.refuse(&pointer, "a server needs a `url` string");
                    continue;
                };
                let mut out = Map::new();
                out.insert(
                    "url".into(),
                    json!(format!("{}{base_path}", url.trim_end_matches('/'))),
                );
                if let Some(Value::Object(fields)) = Some(server) {
                    for (key, value) in fields {
                        if key == "description" || key.starts_with("x-") {
                            out.insert(key.clone(), value.clone());
                        }
                    }
                }
                servers.push(Value::Object(out));
            }
            return servers;
        }
        let Some(host) = root.get("host").and_then(Value::as_str) else {
            return if base_path.is_empty() {
                Vec::new()
            } else {
                vec![json!({ "url": base_path })]
            };
        };
        let schemes: Vec<&str> = match root.get("schemes").and_then(Value::as_array) {
            Some(list) => list.iter().filter_map(Value::as_str).collect(),
            None => vec!["https"],
        };
        schemes
            .iter()
            .map(|scheme| json!({ "url": format!("{scheme}://{host}{base_path}") }))
            .collect()
    }

    fn paths(&mut self, paths: Option<&Value>) -> Value {
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
        match operation.get("responses") {
            Some(Value::Object(responses)) => {
                let mut upgraded = Map::new();
                for (code, response) in responses {
                    let here = child(&child(pointer, "responses"), code);
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
                    let response = self.response(&here, response, &produces);
                    upgraded.insert(code.clone(), response);
                }
                out.insert("responses".into(), Value::Object(upgraded));
            }
            _ => self.refuse(
                &child(pointer, "responses"),
                "`responses` is required and must be an object",
            ),
        }
        Value::Object(out)
    }

    /// Splits Swagger 2.0 parameters into OpenAPI 3.0 parameters and a request body.
    /// `consumes` is `None` for path-level parameters (which may not carry a body).
    fn parameters(
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
        let mut out = Vec::new();
        let mut body: Option<Value> = None;
        let mut form_fields: Vec<(String, Value, bool)> = Vec::new();
        let mut form_has_file = false;
        for (i, parameter) in list.iter().enumerate() {
            let here = child(pointer, &i.to_string());
            let Some(parameter) = parameter.as_object() else {
                self.refuse(&here, "a parameter must be an object");
                continue;
            };
            if let Some(reference) = parameter.get("$ref") {
                match reference
                    .as_str()
                    .and_then(|r| r.strip_prefix("#/parameters/"))
                {
                    Some(name) if self.body_parameters.contains(name) => {
                        if consumes.is_none() {
                            self.refuse(&here, "a body parameter is not allowed on a path item");
                        } else if body.is_some() {
                            self.refuse(&here, "an operation may have only one body parameter");
                        } else {
                            body = Some(
                                json!({ "$ref": format!("#/components/requestBodies/{name}") }),
                            );
                        }
                    }
                    Some(name) => {
                        out.push(json!({ "$ref": format!("#/components/parameters/{name}") }));
                    }
                    None => self.refuse_with(
                        &child(&here, "$ref"),
                        "a parameter `$ref` must point into `#/parameters/`",
                        "move the parameter into the top-level `parameters` section",
                    ),
                }
                continue;
            }
            let location = parameter.get("in").and_then(Value::as_str).unwrap_or("");
            match location {
                "body" => {
                    let Some(consumes) = consumes else {
                        self.refuse(&here, "a body parameter is not allowed on a path item");
                        continue;
                    };
                    if body.is_some() {
                        self.refuse(&here, "an operation may have only one body parameter");
                        continue;
                    }
                    body = Some(self.body_parameter(&here, parameter, consumes));
                }
                "formData" => {
                    let Some(name) = parameter.get("name").and_then(Value::as_str) else {
                        self.refuse(&here, "a parameter needs a `name`");
                        continue;
                    };
                    if parameter.get("type").and_then(Value::as_str) == Some("file") {
                        form_has_file = true;
                    }
                    let schema = self.parameter_schema(&here, parameter);
                    let required = parameter.get("required").and_then(Value::as_bool) == Some(true);
                    form_fields.push((name.to_owned(), schema, required));
                }
                "path" | "query" | "header" => {
                    out.push(self.plain_parameter(&here, parameter, location));
                }
                other => self.refuse(
                    &child(&here, "in"),
                    format!("unknown parameter location `{other}`"),
                ),
            }
        }
        if !form_fields.is_empty() {
            if body.is_some() {
                self.refuse(
                    pointer,
                    "an operation cannot have both a body and formData parameters",
                );
            } else {
                let content_type = if form_has_file
                    || consumes.is_some_and(|c| c.iter().any(|t| t == "multipart/form-data"))
                {
                    "multipart/form-data"
                } else {
                    "application/x-www-form-urlencoded"
                };
                let mut properties = Map::new();
                let mut required = Vec::new();
                for (name, schema, is_required) in form_fields {
                    if is_required {
                        required.push(json!(name));
                    }
                    properties.insert(name, schema);
                }
                let mut schema = json!({ "type": "object", "properties": properties });
                if !required.is_empty() {
                    schema["required"] = Value::Array(required);
                }
                body = Some(json!({ "content": { content_type: { "schema": schema } } }));
            }
        }
        (out, body)
    }

    fn body_parameter(
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
                k if PARAMETER_VALUE_KEYS.contains(&k) => {}
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
            let (style, explode) = match (format, location) {
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
            };
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

    /// The schema of a non-body parameter (or of a parameter's `items`).
    fn parameter_schema(&mut self, pointer: &str, parameter: &Map<String, Value>) -> Value {
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
        for key in PARAMETER_VALUE_KEYS {
            let Some(value) = parameter.get(*key) else {
                continue;
            };
            match *key {
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
                    schema.insert((*key).to_owned(), value.clone());
                }
            }
        }
        Value::Object(schema)
    }

    fn response(&mut self, pointer: &str, response: &Value, produces: &[String]) -> Value {
        let Some(response) = response.as_object() else {
            self.refuse(pointer, "a response must be an object");
            return Value::Null;
        };
        if let Some(reference) = response.get("$ref") {
            return match reference
                .as_str()
                .and_then(|r| r.strip_prefix("#/responses/"))
            {
                Some(name) => json!({ "$ref": format!("#/components/responses/{name}") }),
                None => {
                    self.refuse(
                        &child(pointer, "$ref"),
                        "a response `$ref` must point into `#/responses/`",
                    );
                    Value::Null
                }
            };
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
            out.insert("content".into(), Value::Object(content));
        }
        if let Some(headers) = response.get("headers") {
            match headers.as_object() {
                Some(headers) if !headers.is_empty() => {
                    let mut upgraded = Map::new();
                    for (name, header) in headers {
                        let here = child(&child(pointer, "headers"), name);
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
                    out.insert("headers".into(), Value::Object(upgraded));
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

    fn schema(&mut self, pointer: &str, schema: &Value) -> Value {
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
            let here = child(pointer, key);
            match key.as_str() {
                "required" => {}
                "type" => match value.as_str() {
                    Some("file") => {
                        out.insert("type".into(), json!("string"));
                        out.insert("format".into(), json!("binary"));
                    }
                    Some(
                        t @ ("string" | "number" | "integer" | "boolean" | "array" | "object"),
                    ) => {
                        out.insert("type".into(), json!(t));
                    }
                    Some(other) => self.refuse(&here, format!("unknown schema type `{other}`")),
                    None => self.refuse_with(
                        &here,
                        "`type` must be one string in OpenAPI 3.0",
                        "use `x-nullable: true` for a nullable value",
                    ),
                },
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
                        self.refuse(&here, "`properties` must be an object");
                        continue;
                    };
                    let mut upgraded = Map::new();
                    for (name, property) in properties {
                        let property_pointer = child(&here, name);
                        let mut property = property.clone();
                        if let Some(flag) = property.as_object_mut().and_then(|p| {
                            p.get("required").and_then(Value::as_bool).map(|f| (f, p))
                        }) {
                            let (is_required, object) = flag;
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
                    out.insert("properties".into(), Value::Object(upgraded));
                }
                "items" => {
                    if value.is_array() {
                        self.refuse(&here, "tuple-style `items` arrays are not supported");
                        continue;
                    }
                    let items = self.schema(&here, value);
                    out.insert("items".into(), items);
                }
                "additionalProperties" => {
                    let upgraded = match value {
                        Value::Bool(_) => value.clone(),
                        _ => self.schema(&here, value),
                    };
                    out.insert("additionalProperties".into(), upgraded);
                }
                "allOf" | "anyOf" | "oneOf" => {
                    let Some(list) = value.as_array() else {
                        self.refuse(&here, format!("`{key}` must be an array of schemas"));
                        continue;
                    };
                    let mut upgraded = Vec::new();
                    for (i, item) in list.iter().enumerate() {
                        upgraded.push(self.schema(&child(&here, &i.to_string()), item));
                    }
                    out.insert(key.clone(), Value::Array(upgraded));
                }
                "not" => {
                    let upgraded = self.schema(&here, value);
                    out.insert("not".into(), upgraded);
                }
                k if SCHEMA_COPIED.contains(&k) || k.starts_with("x-") => {
                    out.insert(key.clone(), value.clone());
                }
                _ => self.refuse(&here, format!("unsupported schema keyword `{key}`")),
            }
        }
        if !required.is_empty() {
            out.insert("required".into(), Value::Array(required));
        }
        Value::Object(out)
    }

    fn schema_ref(&mut self, pointer: &str, reference: &str) -> String {
        if let Some(name) = reference.strip_prefix("#/definitions/") {
            format!("#/components/schemas/{name}")
        } else if reference.starts_with('#') {
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

    fn components(&mut self) -> Map<String, Value> {
        let root = self.root;
        let mut components = Map::new();
        if let Some(definitions) = root.get("definitions") {
            match definitions.as_object() {
                Some(definitions) => {
                    let mut schemas = Map::new();
                    for (name, schema) in definitions {
                        let upgraded = self.schema(&child("/definitions", name), schema);
                        schemas.insert(name.clone(), upgraded);
                    }
                    components.insert("schemas".into(), Value::Object(schemas));
                }
                None => self.refuse("/definitions", "`definitions` must be an object"),
            }
        }
        if let Some(Value::Object(parameters)) = root.get("parameters") {
            let mut plain = Map::new();
            let mut bodies = Map::new();
            for (name, parameter) in parameters {
                let here = child("/parameters", name);
                let wrapped = Value::Array(vec![parameter.clone()]);
                let consumes = self.consumes.clone();
                let (mut list, body) = self.parameters(&here, Some(&wrapped), Some(&consumes));
                if let Some(body) = body {
                    bodies.insert(name.clone(), body);
                } else if let Some(parameter) = list.pop() {
                    plain.insert(name.clone(), parameter);
                }
            }
            if !plain.is_empty() {
                components.insert("parameters".into(), Value::Object(plain));
            }
            if !bodies.is_empty() {
                components.insert("requestBodies".into(), Value::Object(bodies));
            }
        }
        if let Some(Value::Object(responses)) = root.get("responses") {
            let produces = self.produces.clone();
            let mut upgraded = Map::new();
            for (name, response) in responses {
                let response = self.response(&child("/responses", name), response, &produces);
                upgraded.insert(name.clone(), response);
            }
            components.insert("responses".into(), Value::Object(upgraded));
        }
        if let Some(definitions) = root.get("securityDefinitions") {
            match definitions.as_object() {
                Some(definitions) => {
                    let mut schemes = Map::new();
                    for (name, definition) in definitions {
                        let here = child("/securityDefinitions", name);
                        if let Some(scheme) = self.security_scheme(&here, definition) {
                            schemes.insert(name.clone(), scheme);
                        }
                    }
                    components.insert("securitySchemes".into(), Value::Object(schemes));
                }
                None => self.refuse("/securityDefinitions", "must be an object"),
            }
        }
        components
    }

    fn security_scheme(&mut self, pointer: &str, definition: &Value) -> Option<Value> {
        let Some(definition) = definition.as_object() else {
            self.refuse(pointer, "a security definition must be an object");
            return None;
        };
        let mut out = Map::new();
        match definition.get("type").and_then(Value::as_str) {
            Some("basic") => {
                out.insert("type".into(), json!("http"));
                out.insert("scheme".into(), json!("basic"));
            }
            Some("apiKey") => {
                out.insert("type".into(), json!("apiKey"));
                for key in ["name", "in"] {
                    match definition.get(key) {
                        Some(value) => {
                            out.insert(key.into(), value.clone());
                        }
                        None => self.refuse(pointer, format!("an apiKey scheme needs `{key}`")),
                    }
                }
            }
            Some("oauth2") => {
                let scopes = definition
                    .get("scopes")
                    .cloned()
                    .unwrap_or_else(|| json!({}));
                let flow = definition.get("flow").and_then(Value::as_str).unwrap_or("");
                let (name, keys): (&str, &[&str]) = match flow {
                    "implicit" => ("implicit", &["authorizationUrl"]),
                    "password" => ("password", &["tokenUrl"]),
                    "application" => ("clientCredentials", &["tokenUrl"]),
                    "accessCode" => ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
                    other => {
                        self.refuse(
                            &child(pointer, "flow"),
                            format!("unknown oauth2 flow `{other}`"),
                        );
                        return None;
                    }
                };
                let mut flow = Map::new();
                for key in keys {
                    if let Some(value) = definition.get(*key) {
                        flow.insert((*key).into(), value.clone());
                    }
                }
                flow.insert("scopes".into(), scopes);
                out.insert("type".into(), json!("oauth2"));
                out.insert("flows".into(), json!({ name: flow }));
            }
            _ => {
                self.refuse(
                    &child(pointer, "type"),
                    "must be `basic`, `apiKey` or `oauth2`",
                );
                return None;
            }
        }
        for (key, value) in definition {
            if key == "description" || key.starts_with("x-") {
                out.insert(key.clone(), value.clone());
            }
        }
        Some(Value::Object(out))
    }
}

fn is_status_code(code: &str) -> bool {
    code.len() == 3
        && (code.bytes().all(|b| b.is_ascii_digit())
            || (matches!(code.as_bytes()[0], b'1'..=b'5') && &code[1..] == "XX"))
}

/// Every local `$ref` in `document` that does not resolve, located.
pub fn dangling_refs(file: &str, document: &Value) -> Vec<SpecProblem> {
    let mut problems = Vec::new();
    walk_refs(
        document,
        "",
        &mut |pointer, reference| match reference.strip_prefix('#') {
            Some(target) if document.pointer(target).is_some() => {}
            Some(_) => problems.push(
                SpecProblem::new(
                    file,
                    pointer,
                    format!("`$ref` to `{reference}` does not resolve"),
                )
                .hint("define the target or correct the reference"),
            ),
            None => problems.push(
                SpecProblem::new(
                    file,
                    pointer,
                    format!("external reference `{reference}` is not supported"),
                )
                .hint("bring the referenced definition into this document"),
            ),
        },
    );
    problems
}

fn walk_refs(value: &Value, pointer: &str, visit: &mut impl FnMut(&str, &str)) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                let here = child(pointer, key);
                if key == "$ref" {
                    if let Some(reference) = item.as_str() {
                        visit(&here, reference);
                    }
                } else {
                    walk_refs(item, &here, visit);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk_refs(item, &child(pointer, &i.to_string()), visit);
            }
        }
        _ => {}
    }
}
