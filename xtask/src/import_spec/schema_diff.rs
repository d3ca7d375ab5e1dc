//! Comparing two schemas of the upgraded (OpenAPI 3.0) documents and judging
//! each difference from the point of view of code using the generated client:
//! *breaking* when existing calls or existing code may stop compiling or
//! working, *additive* otherwise. Documentation keywords are never compared.

use serde_json::Value;

use super::structure::is_annotation;

/// How a change affects users of the generated client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// Existing code or calls may stop compiling or working.
    Breaking,
    /// Existing code keeps working; there is something new.
    Additive,
}

/// One structural difference, `ours` → `theirs` (what adopting the import changes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Breaking or additive.
    pub impact: Impact,
    /// Where, in readable terms: `SharedToken.lastUsed`, `createToken request body`.
    pub location: String,
    /// What changed.
    pub what: String,
}

/// Which way data flows through a schema: requests are built by users,
/// responses are decoded by the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Only sent by the client.
    Request,
    /// Only received by the client.
    Response,
    /// Both (a type used in requests and responses).
    Both,
}

impl Flow {
    /// The flow of a type used in both `self` and `other` contexts.
    pub fn join(self, other: Flow) -> Flow {
        if self == other { self } else { Flow::Both }
    }
    fn sent(self) -> bool {
        matches!(self, Flow::Request | Flow::Both)
    }
}

/// Keywords that restrict values: adding or changing one may reject values
/// that were valid; removing one only accepts more.
const CONSTRAINTS: &[&str] = &[
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "default",
];

/// Keywords compared by dedicated code below (not by the generic fallback).
const HANDLED: &[&str] = &[
    "$ref",
    "type",
    "format",
    "nullable",
    "enum",
    "properties",
    "required",
    "items",
    "additionalProperties",
    "readOnly",
    "writeOnly",
    "deprecated",
];

/// Collects the differences between two schemas.
pub struct SchemaDiff<'a> {
    /// Where changes go.
    pub out: &'a mut Vec<Change>,
    /// The flow of the schemas being compared.
    pub flow: Flow,
}

/// Records one change found at `location`.
pub(super) fn push(out: &mut Vec<Change>, impact: Impact, location: &str, what: impl Into<String>) {
    out.push(Change {
        impact,
        location: location.to_owned(),
        what: what.into(),
    });
}

/// The name a local `$ref` points at (`#/components/schemas/X` → `X`).
pub fn ref_name(schema: &Value) -> Option<&str> {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .map(|r| r.rsplit('/').next().unwrap_or(r))
}

/// A short label of a schema's type, e.g. `integer (int32)`, `array of SharedToken`.
pub fn type_label(schema: &Value) -> String {
    if let Some(name) = ref_name(schema) {
        return format!("`{name}`");
    }
    let base = schema
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("any value");
    let mut label = match schema.get("format").and_then(Value::as_str) {
        Some(format) => format!("{base} ({format})"),
        None => base.to_owned(),
    };
    if base == "array"
        && let Some(items) = schema.get("items")
    {
        label = format!("array of {}", type_label(items));
    }
    label
}

