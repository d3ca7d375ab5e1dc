//! The operation-level half of the semantic diff: operations matched by
//! operationId, then their parameters, request bodies, responses (status
//! codes, media types, schemas) and security. Types reached through `$ref`
//! are not descended into here; `diff` compares each one once, as a definition.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::schema_diff::{Change, Flow, Impact, SchemaDiff, push, type_label};
use super::structure::brief;

use logzio_codegen::{SpecOperation, spec_operations};

/// Every operation of `doc`, keyed by operationId (or `METHOD path` without
/// one) for matching across two documents.
fn operation_map(doc: &Value) -> Vec<(String, SpecOperation<'_>)> {
    spec_operations(doc)
        .map(|found| {
            let key = found
                .operation
                .get("operationId")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .unwrap_or_else(|| format!("{} {}", found.method.to_uppercase(), found.path));
            (key, found)
        })
        .collect()
}

pub(super) fn operations(out: &mut Vec<Change>, ours: &Value, theirs: &Value) {
    let a = operation_map(ours);
    let b = operation_map(theirs);
    for (id, mine) in &a {
        let (path, method) = (mine.path, mine.method.to_uppercase());
        let Some((_, their)) = b.iter().find(|(k, _)| k == id) else {
            push(
                out,
                Impact::Breaking,
                id,
                format!("operation removed ({method} {path})"),
            );
            continue;
        };
        if mine.path != their.path || mine.method != their.method {
            push(
                out,
                Impact::Breaking,
                id,
                format!(
                    "moves from {method} {path} to {} {}",
                    their.method.to_uppercase(),
                    their.path
                ),
            );
        }
        operation(
            out,
            id,
            (ours, mine.operation, mine.path_item),
            (theirs, their.operation, their.path_item),
        );
    }
    for (id, new) in b.iter().filter(|(k, _)| !a.iter().any(|(o, _)| o == k)) {
        push(
            out,
            Impact::Additive,
            id,
            format!("new operation {} {}", new.method.to_uppercase(), new.path),
        );
    }
}

/// An operation's parameters, the path item's merged in, keyed by `in` and `name`.
pub(super) fn parameters(
    doc: &Value,
    op: &Value,
    item: &Value,
) -> BTreeMap<(String, String), Value> {
    let mut out = BTreeMap::new();
    for list in [item.get("parameters"), op.get("parameters")]
        .into_iter()
        .flatten()
    {
        for parameter in list.as_array().into_iter().flatten() {
            let parameter = resolve(doc, parameter);
            let name = parameter.get("name").and_then(Value::as_str);
            let place = parameter.get("in").and_then(Value::as_str);
            if let (Some(name), Some(place)) = (name, place) {
                out.insert((place.to_owned(), name.to_owned()), parameter.clone());
            }
        }
    }
    out
}

/// Follows a local `$ref` to a parameter, request body or response.
pub(super) fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|pointer| doc.pointer(pointer))
        .unwrap_or(value)
}

fn is_required(value: &Value) -> bool {
    value
        .get("required")
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

type Side<'a> = (&'a Value, &'a Value, &'a Value);

fn operation(out: &mut Vec<Change>, id: &str, ours: Side<'_>, theirs: Side<'_>) {
    let (our_doc, our_op, our_item) = ours;
    let (their_doc, their_op, their_item) = theirs;
    let a = parameters(our_doc, our_op, our_item);
    let b = parameters(their_doc, their_op, their_item);
    for ((place, name), parameter) in &a {
        let at = format!("{id} parameter `{name}` ({place})");
        match b.get(&(place.clone(), name.clone())) {
            None => push(out, Impact::Breaking, &at, "parameter removed"),
            Some(theirs) => {
                match (is_required(parameter), is_required(theirs)) {
                    (false, true) => push(out, Impact::Breaking, &at, "becomes required"),
                    (true, false) => push(out, Impact::Additive, &at, "becomes optional"),
                    _ => {}
                }
                compare_schema(
                    out,
                    Flow::Request,
                    &at,
                    parameter.get("schema"),
                    theirs.get("schema"),
                );
            }
        }
    }
    for ((place, name), parameter) in b.iter().filter(|(k, _)| !a.contains_key(*k)) {
        let (impact, kind) = if is_required(parameter) {
            (Impact::Breaking, "required")
        } else {
            (Impact::Additive, "optional")
        };
        let ty = parameter
            .get("schema")
            .map(type_label)
            .unwrap_or_else(|| "any value".into());
        push(
            out,
            impact,
            &format!("{id} parameter `{name}` ({place})"),
            format!("new {kind} parameter of type {ty}"),
        );
    }
    // An operation-level `security` overrides the document's (e.g. no token needed).
    if our_op.get("security") != their_op.get("security") {
        push(
            out,
            Impact::Breaking,
            id,
            format!(
                "security changes from {} to {}",
                our_op
                    .get("security")
                    .map_or("the document's".into(), brief),
                their_op
                    .get("security")
                    .map_or("the document's".into(), brief)
            ),
        );
    }
    let deprecated = |op: &Value| op.get("deprecated").and_then(Value::as_bool) == Some(true);
    if deprecated(our_op) != deprecated(their_op) {
        let what = if deprecated(their_op) {
            "becomes deprecated"
        } else {
            "is no longer deprecated"
        };
        push(out, Impact::Additive, id, what);
    }
    request_body(out, id, ours, theirs);
    responses(out, id, ours, theirs);
}

