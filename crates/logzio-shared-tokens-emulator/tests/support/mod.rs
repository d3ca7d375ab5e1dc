//! Test support: an HTTP caller that checks every answer the emulator gives
//! against the response schemas of `swagger.json`.
//!
//! The schemas come from the spec itself (upgraded to OpenAPI 3.0.3 by the
//! project's pipeline), translated to JSON Schema 2020-12 here: `nullable`
//! becomes a `null` type, `format: int32` becomes bounds, and objects are
//! closed (`additionalProperties: false`) so the emulator cannot send a field
//! the spec does not declare. This deliberately does not use the generated
//! Rust types: it checks the wire, not our own decoding of it.

#![allow(dead_code, reason = "each test binary uses a different part")]

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use logzio_shared_tokens_emulator::Emulator;
use reqwest::Method;
use reqwest::header::HeaderMap;
use serde_json::{Map, Value, json};

/// One documented response: its JSON schema, or `None` when the spec says
/// the body is empty.
struct Documented {
    schema: Option<jsonschema::Validator>,
}

/// The spec's operations and their documented responses.
pub struct Spec {
    /// operationId → (method, path template)
    pub operations: BTreeMap<String, (Method, String)>,
    responses: BTreeMap<(String, u16), Documented>,
    error_message: jsonschema::Validator,
}

impl Spec {
    /// The project's swagger.json, loaded once per test binary.
    pub fn get() -> Arc<Spec> {
        static SPEC: OnceLock<Arc<Spec>> = OnceLock::new();
        SPEC.get_or_init(|| Arc::new(Spec::load())).clone()
    }

    fn load() -> Spec {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../swagger.json");
        let source = logzio_codegen::SpecSource::read(&path).expect("swagger.json reads");
        let upgraded = logzio_codegen::upgrade(&source.file, &source.document)
            .unwrap_or_else(|problems| panic!("swagger.json does not upgrade: {problems:?}"));
        let document = upgraded.document;
        let components = json_schema(&document["components"]["schemas"]);
        let validator = |schema: &Value| {
            let mut root = json_schema(schema);
            if let Value::Object(map) = &mut root {
                map.insert(
                    "$schema".into(),
                    "https://json-schema.org/draft/2020-12/schema".into(),
                );
                map.insert("components".into(), json!({ "schemas": components }));
            }
            jsonschema::draft202012::new(&root)
                .unwrap_or_else(|e| panic!("schema {schema} does not compile: {e}"))
        };
        let mut operations = BTreeMap::new();
        let mut responses = BTreeMap::new();
        for (path, item) in document["paths"].as_object().expect("paths") {
            for (method, operation) in item.as_object().expect("path item") {
                let Some(id) = operation["operationId"].as_str() else {
                    continue;
                };
                let method: Method = method.to_uppercase().parse().expect("method");
                operations.insert(id.to_owned(), (method, path.clone()));
                for (status, response) in operation["responses"].as_object().expect("responses") {
                    let status: u16 = status.parse().expect("numeric status");
                    let schema = response
                        .pointer("/content/application~1json/schema")
                        .map(validator);
                    responses.insert((id.to_owned(), status), Documented { schema });
                }
            }
        }
        let error_message = validator(&json!({"$ref": "#/components/schemas/ErrorMessage"}));
        Spec {
            operations,
            responses,
            error_message,
        }
    }

    /// The statuses the spec documents for `operation`.
    pub fn statuses(&self, operation: &str) -> Vec<u16> {
        self.responses
            .keys()
            .filter(|(id, _)| id == operation)
            .map(|(_, status)| *status)
            .collect()
    }

    /// Panics unless `body` is what the spec documents for `operation` answering `status`.
    /// Statuses the spec cannot document per operation (404 unknown path,
    /// 405, 413) must carry the spec's ErrorMessage.
    pub fn check(&self, operation: &str, status: u16, body: &[u8]) {
        let generic_error = matches!(status, 404 | 405 | 413);
        match self.responses.get(&(operation.to_owned(), status)) {
            Some(Documented { schema: None }) => assert!(
                body.is_empty(),
                "{operation} {status}: the spec documents an empty body, got {}",
                String::from_utf8_lossy(body)
            ),
            Some(Documented {
                schema: Some(schema),
            }) => validate(schema, operation, status, body),
            None if generic_error => validate(&self.error_message, operation, status, body),
            None => panic!("{operation} answered {status}, which the spec does not document"),
        }
    }

    /// Panics unless `body` is an ErrorMessage.
    pub fn check_error(&self, context: &str, status: u16, body: &[u8]) {
        validate(&self.error_message, context, status, body);
    }
}

fn validate(schema: &jsonschema::Validator, operation: &str, status: u16, body: &[u8]) {
    let value: Value = serde_json::from_slice(body).unwrap_or_else(|e| {
        panic!(
            "{operation} {status}: body is not JSON ({e}): {}",
            String::from_utf8_lossy(body)
        )
    });
    let problems: Vec<String> = schema
        .iter_errors(&value)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(
        problems.is_empty(),
        "{operation} {status}: the body does not match the spec:\n  {}\nbody: {value}",
        problems.join("\n  ")
    );
}

