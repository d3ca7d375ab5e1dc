//! The semantic diff between our `swagger.json` and a corrected import: both
//! are upgraded to OpenAPI 3.0 by the pipeline first (so request bodies and
//! responses have one shape), then compared operation by operation and type
//! by type. Types are compared once, as definitions, with the flow (request,
//! response or both) of every place that uses them.

use std::collections::BTreeMap;

use anyhow::bail;
use serde_json::Value;

pub use super::schema_diff::{Change, Flow, Impact};
use super::schema_diff::{SchemaDiff, push};
use super::structure::{brief, same_structure, schemas};
use super::{flows, operation_diff};

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
    operation_diff::operations(&mut out, ours, theirs);
    definitions(&mut out, ours, theirs);
    out
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
