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