fn request_body(out: &mut Vec<Change>, id: &str, ours: Side<'_>, theirs: Side<'_>) {
    let at = format!("{id} request body");
    let body = |side: Side<'_>| {
        side.1
            .get("requestBody")
            .map(|b| resolve(side.0, b).clone())
    };
    match (body(ours), body(theirs)) {
        (None, None) => {}
        (Some(_), None) => push(out, Impact::Breaking, &at, "request body removed"),
        (None, Some(b)) => {
            let impact = if is_required(&b) {
                Impact::Breaking
            } else {
                Impact::Additive
            };
            push(out, impact, &at, "new request body");
        }
        (Some(a), Some(b)) => {
            match (is_required(&a), is_required(&b)) {
                (false, true) => push(out, Impact::Breaking, &at, "becomes required"),
                (true, false) => push(out, Impact::Additive, &at, "becomes optional"),
                _ => {}
            }
            content(out, Flow::Request, &at, &a, &b);
        }
    }
}

fn responses(out: &mut Vec<Change>, id: &str, ours: Side<'_>, theirs: Side<'_>) {
    let map = |side: Side<'_>| -> Map<String, Value> {
        side.1
            .get("responses")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(code, r)| (code.clone(), resolve(side.0, r).clone()))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (a, b) = (map(ours), map(theirs));
    for (code, response) in &a {
        let at = format!("{id} response {code}");
        match b.get(code) {
            None => push(out, Impact::Breaking, &at, "status removed"),
            Some(theirs) => content(out, Flow::Response, &at, response, theirs),
        }
    }
    for (code, response) in b.iter().filter(|(c, _)| !a.contains_key(*c)) {
        let at = format!("{id} response {code}");
        // progenitor gives an operation one success type and one error type:
        // a new status keeps the method's signature only when its body is
        // the same as that of a status of its class the operation had.
        let success = |c: &str| c.starts_with('2');
        let same_body = a.iter().find(|(c, r)| {
            success(c) == success(code) && r.get("content") == response.get("content")
        });
        match same_body {
            Some((like, _)) => push(
                out,
                Impact::Additive,
                &at,
                format!("new status, with the body of {like}"),
            ),
            None => push(
                out,
                Impact::Breaking,
                &at,
                format!(
                    "new status whose body differs from the operation's other {} answers: the generated method's {} type changes",
                    if success(code) { "success" } else { "error" },
                    if success(code) { "success" } else { "error" },
                ),
            ),
        }
    }
}