impl SchemaDiff<'_> {
    /// Compares `ours` with `theirs` at `location`.
    pub fn schema(&mut self, location: &str, ours: &Value, theirs: &Value) {
        match (ref_name(ours), ref_name(theirs)) {
            (Some(a), Some(b)) if a == b => return, // compared once, as a definition
            (None, None) => {}
            _ => {
                push(
                    self.out,
                    Impact::Breaking,
                    location,
                    format!(
                        "type changes from {} to {}",
                        type_label(ours),
                        type_label(theirs)
                    ),
                );
                return;
            }
        }
        let key = |s: &Value, k: &str| s.get(k).cloned();
        if key(ours, "type") != key(theirs, "type") || key(ours, "format") != key(theirs, "format")
        {
            push(
                self.out,
                Impact::Breaking,
                location,
                format!(
                    "retyped from {} to {}",
                    type_label(ours),
                    type_label(theirs)
                ),
            );
            return;
        }
        self.nullable(location, ours, theirs);
        self.enumeration(location, ours, theirs);
        self.properties(location, ours, theirs);
        if let (Some(a), Some(b)) = (ours.get("items"), theirs.get("items")) {
            self.schema(&format!("{location}[]"), a, b);
        }
        match (
            ours.get("additionalProperties"),
            theirs.get("additionalProperties"),
        ) {
            (Some(a @ Value::Object(_)), Some(b @ Value::Object(_))) => {
                self.schema(&format!("{location}{{}}"), a, b)
            }
            (a, b) if a != b => push(
                self.out,
                Impact::Breaking,
                location,
                format!(
                    "additionalProperties changes from {} to {}",
                    shown(a),
                    shown(b)
                ),
            ),
            _ => {}
        }
        self.constraints(location, ours, theirs);
        self.remaining(location, ours, theirs);
    }

    fn nullable(&mut self, location: &str, ours: &Value, theirs: &Value) {
        let nullable = |s: &Value| s.get("nullable").and_then(Value::as_bool).unwrap_or(false);
        if nullable(ours) != nullable(theirs) {
            let what = if nullable(theirs) {
                "becomes nullable (the generated field type changes)"
            } else {
                "is no longer nullable (the generated field type changes)"
            };
            push(self.out, Impact::Breaking, location, what.to_owned());
        }
    }

    fn enumeration(&mut self, location: &str, ours: &Value, theirs: &Value) {
        let values = |s: &Value| s.get("enum").and_then(Value::as_array).cloned();
        match (values(ours), values(theirs)) {
            (None, None) => {}
            (Some(_), None) => push(
                self.out,
                Impact::Additive,
                location,
                "is no longer restricted to an enum",
            ),
            (None, Some(b)) => push(
                self.out,
                Impact::Breaking,
                location,
                format!("becomes an enum of {}", shown(Some(&Value::Array(b)))),
            ),
            (Some(a), Some(b)) => {
                for value in b.iter().filter(|v| !a.contains(v)) {
                    // Additive in every flow: generated enums are #[non_exhaustive]
                    // (a new variant is a minor change), and answers read enums
                    // through OpenEnum, so clients built before it keep the value.
                    push(
                        self.out,
                        Impact::Additive,
                        location,
                        format!("enum value {value} added"),
                    );
                }
                for value in a.iter().filter(|v| !b.contains(v)) {
                    push(
                        self.out,
                        Impact::Breaking,
                        location,
                        format!("enum value {value} removed"),
                    );
                }
            }
        }
    }

    fn properties(&mut self, location: &str, ours: &Value, theirs: &Value) {
        let empty = serde_json::Map::new();
        let props = |s: &Value| s.get("properties").and_then(Value::as_object).cloned();
        let (a, b) = (
            props(ours).unwrap_or_else(|| empty.clone()),
            props(theirs).unwrap_or(empty),
        );
        let required = |s: &Value, name: &str| {
            s.get("required")
                .and_then(Value::as_array)
                .is_some_and(|r| r.iter().any(|n| n.as_str() == Some(name)))
        };
        for (name, schema) in &a {
            let at = format!("{location}.{name}");
            match b.get(name) {
                None => push(self.out, Impact::Breaking, &at, "field removed"),
                Some(theirs_field) => {
                    let (was, is) = (required(ours, name), required(theirs, name));
                    if was != is {
                        let what = if is {
                            "becomes required"
                        } else {
                            "becomes optional"
                        };
                        // The generated field changes between `T` and `Option<T>`.
                        push(self.out, Impact::Breaking, &at, what);
                    }
                    self.schema(&at, schema, theirs_field);
                }
            }
        }
        for (name, schema) in b.iter().filter(|(name, _)| !a.contains_key(*name)) {
            let is_required = required(theirs, name);
            // A new required field must be supplied by every caller building the value.
            let impact = if is_required && self.flow.sent() {
                Impact::Breaking
            } else {
                Impact::Additive
            };
            let what = format!(
                "new {} field of type {}",
                if is_required { "required" } else { "optional" },
                type_label(schema)
            );
            push(self.out, impact, &format!("{location}.{name}"), what);
        }
    }

    fn constraints(&mut self, location: &str, ours: &Value, theirs: &Value) {
        for keyword in CONSTRAINTS {
            let (a, b) = (ours.get(*keyword), theirs.get(*keyword));
            if a == b {
                continue;
            }
            // The client checks constraints only on what it sends (the tolerant
            // reader drops them from answers), so only a sent type can break.
            let tightened = if self.flow.sent() {
                Impact::Breaking
            } else {
                Impact::Additive
            };
            let (impact, what) = match (a, b) {
                (Some(a), None) => (Impact::Additive, format!("{keyword} {a} removed")),
                (None, Some(b)) => (tightened, format!("{keyword} {b} added")),
                (a, b) => (
                    tightened,
                    format!("{keyword} changes from {} to {}", shown(a), shown(b)),
                ),
            };
            push(self.out, impact, location, what);
        }
        for keyword in ["readOnly", "writeOnly", "deprecated"] {
            let (a, b) = (ours.get(keyword), theirs.get(keyword));
            if a != b {
                push(
                    self.out,
                    Impact::Additive,
                    location,
                    format!("{keyword} changes from {} to {}", shown(a), shown(b)),
                );
            }
        }
    }

    /// Keywords no code above understands: any difference is reported, as breaking,
    /// so nothing structural can change unnoticed. Extensions (`x-…`) are additive.
    fn remaining(&mut self, location: &str, ours: &Value, theirs: &Value) {
        let keys = |s: &Value| -> Vec<String> {
            s.as_object()
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default()
        };
        let mut all = keys(ours);
        all.extend(keys(theirs).into_iter().filter(|k| ours.get(k).is_none()));
        for key in all {
            if is_annotation(&key)
                || HANDLED.contains(&key.as_str())
                || CONSTRAINTS.contains(&key.as_str())
            {
                continue;
            }
            let (a, b) = (ours.get(&key), theirs.get(&key));
            if super::structure::strip_annotations(&shown_value(a))
                == super::structure::strip_annotations(&shown_value(b))
            {
                continue;
            }
            let impact = if key.starts_with("x-") {
                Impact::Additive
            } else {
                Impact::Breaking
            };
            push(
                self.out,
                impact,
                location,
                format!("{key} changes from {} to {}", shown(a), shown(b)),
            );
        }
    }
}

