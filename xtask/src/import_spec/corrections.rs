//! Our reviewed corrections of Logz.io's published defects, applied from the
//! one checked-in list (`xtask/corrections.json`). Each entry names the
//! decision in docs/spec-decisions.md it implements, says why, where it
//! changes the document, and which upstream value it expects to find there.
//! When the expected value is not there (Logz.io fixed or changed it), the
//! entry is reported as no longer applying: it is never silently skipped and
//! never applied to a value it was not written for.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::{Context, bail};
use logzio_codegen::json_pointer;
use serde::Deserialize;
use serde_json::Value;

use super::normalise::Shape;
use super::structure::{brief, same_structure};

/// The list, relative to the workspace root.
pub const CORRECTIONS_FILE: &str = "xtask/corrections.json";

/// The checked-in list.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrectionList {
    /// What the list is, for a reader of the file.
    #[serde(rename = "about")]
    _about: Option<String>,
    /// Applied in order: a later entry sees what earlier ones did.
    pub corrections: Vec<Correction>,
}

/// What an entry does at its location.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// Upstream has `expect` there; we want `set`.
    Replace,
    /// Upstream has nothing there; we want `set`.
    Add,
    /// Upstream has `expect` there; we want nothing.
    Remove,
}

/// One reviewed correction.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    /// A short stable name, used in reports.
    pub id: String,
    /// The topic of the row in docs/spec-decisions.md this entry implements.
    pub decision: String,
    /// Why we depart from Logz.io here, in one sentence.
    pub why: String,
    /// Replace, add or remove.
    pub change: ChangeKind,
    /// JSON pointer(s) into the normalised Swagger 2.0 document; a `*` token
    /// stands for every key (or index) present at that level.
    pub at: Locations,
    /// The upstream value the entry was written against (replace, remove);
    /// compared without descriptions and examples.
    pub expect: Option<Value>,
    /// Our value (replace, add).
    pub set: Option<Value>,
    /// `standalone` or `current`: the entry is about one published shape only.
    pub only_in: Option<String>,
}

/// One pointer or several: the same change at each.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Locations {
    /// One pointer.
    One(String),
    /// Several pointers.
    Many(Vec<String>),
}

impl Locations {
    /// The pointers, in order.
    pub fn pointers(&self) -> Vec<&str> {
        match self {
            Locations::One(p) => vec![p.as_str()],
            Locations::Many(ps) => ps.iter().map(String::as_str).collect(),
        }
    }
}

/// A location where a correction's expectation did not hold.
#[derive(Debug, Clone)]
pub struct Mismatch {
    /// The concrete pointer.
    pub location: String,
    /// What is there upstream (`None`: nothing).
    pub found: Option<Value>,
}

/// What applying one entry did.
#[derive(Debug)]
pub struct Applied<'a> {
    /// The entry.
    pub correction: &'a Correction,
    /// Whether it was for the other published shape (and so not tried).
    pub other_shape: bool,
    /// Concrete locations it changed.
    pub locations: Vec<String>,
    /// Locations where upstream no longer has what the entry expects.
    pub mismatches: Vec<Mismatch>,
}

impl Applied<'_> {
    /// True when the entry needs review: an expectation failed, or it matched nothing.
    pub fn is_stale(&self) -> bool {
        !self.other_shape && (!self.mismatches.is_empty() || self.locations.is_empty())
    }

    /// The report line(s) explaining why the entry no longer applies.
    pub fn stale_lines(&self) -> Vec<String> {
        let c = self.correction;
        if self.mismatches.is_empty() {
            return vec![format!(
                "correction `{}` no longer applies: {} matches nothing in the imported file",
                c.id,
                c.at.pointers().join(", ")
            )];
        }
        self.mismatches
            .iter()
            .map(|m| {
                let found = m
                    .found
                    .as_ref()
                    .map(brief)
                    .unwrap_or_else(|| "nothing".into());
                let expected = match (c.change, &c.expect) {
                    (ChangeKind::Add, _) => "nothing (the entry adds a value)".to_owned(),
                    (_, Some(expect)) => brief(expect),
                    (_, None) => "a value".to_owned(),
                };
                format!(
                    "correction `{}` no longer applies at {}: expected {expected}, Logz.io's file has {found}",
                    c.id, m.location
                )
            })
            .collect()
    }
}

/// Reads and checks the list under `root`.
pub fn load(root: &Path) -> anyhow::Result<CorrectionList> {
    let path = root.join(CORRECTIONS_FILE);
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    parse(&path.display().to_string(), &text)
}

