//! Which way each type flows: for every component schema of an upgraded
//! document, whether requests, responses or both reach it (directly or
//! through other types). The diff judges a change to a type by this flow: a
//! new required field breaks callers building a request, not readers of a
//! response.

use std::collections::{BTreeMap, BTreeSet};

use logzio_codegen::spec_operations;
use serde_json::Value;

use super::operation_diff::{parameters, resolve};
use super::schema_diff::{Flow, ref_name};
use super::structure::schemas;

/// For every component schema, whether requests, responses or both reach it.
pub fn flows(doc: &Value) -> BTreeMap<String, Flow> {
    let mut flows: BTreeMap<String, Flow> = BTreeMap::new();
    let all = schemas(doc);
    for found in spec_operations(doc) {
        let op = found.operation;
        let mut roots: Vec<(Flow, Value)> = Vec::new();
        for parameter in parameters(doc, op, found.path_item).values() {
            roots.push((Flow::Request, parameter.clone()));
        }
        if let Some(body) = op.get("requestBody") {
            roots.push((Flow::Request, resolve(doc, body).clone()));
        }
        for response in op
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            roots.push((Flow::Response, resolve(doc, response.1).clone()));
        }
        for (flow, root) in roots {
            let mut stack = vec![root];
            let mut seen = BTreeSet::new();
            while let Some(node) = stack.pop() {
                walk_refs(&node, &mut |name| {
                    if seen.insert(name.to_owned()) {
                        flows
                            .entry(name.to_owned())
                            .and_modify(|f| *f = f.join(flow))
                            .or_insert(flow);
                        if let Some(target) = all.get(name) {
                            stack.push(target.clone());
                        }
                    }
                });
            }
        }
    }
    flows
}

fn walk_refs(value: &Value, visit: &mut dyn FnMut(&str)) {
    match value {
        Value::Object(map) => {
            if let Some(name) = ref_name(value)
                && value
                    .get("$ref")
                    .and_then(Value::as_str)
                    .is_some_and(|r| r.starts_with("#/components/schemas/"))
            {
                visit(name);
            }
            map.values().for_each(|v| walk_refs(v, visit));
        }
        Value::Array(items) => items.iter().for_each(|v| walk_refs(v, visit)),
        _ => {}
    }
}
