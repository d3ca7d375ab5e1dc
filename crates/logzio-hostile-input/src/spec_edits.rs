//! Structure-aware inputs for the `spec` target: a short script of edits to
//! our real `swagger.json` (remove, replace, copy, rename, insert at any
//! node), so the fuzzer explores documents that are nearly right, which raw
//! byte flips of a 24 kB file rarely reach.
//!
//! Script format, repeated until the bytes run out: two bytes pick the node
//! (an index into the document's nodes in order, modulo their count), one
//! byte the action, one byte a length `n`, then `n` bytes of argument.

use serde_json::{Map, Value, json};

/// Our spec, as the edits start from it.
pub const SWAGGER_JSON: &str = include_str!("../../../swagger.json");

/// `swagger.json` with the script's edits applied.
pub fn edited_swagger(script: &[u8]) -> Value {
    let mut document: Value = serde_json::from_str(SWAGGER_JSON).unwrap_or(Value::Null);
    let mut rest = script;
    while rest.len() >= 4 {
        let node = usize::from(u16::from_be_bytes([rest[0], rest[1]]));
        let action = rest[2];
        let length = usize::from(rest[3]).min(rest.len() - 4);
        let argument = &rest[4..4 + length];
        rest = &rest[4 + length..];
        let pointers = node_pointers(&document);
        let Some(target) = pointers.get(node % pointers.len().max(1)).cloned() else {
            break;
        };
        apply(&mut document, &pointers, &target, action, argument);
    }
    document
}

/// One edit at `target`. Edits that do not fit the node do nothing.
fn apply(document: &mut Value, pointers: &[String], target: &str, action: u8, argument: &[u8]) {
    match action % 6 {
        0 => {
            remove(document, target);
        }
        1 => {
            let value = serde_json::from_slice(argument)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(argument).into_owned()));
            replace(document, target, value);
        }
        2 => {
            let pick = argument.first().copied().unwrap_or(0);
            replace(document, target, hostile_value(pick));
        }
        3 => {
            let source = argument
                .first()
                .map(|&pick| pointers[usize::from(pick) % pointers.len()].clone());
            if let Some(copied) = source.and_then(|source| document.pointer(&source).cloned()) {
                replace(document, target, copied);
            }
        }
        4 => {
            let new_key = String::from_utf8_lossy(argument).into_owned();
            if let Some(moved) = remove(document, target)
                && let Some(Value::Object(parent)) = document.pointer_mut(parent_of(target))
            {
                parent.insert(new_key, moved);
            }
        }
        _ => match document.pointer_mut(target) {
            Some(Value::Object(fields)) => {
                let key = String::from_utf8_lossy(argument).into_owned();
                fields.insert(key, Value::Object(Map::new()));
            }
            Some(Value::Array(items)) => {
                let copy = items.first().cloned().unwrap_or(Value::Null);
                items.push(copy);
            }
            _ => {}
        },
    }
}

/// Values that have broken generators before: wrong types, empty
/// containers, dangling and self references, extreme numbers, deep nesting.
fn hostile_value(pick: u8) -> Value {
    let mut deep = json!({"type": "object"});
    for _ in 0..64 {
        deep = json!({"type": "array", "items": deep});
    }
    let values = [
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(1e308),
        json!(""),
        json!([]),
        json!({}),
        json!("#/definitions/Nope"),
        json!({"$ref": "#/definitions/SharedToken"}),
        json!({"$ref": "#/definitions/Nope"}),
        json!({"$ref": "#"}),
        json!({"type": "object", "properties": {}}),
        json!({"type": "array"}),
        json!({"type": "string", "enum": []}),
        json!({"type": "string", "enum": [null, 1, "a", "A", "a"]}),
        json!({"type": "string", "pattern": "(("}),
        json!({"type": "integer", "format": "int128"}),
        json!({"allOf": [{"type": "string"}, {"type": "integer"}]}),
        json!("{id}"),
        json!("/v1/shared-tokens/{id}/{id}"),
        json!({"in": "path", "name": "id", "type": "integer"}),
        json!({"in": "body", "name": "body"}),
        deep,
    ];
    values[usize::from(pick) % values.len()].clone()
}

/// Every node's JSON pointer, the document first, in document order.
fn node_pointers(document: &Value) -> Vec<String> {
    let mut pointers = Vec::new();
    collect(document, String::new(), &mut pointers);
    pointers
}

fn collect(value: &Value, pointer: String, out: &mut Vec<String>) {
    match value {
        Value::Object(fields) => {
            out.push(pointer.clone());
            for (key, child) in fields {
                collect(child, format!("{pointer}/{}", escape(key)), out);
            }
        }
        Value::Array(items) => {
            out.push(pointer.clone());
            for (index, child) in items.iter().enumerate() {
                collect(child, format!("{pointer}/{index}"), out);
            }
        }
        _ => out.push(pointer),
    }
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

fn parent_of(pointer: &str) -> &str {
    pointer.rfind('/').map_or("", |slash| &pointer[..slash])
}

fn replace(document: &mut Value, target: &str, value: Value) {
    if let Some(slot) = document.pointer_mut(target) {
        *slot = value;
    }
}

/// Removes the node and returns it (the root cannot be removed).
fn remove(document: &mut Value, target: &str) -> Option<Value> {
    let slash = target.rfind('/')?;
    let token = unescape(&target[slash + 1..]);
    match document.pointer_mut(&target[..slash])? {
        Value::Object(fields) => fields.shift_remove(&token),
        Value::Array(items) => {
            let index: usize = token.parse().ok()?;
            (index < items.len()).then(|| items.remove(index))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_script_is_our_spec() {
        let ours: Value = serde_json::from_str(SWAGGER_JSON).unwrap_or(Value::Null);
        assert_eq!(edited_swagger(&[]), ours);
    }

    #[test]
    fn a_removal_removes_exactly_one_node() {
        // Node 1 is the first key of the document (`swagger`).
        let edited = edited_swagger(&[0, 1, 0, 0]);
        assert!(edited.get("swagger").is_none());
        assert!(edited.get("info").is_some());
    }
}
