//! `securityDefinitions` → `securitySchemes`: basic becomes HTTP basic, an
//! API key stays one, an OAuth2 `flow` becomes the matching `flows` entry.

use serde_json::{Map, Value, json};

use super::Upgrader;
use crate::json_pointer::child;

impl Upgrader<'_> {
    pub(super) fn security_scheme(&mut self, pointer: &str, definition: &Value) -> Option<Value> {
        let Some(definition) = definition.as_object() else {
            self.refuse(pointer, "a security definition must be an object");
            return None;
        };
        let mut out = Map::new();
        match definition.get("type").and_then(Value::as_str) {
            Some("basic") => {
                out.insert("type".into(), json!("http"));
                out.insert("scheme".into(), json!("basic"));
            }
            Some("apiKey") => {
                out.insert("type".into(), json!("apiKey"));
                for key in ["name", "in"] {
                    match definition.get(key) {
                        Some(value) => {
                            out.insert(key.into(), value.clone());
                        }
                        None => self.refuse(pointer, format!("an apiKey scheme needs `{key}`")),
                    }
                }
            }
            Some("oauth2") => {
                let flows = self.oauth2_flows(pointer, definition)?;
                out.insert("type".into(), json!("oauth2"));
                out.insert("flows".into(), flows);
            }
            _ => {
                self.refuse(
                    &child(pointer, "type"),
                    "must be `basic`, `apiKey` or `oauth2`",
                );
                return None;
            }
        }
        for (key, value) in definition {
            if key == "description" || key.starts_with("x-") {
                out.insert(key.clone(), value.clone());
            }
        }
        Some(Value::Object(out))
    }

    /// The one OpenAPI 3.0 flow that a Swagger 2.0 `flow` names, with its URLs and scopes.
    fn oauth2_flows(&mut self, pointer: &str, definition: &Map<String, Value>) -> Option<Value> {
        let scopes = definition
            .get("scopes")
            .cloned()
            .unwrap_or_else(|| json!({}));
        let flow = definition.get("flow").and_then(Value::as_str).unwrap_or("");
        let (name, keys): (&str, &[&str]) = match flow {
            "implicit" => ("implicit", &["authorizationUrl"]),
            "password" => ("password", &["tokenUrl"]),
            "application" => ("clientCredentials", &["tokenUrl"]),
            "accessCode" => ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
            other => {
                self.refuse(
                    &child(pointer, "flow"),
                    format!("unknown oauth2 flow `{other}`"),
                );
                return None;
            }
        };
        let mut flow = Map::new();
        for key in keys {
            if let Some(value) = definition.get(*key) {
                flow.insert((*key).into(), value.clone());
            }
        }
        flow.insert("scopes".into(), scopes);
        Some(json!({ name: flow }))
    }
}
