//! `host`, `basePath` and `schemes` (or our `x-servers` list of regional
//! hosts) become OpenAPI 3.0 `servers`.

use serde_json::{Map, Value, json};

use super::Upgrader;

impl Upgrader<'_> {
    pub(super) fn servers(&mut self) -> Vec<Value> {
        let root = self.root;
        let base_path = match root.get("basePath").and_then(Value::as_str) {
            Some("/") | None => "",
            Some(path) => path.trim_end_matches('/'),
        };
        if let Some(listed) = root.get("x-servers") {
            return self.listed_servers(listed, base_path);
        }
        let Some(host) = root.get("host").and_then(Value::as_str) else {
            return if base_path.is_empty() {
                Vec::new()
            } else {
                vec![json!({ "url": base_path })]
            };
        };
        let schemes: Vec<&str> = match root.get("schemes").and_then(Value::as_array) {
            Some(list) => list.iter().filter_map(Value::as_str).collect(),
            None => vec!["https"],
        };
        schemes
            .iter()
            .map(|scheme| json!({ "url": format!("{scheme}://{host}{base_path}") }))
            .collect()
    }

    /// `x-servers`: one server per listed URL, each followed by `basePath`,
    /// keeping its description and extensions.
    fn listed_servers(&mut self, listed: &Value, base_path: &str) -> Vec<Value> {
        let Some(listed) = listed.as_array() else {
            self.refuse("/x-servers", "must be an array of server objects");
            return Vec::new();
        };
        let mut servers = Vec::new();
        for (i, server) in listed.iter().enumerate() {
            let pointer = format!("/x-servers/{i}");
            let Some(url) = server.get("url").and_then(Value::as_str) else {
                self.refuse(&pointer, "a server needs a `url` string");
                continue;
            };
            let mut out = Map::new();
            out.insert(
                "url".into(),
                json!(format!("{}{base_path}", url.trim_end_matches('/'))),
            );
            if let Some(fields) = server.as_object() {
                for (key, value) in fields {
                    if key == "description" || key.starts_with("x-") {
                        out.insert(key.clone(), value.clone());
                    }
                }
            }
            servers.push(Value::Object(out));
        }
        servers
    }
}