/// Compares the media types and schemas of two request bodies or responses.
fn content(out: &mut Vec<Change>, flow: Flow, at: &str, ours: &Value, theirs: &Value) {
    let media = |v: &Value| -> Map<String, Value> {
        v.get("content")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let (a, b) = (media(ours), media(theirs));
    for (media_type, item) in &a {
        match b.get(media_type) {
            None if b.is_empty() => push(out, Impact::Breaking, at, "no longer has a body"),
            None => push(
                out,
                Impact::Breaking,
                at,
                format!("media type {media_type} removed"),
            ),
            Some(theirs) => compare_schema(out, flow, at, item.get("schema"), theirs.get("schema")),
        }
    }
    for (media_type, item) in b.iter().filter(|(k, _)| !a.contains_key(*k)) {
        let what = match item.get("schema") {
            Some(schema) if a.is_empty() => format!("gains a body of type {}", type_label(schema)),
            _ => format!("new media type {media_type}"),
        };
        push(out, Impact::Breaking, at, what);
    }
}

fn compare_schema(
    out: &mut Vec<Change>,
    flow: Flow,
    at: &str,
    ours: Option<&Value>,
    theirs: Option<&Value>,
) {
    match (ours, theirs) {
        (Some(a), Some(b)) => SchemaDiff { out, flow }.schema(at, a, b),
        (None, None) => {}
        (a, b) => push(
            out,
            Impact::Breaking,
            at,
            format!(
                "schema changes from {} to {}",
                a.map(type_label).unwrap_or_else(|| "none".into()),
                b.map(type_label).unwrap_or_else(|| "none".into())
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(paths: Value, schemas: Value) -> Value {
        json!({"openapi": "3.0.3", "paths": paths, "components": {"schemas": schemas}})
    }

    fn compare_openapi(ours: &Value, theirs: &Value) -> Vec<Change> {
        let mut out = Vec::new();
        operations(&mut out, ours, theirs);
        out
    }

    /// Each change as one line, `Impact location: what`, for comparing whole lists.
    fn change_lines(ours: &Value, theirs: &Value) -> Vec<String> {
        compare_openapi(ours, theirs)
            .iter()
            .map(|c| format!("{:?} {}: {}", c.impact, c.location, c.what))
            .collect()
    }

    #[test]
    fn operations_added_removed_and_status_codes() {
        let ours = doc(
            json!({"/v1/a": {"get": {"operationId": "getA", "responses": {
                "200": {"description": "", "content": {"application/json": {"schema": {"type": "string"}}}},
                "400": {"description": ""}}}}}),
            json!({}),
        );
        let theirs = doc(
            json!({"/v1/a": {"get": {"operationId": "getA", "responses": {
                "200": {"description": "", "content": {"application/json": {"schema": {"type": "string"}}}},
                "404": {"description": ""}}},
                "post": {"operationId": "postA", "responses": {}}}}),
            json!({}),
        );
        assert_eq!(
            change_lines(&ours, &theirs),
            vec![
                "Breaking getA response 400: status removed",
                "Additive getA response 404: new status, with the body of 400",
                "Additive postA: new operation POST /v1/a",
            ]
        );
    }

    #[test]
    fn a_new_status_with_a_body_of_another_type_changes_the_signature() {
        let body = |ty: &str| json!({"description": "", "content": {"application/json": {"schema": {"type": ty}}}});
        let ours = doc(
            json!({"/v1/a": {"get": {"operationId": "getA", "responses": {
                "200": body("string"), "400": body("object")}}}}),
            json!({}),
        );
        let theirs = doc(
            json!({"/v1/a": {"get": {"operationId": "getA", "responses": {
                "200": body("string"), "400": body("object"),
                "404": body("object"), "409": body("string"), "201": body("integer")}}}}),
            json!({}),
        );
        let changes = compare_openapi(&ours, &theirs);
        let impact = |code: &str| {
            changes
                .iter()
                .find(|c| c.location.ends_with(code))
                .map(|c| c.impact)
        };
        assert_eq!(impact("404"), Some(Impact::Additive), "{changes:?}");
        assert_eq!(impact("409"), Some(Impact::Breaking), "{changes:?}");
        assert_eq!(impact("201"), Some(Impact::Breaking), "{changes:?}");
    }

    #[test]
    fn parameters_bodies_and_security_of_an_operation() {
        let op = |param_type: &str, body: Value, security: Option<Value>| {
            let mut op = json!({"operationId": "putA",
                "parameters": [{"name": "id", "in": "path", "required": true,
                    "schema": {"type": param_type}}],
                "responses": {"204": {"description": ""}}});
            if !body.is_null() {
                op["requestBody"] = body;
            }
            if let Some(security) = security {
                op["security"] = security;
            }
            doc(json!({"/v1/a/{id}": {"put": op}}), json!({}))
        };
        let body = json!({"required": true, "content": {"application/json": {"schema": {"type": "string"}}}});
        let ours = op("integer", body, None);
        let theirs = op("string", Value::Null, Some(json!([])));
        assert_eq!(
            change_lines(&ours, &theirs),
            vec![
                "Breaking putA parameter `id` (path): retyped from integer to string",
                "Breaking putA: security changes from the document's to []",
                "Breaking putA request body: request body removed",
            ]
        );
    }
}