/// OpenAPI 3.0 schema → JSON Schema 2020-12 (see the module docs).
fn json_schema(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                let translated = match key.as_str() {
                    // Keyword maps whose values are schemas (or maps of names to schemas).
                    "properties" | "schemas" => Value::Object(
                        value
                            .as_object()
                            .expect("a map of schemas")
                            .iter()
                            .map(|(name, s)| (name.clone(), json_schema(s)))
                            .collect(),
                    ),
                    "nullable" | "example" | "readOnly" | "x-deprecated" => continue,
                    _ => json_schema(value),
                };
                out.insert(key.clone(), translated);
            }
            if map.get("format").and_then(Value::as_str) == Some("int32") {
                out.insert("minimum".into(), i32::MIN.into());
                out.insert("maximum".into(), i32::MAX.into());
            }
            if map.get("type").and_then(Value::as_str) == Some("object")
                && !map.contains_key("additionalProperties")
            {
                out.insert("additionalProperties".into(), false.into());
            }
            if map.get("nullable") == Some(&Value::Bool(true)) {
                let base = map.get("type").cloned().unwrap_or(Value::Null);
                out.insert("type".into(), json!([base, "null"]));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(json_schema).collect()),
        other => other.clone(),
    }
}

/// An answer as the tests see it.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
}

impl Answer {
    /// The body as JSON (panics if it is not).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or_else(|e| {
            panic!(
                "answer {} is not JSON ({e}): {}",
                self.status,
                String::from_utf8_lossy(&self.bytes)
            )
        })
    }

    /// The `message` of an error answer.
    pub fn message(&self) -> String {
        self.json()["message"]
            .as_str()
            .unwrap_or_else(|| panic!("no message in {}", self.json()))
            .to_owned()
    }

    pub fn retry_after(&self) -> Option<String> {
        self.headers
            .get("retry-after")
            .map(|v| v.to_str().expect("ascii").to_owned())
    }
}

/// An emulator started with `config`, and a caller using its first API token.
pub async fn start(config: logzio_shared_tokens_emulator::Config) -> (Emulator, Api) {
    let emulator = Emulator::start(config)
        .await
        .unwrap_or_else(|error| panic!("starting the emulator: {error}"));
    let api = Api::new(emulator.base_url(), Some(&emulator.api_tokens()[0]));
    (emulator, api)
}

/// Calls the emulator as one API token and checks every answer against the spec.
#[derive(Clone)]
pub struct Api {
    pub base_url: String,
    pub api_token: Option<String>,
    http: reqwest::Client,
    spec: Arc<Spec>,
}

impl Api {
    pub fn new(base_url: &str, api_token: Option<&str>) -> Self {
        Self {
            base_url: base_url.to_owned(),
            api_token: api_token.map(str::to_owned),
            http: reqwest::Client::builder()
                .no_proxy()
                .timeout(Duration::from_secs(20))
                .build()
                .expect("client"),
            spec: Spec::get(),
        }
    }

    pub fn as_token(&self, api_token: Option<&str>) -> Self {
        Self {
            api_token: api_token.map(str::to_owned),
            ..self.clone()
        }
    }

    /// Calls `operation` (an operationId of the spec) with `id` in the path
    /// and `body` as JSON, and checks the answer against the spec.
    pub async fn call(&self, operation: &str, id: Option<i64>, body: Option<Value>) -> Answer {
        let (method, template) = self
            .spec
            .operations
            .get(operation)
            .unwrap_or_else(|| panic!("no operation {operation} in the spec"))
            .clone();
        let path = match id {
            Some(id) => template.replace("{id}", &id.to_string()),
            None => template.clone(),
        };
        let mut request = self.request(method, &path);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let answer = send(request).await;
        self.spec.check(operation, answer.status, &answer.bytes);
        answer
    }

    /// A request the spec does not describe (wrong paths, methods, bodies);
    /// error answers must still be ErrorMessages.
    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let mut request = self
            .http
            .request(method, format!("{}{}", self.base_url, path));
        if let Some(token) = &self.api_token {
            request = request.header("X-API-TOKEN", token);
        }
        request
    }

    pub async fn send_raw(&self, request: reqwest::RequestBuilder) -> Answer {
        let answer = send(request).await;
        if answer.status >= 400 {
            self.spec
                .check_error("raw request", answer.status, &answer.bytes);
        }
        answer
    }

    /// A request whose answer is not checked against the spec: for the
    /// quirk modes, which leave the documented shape on purpose.
    pub async fn send_unchecked(&self, request: reqwest::RequestBuilder) -> Answer {
        send(request).await
    }

    // Shorthands for the common successful calls.

    pub async fn create_filter(&self, field: &str, value: &str) -> i64 {
        let answer = self
            .call(
                "createFilter",
                None,
                Some(json!({"field": field, "value": value})),
            )
            .await;
        assert_eq!(answer.status, 200, "{}", answer.json());
        answer.json()["id"].as_i64().expect("filter id")
    }

    pub async fn create_token(&self, name: &str, filters: &[i64]) -> Value {
        let answer = self
            .call(
                "createToken",
                None,
                Some(json!({"tokenName": name, "filters": filters})),
            )
            .await;
        assert_eq!(answer.status, 200, "{}", answer.json());
        answer.json()
    }
}

async fn send(request: reqwest::RequestBuilder) -> Answer {
    let response = request.send().await.expect("the emulator answers");
    let status = response.status().as_u16();
    assert_ne!(status, 500, "the emulator must never answer 500");
    let headers = response.headers().clone();
    let bytes = response.bytes().await.expect("a readable body").to_vec();
    Answer {
        status,
        headers,
        bytes,
    }
}