fn shown_value(value: Option<&Value>) -> Value {
    value.cloned().unwrap_or(Value::Null)
}

fn shown(value: Option<&Value>) -> String {
    value
        .map(super::structure::brief)
        .unwrap_or_else(|| "nothing".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn diff(flow: Flow, ours: Value, theirs: Value) -> Vec<Change> {
        let mut out = Vec::new();
        SchemaDiff {
            out: &mut out,
            flow,
        }
        .schema("T", &ours, &theirs);
        out
    }

    #[test]
    fn new_fields_are_judged_by_flow_and_required_ness() {
        let ours = json!({"type": "object", "properties": {"a": {"type": "string"}}});
        let theirs = json!({"type": "object", "required": ["b"],
            "properties": {"a": {"type": "string"}, "b": {"type": "string"}, "c": {"type": "integer"}}});
        let request = diff(Flow::Request, ours.clone(), theirs.clone());
        assert_eq!(request.len(), 2, "{request:?}");
        assert_eq!(request[0].location, "T.b");
        assert_eq!(request[0].impact, Impact::Breaking);
        assert_eq!(request[1].impact, Impact::Additive);
        let response = diff(Flow::Response, ours, theirs);
        assert!(response.iter().all(|c| c.impact == Impact::Additive));
    }

    #[test]
    fn removed_and_retyped_fields_are_breaking() {
        let ours = json!({"type": "object", "properties": {
            "a": {"type": "string"}, "b": {"type": "integer", "format": "int32"}}});
        let theirs = json!({"type": "object", "properties": {
            "b": {"type": "integer", "format": "int64", "description": "reworded"}}});
        let changes = diff(Flow::Response, ours, theirs);
        assert_eq!(changes.len(), 2, "{changes:?}");
        assert!(changes.iter().all(|c| c.impact == Impact::Breaking));
        assert!(changes[1].what.contains("int32") && changes[1].what.contains("int64"));
    }

    #[test]
    fn enum_values_added_are_additive_in_every_flow() {
        // Generated enums are #[non_exhaustive], and answers read them through OpenEnum.
        let ours = json!({"type": "string", "enum": ["OR", "AND"]});
        let theirs = json!({"type": "string", "enum": ["OR", "AND", "XOR"]});
        assert_eq!(
            diff(Flow::Response, ours.clone(), theirs.clone())[0].impact,
            Impact::Additive
        );
        assert_eq!(
            diff(Flow::Request, ours, theirs)[0].impact,
            Impact::Additive
        );
    }

    #[test]
    fn documentation_is_not_structure() {
        let ours = json!({"type": "string", "description": "ours", "example": "a"});
        let theirs = json!({"type": "string", "description": "theirs", "title": "T"});
        assert!(diff(Flow::Both, ours, theirs).is_empty());
    }

    #[test]
    fn constraints_added_break_removed_relax() {
        let ours = json!({"type": "string", "minLength": 1});
        let theirs = json!({"type": "string", "pattern": "^a$"});
        let changes = diff(Flow::Request, ours, theirs);
        assert_eq!(changes.len(), 2, "{changes:?}");
        let by = |k: &str| changes.iter().find(|c| c.what.contains(k)).unwrap().impact;
        assert_eq!(by("pattern"), Impact::Breaking);
        assert_eq!(by("minLength"), Impact::Additive);
    }

    #[test]
    fn constraints_on_what_is_only_received_never_break() {
        // The tolerant reader drops them from answers: only a sent value can fail one.
        let ours = json!({"type": "string"});
        let theirs = json!({"type": "string", "pattern": "^a$", "maxLength": 3});
        let changes = diff(Flow::Response, ours, theirs);
        assert_eq!(changes.len(), 2, "{changes:?}");
        assert!(
            changes.iter().all(|c| c.impact == Impact::Additive),
            "{changes:?}"
        );
    }
}
