//! The reusable sections: `definitions`, top-level `parameters` (split into
//! `parameters` and `requestBodies`), `responses` and `securityDefinitions`
//! become `components`.

use serde_json::{Map, Value};

use super::Upgrader;
use crate::json_pointer::child;

impl Upgrader<'_> {
    pub(super) fn components(&mut self) -> Map<String, Value> {
        let root = self.root;
        let mut components = Map::new();
        if let Some(definitions) = root.get("definitions") {
            match definitions.as_object() {
                Some(definitions) => {
                    let mut schemas = Map::new();
                    for (name, schema) in definitions {
                        let upgraded = self.schema(&child("/definitions", name), schema);
                        schemas.insert(name.clone(), upgraded);
                    }
                    components.insert("schemas".into(), Value::Object(schemas));
                }
                None => self.refuse("/definitions", "`definitions` must be an object"),
            }
        }
        if let Some(Value::Object(parameters)) = root.get("parameters") {
            self.shared_parameters(parameters, &mut components);
        }
        if let Some(Value::Object(responses)) = root.get("responses") {
            let produces = self.produces.clone();
            let mut upgraded = Map::new();
            for (name, response) in responses {
                let response = self.response(&child("/responses", name), response, &produces);
                upgraded.insert(name.clone(), response);
            }
            components.insert("responses".into(), Value::Object(upgraded));
        }
        if let Some(definitions) = root.get("securityDefinitions") {
            match definitions.as_object() {
                Some(definitions) => {
                    let mut schemes = Map::new();
                    for (name, definition) in definitions {
                        let here = child("/securityDefinitions", name);
                        if let Some(scheme) = self.security_scheme(&here, definition) {
                            schemes.insert(name.clone(), scheme);
                        }
                    }
                    components.insert("securitySchemes".into(), Value::Object(schemes));
                }
                None => self.refuse("/securityDefinitions", "must be an object"),
            }
        }
        components
    }

    /// Top-level `parameters`: body and formData ones become `requestBodies`,
    /// the others `parameters`.
    fn shared_parameters(
        &mut self,
        parameters: &Map<String, Value>,
        components: &mut Map<String, Value>,
    ) {
        let mut plain = Map::new();
        let mut bodies = Map::new();
        for (name, parameter) in parameters {
            let here = child("/parameters", name);
            let wrapped = Value::Array(vec![parameter.clone()]);
            let consumes = self.consumes.clone();
            let (mut list, body) = self.parameters(&here, Some(&wrapped), Some(&consumes));
            if let Some(body) = body {
                bodies.insert(name.clone(), body);
            } else if let Some(parameter) = list.pop() {
                plain.insert(name.clone(), parameter);
            }
        }
        if !plain.is_empty() {
            components.insert("parameters".into(), Value::Object(plain));
        }
        if !bodies.is_empty() {
            components.insert("requestBodies".into(), Value::Object(bodies));
        }
    }
}
