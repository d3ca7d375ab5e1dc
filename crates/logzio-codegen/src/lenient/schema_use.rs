//! Which schemas the operations use, per direction: the roots a request
//! body or parameter (or a response body) names, and every component
//! reachable from them. The lenient pass decides from this what is sent,
//! what is received, and what is both; this module changes nothing but what
//! its visitor changes.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::SCHEMA_REF_PREFIX;
use crate::HTTP_METHODS;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Context {
    Request,
    Response,
}

/// Calls `visit` on every schema the operations use directly in `context`.
pub(super) fn for_each_root(
    document: &mut Value,
    context: Context,
    visit: &mut dyn FnMut(&mut Value),
) {
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for item in paths.values_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        if context == Context::Request {
            visit_parameters(item.get_mut("parameters"), visit);
        }
        for method in HTTP_METHODS {
            let Some(operation) = item.get_mut(*method) else {
                continue;
            };
            match context {
                Context::Request => {
                    visit_parameters(operation.get_mut("parameters"), visit);
                    visit_content(operation.pointer_mut("/requestBody/content"), visit);
                }
                Context::Response => {
                    if let Some(responses) = operation
                        .get_mut("responses")
                        .and_then(Value::as_object_mut)
                    {
                        for response in responses.values_mut() {
                            visit_content(response.get_mut("content"), visit);
                        }
                    }
                }
            }
        }
    }
}

fn visit_parameters(parameters: Option<&mut Value>, visit: &mut dyn FnMut(&mut Value)) {
    for parameter in parameters
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        if let Some(schema) = parameter.get_mut("schema") {
            visit(schema);
        }
    }
}

fn visit_content(content: Option<&mut Value>, visit: &mut dyn FnMut(&mut Value)) {
    for media in content
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|content| content.values_mut())
    {
        if let Some(schema) = media.get_mut("schema") {
            visit(schema);
        }
    }
}

/// The component names the operations refer to directly in `context`.
pub(super) fn roots(document: &Value, context: Context) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut copy = document.clone();
    for_each_root(&mut copy, context, &mut |schema| {
        collect_refs(schema, &mut names)
    });
    names
}

/// `roots` and every component they refer to, transitively.
pub(super) fn reachable(schemas: &Map<String, Value>, roots: BTreeSet<String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut pending: Vec<String> = roots.into_iter().collect();
    while let Some(name) = pending.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(schema) = schemas.get(&name) {
            let mut refs = BTreeSet::new();
            collect_refs(schema, &mut refs);
            pending.extend(refs.into_iter().filter(|r| !seen.contains(r)));
        }
    }
    seen
}

pub(super) fn collect_refs(schema: &Value, names: &mut BTreeSet<String>) {
    match schema {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix(SCHEMA_REF_PREFIX))
            {
                names.insert(name.to_owned());
            }
            map.values().for_each(|inner| collect_refs(inner, names));
        }
        Value::Array(items) => items.iter().for_each(|inner| collect_refs(inner, names)),
        _ => {}
    }
}
