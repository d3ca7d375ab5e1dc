//! `--write`: replaces `swagger.json` with the corrected import, keeping our own
//! documentation (descriptions, summaries, examples, `info`, tag texts) on
//! every element that is still the same kind of thing (same type, format,
//! reference, name), and our key order, so the
//! reviewed diff shows only what changed. It validates the result with the
//! pipeline before touching any file, then regenerates the snapshot through
//! `snapshot::generate`, exactly as `cargo xtask generate` does.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use logzio_codegen::SpecSource;
use serde_json::{Map, Value};

use super::structure::is_annotation;
use crate::snapshot;

/// Top-level members that are documentation of the whole file: ours are kept,
/// Logz.io's are not imported (their `info` describes their whole API).
const DOCUMENT_LEVEL_DOCS: &[&str] = &["info", "tags", "externalDocs", "x-tagGroups"];

/// Writes the merged spec to `root`/swagger.json and regenerates the snapshot.
pub fn write_back(root: &Path, ours: &Value, imported: &Value) -> anyhow::Result<()> {
    let merged = merged_spec(ours, imported);
    let mut text = serde_json::to_string_pretty(&merged).context("serialising swagger.json")?;
    text.push('\n');

    let spec_path = root.join(snapshot::SPEC);
    let current = std::fs::read_to_string(&spec_path).unwrap_or_default();
    if current == text {
        println!("write: {} unchanged", snapshot::SPEC);
    } else {
        let generated = logzio_codegen::generate(&SpecSource::parse(snapshot::SPEC, text.clone())?)
            .map_err(|e| anyhow::anyhow!("{e}"))
            .context("the imported spec does not generate a client; swagger.json left as it was")?;
        snapshot::refuse_tolerated_defects(
            &generated,
            format_args!(
                "the imported spec relies on tolerated defects; swagger.json left as it was"
            ),
        )?;
        std::fs::write(&spec_path, &text)
            .with_context(|| format!("writing {}", spec_path.display()))?;
        println!("write: updated {}", snapshot::SPEC);
    }
    snapshot::generate(root)?;
    println!(
        "write: review `git diff {} {}/`; descriptions of new elements are Logz.io's: rewrite them in our words before committing",
        snapshot::SPEC,
        snapshot::SNAPSHOT_DIR
    );
    Ok(())
}

/// The imported structure with our documentation and our key order.
pub fn merged_spec(ours: &Value, imported: &Value) -> Value {
    let (Some(our_root), Some(their_root)) = (ours.as_object(), imported.as_object()) else {
        return imported.clone();
    };
    let mut out = Map::new();
    let order = ordered_keys(our_root, their_root, |key| {
        DOCUMENT_LEVEL_DOCS.contains(&key) && our_root.contains_key(key)
    });
    for key in order {
        if DOCUMENT_LEVEL_DOCS.contains(&key.as_str()) {
            if let Some(value) = our_root.get(&key) {
                out.insert(key, value.clone());
            } else if key == "info" {
                // Required by Swagger 2.0; only reached when ours has none.
                if let Some(value) = their_root.get(&key) {
                    out.insert(key, value.clone());
                }
            }
            continue;
        }
        if let Some(theirs) = their_root.get(&key) {
            out.insert(
                key.clone(),
                merge(our_root.get(&key), theirs, names_below(&key)),
            );
        }
    }
    Value::Object(out)
}

/// Keys of `ours` that survive (in our order), then new keys of `theirs`.
fn ordered_keys(
    ours: &Map<String, Value>,
    theirs: &Map<String, Value>,
    keep_ours: impl Fn(&str) -> bool,
) -> Vec<String> {
    let mut keys: Vec<String> = ours
        .keys()
        .filter(|k| theirs.contains_key(*k) || keep_ours(k))
        .cloned()
        .collect();
    keys.extend(theirs.keys().filter(|k| !ours.contains_key(*k)).cloned());
    keys
}

/// Whether the members of `key`'s object are names chosen by the author.
fn names_below(key: &str) -> bool {
    matches!(
        key,
        "properties" | "definitions" | "paths" | "responses" | "securityDefinitions" | "parameters"
    )
}

/// What an element *is*: while these are unchanged, our description of it
/// still holds (a changed constraint or required-ness does not make it wrong;
/// a new type or a different reference may).
const IDENTITY: &[&str] = &[
    "type",
    "format",
    "$ref",
    "in",
    "name",
    "enum",
    "operationId",
    "url",
];

fn own_structure(node: &Map<String, Value>) -> BTreeMap<&String, &Value> {
    node.iter()
        .filter(|(k, _)| IDENTITY.contains(&k.as_str()))
        .collect()
}

