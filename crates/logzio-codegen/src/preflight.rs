//! Checks for the document shapes that make progenitor 0.15 panic or silently
//! mis-generate, run before progenitor so the user gets a pointer, not a backtrace.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{OpenAPI, ReferenceOr, Response, StatusCode};

use crate::error::SpecProblem;
use crate::json_pointer::child;

mod component_refs;
mod schemas;

/// Validates an OpenAPI 3.0 document (as JSON and as read by openapiv3) for
/// progenitor; every problem is located.
pub(crate) fn preflight(
    file: &str,
    document: &serde_json::Value,
    spec: &OpenAPI,
) -> Vec<SpecProblem> {
    let mut problems = Vec::new();
    schemas::check(file, document, &mut problems);
    component_refs::check(file, document, &mut problems);
    let mut operation_ids: BTreeMap<&str, String> = BTreeMap::new();
    for (path, item) in &spec.paths.paths {
        let path_pointer = child("/paths", path);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { .. } => {
                problems.push(SpecProblem::new(
                    file,
                    &path_pointer,
                    "a `$ref` path item is not supported",
                ));
                continue;
            }
        };
        for (method, operation) in item.iter() {
            let pointer = child(&path_pointer, method);
            let Some(operation_id) = operation.operation_id.as_deref() else {
                problems.push(
                    SpecProblem::new(file, &pointer, "the operation has no `operationId`").hint(
                        "add a unique camelCase `operationId`: it names the generated method",
                    ),
                );
                continue;
            };
            if !is_plain_operation_id(operation_id) {
                problems.push(
                    SpecProblem::new(
                        file,
                        &child(&pointer, "operationId"),
                        format!(
                            "operationId `{operation_id}` cannot name a Rust method as written"
                        ),
                    )
                    .hint(
                        "use camelCase letters and digits, starting with a letter, that is not a \
                         Rust keyword in snake_case (it names the generated method and the \
                         operation catalog's variant)",
                    ),
                );
                continue;
            }
            if let Some(first) = operation_ids.insert(operation_id, pointer.clone()) {
                problems.push(SpecProblem::new(
                    file,
                    &child(&pointer, "operationId"),
                    format!("operationId `{operation_id}` is also used at {first}"),
                ));
            }
            if let Some(ReferenceOr::Item(body)) = &operation.request_body {
                check_request_body(file, &child(&pointer, "requestBody"), body, &mut problems);
            }
            check_path_parameters(
                file,
                &pointer,
                path,
                operation,
                &item.parameters,
                &mut problems,
            );
            check_responses(file, &pointer, &operation.responses, &mut problems);
        }
    }
    problems
}

/// A request body: one content type, JSON, with a schema.
fn check_request_body(
    file: &str,
    pointer: &str,
    body: &openapiv3::RequestBody,
    problems: &mut Vec<SpecProblem>,
) {
    if body.content.len() > 1 {
        let types: Vec<&str> = body.content.keys().map(String::as_str).collect();
        problems.push(
            SpecProblem::new(
                file,
                pointer,
                format!(
                    "the request body has several content types ({})",
                    types.join(", ")
                ),
            )
            .hint("keep one (the Shared Tokens API takes application/json)"),
        );
    }
    for (media_type, content) in &body.content {
        let here = child(&child(pointer, "content"), media_type);
        // progenitor reads a few other types, each with schema rules of its
        // own that fail without a location; the API takes JSON only, so that
        // is all this pipeline accepts. (progenitor compares the text before
        // any `;` exactly.)
        if media_type.split(';').next() != Some("application/json") {
            problems.push(
                SpecProblem::new(
                    file,
                    &here,
                    format!("the request body's content type `{media_type}` is not JSON"),
                )
                .hint("use application/json (the Shared Tokens API takes JSON)"),
            );
        }
        if content.schema.is_none() {
            problems.push(SpecProblem::new(
                file,
                &here,
                "a request body without a schema",
            ));
        }
    }
}

/// Whether an operationId becomes the same method name for progenitor and
/// for the operation catalog (snake case of letters, digits, `_` and `-`,
/// starting with a letter, not a keyword). progenitor renames anything else
/// its own way (`2.0` becomes `_2_0`), which the catalog could not follow.
fn is_plain_operation_id(operation_id: &str) -> bool {
    let mut chars = operation_id.chars();
    chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && syn::parse_str::<syn::Ident>(&heck::ToSnakeCase::to_snake_case(operation_id)).is_ok()
}

fn check_path_parameters(
    file: &str,
    pointer: &str,
    path: &str,
    operation: &openapiv3::Operation,
    shared: &[ReferenceOr<openapiv3::Parameter>],
    problems: &mut Vec<SpecProblem>,
) {
    let in_template: BTreeSet<&str> = path
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect();
    let mut declared = BTreeSet::new();
    for parameter in shared.iter().chain(&operation.parameters) {
        if let ReferenceOr::Item(openapiv3::Parameter::Path { parameter_data, .. }) = parameter {
            declared.insert(parameter_data.name.as_str());
            if !in_template.contains(parameter_data.name.as_str()) {
                problems.push(SpecProblem::new(
                    file,
                    &child(pointer, "parameters"),
                    format!(
                        "path parameter `{}` does not appear in `{path}`",
                        parameter_data.name
                    ),
                ));
            }
        }
    }
    for name in in_template {
        if !declared.contains(name) {
            problems.push(SpecProblem::new(
                file,
                &child(pointer, "parameters"),
                format!("`{{{name}}}` in the path has no path parameter"),
            ));
        }
    }
}

/// How progenitor will see one response: no body, a JSON schema, or raw bytes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum ResponseKind {
    None,
    Json(String),
    Raw,
}

