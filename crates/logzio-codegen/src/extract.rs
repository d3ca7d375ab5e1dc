//! Cutting one API out of a larger document: the operations of one tag (or
//! under one path prefix) and every definition they reach, transitively.
//! Used on Logz.io's full public API file, which describes hundreds of
//! operations besides the Shared Tokens ones.

use std::collections::{BTreeSet, VecDeque};

use serde_json::{Map, Value};

use crate::json_pointer::{escape_token, tokens};

use crate::{HTTP_METHODS, spec_operations};

/// Keeps the operations tagged `tag`; when no operation carries that tag,
/// those whose path (ignoring a leading `/v1`) starts with `path_prefix`.
/// Keeps the definitions, parameters and responses they reference, directly
/// or through each other. Works on Swagger 2.0 and OpenAPI 3.0 documents.
pub fn extract_operations(document: &Value, tag: &str, path_prefix: &str) -> Value {
    let Some(root) = document.as_object() else {
        return document.clone();
    };
    let kept_paths = kept_paths(document, tag, path_prefix);

    let mut out = Map::new();
    for (key, value) in root {
        match key.as_str() {
            "paths" | "definitions" | "parameters" | "responses" | "components" => {}
            "tags" => {
                let tags: Vec<Value> = value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|t| t.get("name").and_then(Value::as_str) == Some(tag))
                    .cloned()
                    .collect();
                if !tags.is_empty() {
                    out.insert(key.clone(), Value::Array(tags));
                }
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    let kept_paths = Value::Object(kept_paths);

    // Breadth-first over references, starting from the kept paths.
    let mut reached: BTreeSet<String> = BTreeSet::new();
    let mut queue: VecDeque<String> = VecDeque::new();
    collect_refs(&kept_paths, &mut queue);
    if let Some(Value::Object(schemes)) = root
        .get("components")
        .and_then(|c| c.get("securitySchemes"))
    {
        for name in schemes.keys() {
            queue.push_back(format!(
                "#/components/securitySchemes/{}",
                escape_token(name)
            ));
        }
    }
    while let Some(reference) = queue.pop_front() {
        if !reached.insert(reference.clone()) {
            continue;
        }
        if let Some(target) = reference
            .strip_prefix('#')
            .and_then(|p| document.pointer(p))
        {
            collect_refs(target, &mut queue);
        }
    }
    for reference in &reached {
        let Some(pointer) = reference.strip_prefix('#') else {
            continue;
        };
        let Some(target) = document.pointer(pointer) else {
            continue;
        };
        insert_at(&mut out, pointer, target.clone());
    }
    out.insert("paths".into(), kept_paths);
    Value::Object(out)
}

/// The path items holding a kept operation, with only the kept operations
/// (and the items' non-operation keys).
fn kept_paths(document: &Value, tag: &str, path_prefix: &str) -> Map<String, Value> {
    let tagged = |operation: &Value| has_tag(operation, tag);
    let any_tagged = spec_operations(document).any(|found| tagged(found.operation));
    let mut kept_paths = Map::new();
    let paths = document.get("paths").and_then(Value::as_object);
    for (path, item) in paths.into_iter().flatten() {
        let Some(item) = item.as_object() else {
            continue;
        };
        let unversioned = path.strip_prefix("/v1").unwrap_or(path);
        let mut kept = Map::new();
        for (key, value) in item {
            let is_operation = HTTP_METHODS.contains(&key.as_str());
            let keep = if !is_operation {
                true
            } else if any_tagged {
                tagged(value)
            } else {
                unversioned.starts_with(path_prefix)
            };
            if keep {
                kept.insert(key.clone(), value.clone());
            }
        }
        if kept.keys().any(|k| HTTP_METHODS.contains(&k.as_str())) {
            kept_paths.insert(path.clone(), Value::Object(kept));
        }
    }
    kept_paths
}

fn has_tag(operation: &Value, tag: &str) -> bool {
    operation
        .get("tags")
        .and_then(Value::as_array)
        .is_some_and(|tags| tags.iter().any(|t| t.as_str() == Some(tag)))
}

fn collect_refs(value: &Value, queue: &mut VecDeque<String>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                match (key.as_str(), item) {
                    ("$ref", Value::String(reference)) => queue.push_back(reference.clone()),
                    _ => collect_refs(item, queue),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_refs(item, queue)),
        _ => {}
    }
}

/// Inserts `value` at a JSON pointer, creating objects on the way.
fn insert_at(root: &mut Map<String, Value>, pointer: &str, value: Value) {
    let tokens = tokens(pointer);
    let Some((last, parents)) = tokens.split_last() else {
        return;
    };
    let mut current = root;
    for token in parents {
        let entry = current
            .entry(token.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        let Value::Object(next) = entry else { return };
        current = next;
    }
    current.insert(last.clone(), value);
}
