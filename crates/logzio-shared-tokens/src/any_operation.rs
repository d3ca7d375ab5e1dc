//! [`Client::call`]: any operation of the spec, by its catalog entry, with
//! JSON in and out. It is how an operation added to `swagger.json` is usable
//! the day it lands, before it has a typed method; it takes the same request
//! path as every typed call (limit, retries, redaction, errors).

use logzio_shared_tokens_api::operations::Operation;

use crate::Error;
use crate::client::Client;
use crate::error::InputField;

/// A call of one operation, made by [`Client::call`].
#[derive(Clone, Debug)]
#[must_use = "a call does nothing until it is sent"]
pub struct OperationCall {
    client: Client,
    operation: Operation,
    path: Vec<(String, String)>,
    query: Vec<(String, String)>,
    body: Option<serde_json::Value>,
}

impl Client {
    /// Any operation of the spec, including one without a typed method yet:
    /// fill its path parameters, add query parameters and a JSON body, then
    /// [`send`](OperationCall::send) it. Holds a clone of this client (cheap).
    ///
    /// ```no_run
    /// # async fn run(client: logzio_shared_tokens::Client) -> Result<(), logzio_shared_tokens::Error> {
    /// use logzio_shared_tokens::api::operations::Operation;
    /// let token = client
    ///     .call(Operation::GetToken)
    ///     .path_parameter("id", "42")
    ///     .send()
    ///     .await?;
    /// println!("{}", token["name"]);
    /// # Ok(()) }
    /// ```
    pub fn call(&self, operation: Operation) -> OperationCall {
        OperationCall {
            client: self.clone(),
            operation,
            path: Vec::new(),
            query: Vec::new(),
            body: None,
        }
    }
}

impl OperationCall {
    /// Sets the path parameter `name` (`id` in `/v1/shared-tokens/{id}`).
    pub fn path_parameter(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.path.push((name.into(), value.into()));
        self
    }

    /// Adds the query parameter `name=value`.
    pub fn query_parameter(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Sets the JSON body.
    pub fn body(mut self, body: serde_json::Value) -> Self {
        self.body = Some(body);
        self
    }

    /// Sends the call and returns the answer's JSON (`null` for an empty
    /// body). A missing, unknown or repeated path parameter is
    /// [`Error::InvalidInput`] (field [`InputField::Request`]) before
    /// anything is sent; answers map to [`Error`] as for every typed call.
    pub async fn send(self) -> Result<serde_json::Value, Error> {
        let mut raw = self.client.raw().operation(self.operation);
        for (name, value) in &self.path {
            raw = raw.path_parameter(name, value);
        }
        for (name, value) in &self.query {
            raw = raw.query_parameter(name, value);
        }
        if let Some(body) = self.body.clone() {
            raw = raw.body(body);
        }
        raw.filled_path()
            .map_err(|reason| Error::invalid(InputField::Request, reason))?;
        self.client.execute(self.operation, raw.send()).await
    }
}

/// Masks, in place, every string under a property the spec declares secret
/// ([`SECRET_PROPERTIES`](logzio_shared_tokens_api::operations::SECRET_PROPERTIES):
/// the shared token value) the way [`SharedTokenValue::masked`](crate::SharedTokenValue::masked)
/// does, at any depth: for showing an [`OperationCall`]'s answer.
pub fn mask_secret_properties(value: &mut serde_json::Value) {
    use logzio_shared_tokens_api::operations::SECRET_PROPERTIES;
    use serde_json::Value;
    match value {
        Value::Object(fields) => {
            for (name, field) in fields.iter_mut() {
                match field {
                    Value::String(text) if SECRET_PROPERTIES.contains(&name.as_str()) => {
                        *text = crate::SharedTokenValue::new(std::mem::take(text)).masked();
                    }
                    other => mask_secret_properties(other),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask_secret_properties),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn secret_properties_are_masked_at_any_depth_and_nothing_else() {
        let mut answer = json!([
            {"id": 1, "name": "token", "token": "0123456789abcdef-tail"},
            {"nested": {"token": "abcdefgh-1234"}, "token": null}
        ]);
        mask_secret_properties(&mut answer);
        let text = answer.to_string();
        assert!(!text.contains("0123456789abcdef"), "{text}");
        assert!(!text.contains("abcdefgh"), "{text}");
        assert_eq!(answer[0]["name"], "token");
        assert_eq!(answer[1]["token"], serde_json::Value::Null);
    }
}