fn check_responses(
    file: &str,
    pointer: &str,
    responses: &openapiv3::Responses,
    problems: &mut Vec<SpecProblem>,
) {
    let responses_pointer = child(pointer, "responses");
    let mut successes: BTreeMap<ResponseKind, String> = BTreeMap::new();
    let mut failures: BTreeMap<ResponseKind, String> = BTreeMap::new();
    let has_success_range = responses.responses.contains_key(&StatusCode::Range(2));
    check_status_reasons(file, &responses_pointer, responses, problems);
    let mut entries: Vec<(String, Option<u16>, &ReferenceOr<Response>)> = responses
        .responses
        .iter()
        .map(|(code, response)| {
            let (name, class) = match code {
                StatusCode::Code(n) => (n.to_string(), *n / 100),
                StatusCode::Range(n) => (format!("{n}XX"), *n),
            };
            (name, Some(class), response)
        })
        .collect();
    if let Some(default) = &responses.default {
        entries.push(("default".to_owned(), None, default));
    }
    for (name, class, response) in entries {
        let here = child(&responses_pointer, &name);
        let kind = match response {
            ReferenceOr::Reference { reference } => ResponseKind::Json(reference.clone()),
            ReferenceOr::Item(response) => match response_kind(file, &here, response, problems) {
                Some(kind) => kind,
                None => continue,
            },
        };
        match class {
            Some(2) => {
                successes.entry(kind).or_insert(name);
            }
            Some(4 | 5) => {
                failures.entry(kind).or_insert(name);
            }
            Some(_) => {}
            // progenitor counts `default` on both sides, except beside a 2XX range.
            None => {
                if !has_success_range {
                    successes.entry(kind.clone()).or_insert(name.clone());
                }
                failures.entry(kind).or_insert(name);
            }
        }
    }
    check_one_body_per_side(file, &responses_pointer, &successes, &failures, problems);
}

/// Every numbered status must have a standard reason phrase.
fn check_status_reasons(
    file: &str,
    responses_pointer: &str,
    responses: &openapiv3::Responses,
    problems: &mut Vec<SpecProblem>,
) {
    for code in responses.responses.keys() {
        // progenitor names each httpmock helper after the status's reason
        // phrase and panics on a code without one (found by fuzzing: 802).
        if let StatusCode::Code(n) = code
            && http::StatusCode::from_u16(*n)
                .ok()
                .and_then(|status| status.canonical_reason())
                .is_none()
        {
            problems.push(
                SpecProblem::new(
                    file,
                    &child(responses_pointer, &n.to_string()),
                    format!("HTTP status {n} has no standard reason phrase"),
                )
                .hint("use a registered status code (RFC 9110), or a range such as 4XX"),
            );
        }
    }
}

/// progenitor makes one success type and one error type per operation, so each side's
/// responses must share one body.
fn check_one_body_per_side(
    file: &str,
    responses_pointer: &str,
    successes: &BTreeMap<ResponseKind, String>,
    failures: &BTreeMap<ResponseKind, String>,
    problems: &mut Vec<SpecProblem>,
) {
    for (side, kinds) in [("success", successes), ("error", failures)] {
        if kinds.len() > 1 {
            let codes: Vec<&str> = kinds.values().map(String::as_str).collect();
            problems.push(
                SpecProblem::new(
                    file,
                    responses_pointer,
                    format!(
                        "the {side} responses {} have different bodies; progenitor needs one {side} type per operation",
                        codes.join(", ")
                    ),
                )
                .hint(if side == "error" {
                    "give every error status the same schema (a shared `$ref`)"
                } else {
                    "declare one success response body, and no `default` beside a typed 2xx"
                }),
            );
        }
    }
}

fn response_kind(
    file: &str,
    pointer: &str,
    response: &Response,
    problems: &mut Vec<SpecProblem>,
) -> Option<ResponseKind> {
    if response.content.len() > 1 {
        let types: Vec<&str> = response.content.keys().map(String::as_str).collect();
        problems.push(
            SpecProblem::new(
                file,
                pointer,
                format!(
                    "the response has several content types ({})",
                    types.join(", ")
                ),
            )
            .hint("keep one content type per response"),
        );
        return None;
    }
    let Some((media_type, content)) = response.content.first() else {
        return Some(ResponseKind::None);
    };
    let is_json = media_type == "application/json" || media_type.starts_with("application/json;");
    if !is_json {
        return Some(ResponseKind::Raw);
    }
    if !content.encoding.is_empty() {
        problems.push(SpecProblem::new(
            file,
            &child(&child(pointer, "content"), media_type),
            "media type `encoding` is not supported",
        ));
        return None;
    }
    match &content.schema {
        Some(schema) => {
            let mut structure = serde_json::to_value(schema).unwrap_or_default();
            strip_annotations(&mut structure);
            Some(ResponseKind::Json(structure.to_string()))
        }
        None => {
            problems.push(
                SpecProblem::new(
                    file,
                    &child(&child(pointer, "content"), media_type),
                    "a JSON response without a schema",
                )
                .hint("add a schema or drop the content entry"),
            );
            None
        }
    }
}

/// Removes what does not change the decoded type (prose and examples), so two
/// inline error bodies that differ only in wording count as one shape.
fn strip_annotations(schema: &mut serde_json::Value) {
    use serde_json::Value;
    match schema {
        Value::Object(map) => {
            for key in ["description", "example", "title", "externalDocs"] {
                map.remove(key);
            }
            for (key, value) in map.iter_mut() {
                match (key.as_str(), value) {
                    // A map from property names to schemas: the names are data.
                    ("properties", Value::Object(properties)) => {
                        properties.values_mut().for_each(strip_annotations)
                    }
                    (_, value) => strip_annotations(value),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strip_annotations),
        _ => {}
    }
}