/// Parses and checks a list; `file` names it in errors.
pub fn parse(file: &str, text: &str) -> anyhow::Result<CorrectionList> {
    let list: CorrectionList =
        serde_json::from_str(text).with_context(|| format!("{file}: not a corrections list"))?;
    let mut ids = BTreeSet::new();
    for c in &list.corrections {
        if !ids.insert(c.id.as_str()) {
            bail!("{file}: correction id `{}` is used twice", c.id);
        }
        let fields_ok = match c.change {
            ChangeKind::Replace => c.expect.is_some() && c.set.is_some(),
            ChangeKind::Add => c.expect.is_none() && c.set.is_some(),
            ChangeKind::Remove => c.expect.is_some() && c.set.is_none(),
        };
        if !fields_ok {
            bail!(
                "{file}: correction `{}`: `replace` needs `expect` and `set`, `add` only `set`, `remove` only `expect`",
                c.id
            );
        }
        let pointers = c.at.pointers();
        if pointers.is_empty()
            || pointers
                .iter()
                .any(|p| !p.starts_with('/') || p.ends_with("/*"))
        {
            bail!(
                "{file}: correction `{}`: `at` must be JSON pointer(s) whose last token is a name, not `*`",
                c.id
            );
        }
        if let Some(shape) = &c.only_in
            && shape != Shape::Standalone.name()
            && shape != Shape::Current.name()
        {
            bail!(
                "{file}: correction `{}`: `only_in` is `standalone` or `current`, not {shape:?}",
                c.id
            );
        }
        if c.why.trim().is_empty() || c.decision.trim().is_empty() {
            bail!(
                "{file}: correction `{}` must say why and which decision it implements",
                c.id
            );
        }
    }
    Ok(list)
}

/// Applies every entry meant for `shape`, in order, to `document`.
pub fn apply<'a>(list: &'a CorrectionList, shape: Shape, document: &mut Value) -> Vec<Applied<'a>> {
    list.corrections
        .iter()
        .map(|correction| {
            let mut applied = Applied {
                correction,
                other_shape: false,
                locations: Vec::new(),
                mismatches: Vec::new(),
            };
            if correction
                .only_in
                .as_deref()
                .is_some_and(|s| s != shape.name())
            {
                applied.other_shape = true;
                return applied;
            }
            for at in correction.at.pointers() {
                let tokens = json_pointer::tokens(at);
                let Some((last, parent)) = tokens.split_last() else {
                    continue;
                };
                for parent_tokens in expand(document, parent) {
                    let mut location = parent_tokens.clone();
                    location.push(last.clone());
                    let pointer = json_pointer::from_tokens(&location);
                    match apply_at(
                        correction,
                        document,
                        &json_pointer::from_tokens(&parent_tokens),
                        last,
                    ) {
                        Ok(()) => applied.locations.push(pointer),
                        Err(found) => applied.mismatches.push(Mismatch {
                            location: pointer,
                            found,
                        }),
                    }
                }
            }
            applied
        })
        .collect()
}

/// Every concrete location `tokens` (with `*` wildcards) names in `document`.
/// Without wildcards the single location is returned even when it does not
/// exist, so a missing parent is reported rather than ignored.
fn expand(document: &Value, tokens: &[String]) -> Vec<Vec<String>> {
    if !tokens.iter().any(|t| t == "*") {
        return vec![tokens.to_vec()];
    }
    let mut found = vec![Vec::new()];
    for token in tokens {
        let mut next = Vec::new();
        for prefix in found {
            let Some(node) = document.pointer(&json_pointer::from_tokens(&prefix)) else {
                continue;
            };
            if token == "*" {
                let children: Vec<String> = match node {
                    Value::Object(map) => map.keys().cloned().collect(),
                    Value::Array(items) => (0..items.len()).map(|i| i.to_string()).collect(),
                    _ => Vec::new(),
                };
                for child in children {
                    let mut path = prefix.clone();
                    path.push(child);
                    next.push(path);
                }
            } else if node.get(token.as_str()).is_some()
                || node
                    .as_array()
                    .is_some_and(|a| token.parse::<usize>().is_ok_and(|i| i < a.len()))
            {
                let mut path = prefix;
                path.push(token.clone());
                next.push(path);
            }
        }
        found = next;
    }
    found
}

