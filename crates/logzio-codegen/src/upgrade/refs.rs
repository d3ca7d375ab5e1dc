//! `$ref`s that do not resolve, found before anything is upgraded so each
//! pointer names a place in the file the user edits.

use serde_json::Value;

use crate::error::SpecProblem;
use crate::json_pointer::child;

/// Every local `$ref` in `document` that does not resolve, and every external one, located.
pub(super) fn dangling_refs(file: &str, document: &Value) -> Vec<SpecProblem> {
    let mut problems = Vec::new();
    walk_refs(
        document,
        "",
        &mut |pointer, reference| match reference.strip_prefix('#') {
            Some(target) if document.pointer(target).is_some() => {}
            Some(_) => problems.push(
                SpecProblem::new(
                    file,
                    pointer,
                    format!("`$ref` to `{reference}` does not resolve"),
                )
                .hint("define the target or correct the reference"),
            ),
            None => problems.push(
                SpecProblem::new(
                    file,
                    pointer,
                    format!("external reference `{reference}` is not supported"),
                )
                .hint("bring the referenced definition into this document"),
            ),
        },
    );
    problems
}

fn walk_refs(value: &Value, pointer: &str, visit: &mut impl FnMut(&str, &str)) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                let here = child(pointer, key);
                if key == "$ref" {
                    if let Some(reference) = item.as_str() {
                        visit(&here, reference);
                    }
                } else {
                    walk_refs(item, &here, visit);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk_refs(item, &child(pointer, &i.to_string()), visit);
            }
        }
        _ => {}
    }
}
