//! Swagger 2.0 → OpenAPI 3.0.3, on plain JSON values.
//!
//! General enough for everything Logz.io's full public spec uses, not just the
//! Shared Tokens part. It never guesses: a construct it cannot translate
//! faithfully is refused with a JSON pointer. The few upstream defects it
//! tolerates are listed in docs/spec-decisions.md and come back as warnings,
//! so nothing is fixed silently.
//!
//! One file per part of a Swagger 2.0 document: this one holds the entry
//! point, the version check and the document's top level; `servers`, `paths`
//! (path items and operations), `parameters`, `request_bodies`, `responses`,
//! `schemas`, `security` and `components` (the reusable sections) each
//! upgrade their part; `refs` finds references that do not resolve.

mod components;
mod parameters;
mod paths;
mod refs;
mod request_bodies;
mod responses;
mod schemas;
mod security;
mod servers;

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use crate::error::SpecProblem;
use crate::json_pointer::child;

use refs::dangling_refs;

/// The OpenAPI version every upgraded document declares.
const OPENAPI_VERSION: &str = "3.0.3";

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
        return pass_through_openapi(file, document, version);
    }
    check_swagger_version(file, root)?;

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

/// An OpenAPI 3.0.x document is already what progenitor reads; 3.1 and
/// anything else is refused at its version field.
fn pass_through_openapi(
    file: &str,
    document: &Value,
    version: &Value,
) -> Result<Upgraded, Vec<SpecProblem>> {
    match version.as_str() {
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
            SpecProblem::new(file, "/openapi", format!("OpenAPI {v} is not supported")).hint(
                "progenitor reads OpenAPI 3.0.x; provide a Swagger 2.0 or OpenAPI 3.0.x document",
            ),
        ]),
        _ => Err(vec![SpecProblem::new(
            file,
            "/openapi",
            format!("unsupported OpenAPI version {version}"),
        )]),
    }
}

/// Accepts `swagger: "2.0"` only: Swagger 1.x and other versions are refused.
fn check_swagger_version(file: &str, root: &Map<String, Value>) -> Result<(), Vec<SpecProblem>> {
    if root.contains_key("swaggerVersion") {
        return Err(vec![
            SpecProblem::new(file, "/swaggerVersion", "Swagger 1.x is not supported")
                .hint("convert it to Swagger 2.0 first"),
        ]);
    }
    match root.get("swagger").and_then(Value::as_str) {
        Some("2.0") => Ok(()),
        Some(other) => Err(vec![SpecProblem::new(
            file,
            "/swagger",
            format!("Swagger {other} is not supported; only \"2.0\" is"),
        )]),
        None => Err(vec![
            SpecProblem::new(
                file,
                "",
                "neither `swagger: \"2.0\"` nor `openapi: 3.0.x` is declared",
            )
            .hint("start the document with \"swagger\": \"2.0\""),
        ]),
    }
}

/// One upgrade in progress: the input, the document-wide defaults the parts
/// need, and what was refused or tolerated so far (in document order).
struct Upgrader<'a> {
    file: &'a str,
    root: &'a Map<String, Value>,
    consumes: Vec<String>,
    produces: Vec<String>,
    /// Names of top-level `parameters` that are `body` or `formData`: a `$ref`
    /// to one of them becomes a request body, not a parameter.
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

    /// A `consumes`/`produces` list; `None` when it is absent (the caller
    /// falls back to the enclosing default).
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
}