fn merge(ours: Option<&Value>, theirs: &Value, keys_are_names: bool) -> Value {
    match theirs {
        Value::Object(their_map) => {
            let our_map = ours.and_then(Value::as_object);
            let empty = Map::new();
            let our_map_or_empty = our_map.unwrap_or(&empty);
            let keep_our_docs = !keys_are_names
                && our_map.is_some_and(|o| own_structure(o) == own_structure(their_map));
            let docs_from_ours = |key: &str| !keys_are_names && is_annotation(key) && keep_our_docs;
            let order = ordered_keys(our_map_or_empty, their_map, |key| docs_from_ours(key));
            let mut out = Map::new();
            for key in order {
                if !keys_are_names && is_annotation(&key) {
                    let source = if keep_our_docs {
                        our_map_or_empty.get(&key)
                    } else {
                        their_map.get(&key)
                    };
                    if let Some(value) = source {
                        out.insert(key, value.clone());
                    }
                    continue;
                }
                if let Some(value) = their_map.get(&key) {
                    let below = !keys_are_names && names_below(&key);
                    out.insert(key.clone(), merge(our_map_or_empty.get(&key), value, below));
                }
            }
            Value::Object(out)
        }
        Value::Array(their_items) => {
            let our_items: &[Value] = ours.and_then(Value::as_array).map_or(&[], Vec::as_slice);
            if their_items.iter().all(|i| !i.is_object() && !i.is_array()) {
                // `required`, `enum`, `schemes`: keep our order when the set is the same.
                let same_set = our_items.len() == their_items.len()
                    && their_items.iter().all(|i| our_items.contains(i));
                return if same_set {
                    Value::Array(our_items.to_vec())
                } else {
                    theirs.clone()
                };
            }
            let mut merged: Vec<(usize, Value)> = their_items
                .iter()
                .enumerate()
                .map(|(index, item)| {
                    let partner = our_items
                        .iter()
                        .position(|o| identity(o) == identity(item) && identity(item).is_some())
                        .or_else(|| (our_items.len() == their_items.len()).then_some(index));
                    let merged = merge(partner.and_then(|p| our_items.get(p)), item, false);
                    (partner.unwrap_or(usize::MAX), merged)
                })
                .collect();
            merged.sort_by_key(|(position, _)| *position);
            Value::Array(merged.into_iter().map(|(_, v)| v).collect())
        }
        scalar => scalar.clone(),
    }
}

/// What identifies an array element across versions: a parameter by place and
/// name, a server by URL, a tag by name.
fn identity(item: &Value) -> Option<String> {
    let field = |k: &str| item.get(k).and_then(Value::as_str);
    if let (Some(place), Some(name)) = (field("in"), field("name")) {
        return Some(format!("{place}:{name}"));
    }
    field("url")
        .or_else(|| field("name"))
        .or_else(|| field("$ref"))
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn our_docs_stay_where_structure_is_unchanged() {
        let ours = json!({"swagger": "2.0", "info": {"title": "ours", "version": "1"},
            "definitions": {"T": {"type": "object", "description": "our T", "properties": {
                "a": {"type": "string", "description": "our a", "example": "x"},
                "b": {"type": "integer", "description": "our b"}}}}});
        let theirs = json!({"swagger": "2.0", "info": {"title": "theirs", "version": "9"},
            "x-tagGroups": [],
            "definitions": {"T": {"type": "object", "description": "their T", "properties": {
                "b": {"type": "string", "description": "their b"},
                "a": {"type": "string", "description": "their a"},
                "c": {"type": "string", "description": "their c"}}}}});
        let merged = merged_spec(&ours, &theirs);
        assert_eq!(merged["info"]["title"], "ours");
        assert!(merged.get("x-tagGroups").is_none());
        let t = &merged["definitions"]["T"];
        assert_eq!(t["description"], "our T");
        assert_eq!(
            t["properties"]["a"],
            json!({"type": "string", "description": "our a", "example": "x"})
        );
        // Retyped: our description may be wrong now, so theirs is taken.
        assert_eq!(t["properties"]["b"]["description"], "their b");
        assert_eq!(t["properties"]["c"]["description"], "their c");
        let order: Vec<&String> = t["properties"].as_object().unwrap().keys().collect();
        assert_eq!(order, ["a", "b", "c"]);
    }

    #[test]
    fn parameters_are_matched_by_name_not_position() {
        let ours = json!({"p": [{"in": "path", "name": "id", "description": "ours"}]});
        let theirs = json!({"p": [
            {"in": "query", "name": "q", "description": "new"},
            {"in": "path", "name": "id", "description": "theirs"}]});
        let merged = merged_spec(&ours, &theirs);
        assert_eq!(merged["p"][0]["description"], "ours");
        assert_eq!(merged["p"][1]["name"], "q");
    }
}
