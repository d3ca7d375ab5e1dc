//! The semantic diff between our `swagger.json` and a corrected import: both
//! are upgraded to OpenAPI 3.0 by the pipeline first (so request bodies and
//! responses have one shape), then compared operation by operation and type
//! by type. Types are compared once, as definitions, with the flow (request,
//! response or both) of every place that uses them.

use std::collections::BTreeMap;

use anyhow::bail;
use serde_json::{Map, Value};

use super::flows;
pub use super::schema_diff::{Change, Flow, Impact};
use super::schema_diff::{SchemaDiff, type_label};
use super::structure::same_structure;

const HTTP_METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];

/// Upgrades both Swagger 2.0 documents and lists their structural differences.
pub fn compare(file: &str, ours: &Value, theirs: &Value) -> anyhow::Result<Vec<Change>> {
    let ours = upgraded(crate::snapshot::SPEC, ours)?;
    let theirs = upgraded(
        &format!("{file} (after normalisation and corrections)"),
        theirs,
    )?;
    Ok(compare_openapi(&ours, &theirs))
}

fn upgraded(file: &str, document: &Value) -> anyhow::Result<Value> {
    match logzio_codegen::upgrade(file, document) {
        Ok(upgraded) => Ok(upgraded.document),
        Err(problems) => {
            let lines: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
            bail!("{file} cannot be upgraded:\n{}", lines.join("\n"))
        }
    }
}

/// Compares two OpenAPI 3.0 documents.
pub fn compare_openapi(ours: &Value, theirs: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    servers(&mut out, ours, theirs);
    security(&mut out, ours, theirs);
    operations(&mut out, ours, theirs);
    definitions(&mut out, ours, theirs);
    out
}

fn push(out: &mut Vec<Change>, impact: Impact, location: &str, what: impl Into<String>) {
    out.push(Change {
        impact,
        location: location.to_owned(),
        what: what.into(),
    });
}

fn servers(out: &mut Vec<Change>, ours: &Value, theirs: &Value) {
    let by_url = |doc: &Value| -> BTreeMap<String, Value> {
        doc.get("servers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|s| Some((s.get("url")?.as_str()?.to_owned(), s.clone())))
            .collect()
    };
    let (a, b) = (by_url(ours), by_url(theirs));
    for (url, server) in &a {
        match b.get(url) {
            None => push(out, Impact::Breaking, "servers", format!("{url} removed")),
            Some(theirs) if !same_structure(server, theirs) => push(
                out,
                Impact::Breaking,
                "servers",
                format!("{url} changes from {} to {}", brief(server), brief(theirs)),
            ),
            Some(_) => {}
        }
    }
    for url in b.keys().filter(|u| !a.contains_key(*u)) {
        push(out, Impact::Additive, "servers", format!("{url} added"));
    }
}

fn security(out: &mut Vec<Change>, ours: &Value, theirs: &Value) {
    let schemes = |doc: &Value| {
        doc.pointer("/components/securitySchemes")
            .cloned()
            .unwrap_or(Value::Null)
    };
    if !same_structure(&schemes(ours), &schemes(theirs)) {
        push(
            out,
            Impact::Breaking,
            "security schemes",
            format!(
                "change from {} to {}",
                brief(&schemes(ours)),
                brief(&schemes(theirs))
            ),
        );
    }
    let global = |doc: &Value| doc.get("security").cloned().unwrap_or(Value::Null);
    if global(ours) != global(theirs) {
        push(
            out,
            Impact::Breaking,
            "security",
            format!(
                "changes from {} to {}",
                brief(&global(ours)),
                brief(&global(theirs))
            ),
        );
    }
}

fn brief(value: &Value) -> String {
    super::structure::brief(value)
}

/// Operations keyed by operationId (or `METHOD path` without one), with their path item.
pub(super) fn operation_map(doc: &Value) -> Vec<(String, String, String, Value, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for method in HTTP_METHODS {
            if let Some(op) = item.get(*method) {
                let key = op
                    .get("operationId")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .unwrap_or_else(|| format!("{} {path}", method.to_uppercase()));
                out.push((
                    key,
                    path.clone(),
                    (*method).to_owned(),
                    op.clone(),
                    item.clone(),
                ));
            }
        }
    }
    out
}

