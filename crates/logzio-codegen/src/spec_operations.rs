//! The one walk over a document's operations, on plain JSON (Swagger 2.0 and
//! OpenAPI 3.0 alike): used by the extraction here and by `cargo xtask
//! import-spec`'s normalisation and diff, so "what is an operation" is
//! decided once.

use serde_json::Value;

/// The keys of a path item that are operations (Swagger 2.0 and OpenAPI 3.0 alike).
pub const HTTP_METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];

/// One operation of a document, with where it sits.
#[derive(Debug, Clone, Copy)]
pub struct SpecOperation<'a> {
    /// The path template, e.g. `/v1/shared-tokens/{id}`.
    pub path: &'a str,
    /// The HTTP method, lower-case as the document spells it.
    pub method: &'static str,
    /// The operation object.
    pub operation: &'a Value,
    /// The path item holding it (its `parameters` apply to every operation in it).
    pub path_item: &'a Value,
}

/// Every operation of `document`, in path order, then in [`HTTP_METHODS`] order.
pub fn spec_operations(document: &Value) -> impl Iterator<Item = SpecOperation<'_>> {
    document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .flat_map(|(path, path_item)| {
            HTTP_METHODS.iter().filter_map(move |method| {
                path_item.get(*method).map(|operation| SpecOperation {
                    path,
                    method,
                    operation,
                    path_item,
                })
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn operations_come_in_path_then_method_order_without_other_keys() {
        let document = json!({"paths": {
            "/b": {"post": {"operationId": "makeB"}, "parameters": [], "get": {"operationId": "listB"}},
            "/a": {"x-note": {}, "delete": {"operationId": "dropA"}}
        }});
        let found: Vec<(&str, &str)> = spec_operations(&document)
            .map(|op| (op.path, op.method))
            .collect();
        // serde_json keeps keys sorted unless `preserve_order` is on; either way
        // methods follow HTTP_METHODS within a path.
        let mut paths: Vec<&str> = found.iter().map(|(path, _)| *path).collect();
        paths.dedup();
        assert_eq!(found.len(), 3);
        assert!(found.contains(&("/a", "delete")));
        let b: Vec<&str> = found
            .iter()
            .filter(|(path, _)| *path == "/b")
            .map(|(_, method)| *method)
            .collect();
        assert_eq!(b, ["get", "post"]);
        assert_eq!(paths.len(), 2);
    }

    #[test]
    fn a_document_without_paths_has_no_operations() {
        assert_eq!(spec_operations(&json!({"swagger": "2.0"})).count(), 0);
        assert_eq!(spec_operations(&json!({"paths": []})).count(), 0);
    }
}
