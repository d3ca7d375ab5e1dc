//! What counts as *structure* in a spec, shared by the corrections, the diff
//! and the write-back. Documentation (descriptions, summaries, examples,
//! titles) is never structure: Logz.io may reword it freely without the
//! import reporting a change. JSON pointers are `logzio_codegen::json_pointer`'s.

use serde_json::{Map, Value};

/// Keywords that document an element without changing what goes over the wire
/// or what the generated client looks like.
pub const ANNOTATIONS: &[&str] = &[
    "description",
    "summary",
    "example",
    "examples",
    "title",
    "externalDocs",
    "x-example",
];

/// Whether `key` is documentation only.
pub fn is_annotation(key: &str) -> bool {
    ANNOTATIONS.contains(&key)
}

/// A copy of `value` without annotations, at every depth. Property names are
/// kept even when they look like keywords (a property may be called `title`).
pub fn strip_annotations(value: &Value) -> Value {
    strip(value, false)
}

fn strip(value: &Value, keys_are_names: bool) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, item) in map {
                if !keys_are_names && is_annotation(key) {
                    continue;
                }
                // Under `properties`, `definitions`, `paths` and `responses` the keys are
                // names chosen by the author, not keywords.
                let names_below = !keys_are_names
                    && matches!(
                        key.as_str(),
                        "properties"
                            | "definitions"
                            | "paths"
                            | "responses"
                            | "securityDefinitions"
                    );
                out.insert(key.clone(), strip(item, names_below));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(|i| strip(i, false)).collect()),
        other => other.clone(),
    }
}

/// Whether two values are equal once documentation is ignored.
pub fn same_structure(a: &Value, b: &Value) -> bool {
    strip_annotations(a) == strip_annotations(b)
}

/// A short, one-line rendering of a value for reports.
pub fn brief(value: &Value) -> String {
    const MAX: usize = 160;
    let text = serde_json::to_string(&strip_annotations(value)).unwrap_or_default();
    if text.chars().count() > MAX {
        let cut: String = text.chars().take(MAX).collect();
        format!("{cut}…")
    } else {
        text
    }
}

/// The named schemas of an OpenAPI 3 document (`components/schemas`), or none.
pub fn schemas(doc: &Value) -> Map<String, Value> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn annotations_are_ignored_but_property_names_are_not() {
        let a = json!({"type": "object", "description": "x", "properties": {
            "title": {"type": "string", "example": "a"}}});
        let b = json!({"type": "object", "properties": {"title": {"type": "string"}}});
        assert!(same_structure(&a, &b));
        let c = json!({"type": "object", "properties": {}});
        assert!(!same_structure(&a, &c));
    }
}