/// Applies one entry at one location; `Err` carries what was found instead.
fn apply_at(
    correction: &Correction,
    document: &mut Value,
    parent: &str,
    key: &str,
) -> Result<(), Option<Value>> {
    let Some(parent) = document.pointer_mut(parent) else {
        return Err(None);
    };
    let current = match &*parent {
        Value::Object(map) => map.get(key).cloned(),
        Value::Array(items) => key
            .parse::<usize>()
            .ok()
            .and_then(|i| items.get(i).cloned()),
        _ => return Err(None),
    };
    let expectation_holds = match (correction.change, &current, &correction.expect) {
        (ChangeKind::Add, None, _) => true,
        (ChangeKind::Replace | ChangeKind::Remove, Some(current), Some(expect)) => {
            same_structure(current, expect)
        }
        _ => false,
    };
    if !expectation_holds {
        return Err(current);
    }
    match (parent, &correction.set) {
        (Value::Object(map), Some(value)) => {
            map.insert(key.to_owned(), value.clone());
        }
        (Value::Object(map), None) => {
            map.remove(key);
        }
        (Value::Array(items), set) => {
            let Some(index) = key.parse::<usize>().ok().filter(|i| *i < items.len()) else {
                return Err(current);
            };
            match set {
                Some(value) => items[index] = value.clone(),
                None => {
                    items.remove(index);
                }
            }
        }
        _ => return Err(current),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn list(entries: Value) -> CorrectionList {
        parse("test", &json!({ "corrections": entries }).to_string()).unwrap()
    }

    fn entry(change: &str, at: &str, expect: Option<Value>, set: Option<Value>) -> Value {
        let mut e = json!({"id": at, "decision": "d", "why": "w", "change": change, "at": at});
        if let Some(expect) = expect {
            e["expect"] = expect;
        }
        if let Some(set) = set {
            e["set"] = set;
        }
        e
    }

    #[test]
    fn replace_applies_only_where_the_expected_value_is() {
        let list = list(json!([entry(
            "replace",
            "/paths/*/*/responses/400/schema",
            Some(json!({"type": "object", "properties": {"message": {"type": "string"}}})),
            Some(json!({"$ref": "#/definitions/ErrorMessage"}))
        )]));
        let mut doc = json!({"paths": {
            "/a": {"get": {"responses": {"400": {"schema": {"type": "object",
                "properties": {"message": {"type": "string", "description": "ignored"}}}}}}},
            "/b": {"get": {"responses": {"400": {"schema": {"type": "string"}}}}}
        }});
        let applied = apply(&list, Shape::Current, &mut doc);
        assert_eq!(
            applied[0].locations,
            vec!["/paths/~1a/get/responses/400/schema"]
        );
        assert_eq!(applied[0].mismatches.len(), 1);
        assert!(applied[0].is_stale());
        assert!(applied[0].stale_lines()[0].contains("no longer applies at /paths/~1b"));
        assert_eq!(
            doc["paths"]["/a"]["get"]["responses"]["400"]["schema"]["$ref"],
            "#/definitions/ErrorMessage"
        );
        assert_eq!(
            doc["paths"]["/b"]["get"]["responses"]["400"]["schema"]["type"],
            "string"
        );
    }

    #[test]
    fn add_reports_a_value_fixed_upstream() {
        let list = list(json!([entry(
            "add",
            "/definitions/T/properties/x/format",
            None,
            Some(json!("password"))
        )]));
        let mut doc = json!({"definitions": {"T": {"properties": {"x": {"format": "password"}}}}});
        let applied = apply(&list, Shape::Current, &mut doc);
        assert!(applied[0].is_stale());
        assert!(applied[0].stale_lines()[0].contains("\"password\""));
    }

    #[test]
    fn remove_and_missing_parent() {
        let list = list(json!([
            entry("remove", "/a/uniqueItems", Some(json!(true)), None),
            entry("add", "/missing/x", None, Some(json!(1)))
        ]));
        let mut doc = json!({"a": {"uniqueItems": true, "type": "array"}});
        let applied = apply(&list, Shape::Current, &mut doc);
        assert!(!applied[0].is_stale());
        assert_eq!(doc, json!({"a": {"type": "array"}}));
        assert!(applied[1].is_stale());
    }

    #[test]
    fn entries_for_the_other_shape_are_not_tried() {
        let mut e = entry("remove", "/a", Some(json!(1)), None);
        e["only_in"] = json!("standalone");
        let list = list(json!([e]));
        let mut doc = json!({"a": 2});
        let applied = apply(&list, Shape::Current, &mut doc);
        assert!(applied[0].other_shape && !applied[0].is_stale());
    }

    #[test]
    fn malformed_entries_are_refused() {
        let bad = json!({"corrections": [{"id": "x", "decision": "d", "why": "w",
            "change": "replace", "at": "/a", "set": 1}]});
        assert!(parse("c.json", &bad.to_string()).is_err());
        let unknown = json!({"corrections": [], "extra": 1});
        assert!(parse("c.json", &unknown.to_string()).is_err());
    }

    #[test]
    fn the_checked_in_list_parses() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let list = load(&root).unwrap();
        assert!(!list.corrections.is_empty());
    }
}