fn operations(out: &mut Vec<Change>, ours: &Value, theirs: &Value) {
    let a = operation_map(ours);
    let b = operation_map(theirs);
    for (id, path, method, op, item) in &a {
        let Some((_, their_path, their_method, their_op, their_item)) =
            b.iter().find(|(k, ..)| k == id)
        else {
            push(
                out,
                Impact::Breaking,
                id,
                format!("operation removed ({} {path})", method.to_uppercase()),
            );
            continue;
        };
        if path != their_path || method != their_method {
            push(
                out,
                Impact::Breaking,
                id,
                format!(
                    "moves from {} {path} to {} {their_path}",
                    method.to_uppercase(),
                    their_method.to_uppercase()
                ),
            );
        }
        operation(out, id, (ours, op, item), (theirs, their_op, their_item));
    }
    for (id, path, method, ..) in b.iter().filter(|(k, ..)| !a.iter().any(|(o, ..)| o == k)) {
        push(
            out,
            Impact::Additive,
            id,
            format!("new operation {} {path}", method.to_uppercase()),
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
    for code in b.keys().filter(|c| !a.contains_key(*c)) {
        push(
            out,
            Impact::Additive,
            &format!("{id} response {code}"),
            "new status",
        );
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

pub(super) fn schemas(doc: &Value) -> Map<String, Value> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

fn definitions(out: &mut Vec<Change>, ours: &Value, theirs: &Value) {
    let (a, b) = (schemas(ours), schemas(theirs));
    let (flows_a, flows_b) = (flows::flows(ours), flows::flows(theirs));
    for (name, schema) in &a {
        match b.get(name) {
            None => push(out, Impact::Breaking, name, "type removed"),
            Some(their_schema) => {
                let flow = match (flows_a.get(name), flows_b.get(name)) {
                    (Some(x), Some(y)) => x.join(*y),
                    (Some(x), None) | (None, Some(x)) => *x,
                    (None, None) => Flow::Both,
                };
                SchemaDiff { out, flow }.schema(name, schema, their_schema);
            }
        }
    }
    for name in b.keys().filter(|n| !a.contains_key(*n)) {
        push(out, Impact::Additive, name, "new type");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(paths: Value, schemas: Value) -> Value {
        json!({"openapi": "3.0.3", "paths": paths, "components": {"schemas": schemas}})
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
        let changes = compare_openapi(&ours, &theirs);
        let lines: Vec<String> = changes
            .iter()
            .map(|c| format!("{:?} {}: {}", c.impact, c.location, c.what))
            .collect();
        assert_eq!(
            lines,
            vec![
                "Breaking getA response 400: status removed",
                "Additive getA response 404: new status",
                "Additive postA: new operation POST /v1/a",
            ]
        );
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
        let lines: Vec<String> = compare_openapi(&ours, &theirs)
            .iter()
            .map(|c| format!("{:?} {}: {}", c.impact, c.location, c.what))
            .collect();
        assert_eq!(
            lines,
            vec![
                "Breaking putA parameter `id` (path): retyped from integer to string",
                "Breaking putA: security changes from the document's to []",
                "Breaking putA request body: request body removed",
            ]
        );
    }

    #[test]
    fn a_type_used_only_in_responses_takes_new_required_fields_as_additive() {
        let schema = |props: Value, required: Value| json!({"T": {"type": "object", "properties": props, "required": required}});
        let paths = json!({"/v1/t": {"get": {"operationId": "getT", "responses": {"200": {
            "description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/T"}}}}}}}});
        let ours = doc(
            paths.clone(),
            schema(json!({"a": {"type": "string"}}), json!([])),
        );
        let theirs = doc(
            paths,
            schema(
                json!({"a": {"type": "string"}, "b": {"type": "string"}}),
                json!(["b"]),
            ),
        );
        let changes = compare_openapi(&ours, &theirs);
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(changes[0].impact, Impact::Additive);
        assert_eq!(changes[0].location, "T.b");
    }
}
