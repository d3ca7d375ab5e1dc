//! The preflight rule for the `$ref`s progenitor resolves itself: those of
//! parameters, request bodies and responses. progenitor looks each up by the
//! reference's last token in the matching `components` map and panics when
//! it is not there (`key … is missing`), so `#`, a place inside an entry, an
//! entry of another section, or an escaped name (`~1`, which it does not
//! unescape) would be a panic; a chain of references could recurse forever.
//! Schema references are checked with the schemas (`schemas.rs`).

use serde_json::Value;

use crate::error::SpecProblem;
use crate::json_pointer::{child, section_entry};

/// The operation keys of an OpenAPI 3.0 path item.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The `components` sections whose references progenitor resolves.
const KINDS: [&str; 3] = ["parameters", "requestBodies", "responses"];

/// Checks every parameter, request body and response `$ref` of an upgraded document.
pub(super) fn check(file: &str, document: &Value, problems: &mut Vec<SpecProblem>) {
    let mut check_one = |pointer: &str, value: &Value, kind: &str| {
        if let Some(Value::String(reference)) = value.get("$ref")
            && let Some(problem) = problem(document, reference, kind)
        {
            problems.push(
                SpecProblem::new(file, &child(pointer, "$ref"), problem).hint(format!(
                    "point at a whole entry: \"#/components/{kind}/NAME\" (\"#/{}/NAME\" in Swagger 2.0), whose NAME has no `/` or `~`",
                    if kind == "requestBodies" { "parameters" } else { kind }
                )),
            );
        }
    };
    if let Some(Value::Object(paths)) = document.get("paths") {
        for (path, item) in paths {
            let item_pointer = child("/paths", path);
            each_parameter(&item_pointer, item, &mut check_one);
            for method in METHODS {
                let Some(operation) = item.get(method) else {
                    continue;
                };
                let pointer = child(&item_pointer, method);
                each_parameter(&pointer, operation, &mut check_one);
                if let Some(body) = operation.get("requestBody") {
                    check_one(&child(&pointer, "requestBody"), body, "requestBodies");
                }
                if let Some(Value::Object(responses)) = operation.get("responses") {
                    for (status, response) in responses {
                        let here = child(&child(&pointer, "responses"), status);
                        check_one(&here, response, "responses");
                    }
                }
            }
        }
    }
    for kind in KINDS {
        if let Some(Value::Object(entries)) = document.pointer(&child("/components", kind)) {
            for (name, entry) in entries {
                check_one(&child(&child("/components", kind), name), entry, kind);
            }
        }
    }
}

fn each_parameter(pointer: &str, owner: &Value, check_one: &mut impl FnMut(&str, &Value, &str)) {
    if let Some(Value::Array(parameters)) = owner.get("parameters") {
        let list = child(pointer, "parameters");
        for (index, parameter) in parameters.iter().enumerate() {
            check_one(&child(&list, &index.to_string()), parameter, "parameters");
        }
    }
}

/// What is wrong with `reference` as a reference to a `kind` entry, if anything.
fn problem(document: &Value, reference: &str, kind: &str) -> Option<String> {
    let section = format!("components/{kind}");
    let name = section_entry(reference, &section).filter(|name| !name.contains('~'));
    let target = reference
        .strip_prefix('#')
        .and_then(|at| document.pointer(at));
    match (name, target) {
        (Some(_), Some(target)) if target.get("$ref").is_some() => Some(format!(
            "`{reference}` is itself a `$ref`; a reference must lead straight to the entry"
        )),
        (Some(_), Some(_)) => None,
        (Some(_), None) => Some(format!("`$ref` to `{reference}` does not resolve")),
        (None, _) => Some(format!(
            "a `$ref` here must name one entry of `{section}`, not `{reference}`"
        )),
    }
}
