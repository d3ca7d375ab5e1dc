//! Any operation of the generated catalog, sent as an [`OperationRequest`]
//! with JSON in and out: how an operation added to the spec is usable the day
//! it lands, before anyone writes a typed layer for it (`Client::call` in the
//! facade, `logzio-shared-tokens api` in the CLI).
//!
//! The request takes the same seam as every generated call (progenitor's
//! `pre`/`exec`/`post` hooks, so the client's [`Transport`](crate::Transport)),
//! and is built from the catalog's method and path template only: it holds no
//! API rule of its own.

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo, encode_path};
use reqwest::header::{ACCEPT, HeaderValue};

use crate::operations::Operation;
use crate::{Client, Error, ResponseValue};

/// A request for one catalog operation, with JSON in: what
/// [`Client::send_operation`] sends (and the facade's `Client::call`).
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until it is sent"]
pub struct OperationRequest {
    operation: Operation,
    path: Vec<(String, String)>,
    query: Vec<(String, String)>,
    body: Option<serde_json::Value>,
}

impl OperationRequest {
    /// A request for `operation`, with no parameters or body yet.
    pub fn new(operation: Operation) -> Self {
        Self {
            operation,
            path: Vec::new(),
            query: Vec::new(),
            body: None,
        }
    }

    /// The operation.
    pub fn operation(&self) -> Operation {
        self.operation
    }

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

    /// The operation's path with every parameter filled and percent-encoded
    /// (see [`Operation::fill_path`]).
    pub fn filled_path(&self) -> Result<String, String> {
        self.operation.fill_path(&self.path)
    }
}

impl Operation {
    /// The path with each `(name, value)` filled in and percent-encoded; an
    /// error names a parameter the template lacks, gets twice, or misses.
    pub fn fill_path<N: AsRef<str>, V: AsRef<str>>(
        self,
        parameters: &[(N, V)],
    ) -> Result<String, String> {
        let template = self.path();
        let declared = self.path_parameters();
        let id = self.operation_id();
        for (at, (name, _)) in parameters.iter().enumerate() {
            let name = name.as_ref();
            if !declared.contains(&name) {
                return Err(match declared {
                    [] => format!("{id} takes no path parameter; `{name}` was given"),
                    _ => format!(
                        "{id} has no path parameter `{name}`; its path is {template} (parameters: {})",
                        declared.join(", ")
                    ),
                });
            }
            if parameters[..at]
                .iter()
                .any(|(earlier, _)| earlier.as_ref() == name)
            {
                return Err(format!("{id}: path parameter `{name}` is given twice"));
            }
        }
        let mut filled = template.to_owned();
        for name in declared {
            let value = parameters
                .iter()
                .find(|(given, _)| given.as_ref() == *name)
                .map(|(_, value)| value.as_ref())
                .ok_or_else(|| format!("{id} needs the path parameter `{name}` ({template})"))?;
            filled = filled.replace(&format!("{{{name}}}"), &encode_path(value));
        }
        Ok(filled)
    }
}

impl Client {
    /// Sends `request`. A 2xx answer's body is returned as JSON (`null` when
    /// empty); any other status is [`Error::UnexpectedResponse`], with the
    /// answer to read; a path that cannot be filled is
    /// [`Error::InvalidRequest`], before anything is sent.
    pub async fn send_operation(
        &self,
        request: OperationRequest,
    ) -> Result<ResponseValue<serde_json::Value>, Error<crate::types::ErrorMessage>> {
        let path = request.filled_path().map_err(Error::InvalidRequest)?;
        let OperationRequest {
            operation,
            query,
            body,
            ..
        } = request;
        let method = reqwest::Method::from_bytes(operation.method().as_bytes()).map_err(|e| {
            Error::InvalidRequest(format!("{}: method: {e}", operation.operation_id()))
        })?;
        let mut builder = self
            .client()
            .request(method, format!("{}{path}", self.baseurl()))
            .header(ACCEPT, HeaderValue::from_static("application/json"));
        if !query.is_empty() {
            builder = builder.query(&query);
        }
        if let Some(body) = &body {
            builder = builder.json(body);
        }
        let mut http_request = builder.build()?;
        let info = OperationInfo {
            operation_id: operation.function_name(),
        };
        self.pre(&mut http_request, &info).await?;
        let result = self.exec(http_request, &info).await;
        self.post(&result, &info).await?;
        let response = result?;
        if !response.status().is_success() {
            return Err(Error::UnexpectedResponse(response));
        }
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.map_err(Error::ResponseBodyError)?;
        let value = if bytes.iter().all(u8::is_ascii_whitespace) {
            serde_json::Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .map_err(|error| Error::InvalidResponsePayload(bytes, error))?
        };
        Ok(ResponseValue::new(value, status, headers))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_filled_encoded_and_checked() {
        let get = Operation::GetToken;
        assert_eq!(
            get.fill_path(&[("id", "5")]),
            Ok("/v1/shared-tokens/5".into())
        );
        assert_eq!(
            get.fill_path(&[("id", "a/b")]),
            Ok("/v1/shared-tokens/a%2Fb".into())
        );
        assert!(
            get.fill_path::<&str, &str>(&[])
                .unwrap_err()
                .contains("needs the path parameter `id`")
        );
        assert!(
            get.fill_path(&[("name", "x")])
                .unwrap_err()
                .contains("no path parameter `name`")
        );
        assert!(
            get.fill_path(&[("id", "1"), ("id", "2")])
                .unwrap_err()
                .contains("twice")
        );
        let list = Operation::GetAllTokens;
        assert!(
            list.fill_path(&[("id", "1")])
                .unwrap_err()
                .contains("takes no path parameter")
        );
        assert_eq!(
            list.fill_path::<&str, &str>(&[]),
            Ok("/v1/shared-tokens".into())
        );
    }
}
